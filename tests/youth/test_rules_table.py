"""Issue 11 A.9, every row through the real services: answering (messaging.services.respond)
and being chosen (assign_posting), with the database. A refusal names its rule and changes
nothing: no conversation is created, the posting is not assigned.

The Kommune is in NRW with the age band 13–17 and the other settings by default; a second one
in Bavaria for 6 January; a third keeps the default band 14–17. The jobs are on fixed days of
2027 and everyone's birth date gives the stated age on the job's date.
"""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import func, select

from exchange.errors import ExchangeError
from exchange.extensions import db
from exchange.messaging import services
from exchange.messaging.models import Conversation
from exchange.messaging.youth import booked_minutes, check_choice
from exchange.postings.models import Posting
from exchange.youth.models import ParentalConsent, SchoolHoliday, YouthPolicy
from exchange.youth.rules import LIGHT_WORK
from tests.conftest import make_municipality, make_posting, make_user
from tests.youth.test_rules import EPIPHANY, MAY_DAY, SCHOOL_DAY, SCHOOL_HOLIDAY, SUNDAY


def _policy(kommune, **fields):
    db.session.add(
        YouthPolicy(
            municipality_id=kommune.id, categories_csv=",".join(sorted(LIGHT_WORK)), **fields
        )
    )


@pytest.fixture
def kommunen(app):
    nrw = make_municipality("delbrueck", "Delbrück", "33129")
    nrw.state = "NW"
    _policy(nrw, min_age=13)
    db.session.add(
        SchoolHoliday(
            municipality_id=nrw.id,
            first_day=date(2027, 3, 22),
            last_day=date(2027, 4, 2),
            name="Osterferien",
        )
    )
    bavaria = make_municipality("kitzingen", "Kitzingen", "33098")
    bavaria.state = "BY"
    _policy(bavaria, min_age=13)
    default_band = make_municipality("paderborn", "Paderborn", "33100")
    default_band.state = "NW"  # no policy row: the default band 14–17
    db.session.commit()
    return {"NW": nrw, "BY": bavaria, "default": default_band}


_count = iter(range(1, 10_000))


def young(kommune, age, on=SCHOOL_DAY, pupil=True, consent=True):
    """A young person of age on the day on, with her parents' consent form recorded or not."""
    n = next(_count)
    user = make_user(
        kommune,
        email=f"young{n}@example.org",
        name=f"Jonas Jung{n}",
        birth_date=date(on.year - age, 1, 1),
        is_full_time_pupil=pupil,
    )
    if consent:
        db.session.add(
            ParentalConsent(
                municipality_id=kommune.id,
                user_id=user.id,
                signed_on=date(2026, 11, 2),
                signed_by="Maria Jung",
                taken_by="Heike Amt",
            )
        )
    db.session.commit()
    return user


def job(kommune, day, start=time(15), minutes=60, category="garden"):
    """A dated Taschengeld request of an adult of kommune."""
    n = next(_count)
    author = make_user(kommune, email=f"author{n}@example.org", name=f"Erna Auftrag{n}")
    posting = make_posting(
        author,
        kind="taschengeld",
        category=category,
        title="Hilfe im Garten",
        timing="date",
        on_date=day,
        start_time=start,
        duration_minutes=minutes,
        pay_per_hour_cents=600,
    )
    db.session.commit()
    return posting


def answer(app, posting, user):
    with app.test_request_context("/?lang=en"):
        conversation = services.respond(posting, user, "Ich helfe gern.")
        db.session.commit()
        return conversation


def choose(app, posting, conversation):
    with app.test_request_context("/?lang=en"):
        services.assign_posting(posting, posting.author, conversation)
        db.session.commit()


def conversations(posting) -> int:
    return db.session.scalar(
        select(func.count(Conversation.id)).where(Conversation.posting_id == posting.id)
    )


