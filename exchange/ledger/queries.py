"""Reads of the record of help: who may report and confirm, lists, and totals from the ledger.

Every balance and total is a sum over ledger entries; nothing is stored twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import extract, func, literal_column, or_, select
from sqlalchemy.orm import aliased, joinedload

from ..accounts.models import User
from ..extensions import db
from ..messaging.models import Conversation
from ..municipalities.models import Municipality
from ..postings.models import Posting
from ..postings.vocab import Direction
from ..timeutil import utcnow
from .models import EngagementSettings, HelpRecord, LedgerEntry
from .vocab import RecordStatus

DEFAULT_LEDGER_RETENTION_YEARS = 10
DEFAULT_CONSENT_RETENTION_YEARS = 3


def local_today(now: datetime | None = None) -> date:
    """Today in the Kommunen's time zone (Europe/Berlin), by the app's clock."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return (now or utcnow()).astimezone(zone).date()


def record_of_posting(posting: Posting) -> HelpRecord | None:
    """The help record written when the posting was closed, if any."""
    return db.session.scalar(
        select(HelpRecord).where(HelpRecord.posting_id == posting.id).order_by(HelpRecord.id)
    )


def people_who_answered(posting: Posting) -> list[Conversation]:
    """The posting's conversations with someone still there, the chosen helper first."""
    return list(
        db.session.scalars(
            select(Conversation)
            .options(joinedload(Conversation.responder))
            .where(Conversation.posting_id == posting.id, Conversation.responder_id.is_not(None))
            .order_by(Conversation.is_assigned.desc(), Conversation.created_at, Conversation.id)
        )
    )


def sides(posting: Posting, conversation: Conversation) -> tuple[User | None, User | None]:
    """(helper, person helped) of a conversation: a request's responder helps, an offer's
    author helps."""
    if posting.direction == Direction.OFFER:
        return posting.author, conversation.responder
    return conversation.responder, posting.author


def confirmer_id(record: HelpRecord) -> int | None:
    """Who confirms the hours: the other side of the author, i.e. the conversation's responder."""
    if record.conversation_id is None:
        return None
    return db.session.scalar(
        select(Conversation.responder_id).where(Conversation.id == record.conversation_id)
    )


def _confirmed_by(user_id: int):
    """Records whose hours user_id is asked to confirm."""
    return HelpRecord.conversation_id.in_(
        select(Conversation.id).where(Conversation.responder_id == user_id)
    )


def waiting_for(user: User) -> list[HelpRecord]:
    """Records waiting for user's confirmation, oldest first."""
    return list(
        db.session.scalars(
            select(HelpRecord)
            .where(_confirmed_by(user.id), HelpRecord.status == RecordStatus.REPORTED)
            .order_by(HelpRecord.reported_at, HelpRecord.id)
        )
    )


def waiting_count(user) -> int:
    """How many records wait for user's confirmation (0 for guests)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return (
        db.session.scalar(
            select(func.count(HelpRecord.id)).where(
                _confirmed_by(user.id), HelpRecord.status == RecordStatus.REPORTED
            )
        )
        or 0
    )


def records_of(user: User) -> list[HelpRecord]:
    """Every record where user helped or was helped, newest first."""
    return list(
        db.session.scalars(
            select(HelpRecord)
            .options(joinedload(HelpRecord.helper), joinedload(HelpRecord.recipient))
            .where(or_(HelpRecord.helper_id == user.id, HelpRecord.recipient_id == user.id))
            .order_by(HelpRecord.on_date.desc(), HelpRecord.id.desc())
        )
    )


def can_confirm(record: HelpRecord, user: User) -> bool:
    """True when user is asked to confirm record's hours."""
    return user.is_authenticated and confirmer_id(record) == user.id


def can_see(record: HelpRecord, user: User) -> bool:
    """True for the two sides of a record and the one asked to confirm it."""
    if not user.is_authenticated:
        return False
    return user.id in (record.helper_id, record.recipient_id) or can_confirm(record, user)


# --- totals from the ledger ----------------------------------------------------------------


@dataclass
class Totals:
    """Minutes given (helper) and received (helped) by Börse."""

    given: dict[str, int] = field(default_factory=dict)
    received: dict[str, int] = field(default_factory=dict)

    @property
    def total_given(self) -> int:
        """All minutes given."""
        return sum(self.given.values())

    @property
    def total_received(self) -> int:
        """All minutes received."""
        return sum(self.received.values())

    @property
    def kinds(self) -> list[str]:
        """The Börsen with any minutes, in a stable order."""
        return sorted(set(self.given) | set(self.received))


