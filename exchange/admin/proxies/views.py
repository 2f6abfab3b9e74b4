"""Proxy accounts, acting for them, the shared inbox with call notes, letters and the sheet.

Every view here checks the signed-in admin (``real_user()``), never the proxy acted for.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from ...accounts.models import User
from ...core import idempotency
from ...core.inputs import page_arg, safe_next
from ...core.pdf import pdf_response
from ...errors import ExchangeError, attach_to_form
from ...extensions import db
from ...i18n import _
from ...matching.queries import open_postings_of
from ...messaging.models import Conversation
from ...messaging.queries import messages_page
from ...messaging.services import mark_read
from ...municipalities.location_fields import load_location, setup_location
from ...municipalities.tenancy import attach_tenant, get_scoped_or_404
from .. import acting
from ..access import admin_required
from . import queries, services
from .forms import CallNoteForm, ProxyForm

bp = Blueprint("admin_proxies", __name__, url_prefix="/k/<slug>/admin")
attach_tenant(bp)


def _proxy_or_404(user_id: int) -> User:
    user = get_scoped_or_404(User, user_id, g.municipality)
    if not user.is_proxy:
        abort(404)
    return user


def _proxy_form(obj: User | None = None) -> ProxyForm:
    form = ProxyForm()
    setup_location(form, g.municipality.districts)
    if obj is not None and request.method == "GET":
        profile = services.proxy_profile(obj)
        form.display_name.data = obj.display_name
        form.phone.data = obj.phone
        form.postal_address.data = profile.postal_address
        load_location(form, obj)
        form.birth_year.data = profile.birth_year
        form.contact_times.data = profile.contact_times
        form.consent_on.data = profile.consent_on
        form.consent_method.data = profile.consent_method
        form.consent_by.data = profile.consent_by
    elif request.method == "GET":
        form.consent_by.data = acting.real_user().display_name
    return form


@bp.get("/proxies")
@admin_required
def proxies():
    """The Kommune's residents without internet."""
    q = request.args.get("q", "").strip()[:80]
    page = page_arg()
    return render_template(
        "admin/proxies/proxies.html", page=queries.proxies(g.municipality, q, page), q=q
    )


@bp.route("/proxies/new", methods=["GET", "POST"])
@admin_required
def proxy_new():
    """Register a resident without internet."""
    form = _proxy_form()
    if form.validate_on_submit():
        admin = acting.real_user()
        replay = idempotency.replayed(form, admin, url_for("admin_proxies.proxies"))
        if replay is not None:
            return replay
        try:
            proxy = services.create_proxy(admin, g.municipality, form.values())
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            idempotency.remember(
                form, admin, url_for("admin_proxies.proxy_detail", user_id=proxy.id)
            )
            db.session.commit()
            flash(_("%(name)s is registered.", name=proxy.display_name), "success")
            return redirect(url_for("admin_proxies.proxy_detail", user_id=proxy.id))
    return render_template("admin/proxies/proxy_form.html", form=form, proxy=None)


@bp.get("/proxies/<int:user_id>")
@admin_required
def proxy_detail(user_id: int):
    """What the town hall knows about a proxy, and what to do for them."""
    proxy = _proxy_or_404(user_id)
    return render_template(
        "admin/proxies/proxy_detail.html",
        proxy=proxy,
        profile=services.proxy_profile(proxy),
        postings=open_postings_of(proxy),
    )


@bp.route("/proxies/<int:user_id>/edit", methods=["GET", "POST"])
@admin_required
def proxy_edit(user_id: int):
    """Change a proxy's details."""
    proxy = _proxy_or_404(user_id)
    form = _proxy_form(proxy)
    if form.validate_on_submit():
        try:
            services.update_proxy(acting.real_user(), proxy, form.values())
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The details are saved."), "success")
            return redirect(url_for("admin_proxies.proxy_detail", user_id=proxy.id))
    return render_template("admin/proxies/proxy_form.html", form=form, proxy=proxy)


@bp.post("/proxies/<int:user_id>/act")
@admin_required
def act(user_id: int):
    """Start acting for a proxy ("Für <Name> handeln")."""
    proxy = _proxy_or_404(user_id)
    try:
        services.start_acting(acting.real_user(), proxy)
    except ExchangeError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("admin_proxies.proxy_detail", user_id=proxy.id))
    db.session.commit()
    flash(_("You now act for %(name)s.", name=proxy.display_name), "success")
    return redirect(
        safe_next(request.form.get("next"), url_for("postings.board", slug=g.municipality.slug))
    )


@bp.post("/acting/stop")
@admin_required
def stop_acting():
    """Stop acting for a proxy and return to the admin area."""
    proxy = acting.acting_for()
    services.stop_acting(acting.real_user(), proxy)
    db.session.commit()
    flash(_("You act as yourself again."), "success")
    if proxy is not None and proxy.municipality_id == g.municipality.id:
        return redirect(url_for("admin_proxies.proxy_detail", user_id=proxy.id))
    return redirect(url_for("admin_overview.dashboard"))