def refused_to_answer(app, posting, user, words: str):
    """respond refuses, names the rule, and changes nothing; choosing is refused too."""
    status = posting.status
    with app.test_request_context("/?lang=en"), pytest.raises(ExchangeError) as refusal:
        services.respond(posting, user, "Ich helfe gern.")
    db.session.rollback()
    assert words in refusal.value.message
    assert conversations(posting) == 0
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status == status
    # Answered before the rules said no (a conversation from earlier): she cannot be chosen.
    earlier = Conversation(
        municipality_id=posting.municipality_id,
        posting_id=posting.id,
        posting_title=posting.title,
        author_id=posting.author_id,
        responder_id=user.id,
    )
    db.session.add(earlier)
    db.session.commit()
    refused_to_choose(app, posting, earlier, words)


def refused_to_choose(app, posting, conversation, words: str):
    status = db.session.get(Posting, posting.id).status
    with app.test_request_context("/?lang=en"), pytest.raises(ExchangeError) as refusal:
        services.assign_posting(posting, posting.author, conversation)
    db.session.rollback()
    assert words in refusal.value.message
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status == status
    assert db.session.get(Conversation, conversation.id).is_assigned is False


def allowed(app, posting, user):
    """She may answer and be chosen."""
    conversation = answer(app, posting, user)
    choose(app, posting, conversation)
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status == "assigned"
    assert db.session.get(Conversation, conversation.id).is_assigned is True
    return conversation


def test_12_cannot_register_nor_answer(app, client, kommunen):
    # Registration refuses under-13s (tests/accounts/test_registration.py checks the form);
    # an account with such a birth date (entered wrongly by hand) cannot answer either.
    nrw = kommunen["NW"]
    refused_to_answer(app, job(nrw, SCHOOL_DAY), young(nrw, 12), "Children under 13")


def test_13_in_a_kommune_with_the_default_band(app, kommunen):
    default = kommunen["default"]
    refused_to_answer(app, job(default, SCHOOL_DAY), young(default, 13), "from 14 to 17 years")


def test_13_pupil_school_day_15_00_garden(app, kommunen):
    nrw = kommunen["NW"]
    allowed(app, job(nrw, SCHOOL_DAY, time(15)), young(nrw, 13))


def test_13_pupil_school_day_10_00(app, kommunen):
    nrw = kommunen["NW"]
    refused_to_answer(
        app, job(nrw, SCHOOL_DAY, time(10)), young(nrw, 13), "On school days, under-15s"
    )


def test_14_pupil_school_holiday_10_00(app, kommunen):
    nrw = kommunen["NW"]
    allowed(app, job(nrw, SCHOOL_HOLIDAY, time(10)), young(nrw, 14, SCHOOL_HOLIDAY))


def test_14_pupil_17_30_ends_after_18_00(app, kommunen):
    nrw = kommunen["NW"]
    refused_to_answer(app, job(nrw, SCHOOL_DAY, time(17, 30)), young(nrw, 14), "must end by 18:00")


def test_14_pupil_sunday(app, kommunen):
    nrw = kommunen["NW"]
    refused_to_answer(app, job(nrw, SUNDAY, time(11)), young(nrw, 14, SUNDAY), "on Sundays")


def test_14_pupil_1_may(app, kommunen):
    nrw = kommunen["NW"]
    refused_to_answer(app, job(nrw, MAY_DAY, time(10)), young(nrw, 14, MAY_DAY), "public holidays")


def test_14_pupil_6_january_in_nrw_and_in_bavaria(app, kommunen):
    nrw, bavaria = kommunen["NW"], kommunen["BY"]
    allowed(app, job(nrw, EPIPHANY), young(nrw, 14, EPIPHANY))
    refused_to_answer(app, job(bavaria, EPIPHANY), young(bavaria, 14, EPIPHANY), "public holidays")


def test_14_pupil_3_hours(app, kommunen):
    nrw = kommunen["NW"]
    refused_to_answer(
        app, job(nrw, SCHOOL_DAY, time(15), 180), young(nrw, 14), "at most 2 hours a day"
    )


def test_14_pupil_repairs(app, kommunen):
    nrw = kommunen["NW"]
    refused_to_answer(
        app, job(nrw, SCHOOL_DAY, category="repairs"), young(nrw, 14), "this kind of work"
    )


