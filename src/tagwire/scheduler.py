"""`tagwire run`: the scheduler and the web server in one process.

Each source is checked when its next check comes (after a success: as often as it publishes;
after errors: an exponential, capped backoff, and never before a server's Retry-After); what is new
is understood in a worker thread so the pages stay responsive; then new stories go out to the
webhooks of follows, and alert retries are sent as they come due (serve/alerts.py). SIGTERM or
SIGINT stops both: the web server closes, the fetch in flight is cancelled between two
transactions, and understanding finishes the batch it is on. Nothing is half written; the next
start resumes with whatever is due or pending.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import threading
from collections.abc import Callable, Coroutine, Iterator
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

import uvicorn

from tagwire.app import alerts
from tagwire.app.fetching import Fetching
from tagwire.app.reading import FeedReaders
from tagwire.app.understanding import understand_pending
from tagwire.config import Settings
from tagwire.errors import StoreError
from tagwire.ingest.robots import RobotsCache
from tagwire.ingest.workers import Extractors
from tagwire.procs import ignore_stop_signals
from tagwire.serve.app import address, create_app, listen, server_config
from tagwire.store import Repository

if TYPE_CHECKING:
    from tagwire.understand.engine import Understander

IDLE_POLL = 30.0  # seconds between looks at the schedule when nothing is due
STORE_RETRY = 60.0  # seconds before a cycle that the database failed (disk full...) is tried again


class _QuietServer(uvicorn.Server):
    """uvicorn without its own signal handling: `run` owns the signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def run(repo: Repository, settings: Settings, host: str, port: int, report: Callable[[str], None]) -> None:
    """Listen on host:port (CannotListen at once when it cannot), then serve and fetch."""
    sock = listen(host, port)
    asyncio.run(_main(repo, settings, sock, report))
    ignore_stop_signals()  # stopped cleanly: a signal sent again is no death (see procs)


async def _main(
    repo: Repository, settings: Settings, sock: socket.socket, report: Callable[[str], None]
) -> None:
    stop = asyncio.Event()
    halted = threading.Event()  # the same, for the understanding thread
    loop = asyncio.get_running_loop()

    def on_signal() -> None:
        stop.set()
        halted.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, on_signal)
    host, port = sock.getsockname()[:2]
    server = _QuietServer(server_config(create_app(settings, repo), host, port))
    web = asyncio.create_task(server.serve(sockets=[sock]))
    while not (server.started or web.done()):
        await asyncio.sleep(0.05)
    report(f"serving {address(sock)}/ ; fetching sources as they come due (Ctrl-C to stop)")
    await _schedule(repo, settings, stop, halted, report)
    server.should_exit = True
    await web
    report("stopped cleanly")


async def _schedule(
    repo: Repository,
    settings: Settings,
    stop: asyncio.Event,
    halted: threading.Event,
    report: Callable[[str], None],
) -> None:
    from tagwire.understand.engine import Understander

    # kept across cycles: the extraction and feed-reading processes (started once), the
    # robots.txt rules (read once an hour per origin, not once a cycle) and the understanding's
    # caches and workers
    extractors, readers, robots, understander = (
        Extractors.per_setting(settings.extract_processes, settings.extract_budget),
        FeedReaders.per_setting(settings.read_processes),
        RobotsCache(),
        Understander(repo, settings),
    )
    try:
        while not stop.is_set():
            try:
                kept = (extractors, readers, robots, understander)
                await _cycle(repo, settings, stop, halted, report, kept)
            except StoreError as error:  # a full disk, a database gone: the pages go on serving
                report(f"error: {error}; trying again in {STORE_RETRY:g} s")
                await _sleep(stop, STORE_RETRY)
    finally:
        extractors.close()
        await readers.aclose()
        understander.close()


async def _cycle(
    repo: Repository,
    settings: Settings,
    stop: asyncio.Event,
    halted: threading.Event,
    report: Callable[[str], None],
    kept: tuple[Extractors, FeedReaders, RobotsCache, Understander],
) -> None:
    """Fetch what is due, understand what is new, send alerts, then wait for the next due time."""
    extractors, readers, robots, understander = kept
    due = repo.fetchable_sources(datetime.now(UTC), due_only=True)
    if due:
        fetching = Fetching(repo, settings, extractors=extractors, readers=readers, robots=robots)
        await _until_stopped(fetching.fetch(due), stop)
        understood = partial(understand_pending, understander=understander)
        n = await asyncio.to_thread(understood, repo, settings, None, halted.is_set)
        report(f"checked {len(due)} sources, understood {n} new articles")
    await _until_stopped(_alerts(repo, settings, report), stop)
    await _sleep(stop, _seconds_to_next(repo))


async def _alerts(repo: Repository, settings: Settings, report: Callable[[str], None]) -> None:
    """New stories to followers' webhooks, and retries that have come due."""
    sent = await alerts.run_alerts(repo, settings)
    if sent.busy:
        report(str(sent))


async def _until_stopped(work: Coroutine[Any, Any, object], stop: asyncio.Event) -> None:
    """Run the fetch, cancelling it (between two transactions) when stop is set."""
    task = asyncio.create_task(work)
    stopper = asyncio.create_task(stop.wait())
    await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    for t in (task, stopper):
        t.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _seconds_to_next(repo: Repository) -> float:
    upcoming = min(filter(None, (repo.next_check(), alerts.next_attempt(repo))), default=None)
    if upcoming is None:
        return IDLE_POLL
    return max(1.0, min(IDLE_POLL, (upcoming - datetime.now(UTC)).total_seconds()))


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
