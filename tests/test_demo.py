"""The demo: read from data.toml, created through the services, the same after a second run."""

from __future__ import annotations

import copy
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from exchange.accounts.models import User
from exchange.admin.models import AuditEntry, ProxyProfile, Report
from exchange.demo import ACCOUNTS, load_data, seed_demo
from exchange.errors import ExchangeError
from exchange.extensions import db
from exchange.messaging.models import Conversation, Message
from exchange.municipalities.models import District, Municipality
from exchange.notifications.models import Notification, OutboxEmail
from exchange.postings.models import Posting
from exchange.timeutil import clock_at, utcnow
from tests.conftest import post

MODELS = (
    Municipality,
    District,
    User,
    ProxyProfile,
    Posting,
    Notification,
    OutboxEmail,
    AuditEntry,
    Report,
    Conversation,
    Message,
)


def counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in MODELS}


@pytest.fixture
def demo(app):
    seed_demo()
    db.session.commit()
    return load_data()


def by_title(title: str) -> Posting:
    return db.session.scalar(select(Posting).where(Posting.title == title))


def test_seeding_twice_changes_nothing(demo):
    first = counts()
    assert first["Municipality"] == 2 and len(demo["posting"]) == 42
    # The board's 42 and the postings of help that happened (done, off the board).
    assert first["Posting"] == len(demo["posting"]) + len(demo["history"]) == 48
    assert first["User"] == len(ACCOUNTS) + 1  # and Gertrud, who has no login
    seed_demo()
    db.session.commit()
    assert counts() == first


def test_every_demo_posting_is_on_the_board_as_old_as_the_file_says(demo):
    now = utcnow()
    people = {a["key"]: a["name"] for a in demo["account"] + demo["proxy"]}
    for spec in demo["posting"]:
        posting = by_title(spec["title"])
        assert posting.author.display_name == people[spec["author"]]
        assert posting.status == "open" and posting.is_on_board()
        assert (now - posting.created_at).days == spec["days_ago"], spec["title"]
        assert posting.expires_at - posting.created_at == timedelta(days=56)
        assert posting.district_id == posting.author.district_id
        if "on_date_in_days" in spec:
            assert posting.timing == "date"
            assert (posting.on_date - now.date()).days == spec["on_date_in_days"]
        assert posting.created_at >= posting.author.created_at


def test_the_demo_accounts_are_confirmed_and_sign_in(demo, app):
    for row in ACCOUNTS:
        key, _name, email, password, slug, _place, _age, role, _phone = row
        user = db.session.scalar(select(User).where(User.email == email))
        assert user.is_email_confirmed and user.is_approved and user.role == role
        assert user.municipality.slug == slug
        # A client per account: the login limit counts per address, not per account.
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{ACCOUNTS.index(row) + 1}"
        response = post(client, "/login", {"email": email, "password": password})
        assert response.status_code == 302, (email, response.status_code)
        start = "/k/delbrueck/admin/" if key == "admin" else "/me/postings"
        assert client.get(start).status_code == 200
    assert {a[0] for a in ACCOUNTS} >= {"erna", "jonas", "petra", "admin"}


def test_the_personas_have_agreed_to_the_current_terms(demo):
    """The demo journey is not interrupted by the page that asks for the terms."""
    from exchange.accounts.terms import must_accept

    people = list(db.session.scalars(select(User)))
    assert people and all(u.accepted_terms_version == 1 for u in people)
    assert not any(must_accept(u) for u in people)
    # A demo database older than the terms: seeding again has the personas agree.
    for user in people:
        user.accepted_terms_version = 0
    db.session.commit()
    seed_demo()
    db.session.commit()
    residents = [u for u in people if not u.is_proxy]
    assert all(u.accepted_terms_version == 1 for u in residents)


