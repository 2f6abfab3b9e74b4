"""Every admin table, for exchange/models.py and whoever wants them all in one import.

Each table lives in the sub-package of its concern; this module only re-exports them.
"""

from .audit.models import AuditEntry
from .moderation.models import Report
from .proxies.models import CallNote, ProxyProfile

__all__ = ["AuditEntry", "CallNote", "ProxyProfile", "Report"]
