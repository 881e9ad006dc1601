"""Hashtags found ahead, in worker processes. Finding entities (spaCy's NER) is about half of
understanding's time on one core and holds the GIL; the other half, deciding copies and stories,
must go one article at a time in publication order. So while this process decides one batch, a
worker finds the next batch's hashtags, on another core.

Tagging is a pure function of (title, text), so a worker gives the tags this process would. With
`processes=0`, or once a worker has died, batches are tagged here instead and the run goes on.
The pool starts on the first batch sent ahead: a run of a single batch never pays for it."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from tagwire.understand.hashtags import HashtagTagger

Docs = Sequence[tuple[str, str]]  # (title, plain text) per article
Tags = list[list[str]]

_worker_tagger: HashtagTagger | None = None  # the worker process's own, model loaded once


def _load() -> None:
    global _worker_tagger
    _worker_tagger = HashtagTagger()
    _worker_tagger.nlp  # noqa: B018  (load the model before the first batch arrives)


def _tag(docs: Docs) -> Tags:
    assert _worker_tagger is not None
    return _worker_tagger.tag_many(docs)


class Taggers:
    """ahead(docs) starts tagging; tags(future, docs) gives the result (tagging here if the
    worker died). The local tagger serves processes=0 and the fallback."""

    def __init__(self, processes: int, local: HashtagTagger) -> None:
        self.processes = processes
        self.local = local
        self._pool: ProcessPoolExecutor | None = None

    @classmethod
    def per_setting(cls, tag_processes: int, local: HashtagTagger) -> Taggers:
        """TAGWIRE_TAG_PROCESSES: -1 is one worker when there is a core to spare, 0 none."""
        cores = os.cpu_count() or 1
        return cls(min(1, cores - 1) if tag_processes < 0 else tag_processes, local)

    def ahead(self, docs: Docs, *, here: bool = False) -> Future[Tags]:
        """Start tagging `docs` in a worker (here, at once, when `here` or without workers)."""
        pool = None if here else self._started()
        if pool is not None:
            try:
                return pool.submit(_tag, docs)
            except BrokenProcessPool:  # a worker died since the last batch
                self._give_up()
        done: Future[Tags] = Future()
        done.set_result(self.local.tag_many(docs))
        return done

    def tags(self, future: Future[Tags], docs: Docs) -> Tags:
        """The tags `ahead` started finding for `docs`."""
        try:
            return future.result()
        except BrokenProcessPool:  # a worker died (out of memory, a crash in a C library)
            self._give_up()
            return self.local.tag_many(docs)

    def _give_up(self) -> None:
        """No more workers for this run: tag here from now on."""
        self.close()
        self.processes = 0

    def _started(self) -> ProcessPoolExecutor | None:
        if self._pool is None and self.processes > 0:
            context = multiprocessing.get_context("forkserver")  # no fork of a threaded process
            context.set_forkserver_preload(["tagwire.understand.tagging"])
            self._pool = ProcessPoolExecutor(self.processes, mp_context=context, initializer=_load)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
