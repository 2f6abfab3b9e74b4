"""The closed vocabularies of a posting: status, direction, Börse (kind) and timing."""

from ..core.vocabulary import Vocabulary
from ..i18n import _l
from ..municipalities.vocab import Kind

__all__ = [
    "ACTIVE_STATUSES",
    "EDITABLE_STATUSES",
    "OPEN_STATUSES",
    "Direction",
    "Kind",
    "Status",
    "Timing",
]


class Status(Vocabulary):
    """Where a posting stands. "Expired" is no status: it is an open posting past expires_at."""

    OPEN = "open", _l("Open")
    IN_CONTACT = "in_contact", _l("In contact")
    ASSIGNED = "assigned", _l("Assigned")
    DONE = "done", _l("Done")
    CLOSED = "closed", _l("Closed")
    HIDDEN = "hidden", _l("Hidden")


# Still looking for someone: shown on the board and matched (until expires_at).
OPEN_STATUSES = frozenset({Status.OPEN, Status.IN_CONTACT})
# The author may still assign, close or mark done.
ACTIVE_STATUSES = frozenset({Status.OPEN, Status.IN_CONTACT, Status.ASSIGNED})
# Everything but the final states (done, hidden by a moderator) can be edited.
EDITABLE_STATUSES = frozenset({Status.OPEN, Status.IN_CONTACT, Status.ASSIGNED, Status.CLOSED})


class Direction(Vocabulary):
    """Gesuch or Angebot."""

    REQUEST = "request", _l("Request")
    OFFER = "offer", _l("Offer")

    @property
    def opposite(self) -> "Direction":
        """The direction that answers this one."""
        return Direction.OFFER if self is Direction.REQUEST else Direction.REQUEST


class Timing(Vocabulary):
    """When the help is wanted or offered."""

    FLEXIBLE = "flexible", _l("Flexible")
    DATE = "date", _l("On a date")
    RECURRING = "recurring", _l("Recurring")
