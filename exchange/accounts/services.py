"""Account writes: register, authenticate, reset passwords, edit, delete. Never commits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from flask import current_app, url_for
from sqlalchemy import delete, select, update

from ..errors import ExchangeError
from ..extensions import db
from ..geo import postcode_point
from ..i18n import _, _l
from ..municipalities.models import Municipality
from ..notifications.services import queue_email
from ..postings.services import resolve_location
from ..timeutil import utcnow
from .models import PasswordResetToken, User
from .passwords import hash_password, needs_rehash, verify_password

MINIMUM_AGE = 13
CONSENT_AGE = 16  # DSGVO Art. 8: below this, a parent must agree


def age_on(birth: date, day: date) -> int:
    """Whole years between birth and day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def find_by_email(email: str) -> User | None:
    """The account with this e-mail address (case-insensitive), or None."""
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def register(
    *,
    municipality: Municipality,
    email: str,
    password: str,
    display_name: str,
    birth_date: date,
    district_id: int | None,
    postcode: str,
    phone: str | None,
    has_parental_consent: bool,
    locale: str,
) -> User:
    """Create a resident in municipality; refuses under-13s and taken addresses."""
    today = date.today()
    if birth_date > today or birth_date.year < 1900:
        raise ExchangeError(_("Enter a real date of birth."), "birth_date")
    age = age_on(birth_date, today)
    if age < MINIMUM_AGE:
        raise ExchangeError(
            _(
                "We are sorry: you can join from the age of 13. Until then, please ask your "
                "parents to look for help or offers together with you."
            ),
            "birth_date",
        )
    if age < CONSENT_AGE and not has_parental_consent:
        raise ExchangeError(
            _("Under 16, a parent or guardian must agree. Please tick the box with them."),
            "has_parental_consent",
        )
    district, postcode, point = resolve_location(municipality, district_id, postcode)
    if find_by_email(email) is not None:
        # Registration is rate-limited; a clear message helps people who forgot they joined.
        raise ExchangeError(
            _("This e-mail address is already registered. Sign in or reset your password."),
            "email",
        )
    user = User(
        municipality_id=municipality.id,
        email=email.strip().lower(),
        password_hash=hash_password(password),
        display_name=display_name,
        birth_date=birth_date,
        has_parental_consent=has_parental_consent and age < CONSENT_AGE,
        district_id=district.id if district else None,
        postcode=postcode,
        latitude=point.latitude,
        longitude=point.longitude,
        phone=phone or None,
        locale=locale,
        is_approved=not municipality.requires_approval,
    )
    db.session.add(user)
    db.session.flush()
    return user


