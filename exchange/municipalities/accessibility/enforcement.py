"""Where people turn when a Kommune does not remedy a barrier: each Land's body, or the federal one.

Sources checked in November 2026 (the pages each URL points to); a Land without an entry here
falls back to the federal Schlichtungsstelle, and every Kommune's admins may name another body.
Names are official German names and stay untranslated.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EnforcementBody:
    """A Schlichtungsstelle, Ombudsstelle or Durchsetzungsstelle with its official page."""

    name: str
    url: str


FEDERAL = EnforcementBody(
    "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz",
    "https://www.schlichtungsstelle-bgg.de",
)

# ISO 3166-2 code (as Municipality.state) → the Land's body. None: no page of the Land's own
# body was verified yet, so the statement names the federal Schlichtungsstelle (the admin may
# override it with the Land's body).
BY_STATE: dict[str, EnforcementBody | None] = {
    "BW": EnforcementBody(
        "Schlichtungsstelle beim Landeszentrum Barrierefreiheit Baden-Württemberg (LZ-BARR)",
        "https://barrierefreiheit-bw.de/barrierefreiheitdurchsetzen/schlichtungsverfahren",
    ),
    "BY": EnforcementBody(
        "Durchsetzungs- und Überwachungsstelle für barrierefreie Informationstechnik am "
        "Landesamt für Digitalisierung, Breitband und Vermessung",
        "https://www.finanzministerium.bayern/digitalisierung/barrierefreiheit/",
    ),
    "BE": EnforcementBody(
        "Schlichtungsstelle bei der Landesbeauftragten für Menschen mit Behinderungen Berlin",
        "https://www.berlin.de/lb/behi/",
    ),
    "BB": None,
    "HB": EnforcementBody(
        "Zentralstelle für barrierefreie Informationstechnik der Freien Hansestadt Bremen",
        "https://www.behindertenbeauftragter.bremen.de/der_beauftragte/"
        "zentralstelle_fuer_barrierefreie_informationstechnik-28011",
    ),
    "HH": EnforcementBody(
        "Schlichtungsstelle nach dem Hamburgischen Behindertengleichstellungsgesetz",
        "https://www.hamburg.de/politik-und-verwaltung/behoerden/sozialbehoerde/themen/"
        "behinderung/schlichtungsstelle-behinderung",
    ),
    "HE": EnforcementBody(
        "Durchsetzungs- und Überwachungsstelle für barrierefreie Informationstechnik des "
        "Landes Hessen",
        "https://lbit.hessen.de/Durchsetzungs-und-Ueberwachungsstelle/"
        "Durchsetzungsverfahren-beantragen",
    ),
    "MV": None,
    "NI": None,
    "NW": EnforcementBody(
        "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen",
        "https://www.lbbp.nrw.de/ombudsstelle",
    ),
    "RP": None,
    "SL": None,
    "SN": None,
    "ST": None,
    "SH": EnforcementBody(
        "Beschwerdestelle für barrierefreie Informationstechnik Schleswig-Holstein",
        "https://www.landtag.ltsh.de/beauftragte/beschwerdestelle-fuer-barrieren/"
        "beschwerde-einreichen/",
    ),
    "TH": None,
}


def body_for_state(state: str) -> EnforcementBody:
    """The Land's enforcement body for an ISO code like "NW", else the federal one."""
    return BY_STATE.get(state or "") or FEDERAL
