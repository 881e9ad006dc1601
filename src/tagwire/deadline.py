"""A time budget for one item's work, enforced from outside the work itself.

Whatever an outlet publishes, one article may not hold a run for longer than its budget: the
work (regular expressions, the language model, extraction) runs under `within(seconds)`, and
an interval timer interrupts it with tagwire.errors.OverBudget when the time is up. The timer
is a signal (SIGALRM), so it works in the main thread of a process: the main process, or a
worker process of a pool (whose tasks run in its main thread). Elsewhere (another thread) the
budget is not enforced here, and the caller must bound the wait itself. Regular expressions
and Python code are interruptible; a C library that never returns to Python is not, which is
why workers are also watched from the parent (see understand/ahead.py, ingest/workers.py).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from tagwire.errors import OverBudget


@contextmanager
def within(seconds: float, what: str) -> Iterator[None]:
    """Run the body with `seconds` to finish; OverBudget("<what> took longer than N s") after.
    A budget of 0 or less, or a call outside the main thread, sets no timer."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    message = f"{what} took longer than its {seconds:g} s budget"

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise OverBudget(message)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
