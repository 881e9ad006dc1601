"""The next batches prepared ahead, in worker processes. Preparing an article (its hashtags,
where spaCy's NER is most of the cost, its signature, language and story features: prepare.py)
is about half of understanding's time on one core and holds the GIL; the other half, deciding
copies and stories, must go one article at a time in publication order. So while this process
decides one batch, a worker prepares the next, on another core.

Preparing is a pure function of the article, so a worker gives what this process would. With
`processes=0`, or once a worker has died, batches are prepared here instead and the run goes on.
The pool starts on the first batch sent ahead: a run of a single batch never pays for it."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from tagwire.procs import usable_cores, worker_pool
from tagwire.understand.hashtags import HashtagTagger
from tagwire.understand.prepare import Input, Prepared, prepare_many

Items = Sequence[Input]

_worker_tagger: HashtagTagger | None = None  # the worker process's own, model loaded once


def _load() -> None:
    global _worker_tagger
    _worker_tagger = HashtagTagger()
    _worker_tagger.nlp  # noqa: B018  (load the model before the first batch arrives)


def _ready() -> bool:
    return _worker_tagger is not None


def _prepare(items: Items) -> list[Prepared]:
    assert _worker_tagger is not None
    return prepare_many(items, _worker_tagger)


class _Here(Future[list[Prepared]]):
    """A batch left to be prepared in this process, when its turn comes."""


class Preparers:
    """ahead(items) starts preparing; prepared(future, items) gives the result (prepared here
    if the worker died). The local tagger serves processes=0 and the fallback."""

    def __init__(self, processes: int, local: HashtagTagger) -> None:
        self.processes = processes
        self.local = local
        self._pool: ProcessPoolExecutor | None = None
        self._warm: Future[bool] | None = None  # done once a worker has loaded the model

    @classmethod
    def per_setting(cls, understand_processes: int, local: HashtagTagger) -> Preparers:
        """TAGWIRE_UNDERSTAND_PROCESSES: -1 is one worker when there is a core to spare, 0 none."""
        spare = usable_cores() - 1
        return cls(min(1, spare) if understand_processes < 0 else understand_processes, local)

    def ahead(self, items: Items, *, here: bool = False) -> Future[list[Prepared]]:
        """Start preparing `items` in a worker; or, when `here`, without workers, or while the
        workers are still starting (a second or two: loading the language model), leave them to
        be prepared here when `prepared` asks, so that a short run never waits for workers and
        a batch is never prepared here before the one before it is decided."""
        pool = None if here else self._started()
        if pool is not None and self._warm is not None and self._warm.done():
            try:
                return pool.submit(_prepare, items)
            except BrokenProcessPool:  # a worker died since the last batch
                self._give_up()
        return _Here()

    def prepared(self, future: Future[list[Prepared]], items: Items) -> list[Prepared]:
        """What `ahead` started preparing for `items` (prepared here if it was left for here)."""
        if isinstance(future, _Here):
            return prepare_many(items, self.local)
        try:
            return future.result()
        except (BrokenProcessPool, CancelledError):  # a worker died (out of memory, a crash in
            self._give_up()  # a C library), and the pool with it
            return prepare_many(items, self.local)

    def _give_up(self) -> None:
        """No more workers for this run: prepare here from now on."""
        self.close()
        self.processes = 0

    def ready(self, timeout: float | None = None) -> bool:
        """Start the workers and wait until one is ready (or `timeout` passes); False when
        there are no workers to wait for."""
        pool = self._started()
        if pool is None or self._warm is None:
            return False
        try:
            return self._warm.result(timeout)
        except BrokenProcessPool:
            self._give_up()
            return False

    def _started(self) -> ProcessPoolExecutor | None:
        if self._pool is None and self.processes > 0:
            self._pool = worker_pool(self.processes, ["tagwire.understand.ahead"], _load)
            self._warm = self._pool.submit(_ready)
        return self._pool

    def close(self) -> None:
        """Stop the workers: at once if they are still loading the model (a short run does not
        wait a second or two for nothing), else once their current batch is done."""
        pool, warm, self._pool, self._warm = self._pool, self._warm, None, None
        if pool is None:
            return
        if warm is not None and not warm.done():
            for process in list(getattr(pool, "_processes", {}).values()):  # no public terminate
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
