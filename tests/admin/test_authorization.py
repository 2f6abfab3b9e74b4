"""Every URL is public or guarded; admin and operator URLs across all roles; foreign ids 404."""

import pytest

from exchange.admin.models import Report
from exchange.extensions import db
from exchange.ledger.models import HelpRecord
from exchange.messaging.models import Conversation, Message
from exchange.municipalities.accessibility.models import AccessibilityFeedback
from exchange.notifications.models import OutboxEmail, SavedSearch
from exchange.postings.draft_models import PostingDraft
from exchange.timeutil import utcnow
from exchange.youth.models import LocalHoliday, SchoolHoliday
from tests.conftest import login_as, make_posting, make_proxy, make_user, post

PUBLIC = {
    "static",
    "pages.home",
    "pages.healthz",
    "pages.favicon",
    "pages.imprint",
    "pages.privacy",
    "pages.accessibility",
    "pages.set_language",
    "municipalities.imprint",
    "municipalities.privacy",
    "municipalities.accessibility",
    "municipalities.terms",
    "municipalities.conduct",
    "pages.terms",
    "pages.conduct",
    "municipalities.accessibility_feedback",
    "municipalities.theme",
    "easy_language.page",
    "easy_language.video",
    "easy_language_platform.page",
    "postings.board",
    "postings.detail",
    "accounts.login",
    "accounts.register",
    "accounts.logout",
    "accounts.forgot_password",
    "accounts.reset_password",
    "accounts.activate",
    "accounts.confirm_email",
    # Token links from e-mails (a parent's confirmation, its resend, a posting's extension).
    "accounts.parent_confirm",
    "accounts.parent_decline",
    "accounts.resend_parent_mail",
    "reminders.extend",
    # Anyone may check an Engagementnachweis's code.
    "certificates.lookup",
    "certificates.verify",
    # The Taschengeldbörse's rules for young people, parents and job providers.
    "youth.rules",
    "youth.rules_young",
    "youth.rules_parents",
    "youth.rules_providers",
}


def _conversation(municipality, posting, author, responder):
    conversation = Conversation(
        municipality_id=municipality.id,
        posting_id=posting.id,
        posting_title=posting.title,
        author_id=author.id,
        responder_id=responder.id,
    )
    db.session.add(conversation)
    db.session.flush()
    message = Message(conversation_id=conversation.id, sender_id=responder.id, body="Hallo")
    db.session.add(message)
    db.session.flush()
    return conversation, message


def _thanks(municipality, helper, recipient):
    from exchange.ledger.models import HelpRecord, Thanks

    record = HelpRecord(
        municipality_id=municipality.id,
        kind="zeitspende",
        category="shopping",
        helper_id=helper.id,
        recipient_id=recipient.id,
        status="confirmed",
    )
    db.session.add(record)
    db.session.flush()
    thanks = Thanks(
        municipality_id=municipality.id,
        help_record_id=record.id,
        author_id=recipient.id,
        helper_id=helper.id,
        body="Danke",
    )
    db.session.add(thanks)
    db.session.flush()
    return thanks


