"""Reading a fetched feed: its body parsed, each item's identity keys (its URL as listed and as
cleaned, by which a known article is recognised) and, when no page is to be read for it, the
article it makes (merged, capped, its text hashed). `read_feed` is pure (bytes and plain values
in, picklable values out), so that `FeedReaders` can run it in a worker process: a fetch of
many changed feeds then parses and normalises on another core while this one fetches and
stores."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime

from tagwire.errors import ParseError
from tagwire.ingest.limits import Limits
from tagwire.models import Article, FeedItem, PageInfo, ParsedFeed
from tagwire.procs import usable_cores, worker_pool

# parse (and fastfeedparser, which parse imports with the first body), normalize and identity:
# a few tenths of a second of imports, loaded with the first body (a run that finds every feed
# unchanged, 304, never needs them), and by the workers' forkserver once for all its workers
READING = [
    "tagwire.ingest.parse",
    "fastfeedparser",
    "tagwire.ingest.normalize",
    "tagwire.understand.identity",
]

WORKER_DIED = "the feed could not be read: the process reading it died (out of memory, or a crash)"


@dataclass(frozen=True)
class Plan:
    """What reading one source's feed needs to know besides the body; `articles`: make each
    item's article now (a fetch of feed items only: no page will be read for it)."""

    source_id: int | None
    source_title: str | None
    source_url: str
    fetched_at: datetime
    limits: Limits
    articles: bool = False


@dataclass
class Entry:
    """One item of a feed (its URL within the max_url_chars cap), the URLs it is known by, and
    its article when the plan asked for it. `post`: one of several posts of a live page (see
    normalize.fragment_posts)."""

    item: FeedItem
    keys: frozenset[str]
    post: bool = False
    article: Article | None = None


@dataclass
class ReadFeed:
    feed: ParsedFeed
    entries: list[Entry] = field(default_factory=list)


def read_feed(body: bytes, url: str, content_type: str | None, plan: Plan) -> ReadFeed:
    """Parse the body (ParseError when it is no feed), then read its items."""
    from tagwire.ingest.parse import parse_feed

    return read_items(parse_feed(body, url, content_type), plan)


def read_items(feed: ParsedFeed, plan: Plan) -> ReadFeed:
    """The items of a parsed feed whose URL is within the cap, each with its keys (and article)."""
    from tagwire.ingest.normalize import canonical_url, fragment_posts

    posts = fragment_posts(it.url for it in feed.items)
    title = feed.title or plan.source_title
    read = ReadFeed(feed)
    for item in feed.items:
        if not plan.limits.url_ok(item.url):
            continue
        post = item.url in posts
        entry = Entry(item, frozenset({item.url, canonical_url(item.url, keep_fragment=post)}), post)
        if plan.articles:
            entry.article = make_article(entry, None, plan, source_title=title)
        read.entries.append(entry)
    return read


def make_article(
    entry: Entry,
    page: PageInfo | None,
    plan: Plan,
    *,
    source_title: str | None,
    page_problem: str | None = None,
) -> Article:
    """The entry's item as an article: its page merged in (None: not read), capped, hashed."""
    from tagwire.ingest.normalize import build_article
    from tagwire.understand.identity import content_hash

    article = build_article(
        entry.item,
        page,
        source_title=source_title,
        source_url=plan.source_url,
        page_problem=page_problem,
        fetched_at=plan.fetched_at,
        post=entry.post,
    )
    article = plan.limits.cap(article)
    article.source_id, article.content_hash = plan.source_id, content_hash(article.text)
    return article


Reader = Callable[[bytes, str, str | None, Plan], ReadFeed]


