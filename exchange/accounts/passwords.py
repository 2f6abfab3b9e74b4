"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from zxcvbn import zxcvbn

from ..i18n import _

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


# zxcvbn's score: 3 means "safely unguessable: moderate protection from offline attacks".
MIN_SCORE = 3
# Characters a password must keep once the person's own words are taken out of it.
MIN_REMAINDER = 6

_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_UMLAUT_STRIPPED = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "s"})


def personal_words(
    *, email: str = "", name: str = "", municipality=None, extra: Iterable[str] = ()
) -> list[str]:
    """Words a guesser would try first: name parts, e-mail, the Kommune and its Ortsteile.

    Each also transliterated (ü → ue, ß → ss) and without umlauts, so "Delbrueck2026" is caught.
    """
    words: list[str] = []
    if email:
        words += [email, email.split("@")[0]]
    if name:
        words += [name, *name.replace("-", " ").split()]
    if municipality is not None:
        words += [municipality.name, municipality.slug]
        words += [d.name for d in municipality.districts]
    words += list(extra)
    result: set[str] = set()
    for word in words:
        word = (word or "").strip().lower()
        if len(word) < 3:
            continue
        for variant in (
            word,
            word.translate(_TRANSLITERATION),
            word.translate(_UMLAUT_STRIPPED),
        ):
            result.add(variant)
            # "Delbrück-Mitte" is guessed as "delbrueckmitte" and as its parts.
            result.update(p for p in re.split(r"[^a-z0-9]+", variant) if len(p) >= 3)
            result.add(re.sub(r"[^a-z0-9]", "", variant))
    return sorted(w for w in result if w)


def _weakness(sequence: list[dict]) -> str:
    """The reason code for the part of a weak password that makes it guessable."""
    matches = [m for m in sequence if m["pattern"] != "bruteforce"]
    if any(m.get("dictionary_name") == "user_inputs" for m in matches):
        return "like_name"
    if not matches:
        return "too_weak"
    worst = max(matches, key=lambda m: len(m["token"]))
    pattern = worst["pattern"]
    if pattern == "dictionary":
        dictionary = worst.get("dictionary_name")
        if dictionary == "passwords":
            return "too_common"
        if dictionary in ("surnames", "male_names", "female_names"):
            return "names"
        return "word"
    return {
        "spatial": "keyboard",
        "repeat": "repeat",
        "sequence": "sequence",
        "regex": "date",
        "date": "date",
    }.get(pattern, "too_weak")


def password_problem(
    password: str,
    *,
    email: str = "",
    name: str = "",
    municipality=None,
    extra: Iterable[str] = (),
) -> str | None:
    """Return a (untranslated) reason code when the password is not acceptable, else None.

    Length limits and the German deny-list first, then zxcvbn's estimate (score ≥ 3) with
    the person's own words as context.
    """
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    lowered = password.lower()
    if lowered in common_passwords():
        return "too_common"
    words = personal_words(email=email, name=name, municipality=municipality, extra=extra)
    squeezed = re.sub(r"[^a-z0-9]", "", lowered.translate(_TRANSLITERATION))
    if squeezed in words:
        return "like_name"
    # Names glued together ("Delbrueck-Westenholz") fool the estimator; an attacker who knows
    # the Kommune tries such pairs first. What is left without them must be a password too.
    remainder = squeezed
    for word in sorted(words, key=len, reverse=True):
        if len(word) >= 4:
            remainder = remainder.replace(re.sub(r"[^a-z0-9]", "", word), "")
    if len(remainder) < MIN_REMAINDER:
        return "like_name"
    # zxcvbn refuses more than 72 characters (and its cost grows with the length); a longer
    # password is judged by its first 72, which only errs on the safe side.
    result = zxcvbn(password[:72], user_inputs=words)
    if result["score"] < MIN_SCORE:
        return _weakness(result["sequence"])
    return None


def password_message(code: str) -> str:
    """Plain-language explanation of a password_problem code."""
    messages = {
        "too_short": _("The password must be at least 8 characters long."),
        "too_long": _("The password can be at most 256 characters long."),
        "too_common": _("This password is too common and easy to guess."),
        "like_name": _(
            "The password must not contain your name, your e-mail address or the name of "
            "your municipality or district: these are the first things someone would try."
        ),
        "names": _("First names and surnames are easy to guess, also with a few digits."),
        "word": _("A single word is easy to guess, also with capitals, digits or symbols."),
        "keyboard": _("Rows of keys on the keyboard (like qwertz or asdf) are easy to guess."),
        "repeat": _("Repeated letters or parts (like aaa or abcabc) are easy to guess."),
        "sequence": _("Sequences like abcd or 1234 are easy to guess."),
        "date": _("Years and dates are easy to guess."),
        "too_weak": _("This password is too easy to guess."),
    }
    message = messages.get(code, messages["too_weak"])
    if code in ("too_short", "too_long"):
        return message
    hint = _(
        "Tip: three or four words that have nothing to do with each other, like %(example)s.",
        example="Tulpe-Fahrrad-Wolke-Brot",
    )
    return f"{message} {hint}"