@pytest.fixture
def world(delbrueck, paderborn):
    people = {
        "resident": make_user(delbrueck),
        "admin": make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin"),
        "second_admin": make_user(
            delbrueck, email="admin2@example.org", name="Karl Amt", role="admin"
        ),
        "other_admin": make_user(
            paderborn, email="pbadmin@example.org", role="admin", postcode="33098"
        ),
        "operator": make_user(delbrueck, email="op@example.org", role="superadmin"),
        "helper": make_user(delbrueck, email="helper@example.org", name="Hans Helfer"),
        "blocked": make_user(delbrueck, email="blocked@example.org", name="Bernd Block"),
        "pending": make_user(
            delbrueck, email="pending@example.org", name="Paula Neu", is_approved=False
        ),
        "pending2": make_user(
            delbrueck, email="pending2@example.org", name="Peter Neu", is_approved=False
        ),
        "proxy": make_proxy(delbrueck),
    }
    posting = make_posting(people["resident"])
    conversation, message = _conversation(delbrueck, posting, people["resident"], people["helper"])
    proxy_posting = make_posting(people["proxy"], title="Begleitung zum Arzt")
    proxy_talk, _m = _conversation(delbrueck, proxy_posting, people["proxy"], people["helper"])
    report = Report(municipality_id=delbrueck.id, posting_id=posting.id, reason="x")
    search = SavedSearch(
        user_id=people["resident"].id,
        municipality_id=delbrueck.id,
        direction="request",
        place_name="Hagen",
        latitude=51.75,
        longitude=8.61,
    )
    # A posting she is still writing in steps.
    draft = PostingDraft(
        municipality_id=delbrueck.id, author_id=people["resident"].id, step="kind", data={}
    )
    db.session.add_all([report, search, draft])
    # The same kinds of objects in Paderborn, for the foreign-id checks.
    pb_resident = make_user(paderborn, email="pb@example.org", postcode="33098")
    pb_proxy = make_proxy(paderborn, name="Paul Proxy", postcode="33098")
    pb_pending = make_user(
        paderborn, email="pbnew@example.org", postcode="33098", is_approved=False
    )
    pb_posting = make_posting(pb_resident, title="Paderborner Gesuch")
    pb_talk, _m = _conversation(paderborn, make_posting(pb_proxy), pb_proxy, pb_resident)
    pb_report = Report(municipality_id=paderborn.id, posting_id=pb_posting.id, reason="x")
    db.session.add(pb_report)
    barrier = AccessibilityFeedback(municipality_id=delbrueck.id, message="Kontrast")
    pb_barrier = AccessibilityFeedback(municipality_id=paderborn.id, message="Kontrast")
    db.session.add_all([barrier, pb_barrier])
    # The Taschengeldbörse's holidays, in both Kommunen.
    holidays = {}
    for m in (delbrueck, paderborn):
        holidays[m.slug] = (
            LocalHoliday(municipality_id=m.id, on_date=utcnow().date(), name="Kirmes"),
            SchoolHoliday(
                municipality_id=m.id,
                first_day=utcnow().date(),
                last_day=utcnow().date(),
                name="Herbstferien",
            ),
        )
        db.session.add_all(holidays[m.slug])
    # A confirmed help with a thank-you in each Kommune (thanks reports, hiding).
    thanks = _thanks(delbrueck, people["helper"], people["resident"])
    pb_thanks = _thanks(paderborn, pb_resident, pb_proxy)
    failed_mail = OutboxEmail(
        recipient="x@example.org", subject="s", body="b", locale="de", failed_at=utcnow()
    )
    db.session.add(failed_mail)
    # A record of help given in each Kommune (its hours wait for a confirmation).
    record = HelpRecord(
        municipality_id=delbrueck.id, posting_id=posting.id, kind="zeitspende", category="shopping"
    )
    pb_record = HelpRecord(
        municipality_id=paderborn.id, posting_id=pb_posting.id, kind="zeitspende", category="x"
    )
    db.session.add_all([record, pb_record])
    db.session.commit()
    values = {
        "slug": "delbrueck",
        "posting_id": posting.id,
        "conversation_id": conversation.id,
        "message_id": message.id,
        "report_id": report.id,
        "user_id": people["helper"].id,
        "search_id": search.id,
        "municipality_id": delbrueck.id,
        "mail_id": failed_mail.id,
        "feedback_id": barrier.id,
        "draft_id": draft.id,
        "step": "kind",
        "holiday_id": holidays["delbrueck"][0].id,
        "school_holiday_id": holidays["delbrueck"][1].id,
        "thanks_id": thanks.id,
        "year": 2026,
        "code": "ABCD-EFGH-JKLM-NPQR",
        "record_id": record.id,
    }
    # Routes whose user_id or conversation_id means one particular kind of account or talk.
    per_endpoint = {
        "admin_proxies.proxy_detail": {"user_id": people["proxy"].id},
        "admin_proxies.proxy_edit": {"user_id": people["proxy"].id},
        "admin_proxies.act": {"user_id": people["proxy"].id},
        "admin_proxies.sheet": {"user_id": people["proxy"].id},
        "admin_proxies.activation": {"user_id": people["proxy"].id},
        "admin_proxies.sheet_pdf": {"user_id": people["proxy"].id},
        "admin_proxies.activation_pdf": {"user_id": people["proxy"].id},
        "admin_proxies.inbox_conversation": {"conversation_id": proxy_talk.id},
        "admin_proxies.add_note": {"conversation_id": proxy_talk.id},
        "admin_moderation.approve": {"user_id": people["pending"].id},
        "admin_moderation.decline": {"user_id": people["pending2"].id},
        "operator.remove_admin": {"user_id": people["second_admin"].id},
    }
    foreign = {
        "posting_id": pb_posting.id,
        "report_id": pb_report.id,
        "user_id": pb_resident.id,
        "conversation_id": pb_talk.id,
        "feedback_id": pb_barrier.id,
        "holiday_id": holidays["paderborn"][0].id,
        "school_holiday_id": holidays["paderborn"][1].id,
        "thanks_id": pb_thanks.id,
        "record_id": pb_record.id,
    }
    foreign_per_endpoint = {name: {"user_id": pb_proxy.id} for name in PROXY_VIEWS} | {
        "approve": {"user_id": pb_pending.id},
        "decline": {"user_id": pb_pending.id},
    }
    return {
        "people": people,
        "values": values,
        "per_endpoint": per_endpoint,
        "foreign": foreign,
        "foreign_per_endpoint": {
            f"{ADMIN_BLUEPRINT_OF[k]}.{k}": v for k, v in foreign_per_endpoint.items()
        },
    }


def _url(app, rule, values):
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})


def _request(client, rule, url):
    if "GET" in rule.methods:
        return client.get(url)
    return post(
        client, url, {"conversation_id": 1, "reason": "x", "outcome": "", "body": "Angerufen"}
    )


