"""A Kommune's admins publish a new version of its terms of use and code of conduct."""

import html

import pytest
from sqlalchemy import func, select

from exchange.extensions import db
from exchange.municipalities.terms import TermsVersion, current_terms
from tests.conftest import login_as, make_user, post, text_of

URL = "/k/delbrueck/admin/terms"
NEW = {
    "terms_text": "§ 1 Die Börse vermittelt nur.\r\n\r\n§ 2 Keine Haftung.",
    "conduct_text": "Seien Sie freundlich & geduldig <bitte>.",
}


@pytest.fixture
def admin(delbrueck):
    user = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    db.session.commit()
    return user


def versions() -> int:
    return db.session.scalar(select(func.count(TermsVersion.id)))


def test_the_form_shows_the_current_default_text(client, delbrueck, admin):
    login_as(client, admin)
    assert 'href="/k/delbrueck/admin/terms"' in client.get("/k/delbrueck/admin/").get_data(
        as_text=True
    )
    response = client.get(URL)
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    with client.application.test_request_context("/?lang=de"):
        default = current_terms(delbrueck)
    assert default.version == 1 and default.is_default
    # The default text, as the admin's language shows it, is in the text areas to edit.
    assert default.conduct_text.splitlines()[0] in page


def test_checking_asks_for_confirmation_and_publishes_nothing(client, delbrueck, admin):
    login_as(client, admin)
    response = post(client, URL, {**NEW, "action": "check"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'value="publish"' in page and 'value="edit"' in page
    # The texts travel on in hidden fields, escaped.
    assert 'value="Seien Sie freundlich &amp; geduldig &lt;bitte&gt;."' in page
    assert versions() == 0
    # Back to editing keeps the texts.
    response = post(client, URL, {**NEW, "action": "edit"})
    assert "§ 2 Keine Haftung." in html.unescape(response.get_data(as_text=True))
    assert versions() == 0


def test_publishing_makes_version_two_for_everyone(client, delbrueck, admin):
    login_as(client, admin)
    response = post(client, URL, {**NEW, "action": "publish"})
    assert response.status_code == 302
    row = db.session.scalar(select(TermsVersion))
    assert row.version == 2 and row.published_by_id == admin.id
    assert row.terms_text == "§ 1 Die Börse vermittelt nur.\n\n§ 2 Keine Haftung."
    public = text_of(client.get("/k/delbrueck/terms"))
    assert "§ 1 Die Börse vermittelt nur." in public
    assert "Seien Sie freundlich &amp; geduldig &lt;bitte&gt;." in text_of(
        client.get("/k/delbrueck/conduct")
    )
    # The same texts again are not a new version.
    response = post(client, URL, {**NEW, "action": "publish"})
    assert response.status_code == 200 and 'id="error-summary"' in response.get_data(as_text=True)
    assert versions() == 1


@pytest.mark.parametrize("field", ["terms_text", "conduct_text"])
def test_an_empty_text_is_refused(client, delbrueck, admin, field):
    login_as(client, admin)
    response = post(client, URL, {**NEW, field: "  ", "action": "publish"})
    assert response.status_code == 200
    assert f'href="#{field}"' in response.get_data(as_text=True)
    assert versions() == 0


def test_another_kommunes_admin_and_a_resident_cannot_publish(client, delbrueck, paderborn):
    other = make_user(paderborn, email="pb@example.org", role="admin", postcode="33098")
    resident = make_user(delbrueck, email="res@example.org")
    db.session.commit()
    for user in (other, resident):
        login_as(client, user)
        # Refused like every admin URL of another Kommune (the admin area's matrix: 403).
        assert client.get(URL).status_code == 403
        assert post(client, URL, {**NEW, "action": "publish"}).status_code == 403
        post(client, "/logout")
    assert versions() == 0
    # Nor does publishing in Paderborn touch Delbrück.
    login_as(client, other)
    post(client, "/k/paderborn/admin/terms", {**NEW, "action": "publish"})
    assert versions() == 1
    assert current_terms(delbrueck).version == 1
