"""Creating, editing, closing, reopening, extending postings, and who may do it."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from exchange.extensions import db
from exchange.postings.models import Posting
from exchange.timeutil import utcnow
from tests.conftest import login_as, make_posting, make_user, post, text_of
from tests.postings.steps import fill_steps, publish_in_steps, start_draft

NEW = "/k/delbrueck/postings/new"


def valid_form(**overrides):
    data = {
        "direction": "request",
        "kind": "zeitspende",
        "category": "shopping",
        "title": "Hilfe beim Wocheneinkauf",
        "description": "Ich suche jemanden, der mich dienstags zum Supermarkt begleitet.",
        "district": "",
        "postcode": "33129",
        "timing": "flexible",
        "on_date": "",  # browsers send untouched fields as empty strings
        "recurrence": "",
        "pay_per_hour": "",
        "radius_km": "",
    }
    data.update(overrides)
    return data


def count_postings() -> int:
    return db.session.scalar(select(func.count(Posting.id)))


@pytest.fixture
def erna(delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    return user


def test_guest_is_sent_to_login_and_nothing_is_stored(client, delbrueck):
    response = client.get(NEW)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = post(client, NEW, valid_form())
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert count_postings() == 0


def test_resident_posts_a_request_with_district(client, erna, delbrueck):
    login_as(client, erna)
    westenholz = delbrueck.districts[1]
    response = publish_in_steps(client, NEW, valid_form(district=str(westenholz.id), postcode=""))
    assert response.status_code == 302
    posting = db.session.scalar(select(Posting))
    assert response.headers["Location"].endswith(f"/k/delbrueck/postings/{posting.id}")
    assert posting.author_id == erna.id and posting.status == "open"
    assert (posting.latitude, posting.longitude) == (westenholz.latitude, westenholz.longitude)
    lifetime = posting.expires_at - posting.created_at
    assert timedelta(days=55) < lifetime <= timedelta(days=56)
    assert "Hilfe beim Wocheneinkauf" in text_of(client.get("/k/delbrueck/"))


def test_offer_with_pay_radius_date_and_remote(client, erna):
    login_as(client, erna)
    day = (date.today() + timedelta(days=3)).isoformat()
    form = valid_form(
        direction="offer",
        kind="taschengeld",
        category="garden",
        timing="date",
        on_date=day,
        start_time="15:00",
        duration_hours="1,5",
        pay_per_hour="8,50",
        radius_km="3",
        is_remote_ok="y",
    )
    assert publish_in_steps(client, NEW, form).status_code == 302
    posting = db.session.scalar(select(Posting))
    assert posting.pay_per_hour_cents == 850
    assert posting.radius_km == 3 and posting.is_remote_ok
    assert posting.on_date.isoformat() == day
    assert posting.start_time.isoformat() == "15:00:00" and posting.duration_minutes == 90


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"description": "kurz"}, "description"),
        ({"description": "y" * 4001}, "description"),
        ({"category": "weapons"}, "category"),
        ({"kind": "lottery"}, "kind"),
        ({"direction": "steal"}, "direction"),
        ({"postcode": "33098"}, "postcode"),
        ({"postcode": "1234"}, "postcode"),
        ({"postcode": ""}, "postcode"),
        ({"timing": "date", "on_date": ""}, "on_date"),
        ({"timing": "date", "on_date": "2020-01-01"}, "on_date"),
        ({"timing": "recurring", "recurrence": ""}, "recurrence"),
        ({"kind": "taschengeld", "pay_per_hour": "viel"}, "pay_per_hour"),
        ({"kind": "taschengeld", "pay_per_hour": "99"}, "pay_per_hour"),
        ({"direction": "offer", "radius_km": "500"}, "radius_km"),
        ({"district": "99999"}, "district"),
    ],
)
def test_bad_input_shows_errors_and_stores_nothing(client, erna, overrides, field):
    # The step that asks for the field refuses it, with the error summary.
    login_as(client, erna)
    response = publish_in_steps(client, NEW, valid_form(**overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="error-summary"' in html
    assert f'href="#{field}"' in html
    assert 'aria-invalid="true"' in html
    assert count_postings() == 0


def test_form_with_errors_keeps_input_and_title_says_error(client, erna):
    login_as(client, erna)
    html = publish_in_steps(client, NEW, valid_form(title="")).get_data(as_text=True)
    assert "Ich suche jemanden" in html
    assert "<title>Fehler:" in html or "<title>Error:" in html


def test_missing_csrf_token_is_refused(client, erna):
    login_as(client, erna)
    response = client.post(NEW, data=valid_form())
    assert response.status_code == 400
    assert count_postings() == 0


def test_resident_of_another_kommune_is_sent_to_their_own(client, erna, paderborn):
    pb = make_user(paderborn, email="pb@example.org", postcode="33098")
    db.session.commit()
    login_as(client, pb)
    response = post(client, NEW, valid_form())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/k/paderborn/postings/new")
    assert count_postings() == 0


def test_author_edits_posting(client, erna):
    posting = make_posting(erna)
    db.session.commit()
    login_as(client, erna)
    form = valid_form(title="Neuer Titel für den Einkauf")
    response = post(client, f"/k/delbrueck/postings/{posting.id}/edit", form)
    assert response.status_code == 302
    db.session.refresh(posting)
    assert posting.title == "Neuer Titel für den Einkauf"


def test_edit_form_is_prefilled(client, erna):
    posting = make_posting(erna, kind="taschengeld", pay_per_hour_cents=1050)
    db.session.commit()
    login_as(client, erna)
    html = client.get(f"/k/delbrueck/postings/{posting.id}/edit").get_data(as_text=True)
    assert 'value="Hilfe beim Einkaufen"' in html and 'value="10,50"' in html


def test_only_the_author_may_change_a_posting(client, erna, delbrueck):
    posting = make_posting(erna)
    other = make_user(delbrueck, email="other@example.org", name="Otto Klein")
    db.session.commit()
    login_as(client, other)
    base = f"/k/delbrueck/postings/{posting.id}"
    assert client.get(f"{base}/edit").status_code == 403
    assert post(client, f"{base}/edit", valid_form(title="Gekapert!")).status_code == 403
    for action in ("close", "reopen", "extend", "done"):
        assert post(client, f"{base}/{action}").status_code == 403
    db.session.refresh(posting)
    assert posting.title == "Hilfe beim Einkaufen" and posting.status == "open"


def test_other_kommune_ids_are_404_for_writes(client, erna, paderborn):
    posting = make_posting(erna)
    db.session.commit()
    login_as(client, erna)
    assert client.get(f"/k/paderborn/postings/{posting.id}/edit").status_code == 404
    assert post(client, f"/k/paderborn/postings/{posting.id}/close").status_code == 404


def test_close_reopen_extend_and_done(client, erna):
    posting = make_posting(erna, expires_at=utcnow() + timedelta(days=1))
    db.session.commit()
    login_as(client, erna)
    base = f"/k/delbrueck/postings/{posting.id}"
    assert post(client, f"{base}/extend").status_code == 302
    db.session.refresh(posting)
    assert posting.expires_at > utcnow() + timedelta(days=55)
    post(client, f"{base}/close")
    db.session.refresh(posting)
    assert posting.status == "closed"
    assert "Hilfe beim Einkaufen" not in text_of(client.get("/k/delbrueck/"))
    post(client, f"{base}/reopen")
    db.session.refresh(posting)
    assert posting.status == "open"
    # The old "done" POST now leads to the form that asks what happened (issue 11 B.1).
    assert post(client, f"{base}/done").headers["Location"].endswith(f"{base}/outcome")
    db.session.refresh(posting)
    assert posting.status == "open"
    post(client, f"{base}/outcome", {"outcome": "not_happened"})
    db.session.refresh(posting)
    assert posting.status == "done"
    # Done is final: no reopening, no editing.
    post(client, f"{base}/reopen")
    db.session.refresh(posting)
    assert posting.status == "done"
    assert client.get(f"{base}/edit").status_code == 302
    post(client, f"{base}/edit", valid_form(title="Doch noch ändern"))
    db.session.refresh(posting)
    assert posting.title == "Hilfe beim Einkaufen"


def test_expired_posting_can_be_reopened_by_author(client, erna):
    posting = make_posting(erna, expires_at=utcnow() - timedelta(days=1))
    db.session.commit()
    login_as(client, erna)
    assert "Hilfe beim Einkaufen" in text_of(client.get("/me/postings"))
    post(client, f"/k/delbrueck/postings/{posting.id}/reopen")
    db.session.refresh(posting)
    assert posting.is_on_board()


def test_state_changes_need_post(client, erna):
    posting = make_posting(erna)
    db.session.commit()
    login_as(client, erna)
    assert client.get(f"/k/delbrueck/postings/{posting.id}/close").status_code == 405
    db.session.refresh(posting)
    assert posting.status == "open"


def test_my_postings_lists_own_postings_only(client, erna, delbrueck):
    make_posting(erna, title="Meins")
    other = make_user(delbrueck, email="o@example.org")
    make_posting(other, title="Fremdes Gesuch")
    db.session.commit()
    login_as(client, erna)
    page = text_of(client.get("/me/postings"))
    assert "Meins" in page and "Fremdes Gesuch" not in page


def token_in(html: str) -> str:
    """The idempotency token rendered into the check step's publish form."""
    return re.search(r'name="idempotency_token" type="hidden" value="([^"]+)"', html).group(1)


