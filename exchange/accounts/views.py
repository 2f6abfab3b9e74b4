"""Registration, sign-in, password reset and the own area (/me)."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user, login_required, login_user, logout_user

from ..core.inputs import safe_next
from ..errors import ExchangeError, attach_to_form
from ..extensions import db, limiter
from ..i18n import _
from ..municipalities.location_fields import load_location, location_values, setup_location
from ..municipalities.queries import all_municipalities, districts_of
from . import confirmation, parents, services, sessions, throttle
from .export import export_data
from .forms import (
    ActivationForm,
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    ProfileForm,
    RegistrationForm,
)

bp = Blueprint("accounts", __name__)


def _limit(name: str):
    """Rate limit from config, counted on POST only."""
    return limiter.limit(lambda: current_app.config[name], methods=["POST"])


# Pages that write for others to read: an unconfirmed address may look, not post or answer.
CONFIRMED_ONLY = frozenset(
    {"postings.create", "postings_drafts.step", "postings.edit", "postings.respond"}
)
# A saved search sends e-mails: none go to an address before its owner confirmed it.
CONFIRMED_ONLY_POST = frozenset(
    {"messaging.conversation", "messaging.phone", "matching.save_search"}
)


def _confirm_limit() -> str:
    return current_app.config.get("CONFIRM_RATE_LIMIT", "3 per hour")


def _user_key() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else request.remote_addr


def _start_session(user, remember: bool = False) -> None:
    """A fresh session for the signed-in user (nothing carried over).

    Records the sign-in in the session table; the caller commits.
    """
    session.clear()
    sessions.open_session(user, request.user_agent.string)
    login_user(user, remember=remember)


def _end_session() -> None:
    """Sign out on this device; also drops the "stay signed in" cookie."""
    logout_user()
    g.pop("touch_user_session", None)
    remember = session.get("_remember")
    session.clear()
    if remember:
        # logout_user() asked Flask-Login to delete the remember cookie; keep that request.
        session["_remember"] = remember


@bp.before_app_request
def unconfirmed_cannot_write():
    """Refuse posting, answering and writing until the e-mail address is confirmed."""
    endpoint = request.endpoint
    if endpoint not in CONFIRMED_ONLY and not (
        endpoint in CONFIRMED_ONLY_POST and request.method == "POST"
    ):
        return None
    if not current_user.is_authenticated or current_user.is_email_confirmed:
        return None
    return render_template("accounts/confirm_first.html"), 403


def _home_of(user) -> str:
    if user.municipality is None:  # an operator without a home Kommune
        return url_for("operator.municipalities")
    return url_for("postings.board", slug=user.municipality.slug)


@bp.route("/register", methods=["GET", "POST"])
@_limit("REGISTER_RATE_LIMIT")
def register():
    """Create a resident account."""
    if current_user.is_authenticated:
        return redirect(_home_of(current_user))
    municipalities = all_municipalities()
    form = RegistrationForm()
    form.municipality.choices = [("", _("Choose your municipality"))] + [
        (m.slug, m.name) for m in municipalities
    ]
    names = {m.id: m.name for m in municipalities}
    setup_location(
        form,
        [d for m in municipalities for d in m.districts],
        lambda d: f"{d.name} ({names[d.municipality_id]})",
    )
    if request.method == "GET" and request.args.get("k"):
        form.municipality.data = request.args["k"]
    if form.validate_on_submit():
        municipality = next(m for m in municipalities if m.slug == form.municipality.data)
        try:
            services.register(
                municipality=municipality,
                email=form.email.data,
                password=form.password.data,
                display_name=form.display_name.data,
                birth_date=form.birth_date.data,
                **location_values(form),
                phone=form.phone.data,
                parent_email=form.parent_email.data,
                locale=str(get_locale()),
                accepts_terms=form.accepts_terms.data,
            )
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            # The same page whether the address was new or taken (only the mails differ).
            return render_template(
                "accounts/register_sent.html", email=form.email.data, municipality=municipality
            )
    return render_template("accounts/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@_limit("LOGIN_RATE_LIMIT")
def login():
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(_home_of(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data
        if throttle.is_refused(email):
            # The same for every address, registered or not.
            form.form_errors.append(
                _(
                    "Too many wrong passwords were entered for this address. For its protection "
                    "only one attempt a minute is possible now. On a device where you signed in "
                    "before, you can sign in as usual; or reset your password."
                )
            )
            return render_template("accounts/login.html", form=form), 429
        try:
            user = services.authenticate(email, form.password.data)
        except parents.AwaitingParent as waiting:
            db.session.rollback()
            return _parent_pending(waiting.user), 403
        if user is None:
            db.session.rollback()
            if throttle.record_failure(email):
                services.tell_owner_of_throttle(email)
                db.session.commit()
            # One message for unknown addresses, wrong passwords and blocked accounts.
            form.form_errors.append(
                _("E-mail address or password is not correct, or the account cannot sign in.")
            )
            form.password.errors = [_("Check the e-mail address and the password.")]
        else:
            _start_session(user, remember=form.remember.data)
            db.session.commit()
            response = redirect(safe_next(request.args.get("next"), _home_of(user)))
            throttle.remember_device(response, user)
            return response
    return render_template("accounts/login.html", form=form)


def _parent_pending(user):
    """The page that says a parent must confirm first, with a button to mail them again."""
    return render_template(
        "accounts/parent_pending.html", token=parents.resend_token(user), days=parents.PARENT_DAYS
    )


@bp.post("/eltern/erneut-senden")
@limiter.limit(_confirm_limit)
def resend_parent_mail():
    """Send the parent's confirmation mail again (from the sign-in page; rate-limited)."""
    user = parents.user_of_resend_token(request.form.get("token", ""))
    if user is None:
        return render_template("accounts/parent_invalid.html", days=parents.PARENT_DAYS), 404
    parents.send_parent_mail(user)
    db.session.commit()
    flash(_("We have sent the e-mail to your parent or guardian again."), "success")
    return redirect(url_for("accounts.login"))


