"""The repository: the one face of the store that the rest of tagwire uses, assembled from its
parts, one per domain, each the only place with its SQL (lemon24/reader's storage is built so):

    sources.py   SourcesPart   sources, and what each fetch changed on them
    articles.py  ArticlesPart  articles stored, pending, understood (decisions.py), quarantined
    stories.py   StoriesPart   stories, hashtag and outlet pages, trending counts
    follows.py   FollowsPart   follows and their webhook deliveries
    search.py    SearchPart    the query language (tagwire.query) compiled to SQL, stories ranked
    jobs.py      JobsPart      the cluster's job queue (PostgreSQL): sources claimed, jobs parked

store/types.py says the whole face in one screen, as a Protocol.
"""

from __future__ import annotations

from tagwire.store.articles import ArticlesPart
from tagwire.store.follows import FollowsPart
from tagwire.store.jobs import JobsPart
from tagwire.store.search import SearchPart
from tagwire.store.sources import SourceOutcome, SourcesPart, error_outcome, success_outcome
from tagwire.store.stories import StoriesPart
from tagwire.store.types import Store

__all__ = ["Repository", "SourceOutcome", "error_outcome", "success_outcome"]


class Repository(SourcesPart, ArticlesPart, StoriesPart, SearchPart, FollowsPart, JobsPart):
    """Every read and write of tagwire's data (open it with store.open_store)."""


def _implements(repo: Repository) -> Store:
    return repo  # mypy checks here that Repository is a Store (store/types.py)
