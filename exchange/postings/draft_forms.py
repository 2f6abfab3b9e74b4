"""The steps of writing a posting, one small form each, and the draft's data seen through them.

Each step form reuses the fields (labels, validators) of ``PostingForm``; radio groups start
with nothing chosen. A draft stores the fields as typed, so a step shows them again exactly,
and ``complete()`` / ``posting_values()`` check them again with the same validators.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, RadioField
from wtforms.fields.core import UnboundField
from wtforms.validators import InputRequired

from ..core.idempotency import IdempotentFormMixin
from ..errors import ExchangeError, attach_to_form
from ..i18n import _l
from ..municipalities.location import resolve_location
from ..municipalities.location_fields import location_values, setup_location
from .categories import CATEGORIES
from .forms import PostingForm
from .vocab import Kind, Timing

# The steps in order; "check" shows the posting as it will appear and publishes it.
STEPS = ("kind", "direction", "category", "when", "where", "text", "check")
FORM_STEPS = STEPS[:-1]
# Typed text longer than any field allows is cut when it is kept unchecked (going back).
MAX_KEPT = 5000


class StepForm(FlaskForm):
    """One step's fields; ``applies(kind)`` tells which of them the chosen Börse needs."""

    def setup(self, municipality, districts, kind: str | None) -> StepForm:
        """Fill choices for this Kommune and drop the fields the Börse does not use."""
        for name in list(self._fields):
            if name != "csrf_token" and not applies(name, kind):
                del self[name]
        return self

    def field_names(self) -> list[str]:
        """The step's own fields (not the CSRF token)."""
        return [name for name in self._fields if name != "csrf_token"]


# What only a Taschengeld job asks: when it starts, how long it takes, the pay.
TASCHENGELD_ONLY = frozenset({"start_time", "duration_hours", "pay_per_hour"})


def applies(field_name: str, kind: str | None) -> bool:
    """Whether a field belongs to a posting in the Börse kind (pay only for Taschengeld)."""
    if field_name in TASCHENGELD_ONLY:
        return kind == Kind.TASCHENGELD
    return True


class KindStep(StepForm):
    """Which Börse."""

    kind = PostingForm.kind

    def setup(self, municipality, districts, kind):
        """Only the Kommune's enabled Börsen."""
        self.kind.choices = Kind.choices(municipality.enabled_kinds)
        return super().setup(municipality, districts, kind)


class DirectionStep(StepForm):
    """Gesuch or Angebot."""

    direction = PostingForm.direction


class CategoryStep(StepForm):
    """The category, as a list of big radio labels rather than a select."""

    category = RadioField(
        _l("Category"), validators=[InputRequired(message=_l("Choose a category."))]
    )

    def setup(self, municipality, districts, kind):
        """Every category."""
        self.category.choices = [(c.key, c.label) for c in CATEGORIES]
        return super().setup(municipality, districts, kind)


class WhenStep(StepForm):
    """Flexible, on a date, or recurring; nothing chosen in advance."""

    timing = RadioField(
        _l("When?"),
        choices=Timing.choices(),
        validators=[InputRequired(message=_l("Choose when."))],
    )
    on_date = PostingForm.on_date
    start_time = PostingForm.start_time
    duration_hours = PostingForm.duration_hours
    recurrence = PostingForm.recurrence
    validate_on_date = PostingForm.validate_on_date
    validate_recurrence = PostingForm.validate_recurrence
    _is_taschengeld = PostingForm._is_taschengeld
    validate_start_time = PostingForm.validate_start_time
    validate_duration_hours = PostingForm.validate_duration_hours


class WhereStep(StepForm):
    """Ortsteil or postcode, how far, and whether by phone or online."""

    district = PostingForm.district
    postcode = PostingForm.postcode
    radius_km = PostingForm.radius_km
    is_remote_ok = PostingForm.is_remote_ok

    def setup(self, municipality, districts, kind):
        """The Kommune's Ortsteile."""
        setup_location(self, districts)
        self.municipality = municipality
        return super().setup(municipality, districts, kind)

    def validate(self, extra_validators=None) -> bool:
        """Also the place itself: an Ortsteil or a PLZ of this Kommune, as publishing checks it."""
        if not super().validate(extra_validators):
            return False
        values = location_values(self)
        try:
            resolve_location(self.municipality, values["district_id"], values["postcode"])
        except ExchangeError as error:
            attach_to_form(self, error)
            return False
        return True


class TextStep(StepForm):
    """Title and description; the pay per hour in the Taschengeldbörse."""

    title = PostingForm.title
    description = PostingForm.description
    pay_per_hour = PostingForm.pay_per_hour
    validate_pay_per_hour = PostingForm.validate_pay_per_hour


STEP_FORMS: dict[str, type[StepForm]] = {
    "kind": KindStep,
    "direction": DirectionStep,
    "category": CategoryStep,
    "when": WhenStep,
    "where": WhereStep,
    "text": TextStep,
}


class PublishForm(IdempotentFormMixin, FlaskForm):
    """The check page's button: which draft, and the token that makes a double click harmless."""

    draft = HiddenField()


def stored_form(step: str, data: dict, municipality, districts) -> StepForm:
    """The step's form filled with the draft's data as typed (no CSRF: nothing is sent)."""
    kind = data.get("kind")
    formdata = MultiDict({k: v for k, v in data.items() if v is not None})
    return STEP_FORMS[step](formdata=formdata, meta={"csrf": False}).setup(
        municipality, districts, kind
    )


def posted_form(step: str, data: dict, municipality, districts) -> StepForm:
    """The step's form from the request (with CSRF); the Börse from the draft or this form."""
    form = STEP_FORMS[step]()
    kind = form.kind.data if step == "kind" else data.get("kind")
    return form.setup(municipality, districts, kind)


def typed_values(form: StepForm, formdata) -> dict:
    """The step's fields as sent, unchecked (kept when going back); None for a missing one."""
    values = {}
    for name in form.field_names():
        value = formdata.get(name)
        values[name] = value[:MAX_KEPT] if isinstance(value, str) else None
    return values


def is_complete(step: str, data: dict, municipality, districts) -> bool:
    """True when the draft's data for step passes the step's checks."""
    return stored_form(step, data, municipality, districts).validate()


def first_missing(before: str, data: dict, municipality, districts) -> str | None:
    """The first step before `before` whose answers are missing or no longer valid."""
    for step in FORM_STEPS[: STEPS.index(before)]:
        if not is_complete(step, data, municipality, districts):
            return step
    return None


def step_of_field(field_name: str) -> str:
    """The step that asks for field_name (the first step for an unknown one)."""
    for step, form_class in STEP_FORMS.items():
        if isinstance(getattr(form_class, field_name, None), UnboundField):
            return step
    return STEPS[0]


def posting_values(data: dict, municipality, districts) -> dict | None:
    """The cleaned values for create_posting from a complete draft, or None if one is invalid."""
    kind = data.get("kind")
    formdata = MultiDict(
        {k: v for k, v in data.items() if v is not None and (k == "kind" or applies(k, kind))}
    )
    form = PostingForm(formdata=formdata, meta={"csrf": False}).setup(municipality, districts)
    if not form.validate():
        return None
    return form.values()
