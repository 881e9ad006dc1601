#!/usr/bin/env python3
"""Kill -9 soak, on SQLite or PostgreSQL: a world of invented outlets (tests/soakworld.py) is
served on loopback; `tagwire fetch`, `tagwire understand` and `tagwire run` (on PostgreSQL also
`tagwire worker`, a cluster's worker) are started in turn and SIGKILLed with all their workers
at a random moment (seeded), KILLS times; then a fetch and an understand run to the end, and the
alerts still held by a killed attempt are sent once their lease is over (the lease,
2 x TAGWIRE_ALERT_TIMEOUT + 60 s, is moved to now instead of waited).

Holds when the store is consistent and nothing was decided twice:
- SQLite's `PRAGMA integrity_check` says ok and `foreign_key_check` finds nothing;
- every listed article is stored exactly once (relistings collapsed), none is left pending;
- no copy_of, story_id or match_of points to nothing, and a copy points to an original;
- the copies of one text all point to one original;
- each story counts exactly the articles that point to it (its first and last dates too), none
  is empty, and the document count of term_stats equals the articles understood: an article
  decided twice would count twice;
- each (follow, story) reached the webhook under one X-Tagwire-Delivery id, never as two alerts;
  a POST repeated under the same id (a kill between the POST and its record) is counted, and
  never more often than the attempts recorded; every story of the followed hashtag was sent.

    python bench/soak.py [--backend sqlite|postgresql] [--kills 15] [--outlets 20 --articles 20]
                         [--max-wait 8] [--seed 1] [--postgres URL]

On PostgreSQL a fresh database `tagwire_soak_<random>` is created beside the one URL names
(default: TAGWIRE_TEST_POSTGRES, else postgresql://postgres@127.0.0.1:5432/test) and dropped
after. Prints the figures; exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: tests/ is beside bench/
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, text, update  # noqa: E402
from tests.soakworld import Post, Receiver, World, build_world, feed_urls, serving  # noqa: E402

from tagwire.demo.server import SampleServer  # noqa: E402
from tagwire.store.db import make_engine  # noqa: E402
from tagwire.store.schema import deliveries  # noqa: E402

COMMANDS = ("fetch", "understand", "run")
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
SEARCH = "hospital OR wildfire"  # a saved search followed beside the hashtag
WEBHOOK_DELAY = 1.0  # seconds the webhook takes to answer: kills land mid-delivery too


@dataclass
class Figures:
    """What one soak did and found; `problems` is empty when every check held."""

    backend: str
    kills: int = 0
    finished: int = 0  # commands that ended on their own before their kill came
    by_command: Counter[str] = field(default_factory=Counter)
    survivors: int = 0  # processes of a killed group still there after the kill
    tracebacks: int = 0
    listed: int = 0
    articles: int = 0
    stories: int = 0
    alerts: int = 0
    posts: int = 0
    repeats: int = 0  # POSTs sent again under the same delivery id
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        ran = ", ".join(f"{c} {n}" for c, n in sorted(self.by_command.items()))
        verdict = "PASS" if not self.problems else f"FAIL ({len(self.problems)} problems)"
        return (
            f"soak on {self.backend}: {self.kills} kill -9s ({ran}; {self.finished} ended before their kill, "
            f"{self.survivors} survivors); articles {self.articles} (listed {self.listed}), stories "
            f"{self.stories}; alerts {self.alerts} ({self.posts} POSTs, {self.repeats} repeated under the "
            f"same delivery id); tracebacks {self.tracebacks}; {self.seconds:.1f} s -> {verdict}"
        )


# databases ------------------------------------------------------------------------------------


@contextmanager
def fresh_database(backend: str, workdir: Path, postgres: str | None = None) -> Iterator[str]:
    """A TAGWIRE_DATABASE value for an empty store: a new SQLite file in `workdir`, or a new
    PostgreSQL database beside the one `postgres` names (a schema of its own in that one when
    the role may not create databases), dropped afterwards."""
    if backend == "sqlite":
        yield str(workdir / "soak.db")
        return
    import psycopg

    base, name = postgres or DEFAULT_PG, "tagwire_soak_" + uuid.uuid4().hex[:10]
    try:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
    except psycopg.errors.InsufficientPrivilege:
        yield from _fresh_schema(base, name)
        return
    try:
        yield urlunsplit(urlsplit(base)._replace(path="/" + name))
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _fresh_schema(base: str, name: str) -> Iterator[str]:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{name}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# the soak ---------------------------------------------------------------------------------------


@dataclass
class Soak:
    """Runs tagwire against one database and kills it; records what it saw in `figures`."""

    database: str
    workdir: Path
    figures: Figures
    rng: random.Random
    max_wait: float = 8.0
    log: Callable[[str], None] | None = None
    commands: tuple[str, ...] = COMMANDS

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "TAGWIRE_DATABASE": self.database,
            "TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1",
            "TAGWIRE_PORT": str(free_port()),
        }

    def tagwire(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """A tagwire command run to its end; a traceback in its output is counted."""
        argv = [sys.executable, "-m", "tagwire", *args]
        done = subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=timeout)
        self._saw(done.stdout + done.stderr)
        if done.returncode:
            self.figures.problems.append(
                f"`tagwire {' '.join(args)}` exited {done.returncode}: {done.stderr[-300:]}"
            )
        return done

    def _saw(self, output: str) -> None:
        if "Traceback" in output:
            self.figures.tracebacks += 1
            self.figures.problems.append("a traceback: " + output[output.index("Traceback") :][-600:])

    def kill_one(self, command: str, latest: float) -> tuple[bool, float]:
        """Start `tagwire COMMAND`, SIGKILL its process group after a random wait of at most
        `latest` seconds. Returns whether the kill landed (the command still ran) and when."""
        wait, started = self.rng.uniform(0.3, max(0.3, latest)), time.perf_counter()
        out = self.workdir / "killed.out"
        with out.open("w") as sink:
            argv = [sys.executable, "-m", "tagwire", command]
            proc = subprocess.Popen(
                argv, env=self.env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
            )
            try:
                proc.wait(timeout=wait)
                landed = False
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                landed = True
        took = time.perf_counter() - started
        self.figures.survivors += _survivors(proc.pid)
        self._saw(out.read_text(errors="replace"))
        if not landed and proc.returncode:
            self.figures.problems.append(f"`tagwire {command}` exited {proc.returncode} before its kill")
        if self.log:
            self.log(f"  {command}: {'killed' if landed else 'ended'} after {took:.1f} s")
        return landed, took

    def kill_many(self, kills: int) -> None:
        """Kill fetch, understand and run in turn (as many of each, shuffled). A command that
        ends before its kill is started again (up to 3 times) and killed sooner: within the time
        it took, so that the kill falls inside its work, however little is left."""
        order = [self.commands[i % len(self.commands)] for i in range(kills)]
        self.rng.shuffle(order)
        latest = dict.fromkeys(self.commands, self.max_wait)
        for command in order:
            for _ in range(3):
                landed, took = self.kill_one(command, latest[command])
                if landed:
                    self.figures.kills += 1
                    self.figures.by_command[command] += 1
                    break
                self.figures.finished += 1
                latest[command] = took

    def finish(self, engine: Engine) -> None:
        """Run to the end: a fetch, an understand, then the alerts a killed attempt held."""
        self.tagwire("fetch")
        self.tagwire("understand")
        with engine.begin() as conn:  # the leases of killed attempts run out (instead of waiting)
            pending = deliveries.c.state == "pending"
            conn.execute(update(deliveries).where(pending).values(next_attempt=datetime.now(UTC)))
        self.tagwire("deliver")


def _survivors(pgid: int) -> int:
    """How many processes of the killed group still run half a second later (zombies, which
    this machine's init may leave unreaped, do not count)."""
    time.sleep(0.5)
    alive = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        alive += int(fields[2]) == pgid and fields[0] not in ("Z", "X")
    return alive


# the checks -------------------------------------------------------------------------------------

_CHECKS = {  # each counts rows that should not be there
    "articles not understood (pending, quarantined)": "SELECT count(*) FROM articles WHERE status <> 'done'",
    "copy_of pointing to nothing": "SELECT count(*) FROM articles a WHERE a.copy_of IS NOT NULL"
    " AND NOT EXISTS (SELECT 1 FROM articles b WHERE b.id = a.copy_of)",
    "copies of a copy (copy_of not an original)": "SELECT count(*) FROM articles a JOIN articles b"
    " ON b.id = a.copy_of WHERE b.copy_of IS NOT NULL",
    "match_of pointing to nothing": "SELECT count(*) FROM articles a WHERE a.match_of IS NOT NULL"
    " AND NOT EXISTS (SELECT 1 FROM articles b WHERE b.id = a.match_of)",
    "articles without a story": "SELECT count(*) FROM articles WHERE story_id IS NULL",
    "story_id pointing to nothing": "SELECT count(*) FROM articles a WHERE a.story_id IS NOT NULL"
    " AND NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = a.story_id)",
    "stories without an article": "SELECT count(*) FROM stories s"
    " WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id)",
    "stories whose article_count is not their articles": "SELECT count(*) FROM stories s"
    " WHERE s.article_count <> (SELECT count(*) FROM articles a WHERE a.story_id = s.id)",
    "stories whose first or last date is not their articles'": "SELECT count(*) FROM stories s"
    " WHERE s.first_published <> (SELECT min(a.published) FROM articles a WHERE a.story_id = s.id)"
    " OR s.last_published <> (SELECT max(a.published) FROM articles a WHERE a.story_id = s.id)",
    "copy bands stored twice for one article": "SELECT count(*) FROM (SELECT article_id, key"
    " FROM copy_bands GROUP BY article_id, key HAVING count(*) > 1) d",
    "URLs pointing to no article": "SELECT count(*) FROM article_urls u"
    " WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = u.article_id)",
    "deliveries for a story that is not there": "SELECT count(*) FROM deliveries d"
    " WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = d.story_id)",
}


def store_problems(engine: Engine, world: World, servers: dict[str, SampleServer]) -> list[str]:
    """Every way the store is not what a never-killed run leaves (see the module docstring)."""
    with engine.connect() as conn:
        found = [f"{n} {what}" for what, q in _CHECKS.items() if (n := conn.execute(text(q)).scalar_one())]
        if engine.dialect.name == "sqlite":
            found += _sqlite_integrity(conn)
        done = conn.execute(text("SELECT count(*) FROM articles WHERE status = 'done'")).scalar_one()
        docs = conn.execute(text("SELECT df FROM term_stats WHERE term = ''")).scalar() or 0
        if docs != done:
            found.append(f"term_stats counts {docs} documents understood, the store has {done}")
        by_url: dict[str, int] = {
            r.url: r.article_id for r in conn.execute(text("SELECT url, article_id FROM article_urls"))
        }
        rows = {r.id: r for r in conn.execute(text("SELECT id, copy_of FROM articles"))}
    return found + _listing_problems(world, servers, by_url, rows)


def _sqlite_integrity(conn: Any) -> list[str]:
    found = []
    integrity = conn.execute(text("PRAGMA integrity_check")).scalar_one()
    if integrity != "ok":
        found.append(f"PRAGMA integrity_check: {integrity}")
    broken = conn.execute(text("PRAGMA foreign_key_check")).all()
    if broken:
        found.append(f"PRAGMA foreign_key_check: {len(broken)} rows, e.g. {broken[:3]}")
    return found


def _listing_problems(
    world: World, servers: dict[str, SampleServer], by_url: dict[str, int], rows: dict[int, Any]
) -> list[str]:
    """Each listed article stored once, nothing else stored, and one original per text."""
    ids = {x: by_url.get(servers[x.outlet].base + x.path) for x in world.articles}
    found = [f"not stored: {servers[x.outlet].base}{x.path}" for x, i in ids.items() if i is None][:5]
    stored = [i for i in ids.values() if i is not None]
    if len(set(stored)) != len(stored):
        found.append(f"{len(stored) - len(set(stored))} listed articles stored as one with another")
    if len(rows) != len(world.articles):
        found.append(f"{len(rows)} articles stored for {len(world.articles)} listed")
    roots: dict[int, set[int]] = {}
    for x, i in ids.items():
        if i is not None and i in rows:
            roots.setdefault(x.text, set()).add(rows[i].copy_of or i)
    split = [t for t, r in roots.items() if len(r) > 1]
    if split:
        found.append(f"{len(split)} texts whose copies point to more than one original")
    return found


def alert_problems(engine: Engine, posts: list[Post], tag: str) -> tuple[list[str], int]:
    """What the webhook got against the deliveries table: one delivery id per (follow, story),
    no more POSTs of an id than its attempts, all delivered, and every story of `tag` sent.
    Returns the problems and how many alerts (deliveries) there are."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, follow_id, story_id, state, attempts FROM deliveries")).all()
        tagged = set(
            conn.execute(
                text(
                    "SELECT DISTINCT a.story_id FROM articles a JOIN hashtags h ON h.article_id = a.id"
                    " WHERE lower(h.tag) = lower(:tag)"
                ),
                {"tag": tag},
            ).scalars()
        )
        tag_follow = conn.execute(text("SELECT id FROM follows WHERE kind = 'tag'")).scalar_one()
    ids_of: dict[tuple[int, int], set[str]] = {}
    for p in posts:
        ids_of.setdefault((p.follow, p.story), set()).add(p.delivery)
    found = [
        f"story {s} reached follow {f} as {len(d)} alerts {sorted(d)}"
        for (f, s), d in ids_of.items()
        if len(d) > 1
    ]
    sent = Counter(p.delivery for p in posts)
    found += [
        f"delivery {r.id} POSTed {sent[str(r.id)]} times in {r.attempts} attempts"
        for r in rows
        if sent[str(r.id)] > r.attempts
    ]
    found += [
        f"delivery {r.id} (story {r.story_id}) is {r.state}, not delivered"
        for r in rows
        if r.state != "delivered"
    ]
    found += [
        f"delivery {r.id} (story {r.story_id}) is delivered but never arrived"
        for r in rows
        if r.state == "delivered" and not sent[str(r.id)]
    ]
    known = {str(r.id) for r in rows}
    found += [f"a POST with delivery id {d!r} that the store does not know" for d in sent if d not in known]
    queued = {r.story_id for r in rows if r.follow_id == tag_follow}
    if tagged - queued:
        found.append(f"stories of #{tag} never sent: {sorted(tagged - queued)[:10]}")
    return found, len(rows)


# one whole soak ---------------------------------------------------------------------------------


def followed_tag(world: World) -> str:
    """The country with the most stories: the hashtag the soak follows."""
    return Counter(world.country_of.values()).most_common(1)[0][0]


@dataclass
class Outcome:
    """The end of a soak, while its store is still there: what the checks read."""

    engine: Engine
    world: World
    servers: dict[str, SampleServer]
    posts: list[Post]
    tag: str

    def store_problems(self) -> list[str]:
        return store_problems(self.engine, self.world, self.servers)

    def alert_problems(self, posts: list[Post] | None = None) -> tuple[list[str], int]:
        return alert_problems(self.engine, self.posts if posts is None else posts, self.tag)


def run_soak(
    world: World,
    backend: str,
    kills: int,
    *,
    seed: int = 1,
    max_wait: float = 8.0,
    postgres: str | None = None,
    log: Callable[[str], None] | None = None,
    after: Callable[[Outcome], None] | None = None,
) -> Figures:
    """Serve `world`, follow its busiest hashtag and a search, kill tagwire `kills` times, run
    to the end, check; `after` may look further before the database is dropped. The figures
    carry every problem found."""
    figures, started = Figures(backend, listed=len(world.articles)), time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="tagwire-soak-") as tmp,
        fresh_database(backend, Path(tmp), postgres) as database,
        serving(world) as servers,
        Receiver(delay=WEBHOOK_DELAY) as receiver,
    ):
        commands = COMMANDS + (("worker",) if backend == "postgresql" else ())  # a cluster's worker too
        soak = Soak(database, Path(tmp), figures, random.Random(seed), max_wait, log, commands)
        tag = followed_tag(world)
        soak.tagwire("add", *feed_urls(servers))
        soak.tagwire("follow", "#" + tag, "--webhook", receiver.url)
        soak.tagwire("follow", SEARCH, "--search", "--webhook", receiver.url)
        soak.kill_many(kills)
        engine = make_engine(database)
        try:
            soak.finish(engine)
            outcome = Outcome(engine, world, servers, list(receiver.posts), tag)
            _check(outcome, figures)
            if after is not None:
                after(outcome)
        finally:
            engine.dispose()
    figures.seconds = time.perf_counter() - started
    return figures


def _check(outcome: Outcome, figures: Figures) -> None:
    figures.problems += outcome.store_problems()
    problems, figures.alerts = outcome.alert_problems()
    figures.problems += problems
    with outcome.engine.connect() as conn:
        figures.articles = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
        figures.stories = conn.execute(text("SELECT count(*) FROM stories")).scalar_one()
    figures.posts = len(outcome.posts)
    figures.repeats = len(outcome.posts) - len({p.delivery for p in outcome.posts})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--kills", type=int, default=15)
    ap.add_argument("--outlets", type=int, default=20)
    ap.add_argument("--articles", type=int, default=20, help="articles per outlet")
    ap.add_argument("--max-wait", type=float, default=8.0, help="latest kill, in seconds after the start")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--postgres", default=None, help="a postgresql:// URL (the soak's database is made beside it)"
    )
    args = ap.parse_args()
    postgres = args.postgres or _postgres_from_env()
    with tempfile.TemporaryDirectory(prefix="tagwire-soak-world-") as tmp:
        world = build_world(Path(tmp), args.outlets, args.articles, args.seed)
        figures = run_soak(world, args.backend, args.kills, seed=args.seed, max_wait=args.max_wait,
                           postgres=postgres, log=print)  # fmt: skip
    for problem in figures.problems:
        print("  problem:", problem)
    print(figures.line())
    return 1 if figures.problems else 0


def _postgres_from_env() -> str | None:
    value = os.environ.get("TAGWIRE_TEST_POSTGRES", "")
    return value if value.startswith("postgres") else None


if __name__ == "__main__":
    sys.exit(main())
