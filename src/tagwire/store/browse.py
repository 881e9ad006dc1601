"""The browsing reads by their former names (until app/views.py calls the store's own methods:
StoriesPart.tag_counts, data_version, outlet_story_ids, outlet_known; SourcesPart.outlet_sources)."""

from __future__ import annotations

from datetime import datetime

from tagwire.models import Source
from tagwire.store.repository import Repository
from tagwire.store.stories import BASELINE, WINDOW, TagCounts

__all__ = ["BASELINE", "WINDOW", "TagCounts"]


def tag_counts(repo: Repository, now: datetime) -> list[TagCounts]:
    return repo.tag_counts(now)


def data_version(repo: Repository) -> tuple[int, int, str]:
    return repo.data_version()


def outlet_story_ids(repo: Repository, outlet: str, limit: int, offset: int = 0) -> list[int]:
    return repo.outlet_story_ids(outlet, limit, offset)


def outlet_known(repo: Repository, outlet: str) -> bool:
    return repo.outlet_known(outlet)


def outlet_sources(repo: Repository, outlet: str) -> list[Source]:
    return repo.outlet_sources(outlet)