def test_gertrud_was_registered_and_is_acted_for_by_the_town_hall(demo):
    gertrud = db.session.scalar(select(User).where(User.display_name == "Gertrud Schäfer"))
    assert gertrud.is_proxy and gertrud.email is None and gertrud.password_hash is None
    profile = db.session.get(ProxyProfile, gertrud.id)
    assert profile.consent_method == "in_person" and profile.consent_by == "Martina Kröger"
    assert (utcnow().date() - profile.consent_on).days == 14
    request = by_title("Hilfe beim Wocheneinkauf")
    assert request.author_id == gertrud.id
    trail = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action.like("acting.%") | (AuditEntry.action == "postings.create"))
        .order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.admin_name, e.proxy_name) for e in trail] == [
        ("acting.start", "Martina Kröger", "Gertrud Schäfer"),
        ("postings.create", "Martina Kröger", "Gertrud Schäfer"),
        ("acting.stop", "Martina Kröger", "Gertrud Schäfer"),
    ]
    assert trail[1].object_id == request.id
    # Petra's offer came three days later and fits: the town hall was told, as on the site.
    offer = by_title("Ich nehme Sie zum Einkaufen mit")
    told = db.session.scalar(
        select(Notification).where(
            Notification.user_id == gertrud.id, Notification.posting_id == offer.id
        )
    )
    assert told is not None and told.own_posting_id == request.id
    assert told.created_at == offer.created_at


def test_petra_sees_gertruds_request_as_a_match_since_9_days(demo, client):
    offer = by_title("Ich nehme Sie zum Einkaufen mit")
    post(client, "/login", {"email": "petra@example.org", "password": "Petra-Demo-2026!"})
    page = client.get(f"/k/delbrueck/postings/{offer.id}").get_data(as_text=True)
    assert "Hilfe beim Wocheneinkauf" in page
    assert "seit 9 Tagen" in page


def test_seed_demo_mails_confirmations_and_delivers_them(app, mailbox, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "development")
    result = app.test_cli_runner().invoke(args=["exchange", "seed-demo"])
    assert result.exit_code == 0, result.output
    for _key, _name, email, *_rest in ACCOUNTS:
        assert any("/confirm" in body for body in mailbox.bodies_to(email)), email
    pending = select(func.count(OutboxEmail.id)).where(OutboxEmail.sent_at.is_(None))
    assert db.session.scalar(pending) == 0


def test_the_demo_cannot_hold_what_the_product_refuses(app):
    data = load_data()
    too_young = copy.deepcopy(data)
    too_young["account"][1]["age"] = 12
    with pytest.raises(ExchangeError):
        seed_demo(too_young)
    db.session.rollback()
    unknown = copy.deepcopy(data)
    unknown["posting"][0]["category"] = "fireworks"
    with pytest.raises(ExchangeError):
        seed_demo(unknown)
    db.session.rollback()
    early = copy.deepcopy(data)
    early["posting"][0]["days_ago"] = 400
    with pytest.raises(ValueError, match="older than its author"):
        seed_demo(early)


def test_clock_at_sets_now_for_this_context_only():
    moment = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    seen = {}
    with clock_at(moment):
        assert utcnow() == moment
        with clock_at(moment - timedelta(days=9)):
            assert utcnow() == moment - timedelta(days=9)
        assert utcnow() == moment
        thread = threading.Thread(target=lambda: seen.setdefault("other", utcnow()))
        thread.start()
        thread.join()
    assert seen["other"] > moment and utcnow() > moment
    with pytest.raises(ValueError), clock_at(datetime(2026, 3, 1)):
        pass


def with_a_conversation() -> dict:
    """The demo plus Petra answering Gertrud, the town hall answering for her and choosing."""
    data = load_data()
    request = "Hilfe beim Wocheneinkauf"
    data["message"] = [
        {"posting": request, "from": "petra", "body": "Ich fahre freitags.", "days_ago": 5},
        {
            "posting": request,
            "from": "gertrud",
            "to": "petra",
            "body": "Das passt, danke!",
            "days_ago": 4,
        },
    ]
    data["choice"] = [{"posting": request, "helper": "petra", "days_ago": 4}]
    data["report"] = [
        {"posting": "Wer spielt mit mir Skat?", "by": "karl", "reason": "Test", "days_ago": 0}
    ]
    return data


