"""Thanks: the person helped (or the admin acting for her) thanks once; reported and hidden
thanks leave the helper's page and her proof."""

from datetime import date

import pytest
from sqlalchemy import func, select

from exchange.admin.models import AuditEntry, Report
from exchange.extensions import db
from exchange.ledger.models import HelpRecord, Thanks
from exchange.ledger.vocab import RecordStatus
from tests.conftest import login_as, make_proxy, make_user, post, text_of
from tests.ledger.certificate_helpers import confirmed_help, pdf_text


@pytest.fixture
def cast(delbrueck):
    petra = make_user(delbrueck, email="petra@example.org", name="Petra Helferin")
    erna = make_user(delbrueck, email="erna@example.org", name="Erna Empfängerin")
    other = make_user(delbrueck, email="otto@example.org", name="Otto Dritter")
    admin = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    record = confirmed_help(petra, erna, date(2026, 3, 4), 120)
    db.session.commit()
    return petra, erna, other, admin, record


def _url(record):
    return f"/me/engagement/{record.id}/danke"


def test_the_recipient_thanks_once_and_the_helper_sees_it(app, client, cast):
    petra, erna, _other, _admin, record = cast
    login_as(client, erna)
    received = text_of(client.get("/me/engagement/nachweis?lang=en"))
    assert f'href="{_url(record)}"' in received  # "Say thank you"
    form = client.get(_url(record) + "?lang=en")
    assert form.status_code == 200 and "Your thank-you" in text_of(form)
    # Empty or too long: the error summary, nothing saved.
    for body in ("", "x" * 501):
        response = post(client, _url(record) + "?lang=en", {"body": body})
        assert response.status_code == 200 and "There is a problem" in text_of(response)
    assert db.session.scalar(select(func.count(Thanks.id))) == 0
    body = "Danke, Petra! Ruf mich an: 0170 1234567"
    assert post(client, _url(record), {"body": body}).status_code == 302
    thanks = db.session.scalar(select(Thanks))
    assert (thanks.author_id, thanks.helper_id, thanks.help_record_id) == (
        erna.id,
        petra.id,
        record.id,
    )
    assert not thanks.is_on_certificate and not thanks.is_hidden
    # Once: a second one is refused.
    again = post(client, _url(record), {"body": "Nochmals danke"})
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(Thanks.id))) == 1

    helper = app.test_client()
    login_as(helper, petra)
    page = text_of(helper.get("/me/engagement/nachweis?lang=en"))
    assert "Danke, Petra!" in page
    assert "0170 1234567" not in page  # contact data masked as in postings
    # She ticks it for her proof.
    post(helper, f"/me/engagement/nachweis/danke/{thanks.id}", {"on_certificate": "1"})
    db.session.expire_all()
    assert db.session.get(Thanks, thanks.id).is_on_certificate
    text = pdf_text(post(helper, "/me/engagement/nachweis/2026.pdf"))
    assert "Danke, Petra!" in text and "0170 1234567" not in text
    post(helper, f"/me/engagement/nachweis/danke/{thanks.id}", {"on_certificate": "0"})
    db.session.expire_all()
    assert not db.session.get(Thanks, thanks.id).is_on_certificate


def test_only_the_recipient_may_thank_and_only_for_confirmed_help(app, client, cast):
    petra, erna, other, _admin, record = cast
    for user in (petra, other):
        someone = app.test_client()
        login_as(someone, user)
        assert someone.get(_url(record)).status_code == 404
        assert post(someone, _url(record), {"body": "Danke"}).status_code == 404
    waiting = HelpRecord(
        municipality_id=record.municipality_id,
        kind="zeitspende",
        category="shopping",
        helper_id=petra.id,
        recipient_id=erna.id,
        on_date=date(2026, 4, 1),
        minutes_reported=60,
        status=RecordStatus.REPORTED,
    )
    db.session.add(waiting)
    db.session.commit()
    login_as(client, erna)
    assert post(client, _url(waiting), {"body": "Danke"}).status_code == 404
    assert client.get("/me/engagement/999999/danke").status_code == 404
    assert db.session.scalar(select(func.count(Thanks.id))) == 0
    # Someone else cannot tick or report the helper's thanks.
    thanks = Thanks(
        municipality_id=record.municipality_id,
        help_record_id=record.id,
        author_id=erna.id,
        helper_id=petra.id,
        body="Danke",
    )
    db.session.add(thanks)
    db.session.commit()
    assert (
        post(
            client, f"/me/engagement/nachweis/danke/{thanks.id}", {"on_certificate": "1"}
        ).status_code
        == 404
    )
    assert client.get(f"/me/engagement/nachweis/danke/{thanks.id}/melden").status_code == 404


