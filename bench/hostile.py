#!/usr/bin/env python3
"""Issue 10's "done when" run: a world of 2,000+ broken and hostile feeds on 127.0.0.1, fetched
by one `tagwire fetch`, then served by `tagwire serve` and crawled.

    python bench/hostile.py [--feeds 2000] [--ports 40] [--keep DIR]

The world (tests/hostile_world.py) is variants of every hostile fixture of the test suite
(entity expansion, external entities, deep nesting, gzip bombs, redirects to file:, ftp:,
data: and javascript:, binary bodies, NUL bytes, invalid UTF-8, javascript: and data: links,
megabyte titles, 40,000-item feeds, #fragment permalinks), broken outlets (truncated XML, HTML
instead of a feed, 404/410/429/500, empty bodies, redirect loops, a lying Content-Length,
stalls past the fetch timeout), and the real feeds of ../shared/corpora/real-feeds when present
(their links rewritten to this machine: no request leaves it). Each variant is its own source
with its own article pages; outlets are spread over `--ports` origins, as real outlets have
their own hosts.

It prints, against the issue's targets: the fetch's time (< 300 s) and peak memory (largest
resident set of the fetch and its workers, resource.getrusage; < 1 GiB), tracebacks seen (0),
sources ok / with an error (every source one or the other), then the crawl of every story page,
tag page and a few searches: 5xx answers (0) and pages with a live script (0: no <script> but
ours from /static, no on*= attribute, no javascript:/vbscript:/data: address), and article URLs
stored with another scheme than http(s) (0). Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile_world import (  # noqa: E402  (the repository root is on the path only now)
    SITEMAP_BOMB,
    Reply,
    Routes,
    article_page,
    fixtures,
    headline,
    item,
    live_script,
    opml,
    rss,
    serving,
)

REAL_FEEDS = ROOT.parent / "shared" / "corpora" / "real-feeds"
TARGET_SECONDS, TARGET_BYTES = 300, 1 << 30
SEARCHES = ["harbour", "storm", "alert", "script", '"javascript"', "passwd", "#Harbour", "lol", "bulk"]
WEIGHTS = {  # variants per kind, relative; the heavy kinds (megabytes each) are few
    "many-items": 0.1, "gzip-bomb-encoded": 0.25, "gzip-bomb-body": 0.25, "megabyte-title": 1,
    "deep-xml": 1, "deep-html": 1, "megabyte-author": 1, "stall": 0.15, SITEMAP_BOMB: 0.15,
}  # fmt: skip


# ── broken outlets, besides the hostile fixtures ──────────────────────────────────────────────


def _truncated(base: str, n: int) -> Reply:
    whole = rss("".join(item(base, f"cut-{n}-{i}", headline(f"cut-{n}-{i}")) for i in range(3)))
    return Reply(whole[: len(whole) * (30 + n % 60) // 100])


def _status(code: int, *headers: tuple[str, str]) -> Callable[[str, int], Reply]:
    return lambda base, n: Reply(b"<html><body>Nope</body></html>", "text/html", code, headers)


def _stall(base: str, n: int) -> Reply:
    time.sleep(25)  # past TAGWIRE_FETCH_TIMEOUT (20 s): the source must fail, the run go on
    return Reply(rss(item(base, f"late-{n}", "Too late")))


BROKEN: dict[str, Callable[[str, int], Reply]] = {
    "truncated": _truncated,
    "html-page": lambda base, n: Reply(b"<!doctype html><html><body>We moved</body></html>", "text/html"),
    "status-500": _status(500),
    "status-404": _status(404),
    "status-410": _status(410),
    "status-429": _status(429, ("Retry-After", "120")),
    "empty": lambda base, n: Reply(b""),
    "redirect-loop": lambda base, n: Reply(
        b"", "text/plain", 302, (("Location", f"{base}/v/{n}/b/redirect-loop"),)
    ),
    "lying-length": lambda base, n: Reply(
        b"<rss>", "application/rss+xml", 200, (("Content-Length", "100000"),)
    ),
    "stall": _stall,
}


# ── routes: variants, real feeds with local links ─────────────────────────────────────────────

_VARIANT = re.compile(r"/v/(\d+)/(.*)")
_URL = re.compile(rb"https?://([A-Za-z0-9.-]+)")
_NAMESPACE = re.compile(rb"""xmlns(?::[\w.-]+)?\s*=\s*["']([^"']+)["']""")
_KEEP_HOSTS = (b"jsonfeed.org", b"www.w3.org", b"purl.org")


class WorldRoutes(Routes):
    """The test fixtures' routes, each also under /v/N/ (variant N: its article pages are its
    own), the broken outlets at /v/N/b/KIND, and the real feeds at /real/PATH."""

    def answer(self, path: str, base: str) -> Reply:
        variant = _VARIANT.fullmatch(path)
        if variant is None:
            if path.startswith("/real/"):
                return real_feed(path[6:], base)
            if path.startswith("/ext/"):
                return Reply(article_page(base, path[5:]), "text/html; charset=utf-8")
            return super().answer(path, base)
        n, rest = int(variant.group(1)), "/" + variant.group(2)
        if rest.startswith("/b/"):
            return BROKEN[rest[3:]](base, n)
        reply = super().answer(rest, base)
        if "gzip" in reply.content_type or any(k == "Content-Encoding" for k, _ in reply.headers):
            return reply
        return Reply(reply.body.replace(b"/page/", f"/page/v{n}-".encode()), *_rest(reply))


def _rest(reply: Reply) -> tuple[str, int, tuple[tuple[str, str], ...]]:
    return reply.content_type, reply.status, reply.headers


def real_files() -> list[Path]:
    if not REAL_FEEDS.is_dir():
        return []
    skip = ("serde.json", "LICENSE", "LICENSE-MIT", "SOURCE.txt")
    found = [p for p in REAL_FEEDS.rglob("*") if p.is_file() and not p.name.endswith(skip)]
    return sorted(p for p in found if "output" not in p.parts)


def real_feed(relative: str, base: str) -> Reply:
    """A real feed with every address pointed at this server (/ext/HOST/...), namespaces kept."""
    path = (REAL_FEEDS / unquote(relative)).resolve()
    if REAL_FEEDS.resolve() not in path.parents or not path.is_file():
        return Reply(b"no such feed", "text/plain", 404)
    body = path.read_bytes()
    keep = set(_NAMESPACE.findall(body))

    def local(m: re.Match[bytes]) -> bytes:
        if m.group(1) in _KEEP_HOSTS or any(body.startswith(ns, m.start()) for ns in keep):
            return m.group(0)
        return f"{base}/ext/".encode() + m.group(1)

    return Reply(_URL.sub(local, body), "application/xml")


# ── the world ─────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Outlet:
    kind: str
    path: str  # on its server
    port: int  # index of its server
    is_sitemap: bool = False


def plan(feeds: int, ports: int) -> list[Outlet]:
    """At least `feeds` sources: the real feeds once each, the rest variants of every kind."""
    kinds = [f.path for f in fixtures()] + [f"/b/{k}" for k in BROKEN]
    reals = [f"/real/{quote(str(p.relative_to(REAL_FEEDS)))}" for p in real_files()]
    weight = {k: WEIGHTS.get(k.rsplit("/", 1)[-1], 3.0) for k in kinds}
    per_unit = max(0, feeds - len(reals)) / sum(weight.values())
    outlets = [Outlet("real-feed", path, i % ports) for i, path in enumerate(reals)]
    n = 0
    for kind in kinds:
        for _ in range(max(1, math.ceil(weight[kind] * per_unit))):
            n += 1
            name = kind.rsplit("/", 1)[-1]
            outlets.append(Outlet(name, f"/v/{n}{kind}", n % ports, is_sitemap=name == SITEMAP_BOMB))
    return outlets


@contextmanager
def servers(count: int) -> Iterator[list[str]]:
    with ExitStack() as stack:
        yield [stack.enter_context(serving(WorldRoutes())).base for _ in range(count)]


# ── running tagwire ───────────────────────────────────────────────────────────────────────────


def tagwire_cmd() -> list[str]:
    local = ROOT / ".venv" / "bin" / "tagwire"
    return [str(local)] if local.exists() else [shutil.which("tagwire") or "tagwire"]


def run(env: dict[str, str], *args: str, timeout: float = 3600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*tagwire_cmd(), *args], env=env, capture_output=True, text=True, timeout=timeout)


def add_sources(env: dict[str, str], work: Path, bases: list[str], outlets: list[Outlet]) -> None:
    feeds = [bases[o.port] + o.path for o in outlets if not o.is_sitemap]
    (work / "world.opml").write_text(opml(feeds))
    for (
        args
    ) in (  # --anyway: the hostile feeds are followed on purpose, to measure what fetching makes of them
        ["add", "--anyway", str(work / "world.opml")],
        ["add", "--anyway", *(bases[o.port] + o.path for o in outlets if o.is_sitemap)],
    ):
        done = run(env, *args)
        if done.returncode != 0:
            sys.exit(f"tagwire {args[0]} failed: {done.stderr[-2000:]}")


@dataclass
class Fetched:
    seconds: float
    peak_bytes: int
    tracebacks: int
    status: int
    tail: str
    summary: str


def fetch(env: dict[str, str]) -> Fetched:
    """One `tagwire fetch`; its peak memory is the largest resident set among the finished
    children of this process (the fetch and its extraction and understanding workers)."""
    started = time.monotonic()
    done = run(env, "fetch")
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # kilobytes on Linux
    output = done.stdout + done.stderr
    start = done.stderr.find("fetched ")  # the run's one-paragraph summary, if it printed one
    summary = " ".join(done.stderr[start:].split("\n\n")[0].split()) if start >= 0 else ""
    return Fetched(seconds, peak, output.count("Traceback"), done.returncode, done.stderr[-1500:], summary)


def source_statuses(env: dict[str, str]) -> Counter[str]:
    rows = [line.split("\t") for line in run(env, "sources").stdout.splitlines() if line.strip()]
    return Counter(row[2].split(" ")[0] for row in rows if len(row) > 2 and row[0] != "id")


# ── serving and crawling ──────────────────────────────────────────────────────────────────────


@contextmanager
def served(env: dict[str, str]) -> Iterator[tuple[str, list[str]]]:
    """`tagwire serve` on a free port; yields its base URL and, at the end, its stderr lines."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base, lines = f"http://127.0.0.1:{port}", list[str]()
    with tempfile.TemporaryFile(mode="w+") as log:
        command = [*tagwire_cmd(), "serve", "--port", str(port)]
        proc = subprocess.Popen(command, env=env, stdout=log, stderr=log, text=True)
        try:
            _wait(base, proc)
            yield base, lines
        finally:
            proc.terminate()
            proc.wait(30)
            log.seek(0)
            lines += log.read().splitlines()