def _parent_page(token: str):
    """The young person a parent's link names, or None (the caller shows the invalid page)."""
    try:
        return parents.user_of_token(token)
    except ExchangeError:
        db.session.rollback()
        return None


@bp.route("/eltern/bestaetigen/<token>", methods=["GET", "POST"])
def parent_confirm(token: str):
    """What a parent confirms; only the POST confirms (mail scanners follow links)."""
    user = _parent_page(token)
    if user is None:
        return render_template("accounts/parent_invalid.html", days=parents.PARENT_DAYS), 404
    if request.method == "POST":
        parents.confirm_parent(user)
        db.session.commit()
        return render_template("accounts/parent_confirmed.html", child=user)
    return render_template(
        "accounts/parent_confirm.html",
        child=user,
        token=token,
        rules_link=parents.parents_rules_path(user),
    )


@bp.route("/eltern/bestaetigen/<token>/ablehnen", methods=["GET", "POST"])
def parent_decline(token: str):
    """A parent declines: after a confirmation step the account is erased."""
    user = _parent_page(token)
    if user is None:
        return render_template("accounts/parent_invalid.html", days=parents.PARENT_DAYS), 404
    if request.method == "POST":
        municipality = user.municipality
        services.erase_account(user)
        db.session.commit()
        return render_template("accounts/parent_declined.html", kommune=municipality)
    return render_template("accounts/parent_decline.html", child=user, token=token)


@bp.post("/logout")
def logout():
    """Sign out: ends this device's session, so a copied cookie stops working too."""
    # Back to one's own Kommune's board (read before the session ends), not the chooser.
    home = _signed_out_home()
    if current_user.is_authenticated and g.get("user_session_id"):
        sessions.end_session(g.user_session_id)
        db.session.commit()
    _end_session()
    flash(_("You are signed out."), "success")
    return redirect(home)


def _signed_out_home() -> str:
    """The board of the signed-in person's Kommune; the chooser for guests and an operator."""
    municipality = current_user.municipality if current_user.is_authenticated else None
    if municipality is None:
        return url_for("pages.home")
    return url_for("postings.board", slug=municipality.slug)


