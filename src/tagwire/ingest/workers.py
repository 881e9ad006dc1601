"""Article extraction in worker processes. trafilatura is CPU-bound (~17 ms a page) and holds
the GIL, so a thread cannot overlap it with the fetching, parsing and storing of the main
process; a pool of processes can, on every core. The pool starts on the first page (a run of
feeds only never pays for it); with `processes=0`, or once a worker has died, pages are extracted
in a thread of this process instead, and the run goes on (the page a worker died on is not read
again: it keeps its feed summary)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from tagwire.models import PageInfo
from tagwire.procs import usable_cores, worker_pool


def _extract(body: bytes, url: str) -> PageInfo:
    from tagwire.ingest.extract import extract_page  # trafilatura loads only where pages are read

    return extract_page(body, url)


class Extractors:
    """extract(body, url) -> PageInfo, on a pool of `processes` workers (0: in a thread)."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None

    @classmethod
    def per_setting(cls, extract_processes: int) -> Extractors:
        """TAGWIRE_EXTRACT_PROCESSES: -1 is one per core, 0 none (a thread)."""
        return cls(usable_cores() if extract_processes < 0 else extract_processes)

    async def extract(self, body: bytes, url: str) -> PageInfo:
        pool = self._started()
        if pool is not None:
            try:
                return await asyncio.get_running_loop().run_in_executor(pool, _extract, body, url)
            except BrokenProcessPool:  # a worker died (out of memory, a crash in a C library):
                self.processes = 0  # later pages are read in a thread; this one, which may be
                return PageInfo()  # what killed it, is not retried here (the feed summary stays)
        return await asyncio.to_thread(_extract, body, url)

    def _started(self) -> ProcessPoolExecutor | None:
        if self._pool is None and self.processes > 0:
            self._pool = worker_pool(self.processes, ["tagwire.ingest.extract"])
        return self._pool if self.processes > 0 else None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
