"""Kommunen that require approval: new accounts wait until an admin lets them in."""

from sqlalchemy import select

from exchange.accounts.models import User
from exchange.extensions import db
from tests.conftest import PASSWORD, link_in_mail, login_as, make_user, post, text_of


def _register(client):
    return post(
        client,
        "/register",
        {
            "display_name": "Nina Neu",
            "email": "nina@example.org",
            "password": PASSWORD,
            "password_repeat": PASSWORD,
            "birth_date": "1980-03-04",
            "municipality": "delbrueck",
            "district": "",
            "postcode": "33129",
            "accepts_privacy": "y",
            "accepts_terms": "y",
        },
    )


def test_new_account_waits_for_approval_then_signs_in(client, delbrueck, mailbox):
    delbrueck.requires_approval = True
    admin = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    db.session.commit()
    assert _register(client).status_code == 200
    assert client.get(link_in_mail(mailbox, "nina@example.org")).status_code == 200
    refused = post(client, "/login", {"email": "nina@example.org", "password": PASSWORD})
    assert refused.status_code == 200 and client.get("/me").status_code == 302

    login_as(client, admin)
    page = text_of(client.get("/k/delbrueck/admin/approvals"))
    assert "Nina Neu" in page and "nina@example.org" in page
    nina = db.session.scalar(select(User).where(User.email == "nina@example.org"))
    assert post(client, f"/k/delbrueck/admin/approvals/{nina.id}/approve").status_code == 302
    assert "Keine Konten warten" in text_of(client.get("/k/delbrueck/admin/approvals"))
    assert any("freigegeben" in body for body in mailbox.bodies_to("nina@example.org"))
    post(client, "/logout")
    assert (
        post(client, "/login", {"email": "nina@example.org", "password": PASSWORD}).status_code
        == 302
    )


def test_declining_asks_first_and_then_removes_the_registration(client, delbrueck):
    delbrueck.requires_approval = True
    admin = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    db.session.commit()
    _register(client)
    nina_id = db.session.scalar(select(User.id).where(User.email == "nina@example.org"))
    login_as(client, admin)
    confirm = client.get(f"/k/delbrueck/admin/approvals/{nina_id}/decline")
    assert confirm.status_code == 200 and "nicht rückgängig" in text_of(confirm)
    db.session.expire_all()
    assert db.session.get(User, nina_id) is not None
    post(client, f"/k/delbrueck/admin/approvals/{nina_id}/decline")
    db.session.expire_all()
    assert db.session.get(User, nina_id) is None


def test_approved_accounts_cannot_be_declined(client, delbrueck):
    admin = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    resident = make_user(delbrueck, email="r@example.org")
    db.session.commit()
    login_as(client, admin)
    assert post(client, f"/k/delbrueck/admin/approvals/{resident.id}/decline").status_code == 404
    db.session.expire_all()
    assert db.session.get(User, resident.id) is not None
