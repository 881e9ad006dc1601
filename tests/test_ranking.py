"""Search ranks within a bounded candidate set, the newest matches (store/ranking.py), in Python
on SQLite; the one SQL statement that groups every match (search._grouped over _hits), applied
to the same newest matches, is the reference it must equal, story for story and article for
article, on every page. A real SQLite store of 1,400 invented articles, enough that a common word
matches more articles than the candidates, so the bound is what is tested."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from tagwire.models import Article, Match
from tagwire.query import Query, parse
from tagwire.store import Repository, open_store
from tagwire.store.ranking import CANDIDATES
from tagwire.store.schema import articles
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
    '"storm river" OR "ferry pilots" -"bridge tolls"',
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


def reference(repo: Repository, query: Query, cap: int, offset: int) -> list[tuple[int, list[int]]]:
    """The SQL grouping of every match among the `cap` newest candidates (highest ids) passing the
    filters: what the ranking promises, computed the slow, obvious way. The candidates are the
    articles with every word of the query's phrases, in any order (`loose`): a phrase is looked
    for among the newest articles having its words."""
    found = _hits("sqlite", query)
    with repo.engine.connect() as conn:
        candidates = _hits("sqlite", query, loose=True).with_only_columns(articles.c.id)
        ids = sorted(conn.execute(candidates).scalars(), reverse=True)
    if len(ids) > cap:
        found = found.where(articles.c.id >= ids[cap - 1])
    return [(h.story_id, h.article_ids) for h in _grouped(repo.engine, found, 31, offset)]


@pytest.mark.parametrize("cap", [CANDIDATES, 150])
@pytest.mark.parametrize("q", QUERIES)
def test_every_page_equals_the_sql_grouping(repo: Repository, q: str, cap: int) -> None:
    query = parse(q, NOW)
    pages = 0
    for offset in range(0, 900, 30):
        found = repo.search_stories(query, limit=31, offset=offset, candidates=cap)
        want = reference(repo, query, cap, offset)
        assert [(h.story_id, h.article_ids) for h in found] == want, f"page at offset {offset}"
        pages += 1
        if len(want) < 31:
            break
    assert pages > 1 or cap < 300  # the query reaches past the first page, where ranking must hold


def test_a_common_word_has_more_matches_than_candidates(repo: Repository) -> None:
    """So that the test above compares bounded rankings, not only whole ones."""
    with repo.engine.connect() as conn:
        matches = conn.exec_driver_sql("SELECT count(*) FROM article_fts WHERE article_fts MATCH 'harbour'")
        assert matches.scalar_one() > CANDIDATES


def test_a_bounded_search_finds_only_recent_candidates(repo: Repository) -> None:
    """With 150 candidates, every listed article is among the 150 newest matches, and a story
    whose matches are all older is not found, though a search ranking every match finds it."""
    query = parse("harbour", NOW)
    with repo.engine.connect() as conn:
        ids = sorted(conn.execute(_hits("sqlite", query).with_only_columns(articles.c.id)).scalars())
    newest = set(ids[-150:])
    found = repo.search_stories(query, limit=1000, candidates=150)
    listed = {a for h in found for a in h.article_ids}
    assert listed == newest
    everything = repo.search_stories(query, limit=1000, candidates=len(ids))
    assert {a for h in everything for a in h.article_ids} == set(ids)
    assert len(found) < len(everything)
