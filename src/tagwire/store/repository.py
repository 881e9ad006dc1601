"""The repository: the one face of the store that the rest of tagwire uses, assembled from its
parts, one per domain, each the only place with its SQL (lemon24/reader's storage is built so):

    sources.py   SourcesPart   sources, and what each fetch changed on them
    articles.py  ArticlesPart  articles stored, pending, understood (decisions.py), quarantined
    stories.py   StoriesPart   stories, hashtag and outlet pages, trending counts
    follows.py   FollowsPart   follows and their webhook deliveries
    search.py    (functions over the repository: the query language's SQL)

store/types.py says the whole face in one screen, as a Protocol.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from tagwire.models import Article, Source
from tagwire.store.articles import ArticlesPart
from tagwire.store.follows import FollowsPart
from tagwire.store.sources import SourceOutcome, SourcesPart, error_outcome, success_outcome
from tagwire.store.stories import StoriesPart
from tagwire.store.types import Store

__all__ = ["Repository", "SourceOutcome", "error_outcome", "success_outcome"]


class Repository(SourcesPart, ArticlesPart, StoriesPart, FollowsPart):
    """Every read and write of tagwire's data (open it with store.open_store)."""

    # only tests call these three; they move to tests/helpers.py once the tests using them are
    # rewritten (issue 11, in progress)
    def save_understanding(
        self, a: Article, *, bands: Sequence[int], signature: bytes, features: str, terms: Iterable[str]
    ) -> None:
        with self.understanding() as decisions:
            decisions.forget([a.id or 0])
            decisions.save(a, bands=bands, signature=signature, features=features, terms=terms)

    def record_success(
        self, source: Source, *, checked: datetime, next_check: datetime, problem: str | None
    ) -> None:
        outcome = success_outcome(source, checked=checked, next_check=next_check, problem=problem)
        self.save_fetches([], [outcome], fetched_at=checked)

    def record_error(
        self,
        source: Source,
        message: str,
        *,
        status: int | None,
        checked: datetime,
        next_check: datetime,
        hold_until: datetime | None = None,
    ) -> None:
        outcome = error_outcome(
            source, message, status=status, checked=checked, next_check=next_check, hold_until=hold_until
        )
        self.save_fetches([], [outcome], fetched_at=checked)


def _implements(repo: Repository) -> Store:
    return repo  # mypy checks here that Repository is a Store (store/types.py)
