"""A Kommune's admins edit its facts; residents see phone and office hours on the contact page."""

import pytest

from exchange.extensions import db
from exchange.municipalities.models import tel_uri
from tests.conftest import login_as, make_user, post, text_of

URL = "/k/delbrueck/admin/settings"
GOOD = {
    "state": "NW",
    "postal_address": "Stadt Delbrück\r\nMarktstraße 6\r\n33129 Delbrück",
    "phone": "05250 996-0",
    "office_hours": "Mo–Fr 8:30–12:30 Uhr\r\nDo 14:00–17:30 Uhr",
    "contact_email": "buergerbuero@delbrueck.example",
    "signatory_name": "Heike Amt",
    "signatory_role": "Seniorenbeauftragte",
}
FACTS = tuple(GOOD)


@pytest.fixture
def admin(delbrueck):
    user = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    db.session.commit()
    return user


def _facts(municipality):
    db.session.refresh(municipality)
    return {key: getattr(municipality, key) for key in FACTS}


def test_admin_edits_the_facts_and_residents_see_them(client, delbrueck, admin):
    login_as(client, admin)
    dashboard = client.get("/k/delbrueck/admin/")
    assert f'href="{URL}"' in dashboard.get_data(as_text=True)
    form = client.get(URL)
    assert form.status_code == 200
    assert "Nordrhein-Westfalen" in text_of(form) or "North Rhine-Westphalia" in text_of(form)

    response = post(client, URL, GOOD, follow_redirects=True)
    assert response.status_code == 200
    body = text_of(response)
    assert "Delbrück" in body and 'role="status"' in response.get_data(as_text=True)
    assert "gespeichert" in body or "saved" in body
    assert _facts(delbrueck) == {
        **GOOD,
        "postal_address": "Stadt Delbrück\nMarktstraße 6\n33129 Delbrück",
        "office_hours": "Mo–Fr 8:30–12:30 Uhr\nDo 14:00–17:30 Uhr",
    }
    # The form shows what is stored.
    again = client.get(URL).get_data(as_text=True)
    assert 'value="05250 996-0"' in again and '<option selected value="NW">' in again

    imprint = client.get("/k/delbrueck/imprint").get_data(as_text=True)
    assert '<a class="kern-link" href="tel:+4952509960">05250 996-0</a>' in imprint
    assert "Do 14:00–17:30 Uhr" in imprint
    assert "Marktstraße 6" in imprint
    assert 'href="mailto:buergerbuero@delbrueck.example"' in imprint


def test_operator_may_edit_the_facts(client, delbrueck):
    operator = make_user(delbrueck, email="op@example.org", role="superadmin")
    db.session.commit()
    login_as(client, operator)
    assert post(client, URL, GOOD).status_code == 302
    assert _facts(delbrueck)["phone"] == "05250 996-0"


def test_another_kommunes_admin_cannot_see_or_change_them(client, delbrueck, paderborn):
    other = make_user(paderborn, email="pb@example.org", role="admin", postcode="33098")
    db.session.commit()
    login_as(client, other)
    assert client.get(URL).status_code == 403
    assert post(client, URL, GOOD).status_code == 403
    assert _facts(delbrueck)["phone"] == ""


def test_a_resident_gets_403(client, delbrueck):
    resident = make_user(delbrueck)
    db.session.commit()
    login_as(client, resident)
    assert client.get(URL).status_code == 403
    assert post(client, URL, GOOD).status_code == 403
    assert _facts(delbrueck)["phone"] == ""


def test_a_guest_is_sent_to_sign_in(client, delbrueck):
    response = post(client, URL, GOOD)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "05250 <b>996</b>"),
        ("phone", "ruf an"),
        ("phone", "12"),
        ("contact_email", "buergerbuero(at)delbrueck"),
        ("postal_address", "Marktstraße 6"),
        ("postal_address", "Marktstraße 6\nDelbrück"),
        ("state", "XX"),
        ("signatory_name", "H" * 121),
        ("signatory_role", "R" * 121),
        ("office_hours", "x" * 1001),
        ("postal_address", "Marktstraße 6\n" + "3" * 300 + " Delbrück"),
        ("signatory_name", "Heike \u202eAmt"),  # reorders the name shown on letters
    ],
)
def test_bad_input_changes_nothing_and_shows_errors(client, delbrueck, admin, field, value):
    login_as(client, admin)
    delbrueck.phone = "05250 1"
    db.session.commit()
    before = _facts(delbrueck)
    response = post(client, URL, GOOD | {field: value})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="error-summary"' in html
    assert f'href="#{field}"' in html  # the summary links to the field
    assert 'aria-invalid="true"' in html
    assert _facts(delbrueck) == before


def test_every_problem_shows_at_once(client, delbrueck, admin):
    login_as(client, admin)
    bad = GOOD | {"phone": "ruf an", "contact_email": "nope", "postal_address": "Markt"}
    html = post(client, URL, bad).get_data(as_text=True)
    for field in ("phone", "contact_email", "postal_address"):
        assert f'href="#{field}"' in html


def test_empty_facts_are_allowed_and_hide_the_contact_block(client, delbrueck, admin):
    login_as(client, admin)
    assert post(client, URL, dict.fromkeys(GOOD, "")).status_code == 302
    assert _facts(delbrueck) == dict.fromkeys(GOOD, "")
    imprint = client.get("/k/delbrueck/imprint").get_data(as_text=True)
    assert "tel:" not in imprint


@pytest.mark.parametrize(
    ("phone", "uri"),
    [
        ("05250 996-0", "tel:+4952509960"),
        ("+49 (0)5250 996-0", "tel:+4952509960"),
        ("0049 5250 9960", "tel:+4952509960"),
        ("(05250) 99 60", "tel:+4952509960"),
        ("", ""),
    ],
)
def test_phone_numbers_become_international_tel_links(phone, uri):
    assert tel_uri(phone) == uri


def test_demo_kommunen_have_their_facts(app):
    from exchange.demo import seed_demo
    from exchange.municipalities.tenancy import municipality_by_slug

    seed_demo()
    db.session.commit()
    delbrueck = municipality_by_slug("delbrueck")
    assert delbrueck.state == "NW" and delbrueck.phone == "05250 996-0"
    assert delbrueck.postal_address.endswith("Marktstraße 6\n33129 Delbrück")
    assert "Demo" in delbrueck.office_hours
    assert municipality_by_slug("paderborn").signatory_name
