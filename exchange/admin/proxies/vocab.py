"""The closed vocabularies of the town hall's work for residents without internet."""

from ...core.vocabulary import Vocabulary
from ...i18n import _l


class ConsentMethod(Vocabulary):
    """How a resident agreed to be registered by the town hall (DSGVO Art. 7)."""

    IN_PERSON = "in_person", _l("in person at the town hall")
    PHONE = "phone", _l("by phone")
    LETTER = "letter", _l("in writing")
