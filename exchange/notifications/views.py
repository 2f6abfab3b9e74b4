"""The one-click extension of a posting from the reminder mail (reminders.py)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ..errors import ExchangeError
from ..extensions import db
from . import reminders

bp = Blueprint("reminders", __name__)


@bp.route("/eintrag/verlaengern/<token>", methods=["GET", "POST"])
def extend(token: str):
    """GET shows what is extended and a button; only the POST (CSRF) extends."""
    try:
        posting = (
            reminders.extend_by_token(token)
            if request.method == "POST"
            else reminders.posting_of_extend_token(token)
        )
    except ExchangeError:
        db.session.rollback()
        return render_template("notifications/extend_invalid.html"), 404
    if request.method == "POST":
        db.session.commit()
        return render_template("notifications/extended.html", posting=posting)
    return render_template("notifications/extend.html", posting=posting, token=token)
