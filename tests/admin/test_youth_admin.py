"""The Kommune's admin sets the Taschengeldbörse's rules within the law, its holidays, and
records the parents' consent forms; what it stores is what the rules engine reads."""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from exchange.admin.audit.models import AuditEntry
from exchange.admin.youth.queries import years_before
from exchange.extensions import db
from exchange.youth import rules
from exchange.youth.models import LocalHoliday, ParentalConsent, SchoolHoliday, YouthPolicy
from exchange.youth.queries import helper_for, policy_for, policy_row
from tests.conftest import login_as, make_posting, make_user, post, text_of

BASE = "/k/delbrueck/admin/youth"
GOOD = {
    "min_age": "13",
    "max_age": "16",
    "daily_hours": "3",
    "weekly_hours": "12,5",
    "earliest": "09:00",
    "latest": "17:30",
    "school_day_start": "14:30",
    "categories": ["garden", "pets"],
    "recommended_pay": "6,50",
    "insurance_notice": "Bitte die Haftpflicht der Eltern prüfen.",
}


def _born(age: int, days: int = 30) -> date:
    """A birth date for someone who is age years old today (and not near a birthday)."""
    return years_before(date.today(), age) - timedelta(days=days)


@pytest.fixture
def admin(delbrueck):
    # English pages: the messages asserted below are the msgids.
    user = make_user(
        delbrueck, email="admin@example.org", name="Heike Amt", role="admin", locale="en"
    )
    db.session.commit()
    return user


@pytest.fixture
def signed_in(client, admin):
    login_as(client, admin)
    return client


@pytest.fixture
def jonas(delbrueck):
    user = make_user(delbrueck, email="jonas@example.org", name="Jonas Berg", birth_date=_born(15))
    db.session.commit()
    return user


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


# ---------------------------------------------------------------------------------- the policy


