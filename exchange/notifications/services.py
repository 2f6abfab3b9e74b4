"""Queue e-mails in the outbox (same transaction as the event) and deliver them."""

from __future__ import annotations

import smtplib
import sys
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, g, render_template
from flask_babel import force_locale
from sqlalchemy import or_, select, update

from ..extensions import db
from ..timeutil import utcnow
from .models import OutboxEmail

MAX_ATTEMPTS = 8


def queue_email(to: str, locale: str, subject, template: str, **context) -> OutboxEmail:
    """Render an e-mail in the recipient's language and add it to the outbox (no commit).

    ``subject`` is a lazy string (``_l(...)``) or an English message id; either way it is
    translated here, in the recipient's locale.
    """
    with force_locale(locale):
        from ..i18n import _

        if isinstance(subject, str):
            translated_subject = _(subject, **context.get("subject_args", {}))
        else:
            translated_subject = str(subject)
        body = render_template(
            template, base_url=current_app.config["PUBLIC_BASE_URL"].rstrip("/"), **context
        )
    mail = OutboxEmail(recipient=to, subject=translated_subject, body=body, locale=locale)
    db.session.add(mail)
    db.session.flush()
    g.outbox_dirty = True
    return mail


def _send(mail: OutboxEmail) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(idstring=f"outbox-{mail.id}")
    message.set_content(mail.body)
    message["Content-Language"] = mail.locale  # after set_content, which drops Content-*
    if config["MAIL_BACKEND"] == "console":
        print(f"----- e-mail to {mail.recipient} -----\n{message}\n-----", file=sys.stderr)
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
    ) as s:
        if config["MAIL_USE_TLS"]:
            s.starttls()
        if config["MAIL_USERNAME"]:
            s.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        s.send_message(message)


CLAIM = timedelta(minutes=5)


def _claim(mail_id: int) -> bool:
    """Take one mail for this worker; False when another worker has it or it is sent."""
    now = utcnow()
    result = db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == mail_id, OutboxEmail.sent_at.is_(None))
        .where(or_(OutboxEmail.claimed_until.is_(None), OutboxEmail.claimed_until < now))
        .values(claimed_until=now + CLAIM)
    )
    db.session.commit()
    return result.rowcount == 1


def deliver_pending(limit: int = 50) -> tuple[int, int]:
    """Send due outbox mails, each at most once; failures wait longer each time (2, 4, 8 … min).

    Every mail is claimed with a conditional UPDATE before it is sent, so several workers (or a
    worker and the web process) never send the same mail twice.
    """
    now = utcnow()
    due_ids = db.session.scalars(
        select(OutboxEmail.id)
        .where(OutboxEmail.sent_at.is_(None), OutboxEmail.next_attempt_at <= now)
        .where(OutboxEmail.attempts < MAX_ATTEMPTS)
        .order_by(OutboxEmail.id)
        .limit(limit)
    ).all()
    sent = failed = 0
    for mail_id in due_ids:
        if not _claim(mail_id):
            continue
        mail = db.session.get(OutboxEmail, mail_id)
        mail.attempts += 1
        try:
            _send(mail)
        except (OSError, smtplib.SMTPException) as error:
            failed += 1
            mail.last_error = f"{type(error).__name__}: {error}"[:500]
            mail.next_attempt_at = utcnow() + timedelta(minutes=2 ** min(mail.attempts, 10))
            current_app.logger.warning("Mail %s not sent (attempt %s)", mail.id, mail.attempts)
        else:
            sent += 1
            mail.sent_at = utcnow()
            mail.last_error = None
        mail.claimed_until = None
        db.session.commit()
    return sent, failed
