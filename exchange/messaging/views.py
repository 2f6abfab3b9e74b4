"""Conversations at /me/messages."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..core import idempotency
from ..core.inputs import page_arg
from ..errors import ExchangeError, NotAllowed, attach_to_form
from ..extensions import db
from ..i18n import _
from . import queries, services
from .forms import MessageForm

bp = Blueprint("messaging", __name__, url_prefix="/me/messages")


def _conversation_or_404(conversation_id: int):
    conversation = queries.conversation_for_participant(conversation_id, current_user)
    if conversation is None:
        abort(404)
    return conversation


@bp.get("/")
@login_required
def inbox():
    """All conversations of the signed-in user."""
    page = queries.conversations_of(current_user, page_arg())
    return render_template(
        "messaging/inbox.html",
        page=page,
        unread=queries.unread_by_conversation(current_user, [c.id for c in page.items]),
    )


@bp.route("/<int:conversation_id>", methods=["GET", "POST"])
@login_required
def conversation(conversation_id: int):
    """Read a conversation and answer."""
    conversation = _conversation_or_404(conversation_id)
    form = MessageForm()
    here = url_for("messaging.conversation", conversation_id=conversation.id)
    if form.validate_on_submit():
        replay = idempotency.replayed(form, current_user, here)
        if replay is not None:
            return replay
        try:
            services.send_message(conversation, current_user, form.body.data)
        except NotAllowed:
            abort(404)
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            idempotency.remember(form, current_user, here)
            db.session.commit()
            flash(_("Your message has been sent."), "success")
            return redirect(here)
    elif request.method == "GET":
        services.mark_read(conversation, current_user)
        db.session.commit()
    posting = conversation.posting
    return render_template(
        "messaging/conversation.html",
        conversation=conversation,
        form=form,
        other=conversation.other_party(current_user),
        posting=posting,
        is_author=conversation.author_id == current_user.id,
        page=queries.messages_page(conversation, page_arg()),
        chosen_id=queries.chosen_conversation_id(conversation.posting_id),
    )


@bp.post("/<int:conversation_id>/phone")
@login_required
def phone(conversation_id: int):
    """Share or stop sharing one's phone number in this conversation."""
    conversation = _conversation_or_404(conversation_id)
    share = request.form.get("share") == "1"
    try:
        services.set_phone_sharing(conversation, current_user, share)
    except ExchangeError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        if share:
            flash(_("Your phone number is now visible to the other person."), "success")
        else:
            flash(_("Your phone number is hidden again."), "success")
    return redirect(url_for("messaging.conversation", conversation_id=conversation.id))