def create_staff_account(
    *, email: str, password: str, display_name: str, role: str, municipality: Municipality | None
) -> User:
    """An admin or operator account for the command line; only an operator may lack a Kommune."""
    from email_validator import EmailNotValidError, validate_email

    from .forms import password_message
    from .models import ROLE_ADMIN, ROLE_SUPERADMIN
    from .passwords import password_problem

    if role not in (ROLE_ADMIN, ROLE_SUPERADMIN) or (municipality is None and role == ROLE_ADMIN):
        raise ExchangeError(_("An admin needs a municipality."), "municipality")
    try:
        email = validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise ExchangeError(_("Enter an e-mail address like name@example.org."), "email") from None
    if not display_name.strip():
        raise ExchangeError(_("Enter the name."), "display_name")
    problem = password_problem(password, email=email, name=display_name)
    if problem:
        raise ExchangeError(password_message(problem), "password")
    if find_by_email(email) is not None:
        raise ExchangeError(_("An account with this e-mail address exists already."), "email")
    district = postcode = point = None
    if municipality is not None:  # placed at the first Ortsteil or PLZ; editable in the profile
        district = municipality.districts[0] if municipality.districts else None
        postcode = district.postcode if district else municipality.postcodes[0]
        point = district.point if district else postcode_point(postcode)
    user = User(
        municipality_id=municipality.id if municipality else None,
        email=email,
        password_hash=hash_password(password),
        display_name=display_name.strip(),
        district_id=district.id if district else None,
        postcode=postcode,
        latitude=point.latitude if point else None,
        longitude=point.longitude if point else None,
        role=role,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user when e-mail and password match an account that may sign in, else None.

    Unknown addresses cost one hash too, so timing does not tell which addresses exist.
    """
    user = find_by_email(email) if email else None
    if not verify_password(user.password_hash if user else None, password):
        return None
    if not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_password_reset(email: str) -> None:
    """E-mail a single-use reset link when the account exists; silent otherwise."""
    user = find_by_email(email)
    if user is None or user.is_proxy or user.is_blocked:
        return
    token = secrets.token_urlsafe(32)
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    db.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=_token_hash(token),
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )
    db.session.flush()
    queue_email(
        user.email,
        user.locale,
        _l("Reset your password"),
        "email/password_reset.txt",
        user=user,
        hours=hours,
        link=url_for("accounts.reset_password", token=token),
    )


def valid_reset_token(token: str) -> PasswordResetToken | None:
    """The unused, unexpired reset token, or None."""
    row = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _token_hash(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


def reset_password(token_row: PasswordResetToken, password: str) -> User:
    """Set the new password, use up every open token and end all other sessions."""
    user = token_row.user
    user.password_hash = hash_password(password)
    user.session_version += 1
    now = utcnow()
    db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    )
    db.session.flush()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Change the password after checking the current one; ends other sessions."""
    if not verify_password(user.password_hash, current):
        raise ExchangeError(_("The current password is not correct."), "current_password")
    user.password_hash = hash_password(new)
    user.session_version += 1
    db.session.flush()


def update_profile(
    user: User,
    *,
    display_name: str,
    district_id: int | None,
    postcode: str,
    phone: str | None,
    locale: str,
    has_email_notifications: bool,
    match_email_frequency: str = "immediate",
) -> None:
    """Change name, place, phone, language and e-mail settings."""
    # An operator without a home Kommune has no place to change.
    if user.municipality is not None:
        district, postcode, point = resolve_location(user.municipality, district_id, postcode)
        user.district_id = district.id if district else None
        user.postcode = postcode
        user.latitude, user.longitude = point.latitude, point.longitude
    user.display_name = display_name
    user.phone = phone or None
    if locale in current_app.config["LANGUAGES"]:
        user.locale = locale
    user.has_email_notifications = has_email_notifications
    if match_email_frequency in ("immediate", "daily", "never"):
        user.match_email_frequency = match_email_frequency
    db.session.flush()


def delete_account(user: User, password: str) -> None:
    """Delete the account and its postings; others keep their conversations, anonymised."""
    from ..messaging.models import Conversation, Message
    from ..postings.models import Posting

    if not verify_password(user.password_hash, password):
        raise ExchangeError(_("The password is not correct."), "password")
    # Explicit statements, so the result is the same whatever the database's FK support.
    db.session.execute(update(Message).where(Message.sender_id == user.id).values(sender_id=None))
    db.session.execute(
        update(Conversation).where(Conversation.author_id == user.id).values(author_id=None)
    )
    db.session.execute(
        update(Conversation).where(Conversation.responder_id == user.id).values(responder_id=None)
    )
    posting_ids = select(Posting.id).where(Posting.author_id == user.id)
    db.session.execute(
        update(Conversation).where(Conversation.posting_id.in_(posting_ids)).values(posting_id=None)
    )
    db.session.execute(delete(Posting).where(Posting.author_id == user.id))
    db.session.execute(delete(PasswordResetToken).where(PasswordResetToken.user_id == user.id))
    db.session.execute(delete(User).where(User.id == user.id))
    db.session.expire_all()


def activate_proxy(code: str, email: str, password: str) -> User:
    """Give a proxy account its own login with a letter's code; keeps postings and talks.

    The code is claimed with one conditional UPDATE, so two simultaneous uses cannot both win.
    """
    from ..admin.models import ProxyProfile
    from ..admin.services import activation_code_hash
    from .models import ActivationCode

    invalid = ExchangeError(
        _("This code is not valid. It may be mistyped, used already or older than 30 days."),
        "code",
    )
    row = db.session.scalar(
        select(ActivationCode).where(ActivationCode.code_hash == activation_code_hash(code))
    )
    now = utcnow()
    if row is None or row.used_at is not None or row.expires_at <= now or not row.user.is_proxy:
        raise invalid
    email = email.strip().lower()
    if find_by_email(email) is not None:
        raise ExchangeError(
            _("This e-mail address is already registered. Use another one."), "email"
        )
    claimed = db.session.execute(
        update(ActivationCode)
        .where(ActivationCode.id == row.id, ActivationCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise invalid
    user = row.user
    user.email = email
    user.password_hash = hash_password(password)
    user.is_proxy = False
    user.has_email_notifications = True
    user.match_email_frequency = "immediate"
    user.session_version += 1
    user.last_login_at = now
    profile = db.session.get(ProxyProfile, user.id)
    if profile is not None:
        # The town hall no longer writes letters; keep the consent record, drop the address.
        profile.activated_at = now
        profile.postal_address = ""
    db.session.flush()
    queue_email(
        user.email,
        user.locale,
        _l("Your account now has its own login"),
        "email/activation_done.txt",
        user=user,
        link=url_for("accounts.login"),
    )
    return user
