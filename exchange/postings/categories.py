"""The fixed, translatable categories and the other closed vocabularies of a posting."""

from dataclasses import dataclass

from ..i18n import _l
from .vocab import Direction, Kind, Status, Timing


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

# Label mappings for form choices and templates (keys compare equal to the stored strings).
KINDS = Kind.labels()
KIND_SHORT = {kind: kind.short_label for kind in Kind}
DIRECTIONS = Direction.labels()
TIMINGS = Timing.labels()
STATUSES = Status.labels()
