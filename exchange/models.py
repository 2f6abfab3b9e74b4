"""Import every model so that Alembic and create_all see the whole schema."""

from .accounts.models import ActivationCode, PasswordResetToken, User
from .admin.models import AuditEntry, CallNote, ProxyProfile, Report
from .core.idempotency import IdempotencyKey
from .mail.models import OutboxEmail
from .messaging.models import Conversation, Message
from .municipalities.accessibility.models import AccessibilityFeedback, AccessibilityStatement
from .municipalities.easy_language.models import EasyLanguagePage
from .municipalities.models import District, Municipality
from .municipalities.terms import TermsVersion
from .notifications.models import Notification, SavedSearch
from .postings.draft_models import PostingDraft
from .postings.models import Posting

__all__ = [
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
