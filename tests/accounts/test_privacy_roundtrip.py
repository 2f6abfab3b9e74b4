"""One person in every table: the export shows all of it, the deletion leaves none of it.

The test walks db.metadata, so a table added later fails it until the test puts her into that
table (and thereby proves that export and deletion handle it) or the table is listed below as
holding nothing about anybody.
"""

import json
from datetime import timedelta

from sqlalchemy import String, Text, func, select

from exchange.accounts.models import ActivationCode, PasswordResetToken, User, UserSession
from exchange.admin import audit
from exchange.admin.models import AuditEntry, CallNote, ProxyProfile, Report
from exchange.core.idempotency import IdempotencyKey
from exchange.extensions import db
from exchange.ledger.models import Certificate, HelpRecord, LedgerEntry, Thanks
from exchange.messaging import services as messaging
from exchange.messaging.models import Conversation, Message
from exchange.municipalities.accessibility.models import AccessibilityFeedback
from exchange.municipalities.terms import TermsVersion
from exchange.notifications.models import Notification, OutboxEmail, SavedSearch
from exchange.postings.draft_models import PostingDraft
from exchange.timeutil import utcnow
from exchange.youth.models import ParentalConsent
from tests.conftest import PASSWORD, login_as, make_posting, make_user, post, text_of

# Tables that hold nothing about any person: the tenant and its places, set up by the operator.
NO_PERSONAL_DATA = {
    "municipality",  # the Kommune: name, PLZ list, texts written by the town hall
    "district",  # Ortsteile with approximate centroids
    "accessibility_statement",  # the Kommune's statement, written by the town hall
    "easy_language_page",  # the town hall's Leichte-Sprache text; who checked it is no account
    "reminder_sent",  # which reminder went out for which posting; goes with the posting
    "engagement_settings",  # the Kommune's signatory, stamp and retention periods
    "youth_policy",  # the Kommune's rules for young helpers; who changed them is an admin
    "youth_local_holiday",  # the Kommune's own holidays
    "youth_school_holiday",  # the Land's school holidays as the town hall entered them
}

EMAIL = "erna.zweifel@example.org"
NAME = "Erna Zweifelhaft"
PHONE = "05250 98765"
WORD = "Quittenmusgelee"  # appears only in her postings and messages
ADDRESS = "Kirschallee 17"
MARKERS = (EMAIL, NAME, PHONE, WORD, ADDRESS)
RESET_TOKEN = "Zq" * 22  # what a reset link in a stored mail looks like


