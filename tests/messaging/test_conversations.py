"""Responding, talking, unread counts, phone sharing, picking a helper, e-mails."""

import re

import pytest
from sqlalchemy import func, select, update

from exchange.extensions import db
from exchange.mail.models import OutboxEmail
from exchange.messaging.models import Conversation, Message
from tests.conftest import login_as, make_posting, make_user, post, text_of


@pytest.fixture
def people(delbrueck):
    erna = make_user(delbrueck, phone="05250 998877")
    jonas = make_user(delbrueck, email="jonas@example.org", name="Jonas Becker", phone="0171 2233")
    posting = make_posting(erna, title="Einkauf am Dienstag")
    db.session.commit()
    return erna, jonas, posting


def respond_url(posting):
    return f"/k/delbrueck/postings/{posting.id}/respond"


def test_guest_respond_goes_to_login_and_back(client, people):
    erna, jonas, posting = people
    response = client.get(respond_url(posting))
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "/login" in location and "respond" in location
    response = post(
        client,
        "/login?next=" + respond_url(posting),
        {"email": jonas.email, "password": "Sonnenblume-im-Garten-7"},
    )
    assert response.headers["Location"].endswith(respond_url(posting))


def test_resident_responds_and_author_gets_email(client, people, mailbox):
    erna, jonas, posting = people
    login_as(client, jonas)
    response = post(client, respond_url(posting), {"body": "Ich kann dienstags helfen!"})
    assert response.status_code == 302
    conversation = db.session.scalar(select(Conversation))
    assert response.headers["Location"].endswith(f"/me/messages/{conversation.id}")
    assert conversation.author_id == erna.id and conversation.responder_id == jonas.id
    db.session.refresh(posting)
    assert posting.status == "in_contact"
    bodies = mailbox.bodies_to(erna.email)
    assert len(bodies) == 1
    assert "Ich kann dienstags helfen!" in bodies[0]
    assert f"http://localhost/me/messages/{conversation.id}" in bodies[0]
    assert "jonas@example.org" not in bodies[0] and "0171" not in bodies[0]
    mail = db.session.scalar(select(OutboxEmail))
    assert mail.sent_at is not None and "Einkauf am Dienstag" in mail.subject


def test_mail_waits_in_outbox_when_smtp_is_down(client, people):
    erna, jonas, posting = people
    login_as(client, jonas)
    post(client, respond_url(posting), {"body": "Ich helfe gern."})
    mail = db.session.scalar(select(OutboxEmail))
    assert mail.recipient == erna.email
    assert mail.sent_at is None and mail.attempts == 1 and mail.last_error


def test_author_reads_unread_count_and_picks_helper(client, people):
    erna, jonas, posting = people
    login_as(client, jonas)
    post(client, respond_url(posting), {"body": "Ich kann helfen."})
    conversation = db.session.scalar(select(Conversation))
    post(client, "/logout")
    login_as(client, erna)
    header = client.get("/me/messages/").get_data(as_text=True)
    assert "unread-badge" in header
    detail = text_of(client.get(f"/k/delbrueck/postings/{posting.id}"))
    assert "Jonas B." in detail
    page = text_of(client.get(f"/me/messages/{conversation.id}"))
    assert "Ich kann helfen." in page
    assert "unread-badge" not in client.get("/me/messages/").get_data(as_text=True)
    response = post(
        client,
        f"/k/delbrueck/postings/{posting.id}/assign",
        {"conversation_id": conversation.id, "confirm": "1"},
    )
    assert response.status_code == 302
    db.session.refresh(posting)
    db.session.refresh(conversation)
    assert posting.status == "assigned" and conversation.is_assigned
    assert "Einkauf am Dienstag" not in text_of(client.get("/k/delbrueck/"))


def test_cannot_respond_to_own_posting(client, people):
    erna, jonas, posting = people
    login_as(client, erna)
    post(client, respond_url(posting), {"body": "Selbstgespräch"})
    assert db.session.scalar(select(func.count(Conversation.id))) == 0


def test_empty_or_long_message_is_refused(client, people):
    erna, jonas, posting = people
    login_as(client, jonas)
    for body in ("   ", "x" * 2001):
        response = post(client, respond_url(posting), {"body": body})
        assert response.status_code == 200 and 'id="error-summary"' in response.get_data(True)
    assert db.session.scalar(select(func.count(Message.id))) == 0


def test_respond_needs_csrf(client, people):
    erna, jonas, posting = people
    login_as(client, jonas)
    assert client.post(respond_url(posting), data={"body": "Hallo"}).status_code == 400
    assert db.session.scalar(select(func.count(Message.id))) == 0


def test_responding_twice_continues_the_same_conversation(client, people):
    erna, jonas, posting = people
    login_as(client, jonas)
    post(client, respond_url(posting), {"body": "Erste Nachricht"})
    response = client.get(respond_url(posting))
    conversation = db.session.scalar(select(Conversation))
    assert response.headers["Location"].endswith(f"/me/messages/{conversation.id}")
    assert db.session.scalar(select(func.count(Conversation.id))) == 1


