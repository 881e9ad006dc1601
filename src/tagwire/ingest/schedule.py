"""When to check a source next: as often as it publishes (between a floor and a ceiling), an
exponential, capped backoff after failures, and never before the time a server asked for
(Retry-After).

How often a source publishes is read from the dates of the items it lists: the mean gap between
them, or, when the newest is already older than that gap, the time since the newest (a source
that went quiet is checked less and less often). A 304 or a feed without dates keeps the
interval the source had."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_BACKOFF = timedelta(hours=24)
RECENT_ITEMS = 20  # the newest dated items a publishing rate is read from


@dataclass(frozen=True)
class Intervals:
    """The interval for a source of unknown rhythm, and the floor and ceiling of any interval."""

    usual: timedelta
    shortest: timedelta
    longest: timedelta

    @classmethod
    def of(cls, usual: float, shortest: float, longest: float) -> Intervals:
        low = timedelta(seconds=min(shortest, usual))
        return cls(timedelta(seconds=usual), low, max(timedelta(seconds=longest), low))

    def clamp(self, interval: timedelta) -> timedelta:
        return min(max(interval, self.shortest), self.longest)


def after_success(
    now: datetime, intervals: Intervals, published: Iterable[datetime] = (), previous: timedelta | None = None
) -> datetime:
    """The next check after a fetch that worked: at the source's publishing rhythm when its items
    tell it, else the interval it had (`previous`), else the usual one; within floor and ceiling."""
    rhythm = publishing_interval(now, published)
    return now + intervals.clamp(rhythm or previous or intervals.usual)


def publishing_interval(now: datetime, published: Iterable[datetime]) -> timedelta | None:
    """The mean gap between the newest dated items (not those dated in the future), or the age
    of the newest when it is older than that; None with fewer than two dates."""
    dates = sorted((d for d in published if d <= now), reverse=True)[:RECENT_ITEMS]
    if len(dates) < 2:
        return None
    gap = (dates[0] - dates[-1]) / (len(dates) - 1)
    return max(gap, now - dates[0])


def previous_interval(last_checked: datetime | None, next_check: datetime | None) -> timedelta | None:
    """The interval a source was last given, when it was checked and scheduled."""
    if last_checked is None or next_check is None or next_check <= last_checked:
        return None
    return next_check - last_checked


def after_error(
    now: datetime, interval_seconds: int, error_count: int, retry_after: float | None
) -> tuple[datetime, datetime | None]:
    """(next check, hold until): the interval doubled per consecutive error, capped at a day,
    and at least what Retry-After asked, which also becomes a hold that manual fetches respect."""
    backoff = min(timedelta(seconds=interval_seconds) * (2 ** min(error_count, 16)), MAX_BACKOFF)
    hold = now + timedelta(seconds=retry_after) if retry_after else None
    return max(now + backoff, hold or now), hold
