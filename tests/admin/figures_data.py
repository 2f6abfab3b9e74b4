"""Shared data for the figures tests: help, hours and postings in two Kommunen and three years.

HelpRecords and LedgerEntries are written directly, as the ledger's services would (a confirmed
help: the record with status confirmed, outcome helped, minutes_confirmed, and two ledger
entries, +minutes for the helper and −minutes for the person helped).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from html.parser import HTMLParser

from exchange.extensions import db
from exchange.ledger.models import HelpRecord, LedgerEntry
from exchange.messaging.models import Conversation
from exchange.municipalities.models import District
from tests.conftest import make_posting, make_user


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def district(municipality, name: str) -> District:
    return db.session.query(District).filter_by(municipality_id=municipality.id, name=name).one()


def posting(author, created_at, kind, category, district_row=None):
    p = make_posting(author, kind=kind, category=category, created_at=created_at)
    p.district_id = district_row.id if district_row else None
    db.session.flush()
    return p


def conversation(p, responder, created_at, chosen=False):
    c = Conversation(
        municipality_id=p.municipality_id,
        posting_id=p.id,
        posting_title=p.title,
        author_id=p.author_id,
        responder_id=responder.id,
        is_assigned=chosen,
        created_at=created_at,
    )
    db.session.add(c)
    db.session.flush()
    return c


def help_record(
    p, helper, recipient, on_date, minutes, minor=False, status="confirmed", outcome="helped"
):
    record = HelpRecord(
        municipality_id=p.municipality_id,
        posting_id=p.id,
        kind=p.kind,
        category=p.category,
        district_id=p.district_id,
        outcome=outcome,
        helper_id=helper.id,
        recipient_id=recipient.id,
        on_date=on_date,
        minutes_reported=minutes,
        minutes_confirmed=minutes if status == "confirmed" else None,
        was_helper_minor=minor,
        status=status,
        reported_by_id=recipient.id,
    )
    db.session.add(record)
    db.session.flush()
    if status == "confirmed":
        for user, sign in ((helper, 1), (recipient, -1)):
            db.session.add(
                LedgerEntry(
                    municipality_id=p.municipality_id,
                    user_id=user.id,
                    help_record_id=record.id,
                    kind=p.kind,
                    category=p.category,
                    on_date=on_date,
                    minutes=sign * minutes,
                    booked_by_id=recipient.id,
                )
            )
        db.session.flush()
    return record


def build(delbrueck, paderborn) -> dict:
    """Delbrück: 2024, 2025 (the main year) and one posting on 1 January 2026 (German time).

    2025 in Delbrück: 4 postings (Zeitspende 2, Taschengeld 1, Ehrenamt 1; Hagen 2, Westenholz 1,
    without district 1), 3 responses, 2 matched, 2 confirmed helps: 2 h by an adult in
    January, 1.5 h by a young person in May (3,5 h, 2 helpers, 1 young).
    """
    erna = make_user(delbrueck)
    anna = make_user(delbrueck, email="anna@example.org", name="Anna Adult")
    jonas = make_user(
        delbrueck, email="jonas@example.org", name="Jonas Jung", birth_date=date(2010, 3, 1)
    )
    admin = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    hagen, westenholz = district(delbrueck, "Hagen"), district(delbrueck, "Westenholz")
    # 2024
    p0 = posting(erna, at(2024, 3, 1, 9), "zeitspende", "shopping", hagen)
    help_record(p0, anna, erna, date(2024, 7, 5), 30)
    # 2025
    p1 = posting(erna, at(2025, 1, 15, 10), "zeitspende", "shopping", hagen)
    # 22:30 UTC on 30 April is 00:30 on 1 May in Germany: May, the second quarter.
    p2 = posting(erna, at(2025, 4, 30, 22, 30), "taschengeld", "garden", westenholz)
    p4 = posting(erna, at(2025, 7, 1, 12), "ehrenamt", "company", hagen)
    posting(erna, at(2025, 8, 10, 12), "zeitspende", "other", None)
    conversation(p1, anna, at(2025, 1, 16, 8), chosen=True)
    conversation(p2, anna, at(2025, 5, 2, 8))
    conversation(p2, jonas, at(2025, 5, 3, 8), chosen=True)
    help_record(p1, anna, erna, date(2025, 1, 20), 120)
    help_record(p2, jonas, erna, date(2025, 5, 10), 90, minor=True)
    # Not counted: waiting for the helper's confirmation, or it did not come about.
    help_record(p4, anna, erna, date(2025, 7, 5), 60, status="reported")
    help_record(p4, anna, erna, date(2025, 7, 6), 0, status="not_happened", outcome="not_happened")
    # Hidden by a moderator: not counted.
    posting(erna, at(2025, 3, 3, 12), "zeitspende", "pets", None).status = "hidden"
    # 23:30 UTC on 31 December 2025 is 1 January 2026 in Germany.
    posting(erna, at(2025, 12, 31, 23, 30), "zeitspende", "garden", None)
    # Paderborn, never in Delbrück's figures.
    paul = make_user(paderborn, email="paul@example.org", name="Paul P", postcode="33098")
    pia = make_user(
        paderborn,
        email="pia@example.org",
        name="Pia P",
        postcode="33098",
        birth_date=date(2009, 1, 1),
    )
    pb_admin = make_user(
        paderborn, email="pbadmin@example.org", name="PB Amt", role="admin", postcode="33098"
    )
    for month in (1, 2, 3):
        q = posting(paul, at(2025, month, 10, 10), "tausch", "pets", None)
        conversation(q, pia, at(2025, month, 11, 10), chosen=True)
        help_record(q, pia, paul, date(2025, month, 12), 600, minor=True)
    operator = make_user(delbrueck, email="op@example.org", name="Olga Op", role="superadmin")
    db.session.commit()
    return {"admin": admin, "resident": erna, "pb_admin": pb_admin, "operator": operator}


class _Tables(HTMLParser):
    """Every <table id=...> of a page as {id: {row header: [cell texts]}} (plus the header row)."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, dict[str, list[str]]] = {}
        self.order: dict[str, list[str]] = {}
        self._table = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self._table = attrs["id"]
            self.tables[self._table] = {}
            self.order[self._table] = []
        elif self._table and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag in ("th", "td") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.tables[self._table][self._row[0]] = self._row[1:]
                self.order[self._table].append(self._row[0])
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables_of(response) -> _Tables:
    parser = _Tables()
    parser.feed(response.get_data(as_text=True))
    return parser


def csv_of(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
