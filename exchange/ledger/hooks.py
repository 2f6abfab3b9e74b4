"""The record of help's part of the privacy export and erasure (connected when the app is built).

On erasure her ledger entries stay under the pseudonym the signal passes, so the other sides'
totals stay right; help records keep their numbers, her id on them goes by the keys' ON DELETE
rule (SET NULL).
"""

from __future__ import annotations

from flask import url_for
from flask_babel import format_date
from sqlalchemy import or_, select

from ..accounts.export import value_of
from ..core import signals
from ..extensions import db
from ..i18n import _
from ..postings.vocab import Status
from ..youth.explain import hours_text
from . import queries
from .models import HelpRecord, LedgerEntry
from .services import pseudonymise
from .vocab import Outcome, RecordStatus


@signals.posting_page.connect
def _what_happened_on_page(posting, viewer, is_author, **_kw) -> dict:
    # Only a done posting has a record, shown to its author (one query, then).
    if not is_author or posting.status != Status.DONE:
        return {}
    record = queries.record_of_posting(posting)
    if record is None:
        return {}
    status = RecordStatus(record.status).label
    if record.outcome != Outcome.HELPED:
        return {"help_record_text": status, "help_record_link": url_for("ledger.mine")}
    text = _(
        "You reported %(hours)s of help on %(day)s. Status: %(status)s",
        hours=hours_text(record.minutes_reported),
        day=format_date(record.on_date, "long"),
        status=status,
    )
    return {
        "help_record_text": text,
        "help_record_link": url_for("ledger.confirm", record_id=record.id),
    }


@signals.account_erasing.connect
def _pseudonymise_her_entries(user, pseudonym, **_kw) -> None:
    pseudonymise(user.id, pseudonym)


def _her_records(user_id: int):
    return or_(
        HelpRecord.helper_id == user_id,
        HelpRecord.recipient_id == user_id,
        HelpRecord.reported_by_id == user_id,
        HelpRecord.confirmed_by_id == user_id,
    )


@signals.export_requested.connect
def _export_her_engagement(user, **_kw) -> tuple[dict, set]:
    uid = user.id
    records = db.session.scalars(
        select(HelpRecord).where(_her_records(uid)).order_by(HelpRecord.id)
    )
    entries = db.session.scalars(
        select(LedgerEntry)
        .where(or_(LedgerEntry.user_id == uid, LedgerEntry.booked_by_id == uid))
        .order_by(LedgerEntry.id)
    )
    return (
        {
            "help_records": [_record(r, uid) for r in records],
            "ledger_entries": [_entry(e, uid) for e in entries],
        },
        {"help_record", "ledger_entry"},
    )


def _record(record: HelpRecord, uid: int) -> dict:
    if record.helper_id == uid:
        role, other = "helper", record.recipient
    elif record.recipient_id == uid:
        role, other = "helped", record.helper
    else:
        role, other = "reported_or_confirmed", None
    return {
        "id": record.id,
        "role": role,
        "other_person": other.short_name if other else None,
        "kind": record.kind,
        "category": record.category,
        "outcome": record.outcome,
        "status": record.status,
        "on_date": value_of(record.on_date),
        "minutes_reported": record.minutes_reported,
        "minutes_confirmed": record.minutes_confirmed,
        "minutes_disputed": record.minutes_disputed,
        "dispute_note": value_of(record.dispute_note),
        "pay_per_hour_cents": record.pay_per_hour_cents,
        "reported_by_me": record.reported_by_id == uid,
        "confirmed_by_me": record.confirmed_by_id == uid,
        "reported_at": value_of(record.reported_at),
        "confirmed_at": value_of(record.confirmed_at),
    }


def _entry(entry: LedgerEntry, uid: int) -> dict:
    return {
        "id": entry.id,
        "mine": entry.user_id == uid,
        "help_record_id": entry.help_record_id,
        "corrects_id": entry.corrects_id,
        "kind": entry.kind,
        "category": entry.category,
        "on_date": value_of(entry.on_date),
        "minutes": entry.minutes,
        "note": value_of(entry.note),
        "booked_by_me": entry.booked_by_id == uid,
        "booked_at": value_of(entry.booked_at),
    }
