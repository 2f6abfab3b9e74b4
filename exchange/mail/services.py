"""Queue e-mails in the outbox (same transaction as the event) and deliver them.

How delivery behaves, and what it promises:

- A worker claims a batch of due mails in one atomic statement (``claimed_until``; on
  PostgreSQL also ``FOR UPDATE SKIP LOCKED``), sends them over one SMTP connection and records
  each mail as sent right after the server accepted it, so two workers never send the same mail.
- A temporary failure (connection refused, timeout, SMTP 4xx) is retried after 1, 2, 4 …
  minutes, capped at ``OUTBOX_MAX_BACKOFF_MINUTES``, until ``OUTBOX_RETRY_HOURS`` after the mail
  was queued; then it is failed for good (``MailFailure.EXPIRED``). A permanent rejection
  (SMTP 5xx for the recipient, the sender or the data) fails it at once (``REJECTED``).
  Failed mails stay visible to the operator (/admin/mail) and can be requeued.
- The one case of a duplicate: a worker killed (SIGKILL, power loss) after the SMTP server
  accepted a mail but before ``sent_at`` was committed. Its claim expires (``CLAIM``) and the
  mail is sent again, so at most one mail per killed worker can arrive twice. Every attempt uses
  the same Message-ID, so mail clients can recognise the copy. SIGTERM lets the worker finish
  the mail in hand first.
- Mails with a secret link or code (``queue_email(..., secret=True)``) lose their body once
  they are sent or given up; ``prune_outbox`` deletes delivered mail after ``OUTBOX_KEEP_DAYS``.
"""

from __future__ import annotations

import random
import smtplib
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr

from flask import current_app, g, render_template
from flask_babel import force_locale
from sqlalchemy import delete, or_, select, update

from .. import timeutil
from ..errors import InvalidState
from ..extensions import db
from ..i18n import _
from .models import MailFailure, OutboxEmail, mask_address

# What stays of a secret mail's body once it is sent or given up (stored, not shown in the UI).
SCRUBBED_BODY = "[Inhalt nach Versand gelöscht]"
# How long a worker holds the mails it claimed; it stops sending well before the claim ends.
CLAIM = timedelta(minutes=5)
FIRST_BACKOFF_SECONDS = 60


def public_base_url() -> str:
    """The configured address of the site (PUBLIC_BASE_URL) without a trailing slash.

    Every absolute link in e-mails and letters starts with it, never with the request's Host
    header, which a client can forge.
    """
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def queue_email(
    to: str,
    locale: str,
    subject,
    template: str,
    *,
    secret: bool = False,
    municipality=None,
    **context,
) -> OutboxEmail:
    """Render an e-mail in the recipient's language and add it to the outbox (no commit).

    ``subject`` is a lazy string (``_l(...)``) or an English message id; either way it is
    translated here, in the recipient's locale. ``secret=True`` for mails carrying a reset
    link, an activation code or a confirmation link: the body is erased after delivery.
    ``municipality`` is the recipient's Kommune: its name, phone and office hours sign the
    mail (templates/email/_signature.txt).
    """
    with force_locale(locale):
        if isinstance(subject, str):
            translated_subject = _(subject, **context.get("subject_args", {}))
        else:
            translated_subject = str(subject)
        body = render_template(
            template, base_url=public_base_url(), municipality=municipality, **context
        )
    now = timeutil.utcnow()
    mail = OutboxEmail(
        recipient=to,
        subject=translated_subject,
        body=body,
        locale=locale,
        created_at=now,
        next_attempt_at=now,
        retry_until=now + timedelta(hours=current_app.config["OUTBOX_RETRY_HOURS"]),
        is_secret=secret,
    )
    db.session.add(mail)
    db.session.flush()
    g.outbox_dirty = True
    return mail


