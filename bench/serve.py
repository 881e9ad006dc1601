#!/usr/bin/env python3
"""Serving benchmark: `/tag/{tag}` and `/search?q=` latency (p50, p95) and requests/s on a SQLite
store of 100,000 articles, served by `tagwire serve` (the real app under uvicorn, one process).

    python bench/serve.py [--articles 100000] [--seed 1] [--requests 200] [--concurrency 1,2,4]
                          [--only NAME] [--rebuild]

The store (bench/synthetic_store.py) is synthetic but shaped like a real one: outlets of very
different sizes, stories of 1-5 articles over a year (some articles wire copies of the story's
first), hashtags drawn from a Zipf-Mandelbrot law (a few topics on thousands of stories, a long
tail of names on one or two), texts of 100-300 words with Zipf word frequencies: a small
built-in vocabulary of news words at realistic frequency ranks (function words on top,
"government" in about one article in twelve), invented words for the long tail, the story's
names among them. It
is written through the store layer in bulk (store.batch.Batch for the articles, the schema's
tables for stories, hashtags and understanding), not through fetch, in a minute or two, and
cached under the temporary folder, keyed by its parameters and the schema's migration head, so a
rerun starts serving at once. It is not ANALYZEd, as tagwire's own stores are not.

Each kind of request (popular and rare hashtags, page 1 and deeper pages, searches of words, a
phrase, #Hashtag, outlet:, since:, a very common word) is sent `--requests` times over a few
different URLs, at each client concurrency, after a warm-up; pages are rendered at the data's
fixed `now`. The server is one process (as `tagwire serve` runs), so beyond one request at a time
latency grows with the queue: concurrency 1 shows a request's cost, 4 the throughput. Figures are
printed, never asserted. The target is p95 under 50 ms for /tag and /search. On a 2-core machine
shared with other work the figures are noisy: run twice and quote medians.
"""

from __future__ import annotations

import argparse
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
from sqlalchemy import text
from synthetic_store import cached_store

from tagwire.store import open_store

ROOT = Path(__file__).resolve().parents[1]
NOW_Q = "2025-09-18T12:00:00Z"  # synthetic_store.NOW: pages are rendered at the data's moment
TARGET_MS = 50.0

# serving and measuring ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tagwire_cmd() -> list[str]:
    local = ROOT / ".venv" / "bin" / "tagwire"
    return [str(local)] if local.exists() else [shutil.which("tagwire") or "tagwire"]


def start_server(database: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`tagwire serve` on the store, on a free loopback port; returns once it answers."""
    port = free_port()
    env = dict(os.environ, TAGWIRE_DATABASE=str(database))
    cmd = [*tagwire_cmd(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/api/latest", timeout=5).read()
            return proc, base
        except OSError:
            if proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                sys.exit(f"tagwire serve stopped: {err[-800:]}")
            time.sleep(0.2)
    proc.kill()
    sys.exit("tagwire serve did not answer within 60 s")


@dataclass
class Kind:
    """A kind of request and the few URLs it cycles through."""

    name: str
    paths: list[str]


def kinds(database: Path) -> list[Kind]:
    """The requests measured, with hashtags chosen by how many stories carry them in this store
    and outlets among the biggest and the smallest."""
    repo = open_store(str(database))
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
    name: str
    concurrency: int
    count: int
    p50: float
    p95: float
    rps: float
    errors: int


def measure(base: str, kind: Kind, requests: int, concurrency: int) -> Figures:
    """`requests` GETs cycling through the kind's URLs, `concurrency` at a time, each client
    with its own keep-alive connection; latency is per request, seen by the client."""
    paths = [with_now(p) for p in kind.paths]
    clients = [httpx.Client(base_url=base, timeout=60) for _ in range(concurrency)]
    for c in clients:
        for p in paths:
            c.get(p)  # warm-up: connections open, caches as a running server has them

    def one(i: int) -> tuple[float, int]:
        t = time.perf_counter()
        status = clients[i % concurrency].get(paths[i % len(paths)]).status_code
        return (time.perf_counter() - t) * 1000, status

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(one, range(requests)))
    wall = time.perf_counter() - started
    for c in clients:
        c.close()
    times = sorted(t for t, _ in results)
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    errors = sum(s != 200 for _, s in results)
    return Figures(kind.name, concurrency, len(times), statistics.median(times), p95, requests / wall, errors)


def table(rows: list[Figures]) -> None:
    print(f"\n{'request':<20} {'conc':>4} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7}  target")
    for r in rows:
        ok = "" if not r.name.startswith(("tag", "search")) else ("ok" if r.p95 < TARGET_MS else "MISSED")
        bad = f"  {r.errors} errors" if r.errors else ""
        figures = f"{r.p50:>8.1f} {r.p95:>8.1f} {r.rps:>7.1f}"
        print(f"{r.name:<20} {r.concurrency:>4} {r.count:>5} {figures}  {ok}{bad}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--requests", type=int, default=200, help="requests per kind and concurrency")
    ap.add_argument("--concurrency", default="1,2,4", help="comma-separated client concurrencies")
    ap.add_argument("--only", default="", help="measure only kinds whose name contains this")
    ap.add_argument("--rebuild", action="store_true", help="build the store even if cached")
    args = ap.parse_args()
    database = cached_store(args.articles, args.seed, args.rebuild)
    print(f"store {database} ({database.stat().st_size / 2**20:.0f} MiB)")
    measured = [k for k in kinds(database) if args.only in k.name]
    proc, base = start_server(database)
    rows = []
    try:
        for conc in (int(c) for c in args.concurrency.split(",")):
            for kind in measured:
                rows.append(measure(base, kind, args.requests, conc))
                print(f"  {kind.name} x{conc}: p95 {rows[-1].p95:.1f} ms", file=sys.stderr, flush=True)
    finally:
        proc.terminate()
        proc.wait(10)
    table(rows)


if __name__ == "__main__":
    main()
