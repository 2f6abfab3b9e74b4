"""Start page, platform pages, language switch and health check."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from ..extensions import db
from ..i18n import _
from ..municipalities.queries import all_municipalities

bp = Blueprint("core", __name__)


def safe_next(target: str | None, fallback: str) -> str:
    """Return target when it is a local path, else fallback (no open redirects)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return fallback


@bp.get("/")
def home():
    """Choose a Kommune; go straight to the board when there is only one."""
    municipalities = all_municipalities()
    if len(municipalities) == 1:
        return redirect(url_for("postings.board", slug=municipalities[0].slug))
    return render_template("core/home.html", municipalities=municipalities)


@bp.post("/language")
def set_language():
    """Switch the interface language (and remember it for signed-in users)."""
    code = request.form.get("lang", "")
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("core.home")))


@bp.get("/imprint")
def imprint():
    """The operator's imprint."""
    return render_template("core/page.html", title=_("Imprint"), kind="imprint")


@bp.get("/privacy")
def privacy():
    """The operator's privacy notice."""
    return render_template("core/page.html", title=_("Privacy"), kind="privacy")


@bp.get("/accessibility")
def accessibility():
    """The platform's accessibility statement."""
    return render_template("municipalities/accessibility.html", text="")


@bp.get("/healthz")
def healthz():
    """200 when the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        return {"status": "unavailable"}, 503
    return {"status": "ok"}
