"""Concurrency under load: double answers, double helper choices, re-sent create forms.

    python -m benchmarks.races                 # 20 s per database, 32 clients
    python -m benchmarks.races --seconds 60    # the figures of issue 8
    python -m benchmarks.races --sqlite-only

For each database (a temporary SQLite file, and PostgreSQL when reachable at
--postgres, in a database of its own that is created and dropped), the app runs under gunicorn
with 2 sync workers. The script seeds one Kommune with 32 residents and 3 postings each, then 32
client threads (each signed in as one resident) repeat, until the time is up, one of:

- answer a posting of someone else, sending the same form twice at once (a double click) or
  two forms from two tabs at once;
- choose a helper for an own posting that has at least two answers, clicking two different
  "choose" buttons at once (two tabs, neither showing a choice);
- write a new posting and send the same form twice at once (a re-sent form).

Afterwards it counts, in the database, what went wrong: 5xx responses, lost texts (an answer
acknowledged but not stored), duplicated texts, conversations and postings, and postings with
0 or 2+ chosen helpers. The last line is JSON with the figures per database.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PASSWORD = "Sonnenblume-im-Garten-7"  # noqa: S105 - seeded benchmark accounts only
RESIDENTS = 32
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
TOKEN = re.compile(r'name="idempotency_token"[^>]*?value="([^"]+)"')
CHOOSE = re.compile(r'name="conversation_id" value="(\d+)"')


def wsgi_app():
    """The app as gunicorn serves it here: production settings, no rate limits, no mail."""
    from exchange import create_app

    return create_app(
        "production",
        {
            "SECRET_KEY": "benchmark-only",
            "SQLALCHEMY_DATABASE_URI": os.environ["RACES_DATABASE_URL"],
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            # 32 clients sign in from one address; the login limit is not under test here.
            "RATELIMIT_ENABLED": False,
            "MAIL_BACKEND": "smtp",
            "MAIL_SEND_AFTER_REQUEST": False,
            "PUBLIC_BASE_URL": "http://127.0.0.1",
            "ARGON2_FAST": True,
        },
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _seed(url: str) -> dict[int, list[int]]:
    from datetime import date, timedelta

    from exchange import create_app
    from exchange.accounts.models import User
    from exchange.accounts.passwords import hash_password
    from exchange.extensions import db
    from exchange.municipalities.models import Municipality
    from exchange.postings.models import Posting
    from exchange.timeutil import utcnow

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "ARGON2_FAST": True})
    with app.app_context():
        db.drop_all()
        db.create_all()
        kommune = Municipality(slug="bench", name="Benchdorf", postcodes_csv="33129")
        db.session.add(kommune)
        db.session.flush()
        password_hash = hash_password(PASSWORD)
        seeded = {}
        for n in range(RESIDENTS):
            user = User(
                municipality_id=kommune.id,
                email=f"resident{n}@example.org",
                password_hash=password_hash,
                display_name=f"Resident {n}",
                birth_date=date(1970, 1, 1),
                postcode="33129",
                latitude=51.7667,
                longitude=8.5667,
                has_email_notifications=False,
                accepted_terms_version=1,
            )
            db.session.add(user)
            db.session.flush()
            postings = [
                _posting(Posting, user, f"Seed {n}-{k}", utcnow() + timedelta(weeks=8))
                for k in range(3)
            ]
            db.session.add_all(postings)
            db.session.flush()
            seeded[n] = [p.id for p in postings]
        db.session.commit()
        db.engine.dispose()
    return seeded


def _posting(model, user, title, expires_at):
    return model(
        municipality_id=user.municipality_id,
        author_id=user.id,
        direction="request",
        kind="zeitspende",
        category="shopping",
        title=title,
        description="Bitte um Hilfe beim Einkauf am Dienstag.",
        timing="flexible",
        status="open",
        expires_at=expires_at,
        postcode="33129",
        latitude=51.7667,
        longitude=8.5667,
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One signed-in resident with a cookie jar, counting every response."""

    def __init__(self, base: str, number: int, stats: Counter, lock: threading.Lock):
        self.base = base
        self.number = number
        self.stats = stats
        self.lock = lock
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, location, body) of one request."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                status, location, text = response.status, "", response.read().decode()
        except urllib.error.HTTPError as error:
            status = error.code
            location = error.headers.get("Location", "")
            text = error.read().decode(errors="replace")
        except OSError:
            status, location, text = 0, "", ""
        with self.lock:
            self.stats["requests"] += 1
            if status >= 500 or status == 0:
                self.stats["5xx"] += 1
        return status, location, text

    def form(self, path: str) -> tuple[str, str]:
        """CSRF and idempotency token of the form at path."""
        _status, _location, text = self.request(path)
        csrf = CSRF.search(text)
        token = TOKEN.search(text)
        return (csrf.group(1) if csrf else ""), (token.group(1) if token else "")

    def login(self) -> None:
        """Sign in through the login form."""
        csrf, _token = self.form("/login")
        status, _location, _text = self.request(
            "/login",
            {
                "email": f"resident{self.number}@example.org",
                "password": PASSWORD,
                "csrf_token": csrf,
            },
        )
        if status != 302:
            raise RuntimeError(f"resident {self.number} could not sign in ({status})")