@bp.get("/confirm/<token>")
def confirm_email(token: str):
    """Confirm an e-mail address with the link from the mail."""
    try:
        user = confirmation.confirm(token)
    except ExchangeError:
        db.session.rollback()
        return render_template("accounts/confirm_invalid.html"), 404
    db.session.commit()
    if not user.is_approved:
        return render_template("accounts/confirmed_awaiting_approval.html")
    flash(_("Thank you! Your e-mail address %(email)s is confirmed.", email=user.email), "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(_home_of(user))
    return redirect(url_for("accounts.login"))


@bp.post("/me/confirm/resend")
@login_required
@limiter.limit(
    lambda: current_app.config.get("CONFIRM_RATE_LIMIT", "3 per hour"), key_func=_user_key
)
def resend_confirmation():
    """Send the confirmation link again."""
    if not current_user.is_email_confirmed:
        confirmation.send_confirmation(current_user._get_current_object())
        db.session.commit()
        flash(_("We have sent the link again to %(email)s.", email=current_user.email), "success")
    return redirect(safe_next(request.form.get("next"), url_for("accounts.profile")))


@bp.route("/me/email", methods=["GET", "POST"])
@login_required
@limiter.limit(
    lambda: current_app.config.get("CONFIRM_RATE_LIMIT", "3 per hour"),
    key_func=_user_key,
    methods=["POST"],
)
def change_email():
    """Ask to change one's e-mail address; the new one must be confirmed first."""
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            confirmation.request_email_change(
                current_user._get_current_object(), form.password.data, form.email.data
            )
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            # The same answer whether the new address is free or taken.
            flash(
                _(
                    "We have sent a link to %(email)s. Your address changes once you open it.",
                    email=form.email.data,
                ),
                "success",
            )
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/email.html", form=form)


@bp.route("/me/sessions", methods=["GET", "POST"])
@login_required
def signed_in_devices():
    """The devices one is signed in on, and "sign out everywhere" (after a confirmation)."""
    if request.method == "POST":
        # Flask-WTF's CSRFProtect has checked the token already.
        sessions.end_all_sessions(current_user._get_current_object())
        db.session.commit()
        _end_session()
        flash(_("You are signed out on all devices."), "success")
        return redirect(url_for("accounts.login"))
    return render_template(
        "accounts/sessions.html",
        devices=sessions.sessions_of(current_user),
        current_id=g.get("user_session_id"),
    )


@bp.route("/password/forgot", methods=["GET", "POST"])
@_limit("RESET_RATE_LIMIT")
def forgot_password():
    """Ask for a password reset link (same answer whether the address exists or not)."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@_limit("RESET_RATE_LIMIT")
def reset_password(token: str):
    """Choose a new password with a single-use link."""
    row = services.valid_reset_token(token)
    if row is None:
        return render_template("accounts/reset_invalid.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(row, form.password.data)
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            if user.awaits_parent:
                db.session.commit()
                return _parent_pending(user), 403
            _start_session(user)
            db.session.commit()
            flash(_("Your new password is saved. You are signed in."), "success")
            # Opening the mailed link proves the owner: this browser may pass the throttle.
            response = redirect(_home_of(user))
            throttle.remember_device(response, user)
            return response
    return render_template("accounts/reset.html", form=form)


@bp.route("/activate", methods=["GET", "POST"])
@_limit("ACTIVATION_RATE_LIMIT")
def activate():
    """Set one's own e-mail and password with the activation code from the town hall's letter."""
    if current_user.is_authenticated:
        return redirect(_home_of(current_user))
    form = ActivationForm()
    if form.validate_on_submit():
        try:
            user = services.activate_proxy(form.code.data, form.email.data, form.password.data)
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            _start_session(user)
            db.session.commit()
            flash(
                _("Welcome, %(name)s! Your account now has its own login.", name=user.display_name),
                "success",
            )
            return redirect(url_for("messaging.inbox"))
    return render_template("accounts/activate.html", form=form)


def _profile_form(user) -> ProfileForm:
    form = ProfileForm(obj=None if request.method == "POST" else user)
    setup_location(
        form,
        districts_of(user.municipality) if user.municipality else [],
        # An operator without a home Kommune has no place to give.
        is_required=user.municipality is not None,
    )
    form.locale.choices = list(current_app.config["LANGUAGES"].items())
    if request.method == "GET":
        load_location(form, user)
    return form


@bp.route("/me", methods=["GET", "POST"])
@login_required
def profile():
    """Edit one's profile; links to password change, export and deletion."""
    form = _profile_form(current_user)
    if form.validate_on_submit():
        try:
            services.update_profile(
                current_user,
                display_name=form.display_name.data,
                **location_values(form),
                phone=form.phone.data,
                locale=form.locale.data,
                has_email_notifications=form.has_email_notifications.data,
                match_email_frequency=form.match_email_frequency.data,
            )
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form)


@bp.route("/me/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's password; other devices are signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            _start_session(current_user._get_current_object())
            db.session.commit()
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/password.html", form=form)


@bp.get("/me/export")
@login_required
def export():
    """Download one's data as JSON (DSGVO Art. 15 and 20)."""
    data = export_data(current_user._get_current_object())
    response = Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="nachbarschaftsboerse.json"'
    return response


@bp.route("/me/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    """Delete one's account after confirming with the password."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(current_user._get_current_object(), form.password.data)
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Your account and your postings have been deleted."), "success")
            return redirect(url_for("pages.home"))
    return render_template("accounts/delete.html", form=form)
