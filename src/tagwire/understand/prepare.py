"""What understanding works out for each article on its own, before any decision that depends on
other articles: its hashtags, wire origin, language, MinHash signature and bands, and story
features. Pure functions of the article.

Preparing ahead (`Preparers`). Preparing an article (spaCy's NER is most of the cost) is about
half of understanding's time on one core and holds the GIL; the other half, deciding copies and
stories, must go one article at a time in publication order. So while this process decides one
batch, a worker process prepares the next, on another core, and gives what this process would.
With `processes=0`, batches are prepared here. The pool starts on the first batch sent ahead: a
run of a single batch never pays for it.

Each article is prepared within its budget (TAGWIRE_UNDERSTAND_BUDGET, see deadline.py); one that
fails or runs over is Quarantined, not its batch. The budget is a signal, which only a process's
main thread receives: when understanding runs in another thread (beside a fetch, or in `tagwire
run`), batches go to a worker even with processes=0, except in a cluster worker, whose jobs hand
them to its main thread (mainthread.py). A worker that dies on a batch (a crash in a
C library, the out-of-memory killer), or stops answering, takes only one article down: the batch
is prepared again one article at a time, each in a worker of a fresh pool, and the article the
worker dies on again is the one quarantined.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as WaitedTooLong
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial

from tagwire.deadline import within
from tagwire.errors import TagwireError
from tagwire.ingest.normalize import choose_language
from tagwire.mainthread import Handed, MainThread
from tagwire.models import Article
from tagwire.procs import usable_cores, worker_pool
from tagwire.understand import copies, languages, places, provenance, stories
from tagwire.understand.hashtags import HashtagTagger, Read, camel_tag
from tagwire.understand.provenance import wire_origin


@dataclass(frozen=True)
class Input:
    """What preparing reads of an article (what a worker is sent, not the whole Article)."""

    title: str
    text: str
    outlet: str
    published: datetime
    author: str | None = None
    credit: str | None = None
    language: str | None = None

    @classmethod
    def of(cls, a: Article) -> Input:
        return cls(a.title, a.text, a.outlet, a.published, a.author, a.credit, a.language)


@dataclass(frozen=True)
class Prepared:
    hashtags: list[str]
    wire_origin: str | None
    language: str | None
    signature: bytes
    bands: list[int]
    features: stories.StoryFeatures
    features_json: str  # as stored, and as candidates bring it back
    # [languages] an article in another language: its names, to be matched with known ones
    reading: languages.Reading | None = None
    # [languages] its hashtags as the article writes them, where otherwise ("GenNakatani": "中谷元")
    native: Mapping[str, str] = field(default_factory=dict)
    # places it names in passing: never shown, keys that find its other reports (hashtags.Tags)
    passing: list[str] = field(default_factory=list)

    def finding_tags(self) -> list[str]:
        """The tags that find the article's candidate reports and copies: shown and passing."""
        return [*self.hashtags, *self.passing]


def inputs(batch: Sequence[Article]) -> list[Input]:
    return [Input.of(a) for a in batch]


@dataclass(frozen=True)
class Quarantined:
    """An article that could not be prepared: it raised, or took longer than its budget. It is
    set aside with `reason` (status "quarantined"), never retried, and the batch goes on."""

    reason: str


Outcome = Prepared | Quarantined


def prepare_many(items: Sequence[Input], tagger: HashtagTagger, budget: float = 0.0) -> list[Outcome]:
    """Each article prepared, in order; the model reads the batch's texts together. With a
    `budget` (seconds, see deadline.py), each article's own work runs within it, and the model's
    reading of the batch within one budget too; when that reading fails, each article is read
    alone, so that one bad article costs at most twice its budget and only itself."""
    if budget > 0:
        warm_up(tagger)
    try:
        with within(budget, "reading this batch with the language model"):
            # [languages] Japanese and Chinese texts are not read by the English model
            reads = tagger.read_many([languages.for_model(i.title, i.text) for i in items])
    except Exception:  # one of them is at fault: find which, each on its own
        return [_guarded(partial(_alone, i, tagger), budget) for i in items]
    return [_guarded(partial(_read, i, tagger, r), budget) for i, r in zip(items, reads, strict=True)]


