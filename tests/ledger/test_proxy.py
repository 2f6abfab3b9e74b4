"""Residents without internet: an admin acting for them reports and confirms the hours."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from exchange.admin.models import AuditEntry
from exchange.extensions import db
from exchange.ledger.models import HelpRecord, LedgerEntry
from exchange.timeutil import clock_at
from tests.conftest import login_as, make_proxy, make_user, post, text_of
from tests.ledger.helpers import answered_posting, outcome_form, report

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@pytest.fixture
def admin(delbrueck):
    user = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    db.session.commit()
    return user


def _act_for(client, proxy):
    assert post(client, f"/k/delbrueck/admin/proxies/{proxy.id}/act").status_code == 302


def _audit(action):
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_admin_acting_for_a_proxy_author_reports_the_outcome(client, delbrueck, admin):
    gertrud = make_proxy(delbrueck, name="Gertrud Schäfer")
    jonas = make_user(delbrueck, email="jonas@example.org", name="Jonas Becker")
    posting, conversation = answered_posting(gertrud, jonas)
    db.session.commit()
    login_as(client, admin)
    _act_for(client, gertrud)
    with clock_at(NOW):
        assert report(client, posting, outcome_form(conversation)).status_code == 302
    record = db.session.scalar(select(HelpRecord))
    assert record.recipient_id == gertrud.id and record.helper_id == jonas.id
    # The admin is recorded as the one who reported, and the audit log says so.
    assert record.reported_by_id == admin.id
    entries = _audit("ledger.outcome")
    assert len(entries) == 1
    assert entries[0].admin_id == admin.id and entries[0].proxy_id == gertrud.id
    assert entries[0].object_type == "helprecord" and entries[0].object_id == record.id


def test_admin_acting_for_a_proxy_helper_confirms_and_is_booked_by(client, delbrueck, admin):
    erna = make_user(delbrueck)
    gertrud = make_proxy(delbrueck, name="Gertrud Schäfer")
    posting, conversation = answered_posting(erna, gertrud)
    db.session.commit()
    login_as(client, erna)
    with clock_at(NOW):
        report(client, posting, outcome_form(conversation, hours="1,5"))
    record = db.session.scalar(select(HelpRecord))
    post(client, "/logout")
    # Nobody reads a proxy's mail: the Kommune's admins were told instead.
    login_as(client, admin)
    waiting = text_of(client.get("/k/delbrueck/admin/help-records"))
    assert 'id="records-waiting"' in waiting and "Gertrud Schäfer" in waiting
    _act_for(client, gertrud)
    # Her engagement page is open to the admin acting for her, with the record to confirm.
    assert f'href="/me/engagement/{record.id}"' in client.get("/me/engagement").get_data(
        as_text=True
    )
    assert post(client, f"/me/engagement/{record.id}", {"answer": "confirm"}).status_code == 302
    db.session.expire_all()
    entries = list(db.session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)))
    assert [(e.user_id, e.minutes) for e in entries] == [(gertrud.id, 90), (erna.id, -90)]
    assert all(e.booked_by_id == admin.id for e in entries)
    assert db.session.get(HelpRecord, record.id).confirmed_by_id == admin.id
    audit = _audit("ledger.confirm")
    assert len(audit) == 1 and audit[0].proxy_id == gertrud.id
    assert audit[0].object_type == "helprecord" and audit[0].object_id == record.id


def test_admins_are_told_when_a_proxy_is_asked_to_confirm(client, delbrueck, admin, mailbox):
    erna = make_user(delbrueck)
    gertrud = make_proxy(delbrueck, name="Gertrud Schäfer")
    posting, conversation = answered_posting(erna, gertrud)
    db.session.commit()
    login_as(client, erna)
    with clock_at(NOW):
        report(client, posting, outcome_form(conversation))
    mails = mailbox.bodies_to("admin@example.org")
    assert any("/k/delbrueck/admin/help-records" in body for body in mails)
