"""Proofs and thanks in a person's export and erasure (connected when the app is built).

Her proofs stay checkable as revoked, under the pseudonym, so that a printed copy does not keep
vouching for a deleted account; the thanks she wrote or received go (they are her words, or
about her help).
"""

from __future__ import annotations

from sqlalchemy import delete, or_, select, update

from ..core import signals
from ..extensions import db
from .models import Certificate, Thanks


@signals.account_erasing.connect
def _revoke_her_proofs(user, pseudonym="", **_kw) -> None:
    db.session.execute(
        update(Certificate)
        .where(Certificate.user_id == user.id)
        .values(user_id=None, holder_name=(pseudonym or "")[:80], is_revoked=True)
    )
    db.session.execute(
        delete(Thanks).where(or_(Thanks.author_id == user.id, Thanks.helper_id == user.id))
    )


@signals.export_requested.connect
def _export_her_proofs_and_thanks(user, **_kw) -> tuple[dict, set]:
    proofs = db.session.scalars(
        select(Certificate).where(Certificate.user_id == user.id).order_by(Certificate.id)
    ).all()
    thanks = db.session.scalars(
        select(Thanks)
        .where(or_(Thanks.author_id == user.id, Thanks.helper_id == user.id))
        .order_by(Thanks.id)
    ).all()
    sections = {
        "engagement_proofs": [
            {
                "year": proof.year,
                "code": proof.code,
                "holder_name": proof.holder_name,
                "total_minutes": proof.total_minutes,
                "issued_at": proof.issued_at.isoformat(),
                "is_revoked": proof.is_revoked,
            }
            for proof in proofs
        ],
        "thanks": [
            {
                "written_by_me": row.author_id == user.id,
                "body": row.body,
                "created_at": row.created_at.isoformat(),
                "is_on_certificate": row.is_on_certificate,
                "is_hidden": row.is_hidden,
            }
            for row in thanks
        ],
    }
    return sections, {"certificate", "thanks"}
