"""The Kommune's Taschengeldbörse (/k/<slug>/admin/youth): its rules, holidays, consent forms.

Every view checks the signed-in admin (``real_user()``); services write and flush, the view
commits once; another Kommune's ids are 404s.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from ...accounts.models import ROLE_RESIDENT, User
from ...core.inputs import page_arg
from ...errors import ExchangeError, attach_to_form
from ...extensions import db
from ...i18n import _
from ...municipalities.tenancy import attach_tenant, get_scoped_or_404
from ...youth import rules
from ...youth.models import LocalHoliday, SchoolHoliday
from ...youth.notice import default_insurance_notice
from ...youth.queries import helper_for, policy_for, policy_row, valid_consent
from .. import acting
from ..access import admin_required
from . import queries, services
from .forms import (
    ConsentForm,
    LocalHolidayForm,
    PolicyForm,
    PupilForm,
    SchoolHolidayForm,
    WithdrawForm,
)

bp = Blueprint("admin_youth", __name__, url_prefix="/k/<slug>/admin/youth")
attach_tenant(bp)


# ---------------------------------------------------------------------------------- the policy


@bp.route("", methods=["GET", "POST"])
@admin_required
def policy():
    """The Kommune's Taschengeldbörse rules: ages, hours, time window, jobs, pay, insurance."""
    municipality = g.municipality
    form = PolicyForm()
    if request.method == "GET":
        row = policy_row(municipality)
        form.load(
            policy_for(municipality),
            row.recommended_pay_cents if row is not None else services.DEFAULT_PAY_CENTS,
            row.insurance_notice if row is not None else "",
        )
    if form.validate_on_submit():
        try:
            services.save_policy(acting.real_user(), municipality, form.values())
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The rules of the Taschengeldbörse are saved."), "success")
            return redirect(url_for("admin_youth.policy"))
    return render_template(
        "admin/youth/policy.html", form=form, default_notice=default_insurance_notice()
    )


# -------------------------------------------------------------------------------- the holidays


def _holidays_page(form=None, local_form=None, school_form=None):
    municipality = g.municipality
    return render_template(
        "admin/youth/holidays.html",
        form=form,
        local_form=local_form or LocalHolidayForm(formdata=None),
        school_form=school_form or SchoolHolidayForm(formdata=None),
        public=queries.public_holidays(municipality),
        local=queries.local_holidays(municipality),
        school=queries.school_holidays(municipality),
    )


@bp.get("/holidays")
@admin_required
def holidays():
    """The Land's public holidays (read only), the Kommune's own, and the school holidays."""
    return _holidays_page()


@bp.post("/holidays/local")
@admin_required
def add_local_holiday():
    """Add a holiday of the Kommune beyond the Land's."""
    form = LocalHolidayForm()
    if form.validate_on_submit():
        try:
            holiday = services.add_local_holiday(
                acting.real_user(), g.municipality, form.holiday_date.data, form.holiday_name.data
            )
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is added.", name=holiday.name), "success")
            return redirect(url_for("admin_youth.holidays"))
    return _holidays_page(form=form, local_form=form)


@bp.post("/holidays/local/<int:holiday_id>/remove")
@admin_required
def remove_local_holiday(holiday_id: int):
    """Remove one of the Kommune's own holidays."""
    holiday = get_scoped_or_404(LocalHoliday, holiday_id, g.municipality)
    name = holiday.name
    services.remove_local_holiday(acting.real_user(), g.municipality, holiday)
    db.session.commit()
    flash(_("%(name)s is removed.", name=name), "success")
    return redirect(url_for("admin_youth.holidays"))


@bp.post("/holidays/school")
@admin_required
def add_school_holiday():
    """Add school holidays of the Land."""
    form = SchoolHolidayForm()
    if form.validate_on_submit():
        try:
            term = services.add_school_holiday(
                acting.real_user(),
                g.municipality,
                form.first_day.data,
                form.last_day.data,
                form.term_name.data,
            )
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is added.", name=term.name), "success")
            return redirect(url_for("admin_youth.holidays"))
    return _holidays_page(form=form, school_form=form)