def test_policy_page_shows_the_defaults_and_explains_the_law(signed_in, delbrueck):
    response = signed_in.get(BASE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="csrf_token"' in html
    assert 'id="min_age"' in html and 'value="14"' in html
    assert 'value="08:00"' in html and 'value="18:00"' in html and 'value="14:00"' in html
    assert 'value="5,00"' in html
    # Every light-work category is ticked by default, nothing else is offered.
    for key in rules.LIGHT_WORK:
        assert f'value="{key}"' in html
    assert 'value="repairs"' not in html
    body = text_of(response)
    assert "at most 2 hours a day" in body and "never more than 8 hours" in body
    assert "from 08:00 to 18:00 anyway" in body
    # The default insurance notice is shown while the Kommune has written none.
    assert "liability insurance" in body
    assert policy_row(delbrueck) is None


def test_admin_saves_the_policy_and_the_rules_engine_reads_it(signed_in, delbrueck, admin):
    response = post(signed_in, BASE, GOOD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(BASE)
    db.session.expire_all()
    policy = policy_for(delbrueck)
    assert (policy.min_age, policy.max_age) == (13, 16)
    assert (policy.daily_minutes, policy.weekly_minutes) == (180, 750)
    assert (policy.earliest, policy.latest) == (time(9), time(17, 30))
    assert policy.school_day_start == time(14, 30)
    assert policy.categories == frozenset({"garden", "pets"})
    row = policy_row(delbrueck)
    assert row.recommended_pay_cents == 650
    assert row.insurance_notice == "Bitte die Haftpflicht der Eltern prüfen."
    assert row.updated_by_id == admin.id
    (entry,) = _entries("admin_youth.policy")
    assert entry.admin_id == admin.id and entry.municipality_id == delbrueck.id
    # The form shows what is stored.
    html = signed_in.get(BASE).get_data(as_text=True)
    assert 'value="12,5"' in html and 'value="17:30"' in html and 'value="6,50"' in html
    assert "Bitte die Haftpflicht der Eltern prüfen." in html
    # A half-hour step is fine.
    assert post(signed_in, BASE, {**GOOD, "daily_hours": "1,5"}).status_code == 302
    db.session.expire_all()
    assert policy_for(delbrueck).daily_minutes == 90


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"min_age": "12"}, "min_age", "the law allows no work under 13"),
        ({"max_age": "18"}, "max_age", "from 18, helpers are adults"),
        ({"min_age": "16", "max_age": "15"}, "max_age", "cannot be lower than the youngest"),
        ({"min_age": "vierzehn"}, "min_age", "Enter the age as a whole number"),
        ({"earliest": "05:00"}, "earliest", "06:00 at the earliest"),
        ({"latest": "21:00"}, "latest", "20:00 at the latest"),
        ({"earliest": "15:00", "latest": "14:00"}, "latest", "later than its start"),
        ({"earliest": "acht"}, "earliest", "Enter a time like 08:00."),
        ({"daily_hours": "9"}, "daily_hours", "8 hours at most"),
        ({"daily_hours": "1,25"}, "daily_hours", "whole or half hours"),
        ({"daily_hours": "zwei"}, "daily_hours", "Enter the hours as a number"),
        ({"daily_hours": "0"}, "daily_hours", "at least half an hour a day"),
        ({"weekly_hours": "41"}, "weekly_hours", "40 hours at most"),
        ({"weekly_hours": "2"}, "weekly_hours", "cannot be lower than the daily limit"),
        ({"school_day_start": "10:00"}, "school_day_start", "only work after lessons"),
        ({"categories": []}, "categories", "Choose at least one kind of job"),
        ({"categories": ["garden", "repairs"]}, "categories", "Choose from the list."),
        ({"recommended_pay": "viel"}, "recommended_pay", "Enter the pay as an amount"),
        ({"recommended_pay": "51"}, "recommended_pay", "from 0 to 50 euros"),
    ],
)
def test_values_beyond_the_law_are_refused_and_change_nothing(
    signed_in, delbrueck, changes, field, message
):
    assert post(signed_in, BASE, GOOD).status_code == 302
    db.session.expire_all()
    before = policy_for(delbrueck)
    response = post(signed_in, BASE, {**GOOD, **changes})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<title>Error:" in html
    assert 'id="error-summary"' in html and f'href="#{field}"' in html
    assert message in text_of(response)
    db.session.expire_all()
    assert policy_for(delbrueck) == before
    assert len(_entries("admin_youth.policy")) == 1


def test_the_issues_four_refusals_leave_the_defaults(signed_in, delbrueck):
    """Min age 12, a window of 05:00–21:00, 9 hours a day, no category: all refused at once."""
    bad = {
        **GOOD,
        "min_age": "12",
        "earliest": "05:00",
        "latest": "21:00",
        "daily_hours": "9",
        "categories": [],
    }
    response = post(signed_in, BASE, bad)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for field in ("min_age", "earliest", "latest", "daily_hours", "categories"):
        assert f'href="#{field}"' in html, field
    db.session.expire_all()
    assert policy_row(delbrueck) is None
    assert policy_for(delbrueck).min_age == 14


def test_the_service_refuses_what_the_form_would(delbrueck, admin):
    from exchange.admin.youth import services
    from exchange.errors import ExchangeError

    values = {
        "min_age": 14,
        "max_age": 17,
        "daily_minutes": 120,
        "weekly_minutes": 600,
        "earliest": time(8),
        "latest": time(18),
        "school_day_start": time(14),
        "categories": ["garden"],
        "recommended_pay_cents": 500,
        "insurance_notice": "",
    }
    with pytest.raises(ExchangeError) as error:
        services.save_policy(admin, delbrueck, {**values, "daily_minutes": 540})
    assert error.value.field == "daily_hours"
    assert db.session.get(YouthPolicy, delbrueck.id) is None


# -------------------------------------------------------------------------------- the holidays


