"""/me/einwilligung: a minor's consent status and the parents' form as a PDF (German only)."""

from datetime import UTC, date, datetime, time

import pytest
from flask_babel import force_locale

from exchange.accounts.models import User
from exchange.accounts.passwords import hash_password
from exchange.extensions import db
from exchange.youth.explain import hours_text
from exchange.youth.models import ParentalConsent, YouthPolicy
from tests.admin.test_letters_pdf import read_pdf
from tests.conftest import PASSWORD, login_as, make_user, text_of


def years_ago(years: int, today: date | None = None) -> date:
    """A birth date that makes someone `years` old today (born on 1 January, or today)."""
    today = today or date.today()
    return date(today.year - years, 1, 1)


@pytest.fixture
def kommune(delbrueck):
    delbrueck.state = "NW"
    delbrueck.postal_address = "Stadt Delbrück – Bürgerbüro\nMarktstraße 6\n33129 Delbrück"
    delbrueck.phone = "05250 996-0"
    delbrueck.office_hours = "Mo–Fr 8:30–12:30 Uhr"
    db.session.commit()
    return delbrueck


@pytest.fixture
def lena(kommune):
    user = make_user(kommune, email="lena@example.org", name="Lena Vogt", birth_date=years_ago(15))
    db.session.commit()
    return user


@pytest.fixture
def admin(kommune):
    user = make_user(kommune, email="admin@example.org", name="Heike Amt", role="admin")
    db.session.commit()
    return user


def german_hours(app, minutes: int) -> str:
    """The hours as the German form words them (the lead's catalog may still lack them)."""
    with app.test_request_context(), force_locale("de"):
        return hours_text(minutes)


def test_a_minor_downloads_the_form_with_her_name_and_the_kommunes_rules(app, client, lena):
    login_as(client, lena)
    pages = read_pdf(client.get("/me/einwilligung.pdf"))
    assert all((round(p.width), round(p.height)) == (210, 297) for p in pages)
    text = " ".join(page.text for page in pages)
    assert "Lena Vogt" in text
    assert years_ago(15).strftime("%d.%m.%Y") in text
    assert "Delbrück" in text and "Marktstraße 6" in text and "05250 996-0" in text
    assert "Einwilligung" in text
    assert "höchstens " + german_hours(app, 120) in text
    assert "14 bis 17 Jahre" in text
    assert "Art. 8 DSGVO" in text and "§ 5 JArbSchG" in text
    assert "Unterschrift" in text
    assert "/k/delbrueck/taschengeld/regeln/eltern" in text


def test_the_form_is_german_whatever_the_page_language(app, client, lena):
    lena.locale = "en"
    db.session.commit()
    login_as(client, lena)
    text = " ".join(p.text for p in read_pdf(client.get("/me/einwilligung.pdf?lang=en")))
    assert "Einwilligung der Eltern" in text
    assert "Seite 1 von" in text


def test_the_form_carries_the_kommunes_own_figures(app, client, kommune, lena):
    db.session.add(
        YouthPolicy(
            municipality_id=kommune.id,
            daily_minutes=90,
            weekly_minutes=480,
            latest=time(17),
            categories_csv="garden,pets",
            recommended_pay_cents=800,
        )
    )
    db.session.commit()
    login_as(client, lena)
    text = " ".join(p.text for p in read_pdf(client.get("/me/einwilligung.pdf")))
    assert "höchstens " + german_hours(app, 90) in text
    assert "höchstens " + german_hours(app, 480) in text
    assert "17:00" in text and "8,00" in text


def test_an_arabic_name_gets_the_arabic_font(app, client, kommune):
    user = make_user(
        kommune, email="amal@example.org", name="أمل حسن", birth_date=years_ago(14), locale="ar"
    )
    db.session.commit()
    login_as(client, user)
    pages = read_pdf(client.get("/me/einwilligung.pdf"))
    assert any("Vazirmatn" in font for page in pages for font in page.fonts)
    assert any("Fira-Sans" in font for page in pages for font in page.fonts)


def test_a_guest_is_sent_to_sign_in(client, kommune):
    for path in ("/me/einwilligung", "/me/einwilligung.pdf"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_an_adult_reads_that_no_form_is_needed(client, kommune):
    adult = make_user(kommune)
    db.session.commit()
    login_as(client, adult)
    html = text_of(client.get("/me/einwilligung?lang=en"))
    assert "You do not need a consent form." in html
    assert "/me/einwilligung.pdf" not in html
    response = client.get("/me/einwilligung.pdf")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/me/einwilligung")


def test_a_minor_without_a_recorded_form_reads_what_to_do(client, lena):
    login_as(client, lena)
    response = client.get("/me/einwilligung?lang=en")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = text_of(response)
    assert "The town hall has not recorded a consent form yet." in html
    assert "What to do" in html
    assert 'href="/me/einwilligung.pdf"' in html
    assert "05250 996-0" in html
    assert 'href="/k/delbrueck/taschengeld/regeln/eltern"' in html


def test_a_recorded_form_shows_its_date(client, kommune, lena, admin):
    db.session.add(
        ParentalConsent(
            municipality_id=kommune.id,
            user_id=lena.id,
            signed_on=date(2026, 11, 2),
            signed_by="Petra Vogt",
            taken_by="Heike Amt",
            recorded_by_id=admin.id,
            recorded_at=datetime(2026, 11, 3, 10, 0, tzinfo=UTC),
        )
    )
    db.session.commit()
    login_as(client, lena)
    html = text_of(client.get("/me/einwilligung?lang=en"))
    assert "The town hall recorded your consent form on Nov 3, 2026." in html
    assert "What to do" not in html


def test_a_withdrawn_form_says_so(client, kommune, lena, admin):
    db.session.add(
        ParentalConsent(
            municipality_id=kommune.id,
            user_id=lena.id,
            signed_on=date(2026, 11, 2),
            signed_by="Petra Vogt",
            taken_by="Heike Amt",
            recorded_by_id=admin.id,
            withdrawn_on=date(2026, 11, 20),
        )
    )
    db.session.commit()
    login_as(client, lena)
    html = text_of(client.get("/me/einwilligung?lang=en"))
    assert "Your parents withdrew their consent on Nov 20, 2026." in html
    assert "What to do" in html


def test_the_profile_links_the_form_for_minors_only(app, client, kommune, lena):
    adult = make_user(kommune, email="petra@example.org", name="Petra")
    db.session.commit()
    login_as(client, lena)
    assert 'href="/me/einwilligung"' in text_of(client.get("/me?lang=en"))
    other = app.test_client()
    login_as(other, adult)
    assert 'href="/me/einwilligung"' not in text_of(other.get("/me?lang=en"))


def test_the_operator_without_a_kommune_needs_no_form(app, client, kommune):
    operator = User(
        email="operator@example.org",
        password_hash=hash_password(PASSWORD),
        display_name="Olga Operator",
        role="superadmin",
        accepted_terms_version=1,
    )
    db.session.add(operator)
    db.session.commit()
    login_as(client, operator)
    assert "You do not need a consent form." in text_of(client.get("/me/einwilligung?lang=en"))
    assert client.get("/me/einwilligung.pdf").status_code == 404
