"""Forms for the board filters and for writing a posting."""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal, InvalidOperation

from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.validators import ValidationError as WTFValidationError

from ..core.idempotency import IdempotentFormMixin
from ..formfields import (
    BlankableDateField,
    CachedSelect,
    NoBidiControls,
    wtforms_translations,
)
from ..geo import postcode_point
from ..i18n import _, _l, per_locale
from ..municipalities.location_fields import location_fields, location_values, setup_location
from .categories import CATEGORIES, DIRECTIONS, KINDS
from .vocab import Direction, Kind, Timing

TITLE_MAX = 120
DESCRIPTION_MAX = 4000
MAX_PAY_CENTS = 5000
# A job's duration: half hours, from half an hour to a long day's 12 hours.
MIN_DURATION_MINUTES = 30
MAX_DURATION_MINUTES = 12 * 60
RADIUS_CHOICES = (1, 2, 5, 10, 25)  # 50 € per hour is far above any Taschengeld job


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _choices(mapping, keys=None):
    return [(key, label) for key, label in mapping.items() if keys is None or key in keys]


@per_locale
def _filter_choices() -> dict:
    """The board filters' constant choices, translated once per language (plain strings)."""
    return {
        "kind": [("", _("All exchanges"))] + [(k, str(v)) for k, v in _choices(KINDS)],
        "direction": [("", _("Requests and offers"))]
        + [(k, str(v)) for k, v in _choices(DIRECTIONS)],
        "category": [("", _("All categories"))] + [(c.key, str(c.label)) for c in CATEGORIES],
        "all_districts": _("All districts"),
        "radius": [("", _("Any distance"))]
        + [(str(km), _("within %(km)s km", km=km)) for km in RADIUS_CHOICES],
        "sort": [("newest", _("Newest first")), ("distance", _("Nearest first"))],
    }


_RADIUS_CHOICES: dict[tuple[str, int], list[tuple[str, str]]] = {}


def radius_choices(default_km: int) -> list[tuple[str, str]]:
    """The board's distance choices: the fixed ones and the Kommune's default radius, in order.

    Built once per language and radius (a Kommune's radius is one of 50 values).
    """
    fixed = _filter_choices()["radius"]
    if default_km in RADIUS_CHOICES:
        return fixed
    key = (str(get_locale()), default_km, id(fixed))  # id: a cleared table is built anew
    choices = _RADIUS_CHOICES.get(key)
    if choices is None:
        radii = sorted({*RADIUS_CHOICES, default_km})
        choices = _RADIUS_CHOICES[key] = [fixed[0]] + [
            (str(km), _("within %(km)s km", km=km)) for km in radii
        ]
    return choices


class BoardFilterForm(FlaskForm):
    """The board's filters (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

        def get_translations(self, form):
            """WTForms' messages from the per-language cache (the board is the busiest page)."""
            return wtforms_translations()

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    kind = SelectField(_l("Exchange"), validators=[Optional()], widget=CachedSelect())
    direction = SelectField(
        _l("Requests or offers"), validators=[Optional()], widget=CachedSelect()
    )
    category = SelectField(_l("Category"), validators=[Optional()], widget=CachedSelect())
    district = SelectField(_l("District"), validators=[Optional()], widget=CachedSelect())
    radius = SelectField(_l("Distance"), validators=[Optional()], widget=CachedSelect())
    near = StringField(_l("From postcode"), filters=[_strip], validators=[Optional()])
    sort = SelectField(_l("Order"), validators=[Optional()], widget=CachedSelect())
    # Taschengeld requests that are not "nur für Erwachsene" (Posting.is_adults_only).
    for_young = BooleanField(_l("Only Taschengeld jobs young people may do"))

    def validate_near(self, field):
        """A typed PLZ must be a known German postcode."""
        if field.data and postcode_point(field.data) is None:
            raise WTFValidationError(
                _(
                    "We do not know the postcode %(plz)s. Enter five digits, e.g. 33129.",
                    plz=field.data,
                )
            )

    def setup(self, municipality, districts) -> BoardFilterForm:
        """Fill the choices for this Kommune (constant ones from the per-language table)."""
        choices = _filter_choices()
        enabled = municipality.enabled_kinds
        self.kind.choices = [c for c in choices["kind"] if not c[0] or c[0] in enabled]
        self.direction.choices = choices["direction"]
        self.category.choices = choices["category"]
        self.district.choices = [("", choices["all_districts"])] + [
            (str(d.id), d.name) for d in districts
        ]
        self.radius.choices = radius_choices(municipality.default_radius_km)
        self.sort.choices = choices["sort"]
        return self

    def render_key(self) -> tuple | None:
        """Everything the rendered fields show besides the language, or None if a value is long.

        Each field's name, value as typed and as processed, errors and choices: with the same
        key (and language) the fields render the same HTML. Typed values over 100 characters
        are not worth keeping.
        """
        key = []
        for field in self:
            raw = None if field.raw_data is None else tuple(field.raw_data)
            if raw and any(len(value) > 100 for value in raw if isinstance(value, str)):
                return None
            choices = tuple(field.choices) if isinstance(field, SelectField) else None
            errors = tuple(str(error) for error in field.errors)
            key.append((field.name, field.data, raw, errors, choices))
        return tuple(key)

    def radius_km(self) -> int | None:
        """The chosen radius (one of the choices, the Kommune's own among them), or None."""
        if not self.radius.data:
            return None
        valid = {value for value, _label in self.radius.choices if value}
        return int(self.radius.data) if self.radius.data in valid else None

    def filters(self) -> dict:
        """Only the valid, non-empty filter values."""
        values = {}
        for name in ("kind", "direction", "category", "district"):
            field = getattr(self, name)
            valid = {value for value, _label in field.choices}
            if field.data and field.data in valid:
                values[name] = field.data
        if self.q.data and self.q.data.strip() and not self.q.errors:
            values["q"] = self.q.data.strip()[:100]
        if self.radius_km():
            values["radius"] = str(self.radius_km())
        if self.near.data and not self.near.errors:
            values["near"] = self.near.data
        if self.sort.data == "distance":
            values["sort"] = "distance"
        if self.for_young.data:
            values["for_young"] = "y"
        return values


