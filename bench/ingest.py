#!/usr/bin/env python3
"""Ingest benchmark: builds a ../shared/newsworld world, serves it on loopback, and runs
`tagwire add sources.opml` then `tagwire fetch` (full ingest: feeds, article pages, extraction,
understanding) in a fresh database. Prints articles/s, peak memory (RSS) of the tagwire process,
and the time of a second fetch of the unchanged world (every feed should answer 304).

    python bench/ingest.py [--outlets 40] [--synthetic 0] [--per-feed 50] [--feeds-only]

Figures are printed, never asserted; run it on an otherwise idle machine and quote medians of
several runs when comparing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWSWORLD = ROOT.parent / "shared" / "newsworld" / "newsworld.py"


def tagwire_cmd(explicit: str | None) -> list[str]:
    if explicit:
        return explicit.split()
    local = ROOT / ".venv" / "bin" / "tagwire"
    return [str(local)] if local.exists() else [shutil.which("tagwire") or "tagwire"]


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Run cmd; (wall seconds, peak RSS in MiB, exit status) of that process alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if status:
        print(f"  {' '.join(cmd[-3:])} exited {status}: {stderr[-800:]}", file=sys.stderr)
    return wall, usage.ru_maxrss / 1024, status


def build_world(args: argparse.Namespace) -> Path:
    world = Path(tempfile.gettempdir()) / f"tagwire-bench-nw-{args.outlets}-{args.synthetic}-{args.per_feed}"
    if not (world / "truth.jsonl").exists():
        build = [
            sys.executable,
            str(NEWSWORLD),
            "build",
            str(world),
            "--outlets",
            str(args.outlets),
            "--synthetic",
            str(args.synthetic),
            "--per-feed",
            str(args.per_feed),
        ]
        subprocess.run(build, check=True, capture_output=True)
    return world


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--outlets", type=int, default=40)
    ap.add_argument("--synthetic", type=int, default=0)
    ap.add_argument("--per-feed", type=int, default=50)
    ap.add_argument("--feeds-only", action="store_true", help="feed items only (no article pages)")
    ap.add_argument("--tagwire", help="the tagwire command (default: .venv/bin/tagwire)")
    args = ap.parse_args()
    if not NEWSWORLD.exists():
        sys.exit(f"needs {NEWSWORLD} (../shared is not here)")
    world = build_world(args)
    listed = sum(1 for _ in (world / "truth.jsonl").open())
    server = subprocess.Popen(
        [sys.executable, str(NEWSWORLD), "serve", str(world)], stdout=subprocess.PIPE, text=True
    )
    try:
        base = server.stdout.readline().split()[1] if server.stdout else ""
        run(args, world, base, listed)
    finally:
        server.terminate()


def run(args: argparse.Namespace, world: Path, base: str, listed: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="tagwire-bench-"))
    import urllib.request

    (tmp / "sources.opml").write_bytes(urllib.request.urlopen(base + "/sources.opml").read())
    env = dict(os.environ, TAGWIRE_DATABASE=str(tmp / "tw.db"), TAGWIRE_ALLOW_PRIVATE_NETWORKS="1")
    tw = tagwire_cmd(args.tagwire)
    subprocess.run([*tw, "add", str(tmp / "sources.opml")], env=env, check=True, capture_output=True)
    fetch = [*tw, "fetch", *(["--feeds-only"] if args.feeds_only else [])]
    first, rss1, _ = timed(fetch, env)
    second, rss2, _ = timed(fetch, env)
    stats = json.loads(
        subprocess.run([*tw, "stats", "--json"], env=env, capture_output=True, text=True).stdout or "{}"
    )
    n = stats.get("articles", 0)
    mode = "feed-only" if args.feeds_only else "full"
    print(f"world: {args.outlets} outlets, {listed} listed items ({world})")
    print(
        f"{mode} ingest: {n} articles, {stats.get('stories', 0)} stories in {first:.1f} s "
        f"= {n / first:.1f} articles/s "
        f"(process start included); peak RSS {rss1:.0f} MiB"
    )
    print(
        f"second fetch of the unchanged world: {second:.2f} s = {second / first:.1%} of the first; "
        f"peak RSS {rss2:.0f} MiB"
    )
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
