"""Pools of worker processes that end with the process that started them.

Workers come from a forkserver (no fork of a threaded process). A ProcessPoolExecutor worker
waits on its task queue forever when its parent is killed (SIGKILL, or SIGTERM without cleanup:
a cron `timeout`, the OOM killer): it holds both ends of that queue itself. The forkserver stays
too, since each worker holds its "alive" pipe. Each would keep a loaded language model (~230 MB)
with nobody to use it. So each worker watches the process that started the pool and exits as
soon as it is gone; the forkserver follows. (A preload list only counts when the forkserver is
started: the first pool of a process decides it.)"""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor


def ignore_stop_signals() -> None:
    """A process that has stopped (or is stopping) cleanly ignores SIGTERM and SIGINT from now
    on: Python, as it finalizes, gives a signal handled in Python (or by an event loop) its
    default action back, and one sent again then would kill the process that had stopped
    cleanly (exit status -15). Call it from the main thread."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, signal.SIG_IGN)


def usable_cores() -> int:
    """The processors this process may run on (its affinity: a container's or `taskset`'s
    share), not all the machine has."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def worker_pool(
    processes: int, preload: Sequence[str], initializer: Callable[[], None] | None = None
) -> ProcessPoolExecutor:
    """`processes` workers that import `preload` first, run `initializer` (a module-level
    function) once each, and exit when this process does, however it ends."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    return ProcessPoolExecutor(
        processes, mp_context=context, initializer=_start, initargs=(os.getpid(), initializer)
    )


def _start(parent: int, initializer: Callable[[], None] | None) -> None:
    threading.Thread(target=_exit_after, args=(parent,), name="parent-watch", daemon=True).start()
    if initializer is not None:
        initializer()


def _exit_after(parent: int) -> None:
    """Return only by ending this process, once `parent` has ended."""
    try:
        fd = os.pidfd_open(parent)  # Linux 5.3+: readable when the process ends
    except (AttributeError, OSError):  # another system, or the parent is already gone
        while _alive(parent):
            time.sleep(1.0)
    else:
        select.select([fd], [], [])
    os._exit(0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's (a reused pid): not ours to wait for
        return False
    return True
