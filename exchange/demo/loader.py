"""Load data.toml through the product's own services, each event at the time the file gives it.

Nothing here writes a row itself: Kommunen come from the operator's services, residents register
and confirm their address, the admin is appointed, the town hall registers and acts for a proxy,
postings are published (and tell whom they fit). So the demo can only show what the product
produces. Events run oldest first under timeutil.clock_at(), so "days_ago = 9" reads "seit 9
Tagen" and every later event sees the earlier ones, as it would have happened.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from importlib.resources import files

from flask import current_app, has_request_context
from sqlalchemy import select

from ..accounts import confirmation, parents
from ..accounts import services as accounts
from ..accounts.models import ROLE_ADMIN, ROLE_RESIDENT, User
from ..admin import audit
from ..admin.moderation import services as moderation
from ..admin.proxies import services as proxies
from ..admin.youth import services as youth_admin
from ..extensions import db
from ..ledger import services as ledger
from ..ledger import thanks_services as thanks
from ..ledger.models import HelpRecord
from ..messaging import queries as messaging_queries
from ..messaging import services as messaging
from ..messaging import youth as messaging_youth
from ..municipalities import services as municipalities
from ..municipalities.accessibility import queries as statements
from ..municipalities.accessibility import services as accessibility
from ..municipalities.accessibility.models import AccessibilityFeedback
from ..municipalities.easy_language import queries as easy_language_queries
from ..municipalities.easy_language import services as easy_language
from ..municipalities.models import ALL_KINDS, District, Municipality
from ..municipalities.tenancy import municipality_by_slug
from ..municipalities.terms import current_terms_version
from ..operator import services as operator
from ..postings import services as postings
from ..postings.models import Posting
from ..timeutil import clock_at, utcnow
from ..youth import queries as youth_queries
from ..youth import rules as youth_rules


def load_data() -> dict:
    """The demo's content as read from data.toml (shipped inside the package)."""
    with files(__package__).joinpath("data.toml").open("rb") as data_file:
        return tomllib.load(data_file)


def account_rows(data: dict) -> list[tuple]:
    """Per account: (key, name, e-mail, password, Kommune, Ortsteil or PLZ, age, role, phone)."""
    return [
        (
            a["key"],
            a["name"],
            a["email"],
            a["password"],
            a["kommune"],
            a.get("ortsteil") or a["postcode"],
            a["age"],
            a.get("role", ROLE_RESIDENT),
            a.get("phone"),
        )
        for a in data["account"]
    ]


def _ago(now: datetime, item: dict) -> datetime:
    days = item.get("days_ago", 0)
    # A few hours more per day, so that the times do not all fall on the minute of seeding.
    return now - timedelta(days=days, hours=days % 7)


def _birth_date(age: int) -> date:
    today = date.today()
    year = today.year - age if (today.month, today.day) >= (3, 15) else today.year - age - 1
    return date(year, 3, 15)


def _district(municipality: Municipality, name: str | None) -> District | None:
    if not name:
        return None
    district = next((d for d in municipality.districts if d.name == name), None)
    if district is None:
        raise ValueError(f"demo data: {municipality.slug} has no Ortsteil {name!r}")
    return district


@contextmanager
def _request() -> Iterator[None]:
    """A request context, which the command line lacks, for links in mail and acting's session."""
    if has_request_context():
        yield
        return
    base = current_app.config["PUBLIC_BASE_URL"]
    with current_app.test_request_context("/", base_url=base):
        yield


