"""Suggestions and saved searches: /me/matches, /me/searches."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..core import idempotency
from ..core.inputs import page_arg, safe_next
from ..errors import ExchangeError, NotAllowed
from ..extensions import db
from ..i18n import _
from ..notifications.models import SavedSearch
from . import cards, queries, services
from .forms import SaveSearchForm

bp = Blueprint("matching", __name__, url_prefix="/me")


@bp.get("/matches")
@login_required
def mine():
    """New notifications, the matches of each open posting, and the saved searches."""
    notifications = queries.recent_notifications(current_user)
    unread_ids = {n.id for n in notifications if n.read_at is None}
    make = cards.Cards()
    notes = make.notes(notifications, unread_ids)
    if unread_ids:
        # Before loading the rest: the commit expires what the session holds.
        services.mark_notifications_read(current_user)
        db.session.commit()
    page = queries.open_postings_page(current_user, page_arg())
    # The candidates of all the page's postings in one query (not one per posting).
    found = queries.matches_of_page(page.items)
    groups = [(p, make.matches(found[p.id], p.municipality.slug)) for p in page.items]
    return render_template(
        "matching/mine.html",
        groups=groups,
        page=page,
        notifications=notes,
        any_notifications=bool(notifications),
        searches=queries.saved_searches_of(current_user),
    )


@bp.post("/searches")
@login_required
def save_search():
    """Save the board's current filters as a search."""
    form = SaveSearchForm()
    back = safe_next(request.form.get("next"), url_for("matching.mine"))
    if not form.validate_on_submit():
        abort(400)
    replay = idempotency.replayed(form, current_user, back)
    if replay is not None:
        return replay
    try:
        services.save_search(current_user, current_user.municipality, form.data)
    except NotAllowed as error:
        db.session.rollback()
        flash(error.message, "error")
    except ExchangeError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        idempotency.remember(form, current_user, back)
        db.session.commit()
        flash(_("Search saved. We will tell you when a new posting fits."), "success")
    return redirect(back)


@bp.post("/searches/<int:search_id>/delete")
@login_required
def delete_search(search_id: int):
    """Forget a saved search."""
    search = db.session.get(SavedSearch, search_id)
    if search is None or search.user_id != current_user.id:
        abort(404)
    services.delete_search(current_user, search)
    db.session.commit()
    flash(_("The saved search is deleted."), "success")
    return redirect(url_for("matching.mine"))
