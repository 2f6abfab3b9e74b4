"""The personal data export (DSGVO Art. 15 and 20): everything held about one person.

Built in one place from the schema itself: the account row and every other row that refers to
the account are read column by column, so a column or table added later shows up in the export
without anyone remembering to add it. Sections below only shape what needs more than its own
row (conversations with their messages, e-mails found by address, notes found through a
conversation) and leave out what is secret or about somebody else.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import Table, func, or_, select

# Like the erasure in services.py, the export reads every feature's tables, so it looks upward.
from ..admin.models import AuditEntry, CallNote, ProxyProfile, Report
from ..extensions import db
from ..messaging.models import Conversation
from ..municipalities.models import Municipality
from ..notifications.models import OutboxEmail
from ..postings.models import Posting
from .models import ActivationCode, PasswordResetToken, User

# Hashes of passwords, tokens and codes: useless to her, and a gift to whoever gets the file.
_SECRET = re.compile(r"(^|_)(password|hash|token|secret|code)(_|$)")
# A long random run in a mail is a link with a token (password reset, confirmation): the body
# of such a mail is left out, its subject and dates are enough.
_TOKEN_IN_TEXT = re.compile(r"[A-Za-z0-9_\-]{32,}")
# Tables shaped by a section below rather than dumped row by row.
_SHAPED = {
    "user_account",
    "proxy_profile",
    "posting",
    "conversation",
    "message",
    "report",
    "audit_entry",
    "call_note",
    "activation_code",
    "password_reset_token",
}


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return None if value == "" else value  # nothing recorded reads as null


def _columns(table: Table, row, skip: tuple[str, ...] = ()) -> dict:
    """Every column of row except secrets and those named in skip."""
    return {
        c.name: _value(row._mapping[c.name] if hasattr(row, "_mapping") else getattr(row, c.key))
        for c in table.columns
        if c.name not in skip and not _SECRET.search(c.name)
    }


def _rows(table: Table, *where, skip: tuple[str, ...] = ()) -> list[dict]:
    order = list(table.primary_key.columns)
    rows = db.session.execute(select(table).where(*where).order_by(*order))
    return [_columns(table, row, skip) for row in rows]


def email_addresses(user: User) -> set[str]:
    """Every e-mail address on her account row (also one awaiting confirmation), lower-cased."""
    values = (getattr(user, c.key) for c in User.__table__.columns)
    return {v.strip().lower() for v in values if isinstance(v, str) and "@" in v}


def _kommune(municipality_id: int | None) -> str | None:
    """Who acted: the Kommune's office, not the employee (see export_data)."""
    municipality = db.session.get(Municipality, municipality_id) if municipality_id else None
    return municipality.name if municipality else None


def export_data(user: User) -> dict:
    """Everything stored about user, without secrets or other people's contact details.

    Audit entries and call notes name the Kommune, not the admin: the admin acted as the town
    hall's employee, the Kommune is the controller she can hold to account, and the
    employee's name is the employee's personal data.
    """
    uid = user.id
    account = _columns(User.__table__, user)
    account["municipality"] = _kommune(user.municipality_id)
    account["district"] = user.district.name if user.district else None
    profile = db.session.get(ProxyProfile, uid)

    conversations = list(
        db.session.scalars(
            select(Conversation)
            .where(or_(Conversation.author_id == uid, Conversation.responder_id == uid))
            .order_by(Conversation.id)
        )
    )
    talk_ids = [c.id for c in conversations]
    data = {
        "profile": account,
        "town_hall_record": (
            _columns(ProxyProfile.__table__, profile, skip=("user_id", "created_by_id"))
            if profile
            else None
        ),
        "postings": _rows(Posting.__table__, Posting.author_id == uid),
        "conversations": [_conversation(c, user) for c in conversations],
        "reports_filed": _rows(
            # The outcome is the moderator's note on the other person: not hers to read.
            Report.__table__,
            Report.reporter_id == uid,
            skip=("reporter_id", "resolved_by_id", "outcome"),
        ),
        "town_hall_actions_for_me": [
            {
                "created_at": _value(e.created_at),
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "by": _kommune(e.municipality_id),
            }
            for e in db.session.scalars(
                select(AuditEntry).where(AuditEntry.proxy_id == uid).order_by(AuditEntry.id)
            )
        ],
        "my_actions_as_admin": _rows(
            AuditEntry.__table__,
            AuditEntry.admin_id == uid,
            skip=("admin_id", "admin_name", "proxy_id", "proxy_name"),
        ),
        "town_hall_call_notes": [
            {
                "conversation_id": n.conversation_id,
                "created_at": _value(n.created_at),
                "body": n.body,
                "by": _kommune(n.municipality_id),
            }
            for n in db.session.scalars(
                select(CallNote).where(CallNote.conversation_id.in_(talk_ids)).order_by(CallNote.id)
            )
        ],
        "emails_to_me": [
            _email(m)
            for m in db.session.scalars(
                select(OutboxEmail)
                .where(func.lower(OutboxEmail.recipient).in_(email_addresses(user)))
                .order_by(OutboxEmail.id)
            )
        ],
        "activation_codes": _rows(
            ActivationCode.__table__,
            ActivationCode.user_id == uid,
            skip=("user_id", "created_by_id"),
        ),
        "password_resets": _rows(
            PasswordResetToken.__table__, PasswordResetToken.user_id == uid, skip=("user_id",)
        ),
    }
    # Every other table that refers to her, whole rows under the table's name: saved searches,
    # notifications, and whatever is added later.
    users = User.__table__
    for table in db.metadata.sorted_tables:
        keys = [fk.parent for fk in table.foreign_keys if fk.column is users.c.id]
        if keys and table.name not in _SHAPED:
            data[table.name] = _rows(table, or_(*(k == uid for k in keys)))
    return data


def _conversation(conversation, user: User) -> dict:
    other = conversation.other_party(user)
    return {
        "id": conversation.id,
        "posting_title": conversation.posting_title,
        "role": "author" if conversation.author_id == user.id else "responder",
        "other_person": other.short_name if other else None,
        "shares_my_phone": conversation.is_sharing_phone(user),
        "is_assigned": conversation.is_assigned,
        "created_at": _value(conversation.created_at),
        "messages": [
            {
                "from_me": m.sender_id == user.id,
                "sender": (
                    "me" if m.sender_id == user.id else (m.sender.short_name if m.sender else None)
                ),
                "body": m.body,
                "created_at": _value(m.created_at),
            }
            for m in conversation.messages
        ],
    }


def _email(mail) -> dict:
    if mail.sent_at is not None:
        status = "sent"
    elif mail.last_error:
        status = "failed, retrying"
    else:
        status = "waiting"
    return {
        "subject": mail.subject,
        "created_at": _value(mail.created_at),
        "sent_at": _value(mail.sent_at),
        "status": status,
        "body": None if _TOKEN_IN_TEXT.search(mail.body) else mail.body,
    }
