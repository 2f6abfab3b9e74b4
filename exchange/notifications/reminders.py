"""Reminders sent by the daily job (`flask exchange daily`), and dated postings leaving the board.

- The day before a dated job (Europe/Berlin), the chosen helper and the author get a mail.
- EXPIRY_NOTICE_DAYS before an open posting expires, its author gets a mail with a link to
  extend it in one step (a signed token: GET shows a page, only the POST extends).
- Open postings whose date has passed leave the board (expires_at = now; the flush raises the
  Kommune's board version, so cached guest pages drop them).

Each reminder is recorded in ReminderSent before its mail is queued, in the same transaction:
a rerun the same day sends nothing again. Proxy accounts (no e-mail) are skipped: the town hall
sees their jobs in its own lists.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from ..accounts.models import User
from ..errors import ExchangeError
from ..extensions import db
from ..i18n import _, _l
from ..mail.services import queue_email
from ..messaging.models import Conversation
from ..postings.models import Posting
from ..postings.services import extend_posting
from ..postings.vocab import OPEN_STATUSES, Status, Timing
from ..timeutil import utcnow
from .models import ReminderSent

EXPIRY_NOTICE_DAYS = 3
EXTEND_PREFIX = "/eintrag/verlaengern/"
_EXTEND_SALT = "extend-posting"
_EXTEND_MAX_AGE = (EXPIRY_NOTICE_DAYS + 4) * 86400


def local_today(now: datetime | None = None) -> date:
    """Today in the configured time zone (Europe/Berlin)."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Berlin"))
    return (now or utcnow()).astimezone(zone).date()


def _claim(key: str, posting_id: int) -> bool:
    """Record that the reminder key is sent now; False when it was sent before."""
    if db.session.scalar(select(ReminderSent.id).where(ReminderSent.key == key)) is not None:
        return False
    db.session.add(ReminderSent(key=key, posting_id=posting_id, sent_at=utcnow()))
    db.session.flush()
    return True


def _mailable(user: User | None) -> bool:
    # is_active: not blocked, approved, no proxy, no young person still waiting for a parent.
    return user is not None and user.is_active and bool(user.email) and user.has_email_notifications


def send_job_reminders(now: datetime | None = None) -> int:
    """Mail the chosen helper and the author of every job that takes place tomorrow.

    The day is the one agreed in the conversation, else the posting's date; the start time
    likewise. Returns the number of mails queued.
    """
    tomorrow = local_today(now) + timedelta(days=1)
    day = func.coalesce(Conversation.agreed_on, Posting.on_date)
    rows = db.session.execute(
        select(Conversation, Posting)
        .join(Posting, Conversation.posting_id == Posting.id)
        .where(
            Conversation.is_assigned.is_(True),
            Posting.status == Status.ASSIGNED,
            day == tomorrow,
        )
        .order_by(Conversation.id)
    ).all()
    sent = 0
    for conversation, posting in rows:
        if not _claim(f"job:{conversation.id}:{tomorrow.isoformat()}", posting.id):
            continue
        start = conversation.agreed_start or posting.start_time
        for recipient, other in (
            (conversation.author, conversation.responder),
            (conversation.responder, conversation.author),
        ):
            if not _mailable(recipient):
                continue
            queue_email(
                recipient.email,
                recipient.locale,
                _l("Reminder: “%(title)s” is tomorrow", title=posting.title),
                "email/job_reminder.txt",
                recipient=recipient,
                municipality=recipient.municipality,
                title=posting.title,
                day=tomorrow,
                start=start,
                other_name=other.short_name if other else None,
                link=f"/me/messages/{conversation.id}",
            )
            sent += 1
    return sent


def _extend_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_EXTEND_SALT)


def extend_token(posting: Posting) -> str:
    """A token that extends posting once: it names the expiry it was made for."""
    return _extend_serializer().dumps({"p": posting.id, "x": int(posting.expires_at.timestamp())})


def extend_path(token: str) -> str:
    """The path of reminders.extend, built by hand: the daily command has no request."""
    return f"{EXTEND_PREFIX}{token}"


def send_expiry_reminders(now: datetime | None = None) -> int:
    """Tell authors whose open posting expires within EXPIRY_NOTICE_DAYS days; once per expiry."""
    now = now or utcnow()
    postings = db.session.scalars(
        select(Posting)
        .where(
            Posting.status.in_(OPEN_STATUSES),
            Posting.is_author_blocked.is_(False),
            Posting.expires_at > now,
            Posting.expires_at <= now + timedelta(days=EXPIRY_NOTICE_DAYS),
        )
        .order_by(Posting.id)
    ).all()
    sent = 0
    for posting in postings:
        author = posting.author
        if not _mailable(author):
            continue
        if not _claim(f"expiry:{posting.id}:{int(posting.expires_at.timestamp())}", posting.id):
            continue
        queue_email(
            author.email,
            author.locale,
            _l("Your posting “%(title)s” expires soon", title=posting.title),
            "email/expiry_reminder.txt",
            recipient=author,
            municipality=author.municipality,
            title=posting.title,
            expires_at=posting.expires_at,
            link=extend_path(extend_token(posting)),
            secret=True,
        )
        sent += 1
    return sent


def posting_of_extend_token(token: str) -> Posting:
    """The posting a token may still extend; refuses used, stale or forged tokens."""
    invalid = ExchangeError(
        _("This link is not valid. It may be used already, mistyped or too old.")
    )
    try:
        data = _extend_serializer().loads(token, max_age=_EXTEND_MAX_AGE)
    except (BadSignature, SignatureExpired):
        raise invalid from None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        raise invalid
    posting = db.session.get(Posting, data["p"])
    if (
        posting is None
        or int(posting.expires_at.timestamp()) != data.get("x")
        or posting.status not in OPEN_STATUSES
        or posting.is_author_blocked
    ):
        raise invalid
    return posting


def extend_by_token(token: str) -> Posting:
    """Extend the posting a token names (as its author); the token is used up by it."""
    posting = posting_of_extend_token(token)
    extend_posting(posting, posting.author)
    return posting


def remove_past_dated_postings(now: datetime | None = None) -> int:
    """Take open postings whose date has passed off the board (they expire now)."""
    now = now or utcnow()
    today = local_today(now)
    postings = db.session.scalars(
        select(Posting).where(
            Posting.status.in_(OPEN_STATUSES),
            Posting.timing == Timing.DATE,
            Posting.on_date < today,
            Posting.expires_at > now,
        )
    ).all()
    for posting in postings:
        posting.expires_at = now
    db.session.flush()
    return len(postings)