def _twice(first, second) -> list:
    """Run two requests at the same moment."""
    with ThreadPoolExecutor(2) as pool:
        return [f.result() for f in [pool.submit(first), pool.submit(second)]]


def _answer(client: Client, posting_id: int, ledger: dict, lock) -> None:
    path = f"/k/bench/postings/{posting_id}/respond"
    if random.random() < 0.5:  # a double click: one form, sent twice
        csrf, token = client.form(path)
        text = f"Antwort {uuid.uuid4().hex}"
        data = {"body": text, "csrf_token": csrf, "idempotency_token": token}
        results = _twice(lambda: client.request(path, data), lambda: client.request(path, data))
        sent = [text] if any("/me/messages/" in loc for _s, loc, _t in results) else []
        with lock:
            ledger["once"].extend(sent)
    else:  # two tabs: two forms, sent at once
        forms = [client.form(path), client.form(path)]
        texts = [f"Antwort {uuid.uuid4().hex}" for _ in forms]
        payloads = [
            {"body": t, "csrf_token": c, "idempotency_token": k}
            for t, (c, k) in zip(texts, forms, strict=True)
        ]
        results = _twice(
            lambda: client.request(path, payloads[0]), lambda: client.request(path, payloads[1])
        )
        with lock:
            for text, (_s, location, _t) in zip(texts, results, strict=True):
                if "/me/messages/" in location:
                    ledger["once"].append(text)


def _choose(client: Client, posting_id: int) -> None:
    _status, _location, page = client.request(f"/k/bench/postings/{posting_id}")
    ids = CHOOSE.findall(page)
    csrf = CSRF.search(page)
    if len(ids) < 2 or csrf is None:
        return
    a, b = random.sample(ids, 2)
    path = f"/k/bench/postings/{posting_id}/assign"
    _twice(
        lambda: client.request(path, {"conversation_id": a, "chosen": "", "csrf_token": csrf[1]}),
        lambda: client.request(path, {"conversation_id": b, "chosen": "", "csrf_token": csrf[1]}),
    )


def _create(client: Client, ledger: dict, lock) -> None:
    csrf, token = client.form("/k/bench/postings/new")
    title = f"Neu {uuid.uuid4().hex[:20]}"
    data = {
        "direction": "request",
        "kind": "zeitspende",
        "category": "shopping",
        "title": title,
        "description": "Wer kann mir beim Tragen der Einkäufe helfen?",
        "postcode": "33129",
        "timing": "flexible",
        "csrf_token": csrf,
        "idempotency_token": token,
    }
    results = _twice(
        lambda: client.request("/k/bench/postings/new", data),
        lambda: client.request("/k/bench/postings/new", data),
    )
    if any(status == 302 for status, _l, _t in results):
        with lock:
            ledger["titles"].append(title)


