"""The conversation page for keyboards and unsteady hands (issue 10, A9).

The reply form comes before the messages, choosing a helper is its own section with a
secondary button and a confirmation step, and a sent message is where the page lands.
"""

import re

import pytest
from sqlalchemy import select

from exchange.accounts.models import User
from exchange.extensions import db
from exchange.messaging.models import Conversation, Message
from tests.conftest import login_as, make_posting, make_user, post, text_of


@pytest.fixture
def talk(client, delbrueck):
    """Erna's posting, Jonas's answer; Erna is signed in."""
    erna = make_user(delbrueck)
    jonas = make_user(delbrueck, email="jonas@example.org", name="Jonas Becker")
    posting = make_posting(erna, title="Einkauf am Dienstag")
    db.session.commit()
    login_as(client, jonas)
    post(client, f"/k/delbrueck/postings/{posting.id}/respond", {"body": "Ich kann helfen."})
    post(client, "/logout")
    login_as(client, erna)
    conversation = db.session.scalar(select(Conversation))
    return posting, conversation


def position(html: str, needle: str) -> int:
    index = html.find(needle)
    assert index >= 0, needle
    return index


def test_reply_form_comes_before_the_messages_and_the_choice_after_it(client, talk):
    posting, conversation = talk
    url = f"/me/messages/{conversation.id}"
    for number in range(3):
        post(client, url, {"body": f"Nachricht {number}"})
    html = client.get(url).get_data(as_text=True)
    reply = position(html, 'name="body"')
    messages = position(html, 'class="message-list"')
    choose = position(html, 'id="choose-heading"')
    assert reply < messages < choose
    # Newest first, each focusable as a fragment's target.
    bodies = re.findall(r'id="m(\d+)" tabindex="-1"', html)
    assert [int(b) for b in bodies] == sorted((int(b) for b in bodies), reverse=True)
    assert html.index("Nachricht 2") < html.index("Nachricht 0") < html.index("Ich kann helfen.")
    # Choosing is a secondary button of a GET form: it only leads to the question.
    section = html[choose : html.index("</section>", choose)]
    assert 'method="get"' in section and "kern-btn--secondary" in section
    assert "kern-btn--primary" not in section and "Jonas B. auswählen" in section


def test_sent_message_is_where_the_page_lands(client, talk):
    posting, conversation = talk
    url = f"/me/messages/{conversation.id}"
    response = post(client, url, {"body": "Bis Dienstag!"})
    sent = db.session.scalar(select(Message).order_by(Message.id.desc()))
    assert sent.body == "Bis Dienstag!"
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{url}#m{sent.id}")
    html = client.get(url).get_data(as_text=True)
    assert f'id="m{sent.id}" tabindex="-1"' in html


def test_choosing_asks_first_and_keeps_the_helper_the_author_saw(client, talk):
    posting, conversation = talk
    url = f"/k/delbrueck/postings/{posting.id}/assign"
    # The posting page's button (a POST without the answer) leads to the question.
    response = post(client, url, {"conversation_id": conversation.id, "chosen": ""})
    assert response.status_code == 303
    assert f"conversation_id={conversation.id}" in response.headers["Location"]
    db.session.refresh(conversation)
    assert not conversation.is_assigned
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="confirm" value="1"' in html and 'name="chosen" value=""' in html
    assert "Jonas B. auswählen" in text_of(page)
    assert f'href="/me/messages/{conversation.id}"' in html
    post(client, url, {"conversation_id": conversation.id, "chosen": "", "confirm": "1"})
    db.session.refresh(conversation)
    assert conversation.is_assigned
    # Asked again once chosen: nothing to confirm, back to the conversation.
    again = client.get(f"{url}?conversation_id={conversation.id}")
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/me/messages/{conversation.id}")


def test_switching_names_the_helper_chosen_so_far(client, talk, delbrueck):
    posting, jonas_c = talk
    petra = make_user(delbrueck, email="petra@example.org", name="Petra Schmidt")
    db.session.commit()
    post(client, "/logout")
    login_as(client, petra)
    post(client, f"/k/delbrueck/postings/{posting.id}/respond", {"body": "Ich auch."})
    post(client, "/logout")
    login_as(client, db.session.get(User, jonas_c.author_id))
    url = f"/k/delbrueck/postings/{posting.id}/assign"
    post(client, url, {"conversation_id": jonas_c.id, "confirm": "1"})
    petra_c = db.session.scalar(select(Conversation).where(Conversation.responder_id == petra.id))
    page = client.get(f"{url}?conversation_id={petra_c.id}&chosen={jonas_c.id}")
    html = page.get_data(as_text=True)
    assert "Jonas B. ist dann nicht mehr ausgewählt." in text_of(page)
    assert f'name="chosen" value="{jonas_c.id}"' in html
    post(client, url, {"conversation_id": petra_c.id, "chosen": jonas_c.id, "confirm": "1"})
    db.session.refresh(petra_c)
    db.session.refresh(jonas_c)
    assert petra_c.is_assigned and not jonas_c.is_assigned


def test_only_the_author_is_asked(client, talk):
    posting, conversation = talk
    post(client, "/logout")
    jonas = db.session.get(User, conversation.responder_id)
    login_as(client, jonas)
    url = f"/k/delbrueck/postings/{posting.id}/assign?conversation_id={conversation.id}"
    assert client.get(url).status_code == 403
    assert client.get(f"/k/delbrueck/postings/{posting.id}/assign").status_code == 404


def test_a_closed_posting_asks_nothing(client, talk):
    posting, conversation = talk
    post(client, f"/k/delbrueck/postings/{posting.id}/close")
    response = client.get(
        f"/k/delbrueck/postings/{posting.id}/assign?conversation_id={conversation.id}"
    )
    assert response.status_code == 302
    db.session.refresh(conversation)
    assert not conversation.is_assigned
