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
    assert (
        kommunen == 2 and 35 <= postings <= 50
    )  # the board's and the done ones of help that happened
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
    from exchange.mail.models import OutboxEmail

    db.session.add(
        OutboxEmail(recipient="a@example.org", subject="Hallo", body="Text", locale="de")
    )
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["exchange", "send-mail"])
    assert "sent 1" in result.output
    assert [b.strip() for b in mailbox.bodies_to("a@example.org")] == ["Text"]


OPERATOR_PASSWORD = "Betreiber Passwort 2026"


def invoke(app, *args, input=None):
    return app.test_cli_runner().invoke(args=["exchange", *args], input=input)


def test_create_superadmin_works_on_an_empty_database(app, client):
    result = invoke(
        app,
        "create-superadmin",
        "--email",
        "Op@Example.org",
        "--name",
        "Olga Operator",
        "--password",
        OPERATOR_PASSWORD,
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "op@example.org"))
    assert user.role == "superadmin" and user.municipality_id is None
    assert counts()[0] == 0


def test_create_superadmin_prompts_for_what_is_missing(app):
    result = invoke(
        app,
        "create-superadmin",
        input=f"op@example.org\nOlga\n{OPERATOR_PASSWORD}\n{OPERATOR_PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Email:" in result.output and "Name:" in result.output
    assert db.session.scalar(select(User.role).where(User.email == "op@example.org")) == (
        "superadmin"
    )


def test_operator_without_a_kommune_can_use_every_own_page(app, client, delbrueck):
    from tests.conftest import login_as

    invoke(
        app,
        "create-superadmin",
        "--email",
        "op@example.org",
        "--name",
        "Olga Operator",
        "--password",
        OPERATOR_PASSWORD,
    )
    operator = db.session.scalar(select(User).where(User.email == "op@example.org"))
    response = login_as(client, operator, OPERATOR_PASSWORD)
    assert response.headers["Location"].endswith("/admin/")
    for url in (
        "/",
        "/admin/",
        "/me",
        "/me/export",
        "/me/postings",
        "/me/matches",
        "/me/messages/",
        "/me/password",
        "/k/delbrueck/",
        "/k/delbrueck/admin/",
    ):
        assert client.get(url, follow_redirects=True).status_code == 200, url
    assert "op@example.org" in client.get("/me/export").get_data(as_text=True)
    new_posting = client.get("/k/delbrueck/postings/new")
    assert new_posting.status_code == 302 and new_posting.headers["Location"].endswith(
        "/k/delbrueck/"
    )
    from tests.conftest import post

    saved = post(
        client, "/me", {"display_name": "Olga O.", "locale": "en", "match_email_frequency": "never"}
    )
    assert saved.status_code == 302
    db.session.refresh(operator)
    assert operator.display_name == "Olga O." and operator.postcode is None


def test_only_an_operator_may_lack_a_home_kommune(app, delbrueck):
    import pytest
    from sqlalchemy.exc import IntegrityError

    db.session.add(User(email="x@example.org", display_name="X", role="admin"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def write_csv(tmp_path, text):
    path = tmp_path / "ortsteile.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_create_municipality_with_districts_from_csv(app, tmp_path):
    from exchange.geo import postcode_point

    csv_file = write_csv(
        tmp_path,
        "name,postcode,latitude,longitude\n"
        "Bad Lippspringe-Mitte,33175,51.7817,8.8167\nArminiuspark,33175,,\n",
    )
    result = invoke(
        app,
        "create-municipality",
        "--slug",
        "bad-lippspringe",
        "--name",
        "Bad Lippspringe",
        "--postcodes",
        "33175",
        "--districts",
        csv_file,
    )
    assert result.exit_code == 0, result.output
    kommune = db.session.scalar(select(Municipality).where(Municipality.slug == "bad-lippspringe"))
    assert kommune.name == "Bad Lippspringe" and kommune.postcodes == ["33175"]
    by_name = {d.name: d for d in kommune.districts}
    assert (
        by_name["Bad Lippspringe-Mitte"].latitude,
        by_name["Bad Lippspringe-Mitte"].longitude,
    ) == (51.7817, 8.8167)
    centroid = postcode_point("33175")
    assert (by_name["Arminiuspark"].latitude, by_name["Arminiuspark"].longitude) == (
        centroid.latitude,
        centroid.longitude,
    )
    assert kommune.enabled_kinds == ["taschengeld", "zeitspende", "tausch", "ehrenamt"]


def test_create_municipality_refuses_what_the_operator_form_refuses(app, tmp_path):
    outside = write_csv(tmp_path, "name,postcode,latitude,longitude\nParis,33175,48.85,2.35\n")
    cases = [
        ("--postcodes", "99999"),
        ("--postcodes", "33175", "--districts", outside),
        ("--postcodes", "33175", "--slug", "Bad Lippspringe"),
    ]
    outputs = []
    for extra in cases:
        args = ["create-municipality", "--name", "Bad Lippspringe", *extra]
        if "--slug" not in extra:
            args += ["--slug", "bad-lippspringe"]
        result = invoke(app, *args)
        assert result.exit_code != 0, extra
        outputs.append(result.output)
    # The operator form's messages (German by default): PLZ unknown, line 2 outside Germany.
    assert "99999" in outputs[0]
    assert "2" in outputs[1] and "Deutschland" in outputs[1]
    assert counts()[0] == 0


def test_create_admin_creates_the_first_admin_who_can_sign_in(app, client, delbrueck):
    from tests.conftest import login_as

    result = invoke(
        app,
        "create-admin",
        "--municipality",
        "delbrueck",
        "--email",
        "heike@delbrueck.example",
        "--name",
        "Heike Amt",
        "--password",
        "Rathaus-Delbrueck-2026",
    )
    assert result.exit_code == 0, result.output
    admin = db.session.scalar(select(User).where(User.email == "heike@delbrueck.example"))
    assert admin.role == "admin" and admin.municipality_id == delbrueck.id
    login_as(client, admin, "Rathaus-Delbrueck-2026")
    assert client.get("/k/delbrueck/admin/").status_code == 200


def test_create_admin_promotes_an_account_of_that_kommune_only(app, delbrueck, paderborn):
    from tests.conftest import make_user

    make_user(delbrueck, email="petra@example.org")
    make_user(paderborn, email="paul@example.org", name="Paul P")
    db.session.commit()
    ok = invoke(app, "create-admin", "--municipality", "delbrueck", "--email", "petra@example.org")
    assert ok.exit_code == 0, ok.output
    other = invoke(
        app, "create-admin", "--municipality", "delbrueck", "--email", "paul@example.org"
    )
    assert other.exit_code != 0
    roles = dict(db.session.execute(select(User.email, User.role)).all())
    assert roles == {"petra@example.org": "admin", "paul@example.org": "resident"}


def test_daily_runs_every_job_even_when_one_fails(app, delbrueck, monkeypatch):
    from exchange import cli as cli_module
    from tests.conftest import make_municipality

    def broken():
        make_municipality("kaputt", "Kaputt", "33098")
        raise RuntimeError("boom")

    def good():
        make_municipality("gut", "Gut", "33100")
        return 1

    monkeypatch.setattr(cli_module, "DAILY_JOBS", [("broken", broken), ("good", good)])
    result = invoke(app, "daily")
    assert result.exit_code != 0
    assert "good: 1" in result.output and "broken" in result.output
    db.session.rollback()
    slugs = set(db.session.scalars(select(Municipality.slug)))
    assert slugs == {"delbrueck", "gut"}


def test_daily_holds_the_digest(app):
    from exchange.cli import DAILY_JOBS

    result = invoke(app, "daily")
    assert result.exit_code == 0, result.output
    assert "digests: 0" in result.output and "digests" in dict(DAILY_JOBS)


def test_daily_prunes_delivered_mail_and_removes_unconfirmed_accounts(app, delbrueck):
    from datetime import timedelta

    from exchange.accounts.models import User
    from exchange.mail.models import OutboxEmail
    from exchange.timeutil import utcnow
    from tests.conftest import make_user

    long_ago = utcnow() - timedelta(days=20)
    stale = make_user(delbrueck, email="vergessen@example.org", is_email_confirmed=False)
    stale.created_at = long_ago
    make_user(delbrueck, email="da@example.org")
    db.session.add(
        OutboxEmail(
            recipient="da@example.org",
            subject="Alt",
            body="zugestellt",
            locale="de",
            created_at=long_ago,
            sent_at=long_ago,
        )
    )
    db.session.commit()
    result = invoke(app, "daily")
    assert result.exit_code == 0, result.output
    assert "outbox pruned: 1" in result.output
    assert "unconfirmed accounts removed: 1" in result.output
    db.session.rollback()
    assert set(db.session.scalars(select(User.email))) == {"da@example.org"}
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 0
