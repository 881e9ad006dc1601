"""Reads whose cost does not grow with the store, on real stores (SQLite and, with
TAGWIRE_TEST_POSTGRES=1, PostgreSQL): a hashtag page read either from the tag's articles or by
walking the stories newest first must list the same stories as the obvious query, and a search
ranks only the newest matches (store/ranking.py), finding a rare word's old matches too."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, literal_column, select, text

from tagwire.models import Article, Match
from tagwire.query import parse
from tagwire.store import Repository, pgsearch
from tagwire.store.pgsearch import estimated_rows
from tagwire.store.schema import articles
from tagwire.store.stories import _switch, _tag_on_more_than
from tests.conftest import BACKENDS
from tests.helpers import save_understanding

NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)
STORIES = 300
WORDS = ["harbour", "ferry", "council", "budget", "storm", "river", "bridge", "quay"]


def fill(repo: Repository, rng: random.Random) -> dict[str, list[tuple[datetime, int]]]:
    """Stories of 1-4 articles at random times (not in id order); #Common on most stories,
    #Middle on some, #Rare on three, each carried by one article of the story, not always its
    newest. Returns, per tag, (last published, story id) of the stories carrying it."""
    carried: dict[str, list[tuple[datetime, int]]] = {"Common": [], "Middle": [], "Rare": []}
    for n in range(STORIES):
        start = NOW - timedelta(minutes=rng.randint(60, 90 * 24 * 60))
        size = rng.randint(1, 4)
        batch = [article(rng, n, i, start + timedelta(minutes=17 * i)) for i in range(size)]
        tags = [t for t, p in (("Common", 0.7), ("Middle", 0.1)) if rng.random() < p]
        tags += ["Rare"] if n % 100 == 7 else []
        repo.add_articles(batch, fetched_at=NOW)
        story: int | None = None
        carrier = rng.randrange(size)
        for i, a in enumerate(batch):
            a.hashtags, a.story_id = (tags if i == carrier else ["Other"]), story
            a.match = Match("new") if story is None else Match("story", 0.5)
            save_understanding(repo, a)
            story = a.story_id
        for t in tags:
            carried[t].append((batch[-1].published, story or 0))
    return carried


def article(rng: random.Random, story: int, i: int, published: datetime) -> Article:
    text = " ".join(rng.choices(WORDS, k=30)) + (" lighthouse" if story == 0 else "")
    url = f"https://example.org/{story}-{i}"
    return Article(url=url, outlet="Gull Post", title=" ".join(rng.choices(WORDS, k=4)), summary=text[:60],
                   text=text, published=published, content_hash=f"h{story}-{i}")  # fmt: skip


@pytest.fixture
def filled(repo: Repository) -> tuple[Repository, dict[str, list[tuple[datetime, int]]]]:
    return repo, fill(repo, random.Random(11))


Filled = tuple[Repository, dict[str, list[tuple[datetime, int]]]]


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_hashtag_pages_list_the_tags_stories_newest_first_whichever_way_they_are_read(filled: Filled) -> None:
    repo, carried = filled
    with repo.engine.connect() as conn:
        assert _tag_on_more_than(conn, "Common", _switch(conn, 10))  # walked story by story
        assert not _tag_on_more_than(conn, "Rare", _switch(conn, 10))  # gathered from its articles
    for tag, found in carried.items():
        want = [sid for _, sid in sorted(found, reverse=True)]
        for offset in (0, 10, 50, 200):
            got = repo.story_ids_for_tag(tag, limit=10, offset=offset)
            assert got == want[offset : offset + 10], (tag, offset)


def matching(repo: Repository, word: str) -> list[int]:
    """Ids of the understood articles with `word` (title, summary or text), newest (highest id) first."""
    ids = []
    for story in repo.stories(repo.latest_story_ids(limit=10 * STORIES)):
        ids += [a.id or 0 for a in story.articles if word in f"{a.title} {a.summary} {a.text}".split()]
    return sorted(ids, reverse=True)


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_a_search_ranks_only_the_newest_matches(filled: Filled) -> None:
    repo, _ = filled
    query = parse("harbour", NOW)
    newest = matching(repo, "harbour")
    assert len(newest) > 100
    found = repo.search_stories(query, limit=1000, candidates=40)
    assert {a for hit in found for a in hit.article_ids} == set(newest[:40])
    everything = repo.search_stories(query, limit=1000, candidates=len(newest))
    assert {a for hit in everything for a in hit.article_ids} == set(newest)


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_a_rare_word_is_found_however_old_its_articles(filled: Filled) -> None:
    """Only the first story's articles (stored first: the lowest ids) have the word: the newest
    windows hold none of them, so PostgreSQL's windows must grow to the whole store."""
    repo, _ = filled
    found = repo.search_stories(parse("lighthouse", NOW), limit=10, candidates=5)
    assert [sorted(hit.article_ids) for hit in found] == [sorted(matching(repo, "lighthouse"))]


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_a_phrase_is_looked_for_among_the_newest_articles_with_its_words(filled: Filled) -> None:
    """Both backends: the candidates of "harbour ferry" are the newest articles having both words
    (in any order); the phrase is checked in those only, so its older matches are left out."""
    repo, _ = filled
    query = parse('"harbour ferry"', NOW)
    ferry = set(matching(repo, "ferry"))
    with_words = [i for i in matching(repo, "harbour") if i in ferry]
    every = repo.search_stories(query, limit=1000, candidates=len(with_words))
    phrased = {a for hit in every for a in hit.article_ids}
    assert len(phrased) > 20 and len(phrased) < len(with_words)
    found = repo.search_stories(query, limit=1000, candidates=40)
    listed = {a for hit in found for a in hit.article_ids}
    assert listed == phrased & set(with_words[:40])
    assert phrased - listed  # older matches of the phrase exist, outside the candidates


