"""The fetcher against real HTTP servers on 127.0.0.1 (threads, port 0): conditional GET, limits,
deadlines, caps, redirects, the address guard on every hop, and the messages of each failure."""

from __future__ import annotations

import asyncio
import gzip
import itertools
import socket
import ssl
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from tagwire import __version__, config
from tagwire.cli import app
from tagwire.errors import BlockedAddress, FetchError, HTTPStatusError, NetworkError, TooLarge
from tagwire.ingest.connections import OriginPools, PinnedNetwork
from tagwire.ingest.fetch import MAX_RETRY_AFTER, Fetcher, Response, retry_after, user_agent
from tagwire.ingest.netguard import resolve_host
from tests.webserver import ETAG, FEED, MODIFIED, Handler, Route, Server, feed_route, settings


def fetch(url: str, s: config.Settings | None = None, **kwargs: Any) -> Response:
    async def run() -> Response:
        async with Fetcher(s or settings()) as fetcher:
            return await fetcher.get(url, **kwargs)

    return asyncio.run(run())


def failure(kind: type[FetchError], url: str, s: config.Settings | None = None, **kwargs: Any) -> FetchError:
    """The error of `kind` that fetching `url` raises; its message must be one line."""
    with pytest.raises(kind) as caught:
        fetch(url, s, **kwargs)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return caught.value


# Success and conditional GET


def test_200_returns_body_headers_and_validators(server: Server) -> None:
    server.routes["/feed.rss"] = feed_route
    response = fetch(server.url("/feed.rss"))
    assert (response.status, response.body, response.not_modified) == (200, FEED, False)
    assert response.url == server.url("/feed.rss")
    assert response.headers["x-outlet-name"] == "Harbour"  # names lower-cased
    assert response.content_type == "application/rss+xml"
    assert (response.etag, response.last_modified) == (ETAG, MODIFIED)


def test_request_headers_name_tagwire_and_ask_for_feeds(server: Server) -> None:
    server.routes["/feed.rss"] = feed_route
    fetch(server.url("/feed.rss"), settings(user_agent_contact="ops@harbour.example"))
    fetch(server.url("/feed.rss"), accept="text/html")
    (_, first), (_, second) = server.requests
    assert (
        first["User-Agent"]
        == f"tagwire/{__version__} (+https://github.com/tagwire/tagwire; ops@harbour.example)"
    )
    assert "application/rss+xml" in first["Accept"] and "application/atom+xml" in first["Accept"]
    assert second["Accept"] == "text/html"
    assert "If-None-Match" not in first and "If-Modified-Since" not in first


def test_user_agent_without_contact() -> None:
    assert user_agent("") == f"tagwire/{__version__} (+https://github.com/tagwire/tagwire)"


def test_304_on_matching_etag(server: Server) -> None:
    server.routes["/feed.rss"] = feed_route
    response = fetch(server.url("/feed.rss"), etag=ETAG)
    assert (response.status, response.not_modified, response.body, response.etag) == (304, True, b"", ETAG)
    assert server.requests[0][1]["If-None-Match"] == ETAG


def test_304_on_matching_last_modified_keeps_the_callers_validators(server: Server) -> None:
    server.routes["/feed.rss"] = lambda h: (
        h.reply(304) if h.headers.get("If-Modified-Since") else feed_route(h)
    )
    response = fetch(server.url("/feed.rss"), last_modified=MODIFIED)
    assert response.not_modified and response.body == b""
    assert response.last_modified == MODIFIED  # the 304 sent none; the caller's is kept
    assert server.requests[0][1]["If-Modified-Since"] == MODIFIED


def test_stale_etag_gets_the_full_body(server: Server) -> None:
    server.routes["/feed.rss"] = feed_route
    response = fetch(server.url("/feed.rss"), etag='"v0-old"')
    assert response.status == 200 and response.body == FEED


def test_gzip_body_is_decoded(server: Server) -> None:
    server.routes["/feed.rss"] = lambda h: h.reply(200, gzip.compress(FEED), Content_Encoding="gzip")
    assert fetch(server.url("/feed.rss")).body == FEED


def test_corrupt_gzip_is_a_fetch_error(server: Server) -> None:
    server.routes["/feed.rss"] = lambda h: h.reply(200, b"not gzip at all", Content_Encoding="gzip")
    assert str(failure(FetchError, server.url("/feed.rss"))).startswith("could not decode the body of")