def _fill_every_table(app, delbrueck):
    """Put her into every table: as author, responder, reporter, proxy, recipient, owner."""
    admin = make_user(delbrueck, email="amt@delbrueck.example", name="Heike Amt", role="admin")
    jonas = make_user(delbrueck, email="jonas@example.org", name="Jonas Becker", locale="en")
    her = make_user(delbrueck, email=EMAIL, name=NAME, phone=PHONE, accepted_terms_version=2)
    db.session.add(
        ProxyProfile(  # the town hall looked after her before she activated her own login
            user_id=her.id,
            postal_address=f"{ADDRESS}\n33129 Delbrück",
            birth_year=1950,
            contact_times="vormittags",
            consent_on=utcnow().date(),
            consent_method="in_person",
            consent_by="Heike Amt",
            created_by_id=admin.id,
            activated_at=utcnow(),
        )
    )
    # As if she had been the Kommune's admin who published version 2 of its terms.
    db.session.add(
        TermsVersion(
            municipality_id=delbrueck.id,
            version=2,
            terms_text="Nutzungsbedingungen",
            conduct_text="Verhaltensregeln",
            published_by_id=her.id,
        )
    )
    hers = make_posting(her, title=f"{WORD} gesucht", description=f"Wer kocht {WORD}? {PHONE}")
    his = make_posting(jonas, title="Rasen mähen", direction="offer", category="garden")
    db.session.commit()

    with app.test_request_context():
        # Real sends, so the e-mails to Jonas quote her words as they would in production.
        on_hers = messaging.respond(hers, jonas, "Ich helfe gern beim Einkochen.")
        mine = messaging.send_message(on_hers, her, f"Für das {WORD} ruf mich an: {PHONE}")
        on_his = messaging.respond(his, her, f"Ich bringe Ihnen {WORD} mit, {NAME}")
        his_message = messaging.send_message(on_his, jonas, "Gern, bis Samstag!")
        audit.entry(admin, her, "acting.start", her)
        audit.entry(admin, her, "postings.create", hers)
    db.session.add_all(
        [
            Report(
                municipality_id=delbrueck.id,
                reporter_id=her.id,
                message_id=his_message.id,
                reason=f"{NAME} fühlt sich bedrängt ({PHONE})",
            ),
            Report(  # someone else's report about her message stays, her words do not
                municipality_id=delbrueck.id,
                reporter_id=jonas.id,
                message_id=mine.id,
                reason="Telefonnummer im Text",
            ),
            CallNote(
                municipality_id=delbrueck.id,
                conversation_id=on_hers.id,
                author_id=admin.id,
                author_name=admin.display_name,
                body=f"{NAME} angerufen unter {PHONE}, sie freut sich.",
            ),
            SavedSearch(
                user_id=her.id,
                municipality_id=delbrueck.id,
                direction="offer",
                category="garden",
                place_name="Westenholz",
                latitude=her.latitude,
                longitude=her.longitude,
            ),
            ActivationCode(
                user_id=her.id,
                code_hash="a" * 64,
                created_by_id=admin.id,
                expires_at=utcnow() + timedelta(days=30),
                used_at=utcnow(),
            ),
            PasswordResetToken(
                user_id=her.id, token_hash="b" * 64, expires_at=utcnow() + timedelta(hours=2)
            ),
            IdempotencyKey(user_id=her.id, token="d" * 22, result_url="/k/delbrueck/postings/1"),
            AccessibilityFeedback(  # she reported a barrier, giving her name and address
                municipality_id=delbrueck.id,
                message=f"Das Rezept für {WORD} ist ein PDF",
                name=NAME,
                email=EMAIL.upper(),
            ),
            AccessibilityFeedback(  # somebody else's report stays
                municipality_id=delbrueck.id, message="Kontrast zu schwach", email="x@example.org"
            ),
            PostingDraft(  # a posting she has not finished writing, begun by the town hall
                municipality_id=delbrueck.id,
                author_id=her.id,
                acting_admin_id=admin.id,
                step="text",
                data={"kind": "zeitspende", "title": f"{WORD} für {NAME}", "description": PHONE},
            ),
            UserSession(  # signed in on her tablet
                user_id=her.id, token_hash="c" * 64, generation=her.session_version, device="Tablet"
            ),
            OutboxEmail(
                recipient=EMAIL,
                subject="Reset your password",
                body=f"Hello {NAME},\nhttp://x/password/reset/{RESET_TOKEN}",
                locale="de",
            ),
            OutboxEmail(
                recipient=EMAIL,
                subject="Something new fits",
                body=f"Hello {NAME},\n* Rasen mähen ({WORD})",
                locale="de",
                sent_at=utcnow(),
            ),
            OutboxEmail(  # the admins' alert names her in full
                recipient=admin.email,
                subject=f"New message for {NAME}",
                body=f"There is a new message for {NAME} about “{WORD} gesucht”.",
                locale="de",
            ),
        ]
    )
    db.session.flush()
    db.session.add_all(
        [
            Notification(
                user_id=her.id,
                municipality_id=delbrueck.id,
                posting_id=his.id,
                own_posting_id=hers.id,
                reasons_json='[["same_category", {}]]',
            ),
            Notification(  # Jonas was told about her posting
                user_id=jonas.id,
                municipality_id=delbrueck.id,
                posting_id=hers.id,
                reasons_json="[]",
            ),
        ]
    )
    # Jonas helped her for two hours, confirmed and booked: +120 for him, −120 for her.
    record = HelpRecord(
        municipality_id=delbrueck.id,
        posting_id=hers.id,
        conversation_id=on_hers.id,
        kind="zeitspende",
        category="shopping",
        helper_id=jonas.id,
        recipient_id=her.id,
        on_date=utcnow().date(),
        minutes_reported=120,
        minutes_confirmed=120,
        status="confirmed",
        reported_by_id=her.id,
        confirmed_by_id=jonas.id,
    )
    db.session.add(record)
    db.session.flush()
    for user_id, minutes in ((jonas.id, 120), (her.id, -120)):
        db.session.add(
            LedgerEntry(
                municipality_id=delbrueck.id,
                user_id=user_id,
                help_record_id=record.id,
                kind="zeitspende",
                category="shopping",
                on_date=record.on_date,
                minutes=minutes,
                booked_by_id=jonas.id,
            )
        )
    # She thanked Jonas; her own proof for a year she helped; a consent form from her youth.
    db.session.add_all(
        [
            Thanks(
                municipality_id=delbrueck.id,
                help_record_id=record.id,
                author_id=her.id,
                helper_id=jonas.id,
                body=f"Danke für das {WORD}!",
            ),
            Certificate(
                municipality_id=delbrueck.id,
                user_id=her.id,
                code="ABCD-EFGH-JKLM-NPQR",
                year=2025,
                holder_name=NAME,
                total_minutes=600,
                summary_json="{}",
            ),
            ParentalConsent(
                municipality_id=delbrueck.id,
                user_id=her.id,
                signed_on=utcnow().date(),
                signed_by="Hans Zweifel-Vater",
                taken_by="Heike Amt",
                recorded_by_id=admin.id,
            ),
        ]
    )
    db.session.commit()
    return her, jonas, on_hers.id


