"""Residents, admins and operators, and password-reset tokens."""

from __future__ import annotations

from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, Date, Float, ForeignKey, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..geo import Point
from ..municipalities.models import District, Municipality
from ..timeutil import UTCDateTime, utcnow
from .vocab import MatchEmailFrequency, Role

# Older names of the roles, still used by the admin areas.
ROLE_RESIDENT, ROLE_ADMIN, ROLE_SUPERADMIN = Role.RESIDENT, Role.ADMIN, Role.SUPERADMIN


class User(UserMixin, db.Model):
    """A person with a home Kommune; proxy accounts have neither e-mail nor password.

    Only an operator (Role.SUPERADMIN) may have no home Kommune and no place: the first operator of
    a fresh installation exists before any Kommune does.
    """

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(
            "role = 'superadmin' OR (municipality_id IS NOT NULL AND postcode IS NOT NULL"
            " AND latitude IS NOT NULL AND longitude IS NOT NULL)",
            name="home_kommune",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80))
    birth_date: Mapped[date | None] = mapped_column(Date)
    has_parental_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    # Under 16 at sign-up (DSGVO Art. 8): the parent's or guardian's address that must confirm
    # the registration by link, and when they did. Until then the account cannot sign in.
    parent_email: Mapped[str | None] = mapped_column(String(254))
    parent_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # In full-time compulsory schooling (counts as a child under JArbSchG §2(3)): None = decided
    # by age (youth.rules.PUPIL_UNTIL_AGE); set only by an admin from the parents' form.
    is_full_time_pupil: Mapped[bool | None] = mapped_column(Boolean)
    district_id: Mapped[int | None] = mapped_column(
        ForeignKey("district.id", ondelete="SET NULL"), index=True
    )
    postcode: Mapped[str | None] = mapped_column(String(5))
    # Centroid of the Ortsteil or PLZ; never a street address.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    phone: Mapped[str | None] = mapped_column(String(40))
    locale: Mapped[str] = mapped_column(String(5), default="de")
    role: Mapped[str] = mapped_column(String(20), default=ROLE_RESIDENT)
    is_proxy: Mapped[bool] = mapped_column(Boolean, default=False)
    is_blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    is_approved: Mapped[bool] = mapped_column(Boolean, default=True)
    has_email_notifications: Mapped[bool] = mapped_column(Boolean, default=True)
    # How to be told of matches by e-mail: "immediate", "daily" (digest) or "never".
    match_email_frequency: Mapped[str] = mapped_column(
        String(10), default=MatchEmailFrequency.IMMEDIATE
    )
    # Generation of the sign-in sessions: raising it ends every UserSession at once.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # False while a self-registered address waits for its confirmation link (double opt-in).
    # Every other way to an account (town hall, operator, CLI, activation letter) counts as
    # confirmed, hence the default.
    is_email_confirmed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # The version of the home Kommune's terms of use and code of conduct this person accepted,
    # and when (0: none yet, as for accounts older than the terms; see municipalities.terms).
    accepted_terms_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    terms_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    municipality: Mapped[Municipality | None] = relationship()
    district: Mapped[District | None] = relationship()

    # The sign-in session of this request (set by open_session or the loader), not a column.
    session_token = None

    def get_id(self) -> str:
        """Flask-Login identity: the user's id and the secret of the sign-in session."""
        if not self.session_token:
            raise RuntimeError("sign in through accounts.sessions.open_session")
        return f"{self.id}:{self.session_token}"

    @property
    def awaits_parent(self) -> bool:
        """True while a parent has not yet confirmed the registration of this young person."""
        return self.parent_email is not None and self.parent_confirmed_at is None

    @property
    def is_active(self) -> bool:
        """Blocked, unapproved, proxy and parent-awaiting accounts cannot sign in."""
        return (
            not self.is_blocked
            and self.is_approved
            and not self.is_proxy
            and not self.awaits_parent
        )

    @property
    def is_authenticated(self) -> bool:
        """A loaded user is signed in (the loader refuses inactive ones, unless acted for)."""
        return True

    @property
    def point(self) -> Point | None:
        """The user's place (Ortsteil or PLZ centroid); None for an operator without one."""
        if self.latitude is None or self.longitude is None:
            return None
        return Point(self.latitude, self.longitude)

    @property
    def short_name(self) -> str:
        """First name and initial of the last name, as other residents see it."""
        parts = self.display_name.split()
        if len(parts) < 2:
            return self.display_name
        return f"{parts[0]} {parts[-1][0]}."

    @property
    def place_name(self) -> str:
        """Ortsteil name or PLZ for display."""
        return self.district.name if self.district else (self.postcode or "")

    def age_on(self, day: date) -> int | None:
        """Age in whole years on the given day, or None when unknown."""
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class UserSession(db.Model):
    """One signed-in device; only the secret's hash is stored, never an IP address."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # User.session_version at sign-in; a later raise (blocking, new password) ends the session.
    generation: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "Firefox on Windows": enough to recognise one's devices in the profile.
    device: Mapped[str] = mapped_column(String(80), default="")

    user: Mapped[User] = relationship()


class PasswordResetToken(db.Model):
    """A single-use, expiring password reset; only the token's hash is stored."""

    __tablename__ = "password_reset_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class ActivationCode(db.Model):
    """A single-use, expiring code on a letter that turns a proxy into a normal account."""

    __tablename__ = "activation_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # Only the code's SHA-256 is stored; the letter is the one place the code exists.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
