"""The operator area (/admin/): Kommunen and their admins. Only the superadmin gets in."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..accounts.models import ROLE_ADMIN, ROLE_SUPERADMIN, User
from ..admin.acting import real_user
from ..admin.overview import council, report
from ..admin.overview import views as overview
from ..core import idempotency
from ..core.inputs import page_arg
from ..errors import ExchangeError, attach_to_form
from ..extensions import db, login_manager
from ..i18n import _, ngettext
from ..mail import queries as mail_queries
from ..mail.models import MailFailure, OutboxEmail
from ..mail.services import requeue_failed
from ..mail.services import requeue_mail as requeue
from ..municipalities.models import Municipality
from ..municipalities.vocab import Kind
from . import queries, services
from .forms import AppointAdminForm, MunicipalityForm

bp = Blueprint("operator", __name__, url_prefix="/admin")


def operator_required(view):
    """Guests go to the login page; everyone but the operator gets 403."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        user = real_user()
        if user is None or user.role != ROLE_SUPERADMIN:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _municipality_or_404(municipality_id: int) -> Municipality:
    municipality = db.session.get(Municipality, municipality_id)
    if municipality is None:
        abort(404)
    return municipality


def _values(form: MunicipalityForm) -> dict:
    return {name: field.data for name, field in form._fields.items() if name != "csrf_token"}


@bp.get("/")
@operator_required
def municipalities():
    """Every Kommune of this installation."""
    return render_template("operator/municipalities.html", rows=queries.overview())


@bp.route("/municipalities/new", methods=["GET", "POST"])
@operator_required
def create():
    """Add a Kommune."""
    form = MunicipalityForm()
    if request.method == "GET":
        form.enabled_kinds.data = [kind.value for kind in Kind]
        form.theme_color.data = "#0b5ea8"
    if form.validate_on_submit():
        replay = idempotency.replayed(form, real_user(), url_for("operator.municipalities"))
        if replay is not None:
            return replay
        try:
            municipality = services.create_municipality(real_user(), _values(form))
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            idempotency.remember(
                form, real_user(), url_for("operator.admins", municipality_id=municipality.id)
            )
            db.session.commit()
            flash(_("%(name)s is created.", name=municipality.name), "success")
            return redirect(url_for("operator.admins", municipality_id=municipality.id))
    return render_template("operator/municipality_form.html", form=form, municipality=None)


@bp.route("/municipalities/<int:municipality_id>/edit", methods=["GET", "POST"])
@operator_required
def edit(municipality_id: int):
    """Change a Kommune."""
    municipality = _municipality_or_404(municipality_id)
    form = MunicipalityForm(obj=None if request.method == "POST" else municipality)
    if request.method == "GET":
        form.postcodes.data = ", ".join(municipality.postcodes)
        form.enabled_kinds.data = municipality.enabled_kinds
        form.districts.data = "\n".join(
            f"{d.name}; {d.postcode}; {d.latitude:.4f}; {d.longitude:.4f}"
            for d in municipality.districts
        )
    if form.validate_on_submit():
        try:
            services.update_municipality(real_user(), municipality, _values(form))
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The changes are saved."), "success")
            return redirect(url_for("operator.municipalities"))
    return render_template("operator/municipality_form.html", form=form, municipality=municipality)


@bp.route("/municipalities/<int:municipality_id>/admins", methods=["GET", "POST"])
@operator_required
def admins(municipality_id: int):
    """The Kommune's admins; appoint one."""
    municipality = _municipality_or_404(municipality_id)
    form = AppointAdminForm()
    if form.validate_on_submit():
        try:
            user = services.appoint_admin(real_user(), municipality, form.email.data)
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is now an admin.", name=user.display_name), "success")
            return redirect(url_for("operator.admins", municipality_id=municipality.id))
    return render_template(
        "operator/admins.html",
        municipality=municipality,
        admins=queries.admins_of(municipality),
        form=form,
    )


@bp.route(
    "/municipalities/<int:municipality_id>/admins/<int:user_id>/remove", methods=["GET", "POST"]
)
@operator_required
def remove_admin(municipality_id: int, user_id: int):
    """Take away admin rights, after confirmation."""
    municipality = _municipality_or_404(municipality_id)
    user = db.session.get(User, user_id)
    if user is None or user.municipality_id != municipality.id or user.role != ROLE_ADMIN:
        abort(404)
    if request.method == "POST":
        services.remove_admin(real_user(), municipality, user)
        db.session.commit()
        flash(_("%(name)s is no longer an admin.", name=user.display_name), "success")
        return redirect(url_for("operator.admins", municipality_id=municipality.id))
    return render_template("operator/remove_admin.html", municipality=municipality, user=user)


# --- The outbox: what is stuck, and sending it again ------------------------------------------


@bp.get("/mail")
@operator_required
def mail():
    """Outbox status: pending, retrying and failed mails; requeue failed ones."""
    return render_template(
        "operator/mail.html",
        counts=mail_queries.mail_counts(),
        summary=mail_queries.stuck_mail_summary(),
        page=mail_queries.failed_mails(page_arg()),
        reasons={
            MailFailure.REJECTED: _("Refused by the mail server"),
            MailFailure.EXPIRED: _("Not delivered in time"),
        },
    )


@bp.post("/mail/<int:mail_id>/requeue")
@operator_required
def requeue_mail(mail_id: int):
    """Send one failed mail again."""
    mail = db.session.get(OutboxEmail, mail_id)
    if mail is None:
        abort(404)
    try:
        requeue(mail)
    except ExchangeError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The e-mail is queued again."), "success")
    return redirect(url_for("operator.mail"))


@bp.route("/mail/requeue-all", methods=["GET", "POST"])
@operator_required
def requeue_all_mail():
    """Send every failed mail again, after confirmation."""
    if request.method == "POST":
        count = requeue_failed()
        db.session.commit()
        flash(
            ngettext("%(num)d e-mail is queued again.", "%(num)d e-mails are queued again.", count),
            "success",
        )
        return redirect(url_for("operator.mail"))
    return render_template("operator/mail_requeue_all.html", counts=mail_queries.mail_counts())


# --- Figures across all Kommunen -------------------------------------------------------------


@bp.get("/figures")
@operator_required
def figures():
    """The council figures of all Kommunen together, and each Kommune's totals for the year."""
    form, data = overview.chosen_figures(None)
    return render_template(
        "operator/figures.html",
        form=form,
        tables=report.tables(data, with_districts=False),
        municipalities=council.municipalities_by_name(),
        per=data.per_municipality,
        empty=council.Totals(),
        **overview.figures_page_context(data),
    )


@bp.get("/figures.csv")
@operator_required
def figures_csv():
    """The operator's figures as CSV, with each Kommune's totals for the year."""
    _form, data = overview.chosen_figures(None)
    rows = report.csv_rows(data, with_districts=False)
    for municipality in council.municipalities_by_name():
        totals = data.per_municipality.get(municipality.id, council.Totals())
        for measure, value in report.totals_items(totals):
            rows.append([data.year, "year", str(data.year), measure, municipality.slug, value])
    return overview.csv_response(rows, f"figures-{data.year}-{data.period}.csv")
