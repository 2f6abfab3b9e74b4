"""Request ids in logs and headers; no personal data in any log record."""

import logging

import pytest

from exchange import create_app
from exchange.accounts.models import User
from exchange.extensions import db
from exchange.logging import redact
from tests.conftest import make_user

EMAIL = "erna.vertraulich@example.org"
PHONE = "0171/1234567"


def _log_text(caplog) -> str:
    """Everything the records say, formatted as a handler would print them."""
    formatter = logging.Formatter("%(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)


def test_response_carries_a_generated_request_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert len(first) >= 16 and first != second


def test_a_safe_incoming_request_id_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c21-0042"})
    assert response.headers["X-Request-ID"] == "lb-7f3a9c21-0042"


@pytest.mark.parametrize(
    "incoming",
    [
        "short",
        "x" * 101,
        "abc def ghij",
        "id%0aFAKE log line",
        "abc;rm=-rf-1234",
        "<script>alert(1)</script>",
    ],
)
def test_an_unsafe_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/healthz", headers={"X-Request-ID": incoming})
    assert response.headers["X-Request-ID"] != incoming
    assert response.headers["X-Request-ID"].isalnum()


def test_log_records_of_a_request_carry_its_id(app, client, caplog):
    @app.get("/_log_something")
    def log_something():
        app.logger.warning("something happened")
        return "ok"

    with caplog.at_level(logging.INFO, logger="exchange"):
        client.get("/_log_something", headers={"X-Request-ID": "req-12345678"})
    record = next(r for r in caplog.records if r.getMessage() == "something happened")
    assert record.request_id == "req-12345678"


def test_the_log_format_shows_the_request_id(app, client, capsys):
    @app.get("/_log_formatted")
    def log_formatted():
        app.logger.warning("formatted line")
        return "ok"

    client.get("/_log_formatted", headers={"X-Request-ID": "req-abcdef99"})
    err = capsys.readouterr().err
    line = next(x for x in err.splitlines() if "formatted line" in x)
    assert "[request req-abcdef99]" in line


def test_database_error_logs_no_email_but_the_request_id(
    app, client, delbrueck, caplog, monkeypatch
):
    """A failing INSERT carries the e-mail address as a parameter (and, on PostgreSQL, in the
    driver's DETAIL); neither may reach the log, while the request id must."""
    make_user(delbrueck, email=EMAIL)
    db.session.commit()
    app.config["PROPAGATE_TEST_ERRORS"] = False

    def failing_query():
        db.session.add(
            User(
                municipality_id=delbrueck.id,
                email=EMAIL,
                display_name="Erna Vertraulich",
                postcode="33129",
                latitude=51.7,
                longitude=8.5,
            )
        )
        db.session.flush()  # unique e-mail: IntegrityError with the address as a parameter
        return []

    monkeypatch.setattr("exchange.pages.views.all_municipalities", failing_query)
    with caplog.at_level(logging.INFO):
        response = client.get("/", headers={"X-Request-ID": "req-dberror-0001"})
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "req-dberror-0001"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors, "the unhandled error is logged"
    assert all(r.request_id == "req-dberror-0001" for r in errors if r.name == "exchange")
    text = _log_text(caplog) + caplog.text
    assert "IntegrityError" in text  # still useful for the operator
    assert "user_account" in text
    assert EMAIL not in text
    assert "Vertraulich" not in text


def test_email_and_phone_in_messages_are_masked(app, client, caplog):
    @app.get("/_log_personal")
    def log_personal():
        try:
            raise ValueError(f"bad input {EMAIL} {PHONE}")
        except ValueError:
            app.logger.exception("mail to %s failed, call +49 5250 99601", EMAIL)
        return "ok"

    with caplog.at_level(logging.INFO, logger="exchange"):
        client.get("/_log_personal")
    text = _log_text(caplog) + caplog.text
    assert "mail to [e-mail] failed" in text
    assert EMAIL not in text and "1234567" not in text and "99601" not in text
    assert "ValueError" in text and "log_personal" in text  # the traceback stays useful


def test_library_logs_are_masked_too(app, client, caplog):
    @app.get("/_limited")
    def limited():
        logging.getLogger("flask-limiter").info("ratelimit 5/minute (%s) exceeded", EMAIL)
        return "ok"

    with caplog.at_level(logging.INFO):
        client.get("/_limited", headers={"X-Request-ID": "req-limiter-01"})
    record = next(r for r in caplog.records if r.name == "flask-limiter")
    assert record.getMessage() == "ratelimit 5/minute ([e-mail]) exceeded"
    assert record.request_id == "req-limiter-01"


def test_a_broken_log_call_does_not_break_the_request(app, client):
    @app.get("/_broken_log")
    def broken_log():
        app.logger.warning("%s and %s", "only one")
        return "ok"

    assert client.get("/_broken_log").status_code == 200


def test_redact_keeps_ids_dates_and_times():
    assert redact("Mail 123456 not sent at 2026-11-27 08:03:27") == (
        "Mail 123456 not sent at 2026-11-27 08:03:27"
    )
    assert redact("Tel. 05250 996-0") == "Tel. [phone]"


def test_production_refuses_to_start_with_the_console_mail_backend():
    with pytest.raises(RuntimeError, match="MAIL_BACKEND must be 'smtp'"):
        create_app(
            "production",
            {"SECRET_KEY": "x" * 32, "MAIL_BACKEND": "console", "MAIL_SERVER": "smtp.example"},
        )


def test_production_refuses_to_start_without_a_mail_server(monkeypatch):
    from config.settings import ProductionConfig

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 32)
    monkeypatch.setattr(ProductionConfig, "MAIL_SERVER", "")
    assert ProductionConfig.MAIL_BACKEND == "smtp" or pytest.skip("MAIL_BACKEND set in env")
    with pytest.raises(RuntimeError, match="MAIL_SERVER must be set"):
        create_app("production")


def test_production_starts_with_smtp_and_hides_sql_parameters(tmp_path):
    app = create_app(
        "production",
        {
            "SECRET_KEY": "x" * 32,
            "MAIL_SERVER": "smtp.example.org",
            "PUBLIC_BASE_URL": "https://nachbarn.example.org",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
        },
    )
    assert app.config["MAIL_BACKEND"] == "smtp"
    with app.app_context():
        assert db.engine.hide_parameters is True


def test_development_may_print_mails_to_the_console():
    app = create_app("development", {"MAIL_BACKEND": "console"})
    assert app.config["MAIL_BACKEND"] == "console"
