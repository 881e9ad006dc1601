"""Work handed to the main thread of a process by its other threads.

A time budget (deadline.py) is a signal, and only a process's main thread receives signals. A
cluster worker (app/cluster.py) runs its job engine in a thread of its own and keeps the main
thread for the work that must hold a budget without a process of its own: preparing articles
when the worker prepares them itself (TAGWIRE_UNDERSTAND_PROCESSES=0, one worker a core). A job
hands the work over and waits on the Future it gets; the main thread runs one piece at a time,
in the order handed over.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")

_Work = tuple[Future[Any], Callable[[], Any]]


class Handed(Future[T]):
    """The Future of work handed to a main thread (`by`)."""

    def __init__(self, by: MainThread) -> None:
        super().__init__()
        self.by = by


class MainThread:
    """submit(work) from any thread; serve() in the main thread runs what was submitted, until
    stop() (from any thread)."""

    def __init__(self) -> None:
        # None: stop serving. Never a timed get: SimpleQueue.get(timeout) interrupted by a signal
        # just before its deadline waits forever afterwards (CPython 3.11), and signals (SIGTERM,
        # the budget's SIGALRM) reach this thread by design.
        self._work: queue.SimpleQueue[_Work | None] = queue.SimpleQueue()
        self._running: tuple[Future[Any], float] | None = None  # the work running, since when
        self.abandoned = False  # a submitter gave up waiting: the thread is stuck in that work

    def submit(self, work: Callable[[], T]) -> Handed[T]:
        future: Handed[T] = Handed(self)
        self._work.put((future, work))
        return future

    def stop(self) -> None:
        """Let serve() return once the work handed over before is done."""
        self._work.put(None)

    def serve(self) -> None:
        """Run the work handed over, in order, until stop(); what a piece of work raises goes to
        its Future. Call it from the main thread: there its budgets hold."""
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("MainThread.serve runs in the main thread")
        while (item := self._work.get()) is not None:
            future, work = item
            if not future.set_running_or_notify_cancel():
                continue
            self._running = (future, time.monotonic())
            try:
                future.set_result(work())
            except BaseException as error:  # the submitter's to handle, as an executor's
                future.set_exception(error)
            finally:
                self._running = None

    def running_for(self, future: Future[Any]) -> float | None:
        """Seconds since `future`'s work started; None while it waits in line (or once done)."""
        running = self._running
        return time.monotonic() - running[1] if running is not None and running[0] is future else None

    def cancel_waiting(self) -> None:
        """Cancel what was handed over and never started (the worker is stopping)."""
        while True:
            try:
                item = self._work.get_nowait()
            except queue.Empty:
                return
            if item is not None:
                item[0].cancel()
