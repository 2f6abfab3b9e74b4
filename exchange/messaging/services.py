"""Writes for conversations: respond, reply, read, share the phone number. Never commits."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import update

from ..accounts.models import User
from ..core.idempotency import insert_unless_exists
from ..core.signals import proxy_message_received
from ..errors import ExchangeError, InvalidState, NotAllowed, NotFound
from ..extensions import db
from ..i18n import _, _l
from ..mail.services import queue_email
from ..postings.board_cache import touch as touch_board
from ..postings.models import Posting
from ..postings.services import ensure_author, update_rows
from ..postings.vocab import Status
from ..timeutil import utcnow
from . import queries, youth
from .models import Conversation, Message

MESSAGE_MAX = 2000


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ExchangeError(_("Write a message."), "body")
    if len(body) > MESSAGE_MAX:
        raise ExchangeError(_("A message can be at most 2000 characters long."), "body")
    return body


def respond(posting, actor: User, body: str) -> Conversation:
    """Answer a posting: start (or continue) actor's conversation with its author."""
    body = _clean_body(body)
    if posting.author_id == actor.id:
        raise NotAllowed(_("You cannot answer your own posting."))
    if actor.municipality_id != posting.municipality_id:
        raise NotAllowed(_("You can only answer postings in your own municipality."))
    existing = queries.own_conversation(posting, actor)
    if existing is not None:
        send_message(existing, actor, body)
        return existing
    if not posting.is_on_board():
        raise InvalidState(_("This posting is no longer open for responses."))
    # A minor may not answer a job she may not do, nor anyone a minor's offer for one.
    youth.check_answer(posting, actor)
    now = utcnow()
    # The same answer sent twice at once (double click, two tabs): the unique (posting,
    # responder) key lets one request create the conversation; the other adds its text to it.
    new_id = insert_unless_exists(
        Conversation,
        municipality_id=posting.municipality_id,
        posting_id=posting.id,
        posting_title=posting.title,
        author_id=posting.author_id,
        responder_id=actor.id,
        created_at=now,
        last_message_at=now,
    )
    if new_id is None:
        conversation = queries.own_conversation(posting, actor)
    else:
        conversation = db.session.get(Conversation, new_id)
        # Conditional, so that a helper chosen meanwhile is not overwritten.
        changed = db.session.connection().execute(
            update(Posting)
            .where(Posting.id == posting.id, Posting.status == Status.OPEN)
            .values(status=Status.IN_CONTACT)
        )
        if changed.rowcount:
            touch_board(db.session, posting.municipality_id)
        db.session.expire(posting, ["status", "updated_at"])
    send_message(conversation, actor, body)
    return conversation


def send_message(conversation: Conversation, actor: User, body: str) -> Message:
    """Add a message from actor and tell the other person by e-mail."""
    if not conversation.is_participant(actor):
        raise NotFound(_("You are not part of this conversation."))
    body = _clean_body(body)
    recipient = conversation.other_party(actor)
    if recipient is None:
        raise InvalidState(_("The other person has deleted their account."))
    now = utcnow()
    message = Message(
        conversation_id=conversation.id, sender_id=actor.id, body=body, created_at=now
    )
    db.session.add(message)
    conversation.last_message_at = now
    _set_read(conversation, actor, now)
    db.session.flush()
    if recipient.is_proxy:
        # Nobody reads a proxy's mail: the Kommune's admin area tells its admins instead.
        proxy_message_received.send(recipient, conversation=conversation)
    elif recipient.email and recipient.has_email_notifications:
        queue_email(
            recipient.email,
            recipient.locale,
            _l("New message about “%(title)s”", title=conversation.posting_title),
            "email/new_message.txt",
            recipient=recipient,
            municipality=recipient.municipality,
            sender_name=actor.short_name,
            title=conversation.posting_title,
            body=body,
            link=url_for("messaging.conversation", conversation_id=conversation.id),
        )
    return message


