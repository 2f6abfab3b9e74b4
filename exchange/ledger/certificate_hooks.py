"""Proofs and thanks in a person's erasure (connected when the app is built).

Her proofs stay checkable as revoked, under the pseudonym, so that a printed copy does not keep
vouching for a deleted account; the thanks she wrote or received go (they are her words, or
about her help).
"""

from __future__ import annotations

from sqlalchemy import delete, or_, update

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
