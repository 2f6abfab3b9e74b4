"""Telling people about new postings that fit: in-app, by e-mail, once, digests, saved searches."""

from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from exchange.extensions import db
from exchange.mail.services import deliver_pending
from exchange.notifications.models import Notification, OutboxEmail, SavedSearch
from exchange.timeutil import utcnow
from tests.conftest import MailSink, login_as, make_posting, make_user, post, text_of
from tests.postings.steps import publish_in_steps

NEW = "/k/delbrueck/postings/new"


def request_form(**overrides):
    data = {
        "direction": "request",
        "kind": "zeitspende",
        "category": "garden",
        "title": "Hilfe im Garten gesucht",
        "description": "Die Hecke muss geschnitten und das Laub geharkt werden.",
        "district": "",
        "postcode": "33129",
        "timing": "flexible",
    }
    data.update(overrides)
    return data


@pytest.fixture
def people(delbrueck):
    erna = make_user(delbrueck)
    helper = make_user(delbrueck, email="helfer@example.org", name="Hans Helfer", locale="en")
    offer = make_posting(helper, direction="offer", category="garden", title="Ich helfe im Garten")
    db.session.commit()
    return erna, helper, offer


def notes_for(user):
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id)).all()


def test_new_request_tells_the_matching_offer_author_once(client, people, mailbox):
    erna, helper, offer = people
    login_as(client, erna)
    assert publish_in_steps(client, NEW, request_form()).status_code == 302
    (note,) = notes_for(helper)
    assert note.own_posting_id == offer.id and note.emailed_at is not None
    assert notes_for(erna) == []  # nobody is told about their own posting
    (body,) = mailbox.bodies_to("helfer@example.org")
    assert "Hilfe im Garten gesucht" in body
    assert f"http://localhost/k/delbrueck/postings/{note.posting_id}" in body
    assert "same category" in body  # in the helper's language (English)
    # Closing and reopening the request does not tell the helper a second time.
    base = f"/k/delbrueck/postings/{note.posting_id}"
    post(client, f"{base}/close")
    post(client, f"{base}/reopen")
    assert len(notes_for(helper)) == 1
    assert len(mailbox.bodies_to("helfer@example.org")) == 1


def test_in_app_notification_shows_and_is_read(client, people):
    erna, helper, offer = people
    login_as(client, erna)
    publish_in_steps(client, NEW, request_form())
    post(client, "/logout")
    login_as(client, helper)
    header = client.get("/me").get_data(as_text=True)
    assert "match-badge" in header
    page = text_of(client.get("/me/matches"))
    assert "Hilfe im Garten gesucht" in page
    assert "match-badge" not in client.get("/me").get_data(as_text=True)


def test_daily_digest_collects_and_sends_once(app, client, people, mailbox):
    erna, helper, offer = people
    helper.match_email_frequency = "daily"
    db.session.commit()
    login_as(client, erna)
    publish_in_steps(client, NEW, request_form())
    publish_in_steps(client, NEW, request_form(title="Noch ein Gartenjob gesucht"))
    assert mailbox.bodies_to("helfer@example.org") == []
    runner = app.test_cli_runner()
    assert "digests queued: 1" in runner.invoke(args=["exchange", "send-digest"]).output
    runner.invoke(args=["exchange", "send-mail"])
    (body,) = mailbox.bodies_to("helfer@example.org")
    assert "Hilfe im Garten gesucht" in body and "Noch ein Gartenjob gesucht" in body
    assert "digests queued: 0" in runner.invoke(args=["exchange", "send-digest"]).output


def test_never_means_no_mail_but_still_in_app(client, people, mailbox):
    erna, helper, offer = people
    helper.match_email_frequency = "never"
    db.session.commit()
    login_as(client, erna)
    publish_in_steps(client, NEW, request_form())
    assert len(notes_for(helper)) == 1
    assert mailbox.bodies_to("helfer@example.org") == []


def test_saved_search_owner_is_told(client, people, delbrueck, mailbox):
    erna, helper, offer = people
    seeker = make_user(delbrueck, email="suche@example.org", name="Sina Sucher")
    db.session.commit()
    login_as(client, seeker)
    westenholz = next(d for d in delbrueck.districts if d.name == "Westenholz")
    response = post(
        client,
        "/me/searches",
        {
            "direction": "request",
            "category": "garden",
            "district": str(westenholz.id),
            "radius": "10",
            "next": "/k/delbrueck/",
        },
    )
    assert response.status_code == 302
    search = db.session.scalar(select(SavedSearch))
    assert (search.place_name, search.radius_km, search.category) == ("Westenholz", 10, "garden")
    post(client, "/logout")
    login_as(client, erna)
    publish_in_steps(
        client, NEW, request_form()
    )  # PLZ centroid of 33129, about 7 km from Westenholz
    (note,) = notes_for(seeker)
    assert note.saved_search_id == search.id
    assert mailbox.bodies_to("suche@example.org")
    publish_in_steps(client, NEW, request_form(category="pets", title="Katze füttern gesucht"))
    assert len(notes_for(seeker)) == 1


def test_saved_searches_belong_to_their_owner(client, people, delbrueck):
    erna, helper, offer = people
    search = SavedSearch(
        user_id=helper.id,
        municipality_id=delbrueck.id,
        direction="request",
        place_name="Hagen",
        latitude=51.75,
        longitude=8.61,
        radius_km=5,
    )
    db.session.add(search)
    db.session.commit()
    login_as(client, erna)
    assert post(client, f"/me/searches/{search.id}/delete").status_code == 404
    assert db.session.scalar(select(func.count(SavedSearch.id))) == 1


def test_smtp_outage_loses_nothing_and_sends_nothing_twice(app, client, people, smtp_port):
    erna, helper, offer = people
    login_as(client, erna)
    publish_in_steps(client, NEW, request_form())  # the SMTP server is down
    mail = db.session.scalar(
        select(OutboxEmail).where(OutboxEmail.recipient == "helfer@example.org")
    )
    assert mail.sent_at is None and mail.attempts == 1 and mail.next_attempt_at > utcnow()
    assert deliver_pending() == (0, 0)  # backing off: not due yet
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        mail.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert deliver_pending() == (1, 0)
        assert deliver_pending() == (0, 0)
    finally:
        controller.stop()
    assert len(sink.bodies_to("helfer@example.org")) == 1
    db.session.refresh(mail)
    assert mail.sent_at is not None and mail.attempts == 2


def test_a_claimed_mail_is_left_to_its_worker(app, people, mailbox):
    mail = OutboxEmail(
        recipient="x@example.org",
        subject="s",
        body="b",
        locale="de",
        claimed_until=utcnow() + timedelta(minutes=5),
    )
    db.session.add(mail)
    db.session.commit()
    assert deliver_pending() == (0, 0)
    assert mailbox.bodies_to("x@example.org") == []
