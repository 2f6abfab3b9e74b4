"""The password policy: zxcvbn score ≥ 3 with the person's own words, plus the German deny-list."""

import pytest
from sqlalchemy import func, select

from exchange import demo
from exchange.accounts.models import User
from exchange.accounts.passwords import password_message, password_problem, verify_password
from exchange.accounts.services import activate_proxy
from exchange.admin.proxies.services import issue_activation_code
from exchange.errors import ExchangeError
from exchange.extensions import db
from tests.accounts.test_registration import form
from tests.conftest import (
    PASSWORD,
    link_in_mail,
    login_as,
    make_municipality,
    make_proxy,
    make_user,
    post,
    text_of,
)

# zxcvbn's own English feedback must never reach the user: we explain in our own sentences.
ZXCVBN_ENGLISH = (
    "This is a very common password",
    'Sequences like "abc"',
    'Repeats like "aaa"',
    "Add another word",
)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("qwertzuiop", "too_common"),
        ("Password!", "too_common"),
        ("abcdefgh", "sequence"),
        ("polpol12", "repeat"),
        ("Delbrueck2026", "like_name"),
        ("delbrück2026", "like_name"),
        ("Westenholz1!", "like_name"),
        ("Schroeder1948", "like_name"),
        ("Delbrueck-Westenholz", "like_name"),
        ("Anna-Schroeder-Hagen", "like_name"),
        ("anna.schroeder", "like_name"),
        ("asdfghjkl", "too_common"),
        ("Sommer2024", "too_common"),
    ],
)
def test_weak_passwords_are_refused_in_plain_words(client, delbrueck, password, reason):
    context = {"email": "anna.schroeder@example.org", "name": "Anna Schröder"}
    assert password_problem(password, municipality=delbrueck, **context) == reason
    data = form(password=password, password_repeat=password, **context)
    data["display_name"] = data.pop("name")
    response = post(client, "/register", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'href="#password"' in html
    assert not any(english in html for english in ZXCVBN_ENGLISH)
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_the_reason_names_what_makes_it_guessable(app, delbrueck):
    context = {"email": "anna@example.org", "name": "Anna Schröder", "municipality": delbrueck}
    assert password_problem("Delbrueck2026", **context) == "like_name"
    assert password_problem("abcdefgh", **context) == "sequence"
    assert password_problem("polpol12", **context) == "repeat"
    assert password_problem("qwertzuiop", **context) == "too_common"
    assert password_problem("kurz", **context) == "too_short"
    with app.test_request_context():
        message = password_message("like_name")
    assert "Kommune" in message and "Tipp:" in message


def test_the_kommune_and_its_districts_are_context_transliterated(app):
    paderborn = make_municipality("paderborn", "Paderborn", "33098")
    koeln = make_municipality("koeln", "Köln", "50667", districts=[("Südstadt", 50.92, 6.96)])
    assert password_problem("Paderborn2026!", municipality=paderborn) == "like_name"
    assert password_problem("Paderborn2026!", municipality=koeln) is None
    assert password_problem("Suedstadt2026", municipality=koeln) == "like_name"
    assert password_problem("Koeln-1234", municipality=koeln) == "like_name"


def test_test_and_demo_passwords_pass(app, delbrueck, paderborn):
    assert password_problem(PASSWORD, email="erna@example.org", name="Erna Müller") is None
    for _key, name, email, password, slug, *_rest in demo.ACCOUNTS:
        municipality = delbrueck if slug == "delbrueck" else paderborn
        assert password_problem(password, email=email, name=name, municipality=municipality) is None


def test_change_reset_and_activation_apply_the_policy(client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    login_as(client, user)
    weak = "Delbrueck2026"
    response = post(
        client,
        "/me/password",
        {"current_password": PASSWORD, "password": weak, "password_repeat": weak},
    )
    assert response.status_code == 200 and 'href="#password"' in response.get_data(True)
    assert "Tipp" in text_of(response) or "Tip" in text_of(response)


def test_reset_applies_the_policy_with_the_users_words(client, delbrueck, mailbox):
    user = make_user(delbrueck, name="Erna Müller")
    db.session.commit()
    post(client, "/password/forgot", {"email": user.email})
    link = link_in_mail(mailbox, user.email, "/password/reset/")
    weak = "Mueller2026!"
    response = post(client, link, {"password": weak, "password_repeat": weak})
    assert response.status_code == 200 and 'href="#password"' in response.get_data(True)
    db.session.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)


def test_activation_applies_the_policy(app, delbrueck):
    admin = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    proxy = make_proxy(delbrueck, name="Gertrud Schäfer")
    code, _expires = issue_activation_code(admin, proxy)
    db.session.commit()
    with app.test_request_context(), pytest.raises(ExchangeError) as refused:
        activate_proxy(code, "enkelin@example.org", "Gertrud-Schaefer")
    assert refused.value.field == "password"
