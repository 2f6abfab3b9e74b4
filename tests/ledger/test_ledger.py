"""The helper confirms; the append-only ledger; disputes, corrections, erasure, retention
(issue 11 B.1, B.2)."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from exchange.accounts.services import erase_account
from exchange.extensions import db
from exchange.ledger import queries
from exchange.ledger.models import EngagementSettings, HelpRecord, LedgerEntry
from exchange.ledger.services import prune_ledger
from exchange.timeutil import clock_at
from tests.conftest import login_as, make_user, post, text_of
from tests.ledger.helpers import answered_posting, outcome_form, people, report

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@pytest.fixture
def reported(client, delbrueck):
    """Erna reported that Jonas helped her for 2 hours; Jonas is signed in."""
    erna, jonas = people(delbrueck)
    posting, conversation = answered_posting(erna, jonas)
    db.session.commit()
    login_as(client, erna)
    with clock_at(NOW):
        assert report(client, posting, outcome_form(conversation)).status_code == 302
    post(client, "/logout")
    login_as(client, jonas)
    record = db.session.scalar(select(HelpRecord))
    return erna, jonas, record


@pytest.fixture
def admin(delbrueck):
    user = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    db.session.commit()
    return user


def _entries():
    db.session.expire_all()
    return list(db.session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)))


def _sum_all() -> int:
    return db.session.scalar(select(func.coalesce(func.sum(LedgerEntry.minutes), 0)))


def test_the_helper_confirms_and_the_ledger_books_both_sides(client, reported):
    erna, jonas, record = reported
    url = f"/me/engagement/{record.id}"
    # Waiting first on her engagement page, and named on the account page.
    mine = client.get("/me/engagement?lang=en").get_data(as_text=True)
    assert f'href="{url}"' in mine
    assert 'id="engagement-waiting"' in client.get("/me").get_data(as_text=True)
    assert client.get(url).status_code == 200
    response = post(client, url, {"answer": "confirm"})
    assert response.status_code == 302
    entries = _entries()
    assert [(e.user_id, e.minutes) for e in entries] == [(jonas.id, 120), (erna.id, -120)]
    assert all(e.booked_by_id == jonas.id and e.help_record_id == record.id for e in entries)
    assert _sum_all() == 0
    record = db.session.get(HelpRecord, record.id)
    assert record.status == "confirmed" and record.minutes_confirmed == 120
    assert record.confirmed_by_id == jonas.id
    # Balances and totals derive from the entries.
    assert queries.balance(jonas.id) == 120 and queries.balance(erna.id) == -120
    assert queries.totals(jonas.id, 2026).given == {"zeitspende": 120}
    assert queries.totals(erna.id).received == {"zeitspende": 120}
    assert queries.totals_by_category(jonas.id, 2026) == [("zeitspende", "shopping", 120, 0)]
    assert queries.totals(jonas.id, 2025).given == {}
    page = text_of(client.get("/me/engagement?lang=en"))
    assert "Help I gave" in page and "2 hours" in page
    # A second answer changes nothing.
    post(client, url, {"answer": "confirm"})
    assert len(_entries()) == 2


def test_only_the_helper_may_confirm(client, reported, delbrueck):
    erna, _jonas, record = reported
    post(client, "/logout")
    login_as(client, erna)
    # The author sees her record but cannot answer for the helper.
    assert 'id="confirm-form"' not in client.get(f"/me/engagement/{record.id}").get_data(
        as_text=True
    )
    post(client, f"/me/engagement/{record.id}", {"answer": "confirm"})
    assert _entries() == []
    post(client, "/logout")
    stranger = make_user(delbrueck, email="s@example.org", name="Sam Fremd")
    db.session.commit()
    login_as(client, stranger)
    assert client.get(f"/me/engagement/{record.id}").status_code == 404
    assert post(client, f"/me/engagement/{record.id}", {"answer": "confirm"}).status_code == 404
    assert _entries() == []


def test_a_dispute_goes_to_the_admins_who_decide_and_book(client, reported, admin):
    erna, jonas, record = reported
    url = f"/me/engagement/{record.id}"
    refused = post(client, url, {"answer": "dispute", "hours": "3", "note": ""})
    assert refused.status_code == 200 and 'id="error-summary"' in refused.get_data(as_text=True)
    post(client, url, {"answer": "dispute", "hours": "3", "note": "Wir waren noch beim Arzt."})
    db.session.expire_all()
    record = db.session.get(HelpRecord, record.id)
    assert record.status == "disputed" and record.minutes_disputed == 180
    assert _entries() == []
    # Shown to the Kommune's admins, not silently kept.
    post(client, "/logout")
    login_as(client, admin)
    page = client.get("/k/delbrueck/admin/help-records").get_data(as_text=True)
    assert 'id="records-disputed"' in page
    assert f'href="/k/delbrueck/admin/help-records/{record.id}"' in page
    detail = text_of(client.get(f"/k/delbrueck/admin/help-records/{record.id}"))
    assert "Wir waren noch beim Arzt." in detail
    response = post(client, f"/k/delbrueck/admin/help-records/{record.id}", {"hours": "2,5"})
    assert response.status_code == 302
    entries = _entries()
    assert [(e.user_id, e.minutes) for e in entries] == [(jonas.id, 150), (erna.id, -150)]
    assert all(e.booked_by_id == admin.id for e in entries)
    record = db.session.get(HelpRecord, record.id)
    assert record.status == "confirmed" and record.confirmed_by_id == admin.id
    assert _sum_all() == 0


def test_residents_cannot_reach_the_admin_page(client, reported, paderborn):
    _erna, _jonas, record = reported
    assert client.get("/k/delbrueck/admin/help-records").status_code == 403
    other_admin = make_user(
        paderborn, email="pa@example.org", name="Paul Amt", role="admin", postcode="33098"
    )
    db.session.commit()
    post(client, "/logout")
    login_as(client, other_admin)
    assert client.get("/k/paderborn/admin/help-records").status_code == 200
    assert client.get(f"/k/paderborn/admin/help-records/{record.id}").status_code == 404
    assert client.get("/k/delbrueck/admin/help-records").status_code == 403


def test_a_correction_is_a_new_pair_pointing_at_the_old_entries(client, reported, admin):
    erna, jonas, record = reported
    post(client, f"/me/engagement/{record.id}", {"answer": "confirm"})
    post(client, "/logout")
    login_as(client, admin)
    url = f"/k/delbrueck/admin/help-records/{record.id}"
    # A correction needs a reason.
    assert post(client, url, {"hours": "3", "note": ""}).status_code == 200
    assert len(_entries()) == 2
    post(client, url, {"hours": "3", "note": "Es waren drei Stunden."})
    first_given, first_received, given, received = _entries()
    assert (given.user_id, given.minutes, given.corrects_id) == (jonas.id, 60, first_given.id)
    assert (received.user_id, received.minutes, received.corrects_id) == (
        erna.id,
        -60,
        first_received.id,
    )
    # The first pair is untouched; the totals follow the corrected hours.
    assert (first_given.minutes, first_received.minutes) == (120, -120)
    assert queries.balance(jonas.id) == 180 and _sum_all() == 0
    assert queries.totals(jonas.id).given == {"zeitspende": 180}
    assert queries.totals(erna.id).received == {"zeitspende": 180}
    assert db.session.get(HelpRecord, record.id).minutes_confirmed == 180
    # Down again to 1 hour: the helper's correction is negative, still on the "given" side.
    post(client, url, {"hours": "1", "note": "Doch nur eine Stunde."})
    assert queries.totals(jonas.id).given == {"zeitspende": 60}
    assert queries.totals(erna.id).received == {"zeitspende": 60}
    assert queries.totals_by_category(jonas.id) == [("zeitspende", "shopping", 60, 0)]
    assert queries.totals_by_category(erna.id) == [("zeitspende", "shopping", 0, 60)]


def test_entries_cannot_be_updated_or_deleted(client, reported):
    _erna, _jonas, record = reported
    post(client, f"/me/engagement/{record.id}", {"answer": "confirm"})
    entry = _entries()[0]
    entry.minutes = 600
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    entry = _entries()[0]
    entry.note = "geändert"
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    entry = _entries()[0]
    db.session.delete(entry)
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    assert [e.minutes for e in _entries()] == [120, -120]


def test_erasure_pseudonymises_and_keeps_the_others_total(client, reported):
    erna, jonas, record = reported
    post(client, f"/me/engagement/{record.id}", {"answer": "confirm"})
    jonas_id = jonas.id
    erase_account(db.session.get(type(erna), erna.id))
    db.session.commit()
    entries = _entries()
    assert len(entries) == 2
    theirs = [e for e in entries if e.user_id is None]
    assert len(theirs) == 1 and theirs[0].pseudonym == f"#{erna.id}" and theirs[0].minutes == -120
    assert queries.balance(jonas_id) == 120 and _sum_all() == 0
    record = db.session.get(HelpRecord, record.id)
    assert record.recipient_id is None and record.helper_id == jonas_id
    assert record.minutes_confirmed == 120
    # Jonas still sees his hours, with the other side as a deleted account.
    page = text_of(client.get("/me/engagement?lang=en"))
    assert "Deleted account" in page and "2 hours" in page


def test_the_export_holds_her_records_and_entries(client, reported):
    _erna, _jonas, record = reported
    post(client, f"/me/engagement/{record.id}", {"answer": "confirm"})
    response = client.get("/me/export")
    data = json.loads(response.get_data(as_text=True))
    assert [r["id"] for r in data["help_records"]] == [record.id]
    assert data["help_records"][0]["role"] == "helper"
    assert data["help_records"][0]["other_person"] == "Erna M."
    assert [e["minutes"] for e in data["ledger_entries"] if e["mine"]] == [120]
    assert "help_record" not in data and "ledger_entry" not in data


def test_retention_deletes_only_old_pseudonymised_entries(client, reported, delbrueck):
    erna, jonas, record = reported
    with clock_at(NOW):
        post(client, f"/me/engagement/{record.id}", {"answer": "confirm"})
    erase_account(db.session.get(type(erna), erna.id))
    db.session.commit()
    # Nine years on, nothing goes; the Kommune keeps entries 10 years by default.
    assert prune_ledger(NOW + timedelta(days=365 * 9)) == 0
    assert len(_entries()) == 2
    # Eleven years on, the pseudonymised side goes; Jonas keeps his.
    assert prune_ledger(NOW + timedelta(days=365 * 11)) == 1
    db.session.commit()
    assert [(e.user_id, e.minutes) for e in _entries()] == [(jonas.id, 120)]
    assert queries.balance(jonas.id) == 120


def test_retention_follows_the_kommunes_setting(client, reported, delbrueck):
    erna, _jonas, record = reported
    with clock_at(NOW):
        post(client, f"/me/engagement/{record.id}", {"answer": "confirm"})
    erase_account(db.session.get(type(erna), erna.id))
    db.session.add(EngagementSettings(municipality_id=delbrueck.id, ledger_retention_years=3))
    db.session.commit()
    assert prune_ledger(NOW + timedelta(days=365 * 2)) == 0
    assert prune_ledger(NOW + timedelta(days=365 * 4)) == 1


def test_the_daily_command_runs_the_retention_job(app, reported):
    result = app.test_cli_runner().invoke(args=["exchange", "daily"])
    assert "old pseudonymised ledger entries removed: 0" in result.output


def test_the_privacy_notice_states_both_retention_periods(client, delbrueck):
    page = text_of(client.get("/k/delbrueck/privacy?lang=en"))
    assert 'id="privacy-retention"' in page
    assert "deleted 10 years after they were booked" in page
    assert "kept for 3 years after the account is deleted" in page


def test_empty_state_and_link_from_the_account_area(client, delbrueck):
    erna = make_user(delbrueck)
    db.session.commit()
    login_as(client, erna)
    assert 'href="/me/engagement"' in client.get("/me").get_data(as_text=True)
    assert 'id="engagement-empty"' in client.get("/me/engagement").get_data(as_text=True)
    post(client, "/logout")
    assert client.get("/me/engagement").status_code == 302


def test_consent_records_of_erased_accounts_go_after_the_retention_period(app, delbrueck):
    """Kept (unlinked) for the Kommune's consent period after the erasure, then deleted."""
    from exchange.ledger.services import prune_consent_records
    from exchange.youth.models import ParentalConsent

    kept_for_her = make_user(delbrueck, email="bleibt@example.org")
    erased = make_user(delbrueck, email="geht@example.org")
    for person in (kept_for_her, erased):
        db.session.add(
            ParentalConsent(
                municipality_id=delbrueck.id,
                user_id=person.id,
                signed_on=NOW.date(),
                signed_by="Eltern",
                taken_by="Rathaus",
            )
        )
    db.session.commit()
    with clock_at(NOW):
        erase_account(db.session.get(type(erased), erased.id))
    db.session.commit()
    assert db.session.scalars(select(ParentalConsent.unlinked_at)).all().count(NOW) == 1
    assert prune_consent_records(NOW + timedelta(days=365 * 2)) == 0
    assert prune_consent_records(NOW + timedelta(days=365 * 4)) == 1  # default: 3 years
    db.session.commit()
    assert db.session.scalars(select(ParentalConsent.user_id)).all() == [kept_for_her.id]
