"""The Taschengeldbörse's rules pages: public, per Kommune, with the Kommune's own figures."""

from datetime import date, time

import pytest

from exchange.extensions import db
from exchange.youth.models import YouthPolicy
from tests.conftest import login_as, make_user, text_of

PAGES = ("", "/jugendliche", "/eltern", "/auftraggeber")


def url(slug: str, page: str = "") -> str:
    return f"/k/{slug}/taschengeld/regeln{page}"


@pytest.fixture
def kommune(delbrueck):
    delbrueck.state = "NW"
    delbrueck.postal_address = "Stadt Delbrück – Bürgerbüro\nMarktstraße 6\n33129 Delbrück"
    delbrueck.phone = "05250 996-0"
    delbrueck.office_hours = "Mo–Fr 8:30–12:30 Uhr"
    db.session.commit()
    return delbrueck


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_each_page_is_public_and_shows_the_default_figures(app, kommune, page, lang):
    response = app.test_client().get(url("delbrueck", page), headers={"Accept-Language": lang})
    assert response.status_code == 200
    # Nothing of the visitor's in it: shared caches may keep it, like the Kommune's other pages.
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" not in response.headers
    html = text_of(response)
    assert f'lang="{lang}"' in html
    # The default policy: 14 to 17 years, 08:00 to 18:00, school days from 14:00.
    for figure in ("14", "17", "08:00", "18:00", "14:00"):
        assert figure in html
    # The law, one line each.
    for law in ("JArbSchG §5", "JArbSchG §§8, 14, 17", "KindArbSchV §2", "DSGVO Art. 8"):
        assert law in html


def test_the_english_pages_say_what_the_default_policy_allows(client, kommune):
    html = text_of(client.get(url("delbrueck", "/jugendliche") + "?lang=en"))
    assert "At most 2 hours." in html
    assert "At most 10 hours." in html
    assert "Between 08:00 and 18:00." in html
    assert "At least €5.00 per hour" in html
    assert "The public holidays of North Rhine-Westphalia count." in html
    assert "Garden" in html and "Repairs &amp; crafts" not in html
    # How to hand in the form: the town hall's own contact.
    assert "05250 996-0" in html and "Marktstraße 6" in html
    assert "No loads over 7.5 kg." in html
    assert "only as “Young person”" in html


def test_the_pages_show_the_kommunes_own_figures(client, kommune):
    db.session.add(
        YouthPolicy(
            municipality_id=kommune.id,
            min_age=13,
            max_age=17,
            daily_minutes=90,
            weekly_minutes=480,
            earliest=time(9),
            latest=time(17, 30),
            school_day_start=time(15),
            categories_csv="garden,pets",
            recommended_pay_cents=800,
            insurance_notice="Versichert über die Haftpflicht der Eltern.",
        )
    )
    db.session.commit()
    for page in PAGES:
        html = text_of(client.get(url("delbrueck", page) + "?lang=en"))
        assert "13 to 17 years" in html, page
        assert "At most 1.5 hours." in html, page
        assert "At most 8 hours." in html, page
        assert "Between 09:00 and 17:30." in html, page
        assert "15:00" in html, page
        assert "€8.00" in html, page
        assert "Pets" in html and "Household" not in html, page
    young = text_of(client.get(url("delbrueck", "/jugendliche") + "?lang=en"))
    assert "Versichert über die Haftpflicht der Eltern." in young


def test_older_young_people_who_left_school_get_their_own_limits(client, kommune):
    db.session.add(
        YouthPolicy(
            municipality_id=kommune.id,
            daily_minutes=240,
            weekly_minutes=600,
            latest=time(19),
            categories_csv="garden",
        )
    )
    db.session.commit()
    html = text_of(client.get(url("delbrueck", "/eltern") + "?lang=en"))
    # Children and pupils keep the law's 2 hours and 18:00, whatever the Kommune set.
    assert "Under-15s and pupils: at most 2 hours." in html
    assert "From 15 and no longer at school full-time: at most 4 hours." in html
    assert "Under-15s and pupils: between 08:00 and 18:00." in html
    assert "between 08:00 and 19:00." in html


def test_the_pages_link_each_other(client, kommune):
    html = text_of(client.get(url("delbrueck") + "?lang=en"))
    for page in PAGES[1:]:
        assert f'href="{url("delbrueck", page)}"' in html
    young = text_of(client.get(url("delbrueck", "/jugendliche") + "?lang=en"))
    assert 'aria-current="page"' in young
    assert f'href="{url("delbrueck", "/eltern")}"' in young


def test_each_kommune_has_its_own_pages(client, kommune, paderborn):
    db.session.add(YouthPolicy(municipality_id=paderborn.id, max_age=16, categories_csv="garden"))
    db.session.commit()
    assert "14 to 16 years" in text_of(client.get(url("paderborn") + "?lang=en"))
    assert "14 to 17 years" in text_of(client.get(url("delbrueck") + "?lang=en"))


@pytest.mark.parametrize("page", PAGES)
def test_an_unknown_kommune_is_404(client, kommune, page):
    assert client.get(url("nowhere", page)).status_code == 404


@pytest.mark.parametrize("lang", ["de", "en", "fr", "ar", "fa"])
def test_every_language_and_right_to_left(client, kommune, lang):
    for page in PAGES:
        response = client.get(url("delbrueck", page) + f"?lang={lang}")
        assert response.status_code == 200
        html = text_of(response)
        direction = "rtl" if lang in ("ar", "fa") else "ltr"
        assert f'<html lang="{lang}" dir="{direction}"' in html


def test_signed_in_pages_are_private_and_link_the_consent_form(client, kommune):
    jonas = make_user(kommune, email="jonas@example.org", name="Jonas", birth_date=_years_ago(15))
    db.session.commit()
    login_as(client, jonas)
    response = client.get(url("delbrueck", "/jugendliche") + "?lang=en")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert 'href="/me/einwilligung"' in text_of(response)


def test_the_board_intro_links_the_rules(client, kommune):
    html = text_of(client.get("/k/delbrueck/?lang=en"))
    assert f'href="{url("delbrueck")}"' in html
    kommune.enabled_kinds_csv = "zeitspende"
    db.session.commit()
    assert f'href="{url("delbrueck")}"' not in text_of(client.get("/k/delbrueck/?lang=en"))


def _years_ago(years: int) -> date:
    """Born on 1 January: `years` old all year."""
    return date(date.today().year - years, 1, 1)
