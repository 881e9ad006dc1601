"""What several test modules share (never imported from another test module): writing a store
into a given state the way tagwire's own code would, and reading back what no command shows."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from tagwire import config
from tagwire.models import Article, Match, Source
from tagwire.store import Repository
from tagwire.store.db import MIGRATIONS, make_engine
from tagwire.store.schema import deliveries
from tagwire.store.sources import error_outcome, success_outcome
from tagwire.understand import copies, stories
from tagwire.understand.engine import Understander


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


def tagwire(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "tagwire", *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=stdin,
        timeout=120,
    )


def understand(repo: Repository, a: Article, tags: list[str], story_id: int | None, match: Match) -> int:
    """Record an article as understanding would: its hashtags, match and story."""
    a.hashtags, a.story_id, a.match = tags, story_id, match
    save_understanding(repo, a, bands=[], signature=b"", features="{}", terms=a.title.lower().split())
    assert a.story_id is not None
    return a.story_id


def downgrade(database: str, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    engine = make_engine(database)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
    engine.dispose()


REAL_FEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "real-feeds"


def real_feed_files() -> list[Path]:
    if not REAL_FEEDS.is_dir():
        pytest.skip(f"{REAL_FEEDS} is absent (../shared is not here)")
    expected_output = ("serde.json", "LICENSE", "LICENSE-MIT", "SOURCE.txt")
    files = [p for p in REAL_FEEDS.rglob("*") if p.is_file() and not p.name.endswith(expected_output)]
    return sorted(p for p in files if "output" not in p.parts)


CHROMIUM = Path("/usr/bin/chromium")


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# CI sets TAGWIRE_REQUIRE_BROWSER=1: there a missing chromium fails these tests instead of skipping them
MISSING = not CHROMIUM.exists() and not os.environ.get("TAGWIRE_REQUIRE_BROWSER")


# understanding's pieces, as the tests look at them ----------------------------------------------


def from_bytes(data: bytes) -> copies.Signature:
    """A stored copies signature back (what copies.to_bytes wrote)."""
    values = np.frombuffer(data, dtype="<u4").astype(np.uint32)
    if values.shape != (copies.NUM_PERM + copies.LEAD_PERM,):
        raise ValueError(f"not a copies signature: shape {values.shape}")
    return values


def estimate_jaccard(sig_a: copies.Signature, sig_b: copies.Signature) -> float:
    """The Jaccard similarity of two bodies' shingle sets, estimated from their signatures."""
    a, b = sig_a[: copies.NUM_PERM], sig_b[: copies.NUM_PERM]
    empty = np.uint32(0xFFFFFFFF)
    if (a == empty).all() or (b == empty).all():
        return 0.0
    return float(np.mean(a == b))


def is_copy(text_a: str, text_b: str) -> bool:
    return copies.confirm_copy(text_a, text_b) >= copies.COPY_THRESHOLD


class TermStats:
    """Document frequencies kept in memory as articles arrive (the engine keeps them in the store)."""

    def __init__(self) -> None:
        self.documents = 0
        self.frequency: Counter[str] = Counter()

    def add(self, f: stories.StoryFeatures) -> None:
        self.documents += 1
        self.frequency.update(f.counted())

    def idf(self, term: str) -> float:
        return stories.idf_weight(self.frequency[term], self.documents)


def decided(*reports: tuple[str, str], start: datetime, hours: int = 24) -> tuple[list[int], list[str]]:
    """Each report's story (as the position of the report that started it) and the reason given,
    `hours` apart, with document frequencies growing as the engine's do."""
    stats, story, reasons = TermStats(), [], []
    seen: list[tuple[int, stories.StoryFeatures]] = []
    for i, (title, text) in enumerate(reports):
        f = stories.features(title, text, [], start + timedelta(hours=hours * i))
        stats.add(f)
        best, why, _ = stories.choose(f, seen, stats.idf)
        story.append(best.key if best else i)
        reasons.append(best.reason if best else why)
        seen.append((story[-1], f))
    return story, reasons


def understood_in_store(repo: Repository, arts: list[Article]) -> list[Article]:
    """`arts` added to `repo` and understood there, in this process; each as stored after."""
    repo.add_articles(arts, fetched_at=min(a.published for a in arts if a.published is not None))
    engine = Understander(repo, config.load({"TAGWIRE_UNDERSTAND_PROCESSES": "0"}))
    try:
        engine.understand(arts)
    finally:
        engine.close()
    back = repo.articles_by_id(a.id or 0 for a in arts)
    return [back[a.id or 0] for a in arts]
