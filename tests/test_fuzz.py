"""Property-based fuzzing of every route: no input, from any role, may cause a server error.

The routes come from the app's url_map, so a new route is fuzzed without touching this file.
URL parameters get real ids and slugs of a seeded world (also another Kommune's, and numbers
beyond any column); forms start from plausible values found by reading the rendered pages,
then a few fields are replaced by hostile text, dropped or sent twice. Crashes are counted as
500 responses and listed in the assertion message.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from exchange import create_app
from exchange.accounts.models import User
from exchange.admin.moderation import services as admin_services
from exchange.extensions import db
from exchange.matching import services as matching_services
from exchange.messaging import services as messaging_services
from exchange.messaging.models import Message
from tests.conftest import (
    FreshContextClient,
    csrf_token,
    login_as,
    make_municipality,
    make_posting,
    make_proxy,
    make_user,
)

pytestmark = pytest.mark.slow

ROLES = ("guest", "resident", "admin", "operator")
EXAMPLES_PER_ROLE = int(os.environ.get("FUZZ_EXAMPLES", "2"))
SKIPPED_ENDPOINTS = {"static"}
NEW_PASSWORD = "Kirschbaum-am-Teich-42"  # never the seeded one: deleting the account must fail

HOSTILE = [
    "\x00",
    "Hilfe\x00beim Einkauf",
    "\x01\x02\x07\x1b[31m\x1f",
    "\u202eLTR-Täuschung",
    "\u2066isoliert\u2069",
    "مساعدة\u200f",
    " ",
    "\r\n",
    "\t",
    "",
    "²",
    "٣",
    "٣٣١٢٩",
    "-1",
    "0",
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "x" * 81,
    "x" * 121,
    "x" * 255,
    "x" * 501,
    "Ä" * 5001,
    "%_\\'\"<script>",
    "../../etc/passwd",
    "😀",
    "2026-02-30",
    "-0001-01-01",
    "9999-12-31",
]
# One field at a time: {} is the plausible value; None leaves the field out.
SWEEP = ["{}\x00", " ", "²", "9223372036854775808", "\u202e{}", "{}" + "x" * 300, None]
# A form several roles see (the posting form, the language switch) is swept by the first only.
SWEPT: set[tuple[str, str]] = set()
EXTRA_PARAMS = ["page", "next", "k", "share", "lang", "conversation_id", "confirm", "x"]
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@dataclass
class World:
    """The seeded ids and the rows to restore before every request."""

    ids: dict[str, list[int]]
    base: dict[str, str]
    users: dict[str, User]
    snapshots: list[tuple[type, int, dict]] = field(default_factory=list)


def _seed() -> World:
    delbrueck = make_municipality(
        districts=[("Delbrück-Mitte", 51.7667, 8.5667), ("Westenholz", 51.7333, 8.4667)]
    )
    paderborn = make_municipality(
        "paderborn", "Paderborn", "33098,33100", districts=[("Schloß Neuhaus", 51.74, 8.70)]
    )
    mitte = delbrueck.districts[0]
    erna = make_user(delbrueck, district_id=mitte.id)
    petra = make_user(delbrueck, email="petra@example.org", name="Petra Helfer")
    admin = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    operator = make_user(delbrueck, email="op@example.org", name="Olga Betrieb", role="superadmin")
    pending = make_user(delbrueck, email="neu@example.org", name="Nina Neu", is_approved=False)
    proxy = make_proxy(delbrueck, name="Gertrud Schäfer")
    paul = make_user(paderborn, email="paul@example.org", name="Paul Fremd", postcode="33098")
    make_user(paderborn, email="pb@example.org", name="Pia Amt", role="admin", postcode="33098")
    foreign_proxy = make_proxy(paderborn, name="Otto Fremd", postcode="33098")
    postings = [
        make_posting(erna),
        make_posting(petra, direction="offer", title="Ich kann Rasen mähen"),
        make_posting(proxy, title="Hilfe beim Arzttermin"),
        make_posting(paul, title="Fremde Anzeige in Paderborn"),
        make_posting(foreign_proxy, title="Fremder Stellvertreter sucht"),
    ]
    conversations = [
        messaging_services.respond(postings[0], petra, "Ich helfe gern am Dienstag."),
        messaging_services.respond(postings[1], erna, "Mein Rasen ist lang."),
        messaging_services.respond(postings[2], petra, "Ich begleite Sie zum Arzt."),
        messaging_services.respond(postings[4], paul, "Ich kann helfen."),
    ]
    db.session.flush()
    messages = db.session.scalars(select(Message.id)).all()
    reports = [
        admin_services.report_posting(petra, postings[0], "Sieht nach Werbung aus."),
        admin_services.report_posting(paul, postings[3], "Fremde Meldung."),
    ]
    search = matching_services.save_search(erna, delbrueck, {"direction": "offer"})
    db.session.flush()
    ids = {
        "posting_id": [p.id for p in postings],
        "conversation_id": [c.id for c in conversations],
        "message_id": list(messages),
        # Proxy and pending account first: the crawl reads pages for the first three ids only.
        "user_id": [u.id for u in (proxy, pending, erna, petra, admin, operator, paul)]
        + [foreign_proxy.id],
        "municipality_id": [delbrueck.id, paderborn.id],
        "report_id": [r.id for r in reports],
        "search_id": [search.id],
        "district_id": [d.id for d in (*delbrueck.districts, *paderborn.districts)],
    }
    base = {
        "display_name": "Erika Beispiel",
        "email": "erika@example.org",
        "password": NEW_PASSWORD,
        "password_repeat": NEW_PASSWORD,
        "current_password": NEW_PASSWORD,
        "birth_date": "1960-05-17",
        "municipality": "delbrueck",
        "district": str(mitte.id),
        "postcode": "33129",
        "phone": "05250 1234",
        "accepts_privacy": "y",
        "accepts_terms": "y",
        "remember": "y",
        "code": "ABCD-EFGH-IJKL",
        "locale": "de",
        "match_email_frequency": "daily",
        "direction": "request",
        "kind": "zeitspende",
        "category": "shopping",
        "title": "Hilfe beim Einkaufen",
        "description": "Ich brauche jeden Dienstag Hilfe beim Wocheneinkauf.",
        "timing": "flexible",
        "radius_km": "5",
        "body": "Hallo, ich kann helfen.",
        "reason": "Das ist Werbung.",
        "outcome": "Erledigt.",
        "postal_address": "Lange Straße 3",
        "birth_year": "1944",
        "contact_times": "vormittags",
        "consent_on": "2026-11-02",
        "consent_method": "in_person",
        "consent_by": "Heike Amt",
        "name": "Neustadt",
        "slug": "neustadt",
        "postcodes": "33129",
        "districts": "Mitte; 33129",
        "enabled_kinds": "zeitspende",
        "theme_color": "#0b5ea8",
        "q": "Einkauf",
        "radius": "5",
        "near": "33129",
        "sort": "distance",
        "page": "2",
        "admin": str(admin.id),
        "proxy": str(proxy.id),
        "since": "2026-01-01",
        "until": "2026-12-31",
        "conversation_id": str(conversations[0].id),
        "share": "1",
        "lang": "de",
        "next": "/k/delbrueck/",
    }
    users = {"resident": erna, "admin": admin, "operator": operator}
    world = World(ids=ids, base=base, users=users)
    for row in [*db.session.scalars(select(User)), delbrueck, paderborn]:
        world.snapshots.append((type(row), row.id, _columns(row)))
    db.session.commit()
    return world


def _columns(row) -> dict:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key != "id"}


def _restore(world: World) -> None:
    """Undo what the last request did to the accounts and Kommunen the roles depend on."""
    db.session.rollback()
    changed = False
    for table in {model.__table__ for model, _id, _values in world.snapshots}:
        current = {row["id"]: row for row in db.session.execute(select(table)).mappings().all()}
        for model, row_id, values in world.snapshots:
            if model.__table__ is not table or row_id not in current:
                continue
            diff = {k: v for k, v in values.items() if current[row_id][k] != v}
            if diff:
                db.session.execute(update(table).where(table.c.id == row_id).values(**diff))
                changed = True
    if changed:
        db.session.commit()


@dataclass
class Form:
    """A form seen on a page: where it posts (with real ids) and plausible values."""

    method: str
    url: str
    endpoint: str
    values: list[tuple[str, str]]


class Fuzzer:
    """One signed-in (or guest) client, the routes, and what it has seen go wrong."""

    def __init__(self, app, world: World, role: str):
        self.app, self.world, self.role = app, world, role
        self.client = app.test_client()
        self.adapter = app.url_map.bind("localhost")
        self.sent = 0
        self.failures: list[str] = []
        self.errors: list[str] = []
        self.forms: dict[tuple[str, str], Form] = {}
        self.routes = [
            (rule, method)
            for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
            if rule.endpoint not in SKIPPED_ENDPOINTS
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        ]
        handler = logging.Handler(logging.ERROR)
        handler.emit = lambda record: self.errors.append(
            f"{record.exc_info[0].__name__}: {record.exc_info[1]}"[:300]
            if record.exc_info
            else record.getMessage()[:300]
        )
        app.logger.addHandler(handler)
        self.sign_in()

    def sign_in(self) -> None:
        """Sign in through the real form unless the session still holds the role's user."""
        user = self.world.users.get(self.role)
        with self.client.session_transaction() as session:
            if user is None:
                # A guest who just registered is signed in; stay a guest.
                session.pop("_user_id", None)
                return
            if session.get("_user_id") == f"{user.id}:{user.session_version}":
                return
        login_as(self.client, user)
        self.sent += 1

    def send(self, method: str, url: str, data=None):
        """One request; a 5xx is remembered with everything needed to repeat it."""
        self.errors.clear()
        if method == "GET":
            response = self.client.get(url)
        else:
            response = self.client.post(url, data=data)
            # A POST may have blocked, demoted, renamed or signed out what the next one needs.
            _restore(self.world)
            self.sign_in()
        self.sent += 1
        if response.status_code >= 500:
            cause = self.errors[-1] if self.errors else "no log"
            self.failures.append(
                f"{self.role} {method} {url} data={data!r:.500} -> {response.status_code} {cause}"
            )
        return response

    def crawl(self) -> None:
        """GET every page with the seeded ids; learn every form (GET filters and POSTs) shown."""
        for rule, method in self.routes:
            if method != "GET":
                continue
            int_names = [n for n, c in rule._converters.items() if _is_int(c)]
            pool = self.world.ids.get(int_names[0], [1])[:3] if int_names else [None]
            for object_id in pool:
                url = _build(rule, lambda name, c, i=object_id: _real_value(self.world, name, c, i))
                response = self.send("GET", url)
                if response.status_code == 200 and response.mimetype == "text/html":
                    self.learn(url, response.get_data(as_text=True))

    def learn(self, page_url: str, html: str) -> None:
        """Remember each form of the page by (method, endpoint), with its plausible values."""
        for attributes, body in FORM.findall(html):
            attrs = dict(ATTR.findall(attributes))
            method = "POST" if attrs.get("method", "get").lower() == "post" else "GET"
            url = urlsplit(unescape(attrs.get("action") or "")).path or urlsplit(page_url).path
            try:
                endpoint, _args = self.adapter.match(url, method=method)
            except HTTPException:
                continue
            values = []
            for single, single_attrs, paired, paired_attrs, inner in FIELD.findall(body):
                tag = single or paired
                field_attrs = dict(ATTR.findall(single_attrs or paired_attrs))
                name = field_attrs.get("name")
                if not name or name == "csrf_token":
                    continue
                html_value = unescape(field_attrs.get("value", ""))
                if tag.lower() == "select":
                    options = [unescape(v) for v in OPTION.findall(inner) if v]
                    html_value = options[0] if options else ""
                values.append((name, self.world.base.get(name, html_value or "y")))
            values = list(dict(values).items())
            self.forms.setdefault((method, endpoint), Form(method, url, endpoint, values))

    def targets(self):
        """Every route once: as a known form when one was seen, else with real ids and no data."""
        for rule, method in self.routes:
            form = self.forms.get((method, rule.endpoint))
            if form is None:
                url = _build(rule, lambda name, c: _real_value(self.world, name, c, None))
                form = Form(method, url, rule.endpoint, [])
            yield rule, form