class FeedReaders:
    """`read_feed` off the event loop, in a thread or, with `processes` > 0, once a run has
    brought more than START_AFTER bodies (a run that finds few feeds changed never starts a
    process), on a pool of that many worker processes.

    Bodies are handed to the pool as they come (a worker never waits for this process, busy
    writing a batch, to hand it the next one). A worker that dies (a crash in a C library)
    takes the bodies handed to the pool with it: each is read once more, one at a time, on a
    new pool, so that the body that killed it fails its own source alone."""

    START_AFTER = 2

    def __init__(self, processes: int, read: Reader = read_feed) -> None:
        self.processes, self._read = processes, read  # `read`: a module's function (workers import it)
        self._bodies = 0
        self._pool: ProcessPoolExecutor | None = None
        self._starting: asyncio.Task[ProcessPoolExecutor] | None = None
        self._lock: asyncio.Lock | None = None  # made in the event loop that uses them
        self._retry: asyncio.Lock | None = None

    @classmethod
    def per_setting(cls, read_processes: int) -> FeedReaders:
        """TAGWIRE_READ_PROCESSES: -1 (the default) one worker per core (none on a machine of one
        core, where a worker could only add to the work), 0 a thread, N that many. Measured with
        check_ingest on 2 cores, interleaved: idle, processes won (time ratio to reader 2.09,
        2.58, 2.39 against 1.99, 1.37, 1.85 in a thread); with other work running on the same
        cores (load 5-22) they lost (median 1.75 against 2.39, 11 runs each): the kernel shares
        CPU per session, so extra processes get no extra CPU and cost their start. A machine
        busy with other work sets 0."""
        if read_processes < 0:
            cores = usable_cores()
            return cls(cores if cores > 1 else 0)
        return cls(read_processes)

    async def read(self, body: bytes, url: str, content_type: str | None, plan: Plan) -> ReadFeed:
        pool = await self._ready()
        if pool is None:
            return await asyncio.to_thread(self._read, body, url, content_type, plan)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(pool, self._read, body, url, content_type, plan)
        except BrokenProcessPool:
            pass
        assert self._retry is not None
        async with self._retry:  # alone on the pool it runs on, as far as retries go
            pool = await self._current(broken=pool)
            try:
                return await loop.run_in_executor(pool, self._read, body, url, content_type, plan)
            except BrokenProcessPool:
                self._drop(pool)
                raise ParseError(WORKER_DIED) from None

    async def _ready(self) -> ProcessPoolExecutor | None:
        """The pool for this body, None for a thread: the first START_AFTER bodies of a run
        are read in threads, the next one starts the pool, and the ones after it wait for it."""
        self._bodies += 1
        if self.processes <= 0 or self._bodies <= self.START_AFTER:
            return None
        if self._starting is None:
            self._lock, self._retry = asyncio.Lock(), asyncio.Lock()
            self._starting = asyncio.create_task(self._current(broken=None))
        try:
            await asyncio.shield(self._starting)
            return self._pool or await self._current(broken=None)
        except Exception:  # no processes here (a sandbox, a limit): threads it is
            self.processes = 0
            return None

    async def _current(self, broken: ProcessPoolExecutor | None) -> ProcessPoolExecutor:
        """The pool to use: a new one when there is none, or when `broken` is the one there
        is. Started in a thread (starting blocks until the workers are up), by one caller."""
        assert self._lock is not None
        async with self._lock:
            if self._pool is None or self._pool is broken:
                self._drop(self._pool)
                self._pool = await asyncio.to_thread(self._start)
            return self._pool

    def _start(self) -> ProcessPoolExecutor:
        """A pool with every worker up (each has run a trivial call)."""
        pool = worker_pool(self.processes, ["tagwire.app.reading", *READING])
        for call in [pool.submit(int) for _ in range(self.processes)]:
            call.result()
        return pool

    def _drop(self, pool: ProcessPoolExecutor | None) -> None:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
            if pool is self._pool:
                self._pool = None

    async def aclose(self) -> None:
        """Shut the workers down (once the pool is up, if it is still starting)."""
        if self._starting is not None:
            with contextlib.suppress(Exception):
                await self._starting
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool, self._starting = None, None