PG_ONLY = [pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("database", PG_ONLY, indirect=True)
def test_postgresql_finds_the_same_newest_matches_however_its_windows_are_sized(
    filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pgsearch sizes its first window of newest ids by the planner's estimate and reads each
    window through recency buckets (16 ids each here, so that windows span several): whether
    the estimate says the query is everywhere (small windows, grown bucket by bucket) or
    nowhere (the whole store at once, without buckets), the same newest matches are found."""
    repo, _ = filled
    monkeypatch.setattr(pgsearch, "BUCKET", 16)
    queries = ["harbour", '"harbour ferry"', "lighthouse", "harbour -ferry", "storm #Common"]
    windows: list[int] = []
    window = pgsearch.window

    def counted(conn: Any, wide: Any, low: int, high: int) -> list[int]:
        windows.append(low)
        return window(conn, wide, low, high)

    monkeypatch.setattr(pgsearch, "window", counted)

    def found() -> dict[str, list[tuple[int, list[int]]]]:
        hits = {q: repo.search_stories(parse(q, NOW), limit=1000, candidates=40) for q in queries}
        return {q: [(h.story_id, h.article_ids) for h in found] for q, found in hits.items()}

    monkeypatch.setattr(pgsearch, "estimated_rows", lambda *_: 1.0)
    whole = found()
    assert whole["lighthouse"] and len(whole["harbour"]) > 10
    assert windows == [0] * len(queries)  # one window each: the whole store
    windows.clear()
    monkeypatch.setattr(pgsearch, "estimated_rows", lambda *_: 1e9)
    assert found() == whole
    assert sum(low > 0 for low in windows) >= len(queries)  # first through buckets
    assert len(windows) > len(queries)  # and grown for a rarer query
    monkeypatch.setattr(pgsearch, "estimated_rows", estimated_rows)
    assert found() == whole


@pytest.mark.parametrize("database", PG_ONLY, indirect=True)
def test_postgresql_reads_a_window_of_recent_ids_through_the_recency_index(filled: Filled) -> None:
    """The window's bucket condition is written as migration 0011's index expression, so that
    GIN answers it (were they to differ, every search would read the word's whole posting list)."""
    repo, _ = filled
    matching = literal_column("articles.search").op("@@")(func.plainto_tsquery("harbour"))
    wide = select(articles.c.id).where(matching)  # only the index's two columns, so that it alone applies
    with repo.engine.connect() as conn:
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        conn.execute(text("SET LOCAL enable_indexscan = off"))
        plan = conn.execute(pgsearch.Explain(wide.where(pgsearch.in_buckets(100, 700)))).scalar_one()
    scans = [node for node in nodes(plan[0]["Plan"]) if node.get("Index Name") == "ix_articles_search_recent"]
    assert [("&&" in node["Index Cond"], "@@" in node["Index Cond"]) for node in scans] == [(True, True)]


def nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """A plan's node and every node below it."""
    return [plan, *(n for child in plan.get("Plans", []) for n in nodes(child))]
