"""Import every model so that Alembic and create_all see the whole schema."""

from .accounts.models import ActivationCode, PasswordResetToken, User
from .admin.models import AuditEntry, CallNote, ProxyProfile, Report
from .core.idempotency import IdempotencyKey
from .ledger.models import Certificate, EngagementSettings, HelpRecord, LedgerEntry, Thanks
from .mail.models import OutboxEmail
from .messaging.models import Conversation, Message
from .municipalities.accessibility.models import AccessibilityFeedback, AccessibilityStatement
from .municipalities.easy_language.models import EasyLanguagePage
from .municipalities.models import District, Municipality
from .municipalities.terms import TermsVersion
from .notifications.models import Notification, SavedSearch
from .postings.draft_models import PostingDraft
from .postings.models import Posting
from .youth.models import LocalHoliday, ParentalConsent, SchoolHoliday, YouthPolicy

__all__ = [
    "YouthPolicy",
    "SchoolHoliday",
    "ParentalConsent",
    "LocalHoliday",
    "Thanks",
    "LedgerEntry",
    "HelpRecord",
    "EngagementSettings",
    "Certificate",
    "AccessibilityFeedback",
    "AccessibilityStatement",
    "ActivationCode",
    "AuditEntry",
    "CallNote",
    "ProxyProfile",
    "Conversation",
    "District",
    "EasyLanguagePage",
    "IdempotencyKey",
    "Message",
    "Municipality",
    "Notification",
    "OutboxEmail",
    "PasswordResetToken",
    "Report",
    "Posting",
    "PostingDraft",
    "SavedSearch",
    "TermsVersion",
    "User",
]