def _is_int(converter) -> bool:
    return isinstance(converter, IntegerConverter)


def _real_value(world: World, name: str, converter, object_id) -> str:
    if _is_int(converter):
        return str(object_id or (world.ids.get(name) or world.ids["posting_id"])[0])
    return "delbrueck" if name == "slug" else "abc"


def _build(rule, value_for) -> str:
    """The rule's path with each <converter:name> replaced by value_for(name, converter)."""
    url = rule.rule
    for name, converter in rule._converters.items():
        value = value_for(name, converter)
        url = re.sub(r"<(?:[^:<>]+:)?" + re.escape(name) + ">", quote(value, safe=""), url)
    return url


FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD = re.compile(
    r"<(?:(input|button)\b([^>]*)>|(select|textarea)\b([^>]*)>(.*?)</(?:select|textarea)>)",
    re.S | re.I,
)
ATTR = re.compile(r"([\w-]+)=\"([^\"]*)\"")
OPTION = re.compile(r"<option\b[^>]*\bvalue=\"([^\"]*)\"", re.I)


def hostile_values(plausible: str):
    """Hostile text and numbers, alone or appended to a plausible value."""
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.sampled_from(HOSTILE).map(lambda bad: plausible + bad),
        TEXT,
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )


def encode(form: Form, values: list[tuple[str, str]], client, csrf: str = "valid"):
    """(method, url, data) ready for the test client: a query string or a multi-value form."""
    if form.method == "GET":
        query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in values)
        return "GET", f"{form.url}?{query}" if query else form.url, None
    data: dict[str, list[str]] = {}
    for key, value in values:
        data.setdefault(key, []).append(value)
    if csrf == "valid":
        data["csrf_token"] = [csrf_token(client)]
    elif csrf == "junk":
        data["csrf_token"] = ["\x00junk"]
    return "POST", form.url, data