def test_public_holidays_of_the_land_are_shown(signed_in, delbrueck):
    body = text_of(signed_in.get(f"{BASE}/holidays"))
    # Without a Bundesland: only Germany's, and a link to where it is set.
    assert "federal state of Delbrück is not set" in body
    assert 'href="/k/delbrueck/admin/settings"' in signed_in.get(f"{BASE}/holidays").get_data(
        as_text=True
    )
    assert "Tag der Deutschen Einheit" in body and "Fronleichnam" not in body
    delbrueck.state = "NW"
    db.session.commit()
    body = text_of(signed_in.get(f"{BASE}/holidays"))
    assert "is not set" not in body
    assert "Fronleichnam" in body and str(date.today().year + 1) in body


def test_local_holidays_are_added_listed_by_date_and_removed(signed_in, delbrueck, admin):
    delbrueck.state = "BY"
    db.session.commit()
    year = date.today().year + 1
    url = f"{BASE}/holidays/local"
    assert (
        post(
            signed_in, url, {"holiday_date": f"{year}-11-11", "holiday_name": "Martinstag"}
        ).status_code
        == 302
    )
    assert (
        post(
            signed_in, url, {"holiday_date": f"{year}-08-15", "holiday_name": "Mariä Himmelfahrt"}
        ).status_code
        == 302
    )
    body = text_of(signed_in.get(f"{BASE}/holidays")).split('id="local"')[1]
    assert body.index("Mariä Himmelfahrt") < body.index("Martinstag")
    policy = policy_for(delbrueck)
    assert rules.holiday_name(policy, date(year, 8, 15)) == ""
    # A public holiday of the Land, a day already entered, and no name are refused.
    for data, message in (
        ({"holiday_date": f"{year}-05-01", "holiday_name": "Maifeiertag"}, "already a public"),
        ({"holiday_date": f"{year}-08-15", "holiday_name": "Nochmal"}, "already entered"),
        ({"holiday_date": f"{year}-09-01", "holiday_name": "  "}, "Enter the name"),
        ({"holiday_date": "", "holiday_name": "Kirmes"}, "Enter the date"),
    ):
        response = post(signed_in, url, data)
        assert response.status_code == 200
        assert message in text_of(response)
        assert "<title>Error:" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(LocalHoliday.id))) == 2
    assert len(_entries("admin_youth.add_local_holiday")) == 2

    holiday_id = db.session.scalar(select(LocalHoliday.id).where(LocalHoliday.name == "Martinstag"))
    response = post(signed_in, f"{BASE}/holidays/local/{holiday_id}/remove")
    assert response.status_code == 302
    db.session.expire_all()
    assert [h.name for h in db.session.scalars(select(LocalHoliday))] == ["Mariä Himmelfahrt"]
    assert _entries("admin_youth.remove_local_holiday")[0].object_id == holiday_id


def test_school_holidays_are_added_and_removed(signed_in, delbrueck):
    year = date.today().year + 1
    url = f"{BASE}/holidays/school"
    body = text_of(signed_in.get(f"{BASE}/holidays"))
    assert "No school holidays entered" in body and "No local holidays entered" in body
    good = {"term_name": "Herbstferien", "first_day": f"{year}-10-12", "last_day": f"{year}-10-24"}
    assert post(signed_in, url, good).status_code == 302
    policy = policy_for(delbrueck)
    assert policy.school_holidays == ((date(year, 10, 12), date(year, 10, 24)),)
    # A Wednesday in the holidays is no school day.
    assert not rules.is_school_day(policy, date(year, 10, 14) + timedelta(days=0))
    for data, message in (
        ({**good, "first_day": f"{year}-10-20", "last_day": f"{year}-10-30"}, "overlap"),
        ({**good, "first_day": f"{year}-12-30", "last_day": f"{year}-12-20"}, "before the first"),
        ({**good, "first_day": f"{year}-01-01", "last_day": f"{year}-05-01"}, "at most 60 days"),
        ({**good, "term_name": ""}, "Enter the name of the holidays"),
    ):
        response = post(signed_in, url, data)
        assert response.status_code == 200, data
        assert message in text_of(response), data
    term_id = db.session.scalar(select(SchoolHoliday.id))
    assert post(signed_in, f"{BASE}/holidays/school/{term_id}/remove").status_code == 302
    db.session.expire_all()
    assert policy_for(delbrueck).school_holidays == ()
    assert len(_entries("admin_youth.remove_school_holiday")) == 1


