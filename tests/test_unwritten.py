"""A batch's understood articles are written at its end (store/unwritten.py): until then the
batch's reads (articles sharing bands, story candidates, same headline, by id) find them in
memory as they find them in the database afterwards."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tagwire.models import Article, ArticleStatus, Match, MatchKind
from tagwire.store import Repository
from tagwire.store.decisions import Decisions
from tests.conftest import BACKENDS
from tests.newstexts import T0, WIRE, article, text

HOUR = timedelta(hours=1)


def reads(tx: Decisions, a: Article, other: Article) -> tuple[object, ...]:
    """What the batch's reads find of `a` (`other`: the article asking)."""
    assert other.id is not None and a.id is not None
    stored = tx.article(a.id)
    return (
        [x.id for x in tx.band_articles([2, 3, 99], exclude=other.id)],
        [i for i, _, _ in tx.story_candidates(["Ferry", "Other"], T0 - HOUR, T0 + HOUR)],
        [x.id for x in tx.same_headline(a.title.upper(), T0 - HOUR, T0 + HOUR, exclude=other.id)],
        stored and (stored.status, stored.copy_of, stored.match, stored.story_id, stored.hashtags),
    )


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_a_batch_reads_its_unwritten_articles_as_the_database_gives_them(repo: Repository) -> None:
    first = article(1, "Valdmere Post", "Ferry collides with cargo ship", text(WIRE), 0)
    later = article(2, "Coast Herald", "Ferry collides with cargo ship", text(WIRE[:3]), 5)
    repo.add_articles([first, later], fetched_at=T0)
    assert first.id is not None and later.id is not None
    with repo.understanding() as tx:
        tx.claim([first.id, later.id])
        tx.know_bands([2, 3, 99])
        tx.titles_alone([later.title], T0 - HOUR, T0 + HOUR)
        first.hashtags, first.match = ["Ferry"], Match(MatchKind.NEW, 0.0, None, "a reason not stored")
        tx.save(first, bands=[1, 2, 3], signature=b"sig", features="{}", terms=["ferry"])
        in_memory = reads(tx, first, later)
    with repo.understanding() as tx:
        assert reads(tx, first, later) == in_memory
    assert in_memory[:3] == ([first.id], [first.id], [first.id])
    assert in_memory[3] == (ArticleStatus.DONE, None, Match(MatchKind.NEW, 0.0, None), first.story_id, [])


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_late_originals_repoint_unwritten_copies(repo: Repository) -> None:
    wire = [article(n, f"Outlet {n}", "Ferry collides with cargo ship", text(WIRE), n) for n in (1, 2, 3)]
    repo.add_articles(wire, fetched_at=T0)
    first, copy, late = wire
    assert first.id is not None and copy.id is not None and late.id is not None
    with repo.understanding() as tx:
        tx.claim([a.id or 0 for a in wire])
        tx.save(first, bands=[], signature=b"s", features="{}", terms=[])
        copy.copy_of, copy.story_id = first.id, first.story_id
        copy.match = Match(MatchKind.COPY, 1.0, first.id)
        tx.save(copy, bands=[], signature=b"s", features="{}", terms=[])
        late.story_id, late.match = first.story_id, Match(MatchKind.ORIGINAL, 1.0, first.id)
        tx.save(late, bands=[], signature=b"s", features="{}", terms=[])
        tx.repoint_copies(first.id, late.id)
        in_memory = {a.id: tx.article(a.id or 0) for a in wire}
    with repo.understanding() as tx:
        assert {a.id: tx.article(a.id or 0) for a in wire} == in_memory
    assert [(a.copy_of, a.match) for a in in_memory.values() if a is not None] == [
        (late.id, Match(MatchKind.COPY, 1.0, late.id)),
        (late.id, Match(MatchKind.COPY, 1.0, late.id)),
        (None, Match(MatchKind.ORIGINAL, 1.0, first.id)),
    ]
