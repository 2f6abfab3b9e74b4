"""Tell people about new postings that fit theirs or their saved searches. Never commits."""

from __future__ import annotations

import json
from datetime import date

from flask_babel.speaklater import LazyString
from sqlalchemy import select

from ..accounts.models import User
from ..accounts.vocab import MatchEmailFrequency
from ..extensions import db
from ..geo import Point, haversine_km, rounded_km
from ..i18n import _l
from ..mail.services import queue_email
from ..notifications.models import Notification, SavedSearch
from ..postings.contact_mask import mask_text
from ..postings.models import Posting
from ..postings.vocab import Direction
from ..timeutil import utcnow
from ..youth import rules
from . import queries as matching

MAX_MATCHES_NOTIFIED = 50


def _already_told(user_ids: set[int], posting: Posting) -> set[int]:
    if not user_ids:
        return set()
    return set(
        db.session.scalars(
            select(Notification.user_id).where(
                Notification.posting_id == posting.id, Notification.user_id.in_(user_ids)
            )
        )
    )


def saved_searches_for(posting: Posting) -> list[tuple[SavedSearch, float]]:
    """Saved searches of other people that posting fits, with the distance to their place."""
    rows = db.session.execute(
        select(SavedSearch, User.birth_date, User.is_full_time_pupil)
        .join(User, User.id == SavedSearch.user_id)
        .where(
            SavedSearch.municipality_id == posting.municipality_id,
            SavedSearch.direction == posting.direction,
            SavedSearch.user_id != posting.author_id,
        )
    ).all()
    found = []
    minors: dict[int, tuple] = {}
    today = utcnow().date()
    for search, birth_date, is_pupil in rows:
        if search.kind and search.kind != posting.kind:
            continue
        if search.category and search.category != posting.category:
            continue
        distance = haversine_km(Point(search.latitude, search.longitude), posting.point)
        if distance <= search.radius_km:
            found.append((search, distance))
            if birth_date is not None and rules.Helper(birth_date).is_minor_on(today):
                minors[search.user_id] = (birth_date, is_pupil)
    if minors and posting.direction == Direction.REQUEST:
        # A young person is not told of a job she may not answer (youth rules, A.4).
        consented = matching.consented_ids(minors)
        policy = matching.youth_policies({posting.municipality_id}).get(posting.municipality_id)
        refused = {
            user_id
            for user_id, (birth_date, is_pupil) in minors.items()
            if rules.check(
                policy or rules.Policy(),
                rules.Helper(birth_date, is_pupil=is_pupil, has_consent=user_id in consented),
                _job(posting),
                today=today,
            )
        }
        found = [(s, d) for s, d in found if s.user_id not in refused]
    return found


def _job(posting: Posting) -> rules.Job:
    return rules.Job(
        kind=posting.kind,
        category=posting.category,
        on_date=posting.on_date,
        start=posting.start_time,
        minutes=posting.duration_minutes,
    )


def notify_about(posting: Posting) -> list[Notification]:
    """Notify authors of matching postings and owners of matching saved searches, once each."""
    if not posting.is_on_board():
        return []
    targets: dict[int, dict] = {}
    for match, other in matching.matches_for(posting, limit=MAX_MATCHES_NOTIFIED):
        targets.setdefault(
            other.author_id,
            {"own_posting_id": other.id, "saved_search_id": None, "reasons": match.reasons},
        )
    for search, distance in saved_searches_for(posting):
        targets.setdefault(
            search.user_id,
            {
                "own_posting_id": None,
                "saved_search_id": search.id,
                "reasons": (("saved_search", {}), ("distance", {"km": rounded_km(distance)})),
            },
        )
    targets.pop(posting.author_id, None)
    for user_id in _already_told(set(targets), posting):
        targets.pop(user_id)
    created = []
    now = utcnow()
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(set(targets))))}
    for user_id, target in targets.items():
        note = Notification(
            user_id=user_id,
            municipality_id=posting.municipality_id,
            posting_id=posting.id,
            own_posting_id=target["own_posting_id"],
            saved_search_id=target["saved_search_id"],
            reasons_json=json.dumps([list(r) for r in target["reasons"]]),
            created_at=now,
        )
        db.session.add(note)
        created.append(note)
        user = users[user_id]
        if _wants_mail_now(user):
            _mail_one(user, posting, note)
            note.emailed_at = now
    db.session.flush()
    return created


def _wants_mail_now(user: User) -> bool:
    return (
        bool(user.email)
        and not user.is_proxy
        and user.match_email_frequency == MatchEmailFrequency.IMMEDIATE
    )


def _link(posting: Posting) -> str:
    # The stable URL of DESIGN.md §8, built by hand so that the digest command needs no request.
    return f"/k/{posting.municipality.slug}/postings/{posting.id}"


def _mail_one(user: User, posting: Posting, note: Notification) -> None:
    queue_email(
        user.email,
        user.locale,
        # Masked in the recipient's language, when queue_email translates the subject.
        _l("Something new fits: “%(title)s”", title=LazyString(mask_text, posting.title)),
        "email/match.txt",
        user=user,
        municipality=user.municipality,
        items=[(posting, note.reasons, _link(posting))],
    )


def send_digests(today: date | None = None) -> int:
    """Queue one e-mail per daily-digest user with all their notifications not yet e-mailed."""
    pending = db.session.scalars(
        select(Notification)
        .join(User, Notification.user_id == User.id)
        .where(
            Notification.emailed_at.is_(None),
            User.match_email_frequency == MatchEmailFrequency.DAILY,
        )
        .where(User.email.is_not(None))
        .order_by(Notification.user_id, Notification.id)
    ).all()
    by_user: dict[int, list[Notification]] = {}
    for note in pending:
        by_user.setdefault(note.user_id, []).append(note)
    now = utcnow()
    for notes in by_user.values():
        user = db.session.get(User, notes[0].user_id)
        items = [(n.posting, n.reasons, _link(n.posting)) for n in notes if n.posting]
        if items:
            queue_email(
                user.email,
                user.locale,
                _l("Your daily overview: new postings that fit"),
                "email/match.txt",
                user=user,
                municipality=user.municipality,
                items=items,
            )
        for note in notes:
            note.emailed_at = now
    db.session.flush()
    return len(by_user)
