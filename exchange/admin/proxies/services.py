"""Proxy accounts: registering and editing them, acting for them, call notes, activation
codes, telling the admins of a proxy's new message. Never commits."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from flask import url_for
from sqlalchemy import select

from ...accounts.models import ROLE_ADMIN, ActivationCode, User
from ...accounts.services import activation_code_hash
from ...accounts.vocab import MatchEmailFrequency
from ...errors import ExchangeError, InvalidState
from ...extensions import db
from ...i18n import _, _l
from ...mail.services import queue_email
from ...municipalities.location import resolve_location
from ...municipalities.terms import current_terms_version
from ...timeutil import utcnow
from .. import acting, audit
from ..access import check_admin
from .models import CallNote, ProxyProfile
from .vocab import ConsentMethod

MIN_AGE = 13
ACTIVATION_DAYS = 30
# No 0/O, 1/I/L: the code is read off a letter and typed in by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def _proxy_values(municipality, values: dict) -> dict:
    """Check a proxy form's values; returns the location parts to store."""
    name = (values.get("display_name") or "").strip()
    if not name:
        raise ExchangeError(_("Enter the person's name."), "display_name")
    phone = (values.get("phone") or "").strip()
    address = (values.get("postal_address") or "").strip()
    if not phone and not address:
        raise ExchangeError(
            _("Enter a phone number or a postal address, so that the town hall can reach them."),
            "phone",
        )
    year = values.get("birth_year")
    this_year = date.today().year
    if year is not None and not (1900 <= year <= this_year - MIN_AGE):
        raise ExchangeError(
            _("Enter a year of birth between 1900 and %(year)s.", year=this_year - MIN_AGE),
            "birth_year",
        )
    consent_on = values.get("consent_on")
    if consent_on is None or consent_on > date.today():
        raise ExchangeError(
            _("Enter the day consent was given; it cannot be in the future."), "consent_on"
        )
    if not ConsentMethod.has(values.get("consent_method")):
        raise ExchangeError(_("Choose how consent was given."), "consent_method")
    if not (values.get("consent_by") or "").strip():
        raise ExchangeError(_("Enter who took the consent."), "consent_by")
    district, postcode, point = resolve_location(
        municipality, values.get("district_id"), values.get("postcode")
    )
    return {"district": district, "postcode": postcode, "point": point}


def _apply_proxy(user: User, profile: ProxyProfile, values: dict, place: dict) -> None:
    user.display_name = values["display_name"].strip()
    user.phone = (values.get("phone") or "").strip() or None
    user.district_id = place["district"].id if place["district"] else None
    user.postcode = place["postcode"]
    user.latitude, user.longitude = place["point"].latitude, place["point"].longitude
    year = values.get("birth_year")
    # Only the year is known; 31 December errs on the young side for the youth rules.
    user.birth_date = date(year, 12, 31) if year else None
    profile.birth_year = year
    profile.postal_address = (values.get("postal_address") or "").strip()
    profile.contact_times = (values.get("contact_times") or "").strip()[:200]
    profile.consent_on = values["consent_on"]
    profile.consent_method = values["consent_method"]
    profile.consent_by = values["consent_by"].strip()[:120]


def create_proxy(admin: User, municipality, values: dict) -> User:
    """Register a resident without internet: no e-mail, no password, cannot sign in."""
    check_admin(admin, municipality)
    place = _proxy_values(municipality, values)
    user = User(
        municipality_id=municipality.id,
        email=None,
        password_hash=None,
        is_proxy=True,
        has_email_notifications=False,
        match_email_frequency=MatchEmailFrequency.NEVER,
        locale="de",
        display_name="",
        postcode="",
        latitude=0.0,
        longitude=0.0,
        # The consent the town hall records covers the Kommune's current terms of use.
        accepted_terms_version=current_terms_version(municipality.id),
        terms_accepted_at=utcnow(),
    )
    profile = ProxyProfile(created_by_id=admin.id)
    _apply_proxy(user, profile, values, place)
    db.session.add(user)
    db.session.flush()
    profile.user_id = user.id
    db.session.add(profile)
    db.session.flush()
    return user