def parse_euros(text: str) -> int | None:
    """'8,50' or '8.50' or '8' (euros) -> cents; None when empty; ValueError when malformed."""
    text = (text or "").strip().replace("€", "").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{1,4}([.,]\d{1,2})?", text):
        raise ValueError(text)
    try:
        return int(Decimal(text.replace(",", ".")) * 100)
    except InvalidOperation as error:  # pragma: no cover - the regex already excludes this
        raise ValueError(text) from error


def parse_clock(text: str) -> time | None:
    """'15:00', '9:30' or '15.00' -> a time; None when empty; ValueError when malformed."""
    text = (text or "").strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError(text)
    return time(int(match.group(1)), int(match.group(2)))


def parse_hours(text: str) -> int | None:
    """'2', '1,5' or '1.5' (hours) -> minutes; None when empty; ValueError when malformed."""
    text = (text or "").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{1,2}([.,]\d{1,2})?", text):
        raise ValueError(text)
    minutes = Decimal(text.replace(",", ".")) * 60
    if minutes != minutes.to_integral_value():
        raise ValueError(text)
    return int(minutes)


def hours_input(minutes: int | None) -> str:
    """Minutes as the duration field shows them: '2', '1,5'."""
    if minutes is None:
        return ""
    whole, rest = divmod(minutes, 60)
    return str(whole) if not rest else f"{whole},{rest * 10 // 60}"


