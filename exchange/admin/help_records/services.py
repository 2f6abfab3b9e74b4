"""An admin's decisions on help records: the check that she is an admin, then the ledger."""

from __future__ import annotations

from ...accounts.models import User
from ...ledger import services as ledger
from ...ledger.models import HelpRecord
from ..access import check_admin


def decide(record: HelpRecord, admin: User, minutes: int | None) -> None:
    """Book the hours an admin decided for a waiting or disputed record."""
    check_admin(admin, record.municipality)
    ledger.decide(record, admin, minutes)


def correct(record: HelpRecord, admin: User, minutes: int | None, note: str) -> int:
    """Book a correction of confirmed hours (a new pair of entries for the difference)."""
    check_admin(admin, record.municipality)
    return ledger.book_correction(record, admin, minutes, note)