def test_one_connection_serves_many_requests_including_304s(server: Server) -> None:
    server.routes["/feed.rss"] = feed_route

    async def run() -> list[int]:
        async with Fetcher(settings()) as fetcher:
            results = [await fetcher.get(server.url("/feed.rss"), etag=ETAG) for _ in range(5)]
            results.append(await fetcher.get(server.url("/feed.rss")))
            return [r.status for r in results]

    assert asyncio.run(run()) == [304] * 5 + [200]
    assert len(server.peers) == 1


# Body cap


def test_declared_length_over_the_cap_is_refused_at_once(server: Server) -> None:
    def huge(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(64 << 20))
        handler.end_headers()
        handler.wfile.write(b"<!-- padding -->" * 64)
        handler.server.release.wait(10)

    server.routes["/huge.rss"] = huge
    started = time.monotonic()
    error = failure(TooLarge, server.url("/huge.rss"), settings(max_body_bytes=100_000))
    assert time.monotonic() - started < 1.0
    assert f"{64 << 20} bytes declared" in str(error) and "100000 bytes" in str(error)


def test_streamed_body_is_cut_off_past_the_cap(server: Server) -> None:
    written = []

    def endless(handler: Handler) -> None:  # chunked, no Content-Length, 64 MiB if read to the end
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b"<!-- padding -->" * 1024
        try:
            for _ in range((64 << 20) // len(chunk)):
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                written.append(len(chunk))
        except OSError:
            pass

    server.routes["/endless.rss"] = endless
    error = failure(TooLarge, server.url("/endless.rss"), settings(max_body_bytes=100_000))
    assert "stopped after" in str(error) and "100000 bytes" in str(error)
    time.sleep(0.1)
    assert sum(written) < 16 << 20  # the client hung up long before 64 MiB


def test_cap_applies_to_decoded_bytes(server: Server) -> None:
    bomb = gzip.compress(b"\0" * 2_000_000)  # about 2 KB on the wire
    server.routes["/bomb.rss"] = lambda h: h.reply(200, bomb, Content_Encoding="gzip")
    assert len(bomb) < 100_000
    failure(TooLarge, server.url("/bomb.rss"), settings(max_body_bytes=100_000))


# Deadlines


def test_server_that_stalls_costs_at_most_the_timeout(server: Server) -> None:
    def stall(handler: Handler) -> None:  # holds the connection, as newsworld's chaos does
        handler.server.release.wait(30)

    server.routes["/slow.rss"] = stall
    started = time.monotonic()
    error = failure(NetworkError, server.url("/slow.rss"), settings(fetch_timeout=1.0))
    assert time.monotonic() - started < 1.0  # given up after half the deadline
    assert "sent nothing for 0.5 s" in str(error) and error.cause == "timeout"


def test_body_that_trickles_is_cut_at_the_overall_deadline(server: Server) -> None:
    def trickle(handler: Handler) -> None:  # a byte every 0.1 s: no read ever times out
        handler.send_response(200)
        handler.send_header("Content-Length", "300")
        handler.end_headers()
        try:
            for _ in range(300):
                handler.wfile.write(b"x")
                handler.wfile.flush()
                if handler.server.release.wait(0.1):
                    return
        except OSError:
            pass

    server.routes["/trickle.rss"] = trickle
    started = time.monotonic()
    error = failure(NetworkError, server.url("/trickle.rss"), settings(fetch_timeout=0.5))
    assert time.monotonic() - started < 1.5
    assert "timed out after 0.5 s" in str(error)


# Redirects


def test_redirect_is_followed_to_the_final_url(server: Server) -> None:
    server.routes["/old.rss"] = lambda h: h.reply(301, Location="/feeds/new.rss")
    server.routes["/feeds/new.rss"] = feed_route
    response = fetch(server.url("/old.rss"))
    assert response.body == FEED and response.url == server.url("/feeds/new.rss")


def test_redirect_loop_is_detected(server: Server) -> None:
    server.routes["/a.rss"] = lambda h: h.reply(302, Location="/a.rss?loop")  # as newsworld's chaos does
    error = failure(NetworkError, server.url("/a.rss"))
    assert str(error).startswith("redirect loop")
    assert server.paths() == ["/a.rss", "/a.rss?loop"]


def test_too_many_redirects(server: Server) -> None:
    def onwards(handler: Handler) -> None:
        hop = int(handler.path.rsplit("=", 1)[1]) if "=" in handler.path else 0
        handler.reply(307, Location=f"/hop?n={hop + 1}")

    server.routes["/hop"] = onwards
    error = failure(NetworkError, server.url("/hop"), settings(max_redirects=3))
    assert str(error).startswith("too many redirects") and "more than 3" in str(error)
    assert len(server.requests) == 4


class ToServer(httpx.AsyncBaseTransport):
    """Delivers every request to the local server whatever its host: stands in for a public
    outlet, so that the guard sees a public address while no packet leaves the machine."""

    def __init__(self, server: Server) -> None:
        self._port = server.server_address[1]
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self._port)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


