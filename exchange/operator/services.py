"""Operator writes: Kommunen and their admins. Never commits."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from ..accounts.models import ROLE_ADMIN, ROLE_RESIDENT, ROLE_SUPERADMIN, User
from ..errors import ExchangeError, InvalidState, NotAllowed
from ..extensions import db
from ..geo import is_valid_postcode, postcode_point
from ..i18n import _
from ..municipalities.models import ALL_KINDS, District, Municipality
from ..municipalities.services import derived_radius_km
from ..postings.models import Posting

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _check_operator(actor: User) -> None:
    if actor is None or actor.role != ROLE_SUPERADMIN:
        raise NotAllowed(_("You are not allowed to do this."))


def parse_postcodes(text: str) -> list[str]:
    """Five-digit PLZ separated by commas or spaces, each known to the PLZ table."""
    codes = [c for c in re.split(r"[\s,;]+", text or "") if c]
    if not codes:
        raise ExchangeError(_("Enter at least one postcode."), "postcodes")
    for code in codes:
        if not is_valid_postcode(code) or postcode_point(code) is None:
            raise ExchangeError(_("The postcode %(plz)s is unknown.", plz=code), "postcodes")
    return list(dict.fromkeys(codes))


def parse_districts(source: str | list[tuple[int, list[str]]], postcodes: list[str]) -> list[dict]:
    """One Ortsteil per line: "Name; PLZ" or "Name; PLZ; latitude; longitude".

    source is the form's text, or rows already split into fields, numbered (from a CSV file).
    """
    if isinstance(source, str):
        source = [
            (number, [p.strip() for p in line.split(";")])
            for number, line in enumerate(source.splitlines(), start=1)
            if line.strip()
        ]
    districts = []
    seen = set()
    for number, parts in source:
        if len(parts) not in (2, 4) or not parts[0]:
            raise ExchangeError(
                _(
                    "Line %(n)s: write “Name; PLZ” or “Name; PLZ; latitude; longitude”.",
                    n=number,
                ),
                "districts",
            )
        name, code = parts[0][:120], parts[1]
        if code not in postcodes:
            raise ExchangeError(
                _("Line %(n)s: the postcode %(plz)s is not in the list above.", n=number, plz=code),
                "districts",
            )
        if name.lower() in seen:
            raise ExchangeError(
                _("Line %(n)s: the district %(name)s appears twice.", n=number, name=name),
                "districts",
            )
        seen.add(name.lower())
        if len(parts) == 4:
            try:
                latitude, longitude = (
                    float(parts[2].replace(",", ".")),
                    float(parts[3].replace(",", ".")),
                )
            except ValueError:
                latitude = longitude = None
            # Germany lies within these bounds; anything else is a typo.
            if latitude is None or not (47 <= latitude <= 55.1 and 5.8 <= longitude <= 15.1):
                raise ExchangeError(
                    _("Line %(n)s: the coordinates are not in Germany.", n=number), "districts"
                )
        else:
            point = postcode_point(code)
            latitude, longitude = point.latitude, point.longitude
        districts.append(
            {"name": name, "postcode": code, "latitude": latitude, "longitude": longitude}
        )
    return districts


def _apply(municipality: Municipality, values: dict) -> None:
    slug = values["slug"]
    if not SLUG.match(slug):
        raise ExchangeError(
            _("Use only small letters, digits and hyphens, for example bad-lippspringe."), "slug"
        )
    taken = db.session.scalar(
        select(Municipality.id).where(Municipality.slug == slug, Municipality.id != municipality.id)
    )
    if taken is not None:
        raise ExchangeError(_("Another municipality already uses this short name."), "slug")
    if not COLOUR.match(values["theme_color"]):
        raise ExchangeError(_("Enter a colour like #0b5ea8."), "theme_color")
    kinds = [k for k in ALL_KINDS if k in (values["enabled_kinds"] or [])]
    if not kinds:
        raise ExchangeError(_("Choose at least one exchange."), "enabled_kinds")
    postcodes = parse_postcodes(values["postcodes"])
    districts = parse_districts(values["districts"] or "", postcodes)
    # A new Kommune, or one whose admins kept the derived distance, follows its places.
    derived_before = derived_radius_km(municipality) if municipality.id is not None else None
    municipality.name = values["name"]
    municipality.slug = slug
    municipality.postcodes_csv = ",".join(postcodes)
    municipality.enabled_kinds_csv = ",".join(kinds)
    municipality.theme_color = values["theme_color"].lower()
    municipality.requires_approval = bool(values["requires_approval"])
    for key in ("contact_text", "imprint_text", "privacy_text", "accessibility_text"):
        setattr(municipality, key, (values.get(key) or "").strip())
    _sync_districts(municipality, districts)
    if derived_before is None or municipality.default_radius_km == derived_before:
        municipality.default_radius_km = derived_radius_km(municipality)


def _sync_districts(municipality: Municipality, wanted: list[dict]) -> None:
    by_name = {d.name.lower(): d for d in municipality.districts}
    for values in wanted:
        district = by_name.pop(values["name"].lower(), None)
        if district is None:
            municipality.districts.append(District(**values))
        else:
            for key, value in values.items():
                setattr(district, key, value)
    for district in by_name.values():
        if district.id is not None and _district_in_use(district):
            raise ExchangeError(
                _(
                    "The district %(name)s is still used by accounts or postings and cannot be "
                    "removed.",
                    name=district.name,
                ),
                "districts",
            )
        municipality.districts.remove(district)


def _district_in_use(district: District) -> bool:
    users = db.session.scalar(select(func.count(User.id)).where(User.district_id == district.id))
    postings = db.session.scalar(
        select(func.count(Posting.id)).where(Posting.district_id == district.id)
    )
    return bool(users or postings)


def create_municipality(actor: User, values: dict) -> Municipality:
    """Add a Kommune."""
    _check_operator(actor)
    return build_municipality(values)


def build_municipality(values: dict) -> Municipality:
    """Add a Kommune without an acting operator: for the command line of a fresh installation."""
    municipality = Municipality(name="", slug="")
    _apply(municipality, values)
    db.session.add(municipality)
    db.session.flush()
    return municipality


def update_municipality(actor: User, municipality: Municipality, values: dict) -> None:
    """Change a Kommune."""
    _check_operator(actor)
    with db.session.no_autoflush:
        _apply(municipality, values)
    db.session.flush()


def appoint_admin(actor: User, municipality: Municipality, email: str) -> User:
    """Make an existing, signed-up account of the Kommune one of its admins."""
    _check_operator(actor)
    return promote_to_admin(municipality, email)


def promote_to_admin(municipality: Municipality, email: str) -> User:
    """appoint_admin without an acting operator: for the command line of a fresh installation."""
    user = db.session.scalar(
        select(User).where(func.lower(User.email) == (email or "").strip().lower())
    )
    if user is None or user.municipality_id != municipality.id:
        raise ExchangeError(
            _(
                "No account with this e-mail address belongs to %(name)s. The person registers "
                "first, choosing %(name)s.",
                name=municipality.name,
            ),
            "email",
        )
    if user.role != ROLE_RESIDENT:
        raise InvalidState(_("%(name)s is already an admin.", name=user.display_name))
    if user.is_blocked or not user.is_approved:
        raise InvalidState(_("A blocked or unapproved account cannot become an admin."))
    user.role = ROLE_ADMIN
    db.session.flush()
    return user


def remove_admin(actor: User, municipality: Municipality, user: User) -> None:
    """Take away admin rights; the account stays. Ends the person's sessions."""
    _check_operator(actor)
    if user.municipality_id != municipality.id or user.role != ROLE_ADMIN:
        raise InvalidState(_("This account is not an admin here."))
    user.role = ROLE_RESIDENT
    # Admin pages open in other tabs or devices must not keep working.
    user.session_version += 1
    db.session.flush()
