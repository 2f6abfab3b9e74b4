"""The Engagementnachweis and thanks (blueprint ``certificates``).

/me/engagement/nachweis               her years with confirmed hours, her thanks, the help she
                                      received (to thank)
/me/engagement/nachweis/<year>.pdf    the proof of a year as PDF (issues it under a code)
/me/engagement/<record_id>/danke      thank the helper of a confirmed help (once)
/nachweis, /nachweis/<code>           anyone checks a code (rate-limited)
"""

from __future__ import annotations

import json

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup

from ..core.pdf import pdf_response
from ..errors import ExchangeError, attach_to_form
from ..extensions import db, limiter
from ..i18n import _
from ..municipalities.models import Municipality
from ..postings.contact_mask import mask_text
from ..youth.explain import hours_text
from . import certificate_queries as queries
from . import certificate_services, stamp, thanks_services, thresholds
from .certificate_forms import LookupForm
from .thanks_forms import ThanksForm

bp = Blueprint("certificates", __name__)


def _me():
    return current_user._get_current_object()


@bp.get("/me/engagement/nachweis")
@login_required
def index():
    """Her confirmed hours by year with the PDF buttons, her thanks, help she can thank for."""
    user = _me()
    return render_template(
        "ledger/certificates/index.html",
        summaries=queries.year_summaries(user),
        thanks=queries.thanks_received(user),
        received=queries.help_received(user),
        hours_text=hours_text,
        tables=queries.tables,
    )


def _user_key() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else request.remote_addr


@bp.route("/me/engagement/nachweis/<int:year>.pdf", methods=["GET", "POST"])
@login_required
# A PDF costs the server a second of CPU: nobody needs dozens a minute.
@limiter.limit(
    lambda: current_app.config.get("CERTIFICATE_PDF_RATE_LIMIT", "10 per minute"),
    key_func=_user_key,
)
def pdf(year: int):
    """Her proof of year as a PDF (the same code while her hours stay the same)."""
    user = _me()
    try:
        certificate = certificate_services.issue(user, year)
    except ExchangeError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("certificates.index"))
    db.session.commit()
    municipality = db.session.get(Municipality, certificate.municipality_id)
    settings = queries.settings_of(municipality)
    name, role = queries.signatory(municipality)
    summary = json.loads(certificate.summary_json)
    url = verification_url(certificate.code)
    return pdf_response(
        "ledger/certificates/pdf.html",
        f"engagementnachweis-{year}.pdf",
        municipality=municipality,
        certificate=certificate,
        summary=summary,
        thanks=[mask_text(t.body) for t in queries.thanks_for_certificate(user, year)],
        standings=thresholds.standings(municipality.state, year, certificate.total_minutes),
        source_note=thresholds.SOURCE_NOTE,
        signatory_name=name,
        signatory_role=role,
        stamp_uri=stamp.data_uri(settings.stamp_filename),
        verification_url=url,
        qr_svg=Markup(segno.make(url, error="m").svg_inline(scale=2, border=0)),  # noqa: S704
        hours_text=hours_text,
        tables=queries.tables,
    )


def verification_url(code: str) -> str:
    """The public address of the check, printed on the proof and in its QR code."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or request.host_url).rstrip("/")
    return base + url_for("certificates.verify", code=code)


@bp.post("/me/engagement/nachweis/danke/<int:thanks_id>")
@login_required
def choose_thanks(thanks_id: int):
    """Quote a thank-you in the proof, or take it out."""
    user = _me()
    thanks = queries.thanks_of_helper(user, thanks_id)
    if thanks is None:
        abort(404)
    chosen = request.form.get("on_certificate") == "1"
    try:
        certificate_services.choose_thanks(user, thanks, chosen)
    except ExchangeError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        if chosen:
            flash(_("The thank-you will appear in your proof."), "success")
        else:
            flash(_("The thank-you will not appear in your proof."), "success")
    return redirect(url_for("certificates.index", _anchor="thanks"))


@bp.route("/me/engagement/<int:record_id>/danke", methods=["GET", "POST"])
@login_required
def thank(record_id: int):
    """Thank the helper of a confirmed help one received (or an admin for a proxy)."""
    user = _me()
    record = queries.record_to_thank(user, record_id)
    if record is None:
        abort(404)
    if queries.thanks_for_record(record) is not None:
        flash(_("You have already said thank you for this help."), "info")
        return redirect(url_for("certificates.index"))
    form = ThanksForm()
    if form.validate_on_submit():
        try:
            thanks_services.thank(user, record, form.body.data)
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("Thank you! Your words reach the helper."), "success")
            return redirect(url_for("certificates.index"))
    return render_template(
        "ledger/thanks/new.html", form=form, record=record, hours_text=hours_text
    )


def _lookup_limit() -> str:
    return current_app.config.get("CERTIFICATE_LOOKUP_RATE_LIMIT", "20 per minute;200 per hour")


@bp.get("/nachweis")
@limiter.limit(_lookup_limit, exempt_when=lambda: not request.args)
def lookup():
    """A form to type the code printed on a proof."""
    form = LookupForm(request.args)
    if request.args and form.validate():
        code = queries.normalise_code(form.code.data)
        if code is not None:
            return redirect(url_for("certificates.verify", code=code))
        form.code.errors.append(
            _(
                "This is not a verification code. "
                "It has 16 letters and digits, e.g. ABCD-EFGH-JKLM-NPQR."
            )
        )
    return render_template("ledger/certificates/lookup.html", form=form)


@bp.get("/nachweis/<code>")
@limiter.limit(_lookup_limit)
def verify(code: str):
    """Whether a code belongs to a proof, and what that proof stated (guests too)."""
    certificate = queries.certificate_by_code(code)
    if certificate is None:
        return render_template(
            "ledger/certificates/verify.html", certificate=None, form=LookupForm(formdata=None)
        ), 404
    municipality = db.session.get(Municipality, certificate.municipality_id)
    g.municipality = municipality
    return render_template(
        "ledger/certificates/verify.html",
        certificate=certificate,
        summary=json.loads(certificate.summary_json),
        issuer=municipality,
        hours_text=hours_text,
        tables=queries.tables,
        form=LookupForm(formdata=None),
    )
