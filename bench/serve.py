#!/usr/bin/env python3
"""Serving benchmark: `/tag/{tag}` and `/search?q=` latency (p50, p95) and requests/s on a
synthetic store (SQLite, PostgreSQL or both, side by side), served by `tagwire serve` (the real
app under uvicorn) in 1 or N web processes (`--workers`).

    python bench/serve.py [--articles 100000] [--seed 1] [--requests 200] [--concurrency 1,16]
                          [--backends sqlite,postgresql] [--workers 1,2] [--only NAME]
                          [--all-kinds] [--rebuild]

The store (bench/synthetic_store.py) is synthetic but shaped like a real one: outlets of very
different sizes, stories of 1-5 articles over a year (some articles wire copies of the story's
first), hashtags drawn from a Zipf-Mandelbrot law (a few topics on thousands of stories, a long
tail of names on one or two), texts of 100-300 words with Zipf word frequencies: a small
built-in vocabulary of news words at realistic frequency ranks (function words on top,
"government" in about one article in twelve), invented words for the long tail, the story's
names among them. It is written through the store layer in bulk (store.batch.Batch for the
articles, the schema's tables for stories, hashtags and understanding), not through fetch, and
cached under the temporary folder, keyed by its parameters, so a rerun starts serving at once
(a cached store is brought to the schema's head). The SQLite store is not ANALYZEd, as tagwire's
own stores are not; the PostgreSQL one is the same rows copied in (COPY, indexes rebuilt after,
then ANALYZE, as autovacuum does on a user's store), in a database of its own on the server
named by --pg.

Each kind of request (by default: popular and rare hashtags, searches of words, a very common
word, a phrase; --all-kinds adds deeper pages, #Hashtag, outlet:, since: and the home page) is
sent `--requests` times over a few different URLs, at each client concurrency, after a warm-up;
pages are rendered at the data's fixed `now`. With one web process, beyond one request at a
time latency grows with the queue; N processes share the port. The store's size per article is
printed with the figures (the SQLite file, or pg_database_size, over the articles). Figures are
printed, never asserted. The targets are p95 under 50 ms at 1 client and under 150 ms at 16
for /tag and /search. On a 2-core machine shared with other work (the client's threads too) the
latencies are noisy: note the load printed, run twice and quote medians. Beside them, the server's
CPU per request (its web processes; on PostgreSQL also the backends serving them), read from
/proc, which other work on the machine hardly changes: at 16 clients on C cores, p95 cannot be
much under 16 x (CPU per request) / C.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool
from synthetic_store import FOLDER, PG_SERVER, cached_store

from tagwire.store import open_store
from tagwire.store.db import engine_url

ROOT = Path(__file__).resolve().parents[1]
NOW_Q = "2025-09-18T12:00:00Z"  # synthetic_store.NOW: pages are rendered at the data's moment
TARGETS_MS = {1: 50.0, 16: 150.0}  # p95 by client concurrency (the issue's); others: 50 ms

# serving and measuring ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tagwire_cmd() -> list[str]:
    local = ROOT / ".venv" / "bin" / "tagwire"
    return [str(local)] if local.exists() else [shutil.which("tagwire") or "tagwire"]


def start_server(database: str, workers: int) -> Server:
    """`tagwire serve --workers N` on the store, on a free loopback port; returns once it answers."""
    port = free_port()
    env = dict(os.environ, TAGWIRE_DATABASE=database)
    cmd = [*tagwire_cmd(), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/api/latest", timeout=5).read()
            return Server(proc, base, database)
        except OSError:
            if proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                sys.exit(f"tagwire serve stopped: {err[-800:]}")
            time.sleep(0.2)
    proc.kill()
    sys.exit("tagwire serve did not answer within 60 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def bytes_per_article(database: str) -> tuple[float, int]:
    """The store's size over its articles: the SQLite file (and its WAL), or the PostgreSQL
    database (pg_database_size: tables, TOAST and indexes)."""
    repo = open_store(database)
    try:
        with repo.engine.connect() as conn:
            count = int(conn.execute(text("SELECT count(*) FROM articles")).scalar_one())
            if repo.dialect == "postgresql":
                size = int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
            else:
                size = sum(p.stat().st_size for p in Path(database).parent.glob(Path(database).name + "*"))
    finally:
        repo.close()
    return size / max(count, 1), count


@dataclass
class Kind:
    """A kind of request and the few URLs it cycles through."""

    name: str
    paths: list[str]


MAIN_KINDS = ("tag popular p1", "tag rare p1", "search words", "search common word", "search phrase")


def chosen(database: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """Popular, rare and middling hashtags and the outlets by size, kept in a file beside the
    cached stores (counting every hashtag of 1,000,000 articles takes a while)."""
    key = hashlib.blake2b(database.encode(), digest_size=8).hexdigest()
    kept = FOLDER / f"chosen-{key}.json"
    if kept.exists():
        found: tuple[list[str], list[str], list[str], list[str]] = tuple(json.loads(kept.read_text()))  # type: ignore[assignment]
        return found
    repo = open_store(database)
    try:
        ranked = repo.top_tags(limit=100_000)
        with repo.engine.connect() as conn:
            sizes = conn.execute(text("SELECT outlet FROM articles GROUP BY outlet ORDER BY count(*) DESC"))
            outlets = list(sizes.scalars())
    finally:
        repo.close()
    popular = [t for t, _ in ranked[:5]]
    rare = [t for t, n in ranked if n <= 3][:20]
    mid = [t for t, n in ranked if 60 <= n <= 200][:10]
    kept.write_text(json.dumps([popular, rare, mid, outlets]))
    return popular, rare, mid, outlets


def kinds(database: str) -> list[Kind]:
    """The requests measured, with hashtags chosen by how many stories carry them in this store
    and outlets among the biggest and the smallest."""
    popular, rare, mid, outlets = chosen(database)

    def tag(tags: list[str], page: int = 1) -> list[str]:
        return [f"/tag/{quote(t)}" + (f"?page={page}" if page > 1 else "") for t in tags]

    def search(queries: list[str], page: int = 1) -> list[str]:
        return ["/search?" + urlencode({"q": q, **({"page": page} if page > 1 else {})}) for q in queries]

    words = ["harbour strike", "central bank rate", "wildfire evacuation", "hospital", "ceasefire talks"]
    return [
        Kind("tag popular p1", tag(popular)),
        Kind("tag popular p20", tag(popular, 20)),
        Kind("tag mid p1", tag(mid)),
        Kind("tag mid p3", tag(mid, 3)),
        Kind("tag rare p1", tag(rare)),
        Kind("search words", search(words)),
        Kind("search words p3", search(words, 3)),
        Kind("search phrase", search(['"central bank"', '"prime minister"', '"police said"'])),
        Kind("search #Hashtag", search([f"#{t}" for t in popular[:3]] + [f"#{t.lower()}" for t in mid[:3]])),
        Kind(
            "search word #Tag", search([f"fire #{popular[0]}", f"talks #{mid[0]}", f"council #{popular[1]}"])
        ),
        Kind("search outlet:", search([f'council outlet:"{o}"' for o in outlets[:2] + outlets[-1:]])),
        Kind("search since:", search(["strike since:7d", "election since:30d", "bank since:2025-09-01"])),
        Kind("search common word", search(["government", "people"])),
        Kind("home", ["/"]),
    ]


def with_now(path: str) -> str:
    return path + ("&" if "?" in path else "?") + "now=" + quote(NOW_Q)


@dataclass
class Figures:
    backend: str
    workers: int
    name: str
    concurrency: int
    count: int
    p50: float
    p95: float
    rps: float
    errors: int
    web_cpu: float  # ms of CPU per request in the web processes
    db_cpu: float  # ms of CPU per request in the PostgreSQL backends serving them


@dataclass
class Server:
    """A running `tagwire serve`: its process, its address and its database."""

    proc: subprocess.Popen[bytes]
    base: str
    database: str


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) a process has used, from /proc; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def web_pids(server: Server) -> list[int]:
    """The serve process and its children (the web processes of --workers)."""
    found = [server.proc.pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server.proc.pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    return found


def db_pids(server: Server) -> list[int]:
    """The PostgreSQL backends connected to the store's database (not the one asking)."""
    if "://" not in server.database:
        return []
    others = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    with _engine(server.database).connect() as conn:
        return list(conn.execute(text(others)).scalars())