@bp.get("/proxies/<int:user_id>/sheet")
@admin_required
def sheet(user_id: int):
    """The printable Vermittlungsblatt: open postings, responses, best matches."""
    proxy = _proxy_or_404(user_id)
    return render_template(
        "admin/proxies/sheet.html",
        proxy=proxy,
        profile=services.proxy_profile(proxy),
        items=queries.sheet(proxy),
    )


@bp.get("/proxies/<int:user_id>/sheet.pdf")
@admin_required
def sheet_pdf(user_id: int):
    """The Vermittlungsblatt as a letter to post: PDF, DIN 5008 window-envelope layout."""
    proxy = _proxy_or_404(user_id)
    profile = services.proxy_profile(proxy)
    return pdf_response(
        "admin/proxies/sheet_pdf.html",
        f"vermittlungsblatt-{proxy.id}.pdf",
        proxy=proxy,
        profile=profile,
        items=queries.sheet(proxy),
        **_recipient(proxy, profile),
    )


def _recipient(proxy: User, profile) -> dict:
    """The address lines for the letter's window field."""
    lines = [line.strip() for line in profile.postal_address.splitlines() if line.strip()]
    return {"recipient_name": proxy.display_name, "recipient_lines": lines}


@bp.route("/proxies/<int:user_id>/activation", methods=["GET", "POST"])
@admin_required
def activation(user_id: int):
    """Print a letter with a new activation code (shown once, never stored in clear)."""
    proxy = _proxy_or_404(user_id)
    if request.method == "GET":
        return render_template("admin/proxies/activation.html", proxy=proxy)
    # CSRFProtect has checked the POST; GET only explains what the letter does.
    code, expires_at = services.issue_activation_code(acting.real_user(), proxy)
    db.session.commit()
    response = make_response(
        render_template(
            "admin/proxies/activation_letter.html",
            proxy=proxy,
            profile=services.proxy_profile(proxy),
            code=code,
            expires_at=expires_at,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/proxies/<int:user_id>/activation.pdf")
@admin_required
def activation_pdf(user_id: int):
    """The activation letter as a PDF to post; like the printed page, it makes a new code."""
    proxy = _proxy_or_404(user_id)
    # CSRFProtect has checked the POST.
    code, expires_at = services.issue_activation_code(acting.real_user(), proxy)
    profile = services.proxy_profile(proxy)
    response = pdf_response(
        "admin/proxies/activation_letter_pdf.html",
        f"aktivierung-{proxy.id}.pdf",
        proxy=proxy,
        profile=profile,
        code=code,
        expires_at=expires_at,
        **_recipient(proxy, profile),
    )
    # Only a letter that was made replaces the earlier codes.
    db.session.commit()
    return response


@bp.get("/inbox")
@admin_required
def inbox():
    """Messages and match notifications addressed to the Kommune's proxies."""
    page = queries.inbox_conversations(g.municipality, page_arg())
    proxies = {c.id: queries.proxy_of(c) for c in page.items}
    unread = queries.unread_for_proxies(proxies)
    rows = [(c, proxies[c.id], unread.get(c.id, 0)) for c in page.items]
    return render_template(
        "admin/proxies/inbox.html",
        page=page,
        rows=rows,
        notifications=queries.proxy_notifications(g.municipality),
    )


def _inbox_conversation_or_404(conversation_id: int) -> tuple[Conversation, User]:
    conversation = get_scoped_or_404(Conversation, conversation_id, g.municipality)
    proxy = queries.proxy_of(conversation)
    if proxy is None:
        abort(404)
    return conversation, proxy


@bp.get("/inbox/<int:conversation_id>")
@admin_required
def inbox_conversation(conversation_id: int):
    """A proxy's conversation with the town hall's phone-call notes."""
    conversation, proxy = _inbox_conversation_or_404(conversation_id)
    unread = queries.unread_for(conversation, proxy)
    # Read on the proxy's behalf: the shared inbox shows it as dealt with for every admin.
    mark_read(conversation, proxy)
    db.session.commit()
    return _render_inbox_conversation(conversation, proxy, CallNoteForm(), unread)


def _render_inbox_conversation(conversation, proxy, form, unread=0):
    return render_template(
        "admin/proxies/inbox_conversation.html",
        conversation=conversation,
        page=messages_page(conversation, page_arg()),
        proxy=proxy,
        other=conversation.other_party(proxy),
        notes=queries.call_notes(conversation),
        form=form,
        unread=unread,
    )


@bp.post("/inbox/<int:conversation_id>/notes")
@admin_required
def add_note(conversation_id: int):
    """Record the outcome of a phone call."""
    conversation, proxy = _inbox_conversation_or_404(conversation_id)
    form = CallNoteForm()
    here = url_for("admin_proxies.inbox_conversation", conversation_id=conversation.id)
    if form.validate_on_submit():
        admin = acting.real_user()
        replay = idempotency.replayed(form, admin, here)
        if replay is not None:
            return replay
        try:
            services.add_call_note(admin, conversation, form.body.data)
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            idempotency.remember(form, admin, here)
            db.session.commit()
            flash(_("The note is saved."), "success")
            return redirect(here)
    return _render_inbox_conversation(conversation, proxy, form)
