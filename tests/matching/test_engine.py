"""The matching rules, case by case, without a database."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from exchange.matching.engine import Side, evaluate, kinds_compatible, max_distance_km, rank
from exchange.youth.rules import Helper

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
WESTENHOLZ = (51.7330, 8.4670)
HAGEN = (51.7560, 8.6120)  # about 10 km east of Westenholz
NEXT_DOOR = (51.7350, 8.4700)  # a few hundred metres from Westenholz
# A 15-year-old pupil whose parents' consent form is recorded.
MINOR = Helper(date(2011, 5, 1), is_pupil=True, has_consent=True)


def side(id=1, direction="request", author=1, where=WESTENHOLZ, **changes):
    base = Side(
        id=id,
        author_id=author,
        municipality_id=1,
        direction=direction,
        kind="zeitspende",
        category="shopping",
        latitude=where[0],
        longitude=where[1],
        status="open",
        expires_at=NOW + timedelta(weeks=8),
        created_at=NOW - timedelta(days=3),
        radius_km=5 if direction == "offer" else None,
    )
    return replace(base, **changes)


REQUEST = side()
OFFER = side(id=2, direction="offer", author=2, where=NEXT_DOOR)


@pytest.mark.parametrize(
    ("request_changes", "offer_changes", "matches", "rule"),
    [
        ({}, {}, True, "same category, next door"),
        ({}, {"direction": "request"}, False, "two requests never match"),
        ({}, {"author_id": 1}, False, "own postings never match"),
        ({}, {"municipality_id": 2}, False, "other Kommune"),
        ({"status": "closed"}, {}, False, "closed request"),
        ({}, {"status": "assigned"}, False, "assigned offer"),
        ({}, {"status": "hidden"}, False, "hidden offer"),
        ({"status": "in_contact"}, {}, True, "in contact is still open"),
        ({}, {"expires_at": NOW - timedelta(seconds=1)}, False, "expired offer"),
        ({"kind": "taschengeld"}, {"kind": "taschengeld"}, True, "taschengeld pair"),
        ({"kind": "taschengeld"}, {"kind": "zeitspende"}, False, "paid vs donated"),
        ({"kind": "tausch"}, {"kind": "tausch"}, True, "tausch pair"),
        ({"kind": "tausch"}, {"kind": "ehrenamt"}, False, "tausch vs ehrenamt"),
        ({"kind": "zeitspende"}, {"kind": "ehrenamt"}, True, "zeitspende with ehrenamt"),
        ({"kind": "ehrenamt"}, {"kind": "zeitspende"}, True, "ehrenamt with zeitspende"),
        ({"category": "garden"}, {}, False, "different category"),
        ({"category": "garden"}, {"category": "other"}, True, "'other' offer fits any"),
        ({"category": "other"}, {"category": "garden"}, False, "'other' request is not any"),
        ({}, {"latitude": HAGEN[0], "longitude": HAGEN[1]}, False, "10 km > 5 km default"),
        (
            {},
            {"latitude": HAGEN[0], "longitude": HAGEN[1], "radius_km": 15},
            False,
            "request's own 5 km still limits",
        ),
        (
            {"radius_km": 15},
            {"latitude": HAGEN[0], "longitude": HAGEN[1], "radius_km": 15},
            True,
            "both willing to go 15 km",
        ),
        ({}, {"radius_km": 0.1}, False, "offer radius smaller than the distance"),
        (
            {"is_remote_ok": True},
            {"latitude": HAGEN[0], "longitude": HAGEN[1], "is_remote_ok": True},
            True,
            "both remote: distance does not matter",
        ),
        (
            {"is_remote_ok": False},
            {"latitude": HAGEN[0], "longitude": HAGEN[1], "is_remote_ok": True},
            False,
            "only the offer is remote",
        ),
        ({"on_date": date(2026, 12, 1)}, {"on_date": date(2026, 12, 1)}, True, "same date"),
        ({"on_date": date(2026, 12, 1)}, {"on_date": date(2026, 12, 2)}, False, "other date"),
        ({"on_date": date(2026, 12, 1)}, {}, True, "flexible offer fits a dated request"),
        (
            {"kind": "taschengeld", "category": "repairs"},
            {"kind": "taschengeld", "category": "repairs", "author_minor": MINOR},
            False,
            "minor helper: no heavy work",
        ),
        (
            {"kind": "taschengeld", "category": "garden"},
            {"kind": "taschengeld", "category": "garden", "author_minor": MINOR},
            True,
            "minor helper: light garden work",
        ),
        (
            {"kind": "taschengeld", "category": "garden", "on_date": date(2026, 11, 29)},
            {"kind": "taschengeld", "category": "garden", "author_minor": MINOR},
            False,
            "minor helper: no Sunday jobs",
        ),
        (
            {
                "kind": "taschengeld",
                "category": "garden",
                "on_date": date(2026, 11, 25),
                "start_time": time(15),
                "duration_minutes": 60,
            },
            {"kind": "taschengeld", "category": "garden", "author_minor": MINOR},
            True,
            "minor helper: Wednesday 15:00, one hour in the garden",
        ),
        (
            {
                "kind": "taschengeld",
                "category": "garden",
                "on_date": date(2026, 11, 25),
                "start_time": time(10),
                "duration_minutes": 60,
            },
            {"kind": "taschengeld", "category": "garden", "author_minor": MINOR},
            False,
            "minor pupil helper: not in school time",
        ),
        (
            {"kind": "zeitspende", "category": "shopping"},
            {"author_minor": replace(MINOR, has_consent=False)},
            False,
            "minor helper without a recorded consent: in no Börse",
        ),
    ],
)
def test_rule(request_changes, offer_changes, matches, rule):
    request = replace(REQUEST, **request_changes)
    offer = replace(OFFER, **offer_changes)
    assert (evaluate(request, offer, NOW) is not None) is matches, rule
    # Symmetric: it does not matter which side asks.
    assert (evaluate(offer, request, NOW) is not None) is matches, rule


def test_kind_compatibility_table():
    kinds = ["taschengeld", "zeitspende", "tausch", "ehrenamt"]
    compatible = {(a, b) for a in kinds for b in kinds if kinds_compatible(a, b)}
    assert compatible == {
        ("taschengeld", "taschengeld"),
        ("tausch", "tausch"),
        ("zeitspende", "zeitspende"),
        ("zeitspende", "ehrenamt"),
        ("ehrenamt", "zeitspende"),
        ("ehrenamt", "ehrenamt"),
    }


def test_default_radius_is_five_km():
    assert max_distance_km(REQUEST, replace(OFFER, radius_km=None)) == 5


def test_reasons_say_category_distance_and_age():
    match = evaluate(REQUEST, OFFER, NOW)
    assert match.reasons == (("same_category", {}), ("distance", {"km": 0}), ("age", {"days": 3}))


def test_remote_reason_replaces_distance():
    request = replace(REQUEST, is_remote_ok=True)
    offer = replace(OFFER, latitude=HAGEN[0], longitude=HAGEN[1], is_remote_ok=True)
    kinds = [key for key, _ in evaluate(request, offer, NOW).reasons]
    assert "remote" in kinds and "distance" not in kinds


def test_ranking_prefers_category_then_nearness_then_freshness():
    same_near = replace(OFFER, id=10)
    same_far = replace(OFFER, id=11, latitude=51.7600, longitude=8.4670)  # ~3 km north
    other_category = replace(OFFER, id=12, category="other")
    stale = replace(OFFER, id=13, created_at=NOW - timedelta(days=40))
    ranked = rank(REQUEST, [other_category, stale, same_far, same_near], NOW)
    ids = [m.offer.id for m in ranked]
    assert ids[0] == 10
    assert ids.index(11) < ids.index(12)
    assert ids.index(10) < ids.index(13)


def test_rank_limits_and_drops_non_matches():
    offers = [replace(OFFER, id=100 + i) for i in range(15)] + [
        replace(OFFER, id=99, kind="tausch")
    ]
    ranked = rank(REQUEST, offers, NOW, limit=10)
    assert len(ranked) == 10 and all(m.offer.id != 99 for m in ranked)