def update_proxy(admin: User, user: User, values: dict) -> None:
    """Change what the town hall knows about a proxy."""
    check_admin(admin, user.municipality)
    if not user.is_proxy:
        raise InvalidState(_("This account has its own login now."))
    place = _proxy_values(user.municipality, values)
    _apply_proxy(user, proxy_profile(user), values, place)
    db.session.flush()


def proxy_profile(user: User) -> ProxyProfile:
    """The town hall's record of a proxy (created empty for old data)."""
    profile = db.session.get(ProxyProfile, user.id)
    if profile is None:
        raise InvalidState(_("This account is not a proxy account."))
    return profile


def start_acting(admin: User, proxy: User) -> None:
    """Begin to act for proxy; recorded in the audit log."""
    check_admin(admin, proxy.municipality)
    if not proxy.is_proxy:
        raise InvalidState(_("This account has its own login now."))
    if proxy.is_blocked:
        raise InvalidState(_("This account is blocked."))
    acting.start(proxy)
    audit.entry(admin, proxy, "acting.start", proxy)
    db.session.flush()


def stop_acting(admin: User, proxy: User | None) -> None:
    """Stop acting; recorded in the audit log."""
    acting.stop()
    if proxy is not None:
        audit.entry(admin, proxy, "acting.stop", proxy)
        db.session.flush()


def add_call_note(admin: User, conversation, body: str):
    """Record what came of a phone call about a proxy's conversation."""
    check_admin(admin, conversation.municipality)
    body = (body or "").strip()
    if not body:
        raise ExchangeError(_("Write what was said on the phone."), "body")
    if len(body) > 2000:
        raise ExchangeError(_("A note can be at most 2000 characters long."), "body")
    note = CallNote(
        municipality_id=conversation.municipality_id,
        conversation_id=conversation.id,
        author_id=admin.id,
        author_name=admin.display_name,
        body=body,
    )
    db.session.add(note)
    db.session.flush()
    return note


def issue_activation_code(admin: User, proxy: User) -> tuple[str, datetime]:
    """A new single-use code for the activation letter; earlier unused codes stop working."""
    check_admin(admin, proxy.municipality)
    if not proxy.is_proxy:
        raise InvalidState(_("This account has its own login now."))
    now = utcnow()
    for old in db.session.scalars(
        select(ActivationCode).where(
            ActivationCode.user_id == proxy.id, ActivationCode.used_at.is_(None)
        )
    ):
        old.expires_at = min(old.expires_at, now)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    expires_at = now + timedelta(days=ACTIVATION_DAYS)
    db.session.add(
        ActivationCode(
            user_id=proxy.id,
            code_hash=activation_code_hash(raw),
            created_by_id=admin.id,
            created_at=now,
            expires_at=expires_at,
        )
    )
    db.session.flush()
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4)), expires_at


def alert_admins_of_proxy_message(proxy: User, conversation, chosen: bool = False) -> None:
    """Tell the Kommune's admins that a message for a proxy waits in their inbox.

    ``chosen``: not a message, but an author chose the proxy as the helper.
    """
    admins = db.session.scalars(
        select(User).where(
            User.municipality_id == proxy.municipality_id,
            User.role == ROLE_ADMIN,
            User.email.is_not(None),
            User.is_blocked.is_(False),
        )
    )
    link = url_for(
        "admin_proxies.inbox_conversation",
        slug=conversation.municipality.slug,
        conversation_id=conversation.id,
    )
    if chosen:
        subject = _l("%(name)s has been chosen as a helper", name=proxy.short_name)
        template = "email/proxy_chosen.txt"
    else:
        subject = _l("New message for %(name)s", name=proxy.short_name)
        template = "email/proxy_message.txt"
    for admin in admins:
        queue_email(
            admin.email,
            admin.locale,
            subject,
            template,
            admin=admin,
            municipality=admin.municipality,
            proxy=proxy,
            title=conversation.posting_title,
            link=link,
        )
