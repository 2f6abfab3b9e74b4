"""Moderation: reports, hiding postings, blocking users, approving registrations. Never commits."""

from __future__ import annotations

from flask import url_for

from ...accounts.models import ROLE_RESIDENT, User
from ...accounts.services import erase_account
from ...errors import ExchangeError, InvalidState, NotAllowed, NotFound
from ...extensions import db
from ...i18n import _, _l
from ...ledger.models import Thanks
from ...mail.services import queue_email
from ...messaging.models import Message
from ...municipalities.models import Municipality
from ...postings.models import Posting
from ...postings.services import mark_author_blocked
from ...postings.vocab import Status
from ...timeutil import utcnow
from ..access import check_admin
from .models import Report

REASON_MAX = 1000


def _reason(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ExchangeError(_("Say briefly what is wrong."), "reason")
    if len(text) > REASON_MAX:
        raise ExchangeError(_("The reason can be at most 1000 characters long."), "reason")
    return text


def report_posting(actor: User, posting: Posting, reason: str) -> Report:
    """Report a posting to the Kommune's admins."""
    report = Report(
        municipality_id=posting.municipality_id,
        reporter_id=actor.id,
        posting_id=posting.id,
        reason=_reason(reason),
    )
    db.session.add(report)
    db.session.flush()
    return report


def report_message(actor: User, message: Message, reason: str) -> Report:
    """Report a message one has received."""
    conversation = message.conversation
    if not conversation.is_participant(actor) or message.sender_id == actor.id:
        raise NotFound(_("You can only report messages written to you."))
    report = Report(
        municipality_id=conversation.municipality_id,
        reporter_id=actor.id,
        message_id=message.id,
        reason=_reason(reason),
    )
    db.session.add(report)
    db.session.flush()
    return report


def report_thanks(actor: User, thanks: Thanks, reason: str) -> Report:
    """Report a thank-you one received (the helper: it may be unkind, or carry contact data)."""
    if thanks.helper_id != actor.id:
        raise NotFound(_("You can only report thanks written to you."))
    report = Report(
        municipality_id=thanks.municipality_id,
        reporter_id=actor.id,
        thanks_id=thanks.id,
        reason=_reason(reason),
    )
    db.session.add(report)
    db.session.flush()
    return report


def hide_thanks(actor: User, thanks: Thanks, hidden: bool = True) -> None:
    """Hide a thank-you from the helper's area and proofs (or show it again)."""
    check_admin(actor, db.session.get(Municipality, thanks.municipality_id))
    if thanks.is_hidden == hidden:
        if hidden:
            raise InvalidState(_("The thank-you is already hidden."))
        raise InvalidState(_("The thank-you is not hidden."))
    thanks.is_hidden = hidden
    if hidden:
        thanks.is_on_certificate = False
    db.session.flush()


def hide_posting(actor: User, posting: Posting) -> None:
    """Take a posting off the board for everyone but its author."""
    check_admin(actor, posting.municipality)
    if posting.status == Status.HIDDEN:
        raise InvalidState(_("The posting is already hidden."))
    posting.status_before_hidden = posting.status
    posting.status = Status.HIDDEN
    db.session.flush()


def unhide_posting(actor: User, posting: Posting) -> None:
    """Show a hidden posting again."""
    check_admin(actor, posting.municipality)
    if posting.status != Status.HIDDEN:
        raise InvalidState(_("The posting is not hidden."))
    posting.status = posting.status_before_hidden or Status.OPEN
    posting.status_before_hidden = None
    db.session.flush()


def block_user(actor: User, user: User) -> None:
    """Block a resident: they cannot sign in, and their sessions end at once."""
    check_admin(actor, user.municipality)
    if user.id == actor.id or user.role != ROLE_RESIDENT:
        raise NotAllowed(_("Only residents can be blocked."))
    user.is_blocked = True
    user.session_version += 1
    db.session.flush()
    mark_author_blocked(user, True)


def unblock_user(actor: User, user: User) -> None:
    """Let a blocked resident sign in again."""
    check_admin(actor, user.municipality)
    user.is_blocked = False
    db.session.flush()
    mark_author_blocked(user, False)


def resolve_report(actor: User, report: Report, outcome: str) -> None:
    """Close a report with a short note of what was done."""
    check_admin(actor, report_municipality(report))
    if report.resolved_at is not None:
        raise InvalidState(_("This report is already dealt with."))
    report.resolved_at = utcnow()
    report.resolved_by_id = actor.id
    report.outcome = (outcome or "").strip()[:200] or None
    db.session.flush()


def report_municipality(report: Report):
    """The Kommune a report belongs to."""
    return db.session.get(Municipality, report.municipality_id)


# --- Approval of new accounts ---------------------------------------------------------------


def approve_user(admin: User, user: User) -> None:
    """Let a newly registered resident sign in, and tell them by e-mail."""
    check_admin(admin, user.municipality)
    if user.is_approved:
        raise InvalidState(_("This account is already approved."))
    user.is_approved = True
    db.session.flush()
    if user.email:
        queue_email(
            user.email,
            user.locale,
            _l("Your account is ready"),
            "email/approved.txt",
            user=user,
            municipality=user.municipality,
            link=url_for("accounts.login"),
        )


def decline_user(admin: User, user: User) -> None:
    """Remove a registration the Kommune does not approve (it was never used)."""
    check_admin(admin, user.municipality)
    if user.is_approved:
        raise InvalidState(_("Only accounts waiting for approval can be declined."))
    # The same erasure as a self-service deletion: mails sent to her go too.
    erase_account(user)