@st.composite
def requests(draw, fuzzer: Fuzzer, rule, form: Form):
    """A request to one route: hostile ids in the URL, or a form with a few fields spoiled."""
    world = fuzzer.world
    if rule._converters and draw(st.integers(0, 3)) == 0:

        def url_value(name, converter):
            if _is_int(converter):
                pool = world.ids.get(name) or [i for ids in world.ids.values() for i in ids]
                return draw(
                    st.one_of(
                        st.sampled_from(pool).map(str),
                        st.sampled_from(["0", str(2**31 - 1), str(2**31), str(2**63), "٣"]),
                        st.integers(min_value=0, max_value=10**25).map(str),
                    )
                )
            if name == "slug":
                return draw(st.sampled_from(["delbrueck", "paderborn", "x\x00", "ü", "%"]))
            return draw(st.one_of(st.sampled_from(HOSTILE), TEXT))

        form = Form(form.method, _build(rule, url_value), form.endpoint, form.values)
    values = list(form.values)
    names = [name for name, _value in values] + EXTRA_PARAMS
    for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
        plausible = dict(values).get(name, "1")
        action = draw(st.sampled_from(["replace", "replace", "drop", "twice"]))
        values = [(k, v) for k, v in values if k != name]
        if action == "replace":
            values.append((name, draw(hostile_values(plausible))))
        elif action == "twice":
            values += [(name, plausible), (name, draw(hostile_values(plausible)))]
    if draw(st.integers(0, 3)) == 0:
        values.append((draw(TEXT), draw(hostile_values(""))))
    csrf = draw(st.sampled_from(["valid"] * 8 + ["missing", "junk"]))
    return encode(form, values, fuzzer.client, csrf)