@functools.cache
def _engine(database: str) -> Engine:
    return create_engine(engine_url(database), poolclass=NullPool)


def cpu_used(server: Server) -> tuple[dict[int, float], dict[int, float]]:
    """CPU seconds so far of each web process and each database backend."""
    return {p: cpu_seconds(p) for p in web_pids(server)}, {p: cpu_seconds(p) for p in db_pids(server)}


def cpu_between(start: dict[int, float], end: dict[int, float]) -> float:
    """CPU seconds used between two readings (a process started in between counts from zero)."""
    return sum(used - start.get(pid, 0.0) for pid, used in end.items())


def measure(
    server: Server, kind: Kind, requests: int, concurrency: int, backend: str, workers: int
) -> Figures:
    """`requests` GETs cycling through the kind's URLs, `concurrency` at a time, each client
    with its own keep-alive connection; latency is per request, seen by the client. The CPU the
    server used for them (its web processes, and the database backends on PostgreSQL) is read
    from /proc: unlike latency, it hardly depends on what else runs on the machine."""
    paths = [with_now(p) for p in kind.paths]
    clients = [httpx.Client(base_url=server.base, timeout=60) for _ in range(concurrency)]
    for c in clients:
        for p in paths:
            c.get(p)  # warm-up: connections open, caches as a running server has them

    def one(i: int) -> tuple[float, int]:
        t = time.perf_counter()
        status = clients[i % concurrency].get(paths[i % len(paths)]).status_code
        return (time.perf_counter() - t) * 1000, status

    web_start, db_start = cpu_used(server)
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(one, range(requests)))
    wall = time.perf_counter() - started
    web_end, db_end = cpu_used(server)
    for c in clients:
        c.close()
    times = sorted(t for t, _ in results)
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    errors = sum(s != 200 for _, s in results)
    p50, rps = statistics.median(times), requests / wall
    web, db = (1000 * cpu_between(a, b) / requests for a, b in ((web_start, web_end), (db_start, db_end)))
    return Figures(backend, workers, kind.name, concurrency, len(times), p50, p95, rps, errors, web, db)


