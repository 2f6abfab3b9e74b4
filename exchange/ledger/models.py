"""What happened after a posting (HelpRecord), the append-only hours ledger, thanks, proofs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, event, false, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import db
from ..municipalities.models import Municipality
from ..timeutil import UTCDateTime, utcnow
from .vocab import Outcome, RecordStatus


class HelpRecord(db.Model):
    """The author's (or an admin's for a proxy) account of what came of a posting.

    "helped": with whom, on which day, how many minutes (and for Taschengeld the agreed pay);
    the helper confirms the minutes, or says other ones (status disputed, shown to the admins).
    Ledger entries are booked when the minutes are confirmed.
    """

    __tablename__ = "help_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    posting_id: Mapped[int | None] = mapped_column(
        ForeignKey("posting.id", ondelete="SET NULL"), index=True
    )
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversation.id", ondelete="SET NULL"), index=True
    )
    # Copied from the posting: the record outlives it and the figures group by them.
    kind: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(20))
    district_id: Mapped[int | None] = mapped_column(
        ForeignKey("district.id", ondelete="SET NULL"), index=True
    )
    outcome: Mapped[str] = mapped_column(String(20), default=Outcome.HELPED)
    helper_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # The person helped.
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    on_date: Mapped[date | None] = mapped_column(Date)
    minutes_reported: Mapped[int | None] = mapped_column(Integer)
    minutes_confirmed: Mapped[int | None] = mapped_column(Integer)
    pay_per_hour_cents: Mapped[int | None] = mapped_column(Integer)
    # Whether the helper was a minor on that day (figures count minors separately).
    was_helper_minor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(12), default=RecordStatus.REPORTED, index=True)
    reported_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The helper's answer when she disagrees: the minutes she says, and why (for the admins).
    minutes_disputed: Mapped[int | None] = mapped_column(Integer)
    dispute_note: Mapped[str] = mapped_column(String(300), default="", server_default="")

    municipality: Mapped[Municipality] = relationship()
    helper: Mapped[User | None] = relationship(foreign_keys=[helper_id])
    recipient: Mapped[User | None] = relationship(foreign_keys=[recipient_id])


class LedgerEntry(db.Model):
    """One side of a confirmed help: +minutes for the helper, −minutes for the person helped.

    Append-only: never updated or deleted (a correction is a new entry pointing at the one it
    corrects). On an account's erasure user_id becomes NULL and `pseudonym` names the side, so
    the other side's totals stay right (the only change allowed, see _refuse_changes).
    """

    __tablename__ = "ledger_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    pseudonym: Mapped[str | None] = mapped_column(String(80))
    help_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_record.id", ondelete="SET NULL"), index=True
    )
    # The entry this one corrects (a correction books the difference).
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entry.id"))
    kind: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(20))
    on_date: Mapped[date] = mapped_column(Date, index=True)
    # Positive: hours given (helper); negative: hours received (the person helped).
    minutes: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(300), default="")
    booked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# Columns a pseudonymisation may change; everything else of an entry is written once.
PSEUDONYMISABLE = frozenset({"user_id", "pseudonym", "booked_by_id", "help_record_id"})


@event.listens_for(LedgerEntry, "before_update")
def _refuse_changes(_mapper, _connection, entry: LedgerEntry) -> None:
    changed = {a.key for a in inspect(entry).attrs if a.history.has_changes()}
    if changed - PSEUDONYMISABLE:
        raise ValueError("ledger entries are append-only; book a correction instead")


@event.listens_for(LedgerEntry, "before_delete")
def _refuse_delete(_mapper, _connection, _entry: LedgerEntry) -> None:
    raise ValueError("ledger entries are append-only; book a correction instead")


class Thanks(db.Model):
    """A short thank-you from the person helped (or an admin for a proxy) to the helper."""

    __tablename__ = "thanks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    help_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_record.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    helper_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(String(500))
    # The helper chose to quote it in her Engagementnachweis.
    is_on_certificate: Mapped[bool] = mapped_column(Boolean, default=False)
    # Hidden by a moderator after a report.
    is_hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    helper: Mapped[User | None] = relationship(foreign_keys=[helper_id])


class Certificate(db.Model):
    """An issued Engagementnachweis: what it stated, under a code anyone can verify."""

    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # Unguessable, printed on the PDF and in its QR code (/nachweis/<code>).
    code: Mapped[str] = mapped_column(String(32), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    holder_name: Mapped[str] = mapped_column(String(80))
    total_minutes: Mapped[int] = mapped_column(Integer)
    # What the proof stated (hours by Börse and category, dates), as JSON, for the verification.
    summary_json: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    is_revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class EngagementSettings(db.Model):
    """How a Kommune issues its Engagementnachweise: signatory, stamp, retention periods."""

    __tablename__ = "engagement_settings"

    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), primary_key=True
    )
    signatory_name: Mapped[str] = mapped_column(String(120), default="")
    signatory_role: Mapped[str] = mapped_column(String(120), default="")
    # File name of the uploaded stamp image (PNG) in the instance's upload folder, or "".
    stamp_filename: Mapped[str] = mapped_column(String(200), default="")
    # Years ledger entries and consent records are kept after the account's deletion.
    ledger_retention_years: Mapped[int] = mapped_column(Integer, default=10)
    consent_retention_years: Mapped[int] = mapped_column(Integer, default=3)
