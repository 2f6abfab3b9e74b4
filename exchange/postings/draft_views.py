"""Writing a posting in steps: /k/<slug>/postings/new starts a draft, each step is a page.

Börse → Gesuch/Angebot → category → when → where → text → check → publish. The draft (a row
of posting_draft, not the cookie session) holds every answer, so "Zurück" loses nothing and
the steps can be left and continued later from "Meine Einträge". Publishing posts to
``postings.create``, which creates the posting through the usual service.
"""

from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from ..core import idempotency
from ..core.inputs import DB_INT_MAX, parse_int
from ..errors import ExchangeError, NotFound
from ..extensions import db
from ..i18n import _
from ..municipalities.location_fields import load_location
from ..municipalities.queries import districts_of
from ..municipalities.tenancy import attach_tenant
from ..youth.explain import describe_all
from . import draft_services, services
from .cards import job_when_text
from .categories import CATEGORY_BY_KEY, DIRECTIONS
from .contact_mask import find_contacts
from .draft_forms import (
    FORM_STEPS,
    STEPS,
    PublishForm,
    first_missing,
    posted_form,
    posting_values,
    step_of_field,
    stored_form,
    typed_values,
)

bp = Blueprint("postings_drafts", __name__, url_prefix="/k/<slug>/postings/drafts")
attach_tenant(bp)


def step_url(draft_id: int, step: str, **args) -> str:
    """The address of one step of a draft."""
    return url_for("postings_drafts.step", draft_id=draft_id, step=step, **args)


def rules_providers_url(slug: str) -> str:
    """The rules page for job providers (youth.rules_providers), or its agreed path."""
    try:
        return url_for("youth.rules_providers", slug=slug)
    except BuildError:  # the youth pages are another branch's; the path is agreed
        return f"{request.script_root}/k/{slug}/taschengeld/regeln/auftraggeber"


def youth_notice(data: dict, districts) -> dict | None:
    """Why young people may not do the draft's job, once its "when" is answered; or None.

    Only for a Taschengeld request: the words of youth.rules.job_limits, for adults only
    ("nur für Erwachsene") or for children and pupils only.
    """
    if data.get("kind") != "taschengeld" or data.get("direction") != "request":
        return None
    if "timing" not in data or data.get("category") is None:
        return None
    when = stored_form("when", data, g.municipality, districts)
    if not when.validate():
        return None
    job = SimpleNamespace(
        kind=data["kind"],
        direction=data["direction"],
        category=data["category"],
        timing=when.timing.data,
        on_date=when.on_date.data,
        start_time=getattr(when.start_time, "parsed", None),
        duration_minutes=getattr(when.duration_hours, "minutes", None),
    )
    adults_only, children = services.job_limits_of(job, g.municipality)
    if not adults_only and not children:
        return None
    return {
        "adults_only": bool(adults_only),
        "reasons": describe_all(adults_only or children),
        "rules_url": rules_providers_url(g.municipality.slug),
    }


def _acting_admin_id() -> int | None:
    """The admin acting for the signed-in proxy, if any (set by admin.acting on every request)."""
    if g.get("acting_for") is None:
        return None
    real = g.get("real_user")
    return real.id if real is not None else None


def start():
    """GET /postings/new: a draft (new, or her untouched one) and its first open step."""
    preset = {}
    if request.args.get("kind") in g.municipality.enabled_kinds:
        preset["kind"] = request.args["kind"]
    if request.args.get("direction") in DIRECTIONS:
        preset["direction"] = request.args["direction"]
    draft = draft_services.start_draft(
        current_user, g.municipality, preset, acting_admin_id=_acting_admin_id()
    )
    db.session.commit()
    districts = districts_of(g.municipality)
    return redirect(
        step_url(draft.id, first_missing("check", draft.data, g.municipality, districts) or "check")
    )


