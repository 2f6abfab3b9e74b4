"""The Börsen a Kommune can run (the kind of a posting)."""

from ..core.vocabulary import Vocabulary
from ..i18n import _l


class Kind(Vocabulary):
    """Börse: which of the four exchanges a posting belongs to."""

    TASCHENGELD = "taschengeld", _l("Taschengeldbörse (small paid jobs)"), _l("Taschengeldbörse")
    ZEITSPENDE = "zeitspende", _l("Zeitspende (donated time)"), _l("Zeitspende")
    TAUSCH = "tausch", _l("Tauschbörse (barter)"), _l("Tauschbörse")
    EHRENAMT = "ehrenamt", _l("Ehrenamt (volunteering)"), _l("Ehrenamt")
