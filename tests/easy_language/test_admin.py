"""A Kommune's admins replace the Leichte-Sprache text and record who checked it."""

from datetime import date, timedelta

import pytest

from exchange.extensions import db
from exchange.municipalities.easy_language.models import EasyLanguagePage
from exchange.timeutil import utcnow
from tests.conftest import csrf_token, login_as, make_user, post, text_of

URL = "/k/delbrueck/admin/easy-language"
PAGE = "/k/delbrueck/leichte-sprache"
TEXT = "## Hallo\nDas ist unsere Seite.\nSie ist kurz.\n\n- eins\n- zwei"


@pytest.fixture
def admin(delbrueck):
    user = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    db.session.commit()
    return user


def _rows():
    db.session.expire_all()
    return list(db.session.scalars(db.select(EasyLanguagePage)))


def test_admin_page_shows_the_default_text_to_edit_and_a_preview(client, delbrueck, admin):
    login_as(client, admin)
    dashboard = client.get("/k/delbrueck/admin/").get_data(as_text=True)
    assert f'href="{URL}"' in dashboard
    response = client.get(URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<textarea aria-describedby="body-hint" class="kern-form-input__input"' in html
    assert "Hier ist die Nachbarschafts-Börse Delbrück in Leichter Sprache." in html
    assert '<details class="easy-language-preview">' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'name="csrf_token"' in html


def test_admin_saves_own_text_and_check_and_residents_see_them(client, delbrueck, admin):
    login_as(client, admin)
    response = post(
        client,
        URL,
        {
            "body": TEXT.replace("\n", "\r\n"),
            "checked_by": "Prüf-Gruppe",
            "checked_on": "2026-11-03",
        },
    )
    assert response.status_code == 302
    (row,) = _rows()
    assert (row.body, row.checked_by, row.checked_on) == (TEXT, "Prüf-Gruppe", date(2026, 11, 3))
    page = client.get(PAGE)
    assert '<h2 class="kern-heading-medium">Hallo</h2>' in page.get_data(as_text=True)
    assert "Das ist unsere Seite.<br>Sie ist kurz." in page.get_data(as_text=True)
    assert "Geprüft von: Prüf-Gruppe" in text_of(page)
    # The form shows what is stored.
    assert "Das ist unsere Seite." in client.get(URL).get_data(as_text=True)


def test_unchanged_default_text_stays_the_default_with_its_check(client, delbrueck, admin):
    login_as(client, admin)
    form = client.get(URL).get_data(as_text=True)
    start = form.index(">", form.index("<textarea ")) + 1
    default = form[start : form.index("</textarea>", start)]
    import html as html_module

    default = html_module.unescape(default)
    response = post(
        client, URL, {"body": default, "checked_by": "Caritas", "checked_on": "2026-10-01"}
    )
    assert response.status_code == 302
    (row,) = _rows()
    assert row.body == "" and row.checked_by == "Caritas"
    # Still the default text, now following a new name of the Kommune.
    delbrueck.name = "Delbrück (Westf.)"
    db.session.commit()
    assert "Nachbarschafts-Börse Delbrück (Westf.)" in text_of(client.get(PAGE))


@pytest.mark.parametrize(
    "data",
    [
        {"body": TEXT, "checked_by": "Prüf-Gruppe", "checked_on": ""},
        {"body": TEXT, "checked_by": "", "checked_on": "2026-11-03"},
        {"body": TEXT, "checked_by": "Prüf-Gruppe", "checked_on": "kein Datum"},
        {"body": TEXT, "checked_by": "x" * 201, "checked_on": "2026-11-03"},
        {"body": "x" * 20_001, "checked_by": "", "checked_on": ""},
        {"body": TEXT, "checked_by": "Prüf\u202egruppe", "checked_on": "2026-11-03"},
    ],
)
def test_bad_input_changes_nothing(client, delbrueck, admin, data):
    login_as(client, admin)
    response = post(client, URL, data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="error-summary"' in html and 'aria-invalid="true"' in html
    assert _rows() == []


def test_a_check_in_the_future_is_refused(client, delbrueck, admin):
    login_as(client, admin)
    tomorrow = (utcnow().date() + timedelta(days=2)).isoformat()
    response = post(client, URL, {"body": TEXT, "checked_by": "Caritas", "checked_on": tomorrow})
    assert response.status_code == 200 and 'id="error-summary"' in response.get_data(as_text=True)
    assert _rows() == []


def test_without_csrf_token_nothing_changes(client, delbrueck, admin):
    login_as(client, admin)
    response = client.post(URL, data={"body": TEXT, "checked_by": "", "checked_on": ""})
    assert response.status_code == 400
    response = client.post(
        URL, data={"body": TEXT, "checked_by": "", "checked_on": "", "csrf_token": "forged"}
    )
    assert response.status_code == 400
    assert _rows() == []


def test_another_kommunes_admin_residents_and_guests_are_kept_out(client, delbrueck, paderborn):
    other = make_user(paderborn, email="pb@example.org", role="admin", postcode="33098")
    resident = make_user(delbrueck, email="res@example.org")
    db.session.commit()
    assert client.get(URL).status_code == 302  # guests: to the login page
    login_as(client, other)
    # As on every admin page of another Kommune (admin_required): refused, nothing changes.
    assert client.get(URL).status_code == 403
    assert post(client, URL, {"body": TEXT}).status_code == 403
    assert post(client, URL + "/link", {"url": "https://v.example/x"}).status_code == 403
    assert client.get(URL + "/video/delete").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    login_as(client, resident)
    assert client.get(URL).status_code == 403
    assert _rows() == []
