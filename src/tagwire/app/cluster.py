"""`tagwire worker`: one worker of a cluster on one PostgreSQL. Any number of them, on any number
of machines, take the jobs of app/jobs.py from procrastinate's queue (in tagwire's own database):
the scheduling of due sources runs as a periodic job that whichever worker is free takes, so no
machine is special and any worker may be stopped, killed or added at any time.

A worker keeps its extraction processes, robots.txt rules and language model from job to job.
When the database goes away (a restart, a network cut), the worker says so in one line, waits,
and connects again; its unfinished job is taken up by the cluster once its heartbeat is stale.
SIGTERM or SIGINT stops it after the jobs in hand (at most SHUTDOWN seconds).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable

from procrastinate import PsycopgConnector
from procrastinate.schema import SchemaManager
from procrastinate.worker import Worker

from tagwire.app import jobs
from tagwire.config import Settings
from tagwire.mainthread import MainThread
from tagwire.procs import ignore_stop_signals
from tagwire.store import Repository

RECONNECT = 5.0  # seconds between attempts to reach the database again
SHUTDOWN = 20.0  # seconds the jobs in hand get to finish when the worker is asked to stop
CONCURRENCY = 4  # jobs one worker runs at once (fetches wait on the network; one understands at a time)

Report = Callable[[str], None]


def prepare_queue(repo: Repository) -> bool:
    """Create the job queue's tables in the database unless they are there (`tagwire migrate`,
    and each worker at its start); whether they were created."""
    return repo.ensure_job_queue(SchemaManager.get_schema())


def run_worker(repo: Repository, settings: Settings, report: Report, concurrency: int = CONCURRENCY) -> None:
    """Take jobs until SIGTERM or SIGINT. The job engine runs in a thread; the main thread
    prepares the batches the worker prepares itself (TAGWIRE_UNDERSTAND_PROCESSES=0), where their
    time budget holds (mainthread.py), and receives the signals that stop the worker."""
    prepare_queue(repo)  # a ConfigError on SQLite: a cluster needs PostgreSQL
    jobs.retries(settings)
    _quiet_logging()
    main, stopping = MainThread(), _Stopping()
    for sig in (signal.SIGTERM, signal.SIGINT):  # asked while the model loads: stops at once after
        signal.signal(sig, lambda _signum, _frame: stopping.ask())
    state = jobs.WorkerState.start(repo, settings, main)
    jobs._state[:] = [state]
    report(f"worker {_name()} taking jobs (Ctrl-C to stop)")
    try:
        _beside(main, lambda: asyncio.run(_main(settings.database, report, concurrency, stopping)))
    finally:
        ignore_stop_signals()  # stopping: a signal sent again is no death (see procs)
        jobs._state.clear()
        state.close()
    report("worker stopped")


def _beside(main: MainThread, engine: Callable[[], None]) -> None:
    """Run `engine` in a thread while this, the main thread, serves `main` (the jobs' threads wait
    on it until they end); what `engine` raises is raised here."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            engine()
        except BaseException as error:
            failed.append(error)
        finally:
            main.stop()
        if main.abandoned:  # the main thread is stuck in a C library (prepare.py): it never returns
            logging.getLogger("tagwire.worker").warning("worker stopped; its main thread was stuck")
            os._exit(1)

    thread = threading.Thread(target=run, name="jobs")
    thread.start()
    try:
        main.serve()
    finally:
        main.cancel_waiting()
        thread.join()
    if failed:
        raise failed[0]


class _Stopping:
    """SIGTERM or SIGINT, received in the main thread, handed to the engine's event loop."""

    def __init__(self) -> None:
        self.asked = threading.Event()
        self.workers: list[Worker] = []  # the engine's worker while it runs
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None

    def attach(self) -> asyncio.Event:
        """In the engine's loop: the event set when the worker is asked to stop."""
        self._loop, self._event = asyncio.get_running_loop(), asyncio.Event()
        if self.asked.is_set():
            self._event.set()
        return self._event

    def ask(self) -> None:
        self.asked.set()
        if self._loop is not None:
            with contextlib.suppress(RuntimeError):  # asked again once the loop has ended
                self._loop.call_soon_threadsafe(self._stop)

    def _stop(self) -> None:
        if self._event is not None:
            self._event.set()
        for worker in self.workers:
            worker.stop()  # type: ignore[no-untyped-call]


async def _main(database: str, report: Report, concurrency: int, stopping: _Stopping) -> None:
    stop = stopping.attach()
    while not stop.is_set():
        await _connected(database, concurrency, stopping.workers, report, stop.is_set)
        if not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), RECONNECT)


async def _connected(
    database: str, concurrency: int, current: list[Worker], report: Report, asked: Callable[[], bool]
) -> None:
    """Run the engine's worker until it stops: asked to, or because the database went away
    (then one line says so, and the caller connects again)."""
    connector = PsycopgConnector(conninfo=conninfo(database), min_size=1, max_size=concurrency + 2)
    try:
        with jobs.queue.replace_connector(connector):
            async with jobs.queue.open_async():
                worker = Worker(
                    jobs.queue,
                    queues=[jobs.QUEUE],
                    name=_name(),
                    concurrency=concurrency,
                    install_signal_handlers=False,
                    update_heartbeat_interval=jobs.HEARTBEAT,
                    stalled_worker_timeout=jobs.STALLED,
                    shutdown_graceful_timeout=SHUTDOWN,
                    delete_jobs="successful",  # a tick every 2 s: the queue keeps what failed only
                )
                current[:] = [worker]
                try:
                    await worker.run()  # type: ignore[no-untyped-call]
                finally:
                    current.clear()
    except Exception as error:  # the boundary: a database gone is one line, then a reconnection
        report(f"worker: lost the database ({jobs.one_line(error)}); connecting again in {RECONNECT:g} s")
        return
    if not asked():  # the engine stopped its worker itself: its listener lost the database
        report(f"worker: lost the database (the queue's listener); connecting again in {RECONNECT:g} s")


def conninfo(database: str) -> str:
    """The libpq URL of TAGWIRE_DATABASE (which may name SQLAlchemy's driver)."""
    scheme, rest = database.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgres") else database


def _name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class _OneLine(logging.Formatter):
    """A log record in one line: an exception's type and message, never its traceback (a worker's
    log is read by people; what failed and why is the line itself)."""

    def format(self, record: logging.LogRecord) -> str:
        message = " ".join(record.getMessage().split())
        line = f"{self.formatTime(record, '%H:%M:%S')} {record.levelname.lower()}: {message}"
        if record.exc_info and record.exc_info[1] is not None:
            line += f" ({jobs.one_line(record.exc_info[1])})"
        return line


def _worth_a_line(record: logging.LogRecord) -> bool:
    """Warnings and errors, tagwire's own lines, and each failed try of a job that will be tried
    again (the engine says "to retry" at level INFO, with its other INFO lines: one a job)."""
    retried = getattr(record, "action", None) == "job_error_retry"
    return record.levelno >= logging.WARNING or record.name.startswith("tagwire") or retried


def _quiet_logging() -> None:
    """The engine's warnings and errors and tagwire's job lines, one line each, on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine())
    handler.addFilter(_worth_a_line)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    for name in ("tagwire.worker", "procrastinate"):
        logging.getLogger(name).setLevel(logging.INFO)