def test_an_admin_acting_for_a_proxy_thanks_in_her_name(client, delbrueck):
    admin = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    gertrud = make_proxy(delbrueck, name="Gertrud Schäfer")
    petra = make_user(delbrueck, email="petra@example.org", name="Petra Helferin")
    record = confirmed_help(petra, gertrud, date(2026, 3, 4), 60)
    db.session.commit()
    login_as(client, admin)
    # Not acting: the admin herself received no help.
    assert client.get(_url(record)).status_code == 404
    assert post(client, f"/k/delbrueck/admin/proxies/{gertrud.id}/act").status_code == 302
    assert post(client, _url(record), {"body": "Vielen Dank von Gertrud"}).status_code == 302
    thanks = db.session.scalar(select(Thanks))
    assert thanks.author_id == gertrud.id and thanks.helper_id == petra.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificates.thank"))
    assert (entry.admin_id, entry.proxy_id, entry.object_type) == (admin.id, gertrud.id, "thanks")


def test_report_then_hide_removes_the_thanks_from_page_and_proof(app, client, cast):
    petra, erna, _other, admin, record = cast
    thanks = Thanks(
        municipality_id=record.municipality_id,
        help_record_id=record.id,
        author_id=erna.id,
        helper_id=petra.id,
        body="Ein unfreundlicher Dank",
        is_on_certificate=True,
    )
    db.session.add(thanks)
    db.session.commit()
    login_as(client, petra)
    url = f"/me/engagement/nachweis/danke/{thanks.id}/melden"
    assert client.get(url).status_code == 200
    assert post(client, url, {"reason": ""}).status_code == 200
    assert post(client, url, {"reason": "Das ist gemein."}).status_code == 302
    report = db.session.scalar(select(Report))
    assert report.thanks_id == thanks.id and report.reporter_id == petra.id

    moderator = app.test_client()
    login_as(moderator, admin)
    queue = text_of(moderator.get("/k/delbrueck/admin/reports"))
    assert "Ein unfreundlicher Dank" in queue and "Das ist gemein." in queue
    assert post(moderator, f"/k/delbrueck/admin/thanks/{thanks.id}/hide").status_code == 302
    db.session.expire_all()
    hidden = db.session.get(Thanks, thanks.id)
    assert hidden.is_hidden and not hidden.is_on_certificate

    assert "Ein unfreundlicher Dank" not in text_of(client.get("/me/engagement/nachweis"))
    assert "Ein unfreundlicher Dank" not in pdf_text(
        post(client, "/me/engagement/nachweis/2026.pdf")
    )
    # Hidden thanks cannot be ticked again.
    post(client, f"/me/engagement/nachweis/danke/{thanks.id}", {"on_certificate": "1"})
    db.session.expire_all()
    assert not db.session.get(Thanks, thanks.id).is_on_certificate


def test_another_kommunes_admin_cannot_hide_thanks(client, cast, paderborn):
    petra, erna, _other, _admin, record = cast
    thanks = Thanks(
        municipality_id=record.municipality_id,
        help_record_id=record.id,
        author_id=erna.id,
        helper_id=petra.id,
        body="Danke",
    )
    outsider = make_user(paderborn, email="pb@example.org", role="admin", postcode="33098")
    db.session.add(thanks)
    db.session.commit()
    login_as(client, outsider)
    assert post(client, f"/k/delbrueck/admin/thanks/{thanks.id}/hide").status_code == 403
    assert post(client, f"/k/paderborn/admin/thanks/{thanks.id}/hide").status_code == 404
    db.session.expire_all()
    assert not db.session.get(Thanks, thanks.id).is_hidden
