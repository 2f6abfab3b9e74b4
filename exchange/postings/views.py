"""The board and the postings of a Kommune, and the own postings at /me/postings."""

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
from flask_babel import get_locale
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from ..accounts.vocab import Role
from ..core.inputs import page_arg
from ..core.signals import posting_page, results
from ..errors import ExchangeError, attach_to_form
from ..extensions import db
from ..geo import postcode_point
from ..i18n import _
from ..municipalities.location_fields import load_location
from ..municipalities.queries import districts_of
from ..municipalities.tenancy import attach_tenant, get_scoped_or_404, load_tenant
from ..youth.explain import minor_label
from . import board_cache, cards, draft_services, draft_views, fragments, queries, services
from .contact_mask import find_contacts, mask_contacts
from .forms import BoardFilterForm, PostingForm, hours_input
from .models import Posting
from .vocab import EDITABLE_STATUSES

bp = Blueprint("postings", __name__, url_prefix="/k/<slug>")
# A cached guest board is served before (and without) loading the Kommune's row.
attach_tenant(bp, deferred=frozenset({"postings.board"}))
# The own postings live outside the tenant prefix, at /me/postings.
me_bp = Blueprint("postings_me", __name__, url_prefix="/me")


def _posting_or_404(posting_id: int) -> Posting:
    return get_scoped_or_404(Posting, posting_id, g.municipality)


def visible_posting_or_404(posting_id: int) -> Posting:
    """The posting of this Kommune the current user may see, else 404."""
    posting = _posting_or_404(posting_id)
    if not queries.can_view(posting, current_user):
        abort(404)
    return posting


@bp.get("/")
def board():
    """The board: filter by exchange, direction, category, district and text; paginated."""
    key = board_cache.guest_key()
    page_html = board_cache.cached(key)
    if page_html is not None:
        return page_html
    load_tenant()
    districts = queries.board_districts(g.municipality)
    form = BoardFilterForm(request.args).setup(g.municipality, districts)
    form.validate()
    filters = form.filters()
    origin, origin_label = _board_origin(filters, districts)
    query_filters = dict(filters)
    if origin is not None and filters.get("radius") and "near" not in filters:
        # The chosen Ortsteil is where the radius starts, not a fence around the results.
        query_filters.pop("district", None)
    # Links and labels of the parts kept in board_parts() depend on these, and on their key.
    where = (g.municipality.slug, request.script_root, str(get_locale()))
    filter_key = form.render_key()
    if filter_key is not None:
        filter_key = ("filters", *where, bool(filters), bool(districts), filter_key)
    result, distances = queries.board_page(
        g.municipality,
        query_filters,
        page_arg(),
        current_app.config["PAGE_SIZE"],
        origin=origin,
        radius_km=form.radius_km() if origin is not None else None,
        sort=filters.get("sort", "newest"),
    )
    pagination_key = ("pagination", *where, result.page, result.pages, tuple(filters.items()))
    return board_cache.store(
        key,
        render_template(
            "postings/board.html",
            filter_form=form,
            parts=board_parts(),
            filter_form_key=filter_key,
            pagination_key=pagination_key,
            filters=filters,
            active_filters=sum(1 for name in filters if name != "sort"),
            # Folded on every screen (results first on a phone), unless a value needs fixing.
            filters_open=bool(form.errors),
            page=result,
            districts=districts,
            cards=cards.cards(
                result.items,
                distances,
                slug=g.municipality.slug,
                kommune_name=g.municipality.name,
            ),
            origin_label=origin_label,
            needs_origin=origin is None and ("radius" in filters or "sort" in filters),
            whole_kommune_url=None if result.total else _whole_kommune_url(filters),
        ),
    )


# The filters that narrow a search to a place; without them it covers the whole Kommune.
PLACE_FILTERS = ("radius", "near", "district")


def _whole_kommune_url(filters: dict) -> str | None:
    """The same search in the whole Gemeindegebiet, when a place narrowed it; else None."""
    if not any(name in filters for name in PLACE_FILTERS):
        return None
    wider = {k: v for k, v in filters.items() if k not in PLACE_FILTERS}
    if wider.get("sort") == "distance" and not (
        current_user.is_authenticated and current_user.municipality_id == g.municipality.id
    ):
        wider.pop("sort")  # nothing to measure from
    return url_for("postings.board", slug=g.municipality.slug, **wider)


def board_parts() -> fragments.FragmentCache:
    """This app's parts of the board rendered once per key (see board()): filter form, links."""
    return current_app.extensions.setdefault("board_parts", fragments.FragmentCache(1024))


def _board_origin(filters: dict, districts):
    """Where distances are measured from: typed PLZ, chosen Ortsteil, or one's own place."""
    if filters.get("near"):
        return postcode_point(filters["near"]), filters["near"]
    if filters.get("district"):
        district = next((d for d in districts if str(d.id) == filters["district"]), None)
        if district is not None:
            return district.point, district.name
    wants_distance = bool(filters.get("radius")) or filters.get("sort") == "distance"
    is_member = current_user.is_authenticated and current_user.municipality_id == g.municipality.id
    if wants_distance and is_member:
        return current_user.point, current_user.place_name
    return None, None