# -------------------------------------------------------------------------- the consent forms


def test_recording_and_withdrawing_consent_is_what_the_rules_read(signed_in, jonas, admin):
    url = f"{BASE}/consents/{jonas.id}"
    page = signed_in.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    body = text_of(page)
    assert "Jonas Berg" in body and "15 years" in body
    assert "child or pupil" in body
    # The staff member defaults to the admin.
    assert 'value="Heike Amt"' in html
    assert helper_for(jonas).has_consent is False

    signed = date.today() - timedelta(days=3)
    data = {"signed_on": signed.isoformat(), "signed_by": "Anna Berg", "taken_by": "Heike Amt"}
    assert post(signed_in, url, data).status_code == 302
    db.session.expire_all()
    assert helper_for(jonas).has_consent is True
    consent = db.session.scalar(select(ParentalConsent))
    assert (consent.signed_on, consent.signed_by, consent.taken_by) == (
        signed,
        "Anna Berg",
        "Heike Amt",
    )
    assert consent.recorded_by_id == admin.id and consent.municipality_id == jonas.municipality_id
    (entry,) = _entries("admin_youth.record_consent")
    assert entry.proxy_id == jonas.id and entry.object_id == consent.id
    assert "Recorded: signed on" in text_of(signed_in.get(url))
    # A second form while one is valid is refused.
    response = post(signed_in, url, data)
    assert response.status_code == 200 and "already recorded" in text_of(response)

    withdraw = f"{url}/withdraw"
    confirm = signed_in.get(withdraw)
    assert confirm.status_code == 200
    assert "Yes, record the withdrawal" in text_of(confirm)
    future = (date.today() + timedelta(days=1)).isoformat()
    response = post(signed_in, withdraw, {"withdrawn_on": future})
    assert response.status_code == 200 and "cannot be in the future" in text_of(response)
    db.session.expire_all()
    assert helper_for(jonas).has_consent is True

    assert post(signed_in, withdraw, {"withdrawn_on": date.today().isoformat()}).status_code == 302
    db.session.expire_all()
    assert helper_for(jonas).has_consent is False
    consent = db.session.get(ParentalConsent, consent.id)
    assert consent.withdrawn_on == date.today() and consent.withdrawn_recorded_by_id == admin.id
    assert len(_entries("admin_youth.withdraw_consent")) == 1
    # The old form stays on record; a new one can be recorded.
    assert "Anna Berg" in text_of(signed_in.get(url))
    assert post(signed_in, url, data).status_code == 302
    db.session.expire_all()
    assert helper_for(jonas).has_consent is True


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"signed_on": (date.today() + timedelta(days=1)).isoformat()}, "in the future"),
        ({"signed_on": ""}, "Enter the date on the signed form"),
        ({"signed_by": " "}, "Enter who signed the form"),
        ({"taken_by": ""}, "Enter who took the form"),
    ],
)
def test_bad_consent_forms_are_refused(signed_in, jonas, changes, message):
    data = {"signed_on": date.today().isoformat(), "signed_by": "Anna Berg", "taken_by": "Heike"}
    response = post(signed_in, f"{BASE}/consents/{jonas.id}", {**data, **changes})
    assert response.status_code == 200
    assert message in text_of(response)
    assert "<title>Error:" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(ParentalConsent.id))) == 0


