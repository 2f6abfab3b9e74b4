"""The closed vocabularies of the record of help."""

from ..core.vocabulary import Vocabulary
from ..i18n import _l


class Outcome(Vocabulary):
    """What came of a posting."""

    HELPED = "helped", _l("The help took place")
    NOT_HAPPENED = "not_happened", _l("It did not come about")


class RecordStatus(Vocabulary):
    """Where a help record stands."""

    REPORTED = "reported", _l("Waiting for the helper's confirmation")
    CONFIRMED = "confirmed", _l("Confirmed")
    DISPUTED = "disputed", _l("Hours disputed")
    NOT_HAPPENED = "not_happened", _l("Did not come about")
