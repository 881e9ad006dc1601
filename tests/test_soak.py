"""Kill -9 soak on PostgreSQL, CI-sized: bench/soak.py's driver with 5 kills of `tagwire fetch`,
`understand` and `run` at random (seeded) moments against tests/soakworld.py's outlets, in a
database of its own created for the test and dropped after. Afterwards the store must be
consistent (every listed article stored once, nothing pending, no reference to nothing, nothing
decided twice) and no (follow, story) may have reached the webhook as two alerts.

The checks themselves are then shown to fail: the same store, tampered with in each of the ways
a double decision or a lost write would leave it, must be reported.

Runs where TAGWIRE_TEST_POSTGRES is set (CI sets it to 1); about 40 s here."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.soak import Outcome, run_soak
from sqlalchemy import text

from tests.conftest import postgres_url
from tests.soakworld import Post, World, build_world

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
KILLS = 5

# Each way a store can be wrong, and the words its report must carry.
TAMPERING = (
    ("UPDATE stories SET article_count = article_count + 1 WHERE id = (SELECT min(id) FROM stories)",
     "article_count is not their articles"),
    ("UPDATE term_stats SET df = df + 1 WHERE term = ''", "term_stats counts"),
    ("INSERT INTO copy_bands (key, article_id) SELECT key, article_id FROM copy_bands"
     " WHERE article_id = (SELECT min(article_id) FROM copy_bands) LIMIT 1", "copy bands stored twice"),
    ("UPDATE articles SET copy_of = NULL WHERE id = (SELECT min(id) FROM articles WHERE copy_of IS NOT NULL)",
     "copies point to more than one original"),
    ("UPDATE articles SET status = 'pending' WHERE id = (SELECT max(id) FROM articles)", "not understood"),
    ("INSERT INTO stories (headline, first_published, last_published, article_count)"
     " VALUES ('orphan', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)", "stories without an article"),
    ("DELETE FROM article_urls WHERE article_id = (SELECT min(id) FROM articles)", "not stored:"),
)  # fmt: skip


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(Path(tmp_path_factory.mktemp("soakworld")), outlets=10, per_outlet=12, seed=7)


def test_kill_9_soak_on_postgresql(world: World) -> None:
    base = postgres_url()
    if base is None:
        pytest.skip("set TAGWIRE_TEST_POSTGRES=1 to run the soak on PostgreSQL")
    tampered: dict[str, list[str]] = {}

    def tamper(outcome: Outcome) -> None:
        tampered.update(reports_of_tampering(outcome))

    figures = run_soak(world, "postgresql", KILLS, seed=11, max_wait=6.0, postgres=base, after=tamper)
    assert not figures.problems, "\n".join([figures.line(), *figures.problems])
    assert figures.kills == KILLS == sum(figures.by_command.values())
    assert figures.articles == len(world.articles) and figures.alerts > 0 and figures.posts >= figures.alerts
    for words, found in tampered.items():
        assert any(words in line for line in found), (words, found)


def reports_of_tampering(outcome: Outcome) -> dict[str, list[str]]:
    """What the checks say after each tampering (one after another, on the soak's own store,
    which is dropped after), and what the alert check says of a doubled alert and of a POST
    repeated more often than it was attempted."""
    reports = {}
    for statement, words in TAMPERING:
        with outcome.engine.begin() as conn:
            conn.execute(text(statement))
        reports[words] = outcome.store_problems()
    first = outcome.posts[0]
    twice = [*outcome.posts, Post(first.delivery + "0", first.follow, first.story)]
    reports["alerts"] = outcome.alert_problems(twice)[0]
    reports["POSTed"] = outcome.alert_problems([*outcome.posts, *[first] * 20])[0]
    return reports
