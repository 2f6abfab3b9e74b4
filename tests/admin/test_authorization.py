"""Every URL is public or guarded; admin URLs across the roles; foreign ids are 404s."""

import pytest

from exchange.admin.models import Report
from exchange.extensions import db
from exchange.messaging.models import Conversation, Message
from exchange.notifications.models import SavedSearch
from tests.conftest import login_as, make_posting, make_user, post

PUBLIC = {
    "static",
    "core.home",
    "core.healthz",
    "core.imprint",
    "core.privacy",
    "core.accessibility",
    "core.set_language",
    "municipalities.imprint",
    "municipalities.privacy",
    "municipalities.accessibility",
    "municipalities.theme",
    "postings.board",
    "postings.detail",
    "accounts.login",
    "accounts.register",
    "accounts.logout",
    "accounts.forgot_password",
    "accounts.reset_password",
}


@pytest.fixture
def world(delbrueck, paderborn):
    people = {
        "resident": make_user(delbrueck),
        "admin": make_user(delbrueck, email="admin@example.org", role="admin"),
        "other_admin": make_user(
            paderborn, email="pbadmin@example.org", role="admin", postcode="33098"
        ),
        "operator": make_user(delbrueck, email="op@example.org", role="superadmin"),
        "helper": make_user(delbrueck, email="helper@example.org", name="Hans Helfer"),
    }
    posting = make_posting(people["resident"])
    conversation = Conversation(
        municipality_id=delbrueck.id,
        posting_id=posting.id,
        posting_title=posting.title,
        author_id=people["resident"].id,
        responder_id=people["helper"].id,
    )
    db.session.add(conversation)
    db.session.flush()
    message = Message(conversation_id=conversation.id, sender_id=people["helper"].id, body="Hi")
    db.session.add(message)
    db.session.flush()
    report = Report(municipality_id=delbrueck.id, posting_id=posting.id, reason="x")
    search = SavedSearch(
        user_id=people["resident"].id,
        municipality_id=delbrueck.id,
        direction="request",
        place_name="Hagen",
        latitude=51.75,
        longitude=8.61,
    )
    pb_posting = make_posting(people["other_admin"], title="Paderborner Gesuch")
    db.session.add_all([report, search])
    db.session.commit()
    values = {
        "slug": "delbrueck",
        "posting_id": posting.id,
        "conversation_id": conversation.id,
        "message_id": message.id,
        "report_id": report.id,
        "user_id": people["helper"].id,
        "search_id": search.id,
    }
    return people, values, pb_posting


def _url(app, rule, values):
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})


def _request(client, rule, url):
    if "GET" in rule.methods:
        return client.get(url)
    return post(client, url, {"conversation_id": 1, "reason": "x", "outcome": ""})


def test_every_rule_is_public_or_needs_login(app, client, world):
    people, values, _ = world
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        response = _request(client, rule, _url(app, rule, values))
        assert response.status_code == 302, rule.endpoint
        assert "/login" in response.headers["Location"], rule.endpoint
        checked += 1
    assert checked >= 25


ADMIN_EXPECTATIONS = {
    "resident": {403},
    "other_admin": {403},
    "admin": {200, 302},
    "operator": {200, 302},
}


@pytest.mark.parametrize("role", sorted(ADMIN_EXPECTATIONS))
def test_admin_urls_by_role(app, client, world, role):
    people, values, _ = world
    login_as(client, people[role])
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("admin.")]
    assert len(rules) >= 8
    for rule in rules:
        response = _request(client, rule, _url(app, rule, values))
        assert response.status_code in ADMIN_EXPECTATIONS[role], (role, rule.endpoint)


def test_guest_gets_the_login_page_on_admin_urls(app, client, world):
    people, values, _ = world
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            response = _request(client, rule, _url(app, rule, values))
            assert "/login" in response.headers.get("Location", ""), rule.endpoint


def test_foreign_ids_are_404_for_an_admin(app, client, world):
    people, values, pb_posting = world
    login_as(client, people["admin"])
    base = "/k/delbrueck/admin"
    assert post(client, f"{base}/postings/{pb_posting.id}/hide").status_code == 404
    assert post(client, f"{base}/users/{people['other_admin'].id}/block").status_code == 404
    db.session.refresh(pb_posting)
    assert pb_posting.status == "open"
