"""Start page, health check, security headers, error pages, language."""

from exchange.extensions import db
from tests.conftest import make_municipality, post, text_of


def test_healthz_answers_when_database_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


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
