"""Writing a posting in steps: a draft in the database, one page per step, a check, publishing."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from exchange.admin.models import AuditEntry
from exchange.cli import DAILY_JOBS
from exchange.extensions import db
from exchange.postings.draft_models import PostingDraft
from exchange.postings.draft_services import DRAFT_KEEP_DAYS, prune_drafts
from exchange.postings.models import Posting
from exchange.timeutil import utcnow
from tests.conftest import login_as, make_proxy, make_user, post, text_of
from tests.postings.steps import (
    STEP_FIELDS,
    fill_steps,
    path_of,
    publish_in_steps,
    publish_token,
    start_draft,
)
from tests.postings.test_posting_writes import NEW, count_postings, valid_form

STEPS = ("kind", "direction", "category", "when", "where", "text", "check")


def count_drafts() -> int:
    return db.session.scalar(select(func.count(PostingDraft.id)))


@pytest.fixture
def erna(delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    return user


def draft_id_of(draft_url: str) -> int:
    return int(draft_url.rsplit("/", 1)[1])


def checked_values(html: str, name: str) -> list[str]:
    """The values of the checked inputs called name."""
    inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
    return [re.search(r'value="([^"]*)"', i).group(1) for i in inputs if "checked" in i]


def test_the_entry_starts_a_draft_and_leads_to_the_first_step(client, erna):
    login_as(client, erna)
    response = client.get(NEW)
    assert response.status_code == 302
    assert re.fullmatch(r"/k/delbrueck/postings/drafts/\d+/kind", path_of(response))
    draft = db.session.scalar(select(PostingDraft))
    assert (draft.author_id, draft.municipality_id, draft.acting_admin_id) == (
        erna.id,
        erna.municipality_id,
        None,
    )
    # Opening the entry again resumes the untouched draft instead of piling up empty ones.
    assert path_of(client.get(NEW)) == path_of(response)
    assert count_drafts() == 1
    assert count_postings() == 0


def test_radios_start_with_nothing_chosen(client, erna):
    login_as(client, erna)
    draft_url = start_draft(client, NEW)
    data = valid_form()
    for step, name in (("kind", "kind"), ("direction", "direction"), ("category", "category")):
        html = client.get(f"{draft_url}/{step}").get_data(as_text=True)
        assert re.findall(rf'<input[^>]*name="{name}"', html)
        assert checked_values(html, name) == []
        assert fill_steps(client, draft_url, data, until=STEPS[STEPS.index(step) + 1]) is None
    html = client.get(f"{draft_url}/when").get_data(as_text=True)
    assert checked_values(html, "timing") == []


def test_each_step_keeps_its_input_when_going_back(client, erna, delbrueck):
    login_as(client, erna)
    draft_url = start_draft(client, NEW)
    day = (utcnow().date() + timedelta(days=5)).isoformat()
    westenholz = str(next(d.id for d in delbrueck.districts if d.name == "Westenholz"))
    answers = valid_form(
        kind="taschengeld",
        direction="offer",
        category="garden",
        timing="date",
        on_date=day,
        start_time="15:00",
        duration_hours="2",
        district=westenholz,
        postcode="",
        radius_km="7",
        is_remote_ok="y",
        pay_per_hour="9,50",
    )
    for index, (step, names) in enumerate(STEP_FIELDS.items()):
        fields = {name: answers[name] for name in names if name in answers}
        if index:
            # "Zurück" keeps what was typed on this step, then "Weiter" from the step before.
            back = post(client, f"{draft_url}/{step}", {**fields, "nav": "back"})
            assert path_of(back) == f"{draft_url}/{STEPS[index - 1]}"
            again = post(
                client,
                f"{draft_url}/{STEPS[index - 1]}",
                {"nav": "next"} | kept(answers, STEPS[index - 1]),
            )
            assert path_of(again) == f"{draft_url}/{step}"
        html = client.get(f"{draft_url}/{step}").get_data(as_text=True)
        for name, value in fields.items():
            if name in ("kind", "direction", "category", "timing", "district"):
                if index:  # a choice made before going back is still chosen
                    assert (
                        value in checked_values(html, name)
                        or f'value="{value}" selected' in html
                        or f'selected value="{value}"' in html
                    ), (step, name)
            elif name == "is_remote_ok":
                if index:
                    assert re.search(
                        r'<input[^>]*checked[^>]*name="is_remote_ok"|<input[^>]*name="is_remote_ok"[^>]*checked',
                        html,
                    )
            elif index and value:
                assert value in html, (step, name)  # an input's value or a textarea's text
        assert post(client, f"{draft_url}/{step}", {**fields, "nav": "next"}).status_code == 302
    check = text_of(client.get(f"{draft_url}/check"))
    assert "Westenholz" in check and "9,50" in check and "7 km" in check


def kept(answers: dict, step: str) -> dict:
    return {name: answers[name] for name in STEP_FIELDS[step] if name in answers}


def test_going_back_keeps_even_unfinished_text(client, erna):
    login_as(client, erna)
    draft_url = start_draft(client, NEW)
    assert fill_steps(client, draft_url, valid_form(), until="text") is None
    back = post(client, f"{draft_url}/text", {"title": "Hal", "description": "", "nav": "back"})
    assert path_of(back) == f"{draft_url}/where"
    html = client.get(f"{draft_url}/text").get_data(as_text=True)
    assert 'value="Hal"' in html and 'id="error-summary"' not in html
    # But "Weiter" refuses it, with the error summary, and the check page stays out of reach.
    refused = post(client, f"{draft_url}/text", {"title": "Hal", "description": "", "nav": "next"})
    assert refused.status_code == 200 and 'id="error-summary"' in refused.get_data(as_text=True)
    assert path_of(client.get(f"{draft_url}/check")) == f"{draft_url}/text"


def test_skipping_ahead_leads_to_the_first_missing_step(client, erna):
    login_as(client, erna)
    draft_url = start_draft(client, NEW)
    for step in STEPS[1:]:
        response = client.get(f"{draft_url}/{step}")
        assert response.status_code == 302 and path_of(response) == f"{draft_url}/kind"
    # Answers sent straight to a later step change nothing.
    response = post(client, f"{draft_url}/text", {**valid_form(), "nav": "next"})
    assert path_of(response) == f"{draft_url}/kind"
    assert db.session.scalar(select(PostingDraft.data)) == {}
    assert fill_steps(client, draft_url, valid_form(), until="category") is None
    assert path_of(client.get(f"{draft_url}/where")) == f"{draft_url}/category"
    assert client.get(f"{draft_url}/nonsense").status_code == 404


def test_taschengeld_asks_for_pay_and_zeitspende_does_not(client, erna):
    login_as(client, erna)
    paid = start_draft(client, NEW + "?kind=taschengeld")
    assert fill_steps(client, paid, valid_form(kind="taschengeld"), until="text") is None
    assert 'name="pay_per_hour"' in client.get(f"{paid}/text").get_data(as_text=True)
    free = start_draft(client, NEW + "?kind=zeitspende")
    assert fill_steps(client, free, valid_form(kind="zeitspende"), until="text") is None
    assert 'name="pay_per_hour"' not in client.get(f"{free}/text").get_data(as_text=True)
    # Pay typed while it was Taschengeld is not published once the Börse changes.
    assert fill_steps(client, paid, valid_form(kind="taschengeld", pay_per_hour="8")) is None
    assert post(client, f"{paid}/kind", {"kind": "zeitspende", "nav": "next"}).status_code == 302
    post(
        client, NEW, {"draft": draft_id_of(paid), "idempotency_token": publish_token(client, paid)}
    )
    posting = db.session.scalar(select(Posting))
    assert posting.kind == "zeitspende" and posting.pay_per_hour_cents is None


def test_check_page_shows_the_posting_with_links_to_each_step(client, erna):
    login_as(client, erna)
    draft_url = start_draft(client, NEW)
    form = valid_form(description="Ich suche jemanden für den Einkauf am Dienstag.")
    assert fill_steps(client, draft_url, form) is None
    response = client.get(f"{draft_url}/check")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Hilfe beim Wocheneinkauf" in html
    assert "Ich suche jemanden für den Einkauf am Dienstag." in html
    assert "Einkaufen" in text_of(response)  # the category, in German
    for step in STEPS[:-1]:
        assert f'href="{draft_url}/{step}"' in html
    assert (
        f'action="{NEW}"' in html
        and f'name="draft" type="hidden" value="{draft_id_of(draft_url)}"' in html
    )
    assert count_postings() == 0  # nothing is published by looking


def test_publishing_creates_one_posting_and_removes_the_draft(client, erna):
    login_as(client, erna)
    draft_url = start_draft(client, NEW)
    assert fill_steps(client, draft_url, valid_form()) is None
    token = publish_token(client, draft_url)
    data = {"draft": draft_id_of(draft_url), "idempotency_token": token}
    first = post(client, NEW, data)
    posting = db.session.scalar(select(Posting))
    assert path_of(first) == f"/k/delbrueck/postings/{posting.id}"
    assert (posting.author_id, posting.title, posting.status) == (
        erna.id,
        "Hilfe beim Wocheneinkauf",
        "open",
    )
    assert count_drafts() == 0
    # A double click sends the same form again: it leads to the same posting.
    again = post(client, NEW, data)
    assert path_of(again) == path_of(first)
    # A second tab's check page (another token) finds the draft gone: no second posting.
    other = post(client, NEW, {"draft": data["draft"], "idempotency_token": "z" * 22})
    assert path_of(other) == "/me/postings"
    assert count_postings() == 1
    assert client.get(f"{draft_url}/check").status_code == 404


def test_publishing_checks_the_whole_draft_again(client, erna, delbrueck):
    login_as(client, erna)
    draft_url = start_draft(client, NEW)
    day = (utcnow().date() + timedelta(days=2)).isoformat()
    assert fill_steps(client, draft_url, valid_form(timing="date", on_date=day)) is None
    token = publish_token(client, draft_url)
    # The date has passed while the draft waited.
    draft = db.session.get(PostingDraft, draft_id_of(draft_url))
    draft.data = {**draft.data, "on_date": "2020-01-01"}
    db.session.commit()
    response = post(client, NEW, {"draft": draft.id, "idempotency_token": token})
    assert path_of(response) == f"{draft_url}/when?check=1"
    page = client.get(f"{draft_url}/when?check=1").get_data(as_text=True)
    assert 'id="error-summary"' in page and 'href="#on_date"' in page
    assert count_postings() == 0 and count_drafts() == 1


def test_another_persons_or_kommunes_draft_is_a_404(client, erna, delbrueck, paderborn):
    login_as(client, erna)
    draft_url = start_draft(client, NEW)
    assert fill_steps(client, draft_url, valid_form()) is None
    draft_id = draft_id_of(draft_url)
    token = publish_token(client, draft_url)
    # The same draft under another Kommune's address is not found, even for its author.
    assert client.get(f"/k/paderborn/postings/drafts/{draft_id}/check").status_code == 404
    assert client.get(f"/k/paderborn/postings/drafts/{draft_id}/discard").status_code == 404

    petra = make_user(delbrueck, email="petra@example.org", name="Petra Helfer")
    db.session.commit()
    client = client.application.test_client()  # her own browser
    login_as(client, petra)
    for step in (*STEPS, "discard"):
        assert client.get(f"{draft_url}/{step}").status_code == 404, step
    assert (
        post(
            client, f"{draft_url}/text", {**valid_form(title="Gekapert!"), "nav": "next"}
        ).status_code
        == 404
    )
    assert post(client, f"{draft_url}/discard").status_code == 404
    # Publishing someone else's draft: not found, nothing created.
    response = post(client, NEW, {"draft": draft_id, "idempotency_token": token})
    assert path_of(response) == "/me/postings"
    assert count_postings() == 0 and count_drafts() == 1
    assert db.session.get(PostingDraft, draft_id).data["title"] == "Hilfe beim Wocheneinkauf"


def test_guests_and_unconfirmed_accounts_cannot_write_drafts(client, erna, delbrueck):
    draft = PostingDraft(municipality_id=delbrueck.id, author_id=erna.id, step="kind", data={})
    db.session.add(draft)
    db.session.commit()
    url = f"/k/delbrueck/postings/drafts/{draft.id}/kind"
    assert "/login" in client.get(url).headers["Location"]
    erna.is_email_confirmed = False
    db.session.commit()
    login_as(client, erna)
    assert client.get(url).status_code == 403
    assert post(client, url, {"kind": "zeitspende", "nav": "next"}).status_code == 403
    assert client.get(NEW).status_code == 403
    assert db.session.get(PostingDraft, draft.id).data == {}


def test_my_postings_lists_drafts_to_continue_or_throw_away(client, erna):
    login_as(client, erna)
    draft_url = start_draft(client, NEW)
    assert fill_steps(client, draft_url, valid_form(), until="when") is None
    html = client.get("/me/postings").get_data(as_text=True)
    assert 'class="posting-card draft-card"' in html
    assert f'href="{draft_url}/when"' in html  # continue where she stopped
    assert f'href="{draft_url}/discard"' in html
    # Throwing away asks first; only the confirmation deletes.
    confirm = client.get(f"{draft_url}/discard")
    assert confirm.status_code == 200 and count_drafts() == 1
    assert 'method="post"' in confirm.get_data(as_text=True)
    response = post(client, f"{draft_url}/discard")
    assert path_of(response) == "/me/postings"
    assert count_drafts() == 0
    assert "draft-card" not in client.get("/me/postings").get_data(as_text=True)


def test_an_admin_acting_for_a_proxy_writes_her_draft_in_the_same_steps(client, delbrueck):
    admin = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    proxy = make_proxy(delbrueck, name="Erna Schulte")
    db.session.commit()
    login_as(client, admin)
    post(client, f"/k/delbrueck/admin/proxies/{proxy.id}/act")
    draft_url = start_draft(client, NEW)
    assert fill_steps(client, draft_url, valid_form(title="Begleitung zum Arzt")) is None
    draft = db.session.get(PostingDraft, draft_id_of(draft_url))
    assert (draft.author_id, draft.acting_admin_id) == (proxy.id, admin.id)
    # Writing the draft is not yet an action for her: only publishing is recorded.
    assert db.session.scalars(select(AuditEntry.action)).all() == ["acting.start"]
    assert "Sie handeln für Erna Schulte" in text_of(client.get(f"{draft_url}/check"))
    publish = post(
        client,
        NEW,
        {"draft": draft.id, "idempotency_token": publish_token(client, draft_url)},
    )
    posting = db.session.scalar(select(Posting))
    assert path_of(publish) == f"/k/delbrueck/postings/{posting.id}"
    assert posting.author_id == proxy.id
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.admin_id, e.proxy_id, e.object_type, e.object_id) for e in entries] == [
        ("acting.start", admin.id, proxy.id, "user", proxy.id),
        ("postings.create", admin.id, proxy.id, "posting", posting.id),
    ]
    assert count_drafts() == 0
    # The proxy's draft is not the admin's own: after acting, it is a 404 for her.
    draft_url = start_draft(client, NEW)
    post(client, "/k/delbrueck/admin/acting/stop")
    assert client.get(f"{draft_url}/kind").status_code == 404


def test_old_drafts_are_erased_by_the_daily_job(app, erna, delbrueck):
    now = utcnow()
    for days, title in ((DRAFT_KEEP_DAYS + 1, "alt"), (DRAFT_KEEP_DAYS - 1, "frisch")):
        db.session.add(
            PostingDraft(
                municipality_id=delbrueck.id,
                author_id=erna.id,
                step="text",
                data={"title": title},
                created_at=now - timedelta(days=days),
                updated_at=now - timedelta(days=days),
            )
        )
    db.session.commit()
    assert prune_drafts(now + timedelta(hours=1)) == 1
    db.session.commit()
    assert [d.data["title"] for d in db.session.scalars(select(PostingDraft))] == ["frisch"]
    # In a month the fresh one is gone too; the daily command runs this job.
    assert prune_drafts(now + timedelta(days=DRAFT_KEEP_DAYS)) == 1
    assert any(job.__name__ == "_prune_drafts" for _name, job in DAILY_JOBS)
    result = app.test_cli_runner().invoke(args=["exchange", "daily"])
    assert "old unfinished postings removed: 0" in result.output


def test_publishing_helper_keeps_the_old_assertions_honest(client, erna):
    # publish_in_steps returns the refusing step's page, so a bad title is shown like before.
    login_as(client, erna)
    response = publish_in_steps(client, NEW, valid_form(title="x"))
    assert response.status_code == 200
    assert 'href="#title"' in response.get_data(as_text=True)
    assert count_postings() == 0 and count_drafts() == 1
