"""Terms of use and code of conduct: agreed at sign-up, agreed again when a new version comes."""

from datetime import timedelta

from sqlalchemy import func, select

from exchange.accounts.models import User
from exchange.extensions import db
from exchange.municipalities.terms import TermsVersion, current_terms_version, publish_terms
from exchange.postings.models import Posting
from exchange.timeutil import utcnow
from tests.accounts.test_registration import form
from tests.conftest import login_as, make_proxy, make_user, post, text_of

ACCEPT = "/k/delbrueck/terms/accept"


def _publish_v2(municipality, admin=None):
    row = publish_terms(
        municipality,
        terms_text="Neue Nutzungsbedingungen: Version zwei.",
        conduct_text="Neue Verhaltensregeln: freundlich bleiben.",
        published_by_id=admin.id if admin else None,
    )
    db.session.commit()
    return row


def _user(email):
    return db.session.scalar(select(User).where(User.email == email))


def test_register_without_agreeing_to_the_terms_fails_and_stores_nothing(client, delbrueck):
    response = post(client, "/register", form(accepts_terms=""))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="error-summary"' in html and 'href="#accepts_terms"' in html
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_register_form_links_to_the_chosen_kommunes_terms_and_conduct(client, delbrueck):
    html = client.get("/register?k=delbrueck").get_data(as_text=True)
    assert 'id="accepts_terms"' in html
    assert 'href="/k/delbrueck/terms"' in html and 'href="/k/delbrueck/conduct"' in html
    # Before a Kommune is chosen: the platform's page, which lists every Kommune's own.
    html = client.get("/register").get_data(as_text=True)
    assert 'href="/terms"' in html and 'href="/conduct"' in html


def test_register_stores_the_accepted_version_and_time(client, delbrueck):
    before = utcnow()
    response = post(client, "/register", form())
    assert response.status_code == 200
    user = _user("anna@example.org")
    assert user.accepted_terms_version == 1
    assert before - timedelta(seconds=1) <= user.terms_accepted_at <= utcnow()
    assert user.terms_accepted_at.utcoffset() == timedelta(0)


def test_register_after_a_new_version_stores_that_version(client, delbrueck):
    _publish_v2(delbrueck)
    post(client, "/register", form())
    assert _user("anna@example.org").accepted_terms_version == 2


