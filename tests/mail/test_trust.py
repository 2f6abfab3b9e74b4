"""E-mail people can trust: links to the configured site, readable 8-bit text, the recipient's
language, the Kommune's signature, and a mail for the helper an author chose."""

import re

import pytest
from sqlalchemy import select

from exchange import create_app
from exchange.extensions import db
from exchange.mail.services import deliver_pending, queue_email
from exchange.messaging.models import Conversation
from tests.conftest import login_as, make_posting, make_proxy, make_user, post

PUBLIC = "https://nachbarn.example.org"
HOURS = "Mo–Fr 8:30–12:30 Uhr\nDo 14:00–17:30 Uhr"


@pytest.fixture
def town_hall(app, delbrueck):
    """Delbrück with its phone and office hours, and the public address configured."""
    app.config["PUBLIC_BASE_URL"] = PUBLIC + "/"
    delbrueck.phone = "05250 996-0"
    delbrueck.office_hours = HOURS
    db.session.commit()
    return delbrueck


def test_mail_links_use_the_public_base_url_despite_a_forged_host(app, client, town_hall, mailbox):
    erna = make_user(town_hall)
    db.session.commit()
    # Every request of this client comes with the forged Host (its cookies too).
    client.environ_base["HTTP_HOST"] = "evil.example"
    app.config["WTF_CSRF_ENABLED"] = False
    response = post(client, "/password/forgot", {"email": erna.email})
    assert response.status_code in (200, 302)
    (body,) = mailbox.bodies_to(erna.email)
    assert f"{PUBLIC}/password/reset/" in body
    assert "evil.example" not in body
    assert not re.search(r"https?://(?!nachbarn\.example\.org/)", body)


def test_activation_letter_uses_the_public_base_url_despite_a_forged_host(app, client, town_hall):
    admin = make_user(town_hall, email="admin@example.org", name="Heike Amt", role="admin")
    proxy = make_proxy(town_hall, name="Gertrud Meier")
    db.session.commit()
    client.environ_base["HTTP_HOST"] = "evil.example"
    app.config["WTF_CSRF_ENABLED"] = False
    login_as(client, admin)
    url = f"/k/delbrueck/admin/proxies/{proxy.id}/activation"
    question = client.get(url).get_data(as_text=True)
    assert f"{PUBLIC}/activate" in question and "evil.example" not in question
    letter = post(client, url).get_data(as_text=True)
    assert f"{PUBLIC}/activate" in letter and "evil.example" not in letter


def test_production_refuses_to_start_without_a_public_base_url():
    settings = {"SECRET_KEY": "x" * 32, "MAIL_SERVER": "smtp.example.org"}
    for base in ("", "nachbarn.example.org", "https://nachbarn.example.org/boerse"):
        with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
            create_app("production", {**settings, "PUBLIC_BASE_URL": base})
    app = create_app("production", {**settings, "PUBLIC_BASE_URL": PUBLIC})
    assert app.config["PUBLIC_BASE_URL"] == PUBLIC


def _choose(client, posting, conversation):
    return post(
        client,
        f"/k/delbrueck/postings/{posting.id}/assign",
        {"conversation_id": conversation.id, "confirm": "1"},
    )


@pytest.mark.parametrize(("locale", "greeting"), [("en", "Hello Jonas"), ("de", "Hallo Jonas")])
def test_the_chosen_helper_is_told_in_their_language_with_the_kommunes_phone(
    client, town_hall, mailbox, locale, greeting
):
    erna = make_user(town_hall, name="Erna Müller")
    jonas = make_user(town_hall, email="jonas@example.org", name="Jonas Becker", locale=locale)
    posting = make_posting(erna, title="Einkauf am Dienstag")
    db.session.commit()
    login_as(client, jonas)
    post(client, f"/k/delbrueck/postings/{posting.id}/respond", {"body": "Ich helfe gern."})
    post(client, "/logout")
    login_as(client, erna)
    assert mailbox.bodies_to(jonas.email) == []
    conversation = db.session.scalar(select(Conversation))
    assert _choose(client, posting, conversation).status_code == 302
    (mail,) = [m["message"] for m in mailbox.messages if jonas.email in m["to"]]
    body = mail.get_content().replace("\r\n", "\n")
    assert body.startswith(greeting)
    assert "Einkauf am Dienstag" in body and "Erna M." in body
    assert f"{PUBLIC}/me/messages/{conversation.id}" in body
    assert "Einkauf am Dienstag" in mail["Subject"]
    assert mail["Content-Language"] == locale
    # The signature: the Kommune's name, its phone and office hours.
    assert body.rstrip().endswith("Do 14:00–17:30 Uhr")
    signature = body.split("\n-- \n")[1]
    assert "Delbrück" in signature and "05250 996-0" in signature
    assert "Mo–Fr 8:30–12:30 Uhr; Do 14:00–17:30 Uhr" in signature
    # Choosing again (a double click) tells nobody twice.
    _choose(client, posting, conversation)
    assert len(mailbox.bodies_to(jonas.email)) == 1


