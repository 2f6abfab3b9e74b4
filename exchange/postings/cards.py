"""What a posting card shows, computed in Python once per card instead of in a Jinja macro.

The board renders twenty cards per request; a macro that looks up four translated labels,
formats a date and builds a URL per card was the largest single cost of the page
(docs/performance.md). Here the constant labels come from a per-locale table, dates from a
small cache, and the detail URL from one built prefix.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from babel import dates, numbers
from flask import url_for
from flask_babel import get_locale, get_timezone

from ..i18n import _, per_locale
from ..youth.explain import hours_text
from .categories import CATEGORY_BY_KEY, DIRECTIONS, KIND_SHORT, STATUSES
from .contact_mask import mask_text, masked
from .models import is_minor_until
from .queries import EXCERPT_SOURCE_CHARS


class Card(NamedTuple):
    """The display values of one posting in a list."""

    id: int
    title: str
    url: str
    badge: str
    direction: str
    kind: str
    category: str
    place: str
    distance: str | None
    since: str
    pay: str | None
    status: str | None
    is_expired: bool
    excerpt: str | None = None
    # "Sa., 12.06., 15:00, 2 Stunden" for a posting on a date.
    when: str | None = None
    # No young person may do the job (youth.rules.job_limits): the badge "Nur für Erwachsene".
    is_adults_only: bool = False


# A card shows one line of the text; CSS cuts it to the width, this bounds what is sent.
EXCERPT_CHARS = 140


# What may be left of a phone number where the database cut the text: never shown.
_NUMBER_AT_END = re.compile(r"[\d\s()+/.–-]+$")


def excerpt(text: str | None, own: bool = False, is_cut: bool = False) -> str | None:
    """The start of a posting's text on one line, cut at a word, contacts masked unless own.

    is_cut: text is only the start of the posting's text (the board reads its first
    EXCERPT_SOURCE_CHARS characters), so its last word may be part of one.
    """
    if not text:
        return None
    # Masked before it is cut, so no part of a number is left unmasked at the cut.
    shown = " ".join((text if own else mask_text(text)).split())
    if len(shown) <= EXCERPT_CHARS and not is_cut:
        return shown or None
    limit = min(EXCERPT_CHARS, len(shown))
    cut = shown.rfind(" ", 0, limit)
    if cut < limit // 2:
        cut = limit
    shown = shown[:cut]
    if is_cut and not own:
        shown = _NUMBER_AT_END.sub("", shown)
    return shown.rstrip(" ,;:-–") + "…"


@per_locale
def _labels() -> dict:
    """The translated constant words of a card, for the current locale."""
    return {
        "direction": {key: str(label) for key, label in DIRECTIONS.items()},
        "kind": {key: str(label) for key, label in KIND_SHORT.items()},
        "category": {key: str(c.label) for key, c in CATEGORY_BY_KEY.items()},
        "status": {key: str(label) for key, label in STATUSES.items()},
        "under_1km": _("under 1 km"),
        # Without values: the translated patterns, filled per card (escaped by Jinja).
        "approx_km": _("approx. %(km)s km"),
        "since": _("since %(date)s"),
        "per_hour": _("%(amount)s per hour"),
    }


@lru_cache(maxsize=4096)
def _medium_date(day, locale: str) -> str:
    return dates.format_date(day, "medium", locale=locale)


@lru_cache(maxsize=1024)
def _amount(cents: int, locale: str) -> str:
    # flask_babel.format_currency with the locale passed instead of looked up per card.
    return numbers.format_currency(cents / 100, "EUR", locale=locale)


@lru_cache(maxsize=4096)
def _excerpt(text: str, own: bool, locale: str) -> str | None:
    # Per language: the placeholders of masked contacts are translated.
    return excerpt(text, own, is_cut=len(text or "") >= EXCERPT_SOURCE_CHARS)


@lru_cache(maxsize=4096)
def _short_date(day, locale: str) -> str:
    # "Sa., 12.06." in German: weekday, day and month, as the language writes them.
    return dates.format_skeleton("MMddE", day, locale=locale)


@lru_cache(maxsize=1024)
def _clock(value, locale: str) -> str:
    return dates.format_time(value, "short", locale=locale)


def job_when_text(posting, full: bool = False) -> str | None:
    """'Sa., 12.06., 15:00, 2 Stunden' for a posting on a date (full: the long date); else None.

    posting: a Posting, a board row or the values of a draft (timing, on_date, start_time,
    duration_minutes).
    """
    day = getattr(posting, "on_date", None)
    if posting.timing != "date" or day is None:
        return None
    locale = str(get_locale())
    parts = [dates.format_date(day, "full", locale=locale) if full else _short_date(day, locale)]
    start = getattr(posting, "start_time", None)
    if start is not None:
        parts.append(_clock(start, locale))
    minutes = getattr(posting, "duration_minutes", None)
    if minutes:
        parts.append(hours_text(minutes))
    return ", ".join(parts)


def _text_of(posting) -> str | None:
    # The board's rows bring the start of the text (excerpt), Posting objects all of it.
    text = getattr(posting, "excerpt", None)
    return getattr(posting, "description", None) if text is None else text


def _url_maker(slug: str):
    # One url_for per list: the posting id is the route's last part.
    prefix = url_for("postings.detail", slug=slug, posting_id=0)[:-1]
    return lambda posting_id: f"{prefix}{posting_id}"


def cards(
    postings,
    distances: dict | None = None,
    *,
    show_status: bool = False,
    slug: str | None = None,
    own: bool = False,
    kommune_name: str | None = None,
) -> list[Card]:
    """Cards for a page of postings.

    postings are Posting objects (their Kommune and Ortsteil loaded) or the board's rows
    (exchange.postings.queries.board_page: place_name instead of the Ortsteil, and the
    Kommune's slug and name given here). A minor's posting shows the Kommune instead of its
    Ortsteil or PLZ, and no distance, unless own. Titles show phone numbers and e-mail
    addresses only on one's own postings (own=True); elsewhere they are masked
    (exchange/postings/contact_mask.py), as is the one-line excerpt of the text.
    """
    labels = _labels()
    locale = str(get_locale())
    zone = get_timezone()
    distances = distances or {}
    directions, kinds, categories = labels["direction"], labels["kind"], labels["category"]
    under_1km, approx_km = labels["under_1km"], labels["approx_km"]
    since, per_hour = labels["since"], labels["per_hour"]
    urls: dict[str, object] = {}
    if slug is not None:
        urls[slug] = _url_maker(slug)
    result = []
    for posting in postings:
        posting_slug = slug or posting.municipality.slug
        url = urls.get(posting_slug) or urls.setdefault(posting_slug, _url_maker(posting_slug))
        created = posting.created_at.astimezone(zone)  # pytz: correct without normalize()
        is_minor = not own and is_minor_until(posting.author_adult_on)
        distance = None if is_minor else distances.get(posting.id)
        if distance is None:
            distance_label = None
        elif distance < 1:
            distance_label = under_1km
        else:
            distance_label = approx_km % {"km": int(round(distance))}
        pay = None
        if posting.pay_per_hour_cents:
            pay = per_hour % {"amount": _amount(posting.pay_per_hour_cents, locale)}
        is_expired = show_status and posting.is_expired()
        direction = posting.direction
        result.append(
            Card(
                posting.id,
                posting.title if own else masked(posting.title),
                url(posting.id),
                "info" if direction == "request" else "success",
                directions[direction],
                kinds[posting.kind],
                categories[posting.category],
                (kommune_name or posting.municipality.name) if is_minor else posting.place_name,
                distance_label,
                since % {"date": _medium_date(created.date(), locale)},
                pay,
                labels["status"][posting.status] if show_status else None,
                is_expired and posting.status in ("open", "in_contact"),
                _excerpt(_text_of(posting), own, locale),
                job_when_text(posting) if posting.on_date is not None else None,
                posting.is_adults_only,
            )
        )
    return result