def test_a_new_version_sends_a_signed_in_resident_to_the_accept_page(client, delbrueck):
    erna = make_user(delbrueck)
    db.session.commit()
    login_as(client, erna)
    assert client.get("/k/delbrueck/").status_code == 200

    _publish_v2(delbrueck)
    response = client.get("/k/delbrueck/?kind=zeitspende")
    assert response.status_code == 303
    assert response.headers["Location"].startswith(ACCEPT + "?next=")
    page = text_of(client.get(response.headers["Location"]))
    assert "Neue Nutzungsbedingungen: Version zwei." in page
    assert "Neue Verhaltensregeln: freundlich bleiben." in page

    # Until she agrees she cannot post (nor answer or write: every other page sends her here).
    before = db.session.scalar(select(func.count(Posting.id)))
    response = post(client, "/k/delbrueck/postings/new", {"title": "Hilfe"})
    assert response.status_code == 303 and response.headers["Location"].startswith(ACCEPT)
    assert db.session.scalar(select(func.count(Posting.id))) == before

    # Without the tick nothing changes.
    response = post(client, ACCEPT, {"version": "2"})
    assert response.status_code == 200 and 'href="#accepts"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, erna.id).accepted_terms_version == 1

    response = post(
        client, ACCEPT + "?next=/k/delbrueck/%3Fkind%3Dzeitspende", {"accepts": "y", "version": "2"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/k/delbrueck/?kind=zeitspende"
    db.session.expire_all()
    user = db.session.get(User, erna.id)
    assert user.accepted_terms_version == 2 and user.terms_accepted_at is not None
    assert client.get("/k/delbrueck/").status_code == 200
    # Agreed: the page sends her on.
    assert client.get(ACCEPT).status_code == 302


def test_an_account_older_than_the_terms_agrees_at_its_next_sign_in(client, delbrueck):
    old = make_user(delbrueck, accepted_terms_version=0)
    db.session.commit()
    response = login_as(client, old)
    board = response.headers["Location"]
    response = client.get(board)
    assert response.status_code == 303 and response.headers["Location"].startswith(ACCEPT)
    assert client.get(ACCEPT).status_code == 200
    response = post(client, ACCEPT, {"accepts": "y", "version": "1"})
    assert response.status_code == 302 and response.headers["Location"] == "/k/delbrueck/"
    db.session.expire_all()
    assert db.session.get(User, old.id).accepted_terms_version == 1


def test_agreeing_to_a_version_that_was_replaced_meanwhile_is_refused(client, delbrueck):
    erna = make_user(delbrueck)
    db.session.commit()
    login_as(client, erna)
    _publish_v2(delbrueck)
    response = post(client, ACCEPT, {"accepts": "y", "version": "1"})
    assert response.status_code == 200 and 'id="error-summary"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, erna.id).accepted_terms_version == 1


def test_legal_pages_language_and_sign_out_stay_open_before_agreeing(client, delbrueck):
    erna = make_user(delbrueck, accepted_terms_version=0)
    db.session.commit()
    login_as(client, erna)
    for path in (
        "/k/delbrueck/imprint",
        "/k/delbrueck/privacy",
        "/k/delbrueck/terms",
        "/k/delbrueck/conduct",
        "/k/delbrueck/accessibility",
        "/imprint",
        "/terms",
        "/me/delete",
    ):
        assert client.get(path).status_code == 200, path
    for path in ("/me", "/me/postings", "/me/messages/", "/k/delbrueck/postings/new"):
        assert client.get(path).status_code == 303, path
    response = post(client, "/language", {"lang": "en", "next": "/k/delbrueck/"})
    assert response.status_code == 302
    response = post(client, "/logout")
    assert response.status_code == 302
    assert client.get("/k/delbrueck/").status_code == 200  # a guest again


def test_admins_and_an_admin_acting_for_a_proxy_are_not_stopped(client, delbrueck):
    admin = make_user(
        delbrueck, email="amt@example.org", name="Heike Amt", role="admin", accepted_terms_version=0
    )
    proxy = make_proxy(delbrueck, accepted_terms_version=0)
    db.session.commit()
    _publish_v2(delbrueck, admin)
    login_as(client, admin)
    assert client.get("/k/delbrueck/admin/").status_code == 200
    assert client.get("/k/delbrueck/").status_code == 200
    post(client, f"/k/delbrueck/admin/proxies/{proxy.id}/act")
    assert client.get("/me/postings").status_code == 200
    # Writing a posting for her: the entry opens a draft's first step, not the terms.
    entry = client.get("/k/delbrueck/postings/new")
    assert "/k/delbrueck/postings/drafts/" in entry.headers["Location"]
    assert client.get(entry.headers["Location"]).status_code == 200


def test_a_proxy_registered_by_the_town_hall_has_agreed_to_the_current_version(client, delbrueck):
    from exchange.admin.proxies.services import create_proxy

    admin = make_user(delbrueck, email="amt@example.org", name="Heike Amt", role="admin")
    _publish_v2(delbrueck, admin)
    proxy = create_proxy(
        admin,
        delbrueck,
        {
            "display_name": "Gertrud Schäfer",
            "phone": "05250 1234",
            "postal_address": "Lange Straße 3\n33129 Delbrück",
            "birth_year": 1941,
            "contact_times": "",
            "consent_on": utcnow().date(),
            "consent_method": "in_person",
            "consent_by": "Heike Amt",
            "district_id": None,
            "postcode": "33129",
        },
    )
    assert proxy.accepted_terms_version == 2 and proxy.terms_accepted_at is not None


def test_the_accept_page_of_another_kommune_is_404(client, delbrueck, paderborn):
    erna = make_user(delbrueck, accepted_terms_version=0)
    db.session.commit()
    login_as(client, erna)
    assert client.get("/k/paderborn/terms/accept").status_code == 404


def test_versions_count_per_kommune(app, delbrueck, paderborn):
    _publish_v2(delbrueck)
    assert current_terms_version(delbrueck.id) == 2
    assert current_terms_version(paderborn.id) == 1
    assert db.session.scalar(select(func.count(TermsVersion.id))) == 1
