"""The district/postcode fields: the same input gets the same message in every form."""

import html
import re

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from exchange.accounts.models import User
from exchange.extensions import db
from exchange.i18n import _
from exchange.postings.models import Posting
from tests.conftest import login_as, make_municipality, make_user, post
from tests.postings.steps import publish_in_steps

ANNA = {
    "display_name": "Anna Schröder",
    "email": "anna@example.org",
    "password": "Kaffee und Kuchen am Sonntag",
    "password_repeat": "Kaffee und Kuchen am Sonntag",
    "birth_date": "1948-03-02",
    "municipality": "delbrueck",
    "accepts_privacy": "y",
    "accepts_terms": "y",
}
POSTING = {
    "direction": "request",
    "kind": "zeitspende",
    "category": "shopping",
    "title": "Hilfe beim Wocheneinkauf",
    "description": "Ich suche jemanden, der mich dienstags zum Supermarkt begleitet.",
    "timing": "flexible",
}
PROXY = {
    "display_name": "Erna Schulte",
    "postal_address": "Lange Straße 3",
    "birth_year": "1944",
    "consent_on": "2026-11-02",
    "consent_method": "in_person",
    "consent_by": "Heike Amt",
}
PROFILE = {"display_name": "Erna Müller", "locale": "de"}

# (who signs in, where the form is, its other fields)
FORMS = {
    "registration": (None, "/register", ANNA),
    "profile": ("erna", "/me", PROFILE),
    "posting": ("erna", "/k/delbrueck/postings/new", POSTING),
    "proxy": ("admin", "/k/delbrueck/admin/proxies/new", PROXY),
}


@pytest.fixture
def people(delbrueck):
    """A resident and an admin of Delbrück, and another Kommune with an Ortsteil of its own."""
    other = make_municipality(
        "salzkotten", "Salzkotten", "33154", districts=[("Verne", 51.65, 8.6)]
    )
    found = {
        "erna": make_user(delbrueck),
        "admin": make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin"),
        "foreign_district": str(other.districts[0].id),
    }
    db.session.commit()
    return found


def expected(app, case: str) -> dict:
    """The one message (in German, the default) each case must get, by field."""
    with app.test_request_context(), force_locale("de"):
        return {
            "nothing": {"postcode": _("Choose the district or enter a postcode.")},
            "postcode of another Kommune": {
                "postcode": _(
                    "The postcode %(plz)s does not belong to %(name)s.",
                    plz="10115",
                    name="Delbrück",
                )
            },
            "six digits": {
                "postcode": _(
                    "The postcode %(plz)s does not belong to %(name)s.",
                    plz="331299",
                    name="Delbrück",
                )
            },
            "district of another Kommune": {
                "district": _("Choose a district of %(name)s.", name="Delbrück")
            },
            "no district id": {"district": _("Choose a district of %(name)s.", name="Delbrück")},
        }[case]


CASES = {
    "nothing": {"district": "", "postcode": ""},
    "postcode of another Kommune": {"district": "", "postcode": "10115"},
    "six digits": {"district": "", "postcode": "331299"},
    "district of another Kommune": {"district": "FOREIGN", "postcode": ""},
    "no district id": {"district": "Westenholz", "postcode": ""},
}


def location_errors(response) -> dict:
    """The error summary's messages for the district and postcode fields."""
    page = response.get_data(as_text=True)
    found = re.findall(r'<a class="kern-link" href="#(district|postcode)">([^<]*)</a>', page)
    return {field: html.unescape(message) for field, message in found}


def submit(client, people, form: str, case: str):
    who, url, fields = FORMS[form]
    if who:
        login_as(client, people[who])
    place = {k: v.replace("FOREIGN", people["foreign_district"]) for k, v in CASES[case].items()}
    if form == "posting":  # the place is asked in the "where" step
        return publish_in_steps(client, url, fields | place)
    return post(client, url, fields | place)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("form", FORMS)
def test_same_place_input_gets_the_same_message_in_every_form(app, client, people, form, case):
    users_before = db.session.scalar(select(func.count(User.id)))
    response = submit(client, people, form, case)
    assert response.status_code == 200
    assert location_errors(response) == expected(app, case)
    assert db.session.scalar(select(func.count(User.id))) == users_before
    assert db.session.scalar(select(func.count(Posting.id))) == 0


def test_a_kommune_without_districts_asks_only_for_the_postcode(app, client):
    paderborn = make_municipality("paderborn", "Paderborn", "33098,33100")
    resident = make_user(paderborn)
    db.session.commit()
    login_as(client, resident)
    response = publish_in_steps(
        client, "/k/paderborn/postings/new", POSTING | {"district": "", "postcode": ""}
    )
    with app.test_request_context(), force_locale("de"):
        assert location_errors(response) == {"postcode": _("Enter a postcode.")}
