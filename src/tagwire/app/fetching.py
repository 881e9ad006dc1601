"""Fetching, the use case: each source is fetched, parsed, its new items' pages fetched and
extracted, normalized into articles and stored as pending, while a thread understands what is
already stored; then what is still pending is understood. The stages live in ingest/ and
understand/; this module only wires them (`fetch_sources` for the faces, `Fetching` for one
round over many sources, which `tagwire run` repeats)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tagwire.app.reading import Entry, FeedReaders, Plan, ReadFeed, make_article, read_items
from tagwire.config import Settings
from tagwire.errors import FetchError, HTTPStatusError, OverBudget, ParseError, StoreError
from tagwire.ingest import schedule
from tagwire.ingest.fetch import PAGE_ACCEPT, Fetcher, Response
from tagwire.ingest.limits import Limits
from tagwire.ingest.workers import Extractors

if TYPE_CHECKING:
    from tagwire.ingest.robots import RobotsCache
from tagwire.app.understanding import understand_pending
from tagwire.models import Article, ArticleStatus, PageInfo, Source
from tagwire.store import Repository
from tagwire.store.jobs import JobRequest
from tagwire.store.repository import SourceOutcome, error_outcome, success_outcome


@dataclass
class FetchSummary:
    sources: int = 0
    not_modified: int = 0
    failed: int = 0
    new_articles: int = 0
    collapsed: int = 0
    pages_failed: int = 0  # article pages not read, for whatever reason (page_failures says which)
    pages_refused: int = 0  # of those, refused by a robots.txt rule
    page_failures: Counter[str] = field(default_factory=Counter)  # cause -> pages ("DNS": 113)
    degraded: list[tuple[str, str]] = field(default_factory=list)  # sources none of whose pages were read
    skipped: int = 0  # items whose URL is over the max_url_chars cap
    deferred: int = 0  # new items past the max_items_per_feed cap, left for the next runs
    quarantined: int = 0  # articles understanding gave up on (see understand/engine.py)
    understood: int = 0
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _PageTally:
    """The article pages of one source's fetch: tried, failed, and the failures' causes."""

    tried: int = 0
    failed: int = 0
    causes: Counter[str] = field(default_factory=Counter)
    example: str = ""

    def add(self, cause: str | None, problem: str | None) -> None:
        self.tried += 1
        if cause is not None:
            self.failed += 1
            self.causes[cause] += 1
            self.example = self.example or (problem or "").removeprefix("page not read: ")


Progress = Callable[[str, int], None]  # (event, count): "source", "article", "error", "understood"

FLUSH_ARTICLES = 2000  # sources' results are written together once this many articles wait...
FLUSH_SECONDS = 2.0  # ...or this long after the last write: few transactions, results seen soon


@dataclass
class Fetching:
    repo: Repository
    settings: Settings
    feeds_only: bool = False
    progress: Progress | None = None
    summary: FetchSummary = field(default_factory=FetchSummary)
    _robots: RobotsCache | None = field(default=None, init=False, repr=False)
    _articles: list[Article] = field(default_factory=list, init=False, repr=False)
    _outcomes: list[SourceOutcome] = field(default_factory=list, init=False, repr=False)
    _flushed: float = field(default_factory=time.perf_counter, init=False, repr=False)
    _write_failed: StoreError | None = field(default=None, init=False, repr=False)
    extractors: Extractors | None = None  # given: its owner closes it (`tagwire run` keeps one)
    readers: FeedReaders | None = None  # the same
    robots: RobotsCache | None = None  # given: its rules last across runs (`tagwire run` keeps one)
    # given (a cluster's worker): the jobs that continue new articles' work, stored with them
    follow_up: Callable[[list[int]], Sequence[JobRequest]] | None = None
    _extractors: Extractors = field(init=False, repr=False)
    _readers: FeedReaders = field(init=False, repr=False)
    _limits: Limits = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._extractors = self.extractors or Extractors.per_setting(
            self.settings.extract_processes, self.settings.extract_budget
        )
        self._readers = self.readers or FeedReaders.per_setting(self.settings.read_processes)
        self._limits = Limits.of(self.settings)

    async def fetch(self, sources: list[Source]) -> FetchSummary:
        """Every source, concurrently; what is done is written even when the run is cancelled."""
        started, self._robots = time.perf_counter(), None  # else cached for this run only
        try:
            async with Fetcher(self.settings) as fetcher:
                if self.robots is not None:  # the rules kept across runs; the requests this run's
                    self._robots = self.robots.for_run(fetcher)
                flushing = asyncio.ensure_future(self._flush_every())
                try:
                    await asyncio.gather(*(self.process(fetcher, s) for s in sources))
                finally:
                    flushing.cancel()
        finally:
            try:
                if self.extractors is None:
                    self._extractors.close()
                if self.readers is None:
                    await self._readers.aclose()
            finally:
                self.flush()
        self.summary.sources += len(sources)
        self.summary.seconds += time.perf_counter() - started
        return self.summary

    async def process(self, fetcher: Fetcher, source: Source) -> None:
        """One source, whatever it serves: what goes wrong is recorded on it, never raised into
        the run (a bug that one outlet's content triggers stops that outlet, not the others)."""
        try:
            await self._process(fetcher, source, datetime.now(UTC))
        except StoreError:  # the store failed writing what was read (a full disk): not the
            raise  # source's fault, so no error and no backoff on it; the run stops, nothing saved is lost
        except Exception as error:  # the boundary: recorded on the source, the run goes on
            unexpected = FetchError(f"tagwire could not read this source ({type(error).__name__}: {error})")
            self._failed(source, datetime.now(UTC), unexpected)

    async def _process(self, fetcher: Fetcher, source: Source, now: datetime) -> None:
        """Fetch, parse, read new items' pages, store them as pending."""
        try:
            response = await fetcher.get(source.url, etag=source.etag, last_modified=source.last_modified)
            if response.not_modified:
                self.summary.not_modified += 1
                return self._succeeded(source, now, None, response.status)
            read = await self._read(fetcher, source, response, now)
        except (FetchError, ParseError) as error:
            return self._failed(source, now, error)
        feed = read.feed
        source.etag, source.last_modified = response.etag, response.last_modified
        source.title, source.site_url = feed.title or source.title, feed.site_url or source.site_url
        self.summary.skipped += len(feed.items) - len(read.entries)  # URLs over max_url_chars
        entries = self._new_entries(read.entries)
        if len(entries) == self._limits.items:  # some may have been left for the next runs, which
            source.etag = source.last_modified = None  # must get the whole feed, not a 304
        pages = _PageTally()
        await self._keep(fetcher, source, entries, now, pages)
        self._judge_pages(source, pages)
        source.items_seen += len(entries)
        dates = [it.published for it in feed.items if it.published is not None]
        self._succeeded(source, now, feed.problem, response.status, dates)

    async def _keep(
        self, fetcher: Fetcher, source: Source, entries: list[Entry], now: datetime, pages: _PageTally
    ) -> None:
        """The new items' pages read all at once, each article left to be written with the next
        batch once it and the items listed before it are read: a page that takes its whole
        timeout holds only the articles listed after it (a worker killed meanwhile loses none of
        the others; the source, whose validators are written last, is fetched whole again and
        skips what is stored), and listing order still decides, as within one batch, which of
        two listings of one article is the one kept."""
        reads = [asyncio.ensure_future(self.read(fetcher, source, e, now, tally=pages)) for e in entries]
        try:
            for read in reads:
                article = await read  # before the list is named: a flush may begin another meanwhile
                self._articles.append(article)
                self._tick("article", 1)
                self._flush_when_due()
        finally:
            for read in reads:
                read.cancel()

    async def _read(self, fetcher: Fetcher, source: Source, response: Response, now: datetime) -> ReadFeed:
        """The feed, its items' keys and, in a fetch of feed items only, their articles."""
        plan = Plan(source.id, source.title, source.url, now, self._limits, articles=self.feeds_only)
        if source.kind == "sitemap":
            from tagwire.ingest.sitemap_source import read_sitemap  # lxml: loaded for sitemap sources only

            return read_items(await read_sitemap(fetcher, response.body, response.url, now), plan)
        # off the event loop: a hostile body costs seconds to parse, and the other fetches go on
        return await self._readers.read(response.body, response.url, response.content_type, plan)

    def _new_entries(self, entries: list[Entry]) -> list[Entry]:
        """Items not seen before, oldest listing first (feeds list newest first); at most the
        newest `max_items_per_feed` of them (the others come in the next runs)."""
        fresh = self._unseen(entries[::-1])
        kept = self._limits.newest(fresh)
        self.summary.deferred += len(fresh) - len(kept)
        return kept

    def _unseen(self, ordered: list[Entry]) -> list[Entry]:
        known = self.repo.known_urls([u for e in ordered for u in e.keys])
        fresh, seen = [], set(known)
        for e in ordered:
            if not e.keys & seen:
                fresh.append(e)
            elif not e.keys <= known:
                self.summary.collapsed += 1  # listed twice in this feed
            seen |= e.keys
        return fresh

    def _judge_pages(self, source: Source, pages: _PageTally) -> None:
        """A fetch that read pages sets the source's page_error when none could be read (the
        source is then degraded, not ok), and clears it when one could."""
        if not pages.tried:
            return
        if pages.failed < pages.tried:
            source.page_error = None
            return
        causes = ", ".join(f"{n} {cause}" for cause, n in pages.causes.most_common())
        source.page_error = (
            f"none of its {pages.tried} new article pages could be read: {causes} (e.g. {pages.example})"
        )
        self.summary.degraded.append((source.url, source.page_error))

    async def read(
        self,
        fetcher: Fetcher,
        source: Source,
        entry: Entry,
        now: datetime,
        *,
        tally: _PageTally | None = None,
    ) -> Article:
        """An item as an article: its page read (not for a `post` of a live page, whose page all
        its posts share: each keeps its own feed text), merged, capped (already done when the
        feed was read, in a fetch of feed items only)."""
        if entry.article is not None:
            return entry.article
        page, problem = None, None
        if not (self.feeds_only or entry.post):
            page, problem, cause = await self._page(fetcher, entry.item.url)
            if tally is not None:
                tally.add(cause, problem)
        plan = Plan(source.id, source.title, source.url, now, self._limits)
        return make_article(entry, page, plan, source_title=source.title, page_problem=problem)

    async def _page(self, fetcher: Fetcher, url: str) -> tuple[PageInfo | None, str | None, str | None]:
        """The page read and extracted, or the problem to record on the article and its cause
        in a few words ("DNS", "robots.txt rule", "HTTP 404", "too large", ...)."""
        robots = self._robots_of(fetcher)
        if not await robots.allowed(url):
            cause = robots.refusal_cause(url)
            self.summary.pages_refused += cause == "robots.txt rule"
            return self._page_failed(cause, robots.refusal(url))
        try:
            response = await fetcher.get(url, accept=PAGE_ACCEPT)
        except FetchError as error:
            return self._page_failed(error.cause, f"page not read: {error}")
        try:
            page = await self._extractors.extract(response.body, response.url)
        except OverBudget as error:
            return self._page_failed("extraction over its time budget", f"page not read: {error}")
        return page, None if page.text else "page read, but no article text found in it", None

    def _page_failed(self, cause: str, problem: str) -> tuple[None, str, str]:
        self.summary.pages_failed += 1
        self.summary.page_failures[cause] += 1
        return None, problem, cause

    def _robots_of(self, fetcher: Fetcher) -> RobotsCache:
        """robots.txt rules, for article pages only (a feed was asked for by name)."""
        if self._robots is None:
            from tagwire.ingest.robots import RobotsCache

            self._robots = RobotsCache(fetcher)
        return self._robots

    def flush(self) -> None:
        """Write the waiting articles and source outcomes in one transaction."""
        if self._write_failed is not None:  # nothing more this run: a source's outcome (its
            raise self._write_failed  # validators) written without its articles would lose them
        batch, outcomes = self._articles, self._outcomes
        self._articles, self._outcomes, self._flushed = [], [], time.perf_counter()
        if not (batch or outcomes):
            return
        now, then = datetime.now(UTC), self.follow_up
        try:
            stored = self.repo.save_fetches(batch, outcomes, fetched_at=now, follow_up=then)
        except StoreError as error:  # a full disk: rolled back; the run stops, nothing more is written
            self._write_failed = error
            raise
        for _, created in stored:
            self.summary.new_articles += created
            self.summary.collapsed += not created

    def _done(self, outcome: SourceOutcome) -> None:
        self._outcomes.append(outcome)
        self._flush_when_due()

    async def _flush_every(self) -> None:
        """Write what waits at least every FLUSH_SECONDS while pages are read, so that what a
        source has read is stored while one of its pages takes its whole timeout."""
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            self._flush_when_due()

    def _flush_when_due(self) -> None:
        waited = time.perf_counter() - self._flushed
        if len(self._articles) >= FLUSH_ARTICLES or waited >= FLUSH_SECONDS:
            self.flush()

    def _succeeded(
        self,
        source: Source,
        now: datetime,
        problem: str | None,
        status: int,
        dates: list[datetime] | None = None,
    ) -> None:
        """Record a fetch that worked; the next check follows how often the source publishes."""
        source.last_status = status
        previous = (
            schedule.previous_interval(source.last_checked, source.next_check)
            if not source.error_count
            else None
        )
        next_check = schedule.after_success(now, self._intervals, dates or (), previous)
        self._done(success_outcome(source, checked=now, next_check=next_check, problem=problem))
        self._tick("source", 1)

    def _failed(self, source: Source, now: datetime, error: FetchError | ParseError) -> None:
        status = error.status if isinstance(error, HTTPStatusError) else None
        retry = error.retry_after if isinstance(error, HTTPStatusError) else None
        next_check, hold = schedule.after_error(now, self.settings.fetch_interval, source.error_count, retry)
        self._done(
            error_outcome(
                source, str(error), status=status, checked=now, next_check=next_check, hold_until=hold
            )
        )
        self.summary.failed += 1
        self.summary.errors.append((source.url, str(error)))
        self._tick("error", 1)
        self._tick("source", 1)

    @property
    def _intervals(self) -> schedule.Intervals:
        s = self.settings
        return schedule.Intervals.of(s.fetch_interval, s.min_fetch_interval, s.max_fetch_interval)

    def _tick(self, event: str, n: int) -> None:
        if self.progress:
            self.progress(event, n)


def fetch_sources(
    repo: Repository,
    settings: Settings,
    *,
    feeds_only: bool = False,
    understand: bool = True,
    due_only: bool = False,
    progress: Progress | None = None,
) -> FetchSummary:
    """The fetch use case (`tagwire fetch`): every source (or those due), what is new stored and,
    unless `understand` is False, understood: alongside the fetch, then what is left. `progress`
    hears "sources" (how many there are), each "source", "article" and "error", then "pending"
    (how many are left to understand) and each "understood"."""
    sources = repo.fetchable_sources(datetime.now(UTC), due_only=due_only)
    if progress:
        progress("sources", len(sources))
    set_aside = repo.count_status(ArticleStatus.QUARANTINED)
    fetching = Fetching(repo, settings, feeds_only=feeds_only, progress=progress)
    with understanding_alongside(repo, settings, enabled=understand and not feeds_only) as early:
        summary = asyncio.run(fetching.fetch(sources))
    if understand:
        if progress:
            progress("pending", repo.count_pending())
        summary.understood = early[0] + understand_pending(repo, settings, progress)
        summary.quarantined = repo.count_status(ArticleStatus.QUARANTINED) - set_aside
    return summary


@contextmanager
def understanding_alongside(repo: Repository, settings: Settings, *, enabled: bool) -> Iterator[list[int]]:
    """While a fetch reads article pages (network waits, extraction in worker processes), a
    thread understands what the fetch has already stored, batch by batch; it stops after its
    current batch once the fetch is over, and whatever is still pending is left to the caller.
    Yields a one-item list: how many articles the thread understood. An error in the thread is
    raised here, after the fetch, like any other."""
    done, over, failed = [0], threading.Event(), list[BaseException]()

    def work() -> None:
        from tagwire.understand.engine import Understander

        try:
            understander = Understander(repo, settings)  # one, so its caches last the whole fetch
            try:
                while not over.is_set():
                    done[0] += understand_pending(repo, settings, stop=over.is_set, understander=understander)
                    over.wait(0.5)  # nothing pending yet: look again soon
            finally:
                understander.close()
        except Exception as error:  # raised in the caller's thread, where the CLI reports it
            failed.append(error)

    thread = threading.Thread(target=work, name="understand-alongside", daemon=True) if enabled else None
    if thread:
        thread.start()
    try:
        yield done
    finally:
        over.set()
        if thread:
            thread.join()
    if failed:
        raise failed[0]
