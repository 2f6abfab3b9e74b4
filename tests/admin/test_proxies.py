"""Proxy accounts: registering, acting for them, the audit log, inbox, sheet and activation."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from exchange.accounts.models import ActivationCode, User
from exchange.admin.models import AuditEntry, CallNote, ProxyProfile
from exchange.extensions import db
from exchange.messaging.models import Conversation
from exchange.postings.models import Posting
from exchange.timeutil import utcnow
from tests.conftest import (
    PASSWORD,
    login_as,
    make_posting,
    make_proxy,
    make_user,
    post,
    text_of,
)
from tests.postings.steps import publish_in_steps

BASE = "/k/delbrueck/admin"

PROXY_FORM = {
    "display_name": "Erna Schulte",
    "phone": "05250 98765",
    "postal_address": "Lange Straße 3\n33129 Delbrück",
    "district": "",
    "postcode": "33129",
    "birth_year": "1944",
    "contact_times": "werktags 10 bis 12 Uhr",
    "consent_on": "2026-11-02",
    "consent_method": "in_person",
    "consent_by": "Heike Amt",
}


@pytest.fixture
def admin(delbrueck):
    user = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    db.session.commit()
    return user


@pytest.fixture
def proxy(delbrueck):
    user = make_proxy(delbrueck, name="Erna Schulte")
    db.session.commit()
    return user


def _act(client, proxy, next_url=None):
    data = {"next": next_url} if next_url else {}
    return post(client, f"{BASE}/proxies/{proxy.id}/act", data)


def test_admin_registers_a_proxy_without_email_or_password(client, admin):
    login_as(client, admin)
    response = post(client, f"{BASE}/proxies/new", PROXY_FORM)
    assert response.status_code == 302
    proxy = db.session.scalar(select(User).where(User.display_name == "Erna Schulte"))
    assert proxy.is_proxy and proxy.email is None and proxy.password_hash is None
    assert not proxy.is_active
    profile = db.session.get(ProxyProfile, proxy.id)
    assert profile.birth_year == 1944
    assert profile.consent_method == "in_person" and profile.consent_by == "Heike Amt"
    assert profile.created_by_id == admin.id
    page = text_of(client.get(response.headers["Location"]))
    assert "Lange Straße 3" in page and "05250 98765" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "", "postal_address": ""}, "Telefonnummer oder eine Postanschrift"),
        ({"birth_year": "2020"}, "Geburtsjahr zwischen 1900"),
        ({"consent_on": "2099-01-01"}, "nicht in der Zukunft"),
        ({"consent_by": ""}, "wer die Einwilligung"),
        ({"postcode": "80331"}, "gehört nicht zu Delbrück"),
    ],
)
def test_bad_proxy_details_are_refused_and_change_nothing(client, admin, changes, message):
    login_as(client, admin)
    response = post(client, f"{BASE}/proxies/new", PROXY_FORM | changes)
    assert response.status_code == 200
    assert message in text_of(response)
    assert "Fehler:" in text_of(response)
    assert db.session.scalar(select(User).where(User.is_proxy.is_(True))) is None


def test_a_proxy_cannot_sign_in_or_reset_a_password(client, proxy):
    # No e-mail address: there is nothing to sign in or reset with.
    response = post(client, "/login", {"email": "", "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/me").status_code == 302


def test_acting_for_a_proxy_posts_in_their_name_with_banner_and_audit(client, admin, proxy):
    login_as(client, admin)
    _act(client, proxy)
    board = text_of(client.get("/k/delbrueck/"))
    assert "Sie handeln für Erna Schulte" in board
    response = publish_in_steps(
        client,
        "/k/delbrueck/postings/new",
        {
            "direction": "request",
            "kind": "zeitspende",
            "category": "company",
            "title": "Begleitung zum Arzt",
            "description": "Ich brauche Begleitung zum Hausarzt nach Delbrück-Mitte.",
            "postcode": "33129",
            "timing": "flexible",
        },
    )
    assert response.status_code == 302, text_of(response)[:2000]
    posting = db.session.scalar(select(Posting).where(Posting.title == "Begleitung zum Arzt"))
    assert posting.author_id == proxy.id
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.admin_id, e.proxy_id) for e in entries] == [
        ("acting.start", admin.id, proxy.id),
        ("postings.create", admin.id, proxy.id),
    ]
    assert (entries[1].object_type, entries[1].object_id) == ("posting", posting.id)

    post(client, f"{BASE}/acting/stop")
    assert "Sie handeln für" not in text_of(client.get("/k/delbrueck/"))
    assert db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()[-1] == (
        "acting.stop"
    )
    # Back as herself, the admin writes nothing into the audit log.
    publish_in_steps(
        client,
        "/k/delbrueck/postings/new",
        {
            "direction": "offer",
            "kind": "zeitspende",
            "category": "company",
            "title": "Ich begleite gern",
            "description": "Ich begleite zu Ärzten und Ämtern in Delbrück.",
            "postcode": "33129",
            "timing": "flexible",
        },
    )
    assert len(db.session.scalars(select(AuditEntry)).all()) == 3


def test_own_account_pages_are_closed_while_acting(client, admin, proxy):
    login_as(client, admin)
    _act(client, proxy)
    for url in ("/me", "/me/password", "/me/export", "/me/delete"):
        assert client.get(url).status_code == 403, url
    assert post(client, "/me/delete", {"password": PASSWORD}).status_code == 403
    db.session.expire_all()
    assert db.session.get(User, proxy.id) is not None


def test_acting_cannot_escalate(client, admin, proxy, delbrueck):
    other = make_user(delbrueck, email="nachbar@example.org", name="Nora Nachbar")
    foreign_posting = make_posting(other, title="Rasen mähen")
    db.session.commit()
    login_as(client, admin)
    _act(client, proxy)
    # Resident pages check the proxy: she may not change someone else's posting.
    response = post(client, f"/k/delbrueck/postings/{foreign_posting.id}/close", {"confirm": "y"})
    assert response.status_code in (403, 404)
    db.session.expire_all()
    assert db.session.get(Posting, foreign_posting.id).status == "open"
    # Admin pages still check the admin.
    assert client.get(f"{BASE}/").status_code == 200


def test_admin_of_another_kommune_cannot_act_even_with_a_forged_session(client, proxy, paderborn):
    stranger = make_user(paderborn, email="pb@example.org", role="admin", postcode="33098")
    db.session.commit()
    login_as(client, stranger)
    assert _act(client, proxy).status_code == 403
    with client.session_transaction() as session:
        session["acting_for"] = proxy.id
    page = text_of(client.get("/k/paderborn/"))
    assert "Sie handeln für" not in page
    assert db.session.scalar(select(AuditEntry)) is None


def test_removing_the_proxy_flag_ends_acting(client, admin, proxy):
    login_as(client, admin)
    _act(client, proxy)
    proxy.is_proxy = False
    db.session.commit()
    assert "Sie handeln für" not in text_of(client.get("/k/delbrueck/"))


def test_a_response_lands_in_the_admin_inbox_with_notes(
    client, app, admin, proxy, delbrueck, mailbox
):
    posting = make_posting(proxy, title="Begleitung zum Arzt")
    helper = make_user(delbrueck, email="helfer@example.org", name="Hans Helfer", phone="0151 1")
    db.session.commit()
    login_as(client, helper)
    post(
        client,
        f"/k/delbrueck/postings/{posting.id}/respond",
        {"body": "Ich kann Sie am Dienstag fahren."},
    )
    conversation = db.session.scalar(select(Conversation))
    assert conversation.author_id == proxy.id
    # The admins are told, without the message's content.
    alert = mailbox.bodies_to("admin@example.org")
    assert len(alert) == 1 and "Erna Schulte" in alert[0]
    assert "Dienstag" not in alert[0]
    post(client, "/logout")

    login_as(client, admin)
    inbox = text_of(client.get(f"{BASE}/inbox"))
    assert "Begleitung zum Arzt" in inbox and "1 neu" in inbox
    talk = text_of(client.get(f"{BASE}/inbox/{conversation.id}"))
    assert "Ich kann Sie am Dienstag fahren." in talk
    assert "1 neu" not in text_of(client.get(f"{BASE}/inbox"))
    response = post(
        client,
        f"{BASE}/inbox/{conversation.id}/notes",
        {"body": "Frau Schulte angerufen: Dienstag passt."},
    )
    assert response.status_code == 302
    assert "Frau Schulte angerufen" in text_of(client.get(f"{BASE}/inbox/{conversation.id}"))
    empty = post(client, f"{BASE}/inbox/{conversation.id}/notes", {"body": "  "})
    assert empty.status_code == 200
    assert len(db.session.scalars(select(CallNote)).all()) == 1
    post(client, "/logout")

    # The helper never sees the town hall's notes.
    login_as(client, helper)
    assert "angerufen" not in text_of(client.get(f"/me/messages/{conversation.id}"))


def test_sheet_lists_postings_matches_and_only_shared_phones(client, admin, proxy, delbrueck):
    make_posting(proxy, title="Begleitung zum Arzt", category="company")
    helper = make_user(delbrueck, email="helfer@example.org", name="Hans Helfer", phone="0151 777")
    make_posting(
        helper,
        direction="offer",
        category="company",
        title="Fahrdienst und Begleitung",
        radius_km=10,
    )
    db.session.commit()
    login_as(client, admin)
    sheet = text_of(client.get(f"{BASE}/proxies/{proxy.id}/sheet"))
    assert "Begleitung zum Arzt" in sheet
    assert "Fahrdienst und Begleitung" in sheet and "Hans H." in sheet
    assert "gleiche Kategorie" in sheet
    assert "0151 777" not in sheet  # not shared with Erna
    assert "Hans Helfer" not in sheet  # only first name and initial


def test_activation_turns_the_proxy_into_a_normal_account(client, admin, proxy, delbrueck, mailbox):
    posting = make_posting(proxy, title="Begleitung zum Arzt")
    helper = make_user(delbrueck, email="helfer@example.org", name="Hans Helfer")
    db.session.commit()
    login_as(client, admin)
    letter = text_of(post(client, f"{BASE}/proxies/{proxy.id}/activation"))
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", letter).group(0)
    row = db.session.scalar(select(ActivationCode))
    assert code.replace("-", "") not in row.code_hash  # only the hash is stored
    post(client, "/logout")

    login_as(client, helper)
    post(client, f"/k/delbrueck/postings/{posting.id}/respond", {"body": "Ich helfe gern."})
    post(client, "/logout")

    response = post(
        client,
        "/activate",
        {
            "code": code.lower().replace("-", " "),
            "email": "enkelin@example.org",
            "password": "Kaffee-und-Kuchen-42",
            "password_repeat": "Kaffee-und-Kuchen-42",
            "accepts_privacy": "y",
        },
    )
    assert response.status_code == 302
    messages = text_of(client.get("/me/messages", follow_redirects=True))
    assert "Begleitung zum Arzt" in messages
    db.session.expire_all()
    user = db.session.get(User, proxy.id)
    assert not user.is_proxy and user.email == "enkelin@example.org"
    assert db.session.get(ProxyProfile, proxy.id).postal_address == ""
    assert mailbox.bodies_to("enkelin@example.org")
    record = client.get("/me/export").get_json()["town_hall_record"]
    assert record["consent_by"] == "Heike Amt" and record["postal_address"] is None
    post(client, "/logout")
    again = post(
        client,
        "/activate",
        {
            "code": code,
            "email": "noch@example.org",
            "password": "Kaffee-und-Kuchen-42",
            "password_repeat": "Kaffee-und-Kuchen-42",
            "accepts_privacy": "y",
        },
    )
    assert again.status_code == 200 and "nicht gültig" in text_of(again)
    login = post(
        client, "/login", {"email": "enkelin@example.org", "password": "Kaffee-und-Kuchen-42"}
    )
    assert login.status_code == 302


def _activate(client, code, email="x@example.org"):
    return post(
        client,
        "/activate",
        {
            "code": code,
            "email": email,
            "password": "Kaffee-und-Kuchen-42",
            "password_repeat": "Kaffee-und-Kuchen-42",
            "accepts_privacy": "y",
        },
    )


def test_expired_replaced_and_wrong_codes_do_nothing(client, admin, proxy):
    login_as(client, admin)
    first = re.search(
        r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}",
        text_of(post(client, f"{BASE}/proxies/{proxy.id}/activation")),
    ).group(0)
    second = re.search(
        r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}",
        text_of(post(client, f"{BASE}/proxies/{proxy.id}/activation")),
    ).group(0)
    post(client, "/logout")
    assert "nicht gültig" in text_of(_activate(client, first))  # replaced by the second letter
    assert "nicht gültig" in text_of(_activate(client, "AAAA-BBBB-CCCC"))
    newest = db.session.scalars(select(ActivationCode).order_by(ActivationCode.id)).all()[-1]
    newest.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert "nicht gültig" in text_of(_activate(client, second))
    db.session.expire_all()
    assert db.session.get(User, proxy.id).is_proxy


def test_activation_is_rate_limited(client, proxy):
    statuses = [_activate(client, "AAAA-BBBB-CCCC").status_code for _ in range(7)]
    assert statuses[0] == 200 and statuses[-1] == 429


def test_audit_log_filters(client, admin, proxy, delbrueck):
    other_proxy = make_proxy(delbrueck, name="Otto Ohnenetz")
    db.session.commit()
    login_as(client, admin)
    _act(client, proxy)
    post(client, f"{BASE}/acting/stop")
    _act(client, other_proxy)
    post(client, f"{BASE}/acting/stop")
    everything = text_of(client.get(f"{BASE}/audit"))
    assert "4 Einträge" in everything
    only_otto = text_of(client.get(f"{BASE}/audit?proxy={other_proxy.id}"))
    assert "2 Einträge" in only_otto and "Erna Schulte" not in only_otto.split("<table")[-1]
    starts = text_of(client.get(f"{BASE}/audit?action=acting.start"))
    assert "2 Einträge" in starts
    future = text_of(client.get(f"{BASE}/audit?since=2099-01-01"))
    assert "Keine Einträge" in future