def warm_up(tagger: HashtagTagger) -> None:
    """Prepare one small article, outside any budget, so that what loads on first use (the
    language model, the name lexicon, the language identifier, the places' tables: a second or
    more) is never charged to the first real article's budget."""
    if not tagger.warm:
        tagger.warm = True
        when = datetime(2000, 1, 1, tzinfo=UTC)
        prepare_many([Input("Warm-up", "A first article, read before any other.", "tagwire", when)], tagger)


def _alone(i: Input, tagger: HashtagTagger) -> Prepared:
    return _read(i, tagger, tagger.read_many([(i.title, i.text)])[0])


def _read(i: Input, tagger: HashtagTagger, read: Read) -> Prepared:
    return prepare(i, *tagger.tags(read))


def _guarded(work: Callable[[], Prepared], budget: float) -> Outcome:
    """`work()`, or what made it fail, as a Quarantined."""
    try:
        with within(budget, "understanding this article"):
            return work()
    except Exception as error:  # any failure of one article's work is its own
        return Quarantined(_reason(error))


def _reason(error: Exception) -> str:
    if isinstance(error, TagwireError):
        return str(error)
    return f"understanding failed ({type(error).__name__}: {str(error)[:200]})"


def prepare(
    i: Input,
    tags: Sequence[str],
    passing: Collection[str] = frozenset(),
    where: Sequence[str] = (),
    named: Sequence[str] = (),
) -> Prepared:
    """What article `i` gives on its own, of its tags ranked `tags`: those of `passing` (places
    named in passing) are never shown, yet find its candidates and weigh in its story features
    as the others do; `where` (the places its headline and lead name) and `named` (all the
    places it names) say where its event is (`places`), with its dateline."""
    language = choose_language(i.language, i.text)
    if languages.own_reading(language):  # [languages] another language: read its own way
        return _in_language(i, language or "")
    own = camel_tag(i.outlet).lower()  # an outlet naming itself is no topic
    keys = [t for t in tags if t.lower() != own]
    sig = copies.signature(i.text)
    at = places.dateline(i.text)
    told = provenance.without_signoff(i.text)  # who filed it is no mark of its event
    feats = stories.features(
        i.title,
        told,
        keys,
        i.published,
        places.resolved([*at, *where]),
        places.resolved([*at, *named, *places.in_text(i.title + "\n" + told)]),
    )
    return Prepared(
        hashtags=[t for t in keys if t not in passing],
        wire_origin=wire_origin(i.title, i.text, author=i.author, credit=i.credit),
        language=language,
        signature=copies.to_bytes(sig),
        bands=list(copies.band_keys(sig)),
        features=feats,
        features_json=stories.to_json(feats),
        passing=[t for t in keys if t in passing],
    )


# [languages] articles in other languages ------------------------------------------------------


def _in_language(i: Input, language: str) -> Prepared:
    """`prepare` for an article in another language (languages/): its names read, its hashtags
    as far as they can be told alone (`resolved` matches them with the names known when it is
    decided), its copy signature over its words (Japanese cut into words)."""
    reading = languages.read(i.title, i.text, language)
    sig = copies.signature(languages.copy_text(i.text, language))
    found = wire_origin(i.title, i.text, author=i.author, credit=i.credit)
    prepared = Prepared(
        hashtags=[],
        wire_origin=found or languages.wire_origin(i.title, i.text),
        language=language,
        signature=copies.to_bytes(sig),
        bands=list(copies.band_keys(sig)),
        features=stories.StoryFeatures({}, i.published),
        features_json="",
        reading=reading,
    )
    return resolved(prepared, languages.KnownNames(), i.outlet)