def _load(base: str, seconds: int, clients: int, seeded: dict) -> tuple[Counter, dict]:
    stats: Counter = Counter()
    ledger: dict = {"once": [], "titles": []}
    lock = threading.Lock()
    people = [Client(base, n % RESIDENTS, stats, lock) for n in range(clients)]
    for person in people:
        person.login()
    stop = time.monotonic() + seconds
    everyone = [pid for ids in seeded.values() for pid in ids]

    def run(person: Client) -> None:
        rng = random.Random(person.number)
        while time.monotonic() < stop:
            roll = rng.random()
            # The seeded postings collect answers, so that there are helpers to choose from.
            if roll < 0.5:
                others = [p for p in everyone if p not in seeded[person.number]]
                _answer(person, rng.choice(others), ledger, lock)
            elif roll < 0.8:
                _choose(person, rng.choice(seeded[person.number]))
            else:
                _create(person, ledger, lock)

    threads = [threading.Thread(target=run, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return stats, ledger


def _count(url: str, ledger: dict) -> dict:
    from sqlalchemy import func, select

    from exchange import create_app
    from exchange.extensions import db
    from exchange.messaging.models import Conversation, Message
    from exchange.postings.models import Posting

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        bodies = Counter(db.session.scalars(select(Message.body)))
        titles = Counter(db.session.scalars(select(Posting.title)))
        pairs = db.session.execute(
            select(func.count())
            .select_from(Conversation)
            .group_by(Conversation.posting_id, Conversation.responder_id)
            .having(func.count() > 1)
        ).all()
        helpers = dict(
            db.session.execute(
                select(Conversation.posting_id, func.count())
                .where(Conversation.is_assigned.is_(True))
                .group_by(Conversation.posting_id)
            ).all()
        )
        statuses = dict(db.session.execute(select(Posting.id, Posting.status)).all())
        db.engine.dispose()
    assigned = [pid for pid, status in statuses.items() if status == "assigned"]
    return {
        "answers_acknowledged": len(ledger["once"]),
        "lost_texts": sum(1 for text in ledger["once"] if bodies[text] == 0),
        "duplicated_texts": sum(1 for text in ledger["once"] if bodies[text] > 1),
        "duplicated_conversations": len(pairs),
        "postings_created": len(ledger["titles"]),
        "duplicated_postings": sum(1 for title in ledger["titles"] if titles[title] > 1),
        "postings_assigned": len(assigned),
        "assigned_with_0_helpers": sum(1 for pid in assigned if helpers.get(pid, 0) == 0),
        "postings_with_2_helpers": sum(1 for n in helpers.values() if n > 1),
        "chosen_but_not_assigned": sum(1 for pid in helpers if statuses.get(pid) != "assigned"),
    }


def _serve(url: str, port: int) -> subprocess.Popen:
    # Production settings ask for an SMTP server; mail is only queued here, never sent.
    env = os.environ | {"RACES_DATABASE_URL": url, "MAIL_SERVER": "127.0.0.1"}
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn with fixed arguments
        [
            GUNICORN,
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "benchmarks.races:wsgi_app()",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2).read()  # noqa: S310
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def run(url: str, seconds: int, clients: int) -> dict:
    """Seed, serve, load and count for one database URL."""
    seeded = _seed(url)
    port = _free_port()
    process = _serve(url, port)
    try:
        stats, ledger = _load(f"http://127.0.0.1:{port}", seconds, clients, seeded)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {"requests": stats["requests"], "5xx": stats["5xx"], **_count(url, ledger)}


def _postgres_database(server: str, name: str) -> str | None:
    """Create (afresh) our own database on server; its URL, or None when unreachable."""
    try:
        import psycopg

        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as error:  # noqa: BLE001 - any failure means: skip PostgreSQL
        print(f"PostgreSQL skipped: {error}", file=sys.stderr)
        return None
    return f"postgresql+psycopg://{server.split('://', 1)[1]}/{name}"


def _drop_postgres(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    """Run the load on SQLite and PostgreSQL and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--database-name", default="races_bench")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgres-only", action="store_true")
    args = parser.parse_args()
    results = {}
    if not args.postgres_only:
        with tempfile.TemporaryDirectory() as tmp:
            results["sqlite"] = run(
                f"sqlite:///{Path(tmp) / 'races.sqlite3'}", args.seconds, args.clients
            )
    if not args.sqlite_only:
        url = _postgres_database(args.postgres, args.database_name)
        if url is not None:
            try:
                results["postgresql"] = run(url, args.seconds, args.clients)
            finally:
                _drop_postgres(args.postgres, args.database_name)
    print(f"{args.clients} clients, gunicorn 2 sync workers, {args.seconds} s per database")
    keys = list(next(iter(results.values())))
    print(f"{'':28}" + "".join(f"{name:>12}" for name in results))
    for key in keys:
        print(f"{key:28}" + "".join(f"{figures[key]:>12}" for figures in results.values()))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
