"""Reads about accounts: the personal data export."""

from __future__ import annotations

from sqlalchemy import or_, select

from ..extensions import db
from ..messaging.models import Conversation
from ..postings.models import Posting
from .models import User


def _iso(value):
    return value.isoformat() if value is not None else None


def _proxy_record(user: User) -> dict | None:
    """What the town hall recorded while it looked after the account (consent, contact)."""
    from ..admin.models import ProxyProfile

    profile = db.session.get(ProxyProfile, user.id)
    if profile is None:
        return None
    return {
        "postal_address": profile.postal_address or None,
        "birth_year": profile.birth_year,
        "contact_times": profile.contact_times or None,
        "consent_on": _iso(profile.consent_on),
        "consent_method": profile.consent_method,
        "consent_by": profile.consent_by,
        "registered_at": _iso(profile.created_at),
        "activated_at": _iso(profile.activated_at),
    }


def export_data(user: User) -> dict:
    """Everything stored about user, without secrets or other people's contact details."""
    postings = db.session.scalars(
        select(Posting).where(Posting.author_id == user.id).order_by(Posting.id)
    )
    conversations = db.session.scalars(
        select(Conversation)
        .where(or_(Conversation.author_id == user.id, Conversation.responder_id == user.id))
        .order_by(Conversation.id)
    )
    return {
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "birth_date": _iso(user.birth_date),
            "has_parental_consent": user.has_parental_consent,
            "municipality": user.municipality.name if user.municipality else None,
            "district": user.district.name if user.district else None,
            "postcode": user.postcode,
            "phone": user.phone,
            "language": user.locale,
            "has_email_notifications": user.has_email_notifications,
            "created_at": _iso(user.created_at),
            "last_login_at": _iso(user.last_login_at),
        },
        "town_hall_record": _proxy_record(user),
        "postings": [
            {
                "id": p.id,
                "direction": p.direction,
                "kind": p.kind,
                "category": p.category,
                "title": p.title,
                "description": p.description,
                "place": p.place_name,
                "timing": p.timing,
                "on_date": _iso(p.on_date),
                "recurrence": p.recurrence,
                "pay_per_hour_cents": p.pay_per_hour_cents,
                "radius_km": p.radius_km,
                "is_remote_ok": p.is_remote_ok,
                "status": p.status,
                "created_at": _iso(p.created_at),
                "expires_at": _iso(p.expires_at),
            }
            for p in postings
        ],
        "conversations": [
            {
                "posting_title": c.posting_title,
                "role": "author" if c.author_id == user.id else "responder",
                "other_person": (c.other_party(user).short_name if c.other_party(user) else None),
                "shares_my_phone": c.is_sharing_phone(user),
                "messages": [
                    {
                        "from_me": m.sender_id == user.id,
                        "sender": (
                            "me"
                            if m.sender_id == user.id
                            else (m.sender.short_name if m.sender else None)
                        ),
                        "body": m.body,
                        "created_at": _iso(m.created_at),
                    }
                    for m in c.messages
                ],
            }
            for c in conversations
        ],
    }