def publish():
    """POST /postings/new: check the whole draft again and publish it, once per token."""
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    draft_id = parse_int(form.draft.data, 1, DB_INT_MAX)
    if draft_id is None:
        abort(404)
    replay = idempotency.replayed(form, current_user, url_for("postings_me.mine"))
    if replay is not None:
        return replay
    try:
        draft = draft_services.own_draft(draft_id, current_user, g.municipality)
    except NotFound:
        db.session.rollback()
        flash(_("This draft was already published or thrown away."), "info")
        return redirect(url_for("postings_me.mine"))
    districts = districts_of(g.municipality)
    missing = first_missing("check", draft.data, g.municipality, districts)
    values = None if missing else posting_values(draft.data, g.municipality, districts)
    if values is None:
        db.session.rollback()
        flash(_("Please check this step again."), "error")
        return redirect(step_url(draft_id, missing or STEPS[0], check=1))
    try:
        posting = draft_services.publish(draft, current_user, g.municipality, values)
    except ExchangeError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(step_url(draft_id, step_of_field(error.field or ""), check=1))
    idempotency.remember(form, current_user, url_for("postings.detail", posting_id=posting.id))
    db.session.commit()
    flash(_("Your posting is now on the board."), "success")
    return redirect(url_for("postings.detail", posting_id=posting.id))


@bp.route("/<int:draft_id>/<step>", methods=["GET", "POST"])
@login_required
def step(draft_id: int, step: str):
    """One step: its fields only; "Weiter" checks and goes on, "Zurück" keeps and goes back."""
    if step not in STEPS:
        abort(404)
    draft = draft_services.own_draft(draft_id, current_user, g.municipality)
    districts = districts_of(g.municipality)
    missing = first_missing(step, draft.data, g.municipality, districts)
    if missing is not None:
        return redirect(step_url(draft.id, missing))
    if step == "check":
        return _check_page(draft, districts)
    index = STEPS.index(step)
    if request.method == "POST":
        form = posted_form(step, draft.data, g.municipality, districts)
        if request.form.get("nav") == "back" and index > 0:
            # Kept as typed, even half done: the steps before never depend on it.
            draft_services.keep_answers(draft, typed_values(form, request.form))
            db.session.commit()
            return redirect(step_url(draft.id, STEPS[index - 1]))
        if form.validate_on_submit():
            following = STEPS[index + 1]
            draft_services.keep_answers(draft, typed_values(form, request.form), following)
            db.session.commit()
            return redirect(step_url(draft.id, following))
    else:
        form = stored_form(step, draft.data, g.municipality, districts)
        if step == "where" and "district" not in draft.data and "postcode" not in draft.data:
            load_location(form, current_user)  # her own place, until she answers otherwise
        if request.args.get("check"):
            form.validate()  # sent back from publishing: show what is wrong
    return render_template(
        f"postings/steps/{step}.html",
        form=form,
        draft=draft,
        step=step,
        number=index + 1,
        total=len(STEPS),
        back_url=step_url(draft.id, STEPS[index - 1]) if index else None,
        # Once "when" is answered, the steps say why young people may not do the job.
        youth_notice=youth_notice(draft.data, districts)
        if index >= STEPS.index("when") and request.method == "GET"
        else None,
    )


def _check_page(draft, districts):
    """The posting as it will appear, with a link to change each answer, and "Veröffentlichen"."""
    values = posting_values(draft.data, g.municipality, districts)
    if values is None:  # each step passes but not all together (should not happen)
        return redirect(step_url(draft.id, STEPS[0], check=1))
    district = next((d for d in districts if d.id == values["district_id"]), None)
    preview = SimpleNamespace(
        **values,
        place_name=district.name if district else values["postcode"],
        category_label=CATEGORY_BY_KEY[values["category"]].label,
    )
    form = PublishForm()
    form.draft.data = str(draft.id)
    return render_template(
        "postings/steps/check.html",
        youth_notice=youth_notice(draft.data, districts),
        when_text=job_when_text(preview, full=True),
        form=form,
        draft=draft,
        step="check",
        preview=preview,
        number=len(STEPS),
        total=len(STEPS),
        back_url=step_url(draft.id, FORM_STEPS[-1]),
        has_hidden_contacts=bool(
            find_contacts(values["title"]) or find_contacts(values["description"])
        ),
    )


@bp.route("/<int:draft_id>/discard", methods=["GET", "POST"])
@login_required
def discard(draft_id: int):
    """Ask, then throw an unfinished posting away."""
    draft = draft_services.own_draft(draft_id, current_user, g.municipality)
    if request.method == "POST":
        draft_services.discard(draft)
        db.session.commit()
        flash(_("The unfinished posting was thrown away."), "success")
        return redirect(url_for("postings_me.mine"))
    return render_template("postings/steps/discard.html", draft=draft)
