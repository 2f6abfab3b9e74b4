"""Nothing grows without bound: request size limits and paginated lists."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from exchange.extensions import db
from exchange.messaging.models import Conversation, Message
from exchange.postings.models import Posting
from exchange.timeutil import utcnow
from tests.conftest import csrf_token, login_as, make_posting, make_proxy, make_user
from tests.postings.steps import publish_in_steps


@pytest.fixture
def pair(delbrueck):
    erna = make_user(delbrueck)
    jonas = make_user(delbrueck, email="jonas@example.org", name="Jonas Becker")
    db.session.commit()
    return erna, jonas


def conversation_between(author, responder, title="Einkauf", messages=0):
    posting = make_posting(author, title=title)
    start = utcnow() - timedelta(days=30)
    conversation = Conversation(
        municipality_id=author.municipality_id,
        posting_id=posting.id,
        posting_title=title,
        author_id=author.id,
        responder_id=responder.id,
        created_at=start,
        last_message_at=start,
    )
    db.session.add(conversation)
    db.session.flush()
    if messages:
        db.session.execute(
            insert(Message),
            [
                {
                    "conversation_id": conversation.id,
                    "sender_id": (responder if n % 2 else author).id,
                    "body": f"Nachricht Nummer {n}",
                    "created_at": start + timedelta(seconds=n),
                }
                for n in range(messages)
            ],
        )
    db.session.commit()
    return conversation


def shown_messages(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"Nachricht Nummer (\d+)<", html)]


@pytest.mark.slow
def test_conversation_with_ten_thousand_messages_shows_the_newest_page(client, pair):
    erna, jonas = pair
    conversation = conversation_between(erna, jonas, messages=10_000)
    login_as(client, jonas)
    url = f"/me/messages/{conversation.id}"
    response = client.get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    # The newest 50, newest first: the reply box sits above them (issue 10 A9).
    assert shown_messages(html) == list(range(9999, 9949, -1))
    assert len(html) < 100_000
    assert f'href="{url}?page=2"' in html and "Ältere Nachrichten" in html
    oldest = client.get(f"{url}?page=200").get_data(as_text=True)
    assert shown_messages(oldest) == list(range(49, -1, -1))
    assert "Neuere Nachrichten" in oldest and "Ältere Nachrichten" not in oldest


def test_message_pages_are_bounded(client, pair):
    erna, jonas = pair
    conversation = conversation_between(erna, jonas, messages=3)
    login_as(client, jonas)
    for page in ("99999999999999999999", "-1", "²", "abc"):
        response = client.get(f"/me/messages/{conversation.id}?page={page}")
        assert response.status_code == 200


def test_message_inbox_is_paginated(client, pair):
    erna, jonas = pair
    for n in range(45):
        conversation_between(erna, jonas, title=f"Anzeige {n:02d}")
    login_as(client, jonas)
    first = client.get("/me/messages/").get_data(as_text=True)
    assert first.count('class="posting-card"') == 20
    last = client.get("/me/messages/?page=3").get_data(as_text=True)
    assert last.count('class="posting-card"') == 5
    assert 'rel="prev"' in last and 'rel="next"' not in last


def test_my_matches_are_paginated(client, pair):
    erna, jonas = pair
    for n in range(15):
        make_posting(erna, title=f"Gesuch {n:02d}")
    db.session.commit()
    login_as(client, erna)
    first = client.get("/me/matches").get_data(as_text=True)
    assert len(re.findall(r'<section aria-labelledby="posting-', first)) == 10
    second = client.get("/me/matches?page=2").get_data(as_text=True)
    assert len(re.findall(r'<section aria-labelledby="posting-', second)) == 5


def test_admin_inbox_conversation_is_paginated(client, delbrueck):
    admin = make_user(delbrueck, email="admin@delbrueck.example", name="Heike Amt", role="admin")
    proxy = make_proxy(delbrueck, name="Gertrud Schäfer")
    helper = make_user(delbrueck, email="jonas@example.org", name="Jonas Becker")
    db.session.commit()
    conversation = conversation_between(proxy, helper, messages=120)
    login_as(client, admin)
    before = client.get("/k/delbrueck/admin/inbox").get_data(as_text=True)
    assert "60 neu" in before  # the helper's 60 messages, counted in SQL
    html = client.get(f"/k/delbrueck/admin/inbox/{conversation.id}").get_data(as_text=True)
    assert shown_messages(html) == list(range(70, 120))
    inbox = client.get("/k/delbrueck/admin/inbox").get_data(as_text=True)
    assert "Einkauf" in inbox


def test_twenty_megabyte_form_is_refused_with_413(client, pair):
    erna, jonas = pair
    posting = make_posting(erna)
    db.session.commit()
    login_as(client, jonas)
    response = client.post(
        f"/k/delbrueck/postings/{posting.id}/respond",
        data={"csrf_token": csrf_token(client), "body": "x" * (20 * 1024 * 1024)},
    )
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "The request is too large" in html or "zu groß" in html
    assert len(html) < 50_000
    assert db.session.scalar(select(func.count(Message.id))) == 0


def test_ordinary_long_posting_still_fits(client, pair):
    erna, jonas = pair
    login_as(client, erna)
    response = publish_in_steps(
        client,
        "/k/delbrueck/postings/new",
        {
            "direction": "request",
            "kind": "zeitspende",
            "category": "shopping",
            "title": "Hilfe beim Wocheneinkauf",
            "description": "ä" * 4000,
            "postcode": "33129",
            "timing": "flexible",
        },
    )
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Posting.id))) == 1


@pytest.mark.parametrize("page", ["9223372036854775808", "99999999999999999999", "²", "-3"])
def test_out_of_range_page_numbers_are_bounded(client, pair, page):
    erna, jonas = pair
    admin = make_user(erna.municipality, email="admin@example.org", name="Heike Amt", role="admin")
    db.session.commit()
    login_as(client, admin)
    for path in (
        "/k/delbrueck/",
        "/k/delbrueck/admin/proxies",
        "/k/delbrueck/admin/inbox",
        "/k/delbrueck/admin/audit",
        "/k/delbrueck/admin/reports",
        "/k/delbrueck/admin/approvals",
        "/me/messages/",
        "/me/postings",
        "/me/matches",
    ):
        assert client.get(f"{path}?page={page}").status_code == 200, path


def test_report_queue_is_paginated(client, pair):
    from exchange.admin.models import Report

    erna, jonas = pair
    admin = make_user(erna.municipality, email="admin@example.org", name="Heike Amt", role="admin")
    posting = make_posting(erna, title="Gemeldet")
    for n in range(35):
        db.session.add(
            Report(
                municipality_id=erna.municipality_id,
                posting_id=posting.id,
                reporter_id=jonas.id,
                reason=f"Grund {n}",
            )
        )
    db.session.commit()
    login_as(client, admin)
    first = client.get("/k/delbrueck/admin/reports").get_data(as_text=True)
    second = client.get("/k/delbrueck/admin/reports?page=2").get_data(as_text=True)
    assert first.count("Grund ") == 30 and second.count("Grund ") == 5
