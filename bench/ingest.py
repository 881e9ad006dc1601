#!/usr/bin/env python3
"""Ingest benchmark: builds and serves ../shared/newsworld worlds on loopback and prints, in one
run, tagwire's figures beside those of the feed reader `reader` (3.x) on the same served world:

- feed-only ingest (`fetch --feeds-only --no-understand`): entries/s, and the ratio to reader's
  `update_feeds(workers=8)`, which also stores entries without understanding them;
- `understand` on those items: items/s;
- a second feed-only fetch of the unchanged world (all 304s): its share of the first;
- full ingest (`fetch`: pages fetched, extracted, understood) on a smaller world: articles/s;
- peak memory (RSS): of the largest process, and of a command's processes together (its
  extraction and preparing workers), sampled every 0.1 s.

    python bench/ingest.py [--outlets 200 --synthetic 5000 --per-feed 100] [--full-outlets 40]
                           [--reader-python PY]   (a Python with reader 3.x; default: this one)

Figures are printed, never asserted. Process start is included in every time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
NEWSWORLD = ROOT.parent / "shared" / "newsworld" / "newsworld.py"
READER = """
import re, sys, time
from reader import make_reader
r = make_reader(sys.argv[1])
for u in re.findall(r'xmlUrl="([^"]+)"', open(sys.argv[2]).read()):
    r.add_feed(u)
t = time.perf_counter(); r.update_feeds(workers=8); print(r.get_entry_counts().total, time.perf_counter() - t)
"""


def tagwire_cmd() -> list[str]:
    local = ROOT / ".venv" / "bin" / "tagwire"
    return [str(local)] if local.exists() else [shutil.which("tagwire") or "tagwire"]


class Run(NamedTuple):
    wall: float  # seconds
    rss: float  # peak RSS of the largest process, MiB (the kernel's accounting)
    tree: float  # peak RSS of the process and its workers together, MiB (sampled)
    out: str


def timed(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """One process's wall time, peak memory and stdout. The kernel's accounting (wait4) gives the
    peak of the largest process of the tree; what the process and its workers (extraction,
    preparing) hold together is sampled every SAMPLE seconds."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=err)
        tree = TreeRss(proc.pid)
        tree.start()
        out = proc.stdout.read().decode() if proc.stdout else ""
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        tree.stop.set()
        tree.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err.seek(0)
            sys.exit(f"{' '.join(cmd[:3])} failed ({proc.returncode}): {err.read().decode()[-800:]}")
    return Run(wall, usage.ru_maxrss / 1024, max(tree.peak, usage.ru_maxrss * 1024) / 2**20, out)


SAMPLE = 0.1


class TreeRss(threading.Thread):
    """The peak, in bytes, of the summed RSS of a process and its descendants (from /proc)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(SAMPLE):
            self.peak = max(self.peak, sum(_rss(p) for p in _tree(self.pid)))


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


class World:
    def __init__(self, outlets: int, synthetic: int, per_feed: int) -> None:
        self.dir = Path(tempfile.gettempdir()) / f"tagwire-bench-nw-{outlets}-{synthetic}-{per_feed}"
        if not (self.dir / "truth.jsonl").exists():
            build = [sys.executable, str(NEWSWORLD), "build", str(self.dir), "--outlets", str(outlets),
                     "--synthetic", str(synthetic), "--per-feed", str(per_feed)]  # fmt: skip
            subprocess.run(build, check=True, capture_output=True)
        self.listed = sum(1 for _ in (self.dir / "truth.jsonl").open())

    def __enter__(self) -> Path:
        self.server = subprocess.Popen(
            [sys.executable, str(NEWSWORLD), "serve", str(self.dir)], stdout=subprocess.PIPE, text=True
        )
        base = self.server.stdout.readline().split()[1] if self.server.stdout else ""
        opml = Path(tempfile.mkdtemp(prefix="tagwire-bench-")) / "sources.opml"
        opml.write_bytes(urllib.request.urlopen(base + "/sources.opml").read())
        return opml

    def __exit__(self, *_: object) -> None:
        self.server.terminate()


def env_for(folder: Path) -> dict[str, str]:
    return dict(os.environ, TAGWIRE_DATABASE=str(folder / "tw.db"), TAGWIRE_ALLOW_PRIVATE_NETWORKS="1")


def feeds_only(args: argparse.Namespace) -> None:
    world = World(args.outlets, args.synthetic, args.per_feed)
    with world as opml:
        tmp, tw = opml.parent, tagwire_cmd()
        reader = timed([args.reader_python, "-c", READER, str(tmp / "reader.sqlite"), str(opml)])
        n_r, t_r = reader.out.split()
        env = env_for(tmp)
        subprocess.run([*tw, "add", str(opml)], env=env, check=True, capture_output=True)
        fetched = timed([*tw, "fetch", "--feeds-only", "--no-understand"], env)
        second = timed([*tw, "fetch", "--feeds-only", "--no-understand"], env).wall
        n = json.loads(timed([*tw, "stats", "--json"], env).out)["articles"]
        understood = timed([*tw, "understand"], env)
    first, und = fetched.wall, understood.wall
    rate_r, rate_t = int(n_r) / float(t_r), n / first
    print(f"world: {args.outlets} outlets, {world.listed} listed items")
    print(
        f"feed-only ingest: tagwire {n} articles in {first:.1f} s = {rate_t:.0f}/s "
        f"({memory(fetched)}); "
        f"reader {n_r} entries in {float(t_r):.1f} s = {rate_r:.0f}/s ({memory(reader)}); "
        f"ratio {rate_t / rate_r:.2f}"
    )
    print(
        f"second feed-only fetch (unchanged world, 304s): {second:.2f} s = {second / first:.0%} of the first"
    )
    print(f"understand: {n} items in {und:.1f} s = {n / und:.0f} items/s ({memory(understood)})")


def memory(run: Run) -> str:
    return f"peak RSS {run.rss:.0f} MiB, with its workers {run.tree:.0f} MiB"


def full(args: argparse.Namespace) -> None:
    world = World(args.full_outlets, 0, 50)
    with world as opml:
        env, tw = env_for(opml.parent), tagwire_cmd()
        subprocess.run([*tw, "add", str(opml)], env=env, check=True, capture_output=True)
        fetched = timed([*tw, "fetch"], env)
        stats = json.loads(timed([*tw, "stats", "--json"], env).out)
    wall = fetched.wall
    n = stats["articles"]
    print(
        f"full ingest ({args.full_outlets} outlets, {world.listed} listed): {n} articles, {stats['stories']} "
        f"stories in {wall:.1f} s = {n / wall:.1f} articles/s ({memory(fetched)})"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--outlets", type=int, default=200)
    ap.add_argument("--synthetic", type=int, default=5000)
    ap.add_argument("--per-feed", type=int, default=100)
    ap.add_argument("--full-outlets", type=int, default=40)
    ap.add_argument("--reader-python", default=sys.executable)
    args = ap.parse_args()
    if not NEWSWORLD.exists():
        sys.exit(f"needs {NEWSWORLD} (../shared is not here)")
    feeds_only(args)
    full(args)


if __name__ == "__main__":
    main()