def test_pupil_status_is_set_from_the_parents_form(signed_in, jonas):
    url = f"{BASE}/consents/{jonas.id}/pupil"
    assert post(signed_in, url, {"is_pupil": "no"}).status_code == 302
    db.session.expire_all()
    assert jonas.is_full_time_pupil is False
    assert helper_for(jonas).is_pupil is False
    assert "young person who has left school" in text_of(
        signed_in.get(f"{BASE}/consents/{jonas.id}")
    )
    assert post(signed_in, url, {"is_pupil": "yes"}).status_code == 302
    db.session.expire_all()
    assert jonas.is_full_time_pupil is True
    assert post(signed_in, url, {"is_pupil": "age"}).status_code == 302
    db.session.expire_all()
    assert jonas.is_full_time_pupil is None
    assert len(_entries("admin_youth.pupil")) == 3
    response = post(signed_in, url, {"is_pupil": "vielleicht"})
    assert response.status_code == 200
    db.session.expire_all()
    assert jonas.is_full_time_pupil is None


def test_an_adult_needs_no_consent(signed_in, delbrueck):
    adult = make_user(delbrueck, email="petra@example.org", name="Petra Groß", birth_date=_born(18))
    db.session.commit()
    url = f"{BASE}/consents/{adult.id}"
    response = signed_in.get(url)
    assert response.status_code == 200
    assert "is of age: no consent of the parents is needed" in text_of(response)
    assert 'name="signed_by"' not in response.get_data(as_text=True)
    data = {"signed_on": date.today().isoformat(), "signed_by": "Anna", "taken_by": "Heike"}
    response = post(signed_in, url, data)
    assert response.status_code == 200 and "is of age" in text_of(response)
    assert post(signed_in, f"{url}/pupil", {"is_pupil": "yes"}).status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(ParentalConsent.id))) == 0
    assert adult.is_full_time_pupil is None


def test_missing_consent_list_and_dashboard_count(signed_in, delbrueck, paderborn, jonas):
    consented = make_user(
        delbrueck, email="lena@example.org", name="Lena Konsens", birth_date=_born(14)
    )
    make_user(delbrueck, email="petra@example.org", name="Petra Erwachsen", birth_date=_born(18))
    make_user(delbrueck, email="mia@example.org", name="Mia Morgen", birth_date=_born(18, -1))
    make_user(
        paderborn, email="pb@example.org", name="Paul Fremd", birth_date=_born(15), postcode="33098"
    )
    withdrawn = make_user(
        delbrueck, email="tom@example.org", name="Tom Zurück", birth_date=_born(16)
    )
    db.session.add_all(
        [
            ParentalConsent(
                municipality_id=delbrueck.id,
                user_id=consented.id,
                signed_on=date.today(),
                signed_by="Eltern",
                taken_by="Amt",
            ),
            ParentalConsent(
                municipality_id=delbrueck.id,
                user_id=withdrawn.id,
                signed_on=date.today() - timedelta(days=9),
                signed_by="Eltern Zurück",
                taken_by="Amt",
                withdrawn_on=date.today(),
            ),
        ]
    )
    db.session.commit()
    response = signed_in.get(f"{BASE}/consents")
    assert response.status_code == 200
    body = text_of(response)
    missing, recorded = body.split("Recorded consent forms", 1)
    assert "Jonas Berg" in missing and "15 years" in missing
    # Tomorrow is her 18th birthday: still a minor today.
    assert "Mia Morgen" in missing and "Tom Zurück" in missing
    assert "Lena Konsens" not in missing and "Petra Erwachsen" not in missing
    assert "Paul Fremd" not in body
    assert "Lena Konsens" in recorded and "Tom Zurück" not in recorded
    assert f'href="{BASE}/consents/{jonas.id}"' in response.get_data(as_text=True)

    dashboard = signed_in.get("/k/delbrueck/admin/")
    html = dashboard.get_data(as_text=True)
    assert f'id="consents-missing" href="{BASE}/consents"' in html
    assert "Consent missing: 3 young people" in text_of(dashboard)
    nav = signed_in.get("/k/delbrueck/admin/settings").get_data(as_text=True)
    assert f'href="{BASE}"' in nav


def test_empty_lists_say_so(signed_in, delbrueck):
    body = text_of(signed_in.get(f"{BASE}/consents"))
    assert "Nobody is waiting" in body and "No consent forms recorded yet" in body


