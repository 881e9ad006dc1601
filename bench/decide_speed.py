#!/usr/bin/env python3
"""Deciding alone (copy of what, which story, and the writes of a batch under the deciding lock),
timed apart from preparing: the articles are prepared first (hashtags, signatures, story
features; not timed), then decided batch by batch as `tagwire understand` decides them, on a
fresh SQLite or PostgreSQL store. Prints deciding's seconds and CPU per article, and can write
every stored decision (`--dump`) to compare two versions of the code on the same articles.

    python bench/decide_speed.py [--articles newsworld|basil] [--backend sqlite|postgresql]
                                 [--outlets 40] [--seed 9] [--synthetic N] [--statements] [--profile FILE]
                                 [--dump FILE] [--postgres URL]

newsworld: a world of ../shared/newsworld (by default bench/cluster.py's: 40 outlets, seed 9;
--synthetic N as bench/cluster.py's),
fetched once without understanding into a cached SQLite file; basil: bench/understand_speed.py's
300 articles of 700 words.
PostgreSQL: a database `tagwire_decide_<random>` beside the one URL names, dropped after.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evalkit import need_shared
from scratch_store import scratch_store

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(tempfile.gettempdir()) / "tagwire-decide-speed"
PG = os.environ.get("TAGWIRE_TEST_POSTGRES", "")
DEFAULT_PG = PG if PG.startswith("postgres") else "postgresql://postgres@127.0.0.1:5432/test"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", default="newsworld", choices=["newsworld", "basil"])
    ap.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    ap.add_argument("--postgres", default=DEFAULT_PG)
    ap.add_argument("--outlets", type=int, default=40, help="newsworld's outlets")
    ap.add_argument("--seed", type=int, default=9, help="newsworld's seed")
    ap.add_argument("--synthetic", type=int, default=0, help="newsworld's stories more (a larger world)")
    ap.add_argument("--profile", help="write deciding's cProfile statistics here")
    ap.add_argument("--dump", help="write every stored decision here (JSON)")
    ap.add_argument("--statements", action="store_true", help="count deciding's SQL statements by kind")
    a = ap.parse_args()
    need_shared()
    from tagwire.store import open_store

    pending = newsworld(a.outlets, a.seed, a.synthetic) if a.articles == "newsworld" else basil()
    with scratch_store(a.backend != "sqlite", a.postgres, "tagwire-decide") as db:
        repo = open_store(db)
        try:
            repo.add_articles(pending, fetched_at=datetime.now(UTC))
            prepared = prepare_all(repo, a.articles)
            counted = count_statements(repo.engine) if a.statements else None
            servers = backends(repo.engine)
            before = server_cpu(servers)
            n, wall, cpu, reasons = decide_all(repo, prepared, a.profile)
            served = server_cpu(servers) - before
            print(
                f"deciding {a.articles} on {a.backend}: {n} articles in {wall:.2f} s "
                f"({1000 * wall / n:.2f} ms an article, {n / wall:.0f}/s); CPU an article: "
                f"this process {1000 * cpu / n:.2f} ms, PostgreSQL {1000 * served / n:.2f} ms"
            )
            if counted is not None:
                for (what, many), (k, sec) in sorted(counted.items(), key=lambda x: -x[1][1]):
                    print(f"{k:7d} {sec:6.2f} s {'executemany' if many else 'execute':11} {what}")
            if a.dump:
                stored = decisions(repo)
                for u, why in reasons.items():
                    stored["articles"][u]["reason"] = why
                Path(a.dump).write_text(json.dumps(stored, indent=0, sort_keys=True))
        finally:
            repo.close()


def count_statements(engine: Any) -> dict[tuple[str, bool], list[float]]:
    """Statements sent to the database from now on, by their first words: [count, seconds]."""
    from sqlalchemy import event

    counted: dict[tuple[str, bool], list[float]] = {}
    began: list[float] = []

    def start(*_: Any) -> None:
        began.append(time.perf_counter())

    def count(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        seen = counted.setdefault((" ".join(statement.split())[:80], many), [0, 0.0])
        seen[0] += 1
        seen[1] += time.perf_counter() - began.pop()

    event.listen(engine, "before_cursor_execute", start)
    event.listen(engine, "after_cursor_execute", count)
    return counted


def backends(engine: Any) -> list[int]:
    """The process ids of PostgreSQL's backends serving `engine` (its pooled connections)."""
    if engine.dialect.name != "postgresql":
        return []
    from sqlalchemy import event, text

    pids: list[int] = []
    with engine.connect() as conn:
        pids.append(int(conn.execute(text("select pg_backend_pid()")).scalar()))

    def connected(dbapi: Any, _: Any) -> None:
        with dbapi.cursor() as cur:
            cur.execute("select pg_backend_pid()")
            pids.append(int(cur.fetchone()[0]))

    event.listen(engine, "connect", connected)
    return pids