def resolved(p: Prepared, known: languages.KnownNames, outlet: str = "") -> Prepared:
    """An article in another language with its hashtags matched against the names `known`, and
    its story features made of them."""
    if p.reading is None:
        return p
    own = camel_tag(outlet).lower()
    found, native = languages.hashtags(p.reading, known)
    tags = [t for t in found if t.lower() != own]
    feats = languages.features(p.reading, tags, p.features.published)
    kept = {t: native[t] for t in tags if t in native}
    return replace(p, hashtags=tags, features=feats, features_json=stories.to_json(feats), native=kept)


# preparing ahead, in workers ----------------------------------------------------------------------
Items = Sequence[Input]

_worker_tagger: HashtagTagger | None = None  # the worker process's own, model loaded once


def _load() -> None:
    global _worker_tagger
    _worker_tagger = HashtagTagger()
    warm_up(_worker_tagger)  # the model and all else loaded before the first batch arrives


def _ready() -> bool:
    return _worker_tagger is not None


def _prepare(items: Items, budget: float) -> list[Outcome]:
    assert _worker_tagger is not None
    return prepare_many(items, _worker_tagger, budget)


log = logging.getLogger(__name__)
WAIT_STEP = 5.0  # seconds between two looks at whether the main thread still works on a batch
LOADING = 300.0  # seconds a new worker may take to load the model and warm up, on a very busy machine
WORKER_DIED = (
    "the worker process preparing it died or stopped answering (a crash in a C library, or out of memory)"
)


class _Here(Future[list[Outcome]]):
    """A batch left to be prepared in this process, when its turn comes."""


