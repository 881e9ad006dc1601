"""What several test modules share (never imported from another test module): writing a store
into a given state the way tagwire's own code would, and reading back what no command shows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select

from tagwire.models import Article, Source
from tagwire.store import Repository
from tagwire.store.schema import deliveries
from tagwire.store.sources import error_outcome, success_outcome


def save_understanding(
    repo: Repository,
    a: Article,
    *,
    bands: Sequence[int] = (),
    signature: bytes = b"",
    features: str = "{}",
    terms: Iterable[str] = (),
) -> None:
    """Record `a` as understood (its hashtags, story, match as set on it), in one transaction, as
    the engine does for each article of a batch; a new story when a.story_id is None."""
    with repo.understanding() as decisions:
        decisions.forget([a.id or 0])
        decisions.save(a, bands=bands, signature=signature, features=features, terms=terms)


def record_success(
    repo: Repository, source: Source, *, checked: datetime, next_check: datetime, problem: str | None = None
) -> None:
    """A fetch of `source` worked, as a fetch records it."""
    outcome = success_outcome(source, checked=checked, next_check=next_check, problem=problem)
    repo.save_fetches([], [outcome], fetched_at=checked)


def record_error(
    repo: Repository,
    source: Source,
    message: str,
    *,
    status: int | None,
    checked: datetime,
    next_check: datetime,
    hold_until: datetime | None = None,
) -> None:
    """A fetch of `source` failed, as a fetch records it (hold_until: a Retry-After)."""
    outcome = error_outcome(
        source, message, status=status, checked=checked, next_check=next_check, hold_until=hold_until
    )
    repo.save_fetches([], [outcome], fetched_at=checked)


def delivery_states(repo: Repository, follow_id: int) -> list[tuple[int, str, int]]:
    """(story id, state, attempts) of a follow's deliveries, by story."""
    q = (
        select(deliveries.c.story_id, deliveries.c.state, deliveries.c.attempts)
        .where(deliveries.c.follow_id == follow_id)
        .order_by(deliveries.c.story_id)
    )
    with repo.engine.connect() as conn:
        return [(r.story_id, r.state, r.attempts) for r in conn.execute(q)]
