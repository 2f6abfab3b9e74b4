"""Mail against a real SMTP server (aiosmtpd): outage, recovery, rejection, a killed worker."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections import Counter
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from benchmarks.mail_drain import drain, start_worker
from exchange import create_app, timeutil
from exchange.extensions import db
from exchange.mail.models import MailFailure, OutboxEmail
from exchange.mail.queries import stuck_mail_summary
from exchange.mail.services import SCRUBBED_BODY, deliver_pending, message_id

pytestmark = pytest.mark.slow


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


class Handler:
    """Records Message-IDs; refuses chosen recipients; can hold the n-th message."""

    def __init__(self):
        self.ids: list[str] = []
        self.replies: dict[str, str] = {}  # recipient -> SMTP reply instead of 250
        self.hold_at: int | None = None
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if address in self.replies:
            return self.replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        if message["Subject"] == "Werbung":
            return "554 5.6.0 Message content rejected"
        self.ids.append(message["Message-ID"])
        if self.hold_at is not None and len(self.ids) == self.hold_at:
            # The message is in; the answer is not sent while the test holds it here.
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
        return "250 OK"


class Server:
    """A local SMTP server that can go down and come back on the same port."""

    def __init__(self, port: int):
        self.port = port
        self.handler = Handler()
        self.controller: Controller | None = None

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def server(smtp_port):
    """The SMTP server, down until the test starts it."""
    server = Server(smtp_port)
    yield server
    server.handler.release.set()
    server.stop()


def add_mail(clock, to="anna@example.org", **fields) -> OutboxEmail:
    values = {"subject": "Hallo", "body": "Text", "locale": "de"}
    values.update(fields)
    mail = OutboxEmail(recipient=to, created_at=clock(), next_attempt_at=clock(), **values)
    db.session.add(mail)
    db.session.commit()
    return mail


def expected_ids(app) -> dict[int, str]:
    sender = app.config["MAIL_DEFAULT_SENDER"]
    mails = db.session.scalars(select(OutboxEmail))
    return {m.id: message_id(m.id, m.created_at, sender) for m in mails}


def test_outage_backs_off_within_the_cap_then_recovery_sends_each_once(app, clock, server):
    for n in range(3):
        add_mail(clock, to=f"p{n}@example.org")
    waits = []
    for _attempt in range(10):  # 3 hours of outage
        assert deliver_pending() == (0, 3)
        assert deliver_pending() == (0, 0)  # backing off: nothing is due
        mails = db.session.scalars(select(OutboxEmail)).all()
        assert all(m.sent_at is None and m.failed_at is None for m in mails)
        assert all("ConnectionRefusedError" in m.last_error for m in mails)
        waits.append([(m.next_attempt_at - clock()).total_seconds() / 60 for m in mails])
        clock.now = max(m.next_attempt_at for m in mails)
    for attempt, minutes in enumerate(waits, start=1):
        planned = min(2 ** (attempt - 1), 30)
        assert all(0.9 * planned <= m <= planned for m in minutes), (attempt, minutes)
    assert stuck_mail_summary()["retrying"] == 3
    server.start()
    assert deliver_pending() == (3, 0)
    clock.advance(hours=1)
    assert deliver_pending() == (0, 0)
    assert Counter(server.handler.ids) == Counter(expected_ids(app).values())
    assert all(m.attempts == 11 for m in db.session.scalars(select(OutboxEmail)))
    assert stuck_mail_summary() == {"failed": 0, "retrying": 0, "oldest_retrying_seconds": None}


def test_temporary_failures_retry_for_three_days_then_fail_for_good(app, clock, server):
    mail = add_mail(clock)
    queued = clock()
    while clock() < queued + timedelta(hours=71, minutes=30):
        assert deliver_pending() == (0, 1)
        db.session.refresh(mail)
        assert mail.failed_at is None
        clock.now = mail.next_attempt_at
    clock.now = queued + timedelta(hours=72)
    assert deliver_pending() == (0, 1)
    db.session.refresh(mail)
    assert mail.failed_at == clock() and mail.failure == MailFailure.EXPIRED
    assert stuck_mail_summary()["failed"] == 1
    clock.advance(days=1)
    assert deliver_pending() == (0, 0)  # failed for good: no more attempts
    server.start()
    result = app.test_cli_runner().invoke(args=["exchange", "requeue-mail", "--all-failed"])
    assert "requeued 1" in result.output
    assert deliver_pending() == (1, 0)
    assert len(server.handler.ids) == 1


def test_permanent_rejection_stops_at_once_while_others_go_out(app, clock, server):
    server.handler.replies = {
        "weg@example.org": "550 5.1.1 <weg@example.org>: Recipient address rejected",
        "grau@example.org": "451 4.7.1 Greylisted, try again later",
    }
    good = add_mail(clock, to="gut@example.org")
    gone = add_mail(clock, to="weg@example.org", is_secret=True, body="/password/reset/GEHEIM")
    grey = add_mail(clock, to="grau@example.org")
    spam = add_mail(clock, to="spam@example.org", subject="Werbung")
    server.start()
    assert deliver_pending() == (1, 3)
    for mail in (good, gone, grey, spam):
        db.session.refresh(mail)
    assert good.sent_at is not None
    assert gone.failed_at is not None and gone.failure == MailFailure.REJECTED
    assert gone.attempts == 1 and "550" in gone.last_error
    assert "weg@example.org" not in gone.last_error and "w***@example.org" in gone.last_error
    assert gone.body == SCRUBBED_BODY
    assert spam.failed_at is not None and "554" in spam.last_error
    assert grey.failed_at is None and grey.next_attempt_at > clock()
    server.handler.replies = {"weg@example.org": server.handler.replies["weg@example.org"]}
    clock.advance(hours=1)
    assert deliver_pending() == (1, 0)  # only the greylisted one is tried again
    ids = expected_ids(app)
    assert sorted(server.handler.ids) == sorted([ids[good.id], ids[grey.id]])


@pytest.fixture
def shared_app(tmp_path, smtp_port):
    """The app on a database a worker process can open too (a SQLite file or PostgreSQL)."""
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'outbox.sqlite3'}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "MAIL_PORT": smtp_port})
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def test_a_worker_killed_mid_send_loses_nothing_and_repeats_only_the_mail_in_flight(
    shared_app, server, tmp_path
):
    url = shared_app.config["SQLALCHEMY_DATABASE_URI"]
    for n in range(10):
        add_mail(Clock(), to=f"p{n}@example.org")
    server.handler.hold_at = 3
    server.start()
    log = open(tmp_path / "worker.log", "wb")  # noqa: SIM115 - closed below
    worker = start_worker(url, server.port, "--batch", "5", "--interval", "0.2", log=log)
    try:
        assert server.handler.holding.wait(60), (tmp_path / "worker.log").read_text()
        in_flight = server.handler.ids[2]
        worker.send_signal(signal.SIGKILL)  # while the server holds the third mail
        worker.wait(10)
    finally:
        server.handler.release.set()
        worker.kill()
    # A new worker sends what nobody holds at once, and leaves the dead worker's claims alone.
    restarted = start_worker(url, server.port, "--batch", "5", "--interval", "0.2", log=log)
    try:
        deadline = time.monotonic() + 60
        while len(server.handler.ids) < 8 and time.monotonic() < deadline:
            time.sleep(0.05)
        restarted.send_signal(signal.SIGTERM)
        assert restarted.wait(30) == 0
    finally:
        restarted.kill()
        log.close()
    assert len(server.handler.ids) == 8
    # Once the claims have run out (5 minutes), the rest goes out, the one in flight again.
    clock = Clock()
    clock.advance(minutes=6)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timeutil, "utcnow", clock)
        assert deliver_pending() == (3, 0)
    received = Counter(server.handler.ids)
    assert set(received) == set(expected_ids(shared_app).values())
    assert received[in_flight] == 2
    assert [n for mid, n in received.items() if mid != in_flight] == [1] * 9
    assert all(m.sent_at is not None for m in db.session.scalars(select(OutboxEmail)))


def test_two_workers_in_parallel_send_each_mail_once_without_pausing(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'drain.sqlite3'}"
    # Idle workers wait 60 s; eight batches of 50 in 40 s mean no pause while mail is due.
    figures = drain(url, mails=400, workers=2, timeout=40, interval=60)
    assert figures["delivered"] == 400
    assert figures["duplicates"] == 0 and figures["missing"] == 0
    assert figures["unsent_in_database"] == 0


def test_sigterm_finishes_the_mail_in_hand_and_hands_back_the_rest(shared_app, server, tmp_path):
    url = shared_app.config["SQLALCHEMY_DATABASE_URI"]
    for n in range(10):
        add_mail(Clock(), to=f"p{n}@example.org")
    server.handler.hold_at = 2
    server.start()
    with open(tmp_path / "worker.log", "wb") as log:
        worker = start_worker(url, server.port, "--batch", "10", "--interval", "0.2", log=log)
        try:
            assert server.handler.holding.wait(60), (tmp_path / "worker.log").read_text()
            worker.send_signal(signal.SIGTERM)  # while the server holds the second mail
            time.sleep(0.5)  # margin: the handler runs while the worker waits for the answer
            server.handler.release.set()
            assert worker.wait(30) == 0
        finally:
            worker.kill()
    mails = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()
    assert [m.sent_at is not None for m in mails] == [True, True] + [False] * 8
    assert all(m.claimed_until is None for m in mails)  # handed back, not left to expire
    assert deliver_pending() == (8, 0)  # no waiting for a claim to run out
    assert sorted(Counter(server.handler.ids).values()) == [1] * 10
