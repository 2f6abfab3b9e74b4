"""Per-Kommune information pages and theme."""

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user

from ..extensions import db, limiter
from ..i18n import _
from ..static_files import ONE_YEAR
from .accessibility import queries as statements
from .accessibility.forms import FeedbackForm
from .accessibility.services import submit_feedback
from .tenancy import attach_tenant
from .terms import current_terms

bp = Blueprint("municipalities", __name__, url_prefix="/k/<slug>")
attach_tenant(bp)


@bp.get("/imprint")
def imprint():
    """The Kommune's imprint (Impressum)."""
    return render_template(
        "municipalities/page.html",
        title=_("Imprint"),
        text=g.municipality.imprint_text,
        kind="imprint",
    )


@bp.get("/privacy")
def privacy():
    """The Kommune's privacy notice (Datenschutzerklärung)."""
    return render_template(
        "municipalities/page.html",
        title=_("Privacy"),
        text=g.municipality.privacy_text,
        kind="privacy",
        cookie_note=True,  # the cookies the site sets, whatever the Kommune's own text says
    )


@bp.get("/terms")
def terms():
    """The Kommune's terms of use (Nutzungsbedingungen), current version."""
    current = current_terms(g.municipality)
    return render_template(
        "municipalities/terms.html",
        title=_("Terms of use"),
        text=current.terms_text,
        terms=current,
        other_url=url_for("municipalities.conduct"),
        other_title=_("Code of conduct"),
    )


@bp.get("/conduct")
def conduct():
    """The Kommune's code of conduct (Verhaltensregeln), current version."""
    current = current_terms(g.municipality)
    return render_template(
        "municipalities/terms.html",
        title=_("Code of conduct"),
        text=current.conduct_text,
        terms=current,
        other_url=url_for("municipalities.terms"),
        other_title=_("Terms of use"),
    )


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement (Erklärung zur Barrierefreiheit) with its feedback form."""
    form = FeedbackForm()
    if current_user.is_authenticated and current_user.email:
        # Signed in: the answer goes to her own address unless she changes it.
        form.name.data, form.email.data = current_user.display_name, current_user.email
    return _statement_page(form)


def _statement_page(form: FeedbackForm):
    return render_template(
        "municipalities/accessibility_statement.html",
        statement=statements.statement_for(g.municipality),
        text=g.municipality.accessibility_text,
        form=form,
    )


@bp.route("/accessibility/feedback", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config.get("FEEDBACK_RATE_LIMIT", "5 per minute;30 per hour"),
    methods=["POST"],
)
def accessibility_feedback():
    """Report a barrier (guests too): kept for the Kommune's admins, acknowledged by e-mail."""
    if request.method == "GET":
        # The page's language links point here after a form error.
        return redirect(url_for("municipalities.accessibility", _anchor="feedback"))
    form = FeedbackForm()
    if not form.validate_on_submit():
        return _statement_page(form)
    submit_feedback(
        g.municipality,
        message=form.message.data,
        page=form.page.data,
        name=form.name.data,
        email=form.email.data,
        locale=str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
    )
    db.session.commit()
    if form.email.data:
        flash(_("Thank you. We have received your report and sent you a confirmation."), "success")
    else:
        flash(_("Thank you. We have received your report."), "success")
    # To the page's top, where the confirmation shows.
    return redirect(url_for("municipalities.accessibility"))


@bp.get("/theme.css")
def theme():
    """The Kommune's colour as CSS custom properties (keeps the CSP free of inline styles)."""
    css = f":root {{ --theme-color: {g.municipality.safe_theme_color}; }}\n"
    response = Response(css, mimetype="text/css")
    if request.args.get("v") == g.municipality.theme_version:
        # Pages link ?v=<colour>: a new colour is a new URL, so this one never changes.
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.max_age = 300
    return response