def test_resident_of_other_kommune_cannot_respond(client, people, paderborn):
    erna, jonas, posting = people
    pb = make_user(paderborn, email="pb@example.org", postcode="33098")
    db.session.commit()
    login_as(client, pb)
    post(client, respond_url(posting), {"body": "Ich komme aus Paderborn"})
    assert db.session.scalar(select(func.count(Conversation.id))) == 0


def test_strangers_cannot_read_or_write_a_conversation(client, people, delbrueck):
    erna, jonas, posting = people
    login_as(client, jonas)
    post(client, respond_url(posting), {"body": "Geheim"})
    conversation = db.session.scalar(select(Conversation))
    stranger = make_user(delbrueck, email="x@example.org", name="Xaver Fremd")
    db.session.commit()
    post(client, "/logout")
    login_as(client, stranger)
    url = f"/me/messages/{conversation.id}"
    assert client.get(url).status_code == 404
    assert post(client, url, {"body": "Ich lese mit"}).status_code == 404
    assert post(client, f"{url}/phone", {"share": "1"}).status_code == 404
    assert db.session.scalar(select(func.count(Message.id))) == 1


def test_phone_is_shown_only_after_sharing(client, people):
    erna, jonas, posting = people
    login_as(client, jonas)
    post(client, respond_url(posting), {"body": "Hallo Erna"})
    conversation = db.session.scalar(select(Conversation))
    url = f"/me/messages/{conversation.id}"
    assert "05250 998877" not in text_of(client.get(url))
    post(client, "/logout")
    login_as(client, erna)
    post(client, f"{url}/phone", {"share": "1"})
    post(client, "/logout")
    login_as(client, jonas)
    assert "05250 998877" in text_of(client.get(url))
    post(client, "/logout")
    login_as(client, erna)
    assert "0171 2233" not in text_of(client.get(url))
    post(client, f"{url}/phone", {"share": "0"})
    post(client, "/logout")
    login_as(client, jonas)
    assert "05250 998877" not in text_of(client.get(url))


def test_only_author_can_pick_a_helper(client, people):
    erna, jonas, posting = people
    login_as(client, jonas)
    post(client, respond_url(posting), {"body": "Hallo"})
    conversation = db.session.scalar(select(Conversation))
    response = post(
        client, f"/k/delbrueck/postings/{posting.id}/assign", {"conversation_id": conversation.id}
    )
    assert response.status_code == 403
    db.session.refresh(posting)
    assert posting.status == "in_contact"


def test_inbox_lists_conversations_with_other_party(client, people):
    erna, jonas, posting = people
    login_as(client, jonas)
    post(client, respond_url(posting), {"body": "Hallo"})
    page = text_of(client.get("/me/messages/"))
    assert "Einkauf am Dienstag" in page and "Erna M." in page


def test_messages_need_login(client, people):
    assert "/login" in client.get("/me/messages/").headers["Location"]


def token_in(html: str) -> str:
    """The idempotency token rendered into a form."""
    return re.search(r'name="idempotency_token" type="hidden" value="([^"]+)"', html).group(1)


def message_bodies() -> list[str]:
    return list(db.session.scalars(select(Message.body).order_by(Message.id)))


def test_answer_from_a_second_tab_joins_the_conversation(client, people):
    erna, jonas, posting = people
    login_as(client, jonas)
    tab_one = token_in(client.get(respond_url(posting)).get_data(as_text=True))
    tab_two = token_in(client.get(respond_url(posting)).get_data(as_text=True))
    post(client, respond_url(posting), {"body": "Aus Tab eins", "idempotency_token": tab_one})
    response = post(
        client, respond_url(posting), {"body": "Aus Tab zwei", "idempotency_token": tab_two}
    )
    conversation = db.session.scalar(select(Conversation))
    assert response.headers["Location"].endswith(f"/me/messages/{conversation.id}")
    assert db.session.scalar(select(func.count(Conversation.id))) == 1
    assert message_bodies() == ["Aus Tab eins", "Aus Tab zwei"]


def test_answer_sent_twice_with_the_same_form_is_sent_once(client, people):
    erna, jonas, posting = people
    login_as(client, jonas)
    token = token_in(client.get(respond_url(posting)).get_data(as_text=True))
    data = {"body": "Doppelklick", "idempotency_token": token}
    post(client, respond_url(posting), data)
    again = post(client, respond_url(posting), data, follow_redirects=True)
    conversation = db.session.scalar(select(Conversation))
    assert again.request.path == f"/me/messages/{conversation.id}"
    assert "bereits abgeschickt" in text_of(again)
    assert message_bodies() == ["Doppelklick"]


