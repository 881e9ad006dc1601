"""Reading a fetched feed: its body parsed, each item's identity keys (its URL as listed and as
cleaned, by which a known article is recognised) and, when no page is to be read for it, the
article it makes (merged, capped, its text hashed). `read_feed` is pure (bytes and plain values
in, picklable values out), so that `FeedReaders` can run it in a worker process: a fetch of
many changed feeds then parses and normalises on another core while this one fetches and
stores."""

from __future__ import annotations

import asyncio
import contextlib
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime

from tagwire.errors import ParseError
from tagwire.ingest.limits import Limits
from tagwire.models import Article, FeedItem, PageInfo, ParsedFeed
from tagwire.procs import usable_cores, worker_pool

# parse, normalize and identity (a tenth of a second of imports) load with the first body: a
# run that finds every feed unchanged (304) never needs them
READING = ["tagwire.ingest.parse", "tagwire.ingest.normalize", "tagwire.understand.identity"]

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


class FeedReaders:
    """`read_feed` off the event loop, in a thread or, once a run has brought more than
    START_AFTER bodies (a run that finds few feeds changed never starts a process), on a pool of
    `processes` worker processes (0: always in a thread).

    Each worker has at most DEPTH bodies waiting, so that one that dies (a crash in a C library)
    takes few with it: each of those is read once more on a new pool; a body that a worker dies
    on twice fails its source, as may another one waiting on the same worker then."""

    START_AFTER = 2
    DEPTH = 4

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._bodies = 0
        self._pool: ProcessPoolExecutor | None = None
        self._starting: asyncio.Task[ProcessPoolExecutor] | None = None
        self._slots: asyncio.Semaphore | None = None  # made in the event loop that uses them
        self._restart: asyncio.Lock | None = None

    @classmethod
    def per_core(cls) -> FeedReaders:
        """One worker per core (this process mostly waits: for the network, for the workers, on
        SQLite), none on a machine of one core, where a worker could only add to the work."""
        cores = usable_cores()
        return cls(cores if cores > 1 else 0)

    async def read(self, body: bytes, url: str, content_type: str | None, plan: Plan) -> ReadFeed:
        pool = await self._ready()
        if pool is None:
            return await asyncio.to_thread(read_feed, body, url, content_type, plan)
        assert self._slots is not None
        async with self._slots:
            for _ in range(2):
                try:
                    return await asyncio.get_running_loop().run_in_executor(
                        pool, read_feed, body, url, content_type, plan
                    )
                except BrokenProcessPool:
                    pool = await self._replaced(pool)
        raise ParseError(WORKER_DIED)

    async def _ready(self) -> ProcessPoolExecutor | None:
        """The pool for this body, None for a thread: the first START_AFTER bodies of a run
        are read in threads, the next one starts the pool (in a thread: starting blocks until
        the workers are up), and the ones after it wait for the pool."""
        self._bodies += 1
        if self.processes <= 0 or self._bodies <= self.START_AFTER:
            return None
        if self._starting is None:
            self._slots, self._restart = asyncio.Semaphore(self.DEPTH * self.processes), asyncio.Lock()
            self._starting = asyncio.create_task(asyncio.to_thread(self._start))
        try:
            self._pool = self._pool or await asyncio.shield(self._starting)
        except Exception:  # no processes here (a sandbox, a limit): threads it is
            self.processes = 0
            return None
        return self._pool

    def _start(self) -> ProcessPoolExecutor:
        """A pool with every worker up (each has run a trivial call)."""
        pool = worker_pool(self.processes, ["tagwire.app.reading", *READING])
        for call in [pool.submit(int) for _ in range(self.processes)]:
            call.result()
        return pool

    async def _replaced(self, broken: ProcessPoolExecutor) -> ProcessPoolExecutor:
        """A new pool for the one a worker died in (started once, whoever asks first)."""
        assert self._restart is not None
        async with self._restart:
            if self._pool is broken:
                broken.shutdown(wait=False, cancel_futures=True)
                self._pool = await asyncio.to_thread(self._start)
            assert self._pool is not None
            return self._pool

    async def aclose(self) -> None:
        """Shut the workers down (once the pool is up, if it is still starting)."""
        if self._starting is not None and self._pool is None:
            with contextlib.suppress(Exception):
                self._pool = await self._starting
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool, self._starting = None, None