def _user_entries(user_id: int, year: int | None):
    where = [LedgerEntry.user_id == user_id]
    if year is not None:
        where.append(extract("year", LedgerEntry.on_date) == year)
    return where


def _sides_query(user_id: int, year: int | None, *group):
    """Sum of a user's minutes per group and side (given: True), corrections on the side of
    the entry they correct (a helper's correction may be negative)."""
    original = aliased(LedgerEntry)
    # One labelled expression, grouped by its name: PostgreSQL would not match two copies
    # of it whose literal 0 is bound as two parameters.
    is_given = (func.coalesce(original.minutes, LedgerEntry.minutes) > literal_column("0")).label(
        "is_given"
    )
    return db.session.execute(
        select(*group, is_given, func.sum(LedgerEntry.minutes))
        .outerjoin(original, original.id == LedgerEntry.corrects_id)
        .where(*_user_entries(user_id, year))
        .group_by(*group, is_given)
    ).all()


def totals_by_category(user_id: int, year: int | None = None) -> list[tuple[str, str, int, int]]:
    """(kind, category, minutes given, minutes received) of a user, optionally in one year."""
    sums: dict[tuple[str, str], list[int]] = {}
    for kind, category, is_given, minutes in _sides_query(
        user_id, year, LedgerEntry.kind, LedgerEntry.category
    ):
        pair = sums.setdefault((kind, category), [0, 0])
        if is_given:
            pair[0] += int(minutes)
        else:
            pair[1] -= int(minutes)
    return [(kind, category, g, r) for (kind, category), (g, r) in sorted(sums.items())]


def totals(user_id: int, year: int | None = None) -> Totals:
    """A user's minutes given and received by Börse, optionally in one year."""
    result = Totals()
    for kind, is_given, minutes in _sides_query(user_id, year, LedgerEntry.kind):
        target = result.given if is_given else result.received
        target[kind] = target.get(kind, 0) + (int(minutes) if is_given else -int(minutes))
    return result


def balance(user_id: int) -> int:
    """Minutes given minus minutes received, over all time (TimeOverflow's balance)."""
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.minutes), 0)).where(
                LedgerEntry.user_id == user_id
            )
        )
    )


def entries_of(record: HelpRecord) -> list[LedgerEntry]:
    """The ledger entries booked for a record, in booking order."""
    return list(
        db.session.scalars(
            select(LedgerEntry)
            .where(LedgerEntry.help_record_id == record.id)
            .order_by(LedgerEntry.id)
        )
    )


# --- the Kommune's admins ------------------------------------------------------------------


def records_for_admins(municipality: Municipality) -> dict[str, list[HelpRecord]]:
    """The Kommune's disputed records, those waiting for a confirmation, the latest confirmed."""
    base = (
        select(HelpRecord)
        .options(joinedload(HelpRecord.helper), joinedload(HelpRecord.recipient))
        .where(HelpRecord.municipality_id == municipality.id)
    )
    return {
        "disputed": list(
            db.session.scalars(
                base.where(HelpRecord.status == RecordStatus.DISPUTED).order_by(HelpRecord.id)
            )
        ),
        "waiting": list(
            db.session.scalars(
                base.where(HelpRecord.status == RecordStatus.REPORTED).order_by(HelpRecord.id)
            )
        ),
        "confirmed": list(
            db.session.scalars(
                base.where(HelpRecord.status == RecordStatus.CONFIRMED)
                .order_by(HelpRecord.confirmed_at.desc(), HelpRecord.id.desc())
                .limit(50)
            )
        ),
    }


def settings_of(municipality_id: int) -> EngagementSettings | None:
    """The Kommune's engagement settings row, if it has one."""
    return db.session.get(EngagementSettings, municipality_id)


def retention_years(municipality: Municipality) -> tuple[int, int]:
    """(ledger entries, consent records): years kept after an account's deletion."""
    row = settings_of(municipality.id) if municipality is not None else None
    if row is None:
        return DEFAULT_LEDGER_RETENTION_YEARS, DEFAULT_CONSENT_RETENTION_YEARS
    return (
        row.ledger_retention_years or DEFAULT_LEDGER_RETENTION_YEARS,
        row.consent_retention_years or DEFAULT_CONSENT_RETENTION_YEARS,
    )
