"""robots.txt against real HTTP servers on 127.0.0.1: rules by path and by agent, what a 404, a 500
and an unreachable server mean, one fetch per origin however many ask, the cache's lifetime, and
Crawl-delay."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import pytest

from tagwire import config
from tagwire.ingest.fetch import Fetcher
from tagwire.ingest.robots import DISALLOWED, RobotsCache, robots_url
from tests.webserver import Handler, Server, settings

T = TypeVar("T")

RULES = b"""# Harbour Gazette robots
User-agent: *
Disallow: /private/
Allow: /private/open/
Disallow: /*?print=
Disallow: /*.pdf$
"""


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True).start()
    yield srv
    srv.release.set()
    srv.shutdown()
    srv.server_close()


def robots(body: bytes, delay: float = 0.0) -> Callable[[Handler], None]:
    def route(handler: Handler) -> None:
        time.sleep(delay)  # lets concurrent callers pile up behind the one fetch
        handler.reply(200, body, Content_Type="text/plain")

    return route


def with_cache(
    use: Callable[[RobotsCache], Awaitable[T]], s: config.Settings | None = None, **kwargs: Any
) -> T:
    async def run() -> T:
        async with Fetcher(s or settings()) as fetcher:
            return await use(RobotsCache(fetcher, **kwargs))

    return asyncio.run(run())


def verdicts(server: Server, paths: list[str], **kwargs: Any) -> list[bool]:
    async def use(cache: RobotsCache) -> list[bool]:
        return [await cache.allowed(server.url(p)) for p in paths]

    return with_cache(use, **kwargs)


def hits(server: Server) -> int:
    return server.paths().count("/robots.txt")


# Rules


def test_disallow_and_allow_by_path(server: Server) -> None:
    server.routes["/robots.txt"] = robots(RULES)
    paths = [
        "/news/1.html",
        "/private/x.html",
        "/private/open/y.html",
        "/news/1.html?print=1",
        "/a.pdf",
        "/a.pdfx",
    ]
    assert verdicts(server, paths) == [True, False, True, False, False, True]
    assert hits(server) == 1


def test_tagwire_group_replaces_the_star_group(server: Server) -> None:
    server.routes["/robots.txt"] = robots(
        b"User-agent: *\nDisallow: /\n\nUser-agent: TagWire\nDisallow: /drafts/\n\n"
        b"User-agent: otherbot\nDisallow: /news/\n"
    )
    assert verdicts(server, ["/news/1.html", "/drafts/2.html"]) == [True, False]
    assert verdicts(server, ["/news/1.html"], user_agent_token="somebot") == [False]


def test_empty_robots_allows_everything(server: Server) -> None:
    server.routes["/robots.txt"] = robots(b"")
    assert verdicts(server, ["/", "/private/x"]) == [True, True]


def test_missing_robots_allows_everything(server: Server) -> None:
    async def use(cache: RobotsCache) -> tuple[bool, str | None, float | None]:
        url = server.url("/private/x.html")
        return await cache.allowed(url), cache.note(url), cache.crawl_delay(url)

    assert with_cache(use) == (True, None, None)  # no route: the test server answers 404
    assert hits(server) == 1


@pytest.mark.parametrize("status", [401, 403, 410])
def test_other_4xx_allow_everything(server: Server, status: int) -> None:
    server.routes["/robots.txt"] = lambda h: h.reply(status)
    assert verdicts(server, ["/news/1.html"]) == [True]


# Unreachable robots.txt (RFC 9309: assume complete disallow)


def test_500_disallows_with_a_note(server: Server) -> None:
    server.routes["/robots.txt"] = lambda h: h.reply(500)

    async def use(cache: RobotsCache) -> tuple[bool, str]:
        url = server.url("/news/1.html")
        return await cache.allowed(url), cache.refusal(url)

    allowed, refusal = with_cache(use)
    assert not allowed
    assert refusal == (
        f"page not read: robots.txt of {server.url('')} could not be read "
        f"({server.url('/robots.txt')} answered 500 Internal Server Error); no page is read until it can be"
    )


def test_500_allows_when_asked_to(server: Server) -> None:
    server.routes["/robots.txt"] = lambda h: h.reply(503)

    async def use(cache: RobotsCache) -> tuple[bool, str | None]:
        url = server.url("/news/1.html")
        return await cache.allowed(url), cache.note(url)

    allowed, note = with_cache(use, allow_unreachable=True)
    assert (
        allowed
        and note is not None
        and note.endswith("answered 503 Service Unavailable); pages are read anyway")
    )


def test_429_counts_as_unreachable(server: Server) -> None:
    server.routes["/robots.txt"] = lambda h: h.reply(429, Retry_After="60")
    assert verdicts(server, ["/news/1.html"]) == [False]


def test_rules_read_before_stay_in_force_when_robots_fails_later(server: Server) -> None:
    server.routes["/robots.txt"] = robots(RULES)

    async def use(cache: RobotsCache) -> list[bool]:
        first = [await cache.allowed(server.url(p)) for p in ("/news/1", "/private/x")]
        server.routes["/robots.txt"] = lambda h: h.reply(500)
        await asyncio.sleep(0.15)  # past the ttl: asks again, gets a 500
        second = [await cache.allowed(server.url(p)) for p in ("/news/1", "/private/x")]
        return first + second

    assert with_cache(use, ttl=0.1) == [True, False, True, False]
    assert hits(server) == 2


def test_connection_refused_disallows_at_once() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago and has no listener
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def use(cache: RobotsCache) -> tuple[bool, str]:
        url = f"http://127.0.0.1:{port}/news/1.html"
        return await cache.allowed(url), cache.refusal(url)

    allowed, refusal = with_cache(use)
    assert not allowed and "connection refused" in refusal


def test_a_stalled_robots_costs_one_timeout_per_origin(server: Server) -> None:
    def stall(handler: Handler) -> None:
        handler.server.release.wait(10)

    server.routes["/robots.txt"] = stall

    async def use(cache: RobotsCache) -> list[bool]:
        return await asyncio.gather(*(cache.allowed(server.url(f"/news/{i}")) for i in range(10)))

    started = time.monotonic()
    assert with_cache(use, settings(fetch_timeout=0.3)) == [False] * 10
    assert time.monotonic() - started < 1.0
    assert hits(server) == 1


def test_blocked_address_is_left_to_the_page_fetch(server: Server) -> None:
    server.routes["/robots.txt"] = robots(b"User-agent: *\nDisallow: /\n")
    assert verdicts(server, ["/news/1"], s=settings(allow_private_networks=False)) == [True]
    assert hits(server) == 0


# One fetch per origin, cached


def test_concurrent_callers_share_one_fetch(server: Server) -> None:
    server.routes["/robots.txt"] = robots(RULES, delay=0.2)

    async def use(cache: RobotsCache) -> list[bool]:
        urls = [server.url(f"/news/{i}.html") for i in range(20)] + [server.url("/private/a")]
        return await asyncio.gather(*(cache.allowed(u) for u in urls))

    assert with_cache(use) == [True] * 20 + [False]
    assert hits(server) == 1


def test_each_origin_has_its_own_robots(server: Server) -> None:
    other = Server()
    threading.Thread(target=other.serve_forever, args=(0.05,), daemon=True).start()
    server.routes["/robots.txt"] = robots(b"User-agent: *\nDisallow: /\n")
    other.routes["/robots.txt"] = robots(b"User-agent: *\nDisallow:\n")

    async def use(cache: RobotsCache) -> list[bool]:
        urls = [server.url("/a"), other.url("/a"), server.url("/b"), other.url("/b")]
        return [await cache.allowed(u) for u in urls]

    try:
        assert with_cache(use) == [False, True, False, True]
        assert (hits(server), hits(other)) == (1, 1)
    finally:
        other.shutdown()
        other.server_close()


def test_runs_at_once_share_rules_but_not_fetchers(server: Server) -> None:
    """A cache kept across runs (a cluster worker's) serves several runs at once: a run whose
    Fetcher has closed never serves another run's requests, and the rules one run read are the
    other's too (the worker's jobs failed with "the client has been closed")."""
    other = Server()
    threading.Thread(target=other.serve_forever, args=(0.05,), daemon=True).start()
    server.routes["/robots.txt"] = robots(RULES)
    other.routes["/robots.txt"] = robots(b"User-agent: *\nDisallow: /\n")
    kept = RobotsCache()

    async def run() -> list[bool]:
        async with Fetcher(settings()) as first:
            first_run = kept.for_run(first)
            async with Fetcher(settings()) as second:
                second_run = kept.for_run(second)
                read = [await second_run.allowed(server.url("/private/a"))]
            # the second run is over and its Fetcher closed; the first goes on
            read.append(await first_run.allowed(other.url("/news/1")))
            read.append(await first_run.allowed(server.url("/news/1")))
            return read

    try:
        assert asyncio.run(run()) == [False, False, True]
        assert (hits(server), hits(other)) == (1, 1)  # the first run used the rules the second read
    finally:
        other.shutdown()
        other.server_close()


def test_cache_expires_after_ttl(server: Server) -> None:
    server.routes["/robots.txt"] = robots(RULES)

    async def use(cache: RobotsCache) -> list[int]:
        counts = []
        for pause in (0.0, 0.0, 0.3, 0.0):
            await asyncio.sleep(pause)
            await cache.allowed(server.url("/news/1"))
            counts.append(hits(server))
        return counts

    assert with_cache(use, ttl=0.25) == [1, 1, 2, 2]


# Crawl-delay


def test_crawl_delay_of_the_matching_group(server: Server) -> None:
    server.routes["/robots.txt"] = robots(
        b"User-agent: *\nCrawl-delay: 10\n\nUser-agent: tagwire\nCrawl-delay: 2.5\nDisallow: /x\n"
    )

    async def use(cache: RobotsCache) -> tuple[float | None, float | None, float | None]:
        url = server.url("/news/1")
        before = cache.crawl_delay(url)  # not read yet
        await cache.allowed(url)
        return before, cache.crawl_delay(url), cache.crawl_delay(server.url("/other/page"))

    assert with_cache(use) == (None, 2.5, 2.5)


def test_request_rate_gives_a_delay_and_none_is_none(server: Server) -> None:
    server.routes["/robots.txt"] = robots(b"User-agent: *\nRequest-rate: 1/5\n")

    async def use(cache: RobotsCache) -> float | None:
        await cache.allowed(server.url("/a"))
        return cache.crawl_delay(server.url("/a"))

    assert with_cache(use) == 5.0
    server.routes["/robots.txt"] = robots(RULES)
    assert with_cache(use) is None


# robots.txt addresses


def test_robots_url_is_per_origin() -> None:
    assert (
        robots_url("https://user:pw@News.Example.com:8443/a/b?c=1#f")
        == "https://news.example.com:8443/robots.txt"
    )
    assert robots_url("http://example.com:80/x") == "http://example.com/robots.txt"
    assert robots_url("http://[::1]:8080/x") == "http://[::1]:8080/robots.txt"
    assert robots_url("ftp://example.com/x") is None
    assert robots_url("not a url") is None


def test_a_url_that_is_not_http_is_left_to_the_page_fetch() -> None:
    async def use(cache: RobotsCache) -> bool:
        return await cache.allowed("mailto:desk@example.com")

    assert with_cache(use) is True
    assert DISALLOWED == "page not read: robots.txt disallows it"