@pytest.mark.parametrize(
    "target", ["http://127.0.0.1:{port}/admin", "http://169.254.169.254/latest/meta-data/"]
)
def test_redirect_to_a_private_address_is_refused(server: Server, target: str) -> None:
    server.routes["/feed.rss"] = lambda h: h.reply(302, Location=target.format(port=server.server_address[1]))
    guarded = settings(allow_private_networks=False)

    async def run() -> None:
        async with Fetcher(guarded, transport=ToServer(server)) as fetcher:
            await fetcher.get("http://93.184.216.34/feed.rss")

    with pytest.raises(BlockedAddress) as caught:
        asyncio.run(run())
    assert "TAGWIRE_ALLOW_PRIVATE_NETWORKS=1" in str(caught.value)
    assert server.paths() == ["/feed.rss"]  # the second hop was never requested


def test_private_address_is_refused_before_any_request(server: Server) -> None:
    server.routes["/feed.rss"] = feed_route
    error = failure(BlockedAddress, server.url("/feed.rss"), settings(allow_private_networks=False))
    assert "127.0.0.1 is a loopback address (set TAGWIRE_ALLOW_PRIVATE_NETWORKS=1 to allow)" in str(error)
    assert server.requests == []


OTHER_SCHEMES = [
    "file:///etc/passwd",
    "ftp://127.0.0.1/feed.rss",
    "javascript:alert(1)",
    "mailto:desk@outlet.example",
    "data:text/html,hi",
    "gopher://x/",
]


@pytest.mark.parametrize("location", OTHER_SCHEMES)
def test_only_http_and_https(server: Server, location: str) -> None:
    error = failure(FetchError, location)
    assert str(error).startswith("only http and https URLs can be fetched")
    server.routes["/feed.rss"] = lambda h: h.reply(302, Location=location)
    error = failure(FetchError, server.url("/feed.rss"))
    assert not isinstance(error, NetworkError | BlockedAddress)
    expected = (
        f"{server.url('/feed.rss')} redirected to {location!r}: only http and https URLs can be fetched"
    )
    assert str(error) == expected
    assert server.paths() == ["/feed.rss"]


def test_redirect_to_another_scheme_is_recorded_on_the_source(server: Server, tmp_path: Path) -> None:
    """Through the CLI: `tagwire fetch` goes on past such sources and `tagwire sources` shows why
    (httpx itself chokes on 'javascript:' and 'mailto:' redirects: that once stopped the run)."""
    env = {"TAGWIRE_DATABASE": str(tmp_path / "tw.db"), "TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1"}
    server.routes["/feed.rss"] = feed_route
    urls = [server.url(f"/feed.rss?n={n}") for n in range(len(OTHER_SCHEMES))]
    assert CliRunner().invoke(app, ["add", *urls], env=env).exit_code == 0
    server.routes["/feed.rss"] = lambda h: h.reply(302, Location=OTHER_SCHEMES[int(h.path[-1])])
    fetched = CliRunner().invoke(app, ["fetch", "--feeds-only", "--no-understand"], env=env)
    assert fetched.exit_code == 0 and "Traceback" not in fetched.output
    listed = CliRunner().invoke(app, ["sources"], env=env, terminal_width=400)
    for url, location in zip(urls, OTHER_SCHEMES, strict=True):
        line = next(line for line in listed.stdout.splitlines() if f" {url}\terror" in line)
        assert line.endswith(f"{url} redirected to {location!r}: only http and https URLs can be fetched")


# Status errors


@pytest.mark.parametrize(
    ("status", "reason"), [(404, "Not Found"), (410, "Gone"), (500, "Internal Server Error")]
)
def test_error_status_raises(server: Server, status: int, reason: str) -> None:
    server.routes["/feed.rss"] = lambda h: h.reply(status, b"<html>oops</html>")
    error = failure(HTTPStatusError, server.url("/feed.rss"))
    assert isinstance(error, HTTPStatusError)
    assert (error.status, error.retry_after) == (status, None)
    assert str(error) == f"{server.url('/feed.rss')} answered {status} {reason}"