@pytest.fixture
def fuzz_app(smtp_port):
    """The app with crashes turned into 500s, no rate limits and no mail delivery."""
    app = create_app(
        "testing",
        {
            "MAIL_PORT": smtp_port,
            "PROPAGATE_TEST_ERRORS": False,
            "RATELIMIT_ENABLED": False,
            "MAIL_SEND_AFTER_REQUEST": False,
        },
    )
    app.test_client_class = FreshContextClient
    handlers = list(app.logger.handlers)
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
    # The fuzzer's error collector sits on the shared "exchange" logger: take it off again,
    # or every later app would find a handler and skip its own (see exchange/logging.py).
    for handler in list(app.logger.handlers):
        if handler not in handlers:
            app.logger.removeHandler(handler)


@pytest.mark.parametrize("role", ROLES)
def test_no_input_causes_a_server_error(fuzz_app, role, record_property):
    with fuzz_app.test_request_context():  # the services build links for their e-mails
        world = _seed()
    fuzzer = Fuzzer(fuzz_app, world, role)
    fuzzer.crawl()
    _restore(world)
    targets = list(fuzzer.targets())

    # Every field of every form seen, with each classic troublemaker alone, the rest plausible.
    for _rule, form in targets:
        if not form.values or (form.method, form.endpoint) in SWEPT:
            continue
        SWEPT.add((form.method, form.endpoint))
        for index, (name, plausible) in enumerate(form.values):
            others = form.values[:index] + form.values[index + 1 :]
            for bad in SWEEP:
                spoiled = others if bad is None else [*others, (name, bad.format(plausible))]
                fuzzer.send(*encode(form, spoiled, fuzzer.client))

    @settings(
        derandomize=True,
        database=None,
        deadline=None,
        max_examples=EXAMPLES_PER_ROLE,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def fuzz(data):
        # Every example visits every route, so each one is fuzzed as often as the others.
        for rule, form in targets:
            fuzzer.send(*data.draw(requests(fuzzer, rule, form)))

    fuzz()
    record_property("requests", fuzzer.sent)
    record_property("server_errors", len(fuzzer.failures))
    print(f"\nfuzz {role}: {fuzzer.sent} requests, {len(fuzzer.failures)} server errors")
    assert not fuzzer.failures, (
        f"{len(fuzzer.failures)} of {fuzzer.sent} requests failed:\n"
        + "\n".join(fuzzer.failures[:40])
    )
