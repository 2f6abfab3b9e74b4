"""Writes for the Engagementnachweis: issuing a proof under a code, choosing thanks for it, and
the Kommune's certificate settings. Flush, never commit."""

from __future__ import annotations

import json
import secrets

from ..accounts.models import User
from ..errors import ExchangeError, NotFound
from ..extensions import db
from ..i18n import _
from ..municipalities.models import Municipality
from . import certificate_queries as queries
from .models import Certificate, EngagementSettings, Thanks

LEDGER_RETENTION = (1, 30)
CONSENT_RETENTION = (1, 10)


def new_code() -> str:
    """An unguessable code in four groups of four (80 bits; no 0/O, 1/I to misread)."""
    letters = "".join(secrets.choice(queries.CODE_ALPHABET) for _i in range(16))
    return "-".join(letters[i : i + 4] for i in range(0, 16, 4))


def issue(user: User, year: int) -> Certificate:
    """The proof of her confirmed hours in year, under a code anyone can verify.

    Asking again for an unchanged year gives the same proof (same code); when her hours or her
    name changed, a new proof with a new code (the earlier ones stay valid as what they stated).
    ExchangeError when she has no confirmed hours in that year.
    """
    summary = queries.year_summary(user, year)
    if summary is None:
        raise ExchangeError(_("You have no confirmed hours in %(year)s.", year=year))
    summary_json = json.dumps(summary.as_json(), sort_keys=True)
    latest = queries.latest_certificate(user, year)
    if (
        latest is not None
        and latest.summary_json == summary_json
        and latest.holder_name == user.display_name
        and latest.municipality_id == user.municipality_id
    ):
        return latest
    certificate = Certificate(
        municipality_id=user.municipality_id,
        user_id=user.id,
        code=new_code(),
        year=year,
        holder_name=user.display_name,
        total_minutes=summary.total,
        summary_json=summary_json,
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate


def choose_thanks(user: User, thanks: Thanks, on_certificate: bool) -> None:
    """Quote a thank-you she received in her proof, or not."""
    if thanks.helper_id != user.id:
        raise NotFound()
    if thanks.is_hidden:
        raise ExchangeError(_("This thank-you was hidden by the municipality."))
    thanks.is_on_certificate = bool(on_certificate)
    db.session.flush()


def _years(value, bounds: tuple[int, int], field: str, message: str) -> int:
    low, high = bounds
    if not isinstance(value, int) or not low <= value <= high:
        raise ExchangeError(message, field)
    return value


def save_settings(
    municipality: Municipality,
    signatory_name: str,
    signatory_role: str,
    ledger_retention_years: int,
    consent_retention_years: int,
) -> EngagementSettings:
    """Save who signs the Kommune's proofs and how long ledger and consent records are kept."""
    ledger_years = _years(
        ledger_retention_years,
        LEDGER_RETENTION,
        "ledger_retention_years",
        _("Keep ledger entries between 1 and 30 years."),
    )
    consent_years = _years(
        consent_retention_years,
        CONSENT_RETENTION,
        "consent_retention_years",
        _("Keep consent records between 1 and 10 years."),
    )
    row = _row(municipality)
    row.signatory_name = (signatory_name or "").strip()[:120]
    row.signatory_role = (signatory_role or "").strip()[:120]
    row.ledger_retention_years = ledger_years
    row.consent_retention_years = consent_years
    db.session.flush()
    return row


def set_stamp(municipality: Municipality, filename: str) -> str:
    """Use a stored stamp image; returns the name of the one it replaces ("" if none)."""
    row = _row(municipality)
    old = row.stamp_filename
    row.stamp_filename = filename
    db.session.flush()
    return old


def _row(municipality: Municipality) -> EngagementSettings:
    row = db.session.get(EngagementSettings, municipality.id)
    if row is None:
        row = queries.settings_of(municipality)
        db.session.add(row)
    return row
