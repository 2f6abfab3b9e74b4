"""Start page, health check, security headers, error pages, language."""

from datetime import UTC, datetime, timedelta

from exchange.extensions import db
from tests.conftest import make_municipality, post, text_of


def test_healthz_answers_when_database_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": "ok",
        "outbox": {"pending": 0, "oldest_pending_age_seconds": None, "retrying": 0, "failed": 0},
    }


def _mail(created_at, sent_at=None):
    from exchange.mail.models import OutboxEmail

    mail = OutboxEmail(
        recipient="erna@example.org",
        subject="Ihr Passwort",
        body="geheimer Link",
        locale="de",
        created_at=created_at,
        next_attempt_at=created_at,
        sent_at=sent_at,
    )
    db.session.add(mail)
    return mail


NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def test_healthz_reports_the_outbox_backlog_without_personal_data(client, monkeypatch):
    monkeypatch.setattr("exchange.timeutil.utcnow", lambda: NOW)
    _mail(NOW - timedelta(minutes=3))
    _mail(NOW - timedelta(minutes=1))
    _mail(NOW - timedelta(days=2), sent_at=NOW - timedelta(days=2))  # delivered: not counted
    db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": "ok",
        "outbox": {
            "pending": 2,
            "oldest_pending_age_seconds": 180,
            "retrying": 0,
            "failed": 0,
        },
    }
    body = response.get_data(as_text=True)
    assert "erna" not in body and "Passwort" not in body


def test_healthz_is_degraded_when_mail_waits_too_long(client, monkeypatch):
    monkeypatch.setattr("exchange.timeutil.utcnow", lambda: NOW)
    _mail(NOW - timedelta(hours=2))
    db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 200  # the app still serves pages
    assert response.get_json()["status"] == "degraded"
    assert response.get_json()["outbox"]["oldest_pending_age_seconds"] == 7200


def test_healthz_shows_mail_that_is_retrying_or_given_up(client, monkeypatch):
    monkeypatch.setattr("exchange.timeutil.utcnow", lambda: NOW)
    retrying = _mail(NOW - timedelta(minutes=10))
    retrying.attempts = 2
    given_up = _mail(NOW - timedelta(days=4))
    given_up.attempts, given_up.failed_at = 40, NOW - timedelta(days=1)
    db.session.commit()
    outbox = client.get("/healthz").get_json()["outbox"]
    assert outbox == {
        "pending": 1,
        "oldest_pending_age_seconds": 600,
        "retrying": 1,
        "failed": 1,
    }


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    from exchange import create_app

    broken = f"sqlite:///{tmp_path / 'no-such-dir' / 'exchange.sqlite3'}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": broken})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "error", "outbox": None}


def test_healthz_is_cheap(app, client):
    from sqlalchemy import event

    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get("/healthz")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    assert len(statements) == 2  # SELECT 1 and the outbox count
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_home_lists_municipalities(client, delbrueck, paderborn):
    response = client.get("/")
    body = text_of(response)
    assert response.status_code == 200
    assert "Delbrück" in body and "Paderborn" in body
    assert 'href="/k/delbrueck/"' in body


def test_home_redirects_to_the_only_municipality(client, delbrueck):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/k/delbrueck/")


def test_security_headers_and_strict_csp(client, delbrueck, paderborn):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_html_has_lang_and_dir_and_skip_link(client, delbrueck, paderborn):
    body = client.get("/").get_data(as_text=True)
    assert '<html lang="de" dir="ltr">' in body
    assert 'href="#main"' in body and 'id="main"' in body


def test_arabic_is_right_to_left(client, delbrueck, paderborn):
    body = client.get("/?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in body


def test_language_switch_is_remembered(client, delbrueck, paderborn):
    response = post(client, "/language", {"lang": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)


def test_language_switch_does_not_redirect_elsewhere(client, delbrueck, paderborn):
    response = post(client, "/language", {"lang": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_language_switch_needs_csrf(client, delbrueck, paderborn):
    response = client.post("/language", data={"lang": "en"})
    assert response.status_code == 400


def test_unknown_municipality_is_404_page(client, delbrueck):
    response = client.get("/k/nowhere/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in text_of(response) or "Page not found" in text_of(response)


def test_theme_css_rejects_injected_colour(client, app):
    m = make_municipality()
    m.theme_color = "#;}x{y"
    db.session.commit()
    css = client.get("/k/delbrueck/theme.css").get_data(as_text=True)
    assert "#0b5ea8" in css and "}x{" not in css


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    import pytest

    from config.settings import ProductionConfig
    from exchange import create_app

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_error_pages_are_translated(client, delbrueck, paderborn):
    german = text_of(client.get("/k/nowhere/"))
    english = text_of(client.get("/k/nowhere/?lang=en"))
    assert "Page not found" in english
    assert "Seite nicht gefunden" in german


def test_sqlite_file_uses_wal_foreign_keys_and_busy_timeout(tmp_path):
    from sqlalchemy import text as sql

    from exchange import create_app

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(sql("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(sql("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(sql("PRAGMA busy_timeout")).scalar() == 5000
