"""Writes for postings: create, edit, close, reopen, extend, assign, done. Never commits."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select, update

from ..accounts.models import User
from ..core.signals import posting_published, posting_reopened
from ..errors import ExchangeError, InvalidState, NotAllowed
from ..extensions import db
from ..i18n import _
from ..municipalities.location import resolve_location
from ..municipalities.models import Municipality
from ..timeutil import utcnow
from ..youth import rules
from ..youth.queries import policy_for
from . import board_cache
from .categories import CATEGORY_BY_KEY, DIRECTIONS, KINDS, TIMINGS
from .models import Posting, adult_on_if_minor
from .vocab import ACTIVE_STATUSES, EDITABLE_STATUSES, OPEN_STATUSES, Direction, Status, Timing


def _lifetime() -> timedelta:
    return timedelta(days=current_app.config["POSTING_LIFETIME_DAYS"])


def _check_values(municipality: Municipality, values: dict) -> None:
    if values["direction"] not in DIRECTIONS:
        raise ExchangeError(_("Choose whether you ask for or offer help."), "direction")
    if values["kind"] not in KINDS or values["kind"] not in municipality.enabled_kinds:
        raise ExchangeError(_("Choose an exchange."), "kind")
    if values["category"] not in CATEGORY_BY_KEY:
        raise ExchangeError(_("Choose a category."), "category")
    if values["timing"] not in TIMINGS:
        raise ExchangeError(_("Choose when."), "timing")


def _ensure_member(actor: User, municipality: Municipality) -> None:
    if actor.municipality_id != municipality.id:
        raise NotAllowed(_("You can only post in your own municipality."))


def ensure_author(posting: Posting, actor: User) -> None:
    """Only the author may change a posting."""
    if actor is None or posting.author_id != actor.id:
        raise NotAllowed(_("Only the author can change this posting."))


def _apply(posting: Posting, municipality: Municipality, values: dict) -> None:
    _check_values(municipality, values)
    district, postcode, point = resolve_location(
        municipality, values["district_id"], values["postcode"]
    )
    values = {"start_time": None, "duration_minutes": None, **values}
    for key in (
        "direction",
        "kind",
        "category",
        "title",
        "description",
        "timing",
        "on_date",
        "recurrence",
        "start_time",
        "duration_minutes",
        "pay_per_hour_cents",
        "radius_km",
        "is_remote_ok",
    ):
        setattr(posting, key, values[key])
    # Without a radius of its own a posting takes its Kommune's default when it is matched
    # (Municipality.default_radius_km), which follows the admins' setting.
    posting.district_id = district.id if district else None
    posting.postcode = postcode
    posting.latitude = point.latitude
    posting.longitude = point.longitude
    posting.is_adults_only = bool(job_limits_of(posting, municipality)[0])


def job_of(values) -> rules.Job:
    """The job a posting (or a draft's values) describes, for the youth rules."""
    return rules.Job(
        kind=values.kind,
        category=values.category,
        on_date=values.on_date if values.timing == Timing.DATE else None,
        start=values.start_time,
        minutes=values.duration_minutes,
    )


def job_limits_of(values, municipality: Municipality, today: date | None = None):
    """(why no young person, why no child may do it) for a request's job; ([], []) otherwise.

    Only a job someone asks for is done by a helper who answers; an offer's helper is its
    author, whom her own rules cover when she is chosen. values: a Posting or its values.
    """
    if values.kind != rules.TASCHENGELD or values.direction != Direction.REQUEST:
        return [], []
    return rules.job_limits(policy_for(municipality), job_of(values), today or date.today())


def recompute_adults_only(municipality: Municipality, today: date | None = None) -> int:
    """Mark the Kommune's active Taschengeld requests again after its youth policy changed.

    A posting's mark is otherwise set when it is saved. One read of the policy, then the
    active requests of the Taschengeldbörse (a Kommune's handful); the number changed.
    """
    policy = policy_for(municipality)
    day = today or date.today()
    changed = 0
    postings = db.session.scalars(
        select(Posting).where(
            Posting.municipality_id == municipality.id,
            Posting.kind == rules.TASCHENGELD,
            Posting.direction == Direction.REQUEST,
            Posting.status.in_(ACTIVE_STATUSES),
        )
    )
    for posting in postings:
        flag = bool(rules.job_limits(policy, job_of(posting), day)[0])
        if posting.is_adults_only != flag:
            posting.is_adults_only = flag
            changed += 1
    db.session.flush()
    return changed


def create_posting(actor: User, municipality: Municipality, values: dict) -> Posting:
    """Publish a new request or offer by actor in their Kommune."""
    _ensure_member(actor, municipality)
    now = utcnow()
    posting = Posting(
        author_adult_on=adult_on_if_minor(actor.birth_date),
        municipality_id=municipality.id,
        author_id=actor.id,
        status=Status.OPEN,
        created_at=now,
        expires_at=now + _lifetime(),
        is_author_blocked=actor.is_blocked,
    )
    _apply(posting, municipality, values)
    db.session.add(posting)
    db.session.flush()
    _notify(posting)
    return posting


def update_posting(posting: Posting, actor: User, values: dict) -> Posting:
    """Change a posting's text, place and timing."""
    ensure_author(posting, actor)
    if posting.status not in EDITABLE_STATUSES:
        raise InvalidState(_("This posting can no longer be changed."))
    _apply(posting, posting.municipality, values)
    posting.author_adult_on = adult_on_if_minor(actor.birth_date)
    db.session.flush()
    return posting


def close_posting(posting: Posting, actor: User) -> None:
    """Take a posting off the board."""
    ensure_author(posting, actor)
    if posting.status not in ACTIVE_STATUSES:
        raise InvalidState(_("This posting is not open."))
    posting.status = Status.CLOSED
    db.session.flush()


def reopen_posting(posting: Posting, actor: User) -> None:
    """Put a closed, assigned or expired posting back on the board for eight more weeks."""
    ensure_author(posting, actor)
    expired_but_open = posting.status in OPEN_STATUSES and posting.is_expired()
    if posting.status not in (Status.CLOSED, Status.ASSIGNED) and not expired_but_open:
        raise InvalidState(_("This posting cannot be reopened."))
    posting.status = Status.OPEN
    posting.expires_at = utcnow() + _lifetime()
    # Messaging clears the chosen helper (one statement, so a choice committed meanwhile too).
    posting_reopened.send(posting)
    db.session.expire_all()
    _notify(posting)


def extend_posting(posting: Posting, actor: User) -> None:
    """Keep a posting for another eight weeks from today."""
    ensure_author(posting, actor)
    if posting.status not in ACTIVE_STATUSES:
        raise InvalidState(_("Only open postings can be extended."))
    posting.expires_at = utcnow() + _lifetime()
    db.session.flush()


def _notify(posting: Posting) -> None:
    """Tell the people whose postings or saved searches fit (matching, same transaction)."""
    posting_published.send(posting)


def update_rows(statement) -> int:
    """Run a conditional UPDATE in this transaction; the number of rows it changed.

    On the connection, so that the board cache's hook for bulk ORM statements (which cannot
    know the Kommune and so invalidates all) stays out; callers touch their Kommune instead.
    """
    db.session.flush()
    return db.session.connection().execute(statement).rowcount


def mark_done(posting: Posting, actor: User) -> None:
    """The help has happened."""
    ensure_author(posting, actor)
    if posting.status not in ACTIVE_STATUSES:
        raise InvalidState(_("This posting is not open."))
    posting.status = Status.DONE
    db.session.flush()


def mark_author_blocked(author: User, is_blocked: bool) -> int:
    """Take all of a blocked account's postings off the board, or bring them back; how many.

    The flag on each posting is what the board, its search and its count filter on, so the
    guest board never reads user_account. Same transaction as the blocking; the Kommune's board
    version goes up, so cached guest pages drop (or show again) her postings.
    """
    table = Posting.__table__
    changed = update_rows(
        update(table)
        .where(table.c.author_id == author.id, table.c.is_author_blocked != is_blocked)
        .values(is_author_blocked=is_blocked)
    )
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Posting) and obj.author_id == author.id:
            db.session.expire(obj, ["is_author_blocked"])
    board_cache.touch(db.session, author.municipality_id)
    return changed