class Preparers:
    """ahead(items) starts preparing; prepared(future, items) gives the result (prepared here
    if the worker died). The local tagger serves processes=0 and the fallback. With `main` (a
    cluster worker's main thread) and processes=0, other threads hand their batches to the main
    thread, where the budget holds, instead of a worker process."""

    def __init__(
        self,
        processes: int,
        local: HashtagTagger,
        budget: float = 0.0,
        grace: float = 60.0,
        main: MainThread | None = None,
    ) -> None:
        self.processes = processes
        self.local = local
        self.main = main if processes == 0 else None
        self.budget = budget  # seconds per article (0: none)
        self.grace = grace  # seconds more a worker's batch may take before it is taken for hung
        self._pool: ProcessPoolExecutor | None = None
        self._warm: Future[bool] | None = None  # done once a worker has loaded the model

    @classmethod
    def per_setting(
        cls,
        understand_processes: int,
        local: HashtagTagger,
        budget: float = 0.0,
        main: MainThread | None = None,
    ) -> Preparers:
        """TAGWIRE_UNDERSTAND_PROCESSES: -1 is one worker when there is a core to spare, 0 none."""
        spare = usable_cores() - 1
        processes = min(1, spare) if understand_processes < 0 else understand_processes
        return cls(processes, local, budget, main=main if understand_processes == 0 else None)

    def ahead(self, items: Items, *, here: bool = False) -> Future[list[Outcome]]:
        """Start preparing `items` in a worker; or, when `here`, without workers, or while the
        workers are still starting (a second or two: loading the language model), leave them to
        be prepared here when `prepared` asks, so that a short run never waits for workers and
        a batch is never prepared here before the one before it is decided. Only the main thread
        prepares here: a time budget is a signal, which reaches no other thread, so there a batch
        always goes to a worker (started for it, if need be), unless no budget is set, or to the
        main thread that `main` serves."""
        main = _in_main_thread()
        if self.main is not None and not main:
            return self.main.submit(partial(prepare_many, items, self.local, self.budget))
        pool = None if here and main else self._started()
        if pool is None or (main and not (self._warm is not None and self._warm.done())):
            return _Here()
        try:
            return pool.submit(_prepare, items, self.budget)
        except BrokenProcessPool:  # a worker died since the last batch: a new pool
            self.close()
            return self.ahead(items, here=here)

    def prepared(self, future: Future[list[Outcome]], items: Items) -> list[Outcome]:
        """What `ahead` started preparing for `items` (prepared here if it was left for here)."""
        if isinstance(future, _Here):
            return prepare_many(items, self.local, self.budget)
        if isinstance(future, Handed):  # its main thread's, even once given up on
            return self._from_main(future, items)
        try:
            self._loaded()  # the model's loading is not the batch's time
            return future.result(timeout=self._patience(len(items)))
        except CancelledError:  # the pool was closed after another batch broke it: again
            return self._again(items)
        except (BrokenProcessPool, WaitedTooLong):  # a worker died, or hangs where no signal reaches
            self.close()
            return [self._alone(item) for item in items]

    def _from_main(self, future: Handed[list[Outcome]], items: Items) -> list[Outcome]:
        """The main thread's batch; its patience counts from when it starts (batches wait in line
        there). Past it, the main thread is stuck where no signal reaches (a C library): this
        batch and the next go to a preparing process, which can be killed, and the worker ends
        once its engine stops (app/cluster.py), its main thread being lost."""
        patience, main = self._patience(len(items)), future.by
        if patience is None:  # no budget: nothing to give up on
            return future.result()
        while True:
            try:
                return future.result(timeout=WAIT_STEP)
            except WaitedTooLong:
                running = main.running_for(future)
                if running is not None and running > patience:
                    break
        log.warning("preparing stopped answering in the main thread: a preparing process takes over")
        main.abandoned, self.main = True, None
        return [self._alone(item) for item in items]

    def _again(self, items: Items) -> list[Outcome]:
        pool = self._started()
        if pool is None:
            return prepare_many(items, self.local, self.budget)
        return self.prepared(pool.submit(_prepare, items, self.budget), items)

    def _alone(self, item: Input) -> Outcome:
        """One article in a worker of its own batch; the worker dying on it quarantines it."""
        pool = self._started()
        if pool is None:
            return prepare_many([item], self.local, self.budget)[0]
        try:
            self._loaded()
            return pool.submit(_prepare, [item], self.budget).result(timeout=self._patience(1))[0]
        except (BrokenProcessPool, CancelledError, WaitedTooLong):
            self.close()
            return Quarantined(WORKER_DIED)

    def _patience(self, articles: int) -> float | None:
        """How long to wait for a worker's batch before taking it for hung: every article's
        budget twice (once in the batch, once alone), and `grace` for the rest."""
        return None if self.budget <= 0 else 2 * self.budget * articles + self.grace

    def _loaded(self) -> None:
        """Wait for the workers to have loaded the model (LOADING at most: a start that never
        ends is a worker that stopped answering); raises what the wait met."""
        if self._warm is not None and not self._warm.done():
            self._warm.result(timeout=LOADING)

    def ready(self, timeout: float | None = None) -> bool:
        """Start the workers and wait until one is ready (or `timeout` passes); False when
        there are no workers to wait for."""
        pool = self._started()
        if pool is None or self._warm is None:
            return False
        try:
            return self._warm.result(timeout)
        except BrokenProcessPool:
            self.close()
            return False

    def _workers(self) -> int:
        """`processes`; at least one where a budget must hold outside the main thread."""
        return self.processes or int(self.budget > 0 and not _in_main_thread())

    def _started(self) -> ProcessPoolExecutor | None:
        if self._pool is None and self._workers() > 0:
            self._pool = worker_pool(self._workers(), ["tagwire.understand.prepare"], _load)
            self._warm = self._pool.submit(_ready)
        return self._pool

    def close(self) -> None:
        """Stop the workers: at once if they are still loading the model (a short run does not
        wait a second or two for nothing) or the pool is broken or hung, else once their
        current batch is done."""
        pool, warm, self._pool, self._warm = self._pool, self._warm, None, None
        if pool is None:
            return
        if warm is None or not warm.done() or getattr(pool, "_broken", False) or _busy(pool):
            for process in list(getattr(pool, "_processes", {}).values()):  # no public terminate
                process.kill()  # (SIGKILL: a stopped or hung worker ignores anything else)
        pool.shutdown(wait=True, cancel_futures=True)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _busy(pool: ProcessPoolExecutor) -> bool:
    """Whether the pool still has work running (close() was called for a hung worker)."""
    return bool(getattr(pool, "_pending_work_items", {}))