def test_14_pupil_two_jobs_of_one_and_a_half_hours_on_one_day(app, kommunen):
    nrw = kommunen["NW"]
    lena = young(nrw, 14)
    allowed(app, job(nrw, SCHOOL_DAY, time(14), 90), lena)
    second = job(nrw, SCHOOL_DAY, time(16), 90)
    conversation = answer(app, second, lena)  # answering is allowed: nothing is booked there
    refused_to_choose(
        app,
        second,
        conversation,
        "at most 2 hours of work a day are allowed; together with the jobs",
    )


def test_15_pupil_without_consent(app, kommunen):
    nrw = kommunen["NW"]
    refused_to_answer(app, job(nrw, SCHOOL_DAY), young(nrw, 15, consent=False), "consent form")


def test_consent_is_needed_in_every_boerse(app, kommunen):
    nrw = kommunen["NW"]
    visit = make_posting(make_user(nrw, email="visit@example.org"), kind="zeitspende")
    db.session.commit()
    refused_to_answer(app, visit, young(nrw, 15, consent=False), "consent form")
    allowed(app, visit, young(nrw, 15))


def test_16_not_a_pupil_school_day_10_00_two_hours(app, kommunen):
    nrw = kommunen["NW"]
    allowed(app, job(nrw, SCHOOL_DAY, time(10), 120), young(nrw, 16, pupil=False))


def test_17_not_a_pupil_five_jobs_of_two_hours_then_a_sixth(app, kommunen):
    nrw = kommunen["NW"]
    mia = young(nrw, 17, pupil=False)
    for i in range(5):
        allowed(app, job(nrw, date(2027, 3, 8 + i), time(10), 120), mia)
    sixth = job(nrw, date(2027, 3, 13), time(10), 60)
    conversation = answer(app, sixth, mia)
    refused_to_choose(app, sixth, conversation, "at most 10 hours of work a week are allowed")


def test_18_sunday_evening_repairs(app, kommunen):
    nrw = kommunen["NW"]
    allowed(app, job(nrw, SUNDAY, time(19), 240, "repairs"), young(nrw, 18, SUNDAY))


# --- more than the table ------------------------------------------------------------------


def test_booked_minutes_count_her_jobs_of_that_day_and_week_only(app, kommunen):
    nrw = kommunen["NW"]
    mia = young(nrw, 17, pupil=False)
    monday = allowed(app, job(nrw, date(2027, 3, 8), time(10), 120), mia)
    allowed(app, job(nrw, date(2027, 3, 10), time(10), 90), mia)
    allowed(app, job(nrw, date(2027, 3, 15), time(10), 60), mia)  # the next week
    answer(app, job(nrw, date(2027, 3, 10), time(14), 60), mia)  # answered, not chosen
    db.session.expire_all()
    assert booked_minutes(mia, date(2027, 3, 10)).day_minutes == 90
    assert booked_minutes(mia, date(2027, 3, 10)).week_minutes == 210
    assert booked_minutes(mia, date(2027, 3, 10), monday.id).week_minutes == 90
    assert booked_minutes(mia, date(2027, 3, 16)).week_minutes == 60


