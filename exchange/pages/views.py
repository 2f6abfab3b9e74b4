"""Start page, platform pages, language switch and health check."""

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import text

from ..core.inputs import safe_next
from ..extensions import db, limiter
from ..i18n import _, remember_language, without_language_link
from ..mail.queries import outbox_backlog
from ..municipalities.queries import all_municipalities
from ..municipalities.terms import current_terms
from ..static_files import static_url

FAVICON_MAX_AGE = 24 * 60 * 60

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    """Choose a Kommune; go straight to the board when there is only one."""
    municipalities = all_municipalities()
    if len(municipalities) == 1:
        return redirect(url_for("postings.board", slug=municipalities[0].slug))
    return render_template("core/home.html", municipalities=municipalities)


@bp.post("/language")
def set_language():
    """Save the language: a signed-in person's setting, and the cookie kept after signing out.

    Guests switch with plain ?lang= links (no session needed); this form is for signed-in people.
    """
    code = request.form.get("lang", "")
    if code in current_app.config["LANGUAGES"]:
        remember_language(code)
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    target = safe_next(request.form.get("next"), url_for("pages.home"))
    return redirect(without_language_link(target))


@bp.get("/imprint")
def imprint():
    """The operator's imprint."""
    return render_template("core/page.html", title=_("Imprint"), kind="imprint")


@bp.get("/privacy")
def privacy():
    """The operator's privacy notice."""
    return render_template("core/page.html", title=_("Privacy"), kind="privacy")


@bp.get("/terms")
def terms():
    """The terms of use without a Kommune: the default text and each Kommune's own."""
    return render_template(
        "core/terms.html",
        title=_("Terms of use"),
        text=current_terms(None).terms_text,
        endpoint="municipalities.terms",
        municipalities=all_municipalities(),
    )


@bp.get("/conduct")
def conduct():
    """The code of conduct without a Kommune: the default text and each Kommune's own."""
    return render_template(
        "core/terms.html",
        title=_("Code of conduct"),
        text=current_terms(None).conduct_text,
        endpoint="municipalities.conduct",
        municipalities=all_municipalities(),
    )


@bp.get("/accessibility")
def accessibility():
    """The platform's accessibility statement."""
    return render_template("municipalities/accessibility.html", text="")


@bp.get("/favicon.ico")
@limiter.exempt
def favicon():
    """Browsers ask for /favicon.ico by themselves: send them on to the fingerprinted icon.

    The redirect is kept for a day (a new icon gets a new name); the icon itself for a year.
    """
    response = redirect(static_url("favicon.ico"))
    response.cache_control.public = True
    response.cache_control.max_age = FAVICON_MAX_AGE
    # Marked so that signed-in visitors keep it too (their pages are no-store, see web.py).
    response.cache_control.immutable = True
    return response


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """Database reachability and the outbox backlog as JSON; 503 when the database is down.

    Cheap on purpose (monitors poll it): no template, no session, no personal data.
    """
    try:
        db.session.execute(text("SELECT 1"))
        backlog = outbox_backlog()
    except Exception as error:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        current_app.logger.warning("Health check: database unreachable (%s)", type(error).__name__)
        response = jsonify({"status": "error", "database": "error", "outbox": None})
        response.status_code = 503
    else:
        age = backlog["oldest_pending_age_seconds"]
        late = age is not None and age > current_app.config["HEALTH_OUTBOX_MAX_AGE_SECONDS"]
        response = jsonify(
            {"status": "degraded" if late else "ok", "database": "ok", "outbox": backlog}
        )
    response.headers["Cache-Control"] = "no-store"
    return response
