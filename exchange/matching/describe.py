"""Turn a match's reasons into the plain words shown next to it."""

from ..i18n import _, ngettext
from ..postings.categories import CATEGORY_BY_KEY, KIND_SHORT
from ..postings.vocab import Direction


def describe(reasons) -> str:
    """'gleiche Kategorie · ca. 2 km · seit 3 Tagen' in the current language."""
    parts = []
    for key, params in reasons:
        if key == "same_category":
            parts.append(_("same category"))
        elif key == "any_category":
            parts.append(_("offers help of any kind"))
        elif key == "saved_search":
            parts.append(_("fits your saved search"))
        elif key == "remote":
            parts.append(_("by phone or online"))
        elif key == "distance":
            km = params["km"]
            parts.append(_("under 1 km") if km == 0 else _("approx. %(km)s km", km=km))
        elif key == "age":
            days = params["days"]
            parts.append(
                _("since today")
                if days == 0
                else ngettext("since %(num)d day", "since %(num)d days", days)
            )
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
