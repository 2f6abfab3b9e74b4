"""The insurance and Minijob notice shown with a Kommune's Taschengeldbörse rules."""

from __future__ import annotations

from ..i18n import _
from .models import YouthPolicy


def default_insurance_notice() -> str:
    """What a Kommune says about insurance and Minijobs while its admin has written nothing."""
    return _(
        "The Taschengeldbörse only brings people together: the agreement is between the job "
        "provider and the young person. Damage a young person causes during a job is usually "
        "covered by the parents' private liability insurance; please check this beforehand. "
        "Occasional pocket-money jobs are free of tax and social insurance contributions; "
        "whoever helps in a household regularly registers the help as a Minijob "
        "(Haushaltsscheck of the Minijob-Zentrale)."
    )


def insurance_notice(row: YouthPolicy | None) -> str:
    """The Kommune's own notice, or the default one in the reader's language."""
    text = (row.insurance_notice or "").strip() if row is not None else ""
    return text or default_insurance_notice()
