"""Writes for thanks: the person helped (or the admin acting for her) thanks the helper once.
Flush, never commit."""

from __future__ import annotations

from ..accounts.models import User
from ..errors import ExchangeError, InvalidState, NotFound
from ..extensions import db
from ..i18n import _
from .certificate_queries import thanks_for_record
from .models import HelpRecord, Thanks
from .vocab import RecordStatus

BODY_MAX = 500


def thank(author: User, record: HelpRecord, body: str) -> Thanks:
    """Leave a short thank-you for the helper of a confirmed help she received."""
    if record.recipient_id != author.id or record.helper_id is None:
        raise NotFound()
    if record.status != RecordStatus.CONFIRMED:
        raise InvalidState(_("You can thank once the hours are confirmed."))
    if thanks_for_record(record) is not None:
        raise InvalidState(_("You have already said thank you for this help."))
    text = (body or "").strip()
    if not text:
        raise ExchangeError(_("Write a few words of thanks."), "body")
    if len(text) > BODY_MAX:
        raise ExchangeError(_("The thank-you can be at most 500 characters long."), "body")
    thanks = Thanks(
        municipality_id=record.municipality_id,
        help_record_id=record.id,
        author_id=author.id,
        helper_id=record.helper_id,
        body=text,
    )
    db.session.add(thanks)
    db.session.flush()
    return thanks
