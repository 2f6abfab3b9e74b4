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

    def filters(self) -> dict:
        """The chosen filters for the audit log's query; none while a value is invalid."""
        if not self.validate():
            return {}
        return {
            "admin_id": int(self.admin.data) if self.admin.data else None,
            "proxy_id": int(self.proxy.data) if self.proxy.data else None,
            "action": self.action.data or None,
            "since": self.since.data,
            "until": self.until.data,
        }
