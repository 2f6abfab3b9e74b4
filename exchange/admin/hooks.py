"""The admin area's answers to lower layers' signals (connected when the app is built).

Proxy accounts: a message for a proxy alerts the Kommune's admins; an activated proxy loses its
postal address. Privacy: the town hall's records about a person in the export and erasure.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update

from ..accounts.export import columns_of, kommune_name, rows_of, value_of
from ..accounts.models import User
from ..core import signals
from ..extensions import db
from ..messaging.models import Conversation
from ..postings.models import Posting
from .models import AuditEntry, CallNote, ProxyProfile, Report
from .services import alert_admins_of_proxy_message


@signals.proxy_message_received.connect
def _alert_admins(proxy, conversation, **_kw) -> None:
    alert_admins_of_proxy_message(proxy, conversation)


@signals.proxy_activated.connect
def _forget_postal_address(user, now, **_kw) -> None:
    profile = db.session.get(ProxyProfile, user.id)
    if profile is not None:
        # The town hall no longer writes letters; keep the consent record, drop the address.
        profile.activated_at = now
        profile.postal_address = ""


# --- privacy: export and erasure -----------------------------------------------------------


def _her_talks(user_id: int):
    return select(Conversation.id).where(
        (Conversation.author_id == user_id) | (Conversation.responder_id == user_id)
    )


@signals.personal_texts.connect
def _her_postal_address(user, **_kw) -> tuple[list, list]:
    profile = db.session.get(ProxyProfile, user.id)
    if profile is None:
        return [], []
    return [line.strip() for line in (profile.postal_address or "").splitlines()], []


@signals.account_unlinking.connect
def _drop_records_of_her_things(user, **_kw) -> None:
    # Phone-call notes of the town hall about her conversations.
    talks = list(db.session.scalars(_her_talks(user.id)))
    db.session.execute(delete(CallNote).where(CallNote.conversation_id.in_(talks)))
    posting_ids = select(Posting.id).where(Posting.author_id == user.id)
    db.session.execute(delete(Report).where(Report.posting_id.in_(posting_ids)))


@signals.account_erasing.connect
def _anonymise_records(user, pseudonym, **_kw) -> None:
    uid, alias = user.id, pseudonym
    # Reports she filed still count for moderation figures, but say nothing of or by her.
    db.session.execute(
        update(Report).where(Report.reporter_id == uid).values(reporter_id=None, reason="")
    )
    # The audit log keeps that an action happened, under a pseudonym instead of her name.
    db.session.execute(
        update(AuditEntry).where(AuditEntry.proxy_id == uid).values(proxy_id=None, proxy_name=alias)
    )
    db.session.execute(
        update(AuditEntry).where(AuditEntry.admin_id == uid).values(admin_id=None, admin_name=alias)
    )
    # As an admin she wrote notes and took consents: her name goes, the records stay.
    db.session.execute(
        update(CallNote).where(CallNote.author_id == uid).values(author_id=None, author_name=alias)
    )
    db.session.execute(
        update(ProxyProfile)
        .where(
            ProxyProfile.consent_by == user.display_name,
            ProxyProfile.user_id.in_(
                select(User.id).where(User.municipality_id == user.municipality_id)
            ),
        )
        .values(consent_by=alias)
    )


@signals.export_requested.connect
def _export_town_hall_records(user, **_kw) -> tuple[dict, set]:
    """Audit entries and call notes name the Kommune, not the admin.

    The admin acted as the town hall's employee, the Kommune is the controller she can hold to
    account, and the employee's name is the employee's personal data.
    """
    uid = user.id
    profile = db.session.get(ProxyProfile, uid)
    sections = {
        "town_hall_record": (
            columns_of(ProxyProfile.__table__, profile, skip=("user_id", "created_by_id"))
            if profile
            else None
        ),
        "reports_filed": rows_of(
            # The outcome is the moderator's note on the other person: not hers to read.
            Report.__table__,
            Report.reporter_id == uid,
            skip=("reporter_id", "resolved_by_id", "outcome"),
        ),
        "town_hall_actions_for_me": [
            {
                "created_at": value_of(e.created_at),
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "by": kommune_name(e.municipality_id),
            }
            for e in db.session.scalars(
                select(AuditEntry).where(AuditEntry.proxy_id == uid).order_by(AuditEntry.id)
            )
        ],
        "my_actions_as_admin": rows_of(
            AuditEntry.__table__,
            AuditEntry.admin_id == uid,
            skip=("admin_id", "admin_name", "proxy_id", "proxy_name"),
        ),
        "town_hall_call_notes": [
            {
                "conversation_id": n.conversation_id,
                "created_at": value_of(n.created_at),
                "body": n.body,
                "by": kommune_name(n.municipality_id),
            }
            for n in db.session.scalars(
                select(CallNote)
                .where(CallNote.conversation_id.in_(_her_talks(uid)))
                .order_by(CallNote.id)
            )
        ],
    }
    return sections, {"proxy_profile", "report", "audit_entry", "call_note"}
