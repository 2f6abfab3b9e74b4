"""Under 16, a parent confirms the registration by e-mail link (DSGVO Art. 8; issue 11 A.5)."""

import json
from datetime import date, timedelta

from sqlalchemy import func, select

from exchange.accounts import parents
from exchange.accounts.models import User
from exchange.extensions import db
from exchange.mail.models import OutboxEmail
from exchange.timeutil import clock_at, utcnow
from tests.accounts.test_registration import form, sent, users, years_ago
from tests.conftest import PASSWORD, link_in_mail, login_as, make_user, post, text_of

PARENT = "mutter@example.org"
CHILD = "anna@example.org"


def _register(client, age: int, **overrides):
    return post(
        client,
        "/register?lang=en",
        form(**{"birth_date": years_ago(age), "parent_email": PARENT, **overrides}),
    )


CHILD_PASSWORD = form()["password"]


def _login(client, email=CHILD):
    return post(client, "/login?lang=en", {"email": email, "password": CHILD_PASSWORD})


def _child() -> User:
    return db.session.scalar(select(User).where(User.email == CHILD))


def test_a_12_year_old_cannot_register(client, delbrueck):
    response = _register(client, 12)
    assert response.status_code == 200 and 'href="#birth_date"' in response.get_data(True)
    assert users() == 0
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 0


def test_a_14_year_old_without_a_parent_address_is_refused(client, delbrueck):
    response = post(client, "/register?lang=en", form(birth_date=years_ago(14)))
    page = text_of(response)
    assert response.status_code == 200 and 'href="#parent_email"' in page
    assert "Under 16, a parent or guardian must agree" in page
    # The young person's own address does not count as a parent's.
    response = _register(client, 14, parent_email="anna@example.org")
    assert 'href="#parent_email"' in response.get_data(True)
    assert "not your own" in text_of(response)
    assert users() == 0
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 0


def test_parent_confirms_by_link_then_the_young_person_signs_in(client, delbrueck, mailbox):
    assert sent(_register(client, 14))
    child = _child()
    assert child.parent_email == PARENT and child.awaits_parent
    # The parent's mail: who, where, what is kept, the rules for parents and the link.
    (body,) = mailbox.bodies_to(PARENT)
    assert "Anna Schröder" in body and "Delbrück" in body and str(child.birth_date.year) in body
    assert "/k/delbrueck/taschengeld/regeln/eltern" in body
    link = link_in_mail(mailbox, PARENT, "/eltern/bestaetigen/")

    # Cannot sign in yet, and is told why (with a way to mail the parent again).
    response = _login(client)
    assert response.status_code == 403
    assert "A parent must confirm first" in text_of(response)
    assert "/eltern/erneut-senden" in response.get_data(True)

    # GET (a mail scanner, or the parent reading) changes nothing.
    page = client.get(link + "?lang=en")
    assert page.status_code == 200
    text = text_of(page)
    assert "Anna Schröder" in text and "Delbrück" in text and str(child.birth_date.year) in text
    db.session.expire_all()
    assert _child().awaits_parent and _child().has_parental_consent is False

    # The POST confirms; the old consent flag follows.
    response = post(client, link + "?lang=en")
    assert response.status_code == 200 and "Thank you for your confirmation" in text_of(response)
    db.session.expire_all()
    child = _child()
    assert child.parent_confirmed_at is not None and child.has_parental_consent is True
    assert _login(client).status_code == 302
    # The link works once.
    assert client.get(link).status_code == 404


def test_resending_the_parents_mail_from_the_sign_in_page(client, delbrueck, mailbox):
    assert sent(_register(client, 15))
    response = _login(client)
    token = parents.resend_token(_child())
    assert token.split(".")[0] in response.get_data(True)
    statuses = [
        post(client, "/eltern/erneut-senden", {"token": token}).status_code for _ in range(4)
    ]
    assert statuses[:3] == [302, 302, 302] and statuses[-1] == 429
    assert len(mailbox.bodies_to(PARENT)) == 4  # the first and three more
    assert post(client, "/eltern/erneut-senden", {"token": "forged"}).status_code in (404, 429)


def test_a_16_year_old_needs_no_parent(client, delbrueck, mailbox):
    assert sent(_register(client, 16))
    child = _child()
    assert child.parent_email is None and not child.awaits_parent
    assert mailbox.bodies_to(PARENT) == []
    assert _login(client).status_code == 302


def test_declining_deletes_the_account_after_a_confirmation_step(client, delbrueck, mailbox):
    assert sent(_register(client, 14))
    link = link_in_mail(mailbox, PARENT, "/eltern/bestaetigen/")
    assert client.get(link + "/ablehnen?lang=en").status_code == 200
    assert users() == 1
    response = post(client, link + "/ablehnen?lang=en")
    assert response.status_code == 200 and "The account is deleted" in text_of(response)
    db.session.expire_all()
    assert users() == 0
    # Mail to her and to her parent went with the account.
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 0
    assert client.get(link).status_code == 404


def test_tampered_or_foreign_links_change_nothing(client, delbrueck, mailbox):
    assert sent(_register(client, 14))
    link = link_in_mail(mailbox, PARENT, "/eltern/bestaetigen/")
    tampered = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    for bad in (tampered, "/eltern/bestaetigen/not-a-token"):
        response = client.get(bad + "?lang=en")
        assert response.status_code == 404 and "This link no longer works" in text_of(response)
        assert post(client, bad).status_code == 404
        assert post(client, bad + "/ablehnen").status_code == 404
    # A token for another parent address (the address changed) no longer works.
    child = _child()
    child.parent_email = "vater@example.org"
    db.session.commit()
    assert post(client, link).status_code == 404
    db.session.expire_all()
    assert _child().awaits_parent and users() == 1


def test_daily_job_removes_unconfirmed_after_14_days_and_keeps_confirmed(app, delbrueck):
    born = date.today().replace(year=date.today().year - 14, day=1)
    waiting = make_user(delbrueck, email="wartet@example.org", birth_date=born, parent_email=PARENT)
    confirmed = make_user(
        delbrueck,
        email="darf@example.org",
        birth_date=born,
        parent_email="vater@example.org",
        parent_confirmed_at=utcnow(),
        has_parental_consent=True,
    )
    recent = make_user(delbrueck, email="neu@example.org", birth_date=born, parent_email=PARENT)
    for user in (waiting, confirmed):
        user.created_at = utcnow()
    recent.created_at = utcnow() + timedelta(days=10)
    db.session.commit()
    runner = app.test_cli_runner()
    with clock_at(utcnow() + timedelta(days=13)):
        result = runner.invoke(args=["exchange", "daily"])
    assert result.exit_code == 0, result.output
    assert "accounts without a parent's confirmation removed: 0" in result.output
    with clock_at(utcnow() + timedelta(days=15)):
        result = runner.invoke(args=["exchange", "daily"])
    assert result.exit_code == 0, result.output
    assert "accounts without a parent's confirmation removed: 1" in result.output
    db.session.rollback()
    assert set(db.session.scalars(select(User.email))) == {"darf@example.org", "neu@example.org"}


def test_parent_address_is_in_the_export(client, delbrueck):
    minor = make_user(
        delbrueck,
        birth_date=date.today().replace(year=date.today().year - 15, day=1),
        parent_email=PARENT,
        parent_confirmed_at=utcnow(),
    )
    db.session.commit()
    login_as(client, minor, PASSWORD)
    data = json.loads(client.get("/me/export").get_data(as_text=True))
    assert data["profile"]["parent_email"] == PARENT
