#!/usr/bin/env python3
"""Decisions and speed of a cluster, side by side in one run: one newsworld world (../shared/
newsworld, 40 outlets by default) served on loopback and ingested, in turn, by

    fetch-sqlite   `tagwire fetch` (one process, no engine) on SQLite
    fetch-pg       `tagwire fetch` on PostgreSQL
    workers-N      N `tagwire worker` processes on PostgreSQL (nobody killed), until idle

each on a fresh store; and understanding alone, on the same items (stored first by `tagwire fetch
--no-understand`, not timed), by

    understand-sqlite / understand-pg   `tagwire understand` (one process)
    understand-workers-N                N workers taking understand_batch jobs (one per 64 pending
                                        articles, queued before the workers start; their start,
                                        the language model's loading included, is timed)

For each: the seconds until everything is stored and understood, the understanding rate over
that time, the copies found against the world's truth (pairwise
precision / recall, copy groups as `copy_of` links make them) and the stories (B-cubed
precision / recall / F1 of `story_id` against the world's story of each article).

    python bench/cluster.py [--modes fetch-sqlite,fetch-pg,workers-1,workers-3] [--outlets 40]
                            [--seed 9] [--synthetic N] [--chaos 0] [--postgres URL]

PostgreSQL: a database `tagwire_bench_<random>` is created beside the one URL names (default:
TAGWIRE_TEST_POSTGRES, else postgresql://postgres@127.0.0.1:5432/test) and dropped after.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import combinations
from pathlib import Path
from typing import Any

from evalkit import bcubed, groups_by_links
from scratch_store import psql, scratch_store

ROOT = Path(__file__).resolve().parents[1]
NEWSWORLD = ROOT.parent / "shared" / "newsworld" / "newsworld.py"
TAGWIRE = str(Path(sys.executable).with_name("tagwire"))
PG = os.environ.get("TAGWIRE_TEST_POSTGRES", "")
POLL = 0.5  # seconds between two looks at a cluster's store
IDLE = 4.0  # seconds a cluster's store stays the same, nothing pending, before it is taken for idle
DEFAULT_PG = PG if PG.startswith("postgres") else "postgresql://postgres@127.0.0.1:5432/test"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--modes", default="fetch-sqlite,fetch-pg,workers-1,workers-3")
    ap.add_argument("--outlets", type=int, default=40)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--chaos", type=float, default=0.0)
    ap.add_argument("--synthetic", type=int, default=0, help="stories more, recombined (a larger world)")
    ap.add_argument("--postgres", default=DEFAULT_PG)
    ap.add_argument("--limit", type=float, default=900.0, help="seconds a mode may take")
    ap.add_argument(
        "--pin", action="store_true", help="worker i (and its preparing process) on core i only (taskset)"
    )
    a = ap.parse_args()
    if not NEWSWORLD.exists():
        sys.exit(f"needs {NEWSWORLD} (the team's shared newsworld)")
    world = Path(tempfile.gettempdir()) / f"bench-cluster-world-{a.outlets}-{a.seed}-{a.synthetic}"
    if not (world / "truth.jsonl").exists():
        build = [sys.executable, str(NEWSWORLD), "build", str(world), "--outlets", str(a.outlets)]
        more = ["--synthetic", str(a.synthetic)] if a.synthetic else []
        subprocess.run([*build, "--seed", str(a.seed), *more], check=True, capture_output=True)
    truth = [json.loads(line) for line in (world / "truth.jsonl").read_text().splitlines() if line.strip()]
    print(f"world: {a.outlets} outlets, {len(truth)} listings, chaos {a.chaos:g}")
    print(f"{'mode':14} {'seconds':>8} {'articles':>8} {'per s':>7} {'copies P':>9} {'copies R':>9} "
          f"{'story P':>8} {'story R':>8} {'story F1':>8}")  # fmt: skip
    with serving(world, a.chaos) as base:
        for mode in a.modes.split(","):
            with scratch_store(not mode.endswith("-sqlite"), a.postgres, "tagwire-bench") as db:
                seconds, rows = run_mode(mode, db, base, a.limit, a.pin)
            print(figures(mode, seconds, rows, truth))


@contextmanager
def serving(world: Path, chaos: float) -> Iterator[str]:
    cmd = [sys.executable, str(NEWSWORLD), "serve", str(world), "--chaos", str(chaos)]
    srv = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert srv.stdout is not None
        yield srv.stdout.readline().split()[1]
    finally:
        srv.terminate()
        srv.wait()


def tw(db: str, *args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TAGWIRE_DATABASE=db, TAGWIRE_ALLOW_PRIVATE_NETWORKS="1")
    return subprocess.run([TAGWIRE, *args], env=env, capture_output=True, text=True, **kw)


def run_mode(mode: str, db: str, base: str, limit: float, pin: bool) -> tuple[float, list[list[str]]]:
    tw(db, "migrate", check=True)
    with tempfile.NamedTemporaryFile("wb", suffix=".opml") as opml:
        opml.write(subprocess.run(["curl", "-s", base + "/sources.opml"], capture_output=True).stdout)
        opml.flush()
        tw(db, "add", opml.name, check=True)
    started = time.monotonic()
    if mode.startswith("understand"):
        tw(db, "fetch", "--no-understand", check=True, timeout=limit)
        started = time.monotonic()
        if "workers" in mode:
            queue_understanding(db)
            return run_workers(db, int(mode.rsplit("-", 1)[1]), started, limit, pin), articles(db)
        tw(db, "understand", check=True, timeout=limit)
    elif mode.startswith("fetch"):
        tw(db, "fetch", check=True, timeout=limit)
    else:
        return run_workers(db, int(mode.split("-")[1]), started, limit, pin), articles(db)
    return time.monotonic() - started, articles(db)


def queue_understanding(db: str) -> None:
    """An understand_batch job for each 64 pending articles, oldest first (as fetch jobs queue them)."""
    from tagwire.app.jobs import understand_jobs
    from tagwire.store import open_store
    from tagwire.store.jobs import defer_in

    repo = open_store(db)
    try:
        ids = [a.id for a in repo.pending(limit=1_000_000) if a.id is not None]
        with repo.engine.begin() as conn:
            defer_in(conn, understand_jobs(ids))
    finally:
        repo.close()


def run_workers(db: str, n: int, started: float, limit: float, pin: bool = False) -> float:
    """`n` workers until idle; with `pin`, worker i runs on core i (modulo the cores) only, its
    preparing process too, so that one worker is one core (unpinned, one worker already uses two:
    it decides while its preparing process prepares the next batch)."""
    env = dict(os.environ, TAGWIRE_DATABASE=db, TAGWIRE_ALLOW_PRIVATE_NETWORKS="1")
    cores = sorted(os.sched_getaffinity(0))
    with tempfile.TemporaryFile() as log:
        pinned = [["taskset", "-c", str(cores[i % len(cores)])] if pin else [] for i in range(n)]
        command = [TAGWIRE, "worker"]
        workers = [
            subprocess.Popen([*on, *command], env=env, stdout=log, stderr=log, start_new_session=True)
            for on in pinned
        ]
        return _until_idle(db, workers, started, limit)


def _until_idle(db: str, workers: list[subprocess.Popen[bytes]], started: float, limit: float) -> float:
    """Wait until nothing is pending and the store has not changed for IDLE seconds; the
    seconds from `started` to the first sight of that final state (so the waiting that
    tells a cluster is idle is not counted as its work)."""
    try:
        last, since = None, time.monotonic()
        while time.monotonic() - started < limit:
            time.sleep(POLL)
            now, key = time.monotonic(), _counts(db)
            if key != last:
                last, since = key, now
            elif key[1] == 0 and key[0] and now - since >= IDLE:
                break
        return since - started
    finally:
        for w in workers:
            os.killpg(w.pid, signal.SIGTERM)
        for w in workers:
            w.wait()


def _counts(db: str) -> tuple[int, int]:
    """Articles stored and still pending."""
    sql = "select count(*), count(*) filter (where status = 'pending') from articles"
    out = psql(db, sql) if db.startswith("postgres") else _sqlite(db, sql)
    stored, pending = out.split()
    return int(stored), int(pending)


def _sqlite(db: str, sql: str) -> str:
    return subprocess.run(["sqlite3", "-separator", "\t", db, sql], capture_output=True, text=True).stdout


def articles(db: str) -> list[list[str]]:
    sql = "select id, url, coalesce(copy_of, 0), coalesce(story_id, 0), status from articles"
    out = psql(db, sql) if db.startswith("postgres") else _sqlite(db, sql)
    return [line.split("\t") for line in out.splitlines() if line]


def figures(mode: str, seconds: float, rows: list[list[str]], truth: list[dict[str, Any]]) -> str:
    by_path = {t["url"].split("?")[0]: t for t in truth if not t["relisting"]}
    lab: dict[int, dict[str, Any]] = {}
    for i, url, *_ in rows:
        path = url.split("://", 1)[-1].split("/", 1)[-1].split("?")[0]
        if path in by_path:
            lab[int(i)] = by_path[path]
    group = groups_by_links(
        [str(i) for i in lab], {i: c for i, _, c, _, _ in rows if int(i) in lab and int(c) in lab}
    )
    ids = sorted(lab)
    pred = {(x, y) for x, y in combinations(ids, 2) if group[str(x)] == group[str(y)]}
    gold = {(x, y) for x, y in combinations(ids, 2) if lab[x]["article"] == lab[y]["article"]}
    cp = len(pred & gold) / len(pred) if pred else 1.0
    cr = len(pred & gold) / len(gold) if gold else 1.0
    story = {int(i): int(s) for i, _, _, s, _ in rows if int(i) in lab}
    alone = {i: story[i] or ("alone", i) for i in ids}  # an article with no story (0) is alone
    sp, sr, sf = bcubed(alone, {i: lab[i]["story"] for i in ids})
    done = sum(1 for r in rows if r[4] == "done")
    return (f"{mode:14} {seconds:8.1f} {len(rows):8d} {done / seconds:7.1f} {cp:9.3f} {cr:9.3f} "
            f"{sp:8.3f} {sr:8.3f} {sf:8.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
