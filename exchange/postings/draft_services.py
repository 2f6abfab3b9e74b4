"""Writes and reads for drafts: start or resume, keep a step's answers, publish, discard, prune.

Never commits. A draft belongs to its author (the proxy, while an admin acts for her); every
lookup is by author and Kommune, so another person's or another Kommune's draft is a 404.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from ..accounts.models import User
from ..errors import NotAllowed, NotFound
from ..extensions import db
from ..i18n import _
from ..municipalities.models import Municipality
from ..timeutil import utcnow
from . import services
from .draft_forms import STEPS
from .draft_models import PostingDraft
from .models import Posting

# A draft nobody touched for this long is erased by the daily job.
DRAFT_KEEP_DAYS = 30


def own_draft(draft_id: int, user: User, municipality: Municipality) -> PostingDraft:
    """The user's draft in this Kommune; NotFound (a 404) for anyone else's or another Kommune's."""
    draft = db.session.get(PostingDraft, draft_id)
    if draft is None or draft.municipality_id != municipality.id or draft.author_id != user.id:
        raise NotFound(_("This draft does not exist."))
    return draft


def drafts_of(user: User) -> list[PostingDraft]:
    """The user's unfinished postings, last changed first (all in her own Kommune)."""
    return list(
        db.session.scalars(
            select(PostingDraft)
            .where(
                PostingDraft.author_id == user.id,
                PostingDraft.municipality_id == user.municipality_id,
            )
            .order_by(PostingDraft.updated_at.desc(), PostingDraft.id.desc())
        )
    )


def start_draft(
    user: User, municipality: Municipality, preset: dict, acting_admin_id: int | None = None
) -> PostingDraft:
    """A draft to write in: an untouched one of hers is reused, else a new one.

    preset holds answers a link already gives (the Börse, Gesuch or Angebot).
    """
    if user.municipality_id != municipality.id:
        raise NotAllowed(_("You can only post in your own municipality."))
    draft = db.session.scalar(
        select(PostingDraft)
        .where(
            PostingDraft.author_id == user.id,
            PostingDraft.municipality_id == municipality.id,
            PostingDraft.step == STEPS[0],
        )
        .order_by(PostingDraft.id.desc())
        .limit(1)
    )
    if draft is None or draft.data:
        draft = PostingDraft(
            municipality_id=municipality.id, author_id=user.id, step=STEPS[0], data={}
        )
        db.session.add(draft)
    draft.acting_admin_id = acting_admin_id
    draft.data = dict(preset)
    draft.updated_at = utcnow()
    db.session.flush()
    return draft


def keep_answers(draft: PostingDraft, values: dict, reached: str | None = None) -> None:
    """Store a step's answers as typed (None: not given) and, going on, the step reached."""
    data = dict(draft.data or {})
    for name, value in values.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    draft.data = data  # a new dict, so that the JSON column is written
    if reached is not None and STEPS.index(reached) > STEPS.index(draft.step):
        draft.step = reached
    draft.updated_at = utcnow()
    db.session.flush()


def publish(draft: PostingDraft, actor: User, municipality: Municipality, values: dict) -> Posting:
    """Create the posting from the draft's checked values (matching, notifications) and drop it."""
    posting = services.create_posting(actor, municipality, values)
    db.session.delete(draft)
    db.session.flush()
    return posting


def discard(draft: PostingDraft) -> None:
    """Throw the draft away."""
    db.session.delete(draft)
    db.session.flush()


def prune_drafts(now: datetime | None = None) -> int:
    """Erase drafts untouched for DRAFT_KEEP_DAYS; the number erased. A daily job."""
    cutoff = (now or utcnow()) - timedelta(days=DRAFT_KEEP_DAYS)
    result = db.session.execute(
        delete(PostingDraft)
        .where(PostingDraft.updated_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