def _wait(base: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            httpx.get(base + "/", timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    sys.exit("tagwire serve did not answer within 60 s")


def crawl_paths(database: Path) -> list[str]:
    with sqlite3.connect(database) as conn:
        stories = [i for (i,) in conn.execute("SELECT id FROM stories ORDER BY id")]
        tags = [t for (t,) in conn.execute("SELECT DISTINCT tag FROM hashtags ORDER BY tag")]
    paths = ["/", "/sources", *(f"/story/{i}" for i in stories), *(f"/tag/{quote(t)}" for t in tags)]
    return paths + [f"/search?q={quote(q)}" for q in SEARCHES]


@dataclass
class Crawl:
    pages: int = 0
    server_errors: int = 0
    client_errors: int = 0
    live: int = 0
    seconds: float = 0.0
    example: str = ""
    failure: str = ""


def crawl(base: str, paths: list[str]) -> Crawl:
    result, started = Crawl(), time.monotonic()
    with httpx.Client(base_url=base, timeout=60) as client, ThreadPoolExecutor(4) as pool:
        for path, status, found in pool.map(lambda p: _visit(client, p), paths):
            result.pages += 1
            result.server_errors += status >= 500
            result.client_errors += 400 <= status < 500
            if status >= 500:
                result.failure = result.failure or f"{path}: {status} {found[:1]}"
            elif found:
                result.live += 1
                result.example = result.example or f"{path}: {found[:3]}"
    result.seconds = time.monotonic() - started
    return result


def _visit(client: httpx.Client, path: str) -> tuple[str, int, list[str]]:
    """A page's status and live scripts; a connection the server broke counts as a 599."""
    try:
        response = client.get(path)
    except httpx.TransportError as error:
        return path, 599, [f"no answer: {error!r}"]
    return path, response.status_code, live_script(response.text) if response.status_code < 500 else []


def stored_script_urls(database: Path) -> int:
    with sqlite3.connect(database) as conn:
        rows = conn.execute("SELECT url, coalesce(listed_url, url) FROM articles").fetchall()
    return sum(1 for url, listed in rows if not (url.startswith("http") and listed.startswith("http")))


# ── the report ────────────────────────────────────────────────────────────────────────────────


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--feeds", type=int, default=2000, help="sources in the world, at least")
    ap.add_argument("--ports", type=int, default=40, help="origins (servers) the outlets are spread over")
    ap.add_argument("--keep", type=Path, help="keep the database in this folder")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="tagwire-hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    database = work / "hostile.db"
    database.unlink(missing_ok=True)
    env = {**os.environ, "TAGWIRE_DATABASE": str(database), "TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1"}
    outlets = plan(args.feeds, args.ports)
    print(f"world: {len(outlets)} sources on {args.ports} origins ({len(real_files())} real feeds); {work}")
    print("  " + ", ".join(f"{k} {n}" for k, n in sorted(Counter(o.kind for o in outlets).items())))
    with servers(args.ports) as bases:
        add_sources(env, work, bases, outlets)
        fetched = fetch(env)
    statuses = source_statuses(env)
    report_fetch(fetched, statuses, len(outlets))
    with served(env) as (base, log):
        crawled = crawl(base, crawl_paths(database))
    report_crawl(crawled, log, stored_script_urls(database))
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


def report_fetch(f: Fetched, statuses: Counter[str], sources: int) -> None:
    ok, failing = statuses.get("ok", 0), sum(statuses.get(s, 0) for s in ("error", "held", "failing"))
    print(f"\nfetch: {f.seconds:.1f} s (target < {TARGET_SECONDS} s: {verdict(f.seconds < TARGET_SECONDS)}), "
          f"exit status {f.status}")  # fmt: skip
    peak = f"{f.peak_bytes / 2**20:.0f} MiB"
    print(f"peak memory of the fetch: {peak} (target < 1 GiB: {verdict(f.peak_bytes < TARGET_BYTES)})")
    print(f"tracebacks: {f.tracebacks} ({verdict(f.tracebacks == 0)})")
    print(f"sources: {ok} ok, {failing} with an error, {sources - ok - failing} neither "
          f"({verdict(ok + failing == sources)})")  # fmt: skip
    print(f"  {f.summary[:400]}")
    if f.status != 0 or f.tracebacks:
        print(f.tail)


def report_crawl(c: Crawl, log: list[str], script_urls: int) -> None:
    tracebacks = sum("Traceback" in line for line in log)
    errors = f"5xx: {c.server_errors} ({verdict(c.server_errors == 0)}), 4xx: {c.client_errors}"
    print(f"crawl: {c.pages} pages in {c.seconds:.1f} s; {errors}; server tracebacks: {tracebacks}")
    if c.failure:
        print(f"  first 5xx: {c.failure}; server log: {' | '.join(log[-8:])[-1500:]}")
    print(f"pages with a live script: {c.live} ({verdict(c.live == 0)}) {c.example}")
    print(f"article URLs not http(s): {script_urls} ({verdict(script_urls == 0)})")


if __name__ == "__main__":
    main()
