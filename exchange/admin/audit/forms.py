"""The audit log's filters."""

from flask_wtf import FlaskForm
from wtforms.validators import Optional

from ...formfields import BlankableDateField, OptionalSelectField
from ...i18n import _l


class AuditFilterForm(FlaskForm):
    """Filters of the audit log (GET, no CSRF needed for a read)."""

    class Meta:
        csrf = False

    admin = OptionalSelectField(_l("Admin"), validators=[Optional()])
    proxy = OptionalSelectField(_l("Resident"), validators=[Optional()])
    action = OptionalSelectField(_l("Action"), validators=[Optional()])
    since = BlankableDateField(_l("From"), validators=[Optional()])
    until = BlankableDateField(_l("Until"), validators=[Optional()])
