"""A full disk under a SQLite store: the command that meets it says so in one line (the cause and
the database's path, no traceback) and exits non-zero; the database stays intact (`PRAGMA
integrity_check`); once space is freed, the next run completes and stores what was missing.

The disk is a tmpfs of a few MiB mounted by the test (root only; skipped with the reason where
mounting is not permitted); a filler file leaves only a little of it free, and deleting the filler
frees the space again. The outlets are tests/soakworld.py's, served on loopback."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.soakworld import World, build_world, feed_urls, serving

pytestmark = pytest.mark.slow  # fetch and understand load the language model
DISK_MIB = 8  # room enough for the world below, understood
HEADROOM = 256 * 1024  # what the filler leaves free: less than one fetch or one batch writes


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of DISK_MIB MiB, mounted for this test only."""
    where = tmp_path / "disk"
    where.mkdir()
    if not sys.platform.startswith("linux"):
        pytest.skip("mounting a tmpfs needs Linux")
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={DISK_MIB}m", "tmpfs", str(where)],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    except FileNotFoundError:
        pytest.skip("no `mount` command here")
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here (root and CAP_SYS_ADMIN needed): {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, timeout=30)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("world"), outlets=10, per_outlet=20, seed=3)


def tagwire(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TAGWIRE_DATABASE": str(db), "TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "tagwire", *args], env=env, capture_output=True, text=True, timeout=300
    )


def fill(disk: Path) -> Path:
    """Leave HEADROOM bytes free on `disk`; returns the filler file (delete it to free the space)."""
    st = os.statvfs(disk)
    filler = disk / "filler"
    with filler.open("wb") as f:
        f.truncate(0)
        f.write(b"\0" * max(0, st.f_bavail * st.f_frsize - HEADROOM))
    return filler


def one_line_naming_the_full_disk(result: subprocess.CompletedProcess[str], db: Path) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output[-3000:]
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output[-3000:]
    said = lines[0].lower()
    assert ("disk" in said and "full" in said) or "no space" in said, lines[0]
    assert str(db) in lines[0], lines[0]


def store(db: Path) -> tuple[str, dict[str, int]]:
    """`PRAGMA integrity_check`'s answer and the articles by status, read with sqlite3 itself."""
    with sqlite3.connect(db) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        statuses = dict(conn.execute("SELECT status, count(*) FROM articles GROUP BY status").fetchall())
    conn.close()
    return integrity, statuses


def stats(db: Path) -> dict[str, int]:
    result = tagwire(db, "stats", "--json")
    assert result.returncode == 0, result.stderr
    data: dict[str, int] = json.loads(result.stdout)
    return data


def test_a_fetch_that_fills_the_disk_stops_with_one_line_and_the_next_completes(
    disk: Path, world: World
) -> None:
    db = disk / "tw.db"
    with serving(world) as servers:
        assert tagwire(db, "add", *feed_urls(servers)).returncode == 0
        filler = fill(disk)
        one_line_naming_the_full_disk(tagwire(db, "fetch"), db)
        integrity, statuses = store(db)
        assert integrity == "ok" and set(statuses) <= {"pending", "done"}, statuses
        assert sum(statuses.values()) < len(world.articles)  # the disk was full before the end
        filler.unlink()
        again = tagwire(db, "fetch")
        assert again.returncode == 0, again.stderr[-3000:]
    assert store(db) == ("ok", {"done": len(world.articles)})
    assert stats(db)["pending"] == 0


def test_understanding_on_a_full_disk_stops_with_one_line_and_resumes(disk: Path, world: World) -> None:
    db = disk / "tw.db"
    with serving(world) as servers:
        assert tagwire(db, "add", *feed_urls(servers)).returncode == 0
        fetched = tagwire(db, "fetch", "--no-understand")
        assert fetched.returncode == 0, fetched.stderr[-3000:]
    assert store(db) == ("ok", {"pending": len(world.articles)})
    filler = fill(disk)
    one_line_naming_the_full_disk(tagwire(db, "understand"), db)
    integrity, statuses = store(db)
    assert integrity == "ok" and statuses.get("pending", 0) > 0
    assert set(statuses) <= {"pending", "done"}, statuses  # a full disk is no article's fault
    assert sum(statuses.values()) == len(world.articles)
    filler.unlink()
    again = tagwire(db, "understand")
    assert again.returncode == 0, again.stderr[-3000:]
    assert store(db) == ("ok", {"done": len(world.articles)})