# ------------------------------------------------------------------------- who may do all this


def _urls(user_id: int, holiday_id: int = 1, term_id: int = 1) -> list[tuple[str, str]]:
    return [
        ("GET", BASE),
        ("POST", BASE),
        ("GET", f"{BASE}/holidays"),
        ("POST", f"{BASE}/holidays/local"),
        ("POST", f"{BASE}/holidays/local/{holiday_id}/remove"),
        ("POST", f"{BASE}/holidays/school"),
        ("POST", f"{BASE}/holidays/school/{term_id}/remove"),
        ("GET", f"{BASE}/consents"),
        ("GET", f"{BASE}/consents/{user_id}"),
        ("POST", f"{BASE}/consents/{user_id}"),
        ("POST", f"{BASE}/consents/{user_id}/pupil"),
        ("GET", f"{BASE}/consents/{user_id}/withdraw"),
        ("POST", f"{BASE}/consents/{user_id}/withdraw"),
    ]


def _holidays(municipality):
    holiday = LocalHoliday(municipality_id=municipality.id, on_date=date(2027, 8, 15), name="X")
    term = SchoolHoliday(
        municipality_id=municipality.id,
        first_day=date(2027, 10, 1),
        last_day=date(2027, 10, 10),
        name="Herbst",
    )
    db.session.add_all([holiday, term])
    db.session.flush()
    return holiday, term


@pytest.mark.parametrize("role", ["resident", "other_admin"])
def test_residents_and_other_kommunes_admins_get_403(client, delbrueck, paderborn, jonas, role):
    holiday, term = _holidays(delbrueck)
    if role == "resident":
        user = make_user(delbrueck, email="res@example.org")
    else:
        user = make_user(paderborn, email="pbadmin@example.org", role="admin", postcode="33098")
    db.session.commit()
    login_as(client, user)
    for method, url in _urls(jonas.id, holiday.id, term.id):
        response = client.get(url) if method == "GET" else post(client, url, {"is_pupil": "no"})
        assert response.status_code == 403, (method, url)
    db.session.expire_all()
    assert jonas.is_full_time_pupil is None
    assert db.session.scalar(select(db.func.count(LocalHoliday.id))) == 1


def test_guests_are_sent_to_the_login(client, delbrueck, jonas):
    for method, url in _urls(jonas.id):
        response = client.get(url) if method == "GET" else post(client, url)
        assert response.status_code == 302, (method, url)
        assert "/login" in response.headers["Location"]


def test_another_kommunes_people_and_holidays_are_404(signed_in, delbrueck, paderborn):
    stranger = make_user(
        paderborn, email="pb@example.org", name="Paul Fremd", birth_date=_born(15), postcode="33098"
    )
    holiday, term = _holidays(paderborn)
    db.session.commit()
    urls = [(m, u) for m, u in _urls(stranger.id, holiday.id, term.id) if "/consents/" in u]
    urls += [
        ("POST", f"{BASE}/holidays/local/{holiday.id}/remove"),
        ("POST", f"{BASE}/holidays/school/{term.id}/remove"),
    ]
    data = {"signed_on": date.today().isoformat(), "signed_by": "A", "taken_by": "B"}
    for method, url in urls:
        response = signed_in.get(url) if method == "GET" else post(signed_in, url, data)
        assert response.status_code == 404, (method, url)
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(LocalHoliday.id))) == 1
    assert db.session.scalar(select(db.func.count(SchoolHoliday.id))) == 1
    assert db.session.scalar(select(db.func.count(ParentalConsent.id))) == 0


def test_an_admin_account_is_no_young_person(signed_in, admin):
    assert signed_in.get(f"{BASE}/consents/{admin.id}").status_code == 404