@bp.get("/postings/<int:posting_id>")
def detail(posting_id: int):
    """One posting; its author also sees the responses."""
    # The author (her name for signed-in readers, whether she is blocked for everyone) is
    # loaded with the posting, not by a second query.
    posting = db.session.get(Posting, posting_id, options=(joinedload(Posting.author),))
    if (
        posting is None
        or posting.municipality_id != g.municipality.id
        or not queries.can_view(posting, current_user)
    ):
        abort(404)
    is_author = current_user.is_authenticated and posting.author_id == current_user.id
    # Messaging adds the responses or her own conversation, matching the author's matches.
    context = {"responses": [], "own_conversation": None, "matches": []}
    for part in results(posting_page, posting, viewer=current_user, is_author=is_author):
        context.update(part)
    # Phone numbers and e-mail addresses in the text are for the author, the Kommune's admins
    # and whoever is in a conversation about the posting; everyone else sees placeholders.
    is_insider = is_author or context["own_conversation"] is not None or _administers(current_user)
    if is_insider:
        title, description = posting.title, posting.description
    else:
        title, description = mask_contacts(posting.title), mask_contacts(posting.description)
    # A minor's name, age and Ortsteil are for her, her conversations and the admins only.
    hides_minor = posting.is_author_minor and not is_insider
    return render_template(
        "postings/detail.html",
        posting=posting,
        author_name=minor_label() if hides_minor else posting.author.short_name,
        place_shown=posting.municipality.name if hides_minor else posting.place_name,
        when_text=cards.job_when_text(posting, full=True),
        rules_url=draft_views.rules_providers_url(g.municipality.slug),
        is_author=is_author,
        shown_title=title,
        shown_description=description,
        has_hidden_contacts=is_author
        and bool(find_contacts(posting.title) or find_contacts(posting.description)),
        **context,
    )


def _administers(user) -> bool:
    """True for this Kommune's admins and the operator."""
    if not user.is_authenticated:
        return False
    return user.role == Role.SUPERADMIN or (
        user.role == Role.ADMIN and user.municipality_id == g.municipality.id
    )


@bp.route("/postings/new", methods=["GET", "POST"])
@login_required
def create():
    """Write a new request or offer in steps (GET starts a draft); POST publishes a draft."""
    if current_user.municipality_id != g.municipality.id:
        flash(_("You can only post in your own municipality."), "info")
        if current_user.municipality is None:  # an operator without a home Kommune
            return redirect(url_for("postings.board", slug=g.municipality.slug))
        return redirect(url_for("postings.create", slug=current_user.municipality.slug))
    # The publishing keeps this endpoint, so the audit log and the confirmation rule see it.
    return draft_views.start() if request.method == "GET" else draft_views.publish()


@bp.route("/postings/<int:posting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(posting_id: int):
    """Change one's own posting."""
    posting = _posting_or_404(posting_id)
    if posting.author_id != current_user.id:
        abort(403)
    if posting.status not in EDITABLE_STATUSES:
        flash(_("This posting can no longer be changed."), "info")
        return redirect(url_for("postings.detail", posting_id=posting.id))
    districts = districts_of(g.municipality)
    form = PostingForm(obj=None if request.method == "POST" else posting).setup(
        g.municipality, districts
    )
    if request.method == "GET":
        load_location(form, posting)
        if posting.pay_per_hour_cents is not None:
            euros, cents = divmod(posting.pay_per_hour_cents, 100)
            form.pay_per_hour.data = f"{euros},{cents:02d}"
        if posting.start_time is not None:
            form.start_time.data = posting.start_time.strftime("%H:%M")
        form.duration_hours.data = hours_input(posting.duration_minutes)
    if form.validate_on_submit():
        try:
            services.update_posting(posting, current_user, form.values())
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("postings.detail", posting_id=posting.id))
    return render_template("postings/form.html", form=form, posting=posting)


def author_action(posting_id: int, action, success: str):
    """Run action(posting) for its author, commit, flash success; back to the posting."""
    posting = _posting_or_404(posting_id)
    try:
        action(posting)
    except ExchangeError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(success, "success")
    return redirect(url_for("postings.detail", posting_id=posting.id))


@bp.post("/postings/<int:posting_id>/close")
@login_required
def close(posting_id: int):
    """Take the posting off the board."""
    return author_action(
        posting_id,
        lambda p: services.close_posting(p, current_user),
        _("The posting is closed and no longer on the board."),
    )


@bp.post("/postings/<int:posting_id>/reopen")
@login_required
def reopen(posting_id: int):
    """Put the posting back on the board."""
    return author_action(
        posting_id,
        lambda p: services.reopen_posting(p, current_user),
        _("The posting is open again for eight weeks."),
    )


@bp.post("/postings/<int:posting_id>/extend")
@login_required
def extend(posting_id: int):
    """Keep the posting for eight more weeks."""
    return author_action(
        posting_id,
        lambda p: services.extend_posting(p, current_user),
        _("The posting stays on the board for another eight weeks."),
    )


@bp.post("/postings/<int:posting_id>/done")
@login_required
def done(posting_id: int):
    """The old "help found" button: closing a posting now asks what happened (ledger.outcome).

    Kept so that an old page or bookmark still works; it changes nothing by itself.
    """
    posting = _posting_or_404(posting_id)
    if posting.author_id != current_user.id:
        abort(403)
    return redirect(url_for("ledger.outcome", posting_id=posting.id), code=303)


@me_bp.get("/postings")
@login_required
def mine():
    """The signed-in user's postings, with their state."""
    page = queries.postings_of(current_user, page_arg())
    return render_template(
        "postings/mine.html",
        page=page,
        cards=cards.cards(page.items, show_status=True, own=True),
        drafts=draft_services.drafts_of(current_user),
    )