def server_cpu(pids: list[int]) -> float:
    """CPU seconds (user and system) the processes `pids` have used so far."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def newsworld(outlets: int, seed: int, synthetic: int = 0) -> list[Any]:
    """A newsworld world's articles as `tagwire fetch --no-understand` stores them (cached)."""
    from tagwire.store import open_store

    CACHE.mkdir(exist_ok=True)
    db = CACHE / (f"newsworld-{outlets}-{seed}" + (f"-{synthetic}" if synthetic else "") + ".db")
    if not db.exists():
        fetch_world(db, outlets, seed, synthetic)
    repo = open_store(str(db))
    try:
        found = repo.pending(limit=1_000_000)
    finally:
        repo.close()
    for x in found:
        x.id, x.source_id = None, None  # no sources in the fresh store
    return found


def fetch_world(db: Path, outlets: int, seed: int, synthetic: int) -> None:
    world = CACHE / f"world-{outlets}-{seed}-{synthetic}"
    newsworld_py = ROOT.parent / "shared" / "newsworld" / "newsworld.py"
    if not (world / "truth.jsonl").exists():
        build = [sys.executable, str(newsworld_py), "build", str(world), "--outlets", str(outlets)]
        build += ["--seed", str(seed), *(["--synthetic", str(synthetic)] if synthetic else [])]
        subprocess.run(build, check=True, capture_output=True)
    cmd = [sys.executable, str(newsworld_py), "serve", str(world)]
    srv = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    tagwire = str(Path(sys.executable).with_name("tagwire"))
    env = dict(os.environ, TAGWIRE_DATABASE=str(db), TAGWIRE_ALLOW_PRIVATE_NETWORKS="1")
    try:
        assert srv.stdout is not None
        base = srv.stdout.readline().split()[1]
        subprocess.run([tagwire, "add", base + "/sources.opml"], env=env, check=True, capture_output=True)
        subprocess.run([tagwire, "fetch", "--no-understand"], env=env, check=True, capture_output=True)
    finally:
        srv.terminate()
        srv.wait()


def basil() -> list[Any]:
    """bench/understand_speed.py's articles, as `tagwire analyze` stores them."""
    from understand_speed import articles

    from tagwire.app.analysing import row_article

    now = datetime.now(UTC)
    return [row_article(r, now) for r in articles(300, 700)]


def prepare_all(repo: Any, name: str) -> dict[str, Any]:
    """Each pending article prepared (by URL), cached by the articles and the preparing code."""
    from tagwire.understand.hashtags import HashtagTagger
    from tagwire.understand.prepare import inputs, prepare_many

    found = repo.pending(limit=1_000_000)
    key = hashlib.sha256()
    for x in found:
        key.update(f"{x.url}\n{x.title}\n{x.text}\n".encode())
    import tagwire.understand

    for f in sorted(Path(tagwire.understand.__file__).parent.rglob("*.py")):
        key.update(f.read_bytes())
    cached = CACHE / f"prepared-{name}-{key.hexdigest()[:16]}.pickle"
    if cached.exists():
        return dict(pickle.loads(cached.read_bytes()))
    tagger = HashtagTagger()
    out: dict[str, Any] = {}
    started = time.process_time()
    for i in range(0, len(found), 64):
        chunk = found[i : i + 64]
        out.update(zip([x.url for x in chunk], prepare_many(inputs(chunk), tagger), strict=True))
    cpu = time.process_time() - started  # the model's loading included (once)
    print(f"preparing {name}: {len(found)} articles, CPU an article {1000 * cpu / max(len(found), 1):.2f} ms")
    CACHE.mkdir(exist_ok=True)
    cached.write_bytes(pickle.dumps(out))
    return out


