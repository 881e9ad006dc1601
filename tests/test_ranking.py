"""SQLite search ranks in Python (store/ranking.py), reading stories only as far down the ranking
as a page needs; the one SQL statement that groups every match (search._grouped over _hits, the
PostgreSQL path) is the reference it must equal, story for story and article for article, on
every page. A real SQLite store of 1,400 invented articles, enough that the ranking reads more
than one chunk of 500 matches before it can stop."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from tagwire.models import Article, Match
from tagwire.query import parse
from tagwire.store import Repository, open_store
from tagwire.store.search import _grouped, _hits
from tests.helpers import save_understanding

NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)
WORDS = [
    "harbour",
    "fees",
    "ferry",
    "council",
    "budget",
    "storm",
    "river",
    "bridge",
    "tolls",
    "dredging",
    "pilots",
    "quay",
]
OUTLETS = ["Gull Post", "Quay Herald", "Tern Times", "Dock Daily"]
TAGS = ["Harbours", "Tolls", "Storms", "Ferries", "Budgets"]
QUERIES = [
    "harbour",
    "harbour fees",
    '"harbour fees"',
    "harbour OR storm -bridge",
    "harbour #Tolls",
    "harbour #tolls #Storms",
    'harbour outlet:"Gull Post"',
    "harbour since:20d",
    'ferry outlet:"quay herald" since:40d #Ferries',
]


def fill(repo: Repository, rng: random.Random) -> None:
    """Stories of 1-3 articles; titles and texts drawn from a few words, so scores tie often."""
    serial = 0
    while serial < 1400:
        size, start = rng.randint(1, 3), NOW - timedelta(hours=rng.randint(1, 24 * 60))
        tags = rng.sample(TAGS, rng.randint(1, 3))
        story: int | None = None
        batch = [article(rng, serial + i, start + timedelta(minutes=7 * i)) for i in range(size)]
        repo.add_articles(batch, fetched_at=NOW)
        for a in batch:
            a.hashtags, a.story_id = tags, story
            a.match = Match("new") if story is None else Match("story", 0.5)
            save_understanding(repo, a, bands=[], signature=b"", features="{}", terms=[])
            story = a.story_id
        serial += size


def article(rng: random.Random, n: int, published: datetime) -> Article:
    title = " ".join(rng.choices(WORDS, k=5))
    text = " ".join(rng.choices(WORDS, k=rng.randint(20, 60)))
    outlet = rng.choice(OUTLETS)
    url = f"https://{outlet.lower().replace(' ', '')}.example/{n}"
    return Article(url=url, outlet=outlet, title=title, summary=text[:90], text=text, published=published,
                   content_hash=f"h{n}")  # fmt: skip


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Repository]:
    store = open_store(str(tmp_path_factory.mktemp("ranking") / "tagwire.db"))
    fill(store, random.Random(7))
    yield store
    store.close()


@pytest.mark.parametrize("q", QUERIES)
def test_every_page_equals_the_sql_grouping(repo: Repository, q: str) -> None:
    query = parse(q, NOW)
    pages = 0
    for offset in range(0, 900, 30):
        got = [(h.story_id, h.article_ids) for h in repo.search_stories(query, limit=31, offset=offset)]
        engine = repo.engine
        want = [(h.story_id, h.article_ids) for h in _grouped(engine, _hits("sqlite", query), 31, offset)]
        assert got == want, f"page at offset {offset}"
        pages += 1
        if len(want) < 31:
            break
    assert pages > 1  # the query reaches past the first page, where early stopping matters


def test_a_common_word_needs_more_than_one_chunk(repo: Repository) -> None:
    with repo.engine.connect() as conn:
        matches = conn.exec_driver_sql("SELECT count(*) FROM article_fts WHERE article_fts MATCH 'harbour'")
        assert matches.scalar_one() > 500