def test_a_flexible_job_needs_an_agreed_time_before_a_minor_is_chosen(app, client, kommunen):
    nrw = kommunen["NW"]
    lena = young(nrw, 14)
    author = make_user(nrw, email="flex@example.org", name="Erna Flex")
    posting = make_posting(author, kind="taschengeld", category="garden", timing="flexible")
    db.session.commit()
    conversation = answer(app, posting, lena)
    refused_to_choose(app, posting, conversation, "agreed date, start time and duration")
    # The author agrees Wednesday 15:00 for one hour on the conversation page.
    from tests.conftest import login_as, post

    login_as(client, author)
    response = post(
        client,
        f"/me/messages/{conversation.id}/agreed-time?lang=en",
        {"on_date": "2027-03-10", "start": "15:00", "hours": "1"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Conversation, conversation.id)
    assert (stored.agreed_on, stored.agreed_start, stored.agreed_minutes) == (
        date(2027, 3, 10),
        time(15),
        60,
    )
    choose(app, db.session.get(Posting, posting.id), stored)
    assert db.session.get(Posting, posting.id).status == "assigned"


def test_a_minors_own_offer_makes_her_the_helper(app, kommunen):
    nrw = kommunen["NW"]
    lena = young(nrw, 15, consent=False)
    offer = make_posting(
        lena, direction="offer", kind="taschengeld", category="garden", on_date=SCHOOL_DAY
    )
    db.session.commit()
    neighbour = make_user(nrw, email="neighbour@example.org")
    db.session.commit()
    refused_to_answer(app, offer, neighbour, "consent form")


def test_the_author_sees_the_label_and_the_rules_box(app, client, kommunen):
    from tests.conftest import login_as, text_of

    nrw = kommunen["NW"]
    posting = job(nrw, SCHOOL_DAY, time(15), 60)
    lena = young(nrw, 15)
    conversation = answer(app, posting, lena)
    login_as(client, posting.author)
    for url in (
        f"/k/delbrueck/postings/{posting.id}?lang=en",
        f"/me/messages/{conversation.id}?lang=en",
    ):
        page = text_of(client.get(url))
        assert "Young person, 15 years" in page
        assert "Rules for this job" in page and "At most 2 hours a day." in page
        assert "This job fits the rules." in page
        assert "/k/delbrueck/taschengeld/regeln/auftraggeber" in page
        assert lena.short_name in page


def test_the_minor_sees_whether_the_job_fits_her_rules(app, client, kommunen):
    from tests.conftest import login_as, text_of

    nrw = kommunen["NW"]
    lena = young(nrw, 15)
    conversation = answer(app, job(nrw, SCHOOL_DAY, time(15), 60), lena)
    login_as(client, lena)
    page = text_of(client.get(f"/me/messages/{conversation.id}?lang=en"))
    assert "This job fits your rules." in page
    assert "Young person, 15 years" not in page


def test_check_choice_locks_the_minor_before_counting(app, kommunen, monkeypatch):
    # The row lock comes first: two authors choosing her at once count one after the other.
    from exchange.messaging import youth

    nrw = kommunen["NW"]
    lena = young(nrw, 14)
    posting = job(nrw, SCHOOL_DAY, time(15), 60)
    conversation = answer(app, posting, lena)
    calls = []
    real_lock, real_booked = youth.lock_user, youth.booked_minutes
    monkeypatch.setattr(youth, "lock_user", lambda u: calls.append("lock") or real_lock(u))
    monkeypatch.setattr(
        youth, "booked_minutes", lambda *a: calls.append("count") or real_booked(*a)
    )
    with app.test_request_context("/?lang=en"):
        check_choice(posting, conversation)
    assert calls == ["lock", "count"]


def test_the_agreed_time_form_says_what_is_wrong_and_only_the_author_may_use_it(
    app, client, kommunen
):
    from tests.conftest import login_as, post, text_of

    nrw = kommunen["NW"]
    lena = young(nrw, 14)
    author = make_user(nrw, email="flex2@example.org", name="Erna Flex")
    posting = make_posting(author, kind="taschengeld", category="garden", timing="flexible")
    db.session.commit()
    conversation = answer(app, posting, lena)
    url = f"/me/messages/{conversation.id}/agreed-time?lang=en"
    login_as(client, lena)
    assert (
        post(client, url, {"on_date": "2027-03-10", "start": "15:00", "hours": "1"}).status_code
        == 404
    )
    client.post("/logout", data={})
    client2 = app.test_client()
    login_as(client2, author)
    page = post(client2, url, {"on_date": "2027-03-10", "start": "15:00", "hours": "viel"})
    assert page.status_code == 200
    assert 'id="error-summary"' in page.get_data(as_text=True)
    assert "Enter between 0.25 and 12 hours." in text_of(page)
    # German decimals are understood.
    assert (
        post(client2, url, {"on_date": "2027-03-10", "start": "15:00", "hours": "1,5"}).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(Conversation, conversation.id).agreed_minutes == 90