def test_a_helper_who_switched_mails_off_is_not_told(client, town_hall, mailbox):
    erna = make_user(town_hall)
    jonas = make_user(
        town_hall, email="jonas@example.org", name="Jonas Becker", has_email_notifications=False
    )
    posting = make_posting(erna)
    db.session.commit()
    login_as(client, jonas)
    post(client, f"/k/delbrueck/postings/{posting.id}/respond", {"body": "Ich helfe gern."})
    post(client, "/logout")
    login_as(client, erna)
    _choose(client, posting, db.session.scalar(select(Conversation)))
    assert mailbox.bodies_to(jonas.email) == []


def test_a_chosen_proxy_is_announced_to_the_town_hall(client, town_hall, mailbox):
    admin = make_user(town_hall, email="admin@example.org", name="Heike Amt", role="admin")
    gertrud = make_proxy(town_hall, name="Gertrud Meier")
    erna = make_user(town_hall)
    posting = make_posting(erna, title="Einkauf am Dienstag")
    db.session.commit()
    login_as(client, admin)
    post(client, f"/k/delbrueck/admin/proxies/{gertrud.id}/act")
    post(client, f"/k/delbrueck/postings/{posting.id}/respond", {"body": "Ich helfe gern."})
    post(client, "/logout")
    login_as(client, erna)
    conversation = db.session.scalar(select(Conversation))
    assert conversation.responder_id == gertrud.id
    before = len(mailbox.bodies_to(admin.email))
    _choose(client, posting, conversation)
    alerts = mailbox.bodies_to(admin.email)[before:]
    assert len(alerts) == 1
    assert "Gertrud Meier" in alerts[0] and "Einkauf am Dienstag" in alerts[0]
    assert f"{PUBLIC}/k/delbrueck/admin/inbox/{conversation.id}" in alerts[0]
    post(client, "/logout")
    login_as(client, admin)
    inbox = client.get("/k/delbrueck/admin/inbox").get_data(as_text=True)
    assert 'class="kern-badge kern-badge--success chosen-badge"' in inbox


def test_mail_text_is_plain_8bit_utf8_with_umlauts_literally(client, town_hall, mailbox):
    erna = make_user(town_hall, name="Jürgen Größe")
    db.session.commit()
    post(client, "/password/forgot", {"email": erna.email})
    (received,) = [m["message"] for m in mailbox.messages]
    assert received.get_content_type() == "text/plain"
    assert received.get_content_charset() == "utf-8"
    assert received["Content-Transfer-Encoding"] == "8bit"
    raw_body = received.as_bytes().split(b"\n\n", 1)[1]
    assert "Jürgen Größe".encode() in raw_body
    assert b"=C3" not in raw_body


def test_the_console_shows_the_text_not_quoted_printable(app, town_hall, capsys):
    app.config["MAIL_BACKEND"] = "console"
    erna = make_user(town_hall, name="Jürgen Größe")
    with app.test_request_context():
        queue_email(
            erna.email,
            "de",
            "Reset your password",
            "email/password_reset.txt",
            user=erna,
            municipality=town_hall,
            hours=2,
            link="/password/reset/x",
        )
    db.session.commit()
    assert deliver_pending() == (1, 0)
    printed = capsys.readouterr().err
    assert "Hallo Jürgen Größe," in printed
    assert "Größe" in printed and "=C3" not in printed and "base64" not in printed
    assert "05250 996-0" in printed


def test_a_line_too_long_for_8bit_falls_back_to_quoted_printable(client, town_hall, mailbox):
    erna = make_user(town_hall)
    jonas = make_user(town_hall, email="jonas@example.org", name="Jonas Becker")
    posting = make_posting(erna)
    db.session.commit()
    login_as(client, jonas)
    long_line = "Grüße " * 300  # 1,800 characters in one line
    post(client, f"/k/delbrueck/postings/{posting.id}/respond", {"body": long_line})
    (received,) = [m["message"] for m in mailbox.messages if erna.email in m["to"]]
    assert received["Content-Transfer-Encoding"] == "quoted-printable"
    assert long_line.strip() in received.get_content()


def test_every_mail_is_signed_with_the_kommune(client, town_hall, mailbox):
    erna = make_user(town_hall)
    db.session.commit()
    post(client, "/password/forgot", {"email": erna.email})
    (body,) = mailbox.bodies_to(erna.email)
    body = body.replace("\r\n", "\n")
    assert "\n\n-- \n" in body and "\n\n\n-- " not in body
    assert "05250 996-0" in body.split("\n-- \n")[1]
