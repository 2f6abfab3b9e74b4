"""The command line: demo data, superadmin, mail delivery."""

from sqlalchemy import func, select

from exchange.accounts.models import User
from exchange.accounts.passwords import verify_password
from exchange.demo import ACCOUNTS
from exchange.extensions import db
from exchange.municipalities.models import Municipality
from exchange.postings.models import Posting


def counts():
    return (
        db.session.scalar(select(func.count(Municipality.id))),
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(Posting.id))),
    )


def test_seed_demo_is_idempotent_and_complete(app):
    app.config["ENV_NAME"] = "development"
    runner = app.test_cli_runner()
    first = runner.invoke(args=["exchange", "seed-demo"])
    assert first.exit_code == 0, first.output
    after_first = counts()
    second = runner.invoke(args=["exchange", "seed-demo"])
    assert second.exit_code == 0 and counts() == after_first
    kommunen, users, postings = after_first
    assert kommunen == 2 and 35 <= postings <= 45
    delbrueck = db.session.scalar(select(Municipality).where(Municipality.slug == "delbrueck"))
    assert delbrueck.postcodes == ["33129"] and len(delbrueck.districts) == 11
    kinds = set(db.session.scalars(select(Posting.kind)))
    directions = set(db.session.scalars(select(Posting.direction)))
    assert kinds == {"taschengeld", "zeitspende", "tausch", "ehrenamt"}
    assert directions == {"request", "offer"}
    for _key, _name, email, password, *_rest in ACCOUNTS:
        user = db.session.scalar(select(User).where(User.email == email))
        assert verify_password(user.password_hash, password)
        assert email in second.output and password in second.output


def test_seed_demo_refuses_outside_development(app):
    result = app.test_cli_runner().invoke(args=["exchange", "seed-demo"])
    assert result.exit_code != 0 and "--force" in result.output
    assert counts() == (0, 0, 0)


def test_create_superadmin_checks_the_password(app, delbrueck):
    runner = app.test_cli_runner()
    weak = runner.invoke(
        args=[
            "exchange",
            "create-superadmin",
            "--email",
            "op@example.org",
            "--name",
            "Op",
            "--municipality",
            "delbrueck",
            "--password",
            "passwort",
        ],
    )
    assert weak.exit_code != 0
    ok = runner.invoke(
        args=[
            "exchange",
            "create-superadmin",
            "--email",
            "op@example.org",
            "--name",
            "Op",
            "--municipality",
            "delbrueck",
            "--password",
            "Betreiber Passwort 2026",
        ],
    )
    assert ok.exit_code == 0, ok.output
    user = db.session.scalar(select(User).where(User.email == "op@example.org"))
    assert user.role == "superadmin"


def test_send_mail_delivers_pending_outbox(app, delbrueck, mailbox):
    from exchange.notifications.models import OutboxEmail

    db.session.add(
        OutboxEmail(recipient="a@example.org", subject="Hallo", body="Text", locale="de")
    )
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["exchange", "send-mail"])
    assert "sent 1" in result.output
    assert [b.strip() for b in mailbox.bodies_to("a@example.org")] == ["Text"]