def test_answer_racing_its_twin_lands_in_the_twins_conversation(client, people, monkeypatch):
    # The twin request created the conversation after this one looked for it.
    from exchange.messaging import queries, services

    erna, jonas, posting = people
    login_as(client, jonas)
    post(client, respond_url(posting), {"body": "Erster Klick"})
    looked = []
    real_lookup = queries.own_conversation

    def stale_lookup(p, user):
        if not looked:
            looked.append(True)
            return None
        return real_lookup(p, user)

    monkeypatch.setattr(queries, "own_conversation", stale_lookup)
    posting_row = db.session.get(type(posting), posting.id)
    with client.application.test_request_context():
        services.respond(posting_row, jonas, "Zweiter Klick")
        db.session.commit()
    assert db.session.scalar(select(func.count(Conversation.id))) == 1
    assert message_bodies() == ["Erster Klick", "Zweiter Klick"]


def test_message_form_sent_twice_is_sent_once(client, people):
    erna, jonas, posting = people
    login_as(client, jonas)
    post(client, respond_url(posting), {"body": "Hallo"})
    conversation = db.session.scalar(select(Conversation))
    url = f"/me/messages/{conversation.id}"
    token = token_in(client.get(url).get_data(as_text=True))
    for _ in range(2):
        response = post(client, url, {"body": "Bis Dienstag!", "idempotency_token": token})
        assert response.status_code == 302
    assert message_bodies() == ["Hallo", "Bis Dienstag!"]


@pytest.fixture
def two_helpers(people, delbrueck, client):
    erna, jonas, posting = people
    petra = make_user(delbrueck, email="petra@example.org", name="Petra Schmidt")
    db.session.commit()
    conversations = []
    for helper in (jonas, petra):
        login_as(client, helper)
        post(client, respond_url(posting), {"body": f"Ich, {helper.display_name}"})
        post(client, "/logout")
        conversations.append(
            db.session.scalar(select(Conversation).where(Conversation.responder_id == helper.id))
        )
    login_as(client, erna)
    return posting, conversations


# The confirmation step's answer: without it a POST only leads to the question.
CONFIRM = {"confirm": "1"}


def assign_url(posting):
    return f"/k/delbrueck/postings/{posting.id}/assign"


def chosen_ids(posting) -> list[int]:
    return list(
        db.session.scalars(
            select(Conversation.id).where(
                Conversation.posting_id == posting.id, Conversation.is_assigned.is_(True)
            )
        )
    )


def test_choice_from_a_stale_page_is_refused(client, two_helpers):
    posting, (jonas_c, petra_c) = two_helpers
    # Two tabs, both showing nobody chosen yet.
    post(client, assign_url(posting), {"conversation_id": jonas_c.id, "chosen": "", **CONFIRM})
    response = post(
        client,
        assign_url(posting),
        {"conversation_id": petra_c.id, "chosen": "", **CONFIRM},
        follow_redirects=True,
    )
    assert "Inzwischen wurde schon eine andere Person ausgewählt" in text_of(response)
    assert chosen_ids(posting) == [jonas_c.id]
    db.session.refresh(posting)
    assert posting.status == "assigned"


def test_the_same_choice_twice_is_no_error(client, two_helpers):
    posting, (jonas_c, petra_c) = two_helpers
    for _ in range(2):
        response = post(client, assign_url(posting), {"conversation_id": jonas_c.id, **CONFIRM})
        assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "Meanwhile" not in page
    assert chosen_ids(posting) == [jonas_c.id]


def test_author_can_switch_to_another_helper(client, two_helpers):
    posting, (jonas_c, petra_c) = two_helpers
    post(client, assign_url(posting), {"conversation_id": jonas_c.id, **CONFIRM})
    detail = client.get(f"/k/delbrueck/postings/{posting.id}").get_data(as_text=True)
    assert f'name="chosen" value="{jonas_c.id}"' in detail
    post(
        client,
        assign_url(posting),
        {"conversation_id": petra_c.id, "chosen": jonas_c.id, **CONFIRM},
    )
    assert chosen_ids(posting) == [petra_c.id]


def test_new_answer_does_not_undo_a_choice(client, people, delbrueck):
    # A response that read the posting as "open" just before the author chose a helper.
    from exchange.messaging import services
    from exchange.postings.models import Posting

    erna, jonas, posting = people
    stale = db.session.get(Posting, posting.id)
    assert stale.status == "open"
    chosen = Conversation(
        municipality_id=delbrueck.id,
        posting_id=posting.id,
        posting_title=posting.title,
        author_id=erna.id,
        responder_id=jonas.id,
        is_assigned=True,
    )
    db.session.add(chosen)
    db.session.execute(
        update(Posting)
        .where(Posting.id == posting.id)
        .values(status="assigned")
        .execution_options(synchronize_session=False)
    )
    late = make_user(delbrueck, email="late@example.org", name="Lena Spät")
    with client.application.test_request_context():
        services.respond(stale, late, "Ich auch!")
        db.session.commit()
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status == "assigned"
    assert chosen_ids(posting) == [chosen.id]
