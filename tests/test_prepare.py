"""Batches prepared ahead in a worker process (understand/ahead.py) and the store's side of
understanding at speed: the next pending batch by keyset, story candidates from the hashtag
index (migration 0006), the earliest article with the same text. Real worker processes, real
SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import os
import signal
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from tagwire import config
from tagwire.models import Article
from tagwire.store import Repository, open_store
from tagwire.store.schema import articles, hashtags
from tagwire.understand import engine
from tagwire.understand.engine import Understander
from tagwire.understand.hashtags import HashtagTagger
from tagwire.understand.prepare import WORKER_DIED, Prepared, Preparers, Quarantined, inputs, prepare_many
from tests.conftest import BACKENDS
from tests.helpers import downgrade
from tests.newstexts import T0, counts, decision, news

both = pytest.mark.parametrize("database", BACKENDS, indirect=True)


def _run_pending(repo: Repository, arts: list[Article], processes: int) -> list[tuple[object, ...]]:
    repo.add_articles(arts, fetched_at=T0)
    understander = Understander(repo, config.load({"TAGWIRE_UNDERSTAND_PROCESSES": str(processes)}))
    assert understander.preparers.ready(timeout=60) == (processes > 0)  # else batches are prepared here
    try:
        assert understander.run_pending() == len(arts)
    finally:
        understander.close()
    back = repo.articles_by_id(a.id or 0 for a in arts)
    with repo.engine.connect() as conn:
        rows = conn.execute(select(hashtags.c.article_id, hashtags.c.tag).order_by(hashtags.c.rank)).all()
    tags = {a.id: tuple(tag for i, tag in rows if i == a.id) for a in arts}
    return [(*decision(back[a.id or 0], arts), tags[a.id]) for a in arts]


@both
def test_tags_found_ahead_by_a_worker_decide_as_tags_found_here(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of two, so that three of the five articles are tagged ahead by the worker while
    the batch before them is decided: the same decisions, hashtags and counts as without it."""
    monkeypatch.setattr(engine, "BATCH", 2)
    found = []
    for processes in (0, 1):
        repo = open_store(database)
        try:
            decided = _run_pending(repo, news(), processes)
            with repo.engine.connect() as conn:
                found.append((decided, counts(conn)))
            with repo.engine.begin() as conn:  # the next round starts from an empty store
                for table in ("copy_bands", "hashtags", "term_stats", "articles", "article_urls", "stories"):
                    conn.exec_driver_sql(f"DELETE FROM {table}")
        finally:
            repo.close()
    assert found[0] == found[1]
    assert all(d[4] == "done" for d in found[1][0]) and any(d[5] for d in found[1][0])


def test_a_worker_prepares_as_this_process_does_and_a_dead_one_is_replaced() -> None:
    items = inputs(news())
    local = HashtagTagger()
    expected = prepare_many(items, local)
    assert all(isinstance(p, Prepared) for p in expected)
    assert any(p.hashtags for p in expected) and all(p.bands and p.features.terms for p in expected)
    preparers = Preparers(1, local, budget=30)
    try:
        starting = preparers.ahead(items)  # the workers are starting: left for here
        assert not starting.done() and preparers.prepared(starting, items) == expected
        assert preparers.ready(timeout=60)
        first = preparers.ahead(items)
        assert preparers.prepared(first, items) == expected  # a worker's work is this process's
        pool = preparers._pool
        assert pool is not None
        for pid in list(pool._processes):  # as the kernel's OOM killer would
            os.kill(pid, signal.SIGKILL)
        again = preparers.ahead(items)
        assert preparers.prepared(again, items) == expected  # each alone, in a new worker
        assert preparers.processes == 1 and preparers._pool is not pool
        assert preparers.prepared(preparers.ahead(items), items) == expected
    finally:
        preparers.close()


def test_the_article_a_worker_hangs_on_is_quarantined_alone() -> None:
    """A worker stuck where no signal reaches it (here: stopped) is given its articles' budgets
    and `grace`, then killed; the article it was on is quarantined, and the next one is prepared
    by a new worker."""
    items = inputs(news()[:2])
    local = HashtagTagger()
    preparers = Preparers(1, local, budget=0.2, grace=1.0)
    try:
        assert preparers.ready(timeout=60)
        pool = preparers._pool
        assert pool is not None
        for pid in list(pool._processes):
            os.kill(pid, signal.SIGSTOP)
        started = time.monotonic()
        assert preparers._alone(items[0]) == Quarantined(WORKER_DIED)
        assert time.monotonic() - started < 30  # its patience (1.4 s) and a worker's start, not forever
        assert preparers._alone(items[1]) == prepare_many(items[1:], local)[0]
    finally:
        preparers.close()


def test_an_article_over_its_budget_is_quarantined_and_the_batch_goes_on() -> None:
    """Each article's own work runs within its budget: one that cannot be prepared in time (here
    a text of two million words, over any cap, whose signature alone takes seconds) is set aside
    with the reason; the others are prepared as always."""
    huge = " ".join(f"w{i % 5000}" for i in range(2_000_000))
    slow = dataclasses.replace(inputs(news()[:1])[0], text=huge)  # no cap in this call
    items = [*inputs(news()[:2]), slow]
    tagger = HashtagTagger()
    found = prepare_many(items, tagger, budget=0.5)
    assert found[:2] == prepare_many(items[:2], tagger)
    assert isinstance(found[2], Quarantined) and "took longer than its 0.5 s budget" in found[2].reason


