"""Concurrency without lost or doubled work: answers, helper choices and re-sent create forms.

The races run against the real app on a database file (SQLite) or TEST_DATABASE_URL
(PostgreSQL), each request with its own connection. Rather than hoping two threads collide,
most tests force the losing interleaving: just before request A writes its first row, request
B runs from start to commit on another connection ("the second commits before the first").
"""

from __future__ import annotations

import os
import re
import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from exchange import create_app
from exchange.admin.models import CallNote, Report
from exchange.core import idempotency
from exchange.core.idempotency import IdempotencyKey
from exchange.extensions import db
from exchange.messaging.models import Conversation, Message
from exchange.notifications.models import SavedSearch
from exchange.postings.models import Posting
from exchange.timeutil import utcnow
from tests.conftest import (
    FreshContextClient,
    csrf_token,
    login_as,
    make_municipality,
    make_posting,
    make_proxy,
    make_user,
    post,
    text_of,
)
from tests.postings.steps import publish_in_steps, written_draft

POSTING_FORM = {
    "direction": "request",
    "kind": "zeitspende",
    "category": "shopping",
    "title": "Hilfe beim Wocheneinkauf",
    "description": "Ich suche jemanden, der mich dienstags zum Supermarkt begleitet.",
    "postcode": "33129",
    "timing": "flexible",
}


@pytest.fixture
def race_app(tmp_path, smtp_port):
    """The app on a database that several connections share (a file, or PostgreSQL)."""
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'races.sqlite3'}"
    app = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": url, "MAIL_PORT": smtp_port, "MAIL_SEND_AFTER_REQUEST": False},
    )
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def cast(race_app):
    delbrueck = make_municipality()
    erna = make_user(delbrueck)
    jonas = make_user(delbrueck, email="jonas@example.org", name="Jonas Becker")
    petra = make_user(delbrueck, email="petra@example.org", name="Petra Schmidt")
    posting = make_posting(erna, title="Einkauf am Dienstag")
    db.session.commit()
    return erna, jonas, petra, posting


def signed_in(app, user):
    client = app.test_client()
    login_as(client, user)
    return client


@contextmanager
def before_first_write(pattern: str, action):
    """Run action once, just before the first statement matching pattern is executed."""
    fired = []
    compiled = re.compile(pattern, re.IGNORECASE)

    def listener(conn, cursor, statement, parameters, context, executemany):
        if not fired and compiled.match(statement.lstrip()):
            fired.append(True)
            action()

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield fired
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert fired, f"no statement matched {pattern}"


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def respond_url(posting):
    return f"/k/delbrueck/postings/{posting.id}/respond"


@pytest.mark.slow
def test_answer_racing_its_twin_lands_in_one_conversation(race_app, cast):
    # Two tabs (no shared token): B creates the conversation after A looked for it.
    erna, jonas, petra, posting = cast
    tab_a, tab_b = signed_in(race_app, jonas), signed_in(race_app, jonas)
    second = []

    def tab_b_sends():
        second.append(post(tab_b, respond_url(posting), {"body": "Aus Tab B"}))

    with before_first_write(r"INSERT INTO conversation", tab_b_sends):
        first = post(tab_a, respond_url(posting), {"body": "Aus Tab A"})
    assert first.status_code == 302 and second[0].status_code == 302
    assert count(Conversation) == 1
    assert sorted(db.session.scalars(select(Message.body))) == ["Aus Tab A", "Aus Tab B"]


@pytest.mark.slow
def test_same_answer_sent_twice_at_once_is_sent_once(race_app, cast):
    # A double click: both requests carry the same token; B commits before A claims it.
    erna, jonas, petra, posting = cast
    client = signed_in(race_app, jonas)
    data = {"body": "Doppelklick", "idempotency_token": idempotency.new_token()}
    second = []

    with before_first_write(
        r"INSERT INTO idempotency_key",
        lambda: second.append(post(signed_in(race_app, jonas), respond_url(posting), data)),
    ):
        first = post(client, respond_url(posting), data)
    assert second[0].status_code == 302 and first.status_code == 302
    conversation = db.session.scalar(select(Conversation))
    assert first.headers["Location"].endswith(f"/me/messages/{conversation.id}")
    assert list(db.session.scalars(select(Message.body))) == ["Doppelklick"]