def _set_read(conversation: Conversation, user: User, when) -> None:
    if user.id == conversation.author_id:
        conversation.author_read_at = when
    elif user.id == conversation.responder_id:
        conversation.responder_read_at = when


def mark_read(conversation: Conversation, user: User) -> None:
    """Remember that user has seen every message so far."""
    _set_read(conversation, user, utcnow())
    db.session.flush()


def set_phone_sharing(conversation: Conversation, actor: User, share: bool) -> None:
    """Show or hide actor's phone number to the other person in this conversation."""
    if not conversation.is_participant(actor):
        raise NotFound(_("You are not part of this conversation."))
    if share and not actor.phone:
        raise ExchangeError(_("Add a phone number to your profile first."), "phone")
    if actor.id == conversation.author_id:
        conversation.is_author_sharing_phone = share
    else:
        conversation.is_responder_sharing_phone = share
    db.session.flush()


def assign_posting(
    posting: Posting, actor: User, conversation: Conversation, chosen_id: int | None = None
) -> None:
    """Pick the responder of conversation ("vergeben"), atomically.

    chosen_id is the conversation the author saw chosen when they clicked (None: nobody yet).
    Two clicks at once (two tabs, a double click) must not leave two helpers or none: the
    posting's row is changed only when it is still in the state the author saw, so the
    database orders the clicks and the later one finds the state changed and is refused.
    """
    ensure_author(posting, actor)
    if conversation.posting_id != posting.id or conversation.responder_id is None:
        raise InvalidState(_("This response does not belong to the posting."))
    if not conversation.is_assigned:
        # A minor only for an agreed time within her rules and hours (row lock, then count).
        youth.check_choice(posting, conversation)
    now = utcnow()
    seen = (
        Posting.status.in_(("open", "in_contact"))
        if chosen_id is None
        else (Posting.status == "assigned")
    )
    taken = update_rows(
        update(Posting)
        .where(Posting.id == posting.id, seen, Posting.expires_at > now)
        .values(status="assigned")
    )
    if taken and chosen_id is not None:
        # Switching helpers: only from the one the author saw chosen.
        taken = update_rows(
            update(Conversation)
            .where(
                Conversation.id == chosen_id,
                Conversation.posting_id == posting.id,
                Conversation.is_assigned.is_(True),
            )
            .values(is_assigned=False)
        )
    if not taken:
        # The row was changed meanwhile; read it as it is now to say why.
        db.session.refresh(posting)
        db.session.refresh(conversation)
        if posting.status == "assigned" and conversation.is_assigned:
            return  # the same choice, sent twice
        if posting.status == "assigned":
            raise InvalidState(
                _("Meanwhile another helper has been chosen. Please look at the responses again.")
            )
        raise InvalidState(_("This posting is not open."))
    update_rows(
        update(Conversation)
        .where(Conversation.posting_id == posting.id)
        .values(is_assigned=Conversation.id == conversation.id)
    )
    touch_board(db.session, posting.municipality_id)
    # The bulk UPDATEs bypassed the loaded objects.
    db.session.expire_all()
    tell_chosen_helper(posting, conversation)


def tell_chosen_helper(posting: Posting, conversation: Conversation) -> None:
    """Tell the helper an author has just chosen: by e-mail, or a proxy through the town hall."""
    helper = conversation.responder
    if helper is None:
        return
    if helper.is_proxy:
        # As with messages: the Kommune's admins hear of it and phone her.
        proxy_message_received.send(helper, conversation=conversation, chosen=True)
    elif helper.email and helper.has_email_notifications and not helper.is_blocked:
        author = posting.author
        queue_email(
            helper.email,
            helper.locale,
            _l("You have been chosen as the helper for “%(title)s”", title=posting.title),
            "email/chosen.txt",
            recipient=helper,
            municipality=helper.municipality,
            author_name=author.short_name if author else None,
            title=posting.title,
            link=url_for("messaging.conversation", conversation_id=conversation.id),
        )
