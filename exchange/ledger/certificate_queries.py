"""Reads for the Engagementnachweis: a helper's confirmed hours by year, Börse, category and
day; her thanks; issued proofs by code; the Kommune's certificate settings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select

from ..accounts.models import User
from ..extensions import db
from ..municipalities.models import Municipality
from ..municipalities.vocab import Kind
from .models import Certificate, EngagementSettings, HelpRecord, LedgerEntry, Thanks
from .vocab import RecordStatus

# Paid Taschengeld jobs are recorded in the ledger (they count toward a minor's caps) but are
# not voluntary engagement: a proof of Ehrenamt states the unpaid Börsen only.
CERTIFIED_KINDS = (Kind.ZEITSPENDE, Kind.EHRENAMT, Kind.TAUSCH)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 4
CODE_GROUP_SIZE = 4
_CODE = re.compile(
    rf"[{CODE_ALPHABET}]{{{CODE_GROUP_SIZE}}}(?:-[{CODE_ALPHABET}]{{{CODE_GROUP_SIZE}}})"
    rf"{{{CODE_GROUPS - 1}}}"
)


@dataclass
class YearSummary:
    """A helper's confirmed hours in one year (minutes), as the proof states them."""

    year: int
    total: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_category: dict[tuple[str, str], int] = field(default_factory=dict)
    days: dict[date, int] = field(default_factory=dict)

    def as_json(self) -> dict:
        """The summary as stored with an issued proof (keys, not labels; no people)."""
        return {
            "year": self.year,
            "total_minutes": self.total,
            "by_kind": [{"kind": k, "minutes": m} for k, m in self.by_kind.items()],
            "by_category": [
                {"kind": k, "category": c, "minutes": m} for (k, c), m in self.by_category.items()
            ],
            "days": [{"date": d.isoformat(), "minutes": m} for d, m in self.days.items()],
        }


def _given_entries(user: User) -> list[LedgerEntry]:
    """Her entries as the helper (positive, not corrections) and the corrections of them."""
    given = select(LedgerEntry.id).where(
        LedgerEntry.user_id == user.id,
        LedgerEntry.corrects_id.is_(None),
        LedgerEntry.minutes > 0,
    )
    query = (
        select(LedgerEntry)
        .where(
            LedgerEntry.user_id == user.id,
            LedgerEntry.kind.in_([str(k) for k in CERTIFIED_KINDS]),
            or_(LedgerEntry.id.in_(given), LedgerEntry.corrects_id.in_(given)),
        )
        .order_by(LedgerEntry.on_date, LedgerEntry.id)
    )
    return list(db.session.scalars(query))


def year_summaries(user: User) -> list[YearSummary]:
    """Her years with confirmed hours, newest first (years whose total is 0 are left out)."""
    years: dict[int, YearSummary] = {}
    for entry in _given_entries(user):
        summary = years.setdefault(entry.on_date.year, YearSummary(entry.on_date.year))
        summary.total += entry.minutes
        summary.by_kind[entry.kind] = summary.by_kind.get(entry.kind, 0) + entry.minutes
        key = (entry.kind, entry.category)
        summary.by_category[key] = summary.by_category.get(key, 0) + entry.minutes
        summary.days[entry.on_date] = summary.days.get(entry.on_date, 0) + entry.minutes
    result = []
    for year in sorted(years, reverse=True):
        summary = years[year]
        if summary.total <= 0:
            continue
        summary.by_kind = {k: m for k, m in _ordered_kinds(summary.by_kind) if m > 0}
        summary.by_category = {k: m for k, m in sorted(summary.by_category.items()) if m > 0}
        summary.days = {d: m for d, m in sorted(summary.days.items()) if m > 0}
        result.append(summary)
    return result


def _ordered_kinds(by_kind: dict[str, int]):
    order = [str(k) for k in Kind]
    return sorted(by_kind.items(), key=lambda item: order.index(item[0]))


def year_summary(user: User, year: int) -> YearSummary | None:
    """Her confirmed hours in year, or None when there are none."""
    return next((s for s in year_summaries(user) if s.year == year), None)


def _record_year(thanks: Thanks, record: HelpRecord | None) -> int:
    if record is not None and record.on_date is not None:
        return record.on_date.year
    return thanks.created_at.year


def thanks_received(user: User) -> list[tuple[Thanks, int]]:
    """The visible thanks she received, newest first, each with the year of the help."""
    query = (
        select(Thanks, HelpRecord)
        .outerjoin(HelpRecord, HelpRecord.id == Thanks.help_record_id)
        .where(Thanks.helper_id == user.id, Thanks.is_hidden.is_(False))
        .order_by(Thanks.created_at.desc(), Thanks.id.desc())
    )
    return [(t, _record_year(t, r)) for t, r in db.session.execute(query)]


