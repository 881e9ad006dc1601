"""When to check a source next: its normal interval after a success, an exponential, capped
backoff after failures, and never before the time a server asked for (Retry-After)."""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_BACKOFF = timedelta(hours=24)


def after_success(now: datetime, interval_seconds: int) -> datetime:
    return now + timedelta(seconds=interval_seconds)


def after_error(
    now: datetime, interval_seconds: int, error_count: int, retry_after: float | None
) -> tuple[datetime, datetime | None]:
    """(next check, hold until): the interval doubled per consecutive error, capped at a day,
    and at least what Retry-After asked, which also becomes a hold that manual fetches respect."""
    backoff = min(timedelta(seconds=interval_seconds) * (2 ** min(error_count, 16)), MAX_BACKOFF)
    hold = now + timedelta(seconds=retry_after) if retry_after else None
    return max(now + backoff, hold or now), hold
