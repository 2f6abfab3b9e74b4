"""Reports, hiding postings, blocking users, the overview and CSV exports."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from exchange.admin.models import Report
from exchange.extensions import db
from exchange.messaging.models import Conversation, Message
from exchange.timeutil import utcnow
from tests.conftest import login_as, make_posting, make_user, post, text_of


@pytest.fixture
def cast(delbrueck):
    admin = make_user(delbrueck, email="admin@example.org", name="Anna Admin", role="admin")
    erna = make_user(delbrueck)
    troll = make_user(delbrueck, email="troll@example.org", name="Tom Troll")
    posting = make_posting(troll, title="Unseriöses Angebot", direction="offer")
    db.session.commit()
    return admin, erna, troll, posting


def test_resident_reports_a_posting_and_admin_hides_it(app, client, cast):
    admin, erna, troll, posting = cast
    login_as(client, erna)
    url = f"/k/delbrueck/postings/{posting.id}/report"
    assert post(client, url, {"reason": ""}).status_code == 200
    assert db.session.scalar(select(Report)) is None
    assert post(client, url, {"reason": "Das sieht nach Betrug aus."}).status_code == 302
    report = db.session.scalar(select(Report))
    assert report.posting_id == posting.id and report.reporter_id == erna.id

    admin_client = app.test_client()
    login_as(admin_client, admin)
    queue = text_of(admin_client.get("/k/delbrueck/admin/reports"))
    assert "Das sieht nach Betrug aus." in queue and "Unseriöses Angebot" in queue
    post(admin_client, f"/k/delbrueck/admin/postings/{posting.id}/hide")
    assert "Unseriöses Angebot" not in text_of(client.get("/k/delbrueck/"))
    assert client.get(f"/k/delbrueck/postings/{posting.id}").status_code == 404
    post(admin_client, f"/k/delbrueck/admin/postings/{posting.id}/unhide")
    db.session.refresh(posting)
    assert posting.status == "open"
    post(admin_client, f"/k/delbrueck/admin/reports/{report.id}/resolve", {"outcome": "geprüft"})
    db.session.refresh(report)
    assert report.resolved_at is not None and report.resolved_by_id == admin.id


def test_blocking_ends_sessions_at_once(app, client, cast):
    admin, erna, troll, posting = cast
    login_as(client, troll)
    assert client.get("/me").status_code == 200
    admin_client = app.test_client()
    login_as(admin_client, admin)
    post(admin_client, f"/k/delbrueck/admin/users/{troll.id}/block")
    assert client.get("/me").status_code == 302
    response = post(client, "/login", {"email": troll.email, "password": "Sonnenblume-im-Garten-7"})
    assert response.status_code == 200  # refused
    post(admin_client, f"/k/delbrueck/admin/users/{troll.id}/unblock")
    login_as(client, troll)


def test_admins_cannot_be_blocked_by_admins(app, client, cast, delbrueck):
    admin, erna, troll, posting = cast
    other_admin = make_user(delbrueck, email="a2@example.org", role="admin")
    db.session.commit()
    login_as(client, admin)
    post(client, f"/k/delbrueck/admin/users/{other_admin.id}/block")
    db.session.refresh(other_admin)
    assert other_admin.is_blocked is False


def test_only_received_messages_can_be_reported(client, cast):
    admin, erna, troll, posting = cast
    conversation = Conversation(
        municipality_id=posting.municipality_id,
        posting_id=posting.id,
        posting_title=posting.title,
        author_id=troll.id,
        responder_id=erna.id,
    )
    db.session.add(conversation)
    db.session.flush()
    theirs = Message(conversation_id=conversation.id, sender_id=troll.id, body="Schick mir Geld")
    mine = Message(conversation_id=conversation.id, sender_id=erna.id, body="Nein")
    db.session.add_all([theirs, mine])
    db.session.commit()
    login_as(client, erna)
    base = f"/me/messages/{conversation.id}/messages"
    assert post(client, f"{base}/{mine.id}/report", {"reason": "x"}).status_code == 404
    assert post(client, f"{base}/{theirs.id}/report", {"reason": "Betrug"}).status_code == 302
    assert db.session.scalar(select(Report.message_id)) == theirs.id


def test_overview_counts_waiting_requests_and_helpers(app, client, cast, delbrueck):
    admin, erna, troll, posting = cast
    old = make_posting(
        erna,
        title="Wartet seit Wochen",
        category="paperwork",
        created_at=utcnow() - timedelta(days=10),
    )
    make_posting(erna, title="Ganz neu", category="paperwork")
    db.session.commit()
    login_as(client, admin)
    page = text_of(client.get("/k/delbrueck/admin/"))
    assert "Wartet seit Wochen" in page and "Ganz neu" not in page
    csv_text = client.get("/k/delbrueck/admin/export/figures.csv").get_data(as_text=True)
    assert "waiting_requests_7_days;;;1" in csv_text
    postings_csv = client.get("/k/delbrueck/admin/export/postings.csv").get_data(as_text=True)
    assert "Wartet seit Wochen" in postings_csv and "erna@example.org" not in postings_csv
    assert str(old.id) in postings_csv


def test_csv_cells_cannot_become_formulas(client, cast, delbrueck):
    admin, erna, troll, posting = cast
    make_posting(erna, title='=HYPERLINK("http://evil")')
    db.session.commit()
    login_as(client, admin)
    csv_text = client.get("/k/delbrueck/admin/export/postings.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv_text
    assert ";=HYPERLINK" not in csv_text and ';"=HYPERLINK' not in csv_text
