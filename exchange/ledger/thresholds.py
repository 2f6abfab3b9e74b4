"""The Länder's hour thresholds for an Ehrenamtskarte or a Nachweis (REFERENCE.md "Engagement
records"), stated on an Engagementnachweis as "reaches" / "does not reach".

Pure: no Flask, no database. A Kommune whose Land has none here shows no table.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import _l


@dataclass(frozen=True)
class Threshold:
    """hours a year needed for name, valid from first_year to last_year (None: open)."""

    name: object
    hours: int
    source: str
    note: object = ""
    first_year: int | None = None
    last_year: int | None = None

    def applies(self, year: int) -> bool:
        """Whether the threshold was the rule in year."""
        if self.first_year is not None and year < self.first_year:
            return False
        return self.last_year is None or year <= self.last_year


_NRW = "Land NRW, Ehrenamtskarte NRW (ab 2026: 200 Std./Jahr oder 4 Std./Woche)"
_BY_CARD = "Bayerisches Staatsministerium, Ehrenamtskarte Bayern"
_BY_PROOF = "Bayerisches Staatsministerium, Bayerischer Ehrenamtsnachweis"
_BE_BB = "Ehrenamtskarte Berlin/Brandenburg"
_KOMPETENZ = "Kompetenznachweis Ehrenamt"

THRESHOLDS: dict[str, tuple[Threshold, ...]] = {
    "NW": (
        Threshold(_l("Ehrenamtskarte NRW"), 200, _NRW, first_year=2026),
        Threshold(_l("Ehrenamtskarte NRW"), 250, _NRW, last_year=2025),
    ),
    "BY": (
        Threshold(_l("Ehrenamtskarte Bayern"), 250, _BY_CARD, _l("from 16 years")),
        Threshold(_l("Bayerischer Ehrenamtsnachweis"), 80, _BY_PROOF),
        Threshold(
            _l("Bayerischer Ehrenamtsnachweis"), 60, _BY_PROOF, _l("for pupils from 14 years")
        ),
    ),
    "BE": (Threshold(_l("Ehrenamtskarte Berlin/Brandenburg"), 200, _BE_BB),),
    "BB": (Threshold(_l("Ehrenamtskarte Berlin/Brandenburg"), 200, _BE_BB),),
    "HE": (Threshold(_l("Kompetenznachweis Ehrenamt Hessen"), 80, _KOMPETENZ),),
    "NI": (Threshold(_l("Kompetenznachweis Ehrenamt Niedersachsen"), 80, _KOMPETENZ),),
}

SOURCE_NOTE = _l(
    "Thresholds as published by the Land; the issuing office decides. Hours a year; "
    "a card may ask for more (e.g. a number of years)."
)


@dataclass(frozen=True)
class Standing:
    """One threshold and whether the hours reach it."""

    threshold: Threshold
    is_reached: bool


def standings(state: str, year: int, minutes: int) -> list[Standing]:
    """The thresholds of the Land (ISO code, e.g. "NW") for year, each reached or not."""
    return [
        Standing(t, minutes >= t.hours * 60)
        for t in THRESHOLDS.get(state or "", ())
        if t.applies(year)
    ]
