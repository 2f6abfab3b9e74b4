"""Turn a match's reasons into the plain words shown next to it."""

from ..i18n import _, ngettext, per_locale
from ..postings.categories import CATEGORY_BY_KEY, KIND_SHORT
from ..postings.vocab import Direction


@per_locale
def _words() -> dict:
    """The translated words of the reasons, for the current locale (filled as days occur)."""
    return {
        "same_category": _("same category"),
        "any_category": _("offers help of any kind"),
        "saved_search": _("fits your saved search"),
        "remote": _("by phone or online"),
        "under_1km": _("under 1 km"),
        "since_today": _("since today"),
        # Without values: the translated pattern, filled per match as _() would.
        "approx_km": _("approx. %(km)s km"),
        # "since 3 days" by number of days: the plural form depends on the number.
        "since_days": {},
    }


def _since_days(words: dict, days: int) -> str:
    cache = words["since_days"]
    try:
        return cache[days]
    except KeyError:
        text = cache[days] = ngettext("since %(num)d day", "since %(num)d days", days)
        return text


def describe(reasons) -> str:
    """'gleiche Kategorie · ca. 2 km · seit 3 Tagen' in the current language."""
    return describe_in(reasons, _words())


def words() -> dict:
    """The current language's words for describe_in (look them up once per list)."""
    return _words()


def describe_in(reasons, words: dict) -> str:
    """describe(reasons) with the words of words()."""
    parts = []
    for key, params in reasons:
        if key in ("same_category", "any_category", "saved_search", "remote"):
            parts.append(words[key])
        elif key == "distance":
            km = params["km"]
            parts.append(words["under_1km"] if km == 0 else words["approx_km"] % {"km": km})
        elif key == "age":
            days = params["days"]
            parts.append(words["since_today"] if days == 0 else _since_days(words, days))
    return " · ".join(parts)


def describe_search(search) -> str:
    """'New requests in Garten, 5 km around Westenholz' in the current language."""
    what = _("New requests") if search.direction == Direction.REQUEST else _("New offers")
    details = []
    if search.kind:
        details.append(str(KIND_SHORT[search.kind]))
    if search.category:
        details.append(str(CATEGORY_BY_KEY[search.category].label))
    where = _("%(km)s km around %(place)s", km=search.radius_km, place=search.place_name)
    return ", ".join([what + (" · " + " · ".join(details) if details else ""), where])
