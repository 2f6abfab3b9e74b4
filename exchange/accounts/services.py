"""Account writes: register, authenticate, reset passwords, edit, delete. Never commits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from sqlalchemy import delete, func, or_, select, update

from ..core import signals
from ..errors import ExchangeError
from ..extensions import db
from ..geo import postcode_point
from ..i18n import _, _l
from ..mail.models import OutboxEmail
from ..mail.services import queue_email
from ..municipalities.location import resolve_location
from ..municipalities.models import Municipality
from ..municipalities.terms import current_terms_version
from ..timeutil import utcnow
from .confirmation import UNCONFIRMED_DAYS, send_confirmation, tell_owner_of_attempt
from .export import email_addresses
from .models import ROLE_ADMIN, ROLE_SUPERADMIN, ActivationCode, PasswordResetToken, User
from .parents import AwaitingParent, send_parent_mail
from .passwords import (
    hash_password,
    needs_rehash,
    password_message,
    password_problem,
    verify_password,
)
from .sessions import end_all_sessions
from .vocab import MatchEmailFrequency

MINIMUM_AGE = 13
CONSENT_AGE = 16  # DSGVO Art. 8: below this, a parent must agree


def age_on(birth: date, day: date) -> int:
    """Whole years between birth and day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def find_by_email(email: str) -> User | None:
    """The account with this e-mail address (case-insensitive), or None."""
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def check_password(
    password: str, *, email: str = "", name: str = "", municipality=None, field: str = "password"
) -> None:
    """Refuse a new password that is short, common or guessable from the person's own words."""
    problem = password_problem(password, email=email, name=name, municipality=municipality)
    if problem:
        raise ExchangeError(password_message(problem), field)


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
    parent_email: str | None = None,
    locale: str,
    accepts_terms: bool,
) -> User | None:
    """Create an unconfirmed resident and mail the confirmation link; refuses under-13s.

    Under 16 a parent's or guardian's e-mail address is required (ignored from 16 on): the
    parent gets a link to confirm, and until then the account cannot sign in (parents.py).

    The person must accept the Kommune's terms of use and code of conduct; the version they
    accepted and the time are stored with the account.

    For an address that is taken, its owner gets an e-mail instead and None is returned; the
    caller answers both cases the same way, so registration tells nobody who is registered.
    """
    if not accepts_terms:
        raise ExchangeError(
            _("Please agree to the terms of use and the code of conduct."), "accepts_terms"
        )
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
    parent_email = (parent_email or "").strip().lower() if age < CONSENT_AGE else ""
    if age < CONSENT_AGE:
        if not parent_email:
            raise ExchangeError(
                _(
                    "Under 16, a parent or guardian must agree. Enter the e-mail address of "
                    "your parent or guardian: we ask them to confirm."
                ),
                "parent_email",
            )
        if parent_email == email.strip().lower():
            raise ExchangeError(
                _("Enter the e-mail address of your parent or guardian, not your own."),
                "parent_email",
            )
    district, postcode, point = resolve_location(municipality, district_id, postcode)
    check_password(password, email=email, name=display_name, municipality=municipality)
    existing = find_by_email(email)
    if existing is not None:
        # Same answer and about the same time as for a new address; only the owner hears of it.
        hash_password(password)
        tell_owner_of_attempt(existing)
        return None
    user = User(
        municipality_id=municipality.id,
        email=email.strip().lower(),
        password_hash=hash_password(password),
        display_name=display_name,
        birth_date=birth_date,
        # Set when the parent confirms (parents.confirm_parent).
        has_parental_consent=False,
        parent_email=parent_email or None,
        district_id=district.id if district else None,
        postcode=postcode,
        latitude=point.latitude,
        longitude=point.longitude,
        phone=phone or None,
        locale=locale,
        is_approved=not municipality.requires_approval,
        is_email_confirmed=False,
        accepted_terms_version=current_terms_version(municipality.id),
        terms_accepted_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    send_confirmation(user)
    if user.parent_email:
        send_parent_mail(user)
    return user


def create_staff_account(
    *, email: str, password: str, display_name: str, role: str, municipality: Municipality | None
) -> User:
    """An admin or operator account for the command line; only an operator may lack a Kommune."""
    if role not in (ROLE_ADMIN, ROLE_SUPERADMIN) or (municipality is None and role == ROLE_ADMIN):
        raise ExchangeError(_("An admin needs a municipality."), "municipality")
    try:
        email = validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise ExchangeError(_("Enter an e-mail address like name@example.org."), "email") from None
    if not display_name.strip():
        raise ExchangeError(_("Enter the name."), "display_name")
    check_password(password, email=email, name=display_name, municipality=municipality)
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
    Raises AwaitingParent for the right password of a young person whose parent has not
    confirmed yet (only then: the answer tells nothing to someone without the password).
    """
    user = find_by_email(email) if email else None
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user.awaits_parent and not user.is_blocked and not user.is_proxy:
        raise AwaitingParent(user)
    if not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def tell_owner_of_throttle(email: str) -> None:
    """Tell the owner that sign-ins for their address are slowed (when the account exists)."""
    user = find_by_email(email)
    if user is None or user.is_proxy or not user.email:
        return
    queue_email(
        user.email,
        user.locale,
        _l("Several wrong passwords were entered for your account"),
        "email/signin_throttled.txt",
        user=user,
        municipality=user.municipality,
        reset_link=url_for("accounts.forgot_password"),
    )


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
        secret=True,
        user=user,
        municipality=user.municipality,
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
    check_password(
        password, email=user.email or "", name=user.display_name, municipality=user.municipality
    )
    user.password_hash = hash_password(password)
    end_all_sessions(user)
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
    check_password(
        new, email=user.email or "", name=user.display_name, municipality=user.municipality
    )
    user.password_hash = hash_password(new)
    end_all_sessions(user)


def update_profile(
    user: User,
    *,
    display_name: str,
    district_id: int | None,
    postcode: str,
    phone: str | None,
    locale: str,
    has_email_notifications: bool,
    match_email_frequency: str = MatchEmailFrequency.IMMEDIATE,
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
    if MatchEmailFrequency.has(match_email_frequency):
        user.match_email_frequency = match_email_frequency
    db.session.flush()


def delete_account(user: User, password: str) -> None:
    """Delete one's own account after checking the password (see erase_account)."""
    if not verify_password(user.password_hash, password):
        raise ExchangeError(_("The password is not correct."), "password")
    erase_account(user)


# What replaces her words in e-mails to other people that quoted them (already rendered, so
# not translatable; a neutral mark reads the same in every language).
REDACTED = "[…]"
# Free texts shorter than this are not searched for in others' e-mails: "Danke!" identifies
# nobody, and replacing short strings would mangle unrelated mails.
_MIN_TEXT_TO_REDACT = 12


def pseudonym(user_id: int) -> str:
    """What stands for a deleted account in records kept for accountability."""
    return f"#{user_id}"


def erase_account(user: User) -> None:
    """Erase the person and everything held about her (DSGVO Art. 17); flushes, never commits.

    Others keep their conversations, her messages shown as deleted; records the Kommune needs
    for accountability (audit log, reports) keep that something happened, not who she was.
    Every table with a foreign key to the account is handled: explicitly by the receivers of
    the erasure signals (each package's hooks.py) where a row holds her words or name, and
    generically by the key's ON DELETE rule for the rest, so a new table cannot keep a
    dangling reference.
    """
    uid = user.id
    _redact_outbox(user)
    # First everything that points at her things goes, then her things themselves: each
    # package handles its own tables (their receivers in <package>/hooks.py).
    signals.account_unlinking.send(user)
    signals.account_erasing.send(user, pseudonym=pseudonym(uid))
    # Her town hall record, saved searches, notifications, codes and tokens go by their keys.
    _apply_delete_rules(uid)
    db.session.execute(delete(User).where(User.id == uid))
    db.session.flush()
    db.session.expire_all()


def _apply_delete_rules(user_id: int) -> None:
    """Run every foreign key's ON DELETE rule for user_id explicitly, child tables first.

    The same result whatever the database's foreign key support; a key without a rule is a
    schema mistake that would block the deletion, so it fails loudly.
    """
    users = User.__table__
    for table in reversed(db.metadata.sorted_tables):
        for fk in table.foreign_keys:
            if fk.column is not users.c.id or table is users:
                continue
            column = fk.parent
            if fk.ondelete == "CASCADE":
                db.session.execute(delete(table).where(column == user_id))
            elif fk.ondelete == "SET NULL" and column.nullable:
                db.session.execute(update(table).where(column == user_id).values({column: None}))
            else:
                raise RuntimeError(f"{table.name}.{column.name}: no ON DELETE rule for accounts")


def _redact_outbox(user: User) -> None:
    """Delete mail sent to her; cut her name, contacts and words out of mail to others."""
    addresses = email_addresses(user)
    db.session.execute(delete(OutboxEmail).where(func.lower(OutboxEmail.recipient).in_(addresses)))
    identifiers = [*addresses, user.display_name, user.phone]
    texts = []
    # Her postal address (admin), her messages and postings (messaging, postings).
    for more_identifiers, more_texts in signals.results(signals.personal_texts, user):
        identifiers += more_identifiers
        texts += more_texts
    terms = {t.strip() for t in identifiers if t and len(t.strip()) >= 4}
    terms |= {t.strip() for t in texts if t and len(t.strip()) >= _MIN_TEXT_TO_REDACT}
    if not terms:
        return
    # Longest first, so a message that contains her phone number goes as a whole.
    ordered = sorted(terms, key=len, reverse=True)
    matches = or_(
        *(
            or_(
                OutboxEmail.body.contains(t, autoescape=True),
                OutboxEmail.subject.contains(t, autoescape=True),
            )
            for t in ordered
        )
    )
    for mail in db.session.scalars(select(OutboxEmail).where(matches)):
        for term in ordered:
            mail.body = mail.body.replace(term, REDACTED)
            mail.subject = mail.subject.replace(term, REDACTED)
    db.session.flush()


def activation_code_hash(code: str) -> str:
    """SHA-256 of a code as typed, ignoring case, spaces and dashes."""
    normal = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


def activate_proxy(code: str, email: str, password: str) -> User:
    """Give a proxy account its own login with a letter's code; keeps postings and talks.

    The code is claimed with one conditional UPDATE, so two simultaneous uses cannot both win.
    """
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
    proxy = row.user
    check_password(password, email=email, name=proxy.display_name, municipality=proxy.municipality)
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
    user.match_email_frequency = MatchEmailFrequency.IMMEDIATE
    user.session_version += 1
    # The letter came from the town hall to the person; the address they type counts as theirs.
    user.is_email_confirmed = True
    user.last_login_at = now
    # The town hall no longer writes letters: the admin area drops the postal address.
    signals.proxy_activated.send(user, now=now)
    db.session.flush()
    queue_email(
        user.email,
        user.locale,
        _l("Your account now has its own login"),
        "email/activation_done.txt",
        user=user,
        municipality=user.municipality,
        link=url_for("accounts.login"),
    )
    return user


def remove_unconfirmed_accounts(now: datetime | None = None) -> int:
    """Erase self-registered accounts whose address was not confirmed within 14 days.

    Such accounts could not post, answer or write; erasing them like a deletion also removes
    the confirmation mails sent to them. A daily job.
    """
    cutoff = (now or utcnow()) - timedelta(days=UNCONFIRMED_DAYS)
    stale = db.session.scalars(
        select(User).where(
            User.is_email_confirmed.is_(False),
            User.created_at < cutoff,
            User.is_proxy.is_(False),
        )
    ).all()
    for user in stale:
        erase_account(user)
    return len(stale)