def test_429_carries_retry_after(server: Server) -> None:
    server.routes["/feed.rss"] = lambda h: h.reply(429, Retry_After="120")
    error = failure(HTTPStatusError, server.url("/feed.rss"))
    assert isinstance(error, HTTPStatusError)
    assert (error.status, error.retry_after) == (429, 120.0)
    assert "retry after 120 s" in str(error)


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2025, 5, 31, 12, 0, tzinfo=UTC)
    assert retry_after("30", now) == 30.0
    assert retry_after("Sat, 31 May 2025 12:02:00 GMT", now) == 120.0
    assert retry_after("Sat, 31 May 2025 11:00:00 GMT", now) == 0.0  # already past
    assert retry_after("soon", now) is None
    assert retry_after(None, now) is None
    assert retry_after("\u00b2", now) is None  # isdigit() says yes, float() says no
    assert retry_after("99999999999999999999", now) == MAX_RETRY_AFTER  # no overflow downstream


# Network errors


def test_connection_refused_says_so() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago and has no listener
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = failure(NetworkError, f"http://127.0.0.1:{port}/feed.rss")
    assert str(error) == f"could not connect to 127.0.0.1:{port}: connection refused"


def test_tls_failure_says_so(server: Server) -> None:
    error = failure(NetworkError, server.url("/feed.rss").replace("http:", "https:"))
    assert str(error).startswith(f"TLS handshake with 127.0.0.1:{server.server_address[1]} failed")


# Concurrency


def counting(state: dict[str, int], lock: threading.Lock, hold: float = 0.2) -> Route:
    """A route that records the most requests it served at once (across servers sharing state)."""

    def route(handler: Handler) -> None:
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(hold)
        with lock:
            state["now"] -= 1
        handler.reply(200, b"ok")

    return route


def fetch_all(urls: list[str], s: config.Settings) -> list[Response]:
    async def run() -> list[Response]:
        async with Fetcher(s) as fetcher:
            return await asyncio.gather(*(fetcher.get(u) for u in urls))

    return asyncio.run(run())


def test_per_origin_concurrency_is_limited(server: Server) -> None:
    state, lock = {"now": 0, "most": 0}, threading.Lock()
    server.routes["/feed.rss"] = counting(state, lock)
    responses = fetch_all(
        [server.url(f"/feed.rss?n={i}") for i in range(6)], settings(per_origin_concurrency=2)
    )
    assert [r.body for r in responses] == [b"ok"] * 6
    assert state["most"] == 2


def test_origins_run_in_parallel_within_the_global_limit() -> None:
    state, lock = {"now": 0, "most": 0}, threading.Lock()
    servers = [Server() for _ in range(3)]
    for srv in servers:
        srv.routes["/feed.rss"] = counting(state, lock)
        threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True).start()
    urls = [srv.url(f"/feed.rss?n={i}") for srv in servers for i in range(2)]
    try:
        fetch_all(urls, settings(per_origin_concurrency=1, fetch_concurrency=16))
        assert state["most"] == 3  # one per origin, all three origins at once
        state["most"] = 0
        fetch_all(urls, settings(per_origin_concurrency=2, fetch_concurrency=2))
        assert state["most"] == 2  # the global limit binds
    finally:
        for srv in servers:
            srv.shutdown()
            srv.server_close()


# Connection pools (one per origin)


def pools(keep: int) -> OriginPools:
    return OriginPools(per_origin=2, keep=keep, network=PinnedNetwork(resolve_host, allow_private=True))


def test_only_https_origins_get_the_ca_bundle_and_the_others_trust_nobody() -> None:
    """The CA bundle loads on the first https origin (a run of http feeds never pays for it);
    an http origin's pool never speaks TLS, and its context would refuse any certificate."""
    p = pools(keep=8)
    plain, secure = p._tls("http"), p._tls("https")
    assert plain.cert_store_stats()["x509_ca"] == 0 and plain.verify_mode == ssl.CERT_REQUIRED
    assert secure.cert_store_stats()["x509_ca"] > 0 and secure.check_hostname
    assert p._tls("https") is secure  # loaded once


def test_idle_pools_beyond_keep_are_closed_but_a_busy_one_is_not() -> None:
    a, b, c = Server(), Server(), Server()
    for srv in (a, b, c):
        threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True).start()
    b_served = threading.Event()

    def slow(handler: Handler) -> None:  # headers now, body only once B has been served
        handler.send_response(200)
        handler.send_header("Content-Length", "4")
        handler.end_headers()
        b_served.wait(5)
        handler.wfile.write(b"done")

    a.routes["/slow"], a.routes["/x"], b.routes["/x"], c.routes["/x"] = (
        slow,
        feed_route,
        feed_route,
        feed_route,
    )

    async def run() -> bytes:
        async with httpx.AsyncClient(transport=pools(keep=1)) as client:
            async with client.stream("GET", a.url("/slow")) as streaming:
                await client.get(b.url("/x"))  # one pool too many, but A's is busy: kept
                b_served.set()
                body = await streaming.aread()
            await client.get(c.url("/x"))  # opening C closes the idle pools of A and B
            await client.get(a.url("/x"))  # so this is a new connection
            return body

    try:
        assert asyncio.run(run()) == b"done"
        assert (len(a.peers), len(b.peers), len(c.peers)) == (2, 1, 1)
    finally:
        for srv in (a, b, c):
            srv.shutdown()
            srv.server_close()