def test_one_worker_on_two_cores_none_when_pinned_to_one() -> None:
    """What this process may use counts, as under `taskset` or a container's CPU set."""
    local, cores = HashtagTagger(), os.sched_getaffinity(0)
    assert Preparers.per_setting(3, local).processes == 3
    try:
        os.sched_setaffinity(0, {min(cores)})
        assert Preparers.per_setting(-1, local).processes == 0
        if len(cores) >= 2:
            os.sched_setaffinity(0, set(sorted(cores)[:2]))
            assert Preparers.per_setting(-1, local).processes == 1
    finally:
        os.sched_setaffinity(0, cores)


@both
def test_pending_after_an_article_is_the_next_batch(repo: Repository) -> None:
    """Oldest publication first, ties by id; `after` continues where a batch ended."""
    arts = news()
    arts[3] = dataclasses.replace(arts[3], published=arts[2].published)  # a tie on publication time
    repo.add_articles(arts, fetched_at=T0)
    whole = repo.pending()
    pages = [repo.pending(limit=2)]
    while page := repo.pending(limit=2, after=pages[-1][-1]):
        pages.append(page)
    assert [a.id for page in pages for a in page] == [a.id for a in whole]
    assert [len(p) for p in pages] == [2, 2, 1]


@both
def test_migration_0006_dates_the_hashtags_already_stored(database: str) -> None:
    """A store understood before 0006 gets each hashtag row's publication time from its article,
    and story candidates are found through it afterwards."""
    repo = open_store(database)
    arts = news()
    repo.add_articles(arts, fetched_at=T0)
    Understander(repo, config.load({"TAGWIRE_UNDERSTAND_PROCESSES": "0"})).understand(arts)
    repo.close()
    downgrade(database, "0005_read_indexes")
    repo = open_store(database, upgrade=True)
    try:
        with repo.engine.connect() as conn:
            rows = conn.execute(
                select(hashtags.c.published, articles.c.published).join(
                    articles, articles.c.id == hashtags.c.article_id
                )
            ).all()
        assert rows and all(tagged == published for tagged, published in rows)
        with repo.understanding() as tx:
            tags = arts[0].hashtags
            window = (arts[0].published - timedelta(hours=1), arts[0].published + timedelta(hours=1))
            found = {i for i, _, _ in tx.story_candidates(tags, *window)}
        assert {a.id for a in arts if set(a.hashtags) & set(tags)} <= found
    finally:
        repo.close()


@both
def test_the_same_text_is_the_earliest_understood_one(repo: Repository) -> None:
    arts = news()
    same = [
        dataclasses.replace(arts[0], url=f"https://same.example/{i}", outlet=f"Outlet {i}") for i in range(3)
    ]
    same[0].published, same[1].published, same[2].published = (
        T0,
        T0 - timedelta(hours=1),
        T0 + timedelta(hours=1),
    )
    repo.add_articles(same, fetched_at=T0)
    Understander(repo, config.load({"TAGWIRE_UNDERSTAND_PROCESSES": "0"})).understand(same[:1] + same[2:])
    with repo.understanding() as tx:  # same[1] is earliest but pending: not a candidate
        first = tx.first_with_text(same[0].content_hash, exclude=same[2].id or 0)
        assert first is not None and first.id == same[0].id
        assert tx.first_with_text("no such hash", exclude=0) is None


@both
def test_texts_read_for_a_batch_see_what_the_batch_saves(repo: Repository) -> None:
    """`know_texts` reads a batch's content hashes at once; an article of the batch saved with
    one of them is then the earliest carrier for the next, itself excluded."""
    arts = news()
    same = [dataclasses.replace(arts[0], url=f"https://batch.example/{i}", outlet=f"O{i}") for i in range(2)]
    same[1].published = same[0].published + timedelta(minutes=5)
    repo.add_articles(same, fetched_at=T0)
    with repo.understanding() as tx:
        tx.know_texts([same[0].content_hash, "no such hash"])
        assert tx.first_with_text(same[0].content_hash, exclude=same[1].id or 0) is None  # both pending
        tx.save(same[0], bands=[], signature=b"", features="{}", terms=["x"])
        first = tx.first_with_text(same[0].content_hash, exclude=same[1].id or 0)
        assert first is not None and first.id == same[0].id
        assert tx.first_with_text(same[0].content_hash, exclude=same[0].id or 0) is None
        assert tx.first_with_text("no such hash", exclude=0) is None


def test_closing_workers_that_are_still_loading_does_not_wait_for_them() -> None:
    preparers = Preparers(1, HashtagTagger())
    preparers.ahead(inputs(news()[:1]))  # starts the worker, which loads the model (~1-2 s)
    pool = preparers._pool
    assert pool is not None
    workers = list(pool._processes.values())
    started = time.monotonic()
    preparers.close()
    assert time.monotonic() - started < 0.8 and not any(p.is_alive() for p in workers)
