"""Shared fixtures: an app with a fresh schema per test, factories, login and CSRF helpers."""

from __future__ import annotations

import re
import socket
from datetime import date, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from flask.globals import _cv_app
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from exchange import create_app
from exchange.accounts.models import User
from exchange.accounts.passwords import hash_password
from exchange.extensions import db
from exchange.geo import postcode_point
from exchange.municipalities.models import District, Municipality
from exchange.postings.models import Posting
from exchange.timeutil import utcnow

PASSWORD = "Sonnenblume-im-Garten-7"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailSink:
    """aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append({"to": list(envelope.rcpt_tos), "message": msg})
        return "250 OK"

    def bodies_to(self, address: str) -> list[str]:
        """Plain-text bodies of the mails sent to address."""
        return [m["message"].get_content() for m in self.messages if address in m["to"]]


@pytest.fixture
def smtp_port():
    """A port for the SMTP server of this test (nothing listens unless `mailbox` is used)."""
    return free_port()


class FreshContextClient(FlaskClient):
    """Runs every request in its own app context, as in production.

    The tests keep an app context open for their own database work; without this, requests
    would share its `g` (cached user, locale, Kommune) and its database session.
    """

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture
def app(smtp_port):
    """The app on a fresh schema (SQLite in memory, or TEST_DATABASE_URL)."""
    app = create_app("testing", {"MAIL_PORT": smtp_port})
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()


@pytest.fixture
def mailbox(smtp_port):
    """A real local SMTP server (aiosmtpd) that collects what the app sends."""
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield sink
    controller.stop()


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


def csrf_token(client) -> str:
    """A valid CSRF token for this client's session (as Flask-WTF would render it)."""
    with client.session_transaction() as session:
        raw = session.setdefault("csrf_token", "test-csrf-raw-token-0123456789abcdef")
    serializer = URLSafeTimedSerializer(client.application.secret_key, salt="wtf-csrf-token")
    return serializer.dumps(raw)


def post(client, url: str, data: dict | None = None, **kwargs):
    """POST a form with a valid CSRF token."""
    payload = dict(data or {})
    payload.setdefault("csrf_token", csrf_token(client))
    return client.post(url, data=payload, **kwargs)


def make_municipality(slug="delbrueck", name="Delbrück", postcodes="33129", districts=None):
    """A Kommune with optional Ortsteile given as (name, lat, lon)."""
    m = Municipality(slug=slug, name=name, postcodes_csv=postcodes)
    db.session.add(m)
    db.session.flush()
    first = postcodes.split(",")[0]
    for district_name, lat, lon in districts or []:
        db.session.add(
            District(
                municipality_id=m.id,
                name=district_name,
                postcode=first,
                latitude=lat,
                longitude=lon,
            )
        )
    db.session.flush()
    return m


def make_user(municipality, email="erna@example.org", name="Erna Müller", **fields):
    """A resident with the shared test PASSWORD."""
    postcode = fields.pop("postcode", municipality.postcodes[0])
    point = postcode_point(postcode)
    password = fields.pop("password", PASSWORD)
    user = User(
        municipality_id=municipality.id,
        email=email,
        password_hash=hash_password(password) if password else None,
        display_name=name,
        birth_date=fields.pop("birth_date", date(1950, 5, 17)),
        postcode=postcode,
        latitude=point.latitude,
        longitude=point.longitude,
        phone=fields.pop("phone", None),
        locale=fields.pop("locale", "de"),
        # Has agreed to the Kommune's current terms (the default, version 1), as at sign-up;
        # tests of the page that asks for a new version pass accepted_terms_version=0.
        accepted_terms_version=fields.pop("accepted_terms_version", 1),
        **fields,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_proxy(municipality, name="Erna Proxy", **fields):
    """A resident without internet, registered by the town hall (no e-mail, no password)."""
    from exchange.admin.models import ProxyProfile

    user = make_user(
        municipality,
        email=None,
        name=name,
        password=None,
        is_proxy=True,
        phone=fields.pop("phone", "05250 1234"),
        **fields,
    )
    db.session.add(
        ProxyProfile(
            user_id=user.id,
            postal_address="Lange Straße 3\n33129 Delbrück",
            birth_year=1944,
            contact_times="vormittags",
            consent_on=date(2026, 11, 2),
            consent_method="in_person",
            consent_by="Heike Amt",
        )
    )
    db.session.flush()
    return user


def make_posting(author, **fields):
    """An open posting by author in author's Kommune."""
    values = {
        "direction": "request",
        "kind": "zeitspende",
        "category": "shopping",
        "title": "Hilfe beim Einkaufen",
        "description": "Ich brauche jeden Dienstag Hilfe beim Wocheneinkauf.",
        "timing": "flexible",
        "status": "open",
        "expires_at": utcnow() + timedelta(weeks=8),
    }
    values.update(fields)
    posting = Posting(
        municipality_id=author.municipality_id,
        author_id=author.id,
        postcode=author.postcode,
        latitude=author.latitude,
        longitude=author.longitude,
        district_id=author.district_id,
        **values,
    )
    db.session.add(posting)
    db.session.flush()
    return posting


def login_as(client, user, password: str = PASSWORD):
    """Sign in through the real login form."""
    response = post(client, "/login", {"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def delbrueck(app):
    """Delbrück with three Ortsteile."""
    m = make_municipality(
        districts=[
            ("Delbrück-Mitte", 51.7667, 8.5667),
            ("Westenholz", 51.7333, 8.4667),
            ("Hagen", 51.7500, 8.6167),
        ]
    )
    db.session.commit()
    return m


@pytest.fixture
def paderborn(app):
    """Paderborn with several PLZ and no Ortsteile."""
    m = make_municipality("paderborn", "Paderborn", "33098,33100,33102")
    db.session.commit()
    return m


def link_in_mail(mailbox, address: str, prefix: str = "/confirm/") -> str:
    """The path of the newest link starting with prefix in the mails sent to address."""
    links = [
        match
        for body in mailbox.bodies_to(address)
        for match in re.findall(r"https?://[^/\s]+(" + re.escape(prefix) + r"\S+)", body)
    ]
    assert links, f"no {prefix} link in the mails to {address}"
    return links[-1]


def text_of(response) -> str:
    """Response body as text with whitespace collapsed."""
    return re.sub(r"\s+", " ", response.get_data(as_text=True))
