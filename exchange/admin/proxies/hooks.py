"""The proxies' answers to lower layers' signals (connected when the app is built).

A message for a proxy alerts the Kommune's admins; an activated proxy loses its postal address.
Privacy: the town hall's record of a person and its call notes in the export and erasure.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update

from ...accounts.export import columns_of, kommune_name, value_of
from ...accounts.models import User
from ...core import signals
from ...extensions import db
from ...messaging.models import Conversation
from .models import CallNote, ProxyProfile
from .services import alert_admins_of_proxy_message


@signals.proxy_message_received.connect
def _alert_admins(proxy, conversation, chosen=False, **_kw) -> None:
    alert_admins_of_proxy_message(proxy, conversation, chosen=chosen)


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
def _drop_notes_on_her_talks(user, **_kw) -> None:
    # Phone-call notes of the town hall about her conversations.
    talks = list(db.session.scalars(_her_talks(user.id)))
    db.session.execute(delete(CallNote).where(CallNote.conversation_id.in_(talks)))


@signals.account_erasing.connect
def _anonymise_records(user, pseudonym, **_kw) -> None:
    uid, alias = user.id, pseudonym
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
    """Her town hall record, and the call notes on her conversations.

    Notes name the Kommune, not the admin: the admin acted as the town hall's employee, the
    Kommune is the controller she can hold to account, and the employee's name is the
    employee's personal data.
    """
    uid = user.id
    profile = db.session.get(ProxyProfile, uid)
    sections = {
        "town_hall_record": (
            columns_of(ProxyProfile.__table__, profile, skip=("user_id", "created_by_id"))
            if profile
            else None
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
    return sections, {"proxy_profile", "call_note"}
