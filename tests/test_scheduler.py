"""`tagwire run` in a real process: it fetches what is due, serves the pages, and stops cleanly
on SIGTERM with the store consistent; `schedule` computes backoff and Retry-After holds."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tagwire.demo.server import SampleServer
from tagwire.ingest import schedule
from tagwire.store import open_store
from tests.webserver import free_port

T0 = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def test_backoff_doubles_and_is_capped() -> None:
    gaps = [schedule.after_error(T0, 600, n, None)[0] - T0 for n in range(10)]
    assert gaps[:4] == [
        timedelta(minutes=10),
        timedelta(minutes=20),
        timedelta(minutes=40),
        timedelta(minutes=80),
    ]
    assert gaps[-1] == schedule.MAX_BACKOFF


INTERVALS = schedule.Intervals.of(1800, 300, 6 * 3600)


def hourly(n: int, newest: datetime) -> list[datetime]:
    return [newest - timedelta(hours=i) for i in range(n)]


def test_next_check_follows_how_often_a_source_publishes() -> None:
    assert schedule.after_success(T0, INTERVALS, hourly(10, T0)) == T0 + timedelta(hours=1)
    every_minute = [T0 - timedelta(minutes=i) for i in range(30)]
    assert schedule.after_success(T0, INTERVALS, every_minute) == T0 + timedelta(minutes=5)  # the floor
    weekly = [T0 - timedelta(days=7 * i) for i in range(4)]
    assert schedule.after_success(T0, INTERVALS, weekly) == T0 + timedelta(hours=6)  # the ceiling


def test_a_source_gone_quiet_is_checked_less_often() -> None:
    quiet = hourly(10, T0 - timedelta(hours=3))  # hourly, but nothing for three hours
    assert schedule.publishing_interval(T0, quiet) == timedelta(hours=3)


def test_without_a_rhythm_the_previous_or_usual_interval_holds() -> None:
    future = [T0 + timedelta(hours=1), T0 + timedelta(hours=2)]  # dates in the future do not count
    assert schedule.publishing_interval(T0, [T0]) is None and schedule.publishing_interval(T0, future) is None
    assert schedule.after_success(T0, INTERVALS, [], timedelta(hours=2)) == T0 + timedelta(hours=2)
    assert schedule.after_success(T0, INTERVALS) == T0 + timedelta(minutes=30)
    assert schedule.previous_interval(T0, T0 + timedelta(hours=2)) == timedelta(hours=2)
    assert schedule.previous_interval(None, T0) is None and schedule.previous_interval(T0, T0) is None


def test_retry_after_holds_longer_than_backoff() -> None:
    next_check, hold = schedule.after_error(T0, 60, 0, 7200.0)
    assert hold == T0 + timedelta(hours=2) and next_check == hold
    assert schedule.after_error(T0, 60, 0, None)[1] is None


@pytest.mark.slow
def test_run_fetches_serves_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    db, port = str(tmp_path / "tw.db"), free_port()
    env = {**os.environ, "TAGWIRE_DATABASE": db, "TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1"}
    with SampleServer() as sample:
        repo = open_store(db)
        for url in sample.feed_urls():
            repo.add_source(url, now=datetime.now(UTC))
        proc = subprocess.Popen(
            [sys.executable, "-m", "tagwire", "run", "--port", str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            latest = wait_for_stories(port)
        finally:
            proc.send_signal(signal.SIGTERM)
            _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "stopped cleanly" in err and "Traceback" not in err
    assert latest["stories"]
    stats = open_store(db).stats()
    assert stats["articles"] == 13 and stats["pending"] == 0
    assert all(s.next_check and s.next_check > datetime.now(UTC) for s in open_store(db).sources())


@pytest.mark.slow
def test_run_sent_sigterm_again_and_again_stops_once_with_status_0(tmp_path: Path) -> None:
    """SIGTERM every 20 ms until `tagwire run` has exited: one arrives while Python finalizes,
    which gives a signal handled by the event loop its default action back (status -15 before)."""
    env = {**os.environ, "TAGWIRE_DATABASE": str(tmp_path / "tw.db")}
    argv = [sys.executable, "-m", "tagwire", "run", "--port", str(free_port())]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    started = ""
    while "serving" not in started and proc.poll() is None:  # then its handlers are in place
        started = proc.stderr.readline()
    end = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < end:
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGTERM)
        time.sleep(0.02)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "stopped cleanly" in err and "Traceback" not in err


def wait_for_stories(port: int) -> dict[str, list[object]]:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/latest", timeout=5) as r:
                data: dict[str, list[object]] = json.loads(r.read())
            if len(data["stories"]) >= 4:  # the sample's four events
                return data
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError("tagwire run did not serve stories in time")
