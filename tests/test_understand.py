"""The understanding engine against a real store: a batch is decided in one transaction, with the
same decisions as one article at a time (copies and story joins inside the batch included), and
an error mid-batch leaves the whole batch pending. The MinHash signatures are datasketch's."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash
from sqlalchemy import text as text_sql
from sqlalchemy.exc import DBAPIError

from tagwire import config
from tagwire.models import Article
from tagwire.store import Repository, open_store
from tagwire.understand import copies
from tagwire.understand.engine import Understander
from tagwire.understand.prepare import inputs, prepare_many
from tests.conftest import BACKENDS, _postgres_schema, postgres_url
from tests.newstexts import (
    INDEPENDENT,
    T0,
    UNRELATED,
    WIRE,
    all_edits,
    article,
    counts,
    decided_in_batches,
    news,
    text,
    trimmed,
)

both = pytest.mark.parametrize("database", BACKENDS, indirect=True)


@both
def test_a_batch_sees_its_own_earlier_decisions(repo: Repository) -> None:
    decided = decided_in_batches(repo, news(), batch=64)
    # a copy of an article of the same batch, re-pointed with it to the earlier copy that came last
    assert decided[1][:2] == (4, "copy") and decided[0][:2] == (4, "copy")
    assert decided[4][1] == "original"
    assert all(d[-1] == "done" for d in decided)
    with repo.engine.connect() as conn:
        spans, terms, tagged = counts(conn)
    assert sum(n for n, _, _ in spans) == 5 and ("", 5) in terms and tagged > 0


def test_one_batch_decides_as_one_article_at_a_time(tmp_path: Path) -> None:
    found = []
    for batch in (64, 1):
        repo = open_store(str(tmp_path / f"batch{batch}.db"))
        try:
            decided = decided_in_batches(repo, news(), batch=batch)
            with repo.engine.connect() as conn:
                found.append((decided, counts(conn)))
        finally:
            repo.close()
    assert found[0] == found[1]


def headline_copies() -> list[Article]:
    """news() with thin copies (a feed's summary) by headline, before and after their full text,
    and a headline starting with a capital beyond ASCII (its same-headline rows go through the
    database, which lowers such letters its own way)."""
    ferry = "Ferry and cargo ship collide in fog off Valdmere, 14 hurt"
    alesund = "Ålesund ferry and cargo ship collide in fog"
    brief = "A ferry and a cargo ship collided in fog off Valdmere."
    return [
        *news(),
        article(6, "Brief Wire", ferry, brief, 10),
        article(7, "Nordic Brief", alesund, brief, 12),
        article(8, "Nordic Post", alesund, all_edits(WIRE), 14),
        article(9, "Nordic Later", alesund.upper(), brief, 16),
        article(10, "Late Brief", ferry + " (AFP)", brief, -30),
    ]


def decided_by_batch_size(database: str, batch: int) -> tuple[object, ...]:
    repo = open_store(database)
    try:
        decided = decided_in_batches(repo, headline_copies(), batch=batch)
        with repo.engine.connect() as conn:
            return decided, counts(conn)
    finally:
        repo.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_batch_kept_in_memory_decides_as_one_article_at_a_time(backend: str, tmp_path: Path) -> None:
    """A batch's rows, hashtags and bands are written at its end (store/unwritten.py): its
    reads of the batch's own articles (copies by text and by headline, stories, late originals
    re-pointing copies) decide as writing each article before the next does."""
    found = []
    for batch in (64, 1):
        with stored(backend, tmp_path / f"batch{batch}.db") as database:
            found.append(decided_by_batch_size(database, batch))
    assert found[0] == found[1]
    decided = found[0][0]
    assert [d[1] for d in decided[5:]] == ["copy"] * 4 + ["original"]  # the earliest brief leads


@contextmanager
def stored(backend: str, path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield str(path)
        return
    base = postgres_url()
    if base is None:
        pytest.skip("set TAGWIRE_TEST_POSTGRES=1 to run the store tests on PostgreSQL")
    with contextmanager(_postgres_schema)(base) as database:
        yield database


@both
def test_an_error_mid_batch_quarantines_only_its_article(repo: Repository) -> None:
    """Deciding one article raises: the batch's transaction is rolled back (nothing half
    written), then the batch is decided one article at a time; the article that raises alone is
    quarantined with the reason, the others are understood as if it had never been there."""
    arts = news()
    repo.add_articles(arts, fetched_at=T0)
    engine = Understander(repo, config.load({}))
    prepared = prepare_many(inputs(arts[:3]), engine.tagger)  # prepared as they are...
    broken = dataclasses.replace(arts[2], published=None)  # type: ignore[arg-type]
    decided = engine.understand([arts[0], arts[1], broken], prepared)  # ...decided with no date
    assert [a.url for a in decided] == [a.url for a in arts[:3]] and broken.status == "quarantined"
    assert "deciding its copy and story failed (TypeError" in (broken.problem or "")
    assert {a.url for a in repo.pending()} == {a.url for a in arts[3:]}
    [kept] = repo.quarantined()
    assert (kept.url, kept.status, kept.story_id) == (arts[2].url, "quarantined", None)
    assert kept.problem == broken.problem
    assert Understander(repo, config.load({})).run_pending() == len(arts) - 3  # never retried
    assert repo.stats()["quarantined"] == 1 and repo.pending() == []


@both
def test_a_database_error_leaves_the_whole_batch_pending(repo: Repository) -> None:
    """An error of the database itself (here its schema changed under it) is nothing the
    articles did: no article is quarantined, the batch stays pending for a later run."""
    arts = news()
    repo.add_articles(arts, fetched_at=T0)
    with repo.engine.begin() as conn:
        conn.execute(text_sql("DROP TABLE copy_bands"))
    with pytest.raises(DBAPIError):
        Understander(repo, config.load({})).understand(arts[:3])
    assert {a.url for a in repo.pending()} == {a.url for a in arts}
    assert repo.stats()["quarantined"] == 0


@both
def test_a_batch_another_process_understood_first_is_not_decided_again(repo: Repository) -> None:
    """Two processes read the same pending batch; the second to write finds it taken and leaves
    it alone: no second story, no doubled counts."""
    arts = news()
    repo.add_articles(arts, fetched_at=T0)
    first, second = Understander(repo, config.load({})), Understander(repo, config.load({}))
    stale = repo.pending()
    assert len(first.understand(stale)) == len(arts)
    with repo.engine.connect() as conn:
        before = counts(conn)
    assert second.understand([dataclasses.replace(a) for a in stale]) == []
    assert second.run_pending() == 0
    with repo.engine.connect() as conn:
        assert counts(conn) == before


LONG = " ".join([text(WIRE), UNRELATED] * 8)  # more shingles than one numpy block


@pytest.mark.parametrize(
    "body", [text(WIRE), trimmed(WIRE), UNRELATED, LONG, "", "Too short.", "a b c d e f"]
)
def test_signatures_are_datasketch_affine32_minhashes(body: str) -> None:
    hashes = copies._shingle_hashes(copies.tokens(body), copies.SHINGLE_WORDS).tolist()
    split = max(1, copies.LEAD_WORDS - copies.SHINGLE_WORDS + 1)
    m = MinHash(num_perm=copies.NUM_PERM, seed=copies.SEED, scheme="affine32", hashfunc=int)
    m.update_batch(hashes[:split])
    lead = m.hashvalues[: copies.LEAD_PERM].copy()
    m.update_batch(hashes[split:])
    assert np.array_equal(copies.signature(body), np.concatenate([m.hashvalues, lead]).astype(np.uint32))


def test_a_heavily_edited_reprint_is_found_among_the_reports_of_its_event(repo: Repository) -> None:
    """As a band candidate of the original it is not confirmed (5-shingles, alignment); as the
    original's nearest report it is, by content words; an own report of the event stays a report."""
    from tests.test_copies import heavily_edited

    arts = [
        news()[0],
        article(
            6,
            "Reprint Daily",
            "Fog, a ferry and 14 injured: the morning in Valdmere",
            heavily_edited(WIRE),
            30,
        ),
        article(7, "Lorvania Today", "Northern Lark hits Kestrel Dawn", text(INDEPENDENT), 45),
    ]
    assert copies.confirm_copy(arts[0].text, arts[1].text) < copies.COPY_THRESHOLD  # as a band candidate
    decided = decided_in_batches(repo, arts, batch=64)
    assert decided[1][:2] == (0, "copy") and arts[1].match is not None
    assert arts[1].match.reason.startswith("sentences aligned")
    assert decided[2][0] is None and decided[2][1] == "story"