def thanks_for_certificate(user: User, year: int) -> list[Thanks]:
    """The visible thanks she chose for the proof of year."""
    return [t for t, y in thanks_received(user) if y == year and t.is_on_certificate]


def thanks_of_helper(user: User, thanks_id: int) -> Thanks | None:
    """One of the thanks she received (hidden ones too: she may see that it was hidden)."""
    thanks = db.session.get(Thanks, thanks_id)
    return thanks if thanks is not None and thanks.helper_id == user.id else None


def record_to_thank(user: User, record_id: int) -> HelpRecord | None:
    """A confirmed help she received (she is the person helped), or None."""
    record = db.session.get(HelpRecord, record_id)
    if (
        record is None
        or record.recipient_id != user.id
        or record.status != RecordStatus.CONFIRMED
        or record.helper_id is None
    ):
        return None
    return record


def thanks_for_record(record: HelpRecord) -> Thanks | None:
    """The thank-you already left for a help, or None."""
    return db.session.scalar(select(Thanks).where(Thanks.help_record_id == record.id).limit(1))


def help_received(user: User) -> list[tuple[HelpRecord, bool]]:
    """The confirmed help she received, newest first, each with whether she has thanked."""
    thanked = select(Thanks.help_record_id).where(Thanks.help_record_id.is_not(None))
    query = (
        select(HelpRecord, HelpRecord.id.in_(thanked))
        .where(
            HelpRecord.recipient_id == user.id,
            HelpRecord.status == RecordStatus.CONFIRMED,
            HelpRecord.helper_id.is_not(None),
        )
        .order_by(HelpRecord.on_date.desc(), HelpRecord.id.desc())
        .limit(50)
    )
    return [(r, bool(t)) for r, t in db.session.execute(query)]


def normalise_code(text: str) -> str | None:
    """A typed code in its printed form ("ABCD-EFGH-JKLM-NPQR"), or None if it cannot be one."""
    letters = re.sub(r"[\s\-–]", "", (text or "").upper())
    size = CODE_GROUPS * CODE_GROUP_SIZE
    if len(letters) != size:
        return None
    code = "-".join(letters[i : i + CODE_GROUP_SIZE] for i in range(0, size, CODE_GROUP_SIZE))
    return code if _CODE.fullmatch(code) else None


def certificate_by_code(text: str) -> Certificate | None:
    """The issued proof with that code (revoked ones too), or None."""
    code = normalise_code(text)
    if code is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def latest_certificate(user: User, year: int) -> Certificate | None:
    """Her newest valid proof of year, or None."""
    return db.session.scalar(
        select(Certificate)
        .where(
            Certificate.user_id == user.id,
            Certificate.year == year,
            Certificate.is_revoked.is_(False),
        )
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        .limit(1)
    )


def settings_of(municipality: Municipality) -> EngagementSettings:
    """The Kommune's certificate settings (defaults, not saved, when it has none)."""
    row = db.session.get(EngagementSettings, municipality.id)
    if row is None:
        row = EngagementSettings(
            municipality_id=municipality.id,
            signatory_name="",
            signatory_role="",
            stamp_filename="",
            ledger_retention_years=10,
            consent_retention_years=3,
        )
    return row


def signatory(municipality: Municipality) -> tuple[str, str]:
    """(name, role) who signs the proofs: the settings', else the Kommune's letters' signatory."""
    row = settings_of(municipality)
    if row.signatory_name.strip():
        return row.signatory_name.strip(), row.signatory_role.strip()
    return municipality.signatory_name.strip(), municipality.signatory_role.strip()


@dataclass
class Tables:
    """A proof's figures as rows for tables: (kind, minutes), (kind, category, minutes),
    (date, minutes)."""

    total: int
    by_kind: list[tuple[str, int]]
    by_category: list[tuple[str, str, int]]
    days: list[tuple[date, int]]


def tables(data: dict) -> Tables:
    """The rows of a summary as stored (YearSummary.as_json())."""
    return Tables(
        total=int(data.get("total_minutes", 0)),
        by_kind=[(row["kind"], int(row["minutes"])) for row in data.get("by_kind", [])],
        by_category=[
            (row["kind"], row["category"], int(row["minutes"]))
            for row in data.get("by_category", [])
        ],
        days=[
            (date.fromisoformat(row["date"]), int(row["minutes"])) for row in data.get("days", [])
        ],
    )