def test_conversations_choices_and_reports_go_through_the_services(app):
    seed_demo(with_a_conversation())
    db.session.commit()
    now = utcnow()
    request = by_title("Hilfe beim Wocheneinkauf")
    assert request.status == "assigned"
    conversation = db.session.scalar(
        select(Conversation).where(Conversation.posting_id == request.id)
    )
    assert conversation.is_assigned and conversation.responder.display_name == "Petra Hoffmann"
    ages = [(now - m.created_at).days for m in conversation.messages]
    assert ages == [5, 4]
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert "messaging.conversation" in actions and "postings.assign" in actions
    report = db.session.scalar(select(Report))
    assert report.posting.title == "Wer spielt mit mir Skat?" and report.resolved_at is None
    first = counts()
    seed_demo(with_a_conversation())
    db.session.commit()
    assert counts() == first


def test_a_message_cannot_come_before_its_posting(app):
    data = with_a_conversation()
    data["message"][0]["days_ago"] = 12
    with pytest.raises(ValueError, match="comes before it"):
        seed_demo(data)


def test_the_town_hall_recorded_the_minors_consent_forms(demo):
    """Jonas and Lea may answer and be chosen: their parents' forms are on record, audited."""
    trail = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "admin_youth.record_consent")
    ).all()
    assert sorted(e.proxy_name for e in trail) == ["Jonas Becker", "Lea Wiesner"]
    assert {e.admin_name for e in trail} == {"Martina Kröger"}


def test_help_that_happened_is_in_the_ledger_with_thanks(demo, client):
    """Jonas's Taschengeld job and Zeitspende, confirmed and booked; a proof to download."""
    from exchange.ledger.models import HelpRecord, LedgerEntry, Thanks

    records = db.session.scalars(select(HelpRecord).order_by(HelpRecord.id)).all()
    assert len(records) == len(demo["history"]) == 6
    assert {r.status for r in records} == {"confirmed"}
    jonas = db.session.scalar(select(User).where(User.email == "jonas@example.org"))
    his = [r for r in records if r.helper_id == jonas.id]
    assert sorted((r.kind, r.minutes_confirmed, r.was_helper_minor) for r in his) == [
        ("taschengeld", 90, True),
        ("zeitspende", 120, True),
    ]
    assert db.session.scalar(select(func.sum(LedgerEntry.minutes))) == 0
    assert db.session.scalar(select(func.count(Thanks.id))) == 5
    post(client, "/login", {"email": "jonas@example.org", "password": "Jonas-Demo-2026!"})
    mine = client.get("/me/engagement").get_data(as_text=True)
    assert 'id="engagement-proof-link" href="/me/engagement/nachweis"' in mine
    page = client.get("/me/engagement/nachweis?lang=en").get_data(as_text=True)
    assert "Vielen Dank für die Geduld" in page
    year = next(r.on_date.year for r in his if r.kind == "zeitspende")  # Taschengeld is paid
    pdf = post(client, f"/me/engagement/nachweis/{year}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_delbrueck_has_a_reviewed_statement_and_a_reported_barrier(demo, client):
    from exchange.municipalities.accessibility.models import (
        AccessibilityFeedback,
        AccessibilityStatement,
    )

    statement = db.session.scalar(select(AccessibilityStatement))
    assert statement.status == "partial" and len(statement.limitations) == 3
    assert statement.reviewed_on < statement.created_at.date() + timedelta(days=1)
    assert statement.evaluated_on < statement.reviewed_on
    html = client.get("/k/delbrueck/accessibility").get_data(as_text=True)
    assert "Videos in Deutscher Gebärdensprache (DGS)" in html
    assert 'href="https://www.lbbp.nrw.de/ombudsstelle"' in html
    barrier = db.session.scalar(select(AccessibilityFeedback))
    assert barrier.answered_at is None and barrier.name == "Walter K."
    seed_demo()
    db.session.commit()
    assert db.session.scalar(select(func.count(AccessibilityFeedback.id))) == 1
    assert db.session.scalar(select(func.count(AccessibilityStatement.id))) == 1


def test_the_posting_the_browser_tests_open_is_on_the_board(demo):
    """tests/browser open /k/delbrueck/postings/4: it must stay an open posting of the board."""
    posting = db.session.get(Posting, 4)
    assert posting.is_on_board() and posting.municipality.slug == "delbrueck"
