"""Closing a posting asks what happened: with whom, when, how many hours (issue 11 B.1)."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from exchange.extensions import db
from exchange.ledger.models import HelpRecord, LedgerEntry
from exchange.postings.models import Posting
from exchange.timeutil import clock_at
from tests.conftest import login_as, make_posting, make_user, post, text_of
from tests.ledger.helpers import answered_posting, outcome_form, people, report

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@pytest.fixture
def story(delbrueck):
    erna, jonas = people(delbrueck)
    posting, conversation = answered_posting(erna, jonas)
    db.session.commit()
    return erna, jonas, posting, conversation


def _records():
    db.session.expire_all()
    return list(db.session.scalars(select(HelpRecord)))


def test_the_author_reports_two_hours_and_the_posting_is_done(client, story, mailbox):
    erna, jonas, posting, conversation = story
    login_as(client, erna)
    page = client.get(f"/k/delbrueck/postings/{posting.id}/outcome?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # The chosen helper is preselected; neither outcome is.
    checked = re.findall(r'<input checked[^>]*name="(\w+)"[^>]*value="(\w+)"', html)
    assert checked == [("person", str(conversation.id))]
    with clock_at(NOW):
        response = report(client, posting, outcome_form(conversation))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/k/delbrueck/postings/{posting.id}")
    db.session.expire_all()
    record = _records()[0]
    assert record.status == "reported" and record.outcome == "helped"
    assert record.minutes_reported == 120 and str(record.on_date) == "2026-11-20"
    assert record.helper_id == jonas.id and record.recipient_id == erna.id
    assert record.reported_by_id == erna.id and record.conversation_id == conversation.id
    assert db.session.get(Posting, posting.id).status == "done"
    # Nothing is booked before the helper confirms.
    assert db.session.scalar(select(func.count(LedgerEntry.id))) == 0
    # Off the board, with today's message; the helper is asked by e-mail to confirm.
    detail = client.get(response.headers["Location"])
    told = text_of(detail)
    # The posting tells its author what she reported, linking to the record.
    assert f'href="/me/engagement/{record.id}"' in detail.get_data(as_text=True)
    assert "Der Eintrag steht nicht mehr in der Übersicht" in told  # de (today's message)
    assert "Hilfe beim Einkaufen" not in text_of(client.get("/k/delbrueck/"))
    mails = mailbox.bodies_to("jonas@example.org")
    assert any(f"/me/engagement/{record.id}" in body for body in mails)
    # Erna sees her report waiting for Jonas on her engagement page.
    mine = client.get("/me/engagement").get_data(as_text=True)
    assert 'id="engagement-pending"' in mine and 'id="engagement-empty"' not in mine


def test_for_an_offer_the_author_is_the_helper(client, delbrueck):
    erna, jonas = people(delbrueck)
    posting, conversation = answered_posting(jonas, erna, direction="offer")
    db.session.commit()
    login_as(client, jonas)
    with clock_at(NOW):
        report(client, posting, outcome_form(conversation, hours="1,5"))
    record = _records()[0]
    assert record.helper_id == jonas.id and record.recipient_id == erna.id
    assert record.minutes_reported == 90


def test_not_happened_closes_without_hours(client, story):
    erna, _jonas, posting, _conversation = story
    login_as(client, erna)
    response = report(client, posting, {"outcome": "not_happened"})
    assert response.status_code == 302
    record = _records()[0]
    assert record.status == "not_happened" and record.minutes_reported is None
    assert record.helper_id is None
    assert db.session.get(Posting, posting.id).status == "done"
    assert db.session.scalar(select(func.count(LedgerEntry.id))) == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"on_date": "2026-11-26"},  # tomorrow
        {"hours": "0"},
        {"hours": "30"},
        {"hours": "1,25"},
        {"hours": "zwei"},
        {"person": ""},
        {"outcome": ""},
    ],
)
def test_wrong_values_are_refused_and_change_nothing(client, story, changes):
    erna, _jonas, posting, conversation = story
    login_as(client, erna)
    with clock_at(NOW):
        response = report(client, posting, {**outcome_form(conversation), **changes})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="error-summary"' in html
    db.session.expire_all()
    assert _records() == []
    assert db.session.get(Posting, posting.id).status == "assigned"


def test_pay_is_recorded_for_taschengeld_and_prefilled(client, delbrueck):
    erna, jonas = people(delbrueck)
    posting, conversation = answered_posting(
        erna, jonas, kind="taschengeld", category="garden", pay_per_hour_cents=800
    )
    db.session.commit()
    login_as(client, erna)
    html = client.get(f"/k/delbrueck/postings/{posting.id}/outcome").get_data(as_text=True)
    assert 'value="8,00"' in html
    with clock_at(NOW):
        report(client, posting, outcome_form(conversation, pay="9,50"))
    assert _records()[0].pay_per_hour_cents == 950


def test_a_stranger_gets_403_and_another_kommune_404(client, story, paderborn):
    erna, jonas, posting, conversation = story
    login_as(client, jonas)
    assert client.get(f"/k/delbrueck/postings/{posting.id}/outcome").status_code == 403
    assert report(client, posting, outcome_form(conversation)).status_code == 403
    post(client, "/logout")
    other = make_user(paderborn, email="p@example.org", name="Paula Pad", postcode="33098")
    db.session.commit()
    login_as(client, other)
    assert report(client, posting, outcome_form(conversation), "paderborn").status_code == 404
    # Even the author cannot reach her posting under another Kommune's address.
    post(client, "/logout")
    login_as(client, erna)
    assert report(client, posting, outcome_form(conversation), "paderborn").status_code == 404
    assert _records() == []
    assert db.session.get(Posting, posting.id).status == "assigned"


def test_a_double_submit_makes_one_record(client, story):
    erna, _jonas, posting, conversation = story
    login_as(client, erna)
    with clock_at(NOW):
        first = report(client, posting, outcome_form(conversation))
        second = report(client, posting, outcome_form(conversation))
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert len(_records()) == 1
    # Without the token (an old page), the posting is done and nothing more is written.
    third = report(client, posting, {**outcome_form(conversation), "idempotency_token": ""})
    assert third.status_code == 302
    assert len(_records()) == 1


def test_the_old_done_button_leads_to_the_outcome_form(client, story):
    erna, _jonas, posting, _conversation = story
    login_as(client, erna)
    detail = client.get(f"/k/delbrueck/postings/{posting.id}").get_data(as_text=True)
    assert f'href="/k/delbrueck/postings/{posting.id}/outcome"' in detail
    response = post(client, f"/k/delbrueck/postings/{posting.id}/done")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/postings/{posting.id}/outcome")
    # It changed nothing by itself.
    assert db.session.get(Posting, posting.id).status == "assigned"
    assert _records() == []


def test_without_answers_only_not_happened_works(client, delbrueck):
    erna = make_user(delbrueck)
    posting = make_posting(erna)
    db.session.commit()
    login_as(client, erna)
    with clock_at(NOW):
        refused = report(client, posting, outcome_form(None))
    assert refused.status_code == 200 and _records() == []
    assert report(client, posting, {"outcome": "not_happened"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status == "done"


@pytest.mark.parametrize("lang", ["de", "en", "fr", "ar", "fa"])
def test_the_new_pages_render_in_every_language(client, story, lang):
    erna, jonas, posting, conversation = story
    login_as(client, erna)
    page = client.get(f"/k/delbrueck/postings/{posting.id}/outcome?lang={lang}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'lang="{lang}"' in html
    assert ('dir="rtl"' in html) == (lang in ("ar", "fa"))
    with clock_at(NOW):
        report(client, posting, outcome_form(conversation))
    record = _records()[0]
    assert client.get(f"/me/engagement/{record.id}").status_code == 200
    assert client.get("/me/engagement").status_code == 200
    assert client.get("/k/delbrueck/privacy").status_code == 200