def _user_keys(table):
    """Columns of table that refer to an account."""
    users = User.__table__
    return [fk.parent for fk in table.foreign_keys if fk.column is users.c.id] + (
        [users.c.id] if table is users else []
    )


def _text_columns(table):
    return [c for c in table.columns if isinstance(c.type, String | Text)]


def _traces(user_id: int) -> dict[str, list[str]]:
    """Per table, where a marker or her account id is still found."""
    found = {}
    for table in db.metadata.sorted_tables:
        hits = []
        for key in _user_keys(table):
            n = db.session.scalar(select(func.count()).select_from(table).where(key == user_id))
            if n:
                hits.append(f"{key.name}={user_id} in {n} rows")
        columns = _text_columns(table)
        if columns:
            for row in db.session.execute(select(*columns)):
                for column, value in zip(columns, row, strict=True):
                    for marker in MARKERS:
                        if value and marker.lower() in value.lower():
                            hits.append(f"{column.name} contains {marker!r}")
        if hits:
            found[table.name] = hits
    return found


def test_export_shows_everything_and_deletion_leaves_nothing(app, client, delbrueck):
    her, jonas, conversation_id = _fill_every_table(app, delbrueck)
    her_id = her.id

    # Every table that can hold a person holds her now, or the test has to learn the table.
    before = _traces(her_id)
    unfilled = {t.name for t in db.metadata.sorted_tables} - set(before) - NO_PERSONAL_DATA
    assert not unfilled, f"fill these tables for her, or list them in NO_PERSONAL_DATA: {unfilled}"

    login_as(client, her)
    response = client.get("/me/export")
    raw = response.get_data(as_text=True)
    data = json.loads(raw)
    for marker in MARKERS:
        assert marker in raw, marker
    assert data["profile"]["email"] == EMAIL and data["profile"]["phone"] == PHONE
    assert data["profile"]["match_email_frequency"] == "immediate"  # every column, not a pick
    assert data["town_hall_record"]["consent_by"] == "Heike Amt"
    assert [p["title"] for p in data["postings"]] == [f"{WORD} gesucht"]
    talks = {c["posting_title"]: c for c in data["conversations"]}
    assert talks["Rasen mähen"]["other_person"] == "Jonas B."
    assert [m["body"] for m in talks["Rasen mähen"]["messages"]] == [
        f"Ich bringe Ihnen {WORD} mit, {NAME}",
        "Gern, bis Samstag!",
    ]
    assert data["saved_search"][0]["place_name"] == "Westenholz"
    assert [(r["role"], r["minutes_confirmed"]) for r in data["help_records"]] == [("helped", 120)]
    assert [e["minutes"] for e in data["ledger_entries"] if e["mine"]] == [-120]
    assert [t["body"] for t in data["thanks"]] == [f"Danke für das {WORD}!"]
    assert [(p["year"], p["holder_name"]) for p in data["engagement_proofs"]] == [(2025, NAME)]
    assert [c["signed_by"] for c in data["parental_consents"]] == ["Hans Zweifel-Vater"]
    assert [r["message"] for r in data["barrier_reports"]] == [f"Das Rezept für {WORD} ist ein PDF"]
    assert data["notification"][0]["reasons_json"] == '[["same_category", {}]]'
    assert data["reports_filed"][0]["reason"] == f"{NAME} fühlt sich bedrängt ({PHONE})"
    assert [e["action"] for e in data["town_hall_actions_for_me"]] == [
        "acting.start",
        "postings.create",
    ]
    assert {e["by"] for e in data["town_hall_actions_for_me"]} == {"Delbrück"}
    assert data["town_hall_call_notes"][0]["by"] == "Delbrück"
    assert PHONE in data["town_hall_call_notes"][0]["body"]
    mails = {m["subject"]: m for m in data["emails_to_me"]}
    assert (
        mails["Something new fits"]["status"] == "sent"
        and WORD in mails["Something new fits"]["body"]
    )
    assert mails["Reset your password"]["body"] is None  # it carried a secret link
    assert data["activation_codes"][0]["used_at"] and data["password_resets"][0]["expires_at"]
    # No secrets, nobody else's contact details, not the admin's name.
    for secret in (RESET_TOKEN, "a" * 64, "b" * 64, "argon2", "jonas@example.org", "amt@"):
        assert secret not in raw, secret
    assert "Heike Amt" not in json.dumps(data["town_hall_actions_for_me"])

    response = post(client, "/me/delete", {"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()

    assert _traces(her_id) == {}
    # What others keep: Jonas's conversation on her posting, his words, the Kommune's records.
    kept = db.session.get(Conversation, conversation_id)
    assert [m.body for m in kept.messages] == ["Ich helfe gern beim Einkochen.", None]
    assert db.session.scalar(select(func.count(Report.id))) == 2  # still counted
    assert db.session.scalars(select(AccessibilityFeedback.message)).all() == [
        "Kontrast zu schwach"
    ]
    assert db.session.scalar(select(func.count()).select_from(Message)) == 4
    assert (
        db.session.scalar(
            select(func.count(OutboxEmail.id)).where(OutboxEmail.recipient == "jonas@example.org")
        )
        == 2
    )  # his mails stay, with her words cut out
    assert db.session.get(User, jonas.id) is not None
    # Jonas keeps his hours; hers stay under a pseudonym, so the ledger still sums to zero.
    pseudonyms = db.session.execute(select(LedgerEntry.user_id, LedgerEntry.pseudonym)).all()
    assert sorted(pseudonyms, key=str) == sorted([(jonas.id, None), (None, f"#{her_id}")], key=str)
    assert db.session.scalar(select(func.sum(LedgerEntry.minutes))) == 0
    # Her proof stays checkable as revoked under the pseudonym; the consent record is kept for
    # the retention period, linked to nobody; her thanks are gone.
    proof = db.session.scalars(select(Certificate)).one()
    assert (proof.holder_name, proof.is_revoked) == (f"#{her_id}", True)
    assert db.session.scalars(select(ParentalConsent.user_id)).all() == [None]
    assert db.session.scalar(select(func.count()).select_from(Thanks)) == 0

    # The town hall still sees that things happened, under a pseudonym, and her message as gone.
    post(client, "/logout")
    admin = db.session.scalar(select(User).where(User.email == "amt@delbrueck.example"))
    admin.locale = "en"
    db.session.commit()
    login_as(client, admin)
    audit_page = client.get("/k/delbrueck/admin/audit").get_data(as_text=True)
    assert audit_page.count(f"<td>#{her_id}</td>") == 2 and NAME not in audit_page
    reports_page = text_of(client.get("/k/delbrueck/admin/reports"))
    assert "Message deleted" in reports_page and PHONE not in reports_page


def test_declining_a_registration_erases_it_like_a_deletion(client, delbrueck):
    delbrueck.requires_approval = True
    admin = make_user(delbrueck, email="amt@delbrueck.example", name="Heike Amt", role="admin")
    nina = make_user(delbrueck, email="nina@example.org", name="Nina Zweifel", is_approved=False)
    db.session.add(
        OutboxEmail(
            recipient="nina@example.org",
            subject="Confirm your e-mail address",
            body="Hello Nina Zweifel, please confirm.",
            locale="de",
        )
    )
    db.session.commit()
    nina_id = nina.id
    login_as(client, admin)
    post(client, f"/k/delbrueck/admin/approvals/{nina_id}/decline")
    db.session.expire_all()
    assert db.session.get(User, nina_id) is None
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 0


def test_an_admin_who_deletes_her_account_stays_accountable_under_a_pseudonym(
    app, client, delbrueck
):
    admin = make_user(delbrueck, email="amt@delbrueck.example", name="Heike Amtsfrau", role="admin")
    proxy = make_user(delbrueck, email=None, name="Gertrud Sch", password=None, is_proxy=True)
    db.session.add(
        ProxyProfile(
            user_id=proxy.id,
            consent_on=utcnow().date(),
            consent_method="phone",
            consent_by="Heike Amtsfrau",
            created_by_id=admin.id,
        )
    )
    other = make_user(delbrueck, email="jonas@example.org", name="Jonas Becker")
    talk = Conversation(
        municipality_id=delbrueck.id,
        posting_title="Rasen mähen",
        author_id=other.id,
        responder_id=proxy.id,
    )
    db.session.add(talk)
    db.session.flush()
    db.session.add(
        CallNote(
            municipality_id=delbrueck.id,
            conversation_id=talk.id,
            author_id=admin.id,
            author_name=admin.display_name,
            body="Gertrud kommt am Samstag.",
        )
    )
    audit.entry(admin, proxy, "acting.start", proxy)
    db.session.commit()
    admin_id = admin.id

    login_as(client, admin)
    assert post(client, "/me/delete", {"password": PASSWORD, "confirm": "y"}).status_code == 302
    db.session.expire_all()

    alias = f"#{admin_id}"
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.admin_id, entry.admin_name, entry.proxy_name) == (None, alias, "Gertrud Sch")
    note = db.session.scalar(select(CallNote))
    assert (note.author_name, note.body) == (alias, "Gertrud kommt am Samstag.")
    assert db.session.get(ProxyProfile, proxy.id).consent_by == alias