class PostingForm(IdempotentFormMixin, FlaskForm):
    """Write or edit a request or an offer."""

    direction = RadioField(
        _l("What do you want to do?"),
        choices=[
            (Direction.REQUEST.value, _l("I am looking for help (request)")),
            (Direction.OFFER.value, _l("I offer help (offer)")),
        ],
        validators=[InputRequired(message=_l("Choose whether you ask for or offer help."))],
    )
    kind = RadioField(
        _l("Exchange"),
        validators=[InputRequired(message=_l("Choose an exchange."))],
    )
    category = SelectField(
        _l("Category"), validators=[DataRequired(message=_l("Choose a category."))]
    )
    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter a title.")),
            Length(min=5, max=TITLE_MAX, message=_l("The title must be 5 to 120 characters long.")),
            NoBidiControls(),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Describe what it is about.")),
            Length(
                min=10,
                max=DESCRIPTION_MAX,
                message=_l("The description must be 10 to 4000 characters long."),
            ),
        ],
    )
    district, postcode = location_fields()
    timing = RadioField(
        _l("When?"),
        choices=Timing.choices(),
        default=Timing.FLEXIBLE,
        validators=[InputRequired(message=_l("Choose when."))],
    )
    on_date = BlankableDateField(_l("Date"))
    recurrence = StringField(_l("How often?"), filters=[_strip], validators=[Length(max=120)])
    # No Optional(): it would stop the checks below, which require both for a dated job.
    start_time = StringField(_l("Start time"), filters=[_strip])
    duration_hours = StringField(_l("Duration in hours"), filters=[_strip])
    pay_per_hour = StringField(_l("Pay per hour in euros"), validators=[Optional()])
    radius_km = IntegerField(
        _l("Distance in km"),
        validators=[
            Optional(),
            NumberRange(min=1, max=50, message=_l("Enter a distance from 1 to 50 km.")),
        ],
    )
    is_remote_ok = BooleanField(_l("Also possible by phone or online"))

    def setup(self, municipality, districts) -> PostingForm:
        """Fill the choices for this Kommune."""
        self.kind.choices = Kind.choices(municipality.enabled_kinds)
        self.category.choices = [("", _("Choose a category"))] + [
            (c.key, c.label) for c in CATEGORIES
        ]
        setup_location(self, districts)
        return self

    def validate_on_date(self, field):
        """A dated posting needs a date that is not in the past."""
        if self.timing.data == Timing.DATE:
            if field.data is None:
                raise WTFValidationError(_("Enter the date, for example 24.12.2026."))
            if field.data < date.today():
                raise WTFValidationError(_("The date must not be in the past."))

    def validate_recurrence(self, field):
        """A recurring posting says how often."""
        if self.timing.data == Timing.RECURRING and not (field.data or "").strip():
            raise WTFValidationError(_("Say how often, for example: every Tuesday morning."))

    def _is_taschengeld(self) -> bool:
        # A step's form has no Börse field: it holds these fields only for the Taschengeldbörse.
        return "kind" not in self._fields or self.kind.data == Kind.TASCHENGELD

    def validate_start_time(self, field):
        """A dated Taschengeld job says when it starts, as a time of day (HH:MM)."""
        field.parsed = None
        if not self._is_taschengeld() or self.timing.data != Timing.DATE:
            return
        try:
            field.parsed = parse_clock(field.data)
        except ValueError:
            raise WTFValidationError(
                _("Enter the start time as HH:MM, for example 15:00.")
            ) from None
        if field.parsed is None:
            raise WTFValidationError(_("Enter when the job starts, for example 15:00."))

    def validate_duration_hours(self, field):
        """Half hours from 0.5 to 12; a dated Taschengeld job must say how long it takes."""
        field.minutes = None
        if not self._is_taschengeld():
            return
        try:
            minutes = parse_hours(field.data)
        except ValueError:
            minutes = -1
        if minutes is None:
            if self.timing.data == Timing.DATE:
                raise WTFValidationError(_("Enter how many hours the job takes, for example 2."))
            return
        if (
            not MIN_DURATION_MINUTES <= minutes <= MAX_DURATION_MINUTES
            or minutes % MIN_DURATION_MINUTES
        ):
            raise WTFValidationError(
                _("Enter the duration in half hours from 0.5 to 12, for example 1,5.")
            )
        field.minutes = minutes

    def validate_pay_per_hour(self, field):
        """Pay is euros with up to two decimals, at most 50 €."""
        try:
            cents = parse_euros(field.data)
        except ValueError:
            raise WTFValidationError(_("Enter the pay as an amount, for example 8,50.")) from None
        if cents is not None and cents > MAX_PAY_CENTS:
            raise WTFValidationError(_("The pay can be at most 50 euros per hour."))
        field.cents = cents

    def values(self) -> dict:
        """The cleaned values for the posting services."""
        timing = self.timing.data
        return {
            "direction": self.direction.data,
            "kind": self.kind.data,
            "category": self.category.data,
            "title": self.title.data.strip(),
            "description": self.description.data.strip(),
            **location_values(self),
            "timing": timing,
            "on_date": self.on_date.data if timing == Timing.DATE else None,
            "recurrence": (self.recurrence.data or "").strip() or None
            if timing == Timing.RECURRING
            else None,
            "start_time": getattr(self.start_time, "parsed", None)
            if self.kind.data == Kind.TASCHENGELD and timing == Timing.DATE
            else None,
            "duration_minutes": getattr(self.duration_hours, "minutes", None)
            if self.kind.data == Kind.TASCHENGELD
            else None,
            "pay_per_hour_cents": getattr(self.pay_per_hour, "cents", None)
            if self.kind.data == Kind.TASCHENGELD
            else None,
            "radius_km": self.radius_km.data,
            "is_remote_ok": bool(self.is_remote_ok.data),
        }