def written_draft(client, **overrides) -> str:
    """A draft with every step answered; its base URL."""
    draft_url = start_draft(client, NEW)
    assert fill_steps(client, draft_url, valid_form(**overrides)) is None
    return draft_url


def publish(client, draft_url: str, token: str, **kwargs):
    """Press "Veröffentlichen" on the check page of draft_url with token."""
    draft_id = draft_url.rsplit("/", 1)[1]
    return post(client, NEW, {"draft": draft_id, "idempotency_token": token}, **kwargs)


def test_new_posting_form_carries_a_fresh_token(client, erna):
    login_as(client, erna)
    draft_url = written_draft(client)
    first = token_in(client.get(f"{draft_url}/check").get_data(as_text=True))
    second = token_in(client.get(f"{draft_url}/check").get_data(as_text=True))
    assert len(first) >= 16 and first != second


def test_resubmitted_posting_form_leads_to_the_first_posting(client, erna):
    # The first sending was committed, but its reply never arrived (worker killed): the user
    # sends the same form again.
    login_as(client, erna)
    draft_url = written_draft(client)
    token = token_in(client.get(f"{draft_url}/check").get_data(as_text=True))
    first = publish(client, draft_url, token)
    again = publish(client, draft_url, token, follow_redirects=True)
    assert count_postings() == 1
    posting = db.session.scalar(select(Posting))
    assert first.headers["Location"].endswith(f"/k/delbrueck/postings/{posting.id}")
    assert again.request.path == f"/k/delbrueck/postings/{posting.id}"
    assert "bereits abgeschickt" in text_of(again)


