"""Two authors choose the same 14-year-old for 1.5 hours on the same day at the same moment:
only one choice may pass the daily cap (issue 11 A.6). The helper's row is locked before
the hours are counted, so the second chooser counts what the first committed."""

from __future__ import annotations

import threading
import time as clock
from datetime import date, time

import pytest
from sqlalchemy import select

from exchange.extensions import db
from exchange.messaging.models import Conversation
from exchange.youth.models import ParentalConsent, YouthPolicy
from exchange.youth.rules import LIGHT_WORK
from tests.conftest import make_municipality, make_posting, make_user, post
from tests.test_races import before_first_write, race_app, signed_in  # noqa: F401

DAY = date(2027, 3, 10)


@pytest.fixture
def two_jobs(race_app):  # noqa: F811
    delbrueck = make_municipality()
    delbrueck.state = "NW"
    db.session.add(
        YouthPolicy(
            municipality_id=delbrueck.id, min_age=13, categories_csv=",".join(sorted(LIGHT_WORK))
        )
    )
    lena = make_user(
        delbrueck,
        email="lena@example.org",
        name="Lena Vogel",
        birth_date=date(2013, 1, 1),
        is_full_time_pupil=True,
    )
    db.session.add(
        ParentalConsent(
            municipality_id=delbrueck.id,
            user_id=lena.id,
            signed_on=date(2026, 11, 2),
            signed_by="Maria Vogel",
            taken_by="Heike Amt",
        )
    )
    pairs = []
    for n, start in enumerate((time(14), time(16))):
        author = make_user(delbrueck, email=f"author{n}@example.org", name=f"Erna Auftrag{n}")
        posting = make_posting(
            author,
            kind="taschengeld",
            category="garden",
            timing="date",
            on_date=DAY,
            start_time=start,
            duration_minutes=90,
            status="in_contact",
        )
        conversation = Conversation(
            municipality_id=delbrueck.id,
            posting_id=posting.id,
            posting_title=posting.title,
            author_id=author.id,
            responder_id=lena.id,
        )
        db.session.add(conversation)
        db.session.flush()
        pairs.append((author, posting.id, conversation.id))
    db.session.commit()
    return pairs


def choose(client, posting_id, conversation_id):
    return post(
        client,
        f"/k/delbrueck/postings/{posting_id}/assign",
        {"conversation_id": conversation_id, "confirm": "1", "chosen": ""},
    )


@pytest.mark.slow
def test_two_authors_choosing_her_at_once_do_not_both_pass_the_daily_cap(race_app, two_jobs):  # noqa: F811
    (author_a, posting_a, talk_a), (author_b, posting_b, talk_b) = two_jobs
    client_a, client_b = signed_in(race_app, author_a), signed_in(race_app, author_b)
    second: list = []
    thread = threading.Thread(target=lambda: second.append(choose(client_b, posting_b, talk_b)))

    def b_chooses_meanwhile():
        # A has counted her hours and is about to write: B tries now, on its own connection.
        thread.start()
        clock.sleep(1.0)

    with before_first_write(r"UPDATE posting SET status", b_chooses_meanwhile):
        first = choose(client_a, posting_a, talk_a)
    thread.join(30)
    assert first.status_code == 302 and second[0].status_code == 302
    db.session.expire_all()
    chosen = list(
        db.session.scalars(select(Conversation.id).where(Conversation.is_assigned.is_(True)))
    )
    assert chosen == [talk_a]