def decide_all(
    repo: Any, prepared: dict[str, Any], profile: str | None
) -> tuple[int, float, float, dict[str, str]]:
    """Decide every pending article as Understander.run_pending does (batches of 64 in
    publication order): (articles, seconds deciding, this process's CPU seconds deciding, the
    reason of each decision by URL)."""
    from tagwire import config
    from tagwire.understand.engine import BATCH, Understander
    from tagwire.understand.hashtags import HashtagTagger

    understander = Understander(repo, config.load(), tagger=HashtagTagger())
    profiler = cProfile.Profile() if profile else None
    wall, cpu, after = 0.0, 0.0, None
    reasons: dict[str, str] = {}
    while batch := repo.pending(limit=BATCH, after=after):
        ready = [prepared[x.url] for x in batch]
        w, c = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        done = understander.understand(batch, ready)
        if profiler:
            profiler.disable()
        wall, cpu = wall + time.perf_counter() - w, cpu + time.process_time() - c
        reasons.update((x.url, x.match.reason if x.match else "") for x in done)
        after = batch[-1]
    if profiler and profile:
        profiler.dump_stats(profile)
    understander.close()
    return len(reasons), wall, cpu, reasons


def decisions(repo: Any) -> dict[str, Any]:
    """What deciding stored, by URL: each article's decision, its story's row, its hashtags and
    bands, and the term counts."""
    from sqlalchemy import select

    from tagwire.store.schema import articles, copy_bands, hashtags, stories, term_stats

    with repo.engine.connect() as conn:
        rows = conn.execute(select(articles).order_by(articles.c.id)).mappings().all()
        url = {r["id"]: r["url"] for r in rows}
        story = {r.id: r for r in conn.execute(select(stories))}
        tags: dict[int, list[str]] = {}
        for r in conn.execute(select(hashtags).order_by(hashtags.c.article_id, hashtags.c.rank)):
            tags.setdefault(r.article_id, []).append(r.tag)
        bands: dict[int, list[int]] = {}
        for r in conn.execute(select(copy_bands)):
            bands.setdefault(r.article_id, []).append(r.key)
        terms = sorted((r.term, r.df) for r in conn.execute(select(term_stats)))
    out: dict[str, Any] = {"terms": hashlib.sha256(repr(terms).encode()).hexdigest(), "articles": {}}
    first: dict[int, str] = {}  # a story named by its first article's URL
    for r in rows:
        if r["story_id"] is not None:
            first.setdefault(r["story_id"], r["url"])
    for r in rows:
        s = story.get(r["story_id"])
        out["articles"][r["url"]] = {
            "status": r["status"],
            "copy_of": url.get(r["copy_of"]),
            "story": first.get(r["story_id"]),
            "story_row": None
            if s is None
            else [s.headline, str(s.first_published), str(s.last_published), s.article_count],
            "match": [r["match_kind"], r["match_score"], url.get(r["match_of"])],
            "wire_origin": r["wire_origin"],
            "language": r["language"],
            "features": r["features"],
            "signature": hashlib.sha256(r["signature"] or b"").hexdigest(),
            "hashtags": tags.get(r["id"], []),
            "bands": sorted(bands.get(r["id"], [])),
            "problem": r["problem"],
        }
    return out


if __name__ == "__main__":
    main()
