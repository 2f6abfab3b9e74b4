"""Confirmed help as rows (no dependence on the outcome form): a HelpRecord with status
"confirmed" and its two ledger entries (+minutes for the helper, −minutes for the person helped)."""

from __future__ import annotations

import io
import re
from datetime import date

from pdfminer.high_level import extract_text

from exchange.extensions import db
from exchange.ledger.models import HelpRecord, LedgerEntry, Thanks
from exchange.ledger.vocab import RecordStatus


def confirmed_help(
    helper, recipient, on_date: date, minutes: int, kind="zeitspende", category="shopping"
) -> HelpRecord:
    """A confirmed help of minutes on on_date, booked in the ledger."""
    record = HelpRecord(
        municipality_id=helper.municipality_id,
        kind=kind,
        category=category,
        helper_id=helper.id,
        recipient_id=recipient.id,
        on_date=on_date,
        minutes_reported=minutes,
        minutes_confirmed=minutes,
        status=RecordStatus.CONFIRMED,
        reported_by_id=recipient.id,
        confirmed_by_id=helper.id,
    )
    db.session.add(record)
    db.session.flush()
    for user, sign in ((helper, 1), (recipient, -1)):
        db.session.add(
            LedgerEntry(
                municipality_id=helper.municipality_id,
                user_id=user.id,
                help_record_id=record.id,
                kind=kind,
                category=category,
                on_date=on_date,
                minutes=sign * minutes,
                booked_by_id=helper.id,
            )
        )
    db.session.flush()
    return record


def thanks_for(record: HelpRecord, body: str, on_certificate=True, hidden=False) -> Thanks:
    """A thank-you left for record."""
    thanks = Thanks(
        municipality_id=record.municipality_id,
        help_record_id=record.id,
        author_id=record.recipient_id,
        helper_id=record.helper_id,
        body=body,
        is_on_certificate=on_certificate,
        is_hidden=hidden,
    )
    db.session.add(thanks)
    db.session.flush()
    return thanks


def pdf_text(response) -> str:
    """A PDF response's text, whitespace collapsed."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    return re.sub(r"\s+", " ", extract_text(io.BytesIO(response.data)))
