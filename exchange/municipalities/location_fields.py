"""The place fields (Ortsteil or postcode) that every form asking where someone is shares."""

from __future__ import annotations

from operator import attrgetter

from wtforms import StringField
from wtforms.validators import Optional, StopValidation

from ..core.inputs import DB_INT_MAX, parse_int
from ..formfields import OptionalSelectField
from ..i18n import _, _l
from .location import missing_place_message


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class PlaceGiven:
    """On the postcode field: an Ortsteil or a postcode is needed, said the same way everywhere.

    Runs before Optional(), which would otherwise end the chain on an empty postcode.
    """

    def __call__(self, form, field):
        """Stop with the one message when neither is given (unless the form needs no place)."""
        if not getattr(form, "is_place_required", True) or form.district.data or field.data:
            return
        has_districts = len(form.district.choices or ()) > 1
        raise StopValidation(missing_place_message(has_districts))


def location_fields() -> tuple[OptionalSelectField, StringField]:
    """The district select and the postcode field; assign both in a form's class body."""
    # The choice is checked by resolve_location, so that a district of another Kommune (a
    # stale page, a tampered form) gets the same message in every form.
    district = OptionalSelectField(_l("District"), validators=[Optional()], validate_choice=False)
    postcode = StringField(_l("Postcode"), filters=[_strip], validators=[PlaceGiven(), Optional()])
    return district, postcode


def setup_location(form, districts, label=attrgetter("name"), *, is_required: bool = True):
    """Offer districts (labelled by label) besides the postcode; is_required=False: none needed."""
    form.district.choices = [("", _("No district, use the postcode"))] + [
        (str(d.id), label(d)) for d in districts
    ]
    form.is_place_required = is_required
    return form


def load_location(form, owner) -> None:
    """Show owner's (a user's or a posting's) place: its district, or else its postcode."""
    form.district.data = str(owner.district_id or "")
    form.postcode.data = "" if owner.district_id else owner.postcode


def location_values(form) -> dict:
    """district_id and postcode as the services take them."""
    district_id = None
    if form.district.data:
        # 0 is no row's id: resolve_location then says to choose one of the Kommune's districts.
        district_id = parse_int(form.district.data, 1, DB_INT_MAX) or 0
    return {
        "district_id": district_id,
        "postcode": (form.postcode.data or "").strip(),
    }