def table(rows: list[Figures]) -> None:
    head = f"{'backend':<10} {'web':>3} {'request':<20} {'conc':>4} {'n':>5}"
    head += f" {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'cpu web':>7} {'cpu db':>6}"
    print(f"\n{head}  target   (cpu: ms of server CPU per request)")
    for r in rows:
        target = TARGETS_MS.get(r.concurrency, 50.0)
        ok = "" if not r.name.startswith(("tag", "search")) else ("ok" if r.p95 < target else "MISSED")
        bad = f"  {r.errors} errors" if r.errors else ""
        figures = f"{r.p50:>8.1f} {r.p95:>8.1f} {r.rps:>7.1f} {r.web_cpu:>7.1f} {r.db_cpu:>6.1f}"
        what = f"{r.backend:<10} {r.workers:>3} {r.name:<20} {r.concurrency:>4} {r.count:>5}"
        print(f"{what} {figures}  {ok}{bad}")


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--requests", type=int, default=200, help="requests per kind and concurrency")
    ap.add_argument("--concurrency", default="1,16", help="comma-separated client concurrencies")
    ap.add_argument("--backends", default="sqlite", help="comma-separated: sqlite, postgresql")
    ap.add_argument("--workers", default="1", help="comma-separated web process counts (serve --workers)")
    ap.add_argument("--pg", default=PG_SERVER, help="PostgreSQL server URL (the bench makes its database)")
    ap.add_argument("--only", default="", help="measure only kinds whose name contains this")
    ap.add_argument("--all-kinds", action="store_true", help="every kind, not only the issue's five")
    ap.add_argument("--rebuild", action="store_true", help="build the store even if cached")
    args = ap.parse_args()
    rows = []
    for backend in args.backends.split(","):
        database = cached_store(args.articles, args.seed, args.rebuild, backend, args.pg)
        per_article, count = bytes_per_article(database)
        print(f"{backend}: {count:,} articles, {per_article:,.0f} bytes per article ({database})", flush=True)
        wanted = [k for k in kinds(database) if args.all_kinds or k.name in MAIN_KINDS]
        measured = [k for k in wanted if args.only in k.name]
        for workers in (int(w) for w in args.workers.split(",")):
            server = start_server(database, workers)
            try:
                for conc in (int(c) for c in args.concurrency.split(",")):
                    where = f"{backend}, {workers} web, {conc} clients"
                    print(f"  {where}: {load()}", file=sys.stderr, flush=True)
                    for kind in measured:
                        rows.append(measure(server, kind, args.requests, conc, backend, workers))
                        print(f"    {kind.name}: p95 {rows[-1].p95:.1f} ms", file=sys.stderr, flush=True)
            finally:
                stop_server(server.proc)
    table(rows)
    print(load())


if __name__ == "__main__":
    main()
