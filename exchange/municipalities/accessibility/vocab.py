"""The closed vocabularies of the accessibility statement."""

from ...core.vocabulary import Vocabulary
from ...i18n import _l


class Conformance(Vocabulary):
    """How far the website meets the requirements (Stand der Vereinbarkeit)."""

    FULL = "full", _l("fully compliant")
    PARTIAL = "partial", _l("partially compliant")
    NONE = "none", _l("not compliant")


class EvaluationMethod(Vocabulary):
    """How the statement's findings were reached (EU 2018/1523, Art. 3)."""

    SELF = "self", _l("Self-assessment")
    EXTERNAL = "external", _l("Evaluation by an external body")