def test_pools_are_reused_within_keep() -> None:
    servers = [Server() for _ in range(3)]
    for srv in servers:
        srv.routes["/x"] = feed_route
        threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True).start()

    async def run() -> None:
        async with httpx.AsyncClient(transport=pools(keep=3)) as client:
            for _ in range(3):
                for srv in servers:
                    (await client.get(srv.url("/x"))).raise_for_status()

    try:
        asyncio.run(run())
        assert [len(srv.peers) for srv in servers] == [1, 1, 1]
    finally:
        for srv in servers:
            srv.shutdown()
            srv.server_close()


# Minimum gap between requests to one origin


class Stamping(httpx.AsyncBaseTransport):
    """A real transport that notes when each request leaves the Fetcher, by port: its start as
    the gap counts it (the server's clock would add connection set-up to the first ones)."""

    def __init__(self) -> None:
        self.starts: dict[int | None, list[float]] = {}
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.starts.setdefault(request.url.port, []).append(time.monotonic())
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()

    def of(self, server: Server) -> list[float]:
        return self.starts.get(server.server_address[1], [])


def spacing(starts: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(starts)]


def stamped_fetch(urls: list[str], s: config.Settings, gaps: dict[str, float] | None = None) -> Stamping:
    """Fetch `urls` at once, after set_origin_gap for each of `gaps`; the requests' start times."""
    transport = Stamping()

    async def run() -> None:
        async with Fetcher(s, transport=transport) as fetcher:
            for url, seconds in (gaps or {}).items():
                fetcher.set_origin_gap(url, seconds)
            for response in await asyncio.gather(*(fetcher.get(u) for u in urls)):
                assert response.body == b"ok"

    asyncio.run(run())
    return transport


def ok_route(handler: Handler) -> None:
    handler.reply(200, b"ok")


def test_requests_to_one_origin_are_spaced_by_the_gap(server: Server) -> None:
    server.routes["/p"] = ok_route
    began = time.monotonic()
    stamps = stamped_fetch(
        [server.url(f"/p?n={i}") for i in range(3)], settings(per_origin_gap=0.2, per_origin_concurrency=3)
    )
    assert time.monotonic() - began >= 0.4
    starts = stamps.of(server)
    assert len(starts) == 3 and min(spacing(starts)) >= 0.19  # a ms of set-up after the gate


def test_no_gap_by_default(server: Server) -> None:
    server.routes["/p"] = ok_route
    began = time.monotonic()
    fetch_all([server.url(f"/p?n={i}") for i in range(3)], settings())
    assert time.monotonic() - began < 0.3


def two_origins(use: Callable[[Server, Server], None]) -> None:
    a, b = Server(), Server()
    for srv in (a, b):
        srv.routes["/p"] = ok_route
        threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True).start()
    try:
        use(a, b)
    finally:
        for srv in (a, b):
            srv.shutdown()
            srv.server_close()


def test_the_gap_does_not_slow_other_origins_nor_hold_global_slots() -> None:
    def use(a: Server, b: Server) -> None:
        urls = [a.url(f"/p?n={i}") for i in range(3)] + [b.url("/p")]
        began = time.monotonic()
        stamps = stamped_fetch(urls, settings(per_origin_gap=0.3, fetch_concurrency=1))
        assert len(stamps.of(a)) == 3 and min(spacing(stamps.of(a))) >= 0.29
        assert stamps.of(b)[0] - began < 0.25  # served while A waits its turn, with one global slot

    two_origins(use)


def test_set_origin_gap_spaces_that_origin_only() -> None:
    def use(a: Server, b: Server) -> None:
        urls = [srv.url(f"/p?n={i}") for srv in (a, b) for i in range(3)]
        stamps = stamped_fetch(urls, settings(), gaps={a.url("/anything"): 0.2})
        assert min(spacing(stamps.of(a))) >= 0.19
        assert max(stamps.of(b)) - min(stamps.of(b)) < 0.15

    two_origins(use)