class _Loader:
    """Creates what data.toml describes and does not exist yet; what exists stays as it is."""

    def __init__(self, data: dict, now: datetime):
        self.data = data
        self.now = now
        self.kommunen: dict[str, Municipality] = {}
        self.people: dict[str, User] = {}
        self.created: set[str] = set()  # keys of people made in this run: only they get postings
        self.registrars: dict[str, str] = {}  # proxy key -> key of the admin who looks after them
        self.postings: dict[str, Posting] = {}  # by title; those made in this run

    def run(self) -> None:
        for spec in self.data["kommune"]:
            self.kommune(spec)
        events: list[tuple[datetime, Callable[[dict], None], dict]] = []
        events += [(_ago(self.now, s), self.account, s) for s in self.data["account"]]
        events += [(_ago(self.now, s), self.proxy, s) for s in self.data.get("proxy", [])]
        events += [(_ago(self.now, s), self.posting, s) for s in self.data.get("posting", [])]
        events += [(_ago(self.now, s), self.message, s) for s in self.data.get("message", [])]
        events += [(_ago(self.now, s), self.choice, s) for s in self.data.get("choice", [])]
        events += [(_ago(self.now, s), self.report, s) for s in self.data.get("report", [])]
        events += [(_ago(self.now, s), self.barrier, s) for s in self.data.get("barrier", [])]
        events += [(_ago(self.now, s), self.consent, s) for s in self.data.get("consent", [])]
        # Help that happened: each step of a history at its own moment (posted, answered,
        # chosen, reported, confirmed, thanked), so the ledger and the figures have a past.
        for spec in self.data.get("history", []):
            for step in HISTORY_STEPS:
                moment = self.now - timedelta(days=spec["days_ago"] - HISTORY_STEPS[step])
                events.append((moment, getattr(self, f"history_{step}"), spec))
        # Oldest first; sorted() is stable, so events of the same moment keep the file's order.
        for moment, handler, spec in sorted(events, key=lambda event: event[0]):
            with clock_at(moment):
                handler(spec)

    def kommune(self, spec: dict) -> None:
        municipality = municipality_by_slug(spec["slug"])
        if municipality is None:
            postcodes = spec["postcodes"]
            rows = [
                (
                    n,
                    [
                        o["name"],
                        o.get("postcode", postcodes[0]),
                        str(o["latitude"]),
                        str(o["longitude"]),
                    ],
                )
                for n, o in enumerate(spec.get("ortsteil", []), start=1)
            ]
            values = {
                "slug": spec["slug"],
                "name": spec["name"],
                "postcodes": " ".join(postcodes),
                "districts": rows,
                "theme_color": spec["theme_color"],
                "enabled_kinds": spec.get("kinds", list(ALL_KINDS)),
                "requires_approval": spec.get("requires_approval", False),
                **{
                    key: spec.get(key, "")
                    for key in (
                        "contact_text",
                        "imprint_text",
                        "privacy_text",
                        "accessibility_text",
                    )
                },
            }
            with clock_at(_ago(self.now, spec)):
                municipality = operator.build_municipality(values)
        # Facts fill only what is empty, so older demo databases get them too.
        current = {key: getattr(municipality, key) or "" for key in municipalities.FACT_FIELDS}
        wanted = {key: current[key] or spec.get("facts", {}).get(key, "") for key in current}
        if wanted != current:
            municipalities.update_facts(municipality, wanted)
        statement = spec.get("accessibility")
        if statement and statements.stored_statement(municipality) is None:
            with clock_at(_ago(self.now, statement)):
                evaluated = _ago(self.now, {"days_ago": statement["evaluated_days_ago"]})
                accessibility.save_statement(
                    municipality,
                    status=statement["status"],
                    limitations=[
                        {key: part[key] for key in ("what", "why", "alternative")}
                        for part in statement.get("limitation", [])
                    ],
                    evaluation_method=statement["evaluation_method"],
                    evaluated_on=statements.local_date(evaluated),
                    prepared_by=statement.get("prepared_by", ""),
                    enforcement_name=statement.get("enforcement_name", ""),
                    enforcement_url=statement.get("enforcement_url", ""),
                )
        self.easy_language(municipality, spec.get("easy_language"))
        self.kommunen[spec["slug"]] = municipality

    def easy_language(self, municipality: Municipality, spec: dict | None) -> None:
        """The Leichte-Sprache page's check (and text; empty: the default), once."""
        if not spec or easy_language_queries.page_of(municipality) is not None:
            return
        today = self.now.date()
        easy_language.save_text(
            municipality,
            spec.get("body", ""),
            spec["checked_by"],
            today - timedelta(days=spec.get("checked_days_ago", 0)),
            default_body="",
            today=today,
        )

    def account(self, spec: dict) -> None:
        user = accounts.find_by_email(spec["email"])
        if user is None:
            municipality = self.kommunen[spec["kommune"]]
            district = _district(municipality, spec.get("ortsteil"))
            age = spec["age"]
            user = accounts.register(
                municipality=municipality,
                email=spec["email"],
                password=spec["password"],
                display_name=spec["name"],
                birth_date=_birth_date(age),
                district_id=district.id if district else None,
                postcode=spec.get("postcode", ""),
                phone=spec.get("phone"),
                # Under 16 a parent confirms by link (accounts/parents.py).
                parent_email=f"eltern.{spec['email']}" if age < accounts.CONSENT_AGE else None,
                locale=spec.get("locale", "de"),
                accepts_terms=True,
            )
            # What the link in the confirmation mail does: demo accounts are confirmed.
            confirmation.confirm(confirmation.confirmation_token(user))
            if user.awaits_parent:  # and what the parent's link does
                parents.confirm_parent(user)
            if spec.get("role", ROLE_RESIDENT) == ROLE_ADMIN:
                operator.promote_to_admin(municipality, user.email)
            self.created.add(spec["key"])
        elif user.accepted_terms_version < current_terms_version(user.municipality_id):
            # An older demo database: the personas have read the current terms, so the demo
            # journey is not interrupted by the page that asks for them.
            user.accepted_terms_version = current_terms_version(user.municipality_id)
            user.terms_accepted_at = self.now
        self.people[spec["key"]] = user

    def proxy(self, spec: dict) -> None:
        municipality = self.kommunen[spec["kommune"]]
        user = db.session.scalar(
            select(User).where(
                User.municipality_id == municipality.id,
                User.is_proxy.is_(True),
                User.display_name == spec["name"],
            )
        )
        if user is None:
            registrar = self.people[spec["registered_by"]]
            district = _district(municipality, spec.get("ortsteil"))
            consent_days = spec.get("consent_days_ago", spec.get("days_ago", 0))
            values = {
                "display_name": spec["name"],
                "phone": spec.get("phone", ""),
                "postal_address": spec.get("postal_address", ""),
                "birth_year": spec.get("birth_year"),
                "contact_times": spec.get("contact_times", ""),
                "consent_on": date.today() - timedelta(days=consent_days),
                "consent_method": spec["consent_method"],
                "consent_by": registrar.display_name,
                "district_id": district.id if district else None,
                "postcode": spec.get("postcode", ""),
            }
            user = proxies.create_proxy(registrar, municipality, values)
            self.created.add(spec["key"])
        self.people[spec["key"]] = user
        self.registrars[spec["key"]] = spec["registered_by"]

    def posting(self, spec: dict) -> None:
        key = spec["author"]
        if key not in self.people:
            raise ValueError(f"demo data: {spec['title']!r} is older than its author {key!r}")
        if key not in self.created:
            return
        author = self.people[key]
        in_days = spec.get("on_date_in_days")
        values = {
            "direction": spec["direction"],
            "kind": spec["kind"],
            "category": spec["category"],
            "title": spec["title"],
            "description": spec["description"],
            "timing": spec.get("timing", "date" if in_days else "flexible"),
            "on_date": date.today() + timedelta(days=in_days) if in_days else None,
            "recurrence": spec.get("recurrence"),
            "pay_per_hour_cents": spec.get("pay_per_hour_cents"),
            "radius_km": spec.get("radius_km"),
            "is_remote_ok": spec.get("is_remote_ok", False),
            "district_id": author.district_id,
            "postcode": author.postcode,
        }
        with self.acting_as(author, "postings.create") as done:
            posting = postings.create_posting(author, author.municipality, values)
            done(posting)
        self.postings[spec["title"]] = posting

    @contextmanager
    def acting_as(self, person: User, action: str) -> Iterator[Callable[[object], None]]:
        """Run one write as person; a proxy cannot sign in, so her admin acts for her, audited.

        Yields a callback that names the object the write created or changed (for the log).
        """
        if not person.is_proxy:
            yield lambda _obj: None
            return
        key = next(k for k, user in self.people.items() if user is person)
        acting_admin = self.people[self.registrars[key]]
        proxies.start_acting(acting_admin, person)
        yield lambda obj: audit.entry(acting_admin, person, action, obj)
        proxies.stop_acting(acting_admin, person)

    def _later(self, spec: dict, what: str) -> Posting | None:
        """The posting a later event is about, or None when it existed before this run."""
        if spec["posting"] in self.postings:
            return self.postings[spec["posting"]]
        if by_title(spec["posting"]) is None:
            raise ValueError(f"demo data: {what} about {spec['posting']!r} comes before it")
        return None

    def message(self, spec: dict) -> None:
        posting = self._later(spec, "a message")
        if posting is None:
            return
        sender = self.people[spec["from"]]
        if sender.id != posting.author_id:
            with self.acting_as(sender, "postings.respond") as done:
                done(messaging.respond(posting, sender, spec["body"]))
            return
        # The author answers the conversation the other person started.
        conversation = messaging_queries.own_conversation(posting, self.people[spec["to"]])
        with self.acting_as(sender, "messaging.conversation") as done:
            done(messaging.send_message(conversation, sender, spec["body"]))

    def choice(self, spec: dict) -> None:
        posting = self._later(spec, "a choice")
        if posting is None:
            return
        author = self.people_by_id(posting.author_id)
        conversation = messaging_queries.own_conversation(posting, self.people[spec["helper"]])
        with self.acting_as(author, "postings.assign") as done:
            messaging.assign_posting(posting, author, conversation)
            done(conversation)

    def report(self, spec: dict) -> None:
        posting = self._later(spec, "a report")
        if posting is None:
            return
        reporter = self.people[spec["by"]]
        with self.acting_as(reporter, "reports.report_posting") as done:
            done(moderation.report_posting(reporter, posting, spec["reason"]))

    def barrier(self, spec: dict) -> None:
        municipality = self.kommunen[spec["kommune"]]
        exists = db.session.scalar(
            select(AccessibilityFeedback.id).where(
                AccessibilityFeedback.municipality_id == municipality.id,
                AccessibilityFeedback.message == spec["message"],
            )
        )
        if exists is None:
            accessibility.submit_feedback(
                municipality,
                message=spec["message"],
                page=spec.get("page", ""),
                name=spec.get("name", ""),
                email=spec.get("email", ""),
                locale=spec.get("locale", "de"),
            )

    def consent(self, spec: dict) -> None:
        """The town hall records the parents' signed consent form of a minor (issue 11 A.5)."""
        person = self.people[spec["person"]]
        if spec["person"] not in self.created or youth_queries.valid_consent(person):
            return
        admin = self.people[spec["recorded_by"]]
        youth_admin.record_consent(
            admin,
            person.municipality,
            person,
            signed_on=utcnow().date() - timedelta(days=1),
            signed_by=spec["signed_by"],
            taken_by=admin.display_name,
        )

    # A history's steps and how many days after it was posted each one happens.
    def _history_posting(self, spec: dict) -> Posting | None:
        return self.postings.get(f"history:{spec['title']}")

    def history_post(self, spec: dict) -> None:
        """The posting of a help that happened (not on the board any more)."""
        if spec["author"] not in self.created:
            return
        author = self.people[spec["author"]]
        values = {
            "direction": "request",
            "kind": spec["kind"],
            "category": spec["category"],
            "title": spec["title"],
            "description": spec["description"],
            "timing": "flexible",
            "on_date": None,
            "recurrence": None,
            "pay_per_hour_cents": spec.get("pay_per_hour_cents"),
            "radius_km": None,
            "is_remote_ok": False,
            "district_id": author.district_id,
            "postcode": author.postcode,
        }
        self.postings[f"history:{spec['title']}"] = postings.create_posting(
            author, author.municipality, values
        )

    def history_answer(self, spec: dict) -> None:
        posting = self._history_posting(spec)
        if posting is not None:
            messaging.respond(posting, self.people[spec["helper"]], spec["answer"])

    def history_choose(self, spec: dict) -> None:
        posting = self._history_posting(spec)
        if posting is None:
            return
        author = self.people_by_id(posting.author_id)
        conversation = messaging_queries.own_conversation(posting, self.people[spec["helper"]])
        if "start" in spec:
            # A minor is chosen only for an agreed day, start and length (youth rules).
            messaging_youth.set_agreed_time(
                conversation, author, self._helped_on(), _clock(spec["start"]), spec["minutes"]
            )
        messaging.assign_posting(posting, author, conversation)

    def _helped_on(self) -> date:
        """The day of the help: two days after the choice, moved off Sundays and holidays."""
        day = utcnow().date() + timedelta(days=2)
        while day.weekday() >= 5 or youth_rules.holiday_name(youth_rules.Policy(land="NW"), day):
            day -= timedelta(days=1)
        return day

    def history_report(self, spec: dict) -> None:
        posting = self._history_posting(spec)
        if posting is None:
            return
        author = self.people_by_id(posting.author_id)
        conversation = messaging_queries.own_conversation(posting, self.people[spec["helper"]])
        on_date = conversation.agreed_on or utcnow().date() - timedelta(days=1)
        ledger.report_outcome(
            posting,
            author,
            ledger.Report(
                outcome="helped",
                conversation_id=conversation.id,
                on_date=on_date,
                minutes=spec["minutes"],
                pay_per_hour_cents=spec.get("pay_per_hour_cents"),
            ),
        )

    def _record(self, spec: dict) -> HelpRecord | None:
        posting = self._history_posting(spec)
        if posting is None:
            return None
        return db.session.scalar(select(HelpRecord).where(HelpRecord.posting_id == posting.id))

    def history_confirm(self, spec: dict) -> None:
        record = self._record(spec)
        if record is not None:
            ledger.confirm(record, self.people[spec["helper"]])

    def history_thank(self, spec: dict) -> None:
        record = self._record(spec)
        if record is not None and spec.get("thanks"):
            thanks.thank(self.people_by_id(record.recipient_id), record, spec["thanks"])

    def people_by_id(self, user_id: int) -> User:
        """A person of the demo by database id."""
        return next(user for user in self.people.values() if user.id == user_id)


HISTORY_STEPS = {"post": 0, "answer": 1, "choose": 2, "report": 5, "confirm": 6, "thank": 7}


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def by_title(title: str) -> Posting | None:
    """The demo posting with this title (titles are unique in data.toml)."""
    return db.session.scalar(select(Posting).where(Posting.title == title))


def seed_demo(data: dict | None = None) -> list[tuple[str, str, str, str]]:
    """Create the demo data unless it exists; returns (name, e-mail, password, role) rows."""
    data = data if data is not None else load_data()
    with _request():
        _Loader(data, utcnow()).run()
    db.session.flush()
    return [
        (name, email, password, role)
        for _k, name, email, password, *_r, role, _p in account_rows(data)
    ]
