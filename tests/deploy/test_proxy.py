"""Behind a TLS reverse proxy: TRUSTED_PROXIES decides whose X-Forwarded-* headers count."""

import pytest

from exchange import create_app
from exchange.extensions import db


@pytest.fixture
def proxied_app(request):
    overrides = {
        "TRUSTED_PROXIES": request.param,
        "LOGIN_RATE_LIMIT": "2/minute",
        "WTF_CSRF_ENABLED": False,  # only the rate limit matters here
    }
    app = create_app("testing", overrides)
    with app.app_context():
        db.create_all()
        yield app
        db.drop_all()


def login_attempt(client, forwarded_for: str):
    return client.post(
        "/login",
        data={"email": "nobody@example.org", "password": "falsch"},
        headers={"X-Forwarded-For": forwarded_for},
    )


@pytest.mark.parametrize("proxied_app", [1], indirect=True)
def test_one_trusted_proxy_gives_https_and_the_client_address(proxied_app):
    client = proxied_app.test_client()
    secure = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    # The rate limit counts per client address from X-Forwarded-For, not per proxy.
    assert [login_attempt(client, "203.0.113.7").status_code for _ in range(3)][-1] == 429
    assert login_attempt(client, "198.51.100.9").status_code != 429


@pytest.mark.parametrize("proxied_app", [0], indirect=True)
def test_without_trusted_proxies_forwarded_headers_are_ignored(proxied_app):
    client = proxied_app.test_client()
    spoofed = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in spoofed.headers
    # A client cannot dodge the limit by inventing addresses.
    assert [login_attempt(client, "203.0.113.7").status_code for _ in range(3)][-1] == 429
    assert login_attempt(client, "198.51.100.9").status_code == 429
