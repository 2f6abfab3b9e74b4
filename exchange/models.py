"""Import every model so that Alembic and create_all see the whole schema."""

from .accounts.models import PasswordResetToken, User
from .admin.models import Report
from .messaging.models import Conversation, Message
from .municipalities.models import District, Municipality
from .notifications.models import Notification, OutboxEmail, SavedSearch
from .postings.models import Posting

__all__ = [
    "Conversation",
    "District",
    "Message",
    "Municipality",
    "Notification",
    "OutboxEmail",
    "PasswordResetToken",
    "Report",
    "Posting",
    "SavedSearch",
    "User",
]
