"""The closed vocabularies of an account: role and how matches are e-mailed."""

from ..core.vocabulary import Vocabulary
from ..i18n import _l


class Role(Vocabulary):
    """What a person may do: residents use the exchange, admins run a Kommune, operators all."""

    RESIDENT = "resident", _l("Resident")
    ADMIN = "admin", _l("Admin")
    SUPERADMIN = "superadmin", _l("Operator")


# Staff: may enter a Kommune's admin area (an admin only their own Kommune's).
STAFF_ROLES = frozenset({Role.ADMIN, Role.SUPERADMIN})


class MatchEmailFrequency(Vocabulary):
    """How a person is told of matches by e-mail."""

    IMMEDIATE = "immediate", _l("At once")
    DAILY = "daily", _l("Once a day, all together")
    NEVER = "never", _l("Never (I look on the website)")
