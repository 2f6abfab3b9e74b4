"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

from functools import cache
from importlib import resources

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app

MIN_LENGTH = 8
MAX_LENGTH = 256


@cache
def _hasher(fast: bool) -> PasswordHasher:
    if fast:
        # Tests only: same algorithm, tiny cost, so hundreds of accounts stay quick.
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)
    return PasswordHasher(type=Type.ID)  # argon2-cffi's RFC 9106 low-memory profile


def _current() -> PasswordHasher:
    return _hasher(bool(current_app.config.get("ARGON2_FAST")))


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _current().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when password matches; a missing hash still costs one hash to keep timing even."""
    hasher = _current()
    if not password_hash:
        hasher.hash(password)
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the stored hash uses weaker parameters than the current ones."""
    return _current().check_needs_rehash(password_hash)


@cache
def common_passwords() -> frozenset[str]:
    """The list of passwords refused as too common (lower-cased)."""
    text = (
        resources.files("exchange.accounts")
        .joinpath("data/common-passwords.txt")
        .read_text(encoding="utf-8")
    )
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Return a (untranslated) reason code when the password is not acceptable, else None."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    lowered = password.lower()
    if lowered in common_passwords():
        return "too_common"
    local = email.split("@")[0].lower() if email else ""
    if (local and lowered == local) or (name and lowered == name.lower().replace(" ", "")):
        return "like_name"
    return None