def backoff(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: 1, 2, 4 … minutes, capped, minus up to 10 %.

    The jitter only shortens the wait, so the cap holds, and workers that failed together
    do not all retry in the same second.
    """
    cap = current_app.config["OUTBOX_MAX_BACKOFF_MINUTES"] * 60
    seconds = min(FIRST_BACKOFF_SECONDS * 2 ** min(max(attempts - 1, 0), 20), cap)
    return timedelta(seconds=seconds * random.uniform(0.9, 1.0))  # noqa: S311 - not security


def is_permanent(error: BaseException) -> bool:
    """True for an SMTP 5xx about this mail (recipient, sender or content): never retried."""
    if isinstance(error, UnsendableMessage):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return False


def _keeps_connection(error: BaseException) -> bool:
    """smtplib resets the session after these answers; anything else may have broken it."""
    return (
        isinstance(
            error, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused | smtplib.SMTPDataError
        )
        and getattr(error, "smtp_code", 0) != 421
    )


def describe(error: BaseException, recipient: str) -> str:
    """The error for the operator's list, with the recipient's address masked."""
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        code, message = next(iter(error.recipients.values()))
        text = f"SMTPRecipientsRefused: {code} {_text(message)}"
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"{type(error).__name__}: {error.smtp_code} {_text(error.smtp_error)}"
    else:
        text = f"{type(error).__name__}: {error}"
    if recipient:
        text = text.replace(recipient, mask_address(recipient))
    return text[:500]


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def message_id(mail_id: int, created_at: datetime, sender: str) -> str:
    """The same Message-ID on every attempt, so a copy after a crash can be recognised."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    return f"<outbox-{mail_id}.{created_at:%Y%m%d%H%M%S%f}@{domain}>"


class UnsendableMessage(Exception):
    """The stored mail cannot be made into a message (a bad address or header): no retry."""


def _message(row, config) -> EmailMessage:
    try:
        message = EmailMessage()
        message["From"] = config["MAIL_DEFAULT_SENDER"]
        message["To"] = row.recipient
        message["Subject"] = row.subject
        message["Message-ID"] = message_id(row.id, row.created_at, config["MAIL_DEFAULT_SENDER"])
        _set_text(message, row.body, row.locale)
    except (ValueError, TypeError) as error:  # UnicodeError and header errors included
        raise UnsendableMessage(str(error)) from error
    return message


# SMTP allows lines of at most 998 bytes in 8-bit bodies (RFC 5321 §4.5.3.1.6).
MAX_8BIT_LINE = 998


def _set_text(message: EmailMessage, body: str, locale: str, eight_bit: bool = True) -> None:
    """The body as text/plain UTF-8: readable 8-bit text, quoted-printable only when needed."""
    fits = all(len(line.encode()) <= MAX_8BIT_LINE for line in body.splitlines())
    message.set_content(body, cte="8bit" if eight_bit and fits else "quoted-printable")
    message["Content-Language"] = locale  # after set_content, which drops Content-*


def _printable(message: EmailMessage) -> str:
    """A mail as a person reads it: the main headers and the decoded text (the console)."""
    headers = "\n".join(f"{name}: {message[name]}" for name in ("From", "To", "Subject"))
    return f"{headers}\n\n{message.get_content()}"


class _Mailer:
    """One SMTP connection per batch, opened on first use and reopened after a failure."""

    def __init__(self, config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None
        # Set when connecting failed: the rest of the batch fails at once instead of waiting
        # for a timeout per mail (and outliving the claim).
        self.unreachable: BaseException | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        smtp = smtp_class(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
        )
        try:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self.config["MAIL_BACKEND"] == "console":
            print(
                f"----- e-mail to {message['To']} -----\n{_printable(message)}\n-----",
                file=sys.stderr,
            )
            return
        if self.smtp is None:
            try:
                self.smtp = self._connect()
            except Exception as error:
                self.unreachable = error
                raise
        try:
            self.smtp.ehlo_or_helo_if_needed()
            options = ()
            if message["Content-Transfer-Encoding"] == "8bit":
                if self.smtp.has_extn("8bitmime"):
                    options = ("BODY=8BITMIME",)
                else:  # an old server: 7-bit quoted-printable, as it can carry it
                    _set_text(message, message.get_content(), message["Content-Language"], False)
            self.smtp.send_message(message, mail_options=options)
        except Exception as error:
            if not _keeps_connection(error):
                self.close(polite=False)
            raise

    def close(self, polite: bool = True) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is None:
            return
        try:
            if polite:
                smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
        finally:
            smtp.close()


def _claim(connection, limit: int) -> list:
    """Atomically take up to ``limit`` due mails for this worker; returns their rows.

    One UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) … RETURNING: on PostgreSQL two
    workers skip each other's rows instead of waiting; SQLite has no FOR UPDATE (it is left out
    when compiling) but runs the statement under its single write lock, and the conditions on
    ``claimed_until`` and ``sent_at`` are checked inside it either way.
    """
    now = timeutil.utcnow()
    due = (
        select(OutboxEmail.id)
        .where(
            OutboxEmail.sent_at.is_(None),
            OutboxEmail.failed_at.is_(None),
            OutboxEmail.next_attempt_at <= now,
            or_(OutboxEmail.claimed_until.is_(None), OutboxEmail.claimed_until < now),
        )
        .order_by(OutboxEmail.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = connection.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id.in_(due.scalar_subquery()))
        .values(claimed_until=now + CLAIM)
        .returning(
            OutboxEmail.id,
            OutboxEmail.recipient,
            OutboxEmail.subject,
            OutboxEmail.body,
            OutboxEmail.locale,
            OutboxEmail.created_at,
            OutboxEmail.attempts,
            OutboxEmail.retry_until,
            OutboxEmail.is_secret,
        )
    ).all()
    return sorted(rows, key=lambda row: row.id)


def _record(connection, mail_id: int, **values) -> None:
    # One statement in autocommit: durable as soon as it returns, one round trip per mail.
    connection.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == mail_id)
        .values(attempts=OutboxEmail.attempts + 1, claimed_until=None, **values)
    )


