"""Where someone is: an Ortsteil of the Kommune or one of its postcodes; one set of messages."""

from __future__ import annotations

from ..errors import ExchangeError
from ..extensions import db
from ..geo import postcode_point
from ..i18n import _
from .models import District, Municipality


def missing_place_message(has_districts: bool) -> str:
    """What to say when neither an Ortsteil nor a postcode was given."""
    if has_districts:
        return _("Choose the district or enter a postcode.")
    return _("Enter a postcode.")


def resolve_location(municipality: Municipality, district_id: int | None, postcode: str | None):
    """(district, postcode, point) for an Ortsteil of the Kommune or one of its PLZ."""
    postcode = (postcode or "").strip()
    if district_id is None and not postcode:
        raise ExchangeError(missing_place_message(bool(municipality.districts)), "postcode")
    if district_id is not None:
        district = db.session.get(District, district_id) if district_id else None
        if district is None or district.municipality_id != municipality.id:
            raise ExchangeError(
                _("Choose a district of %(name)s.", name=municipality.name), "district"
            )
        return district, district.postcode, district.point
    if postcode not in municipality.postcodes:
        raise ExchangeError(
            _(
                "The postcode %(plz)s does not belong to %(name)s.",
                plz=postcode,
                name=municipality.name,
            ),
            "postcode",
        )
    point = postcode_point(postcode)
    if point is None:
        raise ExchangeError(_("The postcode %(plz)s is unknown.", plz=postcode), "postcode")
    return None, postcode, point
