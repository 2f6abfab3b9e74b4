"""Saved searches and reading notifications. Never commits."""

from __future__ import annotations

from sqlalchemy import update

from ..accounts.models import User
from ..core.inputs import DB_INT_MAX, parse_int
from ..errors import ExchangeError, NotAllowed
from ..extensions import db
from ..geo import postcode_point
from ..i18n import _
from ..municipalities.models import District, Municipality
from ..notifications.models import Notification, SavedSearch
from ..postings.categories import CATEGORY_BY_KEY, KINDS
from ..postings.vocab import Direction
from ..timeutil import utcnow

RADII = (1, 2, 5, 10, 25)
MAX_SEARCHES = 20


def save_search(user: User, municipality: Municipality, values: dict) -> SavedSearch:
    """Remember a search; the place is the chosen Ortsteil, typed PLZ or the user's own."""
    if municipality is None or user.municipality_id != municipality.id:
        raise NotAllowed(_("You can only save searches in your own municipality."))
    direction = values.get("direction") or Direction.REQUEST
    if not Direction.has(direction):
        raise ExchangeError(_("This search cannot be saved."))
    kind = values.get("kind") or None
    category = values.get("category") or None
    if (kind and kind not in KINDS) or (category and category not in CATEGORY_BY_KEY):
        raise ExchangeError(_("This search cannot be saved."))
    # The board's distances; none chosen (or an odd one): the Kommune's default radius.
    radius = parse_int(values.get("radius"), 1, DB_INT_MAX)
    if radius not in (*RADII, municipality.default_radius_km):
        radius = municipality.default_radius_km
    district = None
    district_id = parse_int(values.get("district"), 1, DB_INT_MAX)
    if district_id is not None:
        district = db.session.get(District, district_id)
        if district is None or district.municipality_id != municipality.id:
            district = None
    if values.get("near"):
        point = postcode_point(values["near"])
        if point is None:
            raise ExchangeError(_("The postcode %(plz)s is unknown.", plz=values["near"]))
        place = values["near"]
    elif district is not None:
        point, place = district.point, district.name
    else:
        point, place = user.point, user.place_name
    count = db.session.query(SavedSearch).filter_by(user_id=user.id).count()
    if count >= MAX_SEARCHES:
        raise ExchangeError(_("You can keep at most 20 saved searches."))
    search = SavedSearch(
        user_id=user.id,
        municipality_id=municipality.id,
        direction=direction,
        kind=kind,
        category=category,
        place_name=place,
        latitude=point.latitude,
        longitude=point.longitude,
        radius_km=radius,
    )
    db.session.add(search)
    db.session.flush()
    return search


def delete_search(user: User, search: SavedSearch) -> None:
    """Forget one's saved search."""
    if search.user_id != user.id:
        raise NotAllowed(_("You are not allowed to do this."))
    db.session.delete(search)
    db.session.flush()


def mark_notifications_read(user: User) -> None:
    """Everything the user has been told about counts as read now."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
