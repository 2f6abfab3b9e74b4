"""The personal data export (DSGVO Art. 15 and 20): everything held about one person.

Built in one place from the schema itself: the account row and every other row that refers to
the account are read column by column, so a column or table added later shows up in the export
without anyone remembering to add it. Sections only shape what needs more than its own row
(conversations with their messages, e-mails found by address, notes found through a
conversation) and leave out what is secret or about somebody else; the packages above accounts
add theirs through the ``export_requested`` signal (their hooks.py).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from sqlalchemy import Table, func, or_, select

from ..core import signals
from ..extensions import db
from ..mail.models import OutboxEmail
from ..municipalities.models import Municipality
from .models import ActivationCode, PasswordResetToken, User

# Hashes of passwords, tokens and codes: useless to her, and a gift to whoever gets the file.
_SECRET = re.compile(r"(^|_)(password|hash|token|secret|code)(_|$)")
# A long random run in a mail is a link with a token (password reset, confirmation): the body
# of such a mail is left out, its subject and dates are enough.
_TOKEN_IN_TEXT = re.compile(r"[A-Za-z0-9_\-]{32,}")
# Tables shaped by a section below rather than dumped row by row (receivers add theirs).
_SHAPED = {"user_account", "activation_code", "password_reset_token"}


def value_of(value):
    """A column value as the export writes it."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return None if value == "" else value  # nothing recorded reads as null


def columns_of(table: Table, row, skip: tuple[str, ...] = ()) -> dict:
    """Every column of row except secrets and those named in skip."""
    return {
        c.name: value_of(row._mapping[c.name] if hasattr(row, "_mapping") else getattr(row, c.key))
        for c in table.columns
        if c.name not in skip and not _SECRET.search(c.name)
    }


def rows_of(table: Table, *where, skip: tuple[str, ...] = ()) -> list[dict]:
    """Every row of table matching where, as columns_of gives them, by primary key."""
    order = list(table.primary_key.columns)
    rows = db.session.execute(select(table).where(*where).order_by(*order))
    return [columns_of(table, row, skip) for row in rows]


def email_addresses(user: User) -> set[str]:
    """Every e-mail address on her account row (also one awaiting confirmation), lower-cased."""
    values = (getattr(user, c.key) for c in User.__table__.columns)
    return {v.strip().lower() for v in values if isinstance(v, str) and "@" in v}


def kommune_name(municipality_id: int | None) -> str | None:
    """Who acted: the Kommune's office, not the employee (see export_data)."""
    municipality = db.session.get(Municipality, municipality_id) if municipality_id else None
    return municipality.name if municipality else None


def export_data(user: User) -> dict:
    """Everything stored about user, without secrets or other people's contact details."""
    uid = user.id
    account = columns_of(User.__table__, user)
    account["municipality"] = kommune_name(user.municipality_id)
    account["district"] = user.district.name if user.district else None
    data = {"profile": account}
    shaped = set(_SHAPED)
    # Postings, conversations, the town hall's records: each from the package that holds them.
    for sections, tables in signals.results(signals.export_requested, user):
        data.update(sections)
        shaped |= tables
    data.update(
        {
            "emails_to_me": [
                _email(m)
                for m in db.session.scalars(
                    select(OutboxEmail)
                    .where(func.lower(OutboxEmail.recipient).in_(email_addresses(user)))
                    .order_by(OutboxEmail.id)
                )
            ],
            "activation_codes": rows_of(
                ActivationCode.__table__,
                ActivationCode.user_id == uid,
                skip=("user_id", "created_by_id"),
            ),
            "password_resets": rows_of(
                PasswordResetToken.__table__, PasswordResetToken.user_id == uid, skip=("user_id",)
            ),
        }
    )
    # Every other table that refers to her, whole rows under the table's name: saved searches,
    # notifications, and whatever is added later.
    users = User.__table__
    for table in db.metadata.sorted_tables:
        keys = [fk.parent for fk in table.foreign_keys if fk.column is users.c.id]
        if keys and table.name not in shaped:
            data[table.name] = rows_of(table, or_(*(k == uid for k in keys)))
    return data


def _email(mail) -> dict:
    if mail.sent_at is not None:
        status = "sent"
    elif mail.last_error:
        status = "failed, retrying"
    else:
        status = "waiting"
    return {
        "subject": mail.subject,
        "created_at": value_of(mail.created_at),
        "sent_at": value_of(mail.sent_at),
        "status": status,
        "body": None if _TOKEN_IN_TEXT.search(mail.body) else mail.body,
    }
