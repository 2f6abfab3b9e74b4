"""Writes of the record of help: what happened, the confirmation, the bookings in the ledger.

The ledger is append-only (models.LedgerEntry refuses updates and deletes): a confirmed help is
booked as one pair of entries, +minutes for the helper and −minutes for the person helped, so
all balances sum to zero (TimeOverflow's movements); a correction is a new pair for the
difference, each entry pointing at the one it corrects. Services flush; the view commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import url_for
from sqlalchemy import delete, select, update

from ..accounts.models import ROLE_ADMIN, User
from ..errors import ExchangeError, InvalidState, NotAllowed
from ..extensions import db
from ..i18n import _, _l
from ..mail.services import queue_email
from ..messaging.models import Conversation
from ..municipalities.models import Municipality
from ..postings import services as posting_services
from ..postings.models import Posting
from ..postings.vocab import ACTIVE_STATUSES
from ..timeutil import utcnow
from ..youth.models import ParentalConsent
from . import queries
from .models import EngagementSettings, HelpRecord, LedgerEntry
from .vocab import Outcome, RecordStatus

# Hours are told in half hours, from half an hour to a whole day.
STEP_MINUTES = 30
MIN_MINUTES = 30
MAX_MINUTES = 24 * 60
MAX_PAY_CENTS = 50 * 100
# What stands for a side whose account was already deleted when the hours were booked.
UNKNOWN_SIDE = "–"


@dataclass
class Report:
    """What the author says happened."""

    outcome: str
    conversation_id: int | None = None
    on_date: date | None = None
    minutes: int | None = None
    pay_per_hour_cents: int | None = None


def check_minutes(minutes: int | None, field: str = "hours", allow_zero: bool = False) -> int:
    """Half-hour steps from 0.5 to 24 hours (0 allowed for a correction); else an error."""
    low = 0 if allow_zero else MIN_MINUTES
    if minutes is None or minutes < low or minutes > MAX_MINUTES:
        raise ExchangeError(_("Enter the hours from 0.5 to 24, for example 1,5."), field)
    if minutes % STEP_MINUTES:
        raise ExchangeError(_("Enter the hours in half hours, for example 1,5 or 2."), field)
    return minutes


def check_date(on_date: date | None, today: date) -> date:
    """A day that is not in the future."""
    if on_date is None:
        raise ExchangeError(_("Enter the date, for example 24.12.2026."), "on_date")
    if on_date > today:
        raise ExchangeError(_("The date must not be in the future."), "on_date")
    return on_date


def report_outcome(
    posting: Posting, actor: User, report: Report, acting_admin: User | None = None
) -> HelpRecord:
    """The author closes her posting and says what happened; the posting is done.

    ``actor`` is the author (the proxy while an admin acts for her); ``acting_admin`` is the
    admin acting, recorded as the one who reported. Nothing is written when a value is wrong.
    """
    posting_services.ensure_author(posting, actor)
    if posting.status not in ACTIVE_STATUSES:
        raise InvalidState(_("This posting is not open."))
    if not Outcome.has(report.outcome):
        raise ExchangeError(_("Say whether the help took place."), "outcome")
    reporter = acting_admin or actor
    record = HelpRecord(
        municipality_id=posting.municipality_id,
        posting_id=posting.id,
        kind=posting.kind,
        category=posting.category,
        district_id=posting.district_id,
        outcome=report.outcome,
        reported_by_id=reporter.id,
        reported_at=utcnow(),
    )
    conversation = None
    if report.outcome == Outcome.NOT_HAPPENED:
        record.status = RecordStatus.NOT_HAPPENED
    else:
        conversation = _conversation_of(posting, report.conversation_id)
        record.on_date = check_date(report.on_date, queries.local_today())
        record.minutes_reported = check_minutes(report.minutes)
        helper, recipient = queries.sides(posting, conversation)
        record.conversation_id = conversation.id
        record.helper_id = helper.id if helper else None
        record.recipient_id = recipient.id if recipient else None
        record.was_helper_minor = bool(helper and _is_minor(helper, record.on_date))
        if posting.kind == "taschengeld" and report.pay_per_hour_cents is not None:
            if not 0 <= report.pay_per_hour_cents <= MAX_PAY_CENTS:
                raise ExchangeError(_("The pay can be at most 50 euros per hour."), "pay")
            record.pay_per_hour_cents = report.pay_per_hour_cents
        record.status = RecordStatus.REPORTED
    posting_services.mark_done(posting, actor)
    db.session.add(record)
    db.session.flush()
    if conversation is not None:
        _ask_for_confirmation(record, posting, conversation)
    return record


def _is_minor(user: User, on_day: date) -> bool:
    age = user.age_on(on_day) if user.birth_date else None
    return age is not None and age < 18


def _conversation_of(posting: Posting, conversation_id: int | None) -> Conversation:
    if conversation_id is None:
        raise ExchangeError(_("Choose who helped."), "person")
    conversation = db.session.get(Conversation, conversation_id)
    if (
        conversation is None
        or conversation.posting_id != posting.id
        or conversation.responder_id is None
    ):
        raise ExchangeError(_("Choose who helped."), "person")
    return conversation


def _ask_for_confirmation(record: HelpRecord, posting: Posting, conversation: Conversation):
    """Tell the other side (the conversation's responder) to confirm the hours."""
    person = conversation.responder
    if person is None:
        return
    link = url_for("ledger.confirm", record_id=record.id)
    if person.is_proxy:
        # Nobody reads a proxy's mail: her Kommune's admins confirm for her.
        _tell_admins(person, record, posting)
    elif person.email and person.has_email_notifications and not person.is_blocked:
        # Also on her account page (/me) and at the top of /me/engagement, mail or not.
        queue_email(
            person.email,
            person.locale,
            _l("Please confirm the hours for “%(title)s”", title=posting.title),
            "email/help_confirm.txt",
            recipient=person,
            municipality=person.municipality,
            title=posting.title,
            hours=record.minutes_reported / 60,
            on_date=record.on_date,
            link=link,
        )


def _tell_admins(proxy: User, record: HelpRecord, posting: Posting) -> None:
    admins = db.session.scalars(
        select(User).where(
            User.municipality_id == proxy.municipality_id,
            User.role == ROLE_ADMIN,
            User.email.is_not(None),
            User.is_blocked.is_(False),
        )
    )
    link = url_for("admin_help_records.records", slug=posting.municipality.slug)
    for admin in admins:
        queue_email(
            admin.email,
            admin.locale,
            _l("Hours to confirm for %(name)s", name=proxy.short_name),
            "email/help_confirm_proxy.txt",
            recipient=admin,
            municipality=admin.municipality,
            proxy=proxy,
            title=posting.title,
            hours=record.minutes_reported / 60,
            link=link,
        )


def confirm(record: HelpRecord, actor: User, booked_by: User | None = None) -> None:
    """The helper (or the person helped, for an offer) says the hours are right: book them."""
    _ensure_confirmer(record, actor)
    record.minutes_confirmed = record.minutes_reported
    _settle(record, booked_by or actor)


def dispute(record: HelpRecord, actor: User, minutes: int | None, note: str) -> None:
    """She says other hours: the record waits for the Kommune's admins to decide."""
    _ensure_confirmer(record, actor)
    check_minutes(minutes)
    note = (note or "").strip()
    if not note:
        raise ExchangeError(_("Say briefly what was different."), "note")
    if len(note) > 300:
        raise ExchangeError(_("The note can be at most 300 characters long."), "note")
    record.status = RecordStatus.DISPUTED
    record.minutes_disputed = minutes
    record.dispute_note = note
    db.session.flush()


def _ensure_confirmer(record: HelpRecord, actor: User) -> None:
    if not queries.can_confirm(record, actor):
        raise NotAllowed(_("You are not allowed to do this."))
    if record.status != RecordStatus.REPORTED:
        raise InvalidState(_("These hours have already been answered."))


def decide(record: HelpRecord, admin: User, minutes: int | None) -> None:
    """An admin decides the hours of a waiting or disputed record and books them.

    The caller checks that admin is one of the Kommune's admins (admin.access).
    """
    if record.status not in (RecordStatus.REPORTED, RecordStatus.DISPUTED):
        raise InvalidState(_("These hours have already been answered."))
    record.minutes_confirmed = check_minutes(minutes)
    _settle(record, admin)


def _settle(record: HelpRecord, booked_by: User) -> None:
    record.status = RecordStatus.CONFIRMED
    record.confirmed_by_id = booked_by.id
    record.confirmed_at = utcnow()
    helper = _side(record.helper_id)
    recipient = _side(record.recipient_id)
    _book_pair(record, record.minutes_confirmed, booked_by, helper, recipient)
    db.session.flush()


def _side(user_id: int | None) -> tuple[int | None, str | None]:
    return (user_id, None) if user_id is not None else (None, UNKNOWN_SIDE)


def _book_pair(
    record: HelpRecord,
    minutes: int,
    booked_by: User,
    helper: tuple[int | None, str | None],
    recipient: tuple[int | None, str | None],
    note: str = "",
    corrects: tuple[LedgerEntry, LedgerEntry] | None = None,
) -> tuple[LedgerEntry, LedgerEntry]:
    """Add +minutes for the helper and −minutes for the person helped (sum zero)."""
    entries = []
    for (user_id, pseudonym), signed, corrected in (
        (helper, minutes, corrects[0] if corrects else None),
        (recipient, -minutes, corrects[1] if corrects else None),
    ):
        entry = LedgerEntry(
            municipality_id=record.municipality_id,
            user_id=user_id,
            pseudonym=pseudonym,
            help_record_id=record.id,
            corrects_id=corrected.id if corrected else None,
            kind=record.kind,
            category=record.category,
            on_date=record.on_date,
            minutes=signed,
            note=note[:300],
            booked_by_id=booked_by.id,
            booked_at=utcnow(),
        )
        db.session.add(entry)
        entries.append(entry)
    db.session.flush()
    return entries[0], entries[1]


def book_correction(record: HelpRecord, admin: User, minutes: int | None, note: str) -> int:
    """An admin corrects a confirmed record's hours: a new pair for the difference.

    The entries already booked stay as they are; the record shows the corrected hours. The
    caller checks that admin is one of the Kommune's admins. Returns the difference in minutes.
    """
    if record.status != RecordStatus.CONFIRMED:
        raise InvalidState(_("Only confirmed hours can be corrected."))
    minutes = check_minutes(minutes, allow_zero=True)
    note = (note or "").strip()
    if not note:
        raise ExchangeError(_("Say briefly why the hours are corrected."), "note")
    difference = minutes - (record.minutes_confirmed or 0)
    if difference == 0:
        raise ExchangeError(_("These are the hours already booked."), "hours")
    originals = [e for e in queries.entries_of(record) if e.corrects_id is None]
    given = next((e for e in originals if e.minutes > 0), None)
    received = next((e for e in originals if e.minutes < 0), None)
    if given is None or received is None:
        raise InvalidState(_("Only confirmed hours can be corrected."))
    _book_pair(
        record,
        difference,
        admin,
        (given.user_id, given.pseudonym),
        (received.user_id, received.pseudonym),
        note=note,
        corrects=(given, received),
    )
    record.minutes_confirmed = minutes
    db.session.flush()
    return difference


# --- privacy: erasure and retention ----------------------------------------------------------


def pseudonymise(user_id: int, pseudonym: str) -> int:
    """Her entries keep their minutes under a pseudonym, so others' totals stay right."""
    result = db.session.execute(
        update(LedgerEntry)
        .where(LedgerEntry.user_id == user_id)
        .values(user_id=None, pseudonym=pseudonym)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def prune_ledger(now: datetime | None = None) -> int:
    """Delete pseudonymised entries older than their Kommune's retention period; how many.

    The one delete of ledger entries there is. The append-only guard (models._refuse_delete)
    stops deletes through the ORM, where a slip in ordinary code would lose hours; the
    retention period is the law's demand (DSGVO Art. 5(1)(e)) and only reaches entries of
    deleted accounts, so it runs as a bulk DELETE on the connection, past the ORM's events.
    Entries a younger correction still points at are kept until the correction is old too.
    """
    now = now or utcnow()
    years = dict(
        db.session.execute(
            select(EngagementSettings.municipality_id, EngagementSettings.ledger_retention_years)
        ).all()
    )
    default = queries.DEFAULT_LEDGER_RETENTION_YEARS
    municipalities = list(db.session.scalars(select(Municipality.id)))
    table = LedgerEntry.__table__
    candidates: set[int] = set()
    for municipality_id in municipalities:
        keep_years = years.get(municipality_id) or default
        cutoff = now - timedelta(days=round(365.25 * keep_years))
        candidates |= set(
            db.session.scalars(
                select(table.c.id).where(
                    table.c.municipality_id == municipality_id,
                    table.c.user_id.is_(None),
                    table.c.pseudonym.is_not(None),
                    table.c.booked_at < cutoff,
                )
            )
        )
    if not candidates:
        return 0
    still_needed = set(
        db.session.scalars(
            select(table.c.corrects_id).where(
                table.c.corrects_id.in_(candidates), table.c.id.not_in(candidates)
            )
        )
    )
    doomed = sorted(candidates - still_needed)
    if not doomed:
        return 0
    db.session.flush()
    connection = db.session.connection()
    # Corrections first: they point at the entries they correct.
    connection.execute(
        delete(table).where(table.c.id.in_(doomed), table.c.corrects_id.is_not(None))
    )
    connection.execute(delete(table).where(table.c.id.in_(doomed)))
    return len(doomed)


def prune_consent_records(now: datetime | None = None) -> int:
    """Delete consent records of erased accounts once their Kommune's period is over; how many.

    On erasure a record loses its account and remembers when (youth.hooks); it proves the
    parents' consent for the jobs that happened until then, for consent_retention_years.
    """
    now = now or utcnow()
    years = dict(
        db.session.execute(
            select(EngagementSettings.municipality_id, EngagementSettings.consent_retention_years)
        ).all()
    )
    default = queries.DEFAULT_CONSENT_RETENTION_YEARS
    removed = 0
    for municipality_id in db.session.scalars(select(Municipality.id)):
        cutoff = now - timedelta(days=round(365.25 * (years.get(municipality_id) or default)))
        removed += posting_services.update_rows(
            delete(ParentalConsent).where(
                ParentalConsent.municipality_id == municipality_id,
                ParentalConsent.user_id.is_(None),
                ParentalConsent.unlinked_at < cutoff,
            )
        )
    return removed
