"""The flow of one fetch run, in a few lines: each source is fetched, parsed, its new items'
pages fetched and extracted, normalized into articles and stored as pending; then the pending
articles are understood. The stages live in ingest/ and understand/; this module only wires them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tagwire.config import Settings
from tagwire.errors import FetchError, HTTPStatusError, ParseError
from tagwire.ingest import schedule
from tagwire.ingest.fetch import PAGE_ACCEPT, Fetcher, Response
from tagwire.ingest.normalize import build_article, canonical_url
from tagwire.ingest.parse import parse_feed
from tagwire.ingest.robots import RobotsCache
from tagwire.ingest.sitemaps import read_sitemap
from tagwire.models import Article, FeedItem, PageInfo, ParsedFeed, Source
from tagwire.store import Repository
from tagwire.understand.copies import content_hash


@dataclass
class RunSummary:
    sources: int = 0
    not_modified: int = 0
    failed: int = 0
    new_articles: int = 0
    collapsed: int = 0
    pages_failed: int = 0
    pages_refused: int = 0
    understood: int = 0
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)


Progress = Callable[[str, int], None]  # (event, count): "source", "article", "error", "understood"


@dataclass
class Run:
    repo: Repository
    settings: Settings
    feeds_only: bool = False
    progress: Progress | None = None
    summary: RunSummary = field(default_factory=RunSummary)
    _robots: RobotsCache | None = field(default=None, init=False, repr=False)

    async def fetch(self, sources: list[Source]) -> RunSummary:
        started = time.perf_counter()
        async with Fetcher(self.settings) as fetcher:
            self._robots = RobotsCache(fetcher)  # article pages only: a feed was asked for by name
            await asyncio.gather(*(self.process(fetcher, s) for s in sources))
        self.summary.sources += len(sources)
        self.summary.seconds += time.perf_counter() - started
        return self.summary

    async def process(self, fetcher: Fetcher, source: Source) -> None:
        """One source: fetch, parse, read new items' pages, store them as pending."""
        now = datetime.now(UTC)
        try:
            response = await fetcher.get(source.url, etag=source.etag, last_modified=source.last_modified)
            if response.not_modified:
                self.summary.not_modified += 1
                return self._succeeded(source, now, None, response.status)
            feed = await self._parse(fetcher, source, response, now)
        except (FetchError, ParseError) as error:
            return self._failed(source, now, error)
        source.etag, source.last_modified = response.etag, response.last_modified
        source.title, source.site_url = feed.title or source.title, feed.site_url or source.site_url
        items = self._new_items(feed.items)
        articles = await asyncio.gather(*(self.read(fetcher, source, item, now) for item in items))
        self._store(articles, now)
        source.items_seen += len(articles)
        self._succeeded(source, now, feed.problem, response.status)

    async def _parse(self, fetcher: Fetcher, source: Source, response: Response, now: datetime) -> ParsedFeed:
        if source.kind == "sitemap":
            return await read_sitemap(fetcher, response.body, response.url, now)
        return parse_feed(response.body, response.url, response.content_type)

    def _new_items(self, items: list[FeedItem]) -> list[FeedItem]:
        """Items not seen before, oldest listing first (feeds list newest first)."""
        ordered = list(reversed(items))
        known = self.repo.known_urls([u for it in ordered for u in (it.url, canonical_url(it.url))])
        fresh, seen = [], set(known)
        for it in ordered:
            keys = {it.url, canonical_url(it.url)}
            if not keys & seen:
                fresh.append(it)
            elif not keys <= known:
                self.summary.collapsed += 1  # listed twice in this feed
            seen |= keys
        return fresh

    async def read(self, fetcher: Fetcher, source: Source, item: FeedItem, now: datetime) -> Article:
        page, problem = None, None
        if not self.feeds_only:
            page, problem = await self._page(fetcher, item.url)
        article = build_article(
            item, page, source_title=source.title, source_url=source.url, page_problem=problem, fetched_at=now
        )
        article.source_id, article.content_hash = source.id, content_hash(article.text)
        return article

    async def _page(self, fetcher: Fetcher, url: str) -> tuple[PageInfo | None, str | None]:
        if self._robots is not None and not await self._robots.allowed(url):
            self.summary.pages_refused += 1
            return None, self._robots.refusal(url)
        try:
            response = await fetcher.get(url, accept=PAGE_ACCEPT)
        except FetchError as error:
            self.summary.pages_failed += 1
            return None, f"page not read: {error}"
        from tagwire.ingest.extract import extract_page  # trafilatura loads only when pages are read

        page = await asyncio.to_thread(extract_page, response.body, response.url)
        return page, None if page.text else "page read, but no article text found in it"

    def _store(self, articles: list[Article], now: datetime) -> None:
        for created in (c for _, c in self.repo.add_articles(articles, fetched_at=now)):
            self.summary.new_articles += created
            self.summary.collapsed += not created
        self._tick("article", len(articles))

    def _succeeded(self, source: Source, now: datetime, problem: str | None, status: int) -> None:
        source.last_status = status
        next_check = schedule.after_success(now, self.settings.fetch_interval)
        self.repo.record_success(source, checked=now, next_check=next_check, problem=problem)
        self._tick("source", 1)

    def _failed(self, source: Source, now: datetime, error: FetchError | ParseError) -> None:
        status = error.status if isinstance(error, HTTPStatusError) else None
        retry = error.retry_after if isinstance(error, HTTPStatusError) else None
        next_check, hold = schedule.after_error(now, self.settings.fetch_interval, source.error_count, retry)
        self.repo.record_error(
            source, str(error), status=status, checked=now, next_check=next_check, hold_until=hold
        )
        self.summary.failed += 1
        self.summary.errors.append((source.url, str(error)))
        self._tick("error", 1)
        self._tick("source", 1)

    def _tick(self, event: str, n: int) -> None:
        if self.progress:
            self.progress(event, n)


def understand_pending(
    repo: Repository,
    settings: Settings,
    progress: Progress | None = None,
    stop: Callable[[], bool] | None = None,
) -> int:
    """The understanding stage on whatever ingest left pending (until `stop()` says so)."""
    from tagwire.understand.engine import Understander

    return Understander(repo, settings).run_pending(
        lambda n: progress("understood", n) if progress else None, stop
    )
