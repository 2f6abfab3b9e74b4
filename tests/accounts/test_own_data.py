"""Profile, password change, data export and account deletion."""

import json

from sqlalchemy import func, select

from exchange.accounts.models import User
from exchange.accounts.passwords import verify_password
from exchange.extensions import db
from exchange.messaging.models import Conversation, Message
from exchange.postings.models import Posting
from tests.conftest import PASSWORD, login_as, make_posting, make_user, post, text_of


def test_profile_edit_moves_user_to_district(client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    login_as(client, user)
    hagen = delbrueck.districts[0]
    data = {
        "display_name": "Erna Meier",
        "district": str(hagen.id),
        "postcode": "",
        "phone": "05250 1",
        "locale": "en",
        "has_email_notifications": "",
    }
    assert post(client, "/me", data).status_code == 302
    db.session.refresh(user)
    assert user.display_name == "Erna Meier" and user.district_id == hagen.id
    assert (user.latitude, user.longitude) == (hagen.latitude, hagen.longitude)
    assert user.locale == "en" and user.has_email_notifications is False
    assert '<html lang="en"' in client.get("/me").get_data(as_text=True)


def test_profile_refuses_foreign_postcode(client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    login_as(client, user)
    data = {"display_name": "Erna", "district": "", "postcode": "80331", "locale": "de"}
    response = post(client, "/me", data)
    assert 'href="#postcode"' in response.get_data(True)
    db.session.refresh(user)
    assert user.postcode == "33129"


def test_change_password_needs_the_current_one(client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    login_as(client, user)
    new = "Ganz neues Passwort 2026"
    response = post(
        client,
        "/me/password",
        {"current_password": "falsch", "password": new, "password_repeat": new},
    )
    assert 'href="#current_password"' in response.get_data(True)
    post(
        client,
        "/me/password",
        {"current_password": PASSWORD, "password": new, "password_repeat": new},
    )
    db.session.refresh(user)
    assert verify_password(user.password_hash, new)
    assert client.get("/me").status_code == 200


def _conversation(delbrueck):
    erna = make_user(delbrueck, phone="05250 7777")
    jonas = make_user(delbrueck, email="jonas@example.org", name="Jonas Becker", phone="0171 1")
    posting = make_posting(erna, title="Einkauf")
    conversation = Conversation(
        municipality_id=delbrueck.id,
        posting_id=posting.id,
        posting_title=posting.title,
        author_id=erna.id,
        responder_id=jonas.id,
    )
    db.session.add(conversation)
    db.session.flush()
    db.session.add(Message(conversation_id=conversation.id, sender_id=jonas.id, body="Ich helfe"))
    db.session.add(Message(conversation_id=conversation.id, sender_id=erna.id, body="Danke!"))
    db.session.commit()
    return erna, jonas, posting, conversation


def test_export_contains_own_data_only(client, delbrueck):
    erna, jonas, posting, conversation = _conversation(delbrueck)
    login_as(client, erna)
    response = client.get("/me/export")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["email"] == "erna@example.org"
    assert [p["title"] for p in data["postings"]] == ["Einkauf"]
    (talk,) = data["conversations"]
    assert talk["other_person"] == "Jonas B."
    assert [m["body"] for m in talk["messages"]] == ["Ich helfe", "Danke!"]
    raw = response.get_data(as_text=True)
    assert "argon2" not in raw and "jonas@example.org" not in raw and "0171" not in raw


def test_delete_needs_password_and_confirmation(client, delbrueck):
    erna, *_ = _conversation(delbrueck)
    login_as(client, erna)
    assert client.get("/me/delete").status_code == 200
    response = post(client, "/me/delete", {"password": PASSWORD})
    assert 'href="#confirm"' in response.get_data(True)
    response = post(client, "/me/delete", {"password": "falsch", "confirm": "y"})
    assert 'href="#password"' in response.get_data(True)
    assert db.session.get(User, erna.id) is not None


def test_delete_removes_postings_and_keeps_others_conversation(client, delbrueck):
    erna, jonas, posting, conversation = _conversation(delbrueck)
    conversation_id = conversation.id
    db.session.add(
        Message(conversation_id=conversation_id, sender_id=erna.id, body="Ruf an: 05250 7777")
    )
    jonas.locale = "en"
    db.session.commit()
    login_as(client, erna)
    response = post(client, "/me/delete", {"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (
        db.session.scalar(select(func.count(User.id)).where(User.email == "erna@example.org")) == 0
    )
    assert db.session.scalar(select(func.count(Posting.id))) == 0
    kept = db.session.get(Conversation, conversation_id)
    assert kept is not None and kept.author_id is None and kept.posting_id is None
    assert [(m.sender_id, m.body) for m in kept.messages] == [
        (jonas.id, "Ich helfe"),
        (None, None),
        (None, None),
    ]
    assert client.get("/me").status_code == 302
    post(client, "/logout")
    login_as(client, jonas)
    page = text_of(client.get(f"/me/messages/{conversation_id}"))
    # Jonas keeps his conversation and his own words; hers are gone, marked in his language.
    assert "Ich helfe" in page
    assert page.count("Message deleted") == 2
    assert "Danke!" not in page and "05250 7777" not in page and "Einkauf" not in page
    assert "Conversation about “Deleted posting”" in page
    assert "Deleted posting" in text_of(client.get("/me/messages/"))
