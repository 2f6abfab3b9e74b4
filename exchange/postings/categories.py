"""The fixed, translatable categories and the other closed vocabularies of a posting."""

from dataclasses import dataclass

from ..i18n import _l


@dataclass(frozen=True)
class Category:
    """A posting category; is_light_work marks work allowed for minors (KindArbSchV §2)."""

    key: str
    label: object
    is_light_work: bool


CATEGORIES = (
    Category("shopping", _l("Shopping & errands"), True),
    Category("household", _l("Household"), True),
    Category("garden", _l("Garden"), True),
    Category("repairs", _l("Repairs & crafts"), False),
    Category("technology", _l("Technology & computers"), True),
    Category("company", _l("Company & visits"), True),
    Category("transport", _l("Transport"), False),
    Category("paperwork", _l("Paperwork & authorities"), False),
    Category("learning", _l("Learning & tutoring"), True),
    Category("childcare", _l("Childcare"), True),
    Category("pets", _l("Pets"), True),
    Category("other", _l("Other"), False),
)
CATEGORY_BY_KEY = {c.key: c for c in CATEGORIES}

KINDS = {
    "taschengeld": _l("Taschengeldbörse (small paid jobs)"),
    "zeitspende": _l("Zeitspende (donated time)"),
    "tausch": _l("Tauschbörse (barter)"),
    "ehrenamt": _l("Ehrenamt (volunteering)"),
}
KIND_SHORT = {
    "taschengeld": _l("Taschengeldbörse"),
    "zeitspende": _l("Zeitspende"),
    "tausch": _l("Tauschbörse"),
    "ehrenamt": _l("Ehrenamt"),
}
DIRECTIONS = {"request": _l("Request"), "offer": _l("Offer")}
DIRECTIONS_PLURAL = {"request": _l("Requests"), "offer": _l("Offers")}
TIMINGS = {
    "flexible": _l("Flexible"),
    "date": _l("On a date"),
    "recurring": _l("Recurring"),
}
STATUSES = {
    "open": _l("Open"),
    "in_contact": _l("In contact"),
    "assigned": _l("Assigned"),
    "done": _l("Done"),
    "closed": _l("Closed"),
    "hidden": _l("Hidden"),
}
