"""The barrier report form (public) and the statement form (the Kommune's admins)."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ...formfields import BlankableDateField, NoBidiControls
from ...i18n import _l
from .vocab import Conformance, EvaluationMethod

# How many parts that are not accessible the admin form offers at once.
LIMITATION_SLOTS = 6


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


class FeedbackForm(FlaskForm):
    """Report a barrier: what is wrong (required), where, and who to answer (optional)."""

    message = TextAreaField(
        _l("What is the barrier?"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Describe the barrier in a few words.")),
            Length(max=5000, message=_l("The description can be at most 5000 characters long.")),
            NoBidiControls(),
        ],
    )
    page = StringField(
        _l("Which page or which part is it about?"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=500, message=_l("This can be at most 500 characters long.")),
            NoBidiControls(),
        ],
    )
    name = StringField(
        _l("Your name"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=120, message=_l("The name can be at most 120 characters long.")),
            NoBidiControls(),
        ],
    )
    email = EmailField(
        _l("Your e-mail address"),
        filters=[_lower],
        validators=[
            Optional(),
            Length(max=254),
            Email(
                message=_l("Enter an e-mail address like name@example.org."),
                check_deliverability=False,
            ),
        ],
    )


_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)


class StatementForm(FlaskForm):
    """The statement's parts; empty texts fall back to the defaults."""

    status = RadioField(
        _l("How far does the website meet the requirements?"),
        choices=Conformance.choices(),
        validators=[DataRequired(message=_l("Choose how far the website meets them."))],
    )
    evaluation_method = RadioField(
        _l("How was the website evaluated?"),
        choices=EvaluationMethod.choices(),
        validators=[DataRequired(message=_l("Choose how the website was evaluated."))],
    )
    evaluated_on = BlankableDateField(
        _l("Date of the evaluation"),
        validators=[Optional()],
        render_kw={"autocomplete": "off"},
    )
    prepared_by = StringField(
        _l("Who prepared the statement?"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=200, message=_l("This can be at most 200 characters long.")),
            NoBidiControls(),
        ],
    )
    enforcement_name = StringField(
        _l("Name of the enforcement body"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=200, message=_l("This can be at most 200 characters long.")),
            NoBidiControls(),
        ],
    )
    enforcement_url = URLField(
        _l("Web address of the enforcement body"),
        filters=[_strip],
        validators=[Optional(), Length(max=500)],
    )

    def validate_enforcement_url(self, field):
        """An http(s) address."""
        if field.data and not _URL.fullmatch(field.data):
            raise ValidationError(_l("Enter a web address starting with https://."))

    def limitations(self) -> list[dict]:
        """The filled-in parts that are not accessible, in order."""
        parts = []
        for n in range(1, LIMITATION_SLOTS + 1):
            what, why, alternative = (
                (getattr(self, f"{key}_{n}").data or "").strip()
                for key in ("what", "why", "alternative")
            )
            if what or why or alternative:
                parts.append({"what": what, "why": why, "alternative": alternative})
        return parts

    def fill_limitations(self, parts: list[dict]) -> None:
        """Put the stored parts into the slots."""
        for n, part in enumerate(parts[:LIMITATION_SLOTS], start=1):
            for key in ("what", "why", "alternative"):
                getattr(self, f"{key}_{n}").data = part.get(key, "")

    def validate(self, extra_validators=None) -> bool:
        """Each part with a reason or an alternative says what it is; a body needs both fields."""
        valid = super().validate(extra_validators)
        name, url = self.enforcement_name, self.enforcement_url
        if bool(name.data) != bool(url.data) and not (name.errors or url.errors):
            empty = url if name.data else name
            empty.errors = [
                *empty.errors,
                _l("Give both the name and the web address, or leave both empty."),
            ]
            valid = False
        for n in range(1, LIMITATION_SLOTS + 1):
            what = getattr(self, f"what_{n}")
            why, alternative = getattr(self, f"why_{n}"), getattr(self, f"alternative_{n}")
            if (why.data or alternative.data) and not what.data:
                what.errors = [*what.errors, _l("Say which part is not accessible.")]
                valid = False
        return valid


for _n in range(1, LIMITATION_SLOTS + 1):
    _text = [Optional(), NoBidiControls()]
    setattr(
        StatementForm,
        f"what_{_n}",
        StringField(
            _l("What is not accessible?"),
            filters=[_strip],
            validators=[*_text, Length(max=300, message=_l("At most 300 characters."))],
        ),
    )
    setattr(
        StatementForm,
        f"why_{_n}",
        TextAreaField(
            _l("Why not?"),
            filters=[_strip],
            validators=[*_text, Length(max=1000, message=_l("At most 1000 characters."))],
        ),
    )
    setattr(
        StatementForm,
        f"alternative_{_n}",
        TextAreaField(
            _l("The accessible alternative"),
            filters=[_strip],
            validators=[*_text, Length(max=1000, message=_l("At most 1000 characters."))],
        ),
    )
