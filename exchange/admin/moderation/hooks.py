"""Reports in a person's export and erasure (connected when the app is built)."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from ...accounts.export import rows_of
from ...core import signals
from ...extensions import db
from ...ledger.models import Thanks
from ...postings.models import Posting
from .models import Report


@signals.account_unlinking.connect
def _drop_reports_of_her_postings(user, **_kw) -> None:
    posting_ids = select(Posting.id).where(Posting.author_id == user.id)
    db.session.execute(delete(Report).where(Report.posting_id.in_(posting_ids)))
    # Her thanks, written or received, go with her (ledger.certificate_hooks): their reports first.
    thanks_ids = select(Thanks.id).where(
        (Thanks.author_id == user.id) | (Thanks.helper_id == user.id)
    )
    db.session.execute(delete(Report).where(Report.thanks_id.in_(thanks_ids)))


@signals.account_erasing.connect
def _anonymise_reports(user, **_kw) -> None:
    # Reports she filed still count for moderation figures, but say nothing of or by her.
    db.session.execute(
        update(Report).where(Report.reporter_id == user.id).values(reporter_id=None, reason="")
    )


@signals.export_requested.connect
def _export_reports_filed(user, **_kw) -> tuple[dict, set]:
    sections = {
        "reports_filed": rows_of(
            # The outcome is the moderator's note on the other person: not hers to read.
            Report.__table__,
            Report.reporter_id == user.id,
            skip=("reporter_id", "resolved_by_id", "outcome"),
        ),
    }
    return sections, {"report"}
