"""A fetch run against a real local server: the next check follows how often a feed publishes,
a robots.txt Crawl-delay spaces the page requests to its origin, and what a run did is written
even when it is cancelled; understanding runs alongside a fetch."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from tagwire.app import fetching
from tagwire.app.fetching import Fetching
from tagwire.errors import DiskFull
from tagwire.models import Source
from tagwire.store import Repository, open_store
from tests.webserver import Handler, Server, settings

STORY = "<html><body><article><h1>{title}</h1><p>{body}</p></article></body></html>"


def rss(base: str, dates: list[datetime]) -> bytes:
    items = "".join(
        f"<item><title>Pier report {i}</title><link>{base}/news/{i}.html</link>"
        f"<description>The pier committee met for the {i}th time.</description>"
        f"<pubDate>{format_datetime(d)}</pubDate></item>"
        for i, d in enumerate(dates)
    )
    channel = f"<channel><title>Pier Post</title>{items}</channel>"
    return f"<?xml version='1.0'?><rss version='2.0'>{channel}</rss>".encode()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Repository]:
    repo = open_store(str(tmp_path / "tw.db"))
    yield repo
    repo.close()


def run(repo: Repository, source: Source, *, feeds_only: bool = True) -> None:
    asyncio.run(Fetching(repo, settings(), feeds_only=feeds_only).fetch([source]))


def only_source(repo: Repository) -> Source:
    (source,) = repo.sources()
    return source


def timed_page(arrivals: list[float]) -> Callable[[Handler], None]:
    """A route answering an article page, noting when each request arrived.

    A Crawl-delay spaces the starts of requests, not their arrivals: a slow connection set-up
    for the first page (a loaded machine) brings the two arrivals closer than the delay. So a test
    measures the later page's arrival from before the run began, a bound no latency can break."""

    def page(h: Handler) -> None:
        arrivals.append(time.monotonic())
        h.reply(
            200,
            STORY.format(title="Pier", body="The committee met. " * 40).encode(),
            Content_Type="text/html",
        )

    return page


def interval(source: Source) -> timedelta:
    assert source.next_check is not None and source.last_checked is not None
    return source.next_check - source.last_checked


def test_next_check_follows_the_feeds_rhythm_and_survives_a_304(server: Server, store: Repository) -> None:
    now = datetime.now(UTC)
    body = rss(server.url(""), [now - timedelta(minutes=20, hours=2 * i) for i in range(8)])

    def feed(h: Handler) -> None:
        if h.headers.get("If-None-Match") == '"pier"':
            return h.reply(304, ETag='"pier"')
        h.reply(200, body, Content_Type="application/rss+xml", ETag='"pier"')

    server.routes["/feed.xml"] = feed
    store.add_source(server.url("/feed.xml"), now=now)
    run(store, only_source(store))
    assert interval(only_source(store)) == timedelta(hours=2)  # one item every two hours
    run(store, only_source(store))
    source = only_source(store)
    assert source.last_status == 304 and interval(source) == timedelta(hours=2)  # kept


def test_crawl_delay_spaces_the_page_requests(server: Server, store: Repository) -> None:
    now = datetime.now(UTC)
    arrivals: list[float] = []

    page = timed_page(arrivals)

    server.routes["/robots.txt"] = lambda h: h.reply(200, b"User-agent: *\nCrawl-delay: 1\n")
    server.routes["/feed.xml"] = lambda h: h.reply(200, rss(server.url(""), [now, now - timedelta(hours=1)]))
    server.routes["/news/0.html"] = server.routes["/news/1.html"] = page
    store.add_source(server.url("/feed.xml"), now=now)
    began = time.monotonic()
    run(store, only_source(store), feeds_only=False)
    assert len(arrivals) == 2 and arrivals[1] - began >= 0.9  # see timed_page