@pytest.mark.slow
def test_same_answer_from_two_threads_is_sent_once(race_app, cast):
    erna, jonas, petra, posting = cast
    clients = [signed_in(race_app, jonas) for _ in range(4)]
    data = {"body": "Vierfachklick", "idempotency_token": idempotency.new_token()}
    payloads = [dict(data, csrf_token=csrf_token(c)) for c in clients]
    url = respond_url(posting)
    start = threading.Barrier(len(clients))
    statuses = []

    def send(client, payload):
        start.wait()
        statuses.append(client.post(url, data=payload).status_code)

    threads = [
        threading.Thread(target=send, args=pair) for pair in zip(clients, payloads, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [302] * 4
    assert count(Conversation) == 1 and count(Message) == 1


@pytest.fixture
def two_answers(race_app, cast):
    erna, jonas, petra, posting = cast
    for helper in (jonas, petra):
        post(signed_in(race_app, helper), respond_url(posting), {"body": "Ich helfe"})
    conversations = {
        c.responder_id: c.id
        for c in db.session.scalars(
            select(Conversation).where(Conversation.posting_id == posting.id)
        )
    }
    return erna, posting, conversations[jonas.id], conversations[petra.id]


def chosen(posting) -> list[int]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Conversation.id).where(
                Conversation.posting_id == posting.id, Conversation.is_assigned.is_(True)
            )
        )
    )


@pytest.mark.slow
def test_two_chooses_at_once_leave_exactly_one_helper(race_app, two_answers):
    # Two tabs, both showing nobody chosen: B chooses Petra after A has read the posting.
    erna, posting, jonas_c, petra_c = two_answers
    tab_a, tab_b = signed_in(race_app, erna), signed_in(race_app, erna)
    url = f"/k/delbrueck/postings/{posting.id}/assign"
    second = []

    def tab_b_chooses():
        second.append(post(tab_b, url, {"conversation_id": petra_c, "chosen": "", "confirm": "1"}))

    with before_first_write(r"UPDATE (posting|conversation)\b", tab_b_chooses):
        first = post(tab_a, url, {"conversation_id": jonas_c, "chosen": "", "confirm": "1"})
    assert first.status_code == 302 and second[0].status_code == 302
    assert chosen(posting) == [petra_c]
    assert db.session.get(Posting, posting.id).status == "assigned"
    assert "Inzwischen wurde schon eine andere Person ausgewählt" in text_of(
        tab_a.get(first.location)
    )


