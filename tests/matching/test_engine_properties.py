"""Properties of the pure matching engine (hypothesis): order of the pair and distance."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from exchange.matching.engine import KIND_GROUPS, Side, evaluate
from exchange.youth.rules import LIGHT_WORK, Helper

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
CATEGORIES = sorted(LIGHT_WORK | {"other", "repairs", "transport"})
# An adult (None), and young people of 13 to 17, pupils or not, with or without consent.
MINORS = [
    None,
    Helper(date(2013, 6, 1), is_pupil=True, has_consent=True),
    Helper(date(2011, 6, 1), is_pupil=None, has_consent=True),
    Helper(date(2009, 6, 1), is_pupil=False, has_consent=True),
    Helper(date(2010, 6, 1), is_pupil=False, has_consent=False),
]


@st.composite
def sides(draw, direction=None):
    """Any posting near Delbrück, open or not, with any of the rules' inputs."""
    return Side(
        id=draw(st.integers(1, 10_000)),
        author_id=draw(st.integers(1, 3)),
        municipality_id=draw(st.integers(1, 2)),
        direction=direction or draw(st.sampled_from(["request", "offer"])),
        kind=draw(st.sampled_from(sorted(KIND_GROUPS))),
        category=draw(st.sampled_from(CATEGORIES)),
        latitude=draw(st.floats(51.70, 51.80)),
        longitude=draw(st.floats(8.45, 8.65)),
        status=draw(st.sampled_from(["open", "in_contact", "assigned", "closed"])),
        expires_at=NOW + timedelta(days=draw(st.integers(-3, 60))),
        created_at=NOW - timedelta(days=draw(st.integers(0, 90))),
        radius_km=draw(st.none() | st.floats(1.0, 30.0)),
        is_remote_ok=draw(st.booleans()),
        on_date=draw(st.none() | st.dates(NOW.date(), NOW.date() + timedelta(days=3))),
        author_minor=draw(st.sampled_from(MINORS)),
        start_time=draw(st.sampled_from([None, time(7), time(10), time(15), time(17, 30)])),
        duration_minutes=draw(st.sampled_from([None, 60, 90, 180])),
    )


@given(sides(), sides())
def test_compatibility_does_not_depend_on_which_side_asks(a, b):
    # The request's page and the offer's page must agree that the two fit, and how well.
    there, back = evaluate(a, b, NOW), evaluate(b, a, NOW)
    assert (there is None) == (back is None)
    if there is not None:
        assert there.request == back.request and there.offer == back.offer
        assert there.score == back.score
        assert there.distance_km == back.distance_km


@given(
    sides("request"),
    st.floats(1.0, 30.0),
    st.integers(0, 90),
    st.floats(0.0, 0.05),
    st.floats(0.0, 0.05),
)
def test_score_never_rises_as_the_offer_moves_away(request, radius, age, step, further):
    # A fitting offer by someone else, only placed farther along one line: never a better match.
    request = replace(request, status="open", expires_at=NOW + timedelta(weeks=8))
    offer = replace(
        request,
        id=request.id + 1,
        author_id=request.author_id + 1,
        direction="offer",
        author_minor=None,
        radius_km=radius,
        created_at=NOW - timedelta(days=age),
    )
    near = replace(offer, latitude=request.latitude + step)
    far = replace(near, latitude=near.latitude + further)
    close, distant = evaluate(request, near, NOW), evaluate(request, far, NOW)
    assert close is not None or near.latitude - request.latitude > 0.0
    if close is not None and distant is not None:
        assert distant.distance_km >= close.distance_km
        assert distant.score <= close.score
    if close is None:
        assert distant is None  # farther than too far is still too far
