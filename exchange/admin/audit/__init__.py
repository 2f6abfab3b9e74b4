"""The acting-for audit log: its table, the recording on every commit, its page.

The bottom of the admin area: proxies and moderation may write to it, nothing here imports
them. ``from exchange.admin import audit`` gives ``audit.entry`` and ``audit.init_app``.
"""

from .models import AuditEntry
from .recording import entry, init_app

__all__ = ["AuditEntry", "entry", "init_app"]
