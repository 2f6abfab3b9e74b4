"""The outbox: secrets erased after sending, pruning, requeueing, the operator's mail page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from exchange import timeutil
from exchange.extensions import db
from exchange.mail.models import MailFailure, OutboxEmail
from exchange.mail.queries import stuck_mail_summary
from exchange.mail.services import SCRUBBED_BODY, deliver_pending, prune_outbox
from tests.conftest import login_as, make_user, post, text_of


class Clock:
    """A settable stand-in for exchange.timeutil.utcnow."""

    def __init__(self):
        self.now = timeutil.utcnow()

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """Freeze the outbox's clock; tests move it on instead of sleeping."""
    fake = Clock()
    monkeypatch.setattr(timeutil, "utcnow", fake)
    return fake


def add_mail(clock, to="anna@example.org", **fields) -> OutboxEmail:
    values = {"subject": "Hallo", "body": "Text", "locale": "de"}
    values.update(fields)
    mail = OutboxEmail(recipient=to, created_at=clock(), next_attempt_at=clock(), **values)
    db.session.add(mail)
    db.session.commit()
    return mail


def all_outbox_text() -> str:
    """Every value of every outbox row, as one string."""
    rows = db.session.execute(select(OutboxEmail.__table__)).all()
    return "\n".join(str(value) for row in rows for value in row)


def test_reset_token_is_in_no_outbox_row_after_sending(client, delbrueck, mailbox):
    make_user(delbrueck)
    db.session.commit()
    post(client, "/password/forgot", {"email": "erna@example.org"})
    (body,) = mailbox.bodies_to("erna@example.org")
    token = re.search(r"/password/reset/(\S+)", body).group(1)
    assert len(token) > 20
    mail = db.session.scalar(select(OutboxEmail))
    assert mail.sent_at is not None and mail.is_secret
    assert token not in all_outbox_text()
    assert mail.body == SCRUBBED_BODY
    # The link in the delivered mail still works.
    assert client.get(f"/password/reset/{token}").status_code == 200


def test_ordinary_mail_keeps_its_text_after_sending(app, delbrueck, mailbox, clock):
    mail = add_mail(clock, body="Neue Nachricht von Jonas")
    assert deliver_pending() == (1, 0)
    db.session.refresh(mail)
    assert mail.sent_at is not None and mail.body == "Neue Nachricht von Jonas"


def test_prune_removes_old_delivered_and_old_failed_mail_only(app, clock):
    now = clock()
    add_mail(clock, sent_at=now - timedelta(days=8))
    recent_sent = add_mail(clock, sent_at=now - timedelta(days=2))
    old_pending = add_mail(clock)
    old_pending.created_at = now - timedelta(days=20)
    add_mail(clock, failed_at=now - timedelta(days=31), failure="expired")
    recent_failed = add_mail(clock, failed_at=now - timedelta(days=8), failure="rejected")
    db.session.commit()
    kept = {m.id for m in (recent_sent, old_pending, recent_failed)}
    assert prune_outbox() == 2
    db.session.commit()
    # The old delivered and the long-failed mail are gone; the rest stays.
    assert set(db.session.scalars(select(OutboxEmail.id))) == kept


def test_keep_days_is_configurable(app, clock):
    app.config["OUTBOX_KEEP_DAYS"] = 1
    add_mail(clock, sent_at=clock() - timedelta(days=2))
    assert prune_outbox() == 1


def test_one_connection_serves_a_whole_batch(app, clock, smtp_port):
    from aiosmtpd.controller import Controller

    class CountingSink:
        def __init__(self):
            self.connections = 0
            self.messages = 0

        async def handle_MAIL(self, server, session, envelope, address, options):  # noqa: N802
            if not getattr(session, "counted", False):
                session.counted = True
                self.connections += 1
            envelope.mail_from = address
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            self.messages += 1
            return "250 OK"

    for n in range(60):
        add_mail(clock, to=f"p{n}@example.org")
    sink = CountingSink()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        assert deliver_pending(limit=50) == (50, 0)
        assert deliver_pending(limit=50) == (10, 0)
    finally:
        controller.stop()
    assert sink.messages == 60 and sink.connections == 2