def _record_sent(connection, row) -> None:
    values = {"sent_at": timeutil.utcnow(), "last_error": None}
    if row.is_secret:
        values["body"] = SCRUBBED_BODY
    _record(connection, row.id, **values)


def _record_failure(connection, row, error: BaseException) -> bool:
    """Schedule a retry, or give up; True when the mail is failed for good."""
    now = timeutil.utcnow()
    attempts = row.attempts + 1
    retry_until = row.retry_until or row.created_at + timedelta(
        hours=current_app.config["OUTBOX_RETRY_HOURS"]
    )
    failure = None
    if is_permanent(error):
        failure = MailFailure.REJECTED
    elif now >= retry_until:
        failure = MailFailure.EXPIRED
    values = {"last_error": describe(error, row.recipient)}
    if failure is None:
        values["next_attempt_at"] = now + backoff(attempts)
    else:
        values.update(failed_at=now, failure=failure.value)
        if row.is_secret:
            values["body"] = SCRUBBED_BODY
    _record(connection, row.id, **values)
    # Ids and error classes only: addresses and texts stay out of the log.
    current_app.logger.warning(
        "Mail %s not sent (attempt %s, %s)%s",
        row.id,
        attempts,
        type(error).__name__,
        f"; given up: {failure.value}" if failure else "",
    )
    return failure is not None


def deliver_pending(
    limit: int = 50, should_stop: Callable[[], bool] | None = None
) -> tuple[int, int]:
    """Send one batch of due outbox mails over one connection; returns (sent, failed).

    The worker's loop, so it writes for itself: on its own database connection in autocommit,
    the claim, then each mail's outcome right after its SMTP answer (call it with nothing
    pending in the session). Mails left over when asked to stop (or close to the end of the
    claim) are released at once for the next round or another worker.
    """
    config = current_app.config
    sent = failed = 0
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT")
        rows = _claim(connection, limit)
        if not rows:
            return 0, 0
        # Stop sending while the claim is surely ours: a slow server must not outlive it.
        deadline = time.monotonic() + CLAIM.total_seconds() - 3 * config["MAIL_TIMEOUT"]
        mailer = _Mailer(config)
        done = 0
        try:
            for row in rows:
                if (should_stop and should_stop()) or time.monotonic() > deadline:
                    break
                error = mailer.unreachable
                if error is None:
                    try:
                        mailer.send(_message(row, config))
                    except Exception as exc:  # every failure is recorded, none lost
                        error = exc
                if error is None:
                    _record_sent(connection, row)
                    sent += 1
                else:
                    _record_failure(connection, row, error)
                    failed += 1
                done += 1
        finally:
            mailer.close()
            left = [row.id for row in rows[done:]]
            if left:
                connection.execute(
                    update(OutboxEmail)
                    .where(OutboxEmail.id.in_(left), OutboxEmail.sent_at.is_(None))
                    .values(claimed_until=None)
                )
    # Objects the caller holds were changed behind the session's back.
    db.session.expire_all()
    return sent, failed


# --- Operator tools: requeue and prune --------------------------------------------------------


def _requeue_values() -> dict:
    now = timeutil.utcnow()
    return {
        "failed_at": None,
        "failure": None,
        "last_error": None,
        "attempts": 0,
        "claimed_until": None,
        "next_attempt_at": now,
        "retry_until": now + timedelta(hours=current_app.config["OUTBOX_RETRY_HOURS"]),
    }


def requeue_mail(mail: OutboxEmail) -> None:
    """Send a mail that was given up again, with a fresh retry window (no commit)."""
    if mail.failed_at is None:
        raise InvalidState(_("This e-mail is not marked as failed."))
    if mail.is_secret:
        # Its link or code was erased when it was given up (and has expired by now).
        raise InvalidState(
            _("This e-mail contained a secret link and its text was deleted; it cannot be sent.")
        )
    for name, value in _requeue_values().items():
        setattr(mail, name, value)
    db.session.flush()


def requeue_failed() -> int:
    """Requeue every mail that was given up, except erased secret ones; returns how many."""
    result = db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.failed_at.is_not(None), OutboxEmail.is_secret.is_(False))
        .values(**_requeue_values())
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return result.rowcount


def prune_outbox() -> int:
    """Delete old delivered and old failed mail; returns how many (for `flask exchange daily`).

    Delivered mail goes after OUTBOX_KEEP_DAYS, mail failed for good after
    OUTBOX_FAILED_KEEP_DAYS (until then the operator can requeue it). No commit.
    """
    config = current_app.config
    now = timeutil.utcnow()
    result = db.session.execute(
        delete(OutboxEmail)
        .where(
            or_(
                OutboxEmail.sent_at < now - timedelta(days=config["OUTBOX_KEEP_DAYS"]),
                OutboxEmail.failed_at < now - timedelta(days=config["OUTBOX_FAILED_KEEP_DAYS"]),
            )
        )
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return result.rowcount
