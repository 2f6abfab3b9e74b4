"""Reminders of `flask exchange daily`: the day before a job, before expiry; past dates leave."""

from datetime import date, time, timedelta

from sqlalchemy import func, select

from exchange.extensions import db
from exchange.mail.models import OutboxEmail
from exchange.messaging.models import Conversation
from exchange.notifications.models import ReminderSent
from exchange.notifications.reminders import local_today
from exchange.postings.models import Posting
from exchange.timeutil import clock_at, utcnow
from tests.conftest import link_in_mail, make_posting, make_proxy, make_user, post, text_of


def _daily(app, now):
    with clock_at(now):
        result = app.test_cli_runner().invoke(args=["exchange", "daily"])
    assert result.exit_code == 0, result.output
    return result.output


def _deliver(app):
    result = app.test_cli_runner().invoke(args=["exchange", "send-mail"])
    assert result.exit_code == 0, result.output


def _assigned(posting, helper, **agreed):
    posting.status = "assigned"
    talk = Conversation(
        municipality_id=posting.municipality_id,
        posting_id=posting.id,
        posting_title=posting.title,
        author_id=posting.author_id,
        responder_id=helper.id,
        is_assigned=True,
        **agreed,
    )
    db.session.add(talk)
    db.session.flush()
    return talk


def test_helper_and_author_get_one_reminder_the_day_before(app, delbrueck, mailbox):
    now = utcnow()
    tomorrow = local_today(now) + timedelta(days=1)
    erna = make_user(delbrueck, locale="en")
    petra = make_user(delbrueck, email="petra@example.org", name="Petra Schmidt")
    tomorrow_job = make_posting(
        erna, title="Rasen mähen", timing="date", on_date=tomorrow, start_time=time(15, 0)
    )
    talk = _assigned(tomorrow_job, petra)
    # Agreed for tomorrow, although the posting said another day: reminded, at the agreed time.
    moved = make_posting(
        erna, title="Hecke schneiden", timing="date", on_date=tomorrow + timedelta(3)
    )
    _assigned(
        moved,
        make_user(delbrueck, email="max@example.org", name="Max Muster"),
        agreed_on=tomorrow,
        agreed_start=time(16, 30),
    )
    # Agreed for another day: not tomorrow, no reminder.
    later = make_posting(erna, title="Fenster putzen", timing="date", on_date=tomorrow)
    _assigned(
        later,
        make_user(delbrueck, email="lea@example.org", name="Lea Lang"),
        agreed_on=tomorrow + timedelta(days=2),
    )
    # A proxy helper is skipped (the town hall sees the job); the author still hears.
    proxy_job = make_posting(erna, title="Einkauf", timing="date", on_date=tomorrow)
    _assigned(proxy_job, make_proxy(delbrueck))
    db.session.commit()

    output = _daily(app, now)
    assert "job reminders: 5" in output  # 2 + 2 + the author of the proxy's job
    _deliver(app)
    (to_petra,) = mailbox.bodies_to("petra@example.org")
    assert "Rasen mähen" in to_petra and "15:00" in to_petra
    assert f"/me/messages/{talk.id}" in to_petra
    assert "Erna M." in to_petra
    (to_max,) = mailbox.bodies_to("max@example.org")
    assert "16:30" in to_max
    assert mailbox.bodies_to("lea@example.org") == []
    to_erna = mailbox.bodies_to("erna@example.org")
    assert len(to_erna) == 3
    assert any("is tomorrow" in body for body in to_erna)  # English: her language

    # A second run the same day sends none.
    assert "job reminders: 0" in _daily(app, now + timedelta(hours=2))
    _deliver(app)
    assert len(mailbox.bodies_to("petra@example.org")) == 1


def test_expiry_reminder_and_its_extend_link(app, client, delbrueck, mailbox):
    now = utcnow()
    erna = make_user(delbrueck, locale="en")
    soon = make_posting(erna, title="Gartenhilfe", expires_at=now + timedelta(days=2))
    make_posting(erna, title="Noch lange", expires_at=now + timedelta(days=20))
    db.session.commit()
    old_expiry = soon.expires_at

    assert "expiry reminders: 1" in _daily(app, now)
    assert "expiry reminders: 0" in _daily(app, now + timedelta(hours=1))
    _deliver(app)
    (body,) = mailbox.bodies_to("erna@example.org")
    assert "Gartenhilfe" in body
    link = link_in_mail(mailbox, "erna@example.org", "/eintrag/verlaengern/")

    # GET shows the page and changes nothing (no sign-in needed: the token is the key).
    page = client.get(link + "?lang=en")
    assert page.status_code == 200 and "Extend" in text_of(page) and "Gartenhilfe" in text_of(page)
    db.session.expire_all()
    assert db.session.get(Posting, soon.id).expires_at == old_expiry
    # Without the form's CSRF token nothing happens.
    assert client.post(link).status_code == 400
    response = post(client, link + "?lang=en")
    assert response.status_code == 200 and "Your posting is extended" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Posting, soon.id).expires_at > utcnow() + timedelta(days=50)
    # Used: a clear message, nothing changes.
    again = post(client, link + "?lang=en")
    assert again.status_code == 404 and "This link no longer works" in text_of(again)
    tampered = client.get(link[:-2] + "xx?lang=en")
    assert tampered.status_code == 404


def test_a_dated_posting_from_yesterday_leaves_the_board(app, client, delbrueck):
    now = utcnow()
    yesterday = local_today(now) - timedelta(days=1)
    erna = make_user(delbrueck)
    make_posting(erna, title="Gestern Rasen mähen", timing="date", on_date=yesterday)
    make_posting(erna, title="Heute Laub harken", timing="date", on_date=local_today(now))
    db.session.commit()
    board = text_of(client.get("/k/delbrueck/?lang=en"))
    assert "Gestern Rasen mähen" in board and "Heute Laub harken" in board

    assert "past dated postings off the board: 1" in _daily(app, now)
    board = text_of(client.get("/k/delbrueck/?lang=en"))
    assert "Gestern Rasen mähen" not in board and "Heute Laub harken" in board
    assert "past dated postings off the board: 0" in _daily(app, now)


def test_reminders_go_with_the_posting(app, delbrueck):
    now = utcnow()
    erna = make_user(delbrueck)
    posting = make_posting(erna, expires_at=now + timedelta(days=1))
    db.session.commit()
    _daily(app, now)
    assert db.session.scalar(select(func.count(ReminderSent.id))) == 1
    db.session.delete(db.session.get(Posting, posting.id))
    db.session.commit()
    assert db.session.scalar(select(func.count(ReminderSent.id))) == 0
    assert db.session.scalar(select(func.count(OutboxEmail.id))) >= 1


def test_no_reminders_for_an_account_that_cannot_sign_in(app, delbrueck):
    now = utcnow()
    waiting = make_user(
        delbrueck,
        birth_date=date(local_today(now).year - 14, 1, 1),
        parent_email="mutter@example.org",
    )
    make_posting(waiting, expires_at=now + timedelta(days=1))
    db.session.commit()
    assert "expiry reminders: 0" in _daily(app, now)