def test_forms_without_csrf_token_change_nothing(signed_in, delbrueck, jonas):
    data = {"signed_on": date.today().isoformat(), "signed_by": "Anna", "taken_by": "Heike"}
    assert signed_in.post(f"{BASE}/consents/{jonas.id}", data=data).status_code == 400
    assert signed_in.post(BASE, data=GOOD).status_code == 400
    assert (
        signed_in.post(f"{BASE}/consents/{jonas.id}/pupil", data={"is_pupil": "no"}).status_code
        == 400
    )
    db.session.expire_all()
    assert policy_row(delbrueck) is None
    assert helper_for(jonas).has_consent is False and jonas.is_full_time_pupil is None


def test_operator_may_record_consent(client, delbrueck, jonas):
    operator = make_user(delbrueck, email="op@example.org", role="superadmin", locale="en")
    db.session.commit()
    login_as(client, operator)
    data = {"signed_on": date.today().isoformat(), "signed_by": "Anna", "taken_by": "Op"}
    assert post(client, f"{BASE}/consents/{jonas.id}", data).status_code == 302
    db.session.expire_all()
    assert helper_for(jonas).has_consent is True


@pytest.mark.parametrize("lang", ["de", "en", "fr", "ar", "fa"])
def test_every_page_renders_in_every_language(client, delbrueck, jonas, lang):
    admin = make_user(delbrueck, email="admin@example.org", role="admin", locale=lang)
    db.session.add(
        LocalHoliday(municipality_id=delbrueck.id, on_date=date(2027, 8, 15), name="Kirmes")
    )
    db.session.commit()
    login_as(client, admin)
    for url in (
        BASE,
        f"{BASE}/holidays",
        f"{BASE}/consents",
        f"{BASE}/consents/{jonas.id}",
        f"{BASE}/consents/{jonas.id}/withdraw",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{lang}"' in response.get_data(as_text=True)
    assert post(client, BASE, {**GOOD, "min_age": "12"}).status_code == 200


def test_open_jobs_are_marked_again_when_the_rules_or_local_holidays_change(app, delbrueck):
    """A job fine under the old rules is 'nur für Erwachsene' at once under the new ones."""

    from exchange.admin.youth import services as youth_services

    admin = make_user(delbrueck, email="amt-recompute@example.org", role="admin")
    job = make_posting(
        make_user(delbrueck, email="anbieter-recompute@example.org"),
        kind="taschengeld",
        category="garden",
        timing="date",
        on_date=date(2027, 3, 10),  # a Wednesday
        start_time=time(16),
        duration_minutes=90,
        is_adults_only=False,
    )
    policy = policy_for(delbrueck)
    values = {
        "min_age": policy.min_age,
        "max_age": policy.max_age,
        "daily_minutes": 60,  # the 90-minute job no longer fits
        "weekly_minutes": policy.weekly_minutes,
        "earliest": policy.earliest,
        "latest": policy.latest,
        "school_day_start": policy.school_day_start,
        "categories": set(policy.categories),
        "recommended_pay_cents": 500,
        "insurance_notice": "",
    }
    youth_services.save_policy(admin, delbrueck, values)
    assert job.is_adults_only is True
    youth_services.save_policy(admin, delbrueck, {**values, "daily_minutes": 120})
    assert job.is_adults_only is False
    holiday = youth_services.add_local_holiday(admin, delbrueck, date(2027, 3, 10), "Stadtfest")
    assert job.is_adults_only is True
    youth_services.remove_local_holiday(admin, delbrueck, holiday)
    assert job.is_adults_only is False


def test_the_admin_who_changed_the_rules_can_still_export_her_data(app, delbrueck):
    """Her export lists the policy row she last changed, times of day included (no 500)."""
    import json

    admin = make_user(delbrueck, email="amt-export@example.org", role="admin")
    db.session.add(
        YouthPolicy(municipality_id=delbrueck.id, categories_csv="garden", updated_by_id=admin.id)
    )
    db.session.commit()
    client = app.test_client()
    login_as(client, admin)
    response = client.get("/me/export")
    assert response.status_code == 200
    assert "08:00:00" in json.dumps(json.loads(response.data))