@pytest.mark.slow
def test_choosing_from_threads_leaves_exactly_one_helper(race_app, two_answers):
    erna, posting, jonas_c, petra_c = two_answers
    url = f"/k/delbrueck/postings/{posting.id}/assign"
    clients = [signed_in(race_app, erna) for _ in range(4)]
    payloads = [
        {"conversation_id": c_id, "chosen": "", "confirm": "1", "csrf_token": csrf_token(client)}
        for client, c_id in zip(clients, [jonas_c, petra_c] * 2, strict=True)
    ]
    start = threading.Barrier(len(clients))
    statuses = []

    def choose(client, payload):
        start.wait()
        statuses.append(client.post(url, data=payload).status_code)

    threads = [
        threading.Thread(target=choose, args=pair) for pair in zip(clients, payloads, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [302] * 4
    assert len(chosen(posting)) == 1
    assert db.session.get(Posting, posting.id).status == "assigned"


@pytest.mark.slow
def test_posting_committed_while_its_reply_was_lost_is_not_created_again(race_app, cast):
    # B is the first sending (committed, reply lost); A is the user sending the form again.
    erna, jonas, petra, posting = cast
    draft = written_draft(signed_in(race_app, erna), "/k/delbrueck/postings/new", POSTING_FORM)
    data = dict(draft, idempotency_token=idempotency.new_token())
    second = []
    with before_first_write(
        r"INSERT INTO idempotency_key",
        lambda: second.append(post(signed_in(race_app, erna), "/k/delbrueck/postings/new", data)),
    ):
        again = post(signed_in(race_app, erna), "/k/delbrueck/postings/new", data)
    created = db.session.scalar(select(Posting).where(Posting.title == POSTING_FORM["title"]))
    assert count(Posting) == 2  # the fixture's posting and this one
    assert second[0].location == again.location == f"/k/delbrueck/postings/{created.id}"


# Every create form, sent twice with the same token (one after the other), creates once.


@pytest.fixture
def forms_cast(app, delbrueck):
    erna = make_user(delbrueck)
    jonas = make_user(delbrueck, email="jonas@example.org", name="Jonas Becker")
    admin = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    proxy = make_proxy(delbrueck, name="Gertrud Schäfer")
    posting = make_posting(erna, title="Einkauf am Dienstag")
    proxy_posting = make_posting(proxy, title="Fahrt zum Arzt")
    db.session.commit()
    return {
        "erna": erna,
        "jonas": jonas,
        "admin": admin,
        "proxy": proxy,
        "posting": posting,
        "proxy_posting": proxy_posting,
    }


def _conversation(c, author, responder, posting):
    conversation = Conversation(
        municipality_id=posting.municipality_id,
        posting_id=posting.id,
        posting_title=posting.title,
        author_id=c[author].id,
        responder_id=c[responder].id,
    )
    db.session.add(conversation)
    db.session.flush()
    message = Message(conversation_id=conversation.id, sender_id=c[author].id, body="Hallo")
    db.session.add(message)
    db.session.commit()
    return conversation, message


def _message_form(c):
    conversation, _message = _conversation(c, "erna", "jonas", c["posting"])
    return "jonas", f"/me/messages/{conversation.id}", {"body": "Bis Dienstag"}, Message, 2


def _report_message(c):
    conversation, message = _conversation(c, "erna", "jonas", c["posting"])
    url = f"/me/messages/{conversation.id}/messages/{message.id}/report"
    return "jonas", url, {"reason": "Das ist unfreundlich."}, Report, 1


def _call_note(c):
    conversation, _message = _conversation(c, "proxy", "jonas", c["proxy_posting"])
    url = f"/k/delbrueck/admin/inbox/{conversation.id}/notes"
    return "admin", url, {"body": "Angerufen, Termin steht."}, CallNote, 1


CREATE_FORMS = {
    "posting": lambda c: ("erna", "/k/delbrueck/postings/new", POSTING_FORM, Posting, 3),
    "answer": lambda c: (
        "jonas",
        f"/k/delbrueck/postings/{c['posting'].id}/respond",
        {"body": "Ich helfe gern"},
        Message,
        1,
    ),
    "message": _message_form,
    "report_posting": lambda c: (
        "jonas",
        f"/k/delbrueck/postings/{c['posting'].id}/report",
        {"reason": "Das sieht nach Betrug aus."},
        Report,
        1,
    ),
    "report_message": _report_message,
    "saved_search": lambda c: ("erna", "/me/searches", {"kind": "zeitspende"}, SavedSearch, 1),
    "proxy": lambda c: (
        "admin",
        "/k/delbrueck/admin/proxies/new",
        {
            "display_name": "Erna Schulte",
            "phone": "05250 98765",
            "postal_address": "Lange Straße 3\n33129 Delbrück",
            "postcode": "33129",
            "birth_year": "1944",
            "consent_on": "2026-11-02",
            "consent_method": "in_person",
            "consent_by": "Heike Amt",
        },
        None,
        None,
    ),
    "call_note": _call_note,
}


@pytest.mark.parametrize("name", sorted(CREATE_FORMS))
def test_create_form_sent_twice_creates_once(client, forms_cast, name):
    from exchange.accounts.models import User

    who, url, data, model, expected = CREATE_FORMS[name](forms_cast)
    if model is None:  # proxy accounts are users
        model, expected = User, 5
    login_as(client, forms_cast[who])
    if name == "posting":  # written in steps first; the check page's button sends the draft
        data = written_draft(client, url, data)
    payload = dict(data, idempotency_token=idempotency.new_token())
    first = post(client, url, payload)
    again = post(client, url, payload)
    assert first.status_code == again.status_code == 302, first.get_data(as_text=True)[:2000]
    assert again.location == first.location
    assert count(model) == expected
    followed = client.get(again.location)
    assert "bereits abgeschickt" in text_of(followed)


def test_old_tokens_are_pruned(app, forms_cast):
    erna = forms_cast["erna"]
    now = utcnow()
    for age_days, token in ((8, "a" * 22), (6, "b" * 22)):
        db.session.add(
            IdempotencyKey(user_id=erna.id, token=token, created_at=now - timedelta(days=age_days))
        )
    db.session.commit()
    assert idempotency.prune(now) == 1
    db.session.commit()
    assert list(db.session.scalars(select(IdempotencyKey.token))) == ["b" * 22]


def test_malformed_token_is_ignored_not_an_error(client, forms_cast):
    login_as(client, forms_cast["erna"])
    for token in ("", "kurz", "<script>" * 10, "x" * 500):
        response = publish_in_steps(client, "/k/delbrueck/postings/new", POSTING_FORM, token)
        assert response.status_code == 302
    assert count(IdempotencyKey) == 0
