"""The start page in Leichte Sprache: the Kommune's name, its Börsen, the town hall's phone, the
header link on every page, and the admins' own text shown safely."""

from datetime import date

import pytest

from exchange.extensions import db
from exchange.municipalities.easy_language.models import EasyLanguagePage
from tests.conftest import login_as, make_user, text_of

URL = "/k/delbrueck/leichte-sprache"


@pytest.fixture
def kommune(delbrueck):
    delbrueck.phone = "05250 996-0"
    delbrueck.office_hours = "Mo bis Fr 8:30 bis 12:30 Uhr"
    delbrueck.enabled_kinds_csv = "taschengeld,zeitspende"
    db.session.commit()
    return delbrueck


def test_default_page_names_the_kommune_its_boersen_and_the_town_halls_phone(client, kommune):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    body = text_of(response)
    assert '<div class="easy-language" lang="de" dir="ltr">' in html
    assert "Nachbarschafts-Börse Delbrück" in body
    # Only the Börsen the Kommune offers.
    assert "Taschen-Geld-Börse" in body and "Zeit-Spende" in body
    assert "Tausch-Börse" not in body and "Ehren-Amt" not in body
    assert '<a class="kern-link" href="tel:+4952509960">05250 996-0</a>' in html
    assert "Mo bis Fr 8:30 bis 12:30 Uhr" in body
    assert 'href="/k/delbrueck/accessibility"' in html
    assert 'href="/register?k=delbrueck"' in html
    assert "Geprüft von" not in body


def test_page_stays_german_in_other_languages(client, kommune):
    response = client.get(URL + "?lang=ar")
    html = response.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert '<div class="easy-language" lang="de" dir="ltr">' in html
    assert "Was ist die Nachbarschafts-Börse?" in html


def test_unknown_kommune_is_404(client, kommune):
    assert client.get("/k/nowhere/leichte-sprache").status_code == 404


def test_header_links_to_the_page_on_kommune_and_platform_pages(client, kommune, paderborn):
    link = '<a class="kern-link" href="/k/delbrueck/leichte-sprache" hreflang="de" lang="de">'
    for path in ("/k/delbrueck/", "/k/delbrueck/imprint", "/k/delbrueck/accessibility", URL):
        assert link in client.get(path).get_data(as_text=True), path
    assert 'href="/k/paderborn/leichte-sprache"' in client.get("/k/paderborn/imprint").get_data(
        as_text=True
    )
    # Without a Kommune: the platform's page, which exists and lists every Kommune's page.
    html = client.get("/login").get_data(as_text=True)
    assert '<a class="kern-link" href="/leichte-sprache" hreflang="de" lang="de">' in html
    platform = client.get("/leichte-sprache")
    assert platform.status_code == 200
    assert 'href="/k/delbrueck/leichte-sprache"' in platform.get_data(as_text=True)
    assert 'href="/k/paderborn/leichte-sprache"' in platform.get_data(as_text=True)


def test_signed_in_header_links_to_the_home_kommunes_page(client, kommune):
    user = make_user(kommune)
    db.session.commit()
    login_as(client, user)
    html = client.get("/me").get_data(as_text=True)
    assert 'href="/k/delbrueck/leichte-sprache" hreflang="de" lang="de"' in html


def test_own_text_is_shown_escaped_with_who_checked_it(client, kommune):
    db.session.add(
        EasyLanguagePage(
            municipality_id=kommune.id,
            body="## Willkommen\n<script>alert(1)</script>\n\n- [Übersicht](/k/delbrueck/)\n"
            "- [böse](javascript:alert(2))",
            checked_by="Prüf-Gruppe <b>Leichte</b> Sprache",
            checked_on=date(2026, 11, 3),
        )
    )
    db.session.commit()
    response = client.get(URL)
    html = response.get_data(as_text=True)
    assert '<h2 class="kern-heading-medium">Willkommen</h2>' in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<li><a class="kern-link" href="/k/delbrueck/">Übersicht</a></li>' in html
    assert 'href="javascript:' not in html
    assert "[böse](javascript:alert(2))" in html
    assert "Geprüft von: Prüf-Gruppe &lt;b&gt;Leichte&lt;/b&gt; Sprache" in html
    assert "Datum: 3. November 2026" in html
    # The default text is replaced.
    assert "Was ist die Nachbarschafts-Börse?" not in html


def test_video_link_is_a_plain_link_never_an_embed(client, kommune):
    db.session.add(
        EasyLanguagePage(municipality_id=kommune.id, video_url="https://video.example/dgs/1")
    )
    db.session.commit()
    html = client.get(URL).get_data(as_text=True)
    assert (
        '<a class="kern-link" href="https://video.example/dgs/1">'
        "Video in Gebärden-Sprache ansehen</a>" in html
    )
    assert "<iframe" not in html and "<video" not in html


def test_demo_delbrueck_has_a_checked_text_and_no_video(app, client):
    from exchange.demo import seed_demo

    seed_demo()
    db.session.commit()
    seed_demo()  # twice: still one row, as it was
    db.session.commit()
    (row,) = db.session.scalars(db.select(EasyLanguagePage))
    assert row.body == "" and row.video_file == "" and row.video_url == ""
    body = text_of(client.get(URL))
    assert "Geprüft von: Prüf-Gruppe Leichte Sprache, Caritas Paderborn" in body
    assert "Datum: " in body and "Gebärden-Sprache ansehen" not in body
    assert "Nachbarschafts-Börse Delbrück" in body