def test_requeue_command(app, clock):
    failed = add_mail(clock, failed_at=clock(), failure="expired", attempts=40, last_error="x")
    secret = add_mail(clock, failed_at=clock(), failure="rejected", is_secret=True)
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["exchange", "requeue-mail", "--id", str(secret.id)])
    assert refused.exit_code != 0
    one = runner.invoke(args=["exchange", "requeue-mail", "--id", str(failed.id)])
    assert one.exit_code == 0, one.output
    db.session.refresh(failed)
    assert failed.failed_at is None and failed.attempts == 0 and failed.next_attempt_at == clock()
    assert failed.retry_until == clock() + timedelta(hours=72)
    again = add_mail(clock, failed_at=clock(), failure="expired")
    everything = runner.invoke(args=["exchange", "requeue-mail", "--all-failed"])
    assert "requeued 1" in everything.output
    db.session.expire_all()
    assert db.session.get(OutboxEmail, again.id).failed_at is None
    assert db.session.get(OutboxEmail, secret.id).failed_at is not None
    assert runner.invoke(args=["exchange", "requeue-mail"]).exit_code != 0


def test_stuck_summary_counts_failed_and_retrying(app, clock):
    add_mail(clock)  # pending: not stuck
    retrying = add_mail(clock, attempts=3)
    add_mail(clock, failed_at=clock(), failure="expired")
    add_mail(clock, sent_at=clock())
    retrying.created_at = clock() - timedelta(hours=5)
    db.session.commit()
    assert stuck_mail_summary() == {
        "failed": 1,
        "retrying": 1,
        "oldest_retrying_seconds": 5 * 3600,
    }


@pytest.fixture
def operator(delbrueck):
    user = make_user(delbrueck, email="op@example.org", name="Olga Betrieb", role="superadmin")
    db.session.commit()
    return user


def test_only_the_operator_sees_the_mail_page(client, delbrueck):
    assert client.get("/admin/mail").status_code == 302
    admin = make_user(delbrueck, email="amt@example.org", name="Heike Amt", role="admin")
    db.session.commit()
    login_as(client, admin)
    assert client.get("/admin/mail").status_code == 403
    mail = add_mail(Clock(), failed_at=timeutil.utcnow(), failure="expired")
    assert post(client, f"/admin/mail/{mail.id}/requeue").status_code == 403
    assert post(client, "/admin/mail/requeue-all").status_code == 403
    db.session.refresh(mail)
    assert mail.failed_at is not None


def test_operator_sees_failed_mail_masked_and_requeues_it(client, operator, clock):
    add_mail(clock)
    add_mail(clock, attempts=2)
    mail = add_mail(
        clock,
        to="erna.mueller@example.org",
        subject="Neue Nachricht",
        failed_at=clock(),
        failure=MailFailure.REJECTED.value,
        attempts=1,
        last_error="SMTPRecipientsRefused: 550 e***@example.org unknown",
    )
    login_as(client, operator)
    page = text_of(client.get("/admin/mail"))
    assert "e***@example.org" in page and "erna.mueller@example.org" not in page
    assert "Neue Nachricht" in page and "550" in page
    counts = dict(re.findall(r'id="mail-(\w+)">(\d+)', page))
    assert counts == {"pending": "1", "retrying": "1", "failed": "1"}
    # Without a CSRF token nothing happens.
    assert client.post(f"/admin/mail/{mail.id}/requeue").status_code == 400
    db.session.refresh(mail)
    assert mail.failed_at is not None
    response = post(client, f"/admin/mail/{mail.id}/requeue")
    assert response.status_code == 302
    db.session.refresh(mail)
    assert mail.failed_at is None and mail.attempts == 0


def test_requeue_all_asks_first(client, operator, clock):
    mails = [add_mail(clock, to=f"p{n}@example.org", failed_at=clock()) for n in range(3)]
    login_as(client, operator)
    confirm = client.get("/admin/mail/requeue-all")
    assert confirm.status_code == 200 and "3" in text_of(confirm)
    assert db.session.scalar(select(func.count()).where(OutboxEmail.failed_at.is_not(None))) == 3
    assert post(client, "/admin/mail/requeue-all").status_code == 302
    db.session.expire_all()
    assert all(db.session.get(OutboxEmail, m.id).failed_at is None for m in mails)


def test_a_mail_that_cannot_be_built_fails_at_once_and_blocks_nothing(app, mailbox, clock):
    broken = add_mail(clock, to="anna@example.org\nBcc: alle@example.org")
    fine = add_mail(clock, to="ben@example.org")
    assert deliver_pending() == (1, 1)
    db.session.refresh(broken)
    assert broken.failure == MailFailure.REJECTED and "UnsendableMessage" in broken.last_error
    assert mailbox.bodies_to("alle@example.org") == [] and len(mailbox.bodies_to(fine.recipient))
