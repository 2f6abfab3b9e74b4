"""The 16 Länder by the ISO 3166-2 subdivision code that the `holidays` package uses."""

from ..i18n import _l

# English msgids; the German catalogue gives the German names.
STATES = {
    "BW": _l("Baden-Württemberg"),
    "BY": _l("Bavaria"),
    "BE": _l("Berlin"),
    "BB": _l("Brandenburg"),
    "HB": _l("Bremen"),
    "HH": _l("Hamburg"),
    "HE": _l("Hesse"),
    "MV": _l("Mecklenburg-Western Pomerania"),
    "NI": _l("Lower Saxony"),
    "NW": _l("North Rhine-Westphalia"),
    "RP": _l("Rhineland-Palatinate"),
    "SL": _l("Saarland"),
    "SN": _l("Saxony"),
    "ST": _l("Saxony-Anhalt"),
    "SH": _l("Schleswig-Holstein"),
    "TH": _l("Thuringia"),
}
