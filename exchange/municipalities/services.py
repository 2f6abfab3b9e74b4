"""Writes of a Kommune's own facts (its admins edit them; the view commits), and its places."""

from __future__ import annotations

import math
import re

from email_validator import EmailNotValidError, validate_email

from ..errors import ExchangeError
from ..extensions import db
from ..geo import postcode_point, spread_km
from ..i18n import _
from .models import Municipality
from .states import STATES

FACT_FIELDS = (
    "state",
    "postal_address",
    "phone",
    "office_hours",
    "contact_email",
    "signatory_name",
    "signatory_role",
)
MAX_LENGTHS = {
    "state": 2,
    "postal_address": 300,
    "phone": 40,
    "office_hours": 1000,
    "contact_email": 254,
    "signatory_name": 120,
    "signatory_role": 120,
}
_PHONE = re.compile(r"\+?[\d ()/-]+")
# A Kommune's default distance: derived at least MIN_DERIVED_RADIUS_KM (a single PLZ without
# Ortsteile has no extent, and 5 km was the one default for all before), at most
# MAX_DERIVED_RADIUS_KM; its admins may choose from RADIUS_BOUNDS_KM.
MIN_DERIVED_RADIUS_KM = 5
MAX_DERIVED_RADIUS_KM = 25
RADIUS_BOUNDS_KM = (1, 50)
# The last line of a German postal address: five-digit PLZ, then the town.
_POSTCODE_AND_TOWN = re.compile(r"\d{5} +\S.*")


def clean_facts(values: dict) -> dict:
    """Strip every value, use LF line ends and drop blank lines from the address."""
    cleaned = {}
    for key in FACT_FIELDS:
        text = (values.get(key) or "").replace("\r\n", "\n").replace("\r", "\n")
        lines = [line.strip() for line in text.split("\n")]
        if key == "postal_address":
            lines = [line for line in lines if line]
        cleaned[key] = "\n".join(lines).strip()
    cleaned["state"] = cleaned["state"].upper()
    return cleaned


def fact_problems(values: dict) -> dict[str, str]:
    """Every rule the cleaned facts break, as {field: translated message}."""
    problems: dict[str, str] = {}
    for key, limit in MAX_LENGTHS.items():
        if len(values.get(key, "")) > limit:
            problems[key] = _("Please keep it under %(max)s characters.", max=limit)
    if values["state"] and values["state"] not in STATES:
        problems.setdefault("state", _("Choose the federal state from the list."))
    phone = values["phone"]
    if phone and (not _PHONE.fullmatch(phone) or not 5 <= sum(c.isdigit() for c in phone) <= 20):
        problems.setdefault(
            "phone",
            _(
                "Enter the phone number with digits, spaces and + ( ) / - only, "
                "for example 05250 996-0."
            ),
        )
    if values["contact_email"]:
        try:
            validate_email(values["contact_email"], check_deliverability=False)
        except EmailNotValidError:
            problems.setdefault(
                "contact_email", _("Enter an e-mail address like buergerbuero@example.org.")
            )
    address = values["postal_address"].split("\n") if values["postal_address"] else []
    if address and (not 2 <= len(address) <= 6 or not _POSTCODE_AND_TOWN.fullmatch(address[-1])):
        problems.setdefault(
            "postal_address",
            _(
                "Enter the address on two or more lines, the last with postcode and town, "
                "for example Marktstraße 6, then 33129 Delbrück."
            ),
        )
    if values["office_hours"].count("\n") >= 15:
        problems.setdefault("office_hours", _("Please use at most 15 lines."))
    return problems


def update_facts(municipality: Municipality, values: dict) -> None:
    """Replace the Kommune's facts (Bundesland, address, phone, hours, e-mail, signatory)."""
    cleaned = clean_facts(values)
    problems = fact_problems(cleaned)
    if problems:
        field, message = next(iter(problems.items()))
        raise ExchangeError(message, field)
    for key, value in cleaned.items():
        setattr(municipality, key, value)
    db.session.flush()


def places_of(municipality: Municipality) -> list:
    """Every point a posting of the Kommune can have: its Ortsteile's and PLZ centroids."""
    points = [district.point for district in municipality.districts]
    points += [p for p in map(postcode_point, municipality.postcodes) if p is not None]
    return points


def derived_radius_km(municipality: Municipality) -> int:
    """The default distance that fits the Kommune: how far its places lie apart, rounded up.

    A posting's distance counts from its own place, not from the Kommune's centre, so the
    largest distance between two places (Westenholz–Ostenland in Delbrück: 13.8 km) is what lets
    any two residents find each other; at least 5 km, at most 25 km.
    """
    extent = math.ceil(spread_km(places_of(municipality)) - 1e-9)
    return min(MAX_DERIVED_RADIUS_KM, max(MIN_DERIVED_RADIUS_KM, extent))


def radius_problem(value) -> str | None:
    """The translated message when value is no whole number of km within the bounds."""
    low, high = RADIUS_BOUNDS_KM
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return _("Enter a distance from 1 to 50 km.")
    return None


def update_settings(municipality: Municipality, facts: dict, radius_km: int | None) -> None:
    """The admins' settings page: the Kommune's facts and its default distance.

    radius_km None (the field left empty) gives back the distance derived from its places.
    """
    if radius_km is None:
        radius_km = derived_radius_km(municipality)
    problem = radius_problem(radius_km)
    if problem:
        raise ExchangeError(problem, "default_radius_km")
    update_facts(municipality, facts)
    municipality.default_radius_km = radius_km
    db.session.flush()
