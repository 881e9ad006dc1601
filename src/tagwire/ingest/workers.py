"""Article extraction in worker processes. trafilatura is CPU-bound (~17 ms a page) and holds
the GIL, so a thread cannot overlap it with the fetching, parsing and storing of the main
process; a pool of processes can, on every core. The pool starts on the first page (a run of
feeds only never pays for it); with `processes=0`, pages are extracted in a thread of this
process instead.

One page never holds the run: each is extracted within its budget (TAGWIRE_EXTRACT_BUDGET,
enforced inside the worker, see deadline.py), and the wait for it is bounded here too, for
a worker stuck where no signal reaches (pages are handed to the pool no faster than it has
workers, so that the wait counts extraction, not a queue). A page that runs over is not read
again: its article keeps the feed summary, with the reason. A worker that dies (out of memory, a
crash in a C library) takes the pool down with the pages it held: the pool is replaced, and each
of those pages is tried once more on the new one; the page a worker dies on twice is dropped."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from tagwire.deadline import within
from tagwire.errors import OverBudget
from tagwire.models import PageInfo
from tagwire.procs import usable_cores, worker_pool

WORKER_DIED = "the page was not read: the process extracting it died (out of memory, or a crash)"


def _extract(body: bytes, url: str, budget: float) -> PageInfo:
    from tagwire.ingest.extract import extract_page  # trafilatura loads only where pages are read

    with within(budget, "extracting the page"):
        return extract_page(body, url)


class Extractors:
    """extract(body, url) -> PageInfo, on a pool of `processes` workers (0: in a thread); an
    OverBudget when the page took longer than `budget` seconds or its worker died."""

    def __init__(self, processes: int, budget: float = 0.0) -> None:
        self.processes = processes
        self.budget = budget
        self._pool: ProcessPoolExecutor | None = None
        self._slots: asyncio.Semaphore | None = None  # made in the event loop that uses it

    @classmethod
    def per_setting(cls, extract_processes: int, budget: float = 0.0) -> Extractors:
        """TAGWIRE_EXTRACT_PROCESSES: -1 is one per core, 0 none (a thread)."""
        return cls(usable_cores() if extract_processes < 0 else extract_processes, budget)

    async def extract(self, body: bytes, url: str) -> PageInfo:
        """The page's text and metadata; OverBudget when it could not be had in time."""
        if self.processes <= 0:
            return await self._bounded(None, asyncio.to_thread(_extract, body, url, 0.0))  # no signal
        if self._slots is None:  # reaches a thread: only the wait is bounded
            self._slots = asyncio.Semaphore(self.processes)
        async with self._slots:
            for attempt in (1, 2):
                pool = self._started()
                work = asyncio.get_running_loop().run_in_executor(pool, _extract, body, url, self.budget)
                try:
                    return await self._bounded(pool, work)
                except BrokenProcessPool:
                    self._replace(pool)
                    if attempt == 2:
                        raise OverBudget(WORKER_DIED) from None
        raise AssertionError("unreachable")

    async def _bounded(self, pool: ProcessPoolExecutor | None, work: Awaitable[PageInfo]) -> PageInfo:
        try:
            return await asyncio.wait_for(work, self._patience())
        except TimeoutError:
            self._replace(pool)
            raise OverBudget(f"extracting the page took longer than its {self.budget:g} s budget") from None

    def _patience(self) -> float | None:
        """How long to wait for a page: its budget, and some more for a busy machine."""
        return None if self.budget <= 0 else 2 * self.budget + 10.0

    def _replace(self, pool: ProcessPoolExecutor | None) -> None:
        """Drop a broken or stuck pool (its workers killed); the next page starts a new one."""
        if pool is not None and pool is self._pool:
            self._pool = None
            _terminate(pool)

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = worker_pool(self.processes, ["tagwire.ingest.extract"])
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _terminate(pool: ProcessPoolExecutor) -> None:
    for process in list(getattr(pool, "_processes", {}).values()):  # no public terminate
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
