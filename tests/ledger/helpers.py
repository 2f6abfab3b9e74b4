"""Factories for the record of help: a posting with an answer, and an outcome form."""

from __future__ import annotations

from exchange.extensions import db
from exchange.messaging.models import Conversation
from tests.conftest import make_posting, make_user, post

TOKEN = "outcome-token-0123456789abcdef"


def answered_posting(author, responder, **fields):
    """A posting by author that responder answered and was chosen for."""
    posting = make_posting(author, **fields)
    conversation = Conversation(
        municipality_id=posting.municipality_id,
        posting_id=posting.id,
        posting_title=posting.title,
        author_id=author.id,
        responder_id=responder.id,
        is_assigned=True,
    )
    db.session.add(conversation)
    posting.status = "assigned"
    db.session.flush()
    return posting, conversation


def people(municipality):
    """Erna (the author, helped) and Jonas (the helper)."""
    erna = make_user(municipality)
    jonas = make_user(municipality, email="jonas@example.org", name="Jonas Becker")
    return erna, jonas


def outcome_form(conversation=None, hours="2", on_date="2026-11-20", **extra):
    """The fields of a filled-in outcome form: the help took place."""
    data = {
        "outcome": "helped",
        "person": str(conversation.id) if conversation else "",
        "on_date": on_date,
        "hours": hours,
        "idempotency_token": TOKEN,
    }
    data.update(extra)
    return data


def report(client, posting, data, slug="delbrueck"):
    """POST the outcome form of posting."""
    return post(client, f"/k/{slug}/postings/{posting.id}/outcome", data)
