"""Phone numbers and e-mail addresses typed into a posting, hidden from those who may not see them.

The Börse never shows contact details: people exchange them in a conversation once both want
to. Some still write "Tel. 0170 1234567" or "name@example.de" into a posting; everyone who is
not the author, not an admin of the Kommune and not in a conversation about the posting sees a
placeholder instead ("[phone number hidden]", "[e-mail address hidden]").

What counts as a phone number: a chain of digit groups joined by spaces, slashes, dashes, dots
or brackets ("0170 1234567", "05250/12345", "+49 (0)5250 12-345", "0049 5250 12345") that
starts with + or 00 and has at least 8 digits, starts with 0 and has at least 7, has at least
9 digits, or follows a word like "Tel." and has at least 5. Dates and times alone ("12.05.2026",
"01.01. - 31.12.2026", "08.30-12.00") are kept, and so is a full date beside a number ("am
12.05.2026 0170 …"); short numbers, prices, years and postcodes never reach these lengths.
E-mail addresses include the simple disguises "name (at) example.de" and
"name[at]example[dot]de".

Masking is idempotent and never leaves six digits of a masked number in a row
(tests/postings/test_contact_mask.py).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from markupsafe import Markup, escape

from ..i18n import _, per_locale

PHONE, EMAIL = "phone", "email"

# Anything that could start a contact; text without it is returned at once.
_TRIGGER = re.compile(r"[\d@]|[(\[{]\s*(?:at|ät)\s*[)\]}]", re.IGNORECASE)
_AT_SIGN = re.compile(r"@|[(\[{]\s*(?:at|ät)\s*[)\]}]", re.IGNORECASE)

# A plain dot without spaces: "Treffen @ Rathaus. Danke" is a sentence.
_DOT = r"(?:\.|\s*[(\[{]\s*(?:dot|punkt)\s*[)\]}]\s*)"
# No space before a plain @: in "0521 12345 @web.de" the number is not the address's name.
_AT = r"(?:@\s*|\s*[(\[{]\s*(?:at|ät)\s*[)\]}]\s*)"
_EMAIL = re.compile(
    # Parts of bounded length (as in RFC 5321): no text makes the search quadratic.
    rf"\w(?:[\w.+-]{{0,62}}\w)?{_AT}[\w-]{{1,63}}(?:{_DOT}[\w-]{{1,63}})*{_DOT}[^\W\d_]{{2,24}}"
    r"(?![^\W\d]|-)",  # digits may follow: "name@example.de0170 …" is two contacts
    re.IGNORECASE,
)

_SPACE = r"[ \t\u00a0\u202f]"
# Between two digit groups: a dash, slash or dot, a bracket (the "(0)" of "+49 (0)5250"), or
# one or two spaces; never a line break.
_SEPARATOR = rf"(?:{_SPACE}{{0,2}}[-/.–()]{{1,2}}{_SPACE}{{0,2}}|{_SPACE}{{1,2}})"
# A + always starts a number ("…12-345+49 …"): masking what precedes it changes nothing.
_CHAIN = re.compile(rf"(?:\+|(?<!\d)\({_SPACE}?|(?<![\d+]))\d+(?:{_SEPARATOR}\d+)*")

_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
# Dates that are nothing else: 12.05.2026, 12/05/2026, 2026-05-12 (eight digits, as many as a
# number's subscriber part has at most).
_FULL_DATE = (
    r"(?:(?:0[1-9]|[12]\d|3[01])([./-])(?:0[1-9]|1[0-2])\1(?:19|20)\d\d"
    r"|(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))"
)
# Dates and times that could also be the end of a number: 1.5.2026, 12.05.26, 12.05, 08.30.
_DATE = (
    rf"(?:{_FULL_DATE}|{_DAY}([./-]){_MONTH}\2(?:\d{{4}}|\d{{2}})|{_DAY}\.{_MONTH}"
    r"|(?:[01]?\d|2[0-4])[.:][0-5]\d)"
)


def _ends(date: str) -> tuple[re.Pattern, re.Pattern]:
    # Used with match(chain, start) and search(chain, start, end): no ^, and $ is the end given.
    return (
        re.compile(rf"(?:{date})(?!\d)[-/.–()\s]*"),
        re.compile(rf"(?<!\d)[-/.–()\s]*(?:{date})$"),
    )


_ANY_DATE, _UNAMBIGUOUS_DATE = _ends(_DATE), _ends(_FULL_DATE)
_TRAILING_SEPARATORS = frozenset(" \t\u00a0\u202f-/.–(")
_KEYWORD = re.compile(
    r"(?:(?<![^\W\d_])(?:tel|telefon|telefonnummer|rufnummer|fon|handy|handynummer|mobil|mobilnummer"
    r"|phone|whatsapp|signal)\b\.?[\s:]*)$",
    re.IGNORECASE,
)


class Span(NamedTuple):
    """A contact found in a text: text[start:end] is of kind PHONE or EMAIL."""

    start: int
    end: int
    kind: str


def _is_phone(chain: str, after_keyword: bool) -> bool:
    digits = re.sub(r"\D", "", chain)
    if chain.startswith("+") or digits.startswith("00"):
        return len(digits) >= 8
    if digits.startswith("0"):
        return len(digits) >= 7
    return len(digits) >= 9 or (after_keyword and len(digits) >= 5)


def _strip_dates(chain: str, dates: tuple[re.Pattern, re.Pattern]) -> tuple[int, int]:
    """Where chain is left once the dates at its ends are taken off: (start, end)."""
    leading, trailing = dates
    start, end = 0, len(chain)
    while start < end and (found := leading.match(chain, start, end)):
        start = found.end()
    # A date and its separators are short: looking at the chain's last characters is enough,
    # and keeps a long chain linear.
    while start < end and (found := trailing.search(chain, max(start, end - 24), end)):
        if found.start() == start:
            return end, end
        end = found.start()
    while end > start and chain[end - 1] in _TRAILING_SEPARATORS:
        end -= 1
    return start, end


def _phone_span(text: str, found: re.Match) -> tuple[int, int] | None:
    chain = found.group()
    start, end = _strip_dates(chain, _ANY_DATE)
    if start >= end:  # dates and times only: "01.01.2026 - 31.12.2026", "08.30-12.00"
        return None
    rest = chain[start:end]
    after_keyword = bool(_KEYWORD.search(text, max(0, found.start() - 30), found.start()))
    # What looks like a date at the end of a number may be part of it ("+49 5250 12.05.20").
    if not _is_phone(rest, after_keyword) and not (
        rest.lstrip("(").startswith(("+", "0")) and _is_phone(chain, after_keyword)
    ):
        return None
    # Only a date that can be nothing else stays beside the number ("am 12.05.2026 0170 …").
    start, end = _strip_dates(chain, _UNAMBIGUOUS_DATE)
    return found.start() + start, found.start() + end


def find_contacts(text: str) -> list[Span]:
    """The phone numbers and e-mail addresses in text, in order."""
    if not text or not _TRIGGER.search(text):
        return []
    spans = []
    if _AT_SIGN.search(text):
        spans = [Span(m.start(), m.end(), EMAIL) for m in _EMAIL.finditer(text)]
    searched = text
    for span in spans:  # a number inside an address is part of the address
        searched = searched[: span.start] + "\0" * (span.end - span.start) + searched[span.end :]
    for found in _CHAIN.finditer(searched):
        phone = _phone_span(searched, found)
        if phone is not None:
            spans.append(Span(*phone, PHONE))
    return sorted(spans)


@per_locale
def placeholders() -> dict[str, str]:
    """The translated placeholders, for the current locale."""
    return {PHONE: _("[phone number hidden]"), EMAIL: _("[e-mail address hidden]")}


def _parts(text: str, spans: list[Span]):
    names = placeholders()
    position = 0
    for span in spans:
        yield text[position : span.start], names[span.kind]
        position = span.end
    yield text[position:], None


def mask_text(text: str | None) -> str:
    """text with its contacts replaced by placeholders, as plain text (for e-mails)."""
    if isinstance(text, Markup):
        text = text.unescape()
    text = text or ""
    spans = find_contacts(text)
    if not spans:
        return text
    return "".join(part + (name or "") for part, name in _parts(text, spans))


def mask_contacts(text: str | None) -> Markup:
    """text with its contacts replaced by placeholders, escaped for HTML."""
    if isinstance(text, Markup):
        text = text.unescape()
    text = text or ""
    return _join_markup(text, find_contacts(text))


def _join_markup(text: str, spans: list[Span]) -> Markup:
    if not spans:
        return escape(text)
    return Markup("").join(
        escape(part) + (escape(name) if name else "") for part, name in _parts(text, spans)
    )


def masked(text: str) -> str:
    """text itself when it holds no contact (Jinja escapes it later), else mask_contacts(text).

    For lists: most titles have no digits, and they stay the plain strings they were.
    """
    if isinstance(text, Markup):
        return mask_contacts(text)
    spans = find_contacts(text)
    return _join_markup(text, spans) if spans else text
