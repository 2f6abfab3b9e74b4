"""Registration: who may join, what is stored, what is refused."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from exchange.accounts.models import User
from exchange.accounts.passwords import verify_password
from exchange.extensions import db
from tests.conftest import link_in_mail, make_user, post, text_of


def sent(response, email="anna@example.org") -> bool:
    """The "we have sent you an e-mail" answer (no form errors, the address named)."""
    html = response.get_data(as_text=True)
    return response.status_code == 200 and 'id="error-summary"' not in html and email in html


def years_ago(years: int, days: int = 0) -> str:
    today = date.today()
    born = date(today.year - years, today.month, min(today.day, 28))
    return date.fromordinal(born.toordinal() - days).isoformat()


def form(**overrides):
    data = {
        "display_name": "Anna Schröder",
        "email": "Anna@Example.org",
        "password": "Kaffee und Kuchen am Sonntag",
        "password_repeat": "Kaffee und Kuchen am Sonntag",
        "birth_date": "1948-03-02",
        "municipality": "delbrueck",
        "district": "",
        "postcode": "33129",
        "phone": "",
        "accepts_privacy": "y",
        "accepts_terms": "y",
    }
    data.update(overrides)
    return data


def users() -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_register_with_district_stores_centroid_and_confirms_by_mail(client, delbrueck, mailbox):
    westenholz = delbrueck.districts[1]
    response = post(client, "/register", form(district=str(westenholz.id), postcode=""))
    assert response.status_code == 200
    user = db.session.scalar(select(User))
    assert user.email == "anna@example.org"
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "Kaffee und Kuchen am Sonntag")
    assert (user.latitude, user.longitude) == (westenholz.latitude, westenholz.longitude)
    assert user.locale == "de"
    assert user.is_email_confirmed is False
    # Not signed in by registering: the answer must not depend on whether the address was new.
    assert "Abmelden" not in text_of(client.get("/k/delbrueck/"))
    confirmed = client.get(link_in_mail(mailbox, "anna@example.org"))
    assert confirmed.status_code == 302 and "/login" in confirmed.headers["Location"]
    db.session.expire_all()
    assert db.session.get(User, user.id).is_email_confirmed
    response = post(
        client, "/login", {"email": "anna@example.org", "password": "Kaffee und Kuchen am Sonntag"}
    )
    assert response.status_code == 302
    assert "Abmelden" in text_of(client.get("/k/delbrueck/"))


def test_register_with_postcode_of_the_kommune(client, paderborn):
    response = post(client, "/register", form(municipality="paderborn", postcode="33100"))
    assert sent(response)
    assert db.session.scalar(select(User.postcode)) == "33100"


def test_postcode_of_another_kommune_is_refused(client, delbrueck):
    response = post(client, "/register", form(postcode="33100"))
    assert response.status_code == 200 and 'href="#postcode"' in response.get_data(True)
    assert users() == 0


def test_district_of_another_kommune_is_refused(client, delbrueck, paderborn):
    response = post(
        client, "/register", form(municipality="paderborn", district=str(delbrueck.districts[0].id))
    )
    assert response.status_code == 200 and 'href="#district"' in response.get_data(True)
    assert users() == 0


def test_under_13_is_refused_kindly(client, delbrueck):
    response = post(
        client,
        "/register",
        form(birth_date=years_ago(12), parent_email="mutter@example.org"),
    )
    page = text_of(response)
    assert response.status_code == 200 and 'href="#birth_date"' in page
    assert "13" in page
    assert users() == 0


def test_under_16_needs_parental_consent(client, delbrueck):
    # The self-ticked box is replaced by a parent's e-mail address that must confirm by link
    # (tests/accounts/test_parent_confirmation.py): the consent flag is set on confirmation.
    response = post(client, "/register", form(birth_date=years_ago(14)))
    assert 'href="#parent_email"' in response.get_data(True)
    assert users() == 0
    response = post(
        client, "/register", form(birth_date=years_ago(14), parent_email="mutter@example.org")
    )
    assert sent(response)
    assert db.session.scalar(select(User.parent_email)) == "mutter@example.org"
    assert db.session.scalar(select(User.has_parental_consent)) is False


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password": "kurz", "password_repeat": "kurz"}, "password"),
        ({"password": "passwort1", "password_repeat": "passwort1"}, "password"),
        ({"password": "Qwertz123", "password_repeat": "Qwertz123"}, "password"),
        ({"password_repeat": "etwas anderes"}, "password_repeat"),
        ({"email": "keine-adresse"}, "email"),
        ({"display_name": "  "}, "display_name"),
        ({"birth_date": ""}, "birth_date"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"municipality": "atlantis"}, "municipality"),
        ({"accepts_privacy": ""}, "accepts_privacy"),
        ({"accepts_terms": ""}, "accepts_terms"),
        ({"postcode": "", "district": ""}, "postcode"),
        ({"phone": "0" * 41}, "phone"),
    ],
)
def test_bad_input_is_refused_and_stores_nothing(client, delbrueck, overrides, field):
    response = post(client, "/register", form(**overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="error-summary"' in html and f'href="#{field}"' in html
    assert users() == 0


def test_long_passphrase_is_accepted(client, delbrueck):
    phrase = "ein sehr langer Satz über den Garten hinter dem Haus meiner Oma " * 2
    assert len(phrase) > 64
    response = post(client, "/register", form(password=phrase, password_repeat=phrase))
    assert response.status_code == 200 and users() == 1


def test_taken_address_gets_the_same_answer_and_its_owner_an_email(client, delbrueck, mailbox):
    make_user(delbrueck, email="anna@example.org")
    db.session.commit()
    taken = post(client, "/register", form())
    new = post(client, "/register", form(email="neu@example.org"))
    assert taken.status_code == new.status_code == 200

    def visible(response):
        # CSRF tokens are signed with a timestamp and differ once a second passes.
        html = re.sub(r'<input[^>]*name="csrf_token"[^>]*>', "", text_of(response))
        return html.replace("anna@example.org", "X").replace("neu@example.org", "X")

    assert visible(taken) == visible(new)
    assert users() == 2
    (owner_mail,) = mailbox.bodies_to("anna@example.org")
    assert "versucht" in owner_mail or "tried" in owner_mail
    assert "/login" in owner_mail and "/password/forgot" in owner_mail
    assert "/confirm/" in mailbox.bodies_to("neu@example.org")[0]


def test_registration_needs_csrf(client, delbrueck):
    assert client.post("/register", data=form()).status_code == 400
    assert users() == 0


def test_registration_is_rate_limited(client, delbrueck):
    statuses = [
        post(client, "/register", form(email=f"x{i}@example.org", password="kurz")).status_code
        for i in range(8)
    ]
    assert 429 in statuses
    assert statuses[0] == 200


def test_kommune_requiring_approval_keeps_new_accounts_out(client, delbrueck, mailbox):
    delbrueck.requires_approval = True
    db.session.commit()
    response = post(client, "/register", form())
    assert response.status_code == 200
    user = db.session.scalar(select(User))
    assert user.is_approved is False
    confirmed = client.get(link_in_mail(mailbox, "anna@example.org") + "?lang=en")
    assert confirmed.status_code == 200 and "checks new accounts" in text_of(confirmed)
    # Confirmed, yet still waiting for the town hall.
    post(client, "/login", {"email": "anna@example.org", "password": form()["password"]})
    assert "Sign out" not in text_of(client.get("/k/delbrueck/?lang=en"))