def test_refused_form_can_be_corrected_and_sent_with_the_same_token(client, erna, delbrueck):
    login_as(client, erna)
    draft_url = written_draft(client, kind="tausch")
    token = token_in(client.get(f"{draft_url}/check").get_data(as_text=True))
    # Meanwhile the Kommune closed its Tauschbörse: publishing sends her back to the Börse.
    delbrueck.enabled_kinds_csv = "taschengeld,zeitspende,ehrenamt"
    db.session.commit()
    refused = publish(client, draft_url, token)
    assert refused.status_code == 302
    assert refused.headers["Location"].endswith(f"{draft_url}/kind?check=1")
    assert count_postings() == 0
    corrected = client.get(f"{draft_url}/kind?check=1").get_data(as_text=True)
    assert 'id="error-summary"' in corrected
    assert post(client, f"{draft_url}/kind", {"kind": "zeitspende"}).status_code == 302
    assert publish(client, draft_url, token).status_code == 302
    assert count_postings() == 1


def test_a_new_form_creates_a_second_posting(client, erna):
    login_as(client, erna)
    for _ in range(2):
        draft_url = written_draft(client)
        token = token_in(client.get(f"{draft_url}/check").get_data(as_text=True))
        publish(client, draft_url, token)
    assert count_postings() == 2


def test_my_postings_are_paginated(client, erna):
    for n in range(45):
        make_posting(erna, title=f"Gesuch Nummer {n:02d}")
    db.session.commit()
    login_as(client, erna)
    first = text_of(client.get("/me/postings"))
    assert "Gesuch Nummer 44" in first and "Gesuch Nummer 24" not in first
    third = text_of(client.get("/me/postings?page=3"))
    assert "Gesuch Nummer 04" in third and "Gesuch Nummer 05" not in third
    assert client.get("/me/postings?page=99999999999999999999").status_code == 200