def test_a_cancelled_run_keeps_what_it_finished(server: Server, store: Repository) -> None:
    """One source answers at once, the other stalls; cancelling the run still stores the first."""
    now = datetime.now(UTC)
    server.routes["/quick.xml"] = lambda h: h.reply(
        200, rss(server.url("/q"), [now, now - timedelta(hours=1)])
    )

    def stall_route(h: Handler) -> None:
        server.release.wait(10)
        h.reply(500)

    server.routes["/stall.xml"] = stall_route
    quick, _ = store.add_source(server.url("/quick.xml"), now=now)
    stall, _ = store.add_source(server.url("/stall.xml"), now=now)

    async def cancelled() -> None:
        task = asyncio.ensure_future(Fetching(store, settings(), feeds_only=True).fetch([quick, stall]))
        await asyncio.sleep(1.0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(cancelled())
    by_url = {s.url: s for s in store.sources()}
    assert by_url[quick.url].last_status == 200 and by_url[stall.url].last_checked is None
    assert store.stats()["articles"] == 2


def test_a_slow_page_does_not_hold_its_sources_other_articles(server: Server, store: Repository) -> None:
    """One page of a feed answers only once the feed's other articles are in the store: they
    are stored as they are read, not after the source's slowest page (a worker killed during
    that page loses none of them)."""
    now = datetime.now(UTC)
    listed = [now - timedelta(hours=i) for i in range(4)]
    server.routes["/feed.xml"] = lambda h: h.reply(200, rss(server.url(""), listed))
    towns = ["Ashby", "Brill", "Cotes", "Dunmore"]

    def page(i: int) -> Callable[[Handler], None]:
        body = f"The pier committee of {towns[i]} met on a windy morning. " * 20
        return lambda h: h.reply(
            200, STORY.format(title=towns[i], body=body).encode(), Content_Type="text/html"
        )

    for i in range(1, 4):
        server.routes[f"/news/{i}.html"] = page(i)
    stored_before_it_answered: list[int] = []

    def slow(h: Handler) -> None:
        deadline = time.monotonic() + 20
        while store.stats()["articles"] < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        stored_before_it_answered.append(store.stats()["articles"])
        page(0)(h)

    server.routes["/news/0.html"] = slow
    source, _ = store.add_source(server.url("/feed.xml"), now=now)
    run(store, source, feeds_only=False)
    assert stored_before_it_answered == [3]
    assert store.stats()["articles"] == 4


def test_of_two_listings_of_one_article_the_first_listed_is_kept_whichever_page_answers_first(
    server: Server, store: Repository
) -> None:
    """An outlet lists one article twice, with two titles; the listing first in the feed's order
    (oldest first, as one batch stores them) is kept even when its page answers last."""
    now = datetime.now(UTC)
    body = "The pier committee of Ashby met on a windy morning and chose a new chair. " * 20
    items = "".join(
        f"<item><title>{title}</title><link>{server.url(path)}</link>"
        f"<pubDate>{format_datetime(now)}</pubDate></item>"
        for title, path in (
            ("Ashby picks a chair", "/news/b.html"),
            ("Ashby pier picks a chair", "/news/a.html"),
        )
    )
    feed = f"<?xml version='1.0'?><rss version='2.0'><channel><title>Pier Post</title>{items}</channel></rss>"
    server.routes["/feed.xml"] = lambda h: h.reply(200, feed.encode())

    def page(h: Handler) -> None:
        h.reply(200, STORY.format(title="Ashby", body=body).encode(), Content_Type="text/html")

    def late_page(h: Handler) -> None:
        time.sleep(0.5)
        page(h)

    server.routes["/news/a.html"], server.routes["/news/b.html"] = late_page, page
    source, _ = store.add_source(server.url("/feed.xml"), now=now)
    run(store, source, feeds_only=False)
    with store.engine.connect() as conn:
        titles = [t for (t,) in conn.exec_driver_sql("SELECT title FROM articles")]
    assert titles == ["Ashby pier picks a chair"]


@pytest.mark.slow
def test_understanding_alongside_a_fetch_takes_what_is_stored(store: Repository) -> None:
    """The thread understands articles stored while the fetch runs, and stops when told."""
    from tagwire.app.fetching import understanding_alongside
    from tests.newstexts import article

    batch = [
        article(i, "Pier News", "Pier committee meets", f"The pier committee met for the {i}th time.", i)
        for i in range(3)
    ]
    with understanding_alongside(store, settings(), enabled=True) as done:
        store.add_articles(batch, fetched_at=datetime.now(UTC))
        deadline = time.monotonic() + 120
        while store.count_pending() and time.monotonic() < deadline:
            time.sleep(0.2)
    assert done == [3] and store.count_pending() == 0


def test_a_robots_cache_kept_across_runs_reads_robots_txt_once(server: Server, store: Repository) -> None:
    """As `tagwire run` keeps it: the second run (new pages) asks robots.txt nothing, and the
    Crawl-delay read in the first still spaces the second run's page requests."""
    from tagwire.ingest.robots import RobotsCache

    now, robots_asked, arrivals = datetime.now(UTC), [0], list[float]()
    listed = [now]

    def robots(h: Handler) -> None:
        robots_asked[0] += 1
        h.reply(200, b"User-agent: *\nCrawl-delay: 1\n")

    page = timed_page(arrivals)

    server.routes["/robots.txt"] = robots
    server.routes["/feed.xml"] = lambda h: h.reply(200, rss(server.url(""), listed))
    for i in range(4):
        server.routes[f"/news/{i}.html"] = page
    store.add_source(server.url("/feed.xml"), now=now)
    cache = RobotsCache()
    asyncio.run(Fetching(store, settings(), robots=cache).fetch([only_source(store)]))
    listed[:] = [now - timedelta(minutes=m) for m in (3, 2, 1)]  # new items: /news/1..2 (0 is known)
    began = time.monotonic()
    asyncio.run(Fetching(store, settings(), robots=cache).fetch([only_source(store)]))
    assert robots_asked[0] == 1
    assert len(arrivals) == 3 and arrivals[2] - began >= 0.9  # see timed_page
    uncached = Fetching(store, settings())  # without a kept cache, each run asks again
    listed[:] = [now - timedelta(minutes=m) for m in (4, 3, 2, 1)]  # a new item: /news/3
    asyncio.run(uncached.fetch([only_source(store)]))
    assert robots_asked[0] == 2


def test_a_full_disk_met_while_a_source_is_read_is_not_that_sources_error(
    server: Server, store: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write that meets a full disk may come while a source's results are recorded (a flush
    is due): the run stops with the store's error, and the source gets no error and no backoff,
    so the next run fetches it and stores its articles (tests/test_disk_full.py on a real full
    disk lost a source's articles this way, now and then)."""
    now = datetime.now(UTC)
    server.routes["/feed.xml"] = lambda h: h.reply(200, rss(server.url(""), [now, now - timedelta(hours=1)]))
    store.add_source(server.url("/feed.xml"), now=now)
    monkeypatch.setattr(fetching, "FLUSH_SECONDS", 0.0)  # each source's result written at once
    real, calls = store.save_fetches, [0]

    def full_once(*args: Any, **kwargs: Any) -> list[tuple[int, bool]]:
        calls[0] += 1
        if calls[0] == 1:
            raise DiskFull("the disk holding the database is full (no space left)")
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "save_fetches", full_once)
    with pytest.raises(DiskFull):
        run(store, only_source(store))
    source = only_source(store)
    assert source.error_count == 0 and source.hold_until is None and source.last_checked is None
    run(store, only_source(store))
    assert store.stats()["articles"] == 2
