"""A test helper that writes a posting through the steps, as a resident does in the browser."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tests.conftest import post

# The fields of the old one-page form, by the step that asks for them.
STEP_FIELDS = {
    "kind": ("kind",),
    "direction": ("direction",),
    "category": ("category",),
    "when": ("timing", "on_date", "start_time", "duration_hours", "recurrence"),
    "where": ("district", "postcode", "radius_km", "is_remote_ok"),
    "text": ("title", "description", "pay_per_hour"),
}


def path_of(response) -> str:
    """The path (and query) a redirect leads to."""
    parts = urlsplit(response.headers["Location"])
    return parts.path + (f"?{parts.query}" if parts.query else "")


def start_draft(client, new_url: str) -> str | None:
    """GET the entry; the draft's base URL (…/postings/drafts/<id>), or None when refused."""
    response = client.get(new_url)
    if response.status_code != 302 or "/postings/drafts/" not in response.headers["Location"]:
        return None
    return path_of(response).split("?")[0].rsplit("/", 1)[0]


def fill_steps(client, draft_url: str, data: dict, until: str = "check"):
    """Answer each step before `until` with data; the first refusing response, or None."""
    for step, names in STEP_FIELDS.items():
        if step == until:
            break
        fields = {name: data[name] for name in names if name in data}
        response = post(client, f"{draft_url}/{step}", {**fields, "nav": "next"})
        if response.status_code != 302:
            return response
    return None


def publish_token(client, draft_url: str) -> str:
    """The idempotency token the check page renders."""
    html = client.get(f"{draft_url}/check").get_data(as_text=True)
    return re.search(r'name="idempotency_token"[^>]*value="([^"]+)"', html).group(1)


def written_draft(client, new_url: str, data: dict) -> dict:
    """Answer every step of a new draft with data; the publish form's fields (without token)."""
    draft_url = start_draft(client, new_url)
    assert draft_url is not None, "the entry refused to start a draft"
    refused = fill_steps(client, draft_url, data)
    assert refused is None, refused.get_data(as_text=True)[:2000]
    return {"draft": draft_url.rsplit("/", 1)[1]}


def publish_in_steps(client, new_url: str, data: dict, token: str | None = None):
    """Write a posting from data in the steps and publish it.

    Returns the response of the entry when it refuses (login, 403, another Kommune), of the
    first step that refuses the data (its error summary), or of publishing.
    """
    draft_url = start_draft(client, new_url)
    if draft_url is None:
        return client.get(new_url)
    refused = fill_steps(client, draft_url, data)
    if refused is not None:
        return refused
    if token is None:
        token = publish_token(client, draft_url)
    draft_id = draft_url.rsplit("/", 1)[1]
    return post(client, new_url.split("?")[0], {"draft": draft_id, "idempotency_token": token})
