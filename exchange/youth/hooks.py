"""Parents' consent records in a young person's export and erasure (connected by the app factory).

A consent record proves that the town hall had the parents' consent when it sent her to a job,
so on erasure it is not deleted at once: it loses its link to her account (user_id NULL) and is
kept for the Kommune's consent retention period (EngagementSettings.consent_retention_years,
pruned by the daily job), as the privacy text says.
"""

from __future__ import annotations

from sqlalchemy import select, update

from ..core import signals
from ..extensions import db
from ..timeutil import utcnow
from .models import ParentalConsent


@signals.account_erasing.connect
def _unlink_her_consent_records(user, **_kw) -> None:
    db.session.execute(
        update(ParentalConsent)
        .where(ParentalConsent.user_id == user.id)
        .values(user_id=None, unlinked_at=utcnow())
        .execution_options(synchronize_session=False)
    )


@signals.export_requested.connect
def _export_her_consent_records(user, **_kw) -> tuple[dict, set]:
    rows = db.session.scalars(
        select(ParentalConsent)
        .where(ParentalConsent.user_id == user.id)
        .order_by(ParentalConsent.id)
    ).all()
    sections = {
        "parental_consents": [
            {
                "signed_on": row.signed_on.isoformat(),
                "signed_by": row.signed_by,
                "taken_by": row.taken_by,
                "recorded_at": row.recorded_at.isoformat(),
                "withdrawn_on": row.withdrawn_on.isoformat() if row.withdrawn_on else None,
            }
            for row in rows
        ]
    }
    return sections, {"parental_consent"}
