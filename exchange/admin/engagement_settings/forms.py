"""The admins' forms for the Engagementnachweis settings."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from ...formfields import NoBidiControls
from ...i18n import _l


class EngagementSettingsForm(FlaskForm):
    """Signatory and retention periods."""

    signatory_name = StringField(
        _l("Name of the signatory"), validators=[Length(max=120), NoBidiControls()]
    )
    signatory_role = StringField(
        _l("Role of the signatory"), validators=[Length(max=120), NoBidiControls()]
    )
    ledger_retention_years = IntegerField(
        _l("Keep ledger entries after an account is deleted (years)"),
        validators=[
            DataRequired(message=_l("Keep ledger entries between 1 and 30 years.")),
            NumberRange(1, 30, message=_l("Keep ledger entries between 1 and 30 years.")),
        ],
    )
    consent_retention_years = IntegerField(
        _l("Keep consent records after an account is deleted (years)"),
        validators=[
            DataRequired(message=_l("Keep consent records between 1 and 10 years.")),
            NumberRange(1, 10, message=_l("Keep consent records between 1 and 10 years.")),
        ],
    )


class StampForm(FlaskForm):
    """The stamp image (PNG)."""

    stamp = FileField(
        _l("Stamp image (PNG)"), validators=[FileRequired(message=_l("Choose a PNG image."))]
    )