@bp.post("/holidays/school/<int:school_holiday_id>/remove")
@admin_required
def remove_school_holiday(school_holiday_id: int):
    """Remove school holidays entered by mistake."""
    term = get_scoped_or_404(SchoolHoliday, school_holiday_id, g.municipality)
    name = term.name
    services.remove_school_holiday(acting.real_user(), g.municipality, term)
    db.session.commit()
    flash(_("%(name)s is removed.", name=name), "success")
    return redirect(url_for("admin_youth.holidays"))


# -------------------------------------------------------------------------- the consent forms


@bp.get("/consents")
@admin_required
def consents():
    """Who waits for the parents' consent form to be recorded ("Einwilligung fehlt"), and the
    forms recorded."""
    municipality = g.municipality
    recorded = queries.recorded_consents(municipality, page_arg("recorded_page"))
    return render_template(
        "admin/youth/consents.html",
        missing=queries.missing_consent(municipality, page_arg()),
        recorded=recorded,
        today=date.today(),
    )


def _person_or_404(user_id: int) -> User:
    person = get_scoped_or_404(User, user_id, g.municipality)
    if person.role != ROLE_RESIDENT:
        abort(404)
    return person


def _person_page(person: User, form=None, consent_form=None, pupil_form=None):
    today = date.today()
    helper = rules.Helper(person.birth_date, is_pupil=person.is_full_time_pupil)
    history = queries.consents_of(person)
    if consent_form is None:
        consent_form = ConsentForm(formdata=None)
        consent_form.taken_by.data = acting.real_user().display_name
    if pupil_form is None:
        pupil_form = PupilForm(formdata=None)
        pupil_form.is_pupil.data = PupilForm.radio_value(person.is_full_time_pupil)
    return render_template(
        "admin/youth/person.html",
        person=person,
        form=form,
        consent_form=consent_form,
        pupil_form=pupil_form,
        age=helper.age_on(today),
        is_minor=helper.is_minor_on(today),
        counts_as_child=helper.counts_as_child_on(today),
        has_consent=helper_for(person).has_consent,
        history=history,
        names=queries.names_by_id(
            [c.recorded_by_id for c in history] + [c.withdrawn_recorded_by_id for c in history]
        ),
    )


@bp.route("/consents/<int:user_id>", methods=["GET", "POST"])
@admin_required
def person(user_id: int):
    """A young person's consent forms and pupil status; POST records a signed form."""
    person = _person_or_404(user_id)
    if request.method == "GET":
        return _person_page(person)
    form = ConsentForm()
    if form.validate_on_submit():
        try:
            services.record_consent(
                acting.real_user(),
                g.municipality,
                person,
                signed_on=form.signed_on.data,
                signed_by=form.signed_by.data,
                taken_by=form.taken_by.data,
            )
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(
                _("The consent form of %(name)s is recorded.", name=person.display_name), "success"
            )
            return redirect(url_for("admin_youth.person", user_id=person.id))
    return _person_page(person, form=form, consent_form=form)


@bp.post("/consents/<int:user_id>/pupil")
@admin_required
def pupil(user_id: int):
    """Record from the parents' form whether the young person is still in full-time school."""
    person = _person_or_404(user_id)
    form = PupilForm()
    if form.validate_on_submit():
        try:
            services.set_pupil_status(acting.real_user(), g.municipality, person, form.value())
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The school status of %(name)s is saved.", name=person.display_name), "success")
            return redirect(url_for("admin_youth.person", user_id=person.id))
    return _person_page(person, form=form, pupil_form=form)


@bp.route("/consents/<int:user_id>/withdraw", methods=["GET", "POST"])
@admin_required
def withdraw(user_id: int):
    """Record that the parents withdrew their consent: the date, then a confirmation."""
    person = _person_or_404(user_id)
    form = WithdrawForm()
    if request.method == "GET":
        form.withdrawn_on.data = date.today()
    if form.validate_on_submit():
        try:
            services.withdraw_consent(
                acting.real_user(), g.municipality, person, withdrawn_on=form.withdrawn_on.data
            )
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "The withdrawal of the consent of %(name)s is recorded.",
                    name=person.display_name,
                ),
                "success",
            )
            return redirect(url_for("admin_youth.person", user_id=person.id))
    return render_template(
        "admin/youth/withdraw.html",
        form=form,
        person=person,
        consent=valid_consent(person),
    )
