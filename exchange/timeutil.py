"""UTC-aware time helpers and a column type that keeps datetimes aware on every database."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

# A fixed "now" for the current context (thread or task), or None for the system clock. A
# context variable, so a clock set by the demo loader never leaks into a request elsewhere.
_fixed_now: ContextVar[datetime | None] = ContextVar("fixed_now", default=None)


def utcnow() -> datetime:
    """Current time, UTC-aware (the clock set by clock_at(), if any)."""
    fixed = _fixed_now.get()
    return fixed if fixed is not None else datetime.now(UTC)


@contextmanager
def clock_at(moment: datetime) -> Iterator[datetime]:
    """Let utcnow() return moment inside the block: writes past events as they happened then."""
    if moment.tzinfo is None:
        raise ValueError("clock_at needs an aware datetime")
    token = _fixed_now.set(moment.astimezone(UTC))
    try:
        yield moment
    finally:
        _fixed_now.reset(token)


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and always returns them aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Normalise to UTC before storing."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored; use exchange.timeutil.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        """Attach UTC when the database returned a naive value."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