def _rules(app, prefix):
    """The rules under a URL prefix; stopping to act changes the session, so it comes last."""
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith(prefix)]
    return sorted(rules, key=lambda r: (r.endpoint == "admin_proxies.stop_acting", r.endpoint))


def _admin_rules(app):
    """Every rule of the Kommune's admin area: by its URL, and by its blueprint, the same."""
    by_url = _rules(app, ADMIN_PREFIX)
    by_blueprint = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("admin_")}
    assert {r.endpoint for r in by_url} == by_blueprint
    for rule in by_url:
        # Each admin view carries admin_required's mark (a guard nobody forgot).
        assert getattr(app.view_functions[rule.endpoint], "is_admin_view", False), rule.endpoint
    return by_url


def _values_for(world, rule):
    return world["values"] | world["per_endpoint"].get(rule.endpoint, {})


def test_every_rule_is_public_or_needs_login(app, client, world):
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        response = _request(client, rule, _url(app, rule, _values_for(world, rule)))
        assert response.status_code == 302, rule.endpoint
        assert "/login" in response.headers["Location"], rule.endpoint
        checked += 1
    assert checked >= 45


def _sign_in(client, world, role):
    people = world["people"]
    if role == "guest":
        return
    if role == "blocked":
        # Signed in, then blocked by an admin: the session ends at once.
        login_as(client, people["blocked"])
        people["blocked"].is_blocked = True
        people["blocked"].session_version += 1
        db.session.commit()
        return
    if role == "acting_admin":
        login_as(client, people["admin"])
        response = post(client, f"/k/delbrueck/admin/proxies/{people['proxy'].id}/act")
        assert response.status_code == 302
        return
    login_as(client, people[role])


ADMIN_PREFIX = "/k/<slug>/admin/"
# The views whose user_id must name a proxy of the Kommune.
PROXY_VIEWS = (
    "proxy_detail",
    "proxy_edit",
    "act",
    "sheet",
    "sheet_pdf",
    "activation",
    "activation_pdf",
)
OPERATOR_PREFIX = "/admin/"
# The blueprint of each admin view whose ids the foreign-id checks set apart.
ADMIN_BLUEPRINT_OF = {name: "admin_proxies" for name in PROXY_VIEWS} | {
    "approve": "admin_moderation",
    "decline": "admin_moderation",
}

OK = {200, 302}
MATRIX = {
    # role: (expected on admin URLs of Delbrück, expected on operator URLs)
    "guest": ("login", "login"),
    "blocked": ("login", "login"),
    "resident": ({403}, {403}),
    "acting_admin": (OK, {403}),
    "admin": (OK, {403}),
    "other_admin": ({403}, {403}),
    "operator": (OK, OK),
}


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_admin_and_operator_urls_by_role(app, client, world, role):
    _sign_in(client, world, role)
    checked = 0
    admin_rules, operator_rules = _admin_rules(app), _rules(app, OPERATOR_PREFIX)
    # The ids set apart for some views name real endpoints (not ones renamed since).
    named = set(world["per_endpoint"]) | set(world["foreign_per_endpoint"])
    assert named <= set(app.view_functions)
    assert {r.endpoint.partition(".")[0] for r in operator_rules} == {"operator"}
    for rules, expected in ((admin_rules, MATRIX[role][0]), (operator_rules, MATRIX[role][1])):
        assert len(rules) >= (20 if rules is admin_rules else 5)
        for rule in rules:
            response = _request(client, rule, _url(app, rule, _values_for(world, rule)))
            if expected == "login":
                assert response.status_code == 302, (role, rule.endpoint)
                assert "/login" in response.headers["Location"], (role, rule.endpoint)
            else:
                assert response.status_code in expected, (role, rule.endpoint)
            checked += 1
    assert checked >= 25
    # Every admin and operator rule was tried.
    assert checked == len(admin_rules) + len(operator_rules)


@pytest.mark.parametrize("role", ["admin", "acting_admin"])
def test_foreign_ids_are_404_on_every_admin_url(app, client, world, role):
    _sign_in(client, world, role)
    checked = 0
    for rule in _admin_rules(app):
        ids = {a for a in rule.arguments if a != "slug"}
        if not ids:
            continue
        values = (
            world["values"]
            | world["foreign"]
            | world["foreign_per_endpoint"].get(rule.endpoint, {})
        )
        response = _request(client, rule, _url(app, rule, values))
        assert response.status_code == 404, (role, rule.endpoint)
        checked += 1
    assert checked >= 14


def test_foreign_ids_change_nothing(app, client, world):
    people = world["people"]
    login_as(client, people["admin"])
    base = "/k/delbrueck/admin"
    assert post(client, f"{base}/postings/{world['foreign']['posting_id']}/hide").status_code == 404
    assert post(client, f"{base}/users/{people['other_admin'].id}/block").status_code == 404
    from exchange.postings.models import Posting

    db.session.expire_all()
    assert db.session.get(Posting, world["foreign"]["posting_id"]).status == "open"
    assert db.session.get(type(people["other_admin"]), people["other_admin"].id).is_blocked is False
