"""Conversations at /me/messages, and answering a posting or choosing its helper."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_login import current_user, login_required

from ..core import idempotency
from ..core.inputs import int_arg, page_arg
from ..errors import ExchangeError, NotAllowed, attach_to_form
from ..extensions import db
from ..i18n import _
from ..municipalities.tenancy import get_scoped_or_404
from ..postings.models import Posting
from ..postings.services import ensure_author
from ..postings.views import author_action, visible_posting_or_404
from ..postings.views import bp as postings_bp
from ..postings.vocab import ACTIVE_STATUSES
from . import queries, services, youth
from .forms import AgreedTimeForm, MessageForm
from .models import Conversation

bp = Blueprint("messaging", __name__, url_prefix="/me/messages")
# Answering a posting and choosing its helper live here, beside the conversations they
# create, but keep their URLs and endpoint names on the postings blueprint (postings.respond,
# postings.assign): letters print the URLs and the audit log stores the endpoint names.


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
            message = services.send_message(conversation, current_user, form.body.data)
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            # Back to the conversation, at the message just sent: it takes the focus
            # (tabindex="-1"), so that a screen reader reads it and the keyboard goes on from it.
            sent = f"{here}#m{message.id}"
            idempotency.remember(form, current_user, sent)
            db.session.commit()
            flash(_("Your message has been sent."), "success")
            return redirect(sent)
    elif request.method == "GET":
        services.mark_read(conversation, current_user)
        db.session.commit()
    return _show(conversation, form)


def _show(conversation, form, agreed_form=None):
    posting = conversation.posting
    is_author = conversation.author_id == current_user.id
    box = youth.rules_box(posting, conversation) if posting is not None else None
    if agreed_form is None and box is not None and posting.kind == "taschengeld":
        agreed_form = _agreed_form(posting, conversation)
    return render_template(
        "messaging/conversation.html",
        conversation=conversation,
        form=form,
        agreed_form=agreed_form,
        rules_box=box,
        # Whether the young helper herself reads the page (her rules, not her label).
        youth_is_me=box is not None
        and getattr(youth.helper_of(posting, conversation), "id", None) == current_user.id,
        other=conversation.other_party(current_user),
        posting=posting,
        is_author=is_author,
        page=queries.messages_page(conversation, page_arg()),
        chosen_id=queries.chosen_conversation_id(conversation.posting_id),
    )


def _agreed_form(posting, conversation) -> AgreedTimeForm:
    """Prefilled with the time agreed so far, else the posting's own."""
    job = youth.job_of(posting, conversation)
    return AgreedTimeForm(
        formdata=None,
        on_date=job.on_date,
        start=job.start,
        hours=format_decimal(round(job.minutes / 60, 2)) if job.minutes else None,
    )


@bp.post("/<int:conversation_id>/agreed-time")
@login_required
def agreed_time(conversation_id: int):
    """The author agrees a date, start and duration with a young helper."""
    conversation = _conversation_or_404(conversation_id)
    posting = conversation.posting
    if posting is None or posting.author_id != current_user.id or conversation.is_assigned:
        abort(404)
    agreed_form = AgreedTimeForm()
    if agreed_form.validate_on_submit():
        try:
            youth.set_agreed_time(
                conversation,
                current_user,
                agreed_form.on_date.data,
                agreed_form.start.data,
                agreed_form.minutes,
            )
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(agreed_form, error)
        else:
            db.session.commit()
            flash(_("The agreed time is saved."), "success")
            return redirect(
                url_for("messaging.conversation", conversation_id=conversation.id) + "#agreed"
            )
    return _show(conversation, MessageForm(formdata=None), agreed_form)


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


@postings_bp.route("/postings/<int:posting_id>/assign", methods=["GET", "POST"])
@login_required
def assign(posting_id: int):
    """Pick one responder ("vergeben"), after a confirmation step.

    GET shows the question; the POST from it carries confirm=1 and chooses. A POST without
    it (the posting page's buttons) is sent to the question first: one stray Enter never
    chooses a helper.
    """
    source = request.form if request.method == "POST" else request.args
    conversation_id = int_arg("conversation_id", source=source)
    conversation = db.session.get(Conversation, conversation_id) if conversation_id else None
    if conversation is None or conversation.posting_id != posting_id:
        abort(404)
    # The helper chosen when the author clicked; a choice made meanwhile is not overwritten.
    chosen_id = int_arg("chosen", source=source)
    if request.method == "POST" and source.get("confirm") == "1":
        return author_action(
            posting_id,
            lambda p: services.assign_posting(p, current_user, conversation, chosen_id),
            _("You have chosen a helper. The posting is no longer on the board."),
        )
    posting = get_scoped_or_404(Posting, posting_id, g.municipality)
    ensure_author(posting, current_user)
    if request.method == "POST":
        return redirect(
            url_for(
                "postings.assign",
                posting_id=posting.id,
                conversation_id=conversation.id,
                chosen=chosen_id or "",
            ),
            303,
        )
    return _ask_before_choosing(posting, conversation, chosen_id)


def _ask_before_choosing(posting: Posting, conversation: Conversation, chosen_id: int | None):
    """The confirmation page; back to the conversation when there is nothing to confirm."""
    back = url_for("messaging.conversation", conversation_id=conversation.id)
    if conversation.responder is None:
        abort(404)
    if conversation.is_assigned:
        flash(_("You have chosen this helper."), "info")
        return redirect(back)
    if posting.status not in ACTIVE_STATUSES or posting.is_expired():
        flash(_("This posting is not open."), "error")
        return redirect(back)
    # Named on the page when the author switches; the choice itself checks it again.
    previous = db.session.get(Conversation, chosen_id) if chosen_id else None
    if previous is not None and (previous.posting_id != posting.id or not previous.is_assigned):
        previous = None
    return render_template(
        "messaging/confirm_choice.html",
        posting=posting,
        conversation=conversation,
        helper=conversation.responder,
        previous=previous,
        chosen_id=chosen_id,
        back=back,
    )


@postings_bp.route("/postings/<int:posting_id>/respond", methods=["GET", "POST"])
@login_required
def respond(posting_id: int):
    """Answer a posting with a first message."""
    posting = visible_posting_or_404(posting_id)
    if posting.author_id == current_user.id:
        flash(_("You cannot answer your own posting."), "info")
        return redirect(url_for("postings.detail", posting_id=posting.id))
    if request.method == "GET":
        existing = queries.own_conversation(posting, current_user)
        if existing is not None:
            return redirect(url_for("messaging.conversation", conversation_id=existing.id))
    form = MessageForm()
    if form.validate_on_submit():
        replay = idempotency.replayed(
            form, current_user, url_for("postings.detail", posting_id=posting.id)
        )
        if replay is not None:
            return replay
        try:
            # An answer sent again with another form (a second tab) joins the conversation.
            conversation = services.respond(posting, current_user, form.body.data)
        except NotAllowed as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for("postings.detail", posting_id=posting.id))
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            url = url_for("messaging.conversation", conversation_id=conversation.id)
            idempotency.remember(form, current_user, url)
            db.session.commit()
            flash(_("Your message has been sent."), "success")
            return redirect(url)
    return render_template("postings/respond.html", form=form, posting=posting)
