"""Fetch feeds and pages over HTTP: the only network I/O of the pipeline.

One `Fetcher` holds one httpx AsyncClient (HTTP/2, a keep-alive pool per origin, see connections)
for a whole run, and adds what polling thousands of strangers' servers needs:

- conditional GET from a stored ETag / Last-Modified, a 304 answering "nothing new";
- a global and a per-origin limit on requests at once (be polite to each outlet), and a
  minimum gap between the starts of two requests to one origin (`per_origin_gap`, raised
  per origin with `set_origin_gap`, e.g. from a robots.txt Crawl-delay);
- a hard deadline per request, body included (`fetch_timeout`), and a server that sends
  nothing for half of it (`silence`: no answer, or a body that stops) is given up then;
- a cap on the body, checked on Content-Length and again while streaming;
- redirects followed one hop at a time, each hop checked by the address guard (netguard), and
  every connection opened to an address the guard accepted (connections.PinnedNetwork: no DNS
  rebinding between the check and the connection);
- every failure as a tagwire.errors.FetchError with a one-line message a person can act on.
"""

from __future__ import annotations

import asyncio
import dataclasses
import email.utils
import socket
import ssl
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import TypeVar

import httpx

from tagwire import __version__
from tagwire.config import Settings
from tagwire.errors import ConnectionLost, FetchError, HTTPStatusError, NetworkError, TooLarge
from tagwire.ingest import netguard
from tagwire.ingest.connections import Origin, OriginPools, PinnedNetwork, origin

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.7, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
PROJECT_URL = "https://github.com/tagwire/tagwire"

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_AFTER_STATUSES = frozenset({429, 503})
# Bodies of redirects and errors up to this size are read (and dropped) so that the
# connection can go back to the pool; larger ones are cut off by closing the connection.
DRAIN_LIMIT = 64 * 1024

_E = TypeVar("_E", bound=BaseException)


@dataclass(frozen=True)
class Response:
    """A successful fetch: 200 with its body, or 304 (not modified) with an empty body."""

    url: str
    status: int
    headers: Mapping[str, str] = field(hash=False)
    body: bytes
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        """True for a 304: the caller's stored copy is current, there is nothing to parse."""
        return self.status == 304

    @property
    def content_type(self) -> str | None:
        """The media type without parameters, lower case ("application/rss+xml"), or None."""
        value = self.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        return value or None


def user_agent(contact: str = "") -> str:
    """tagwire's User-Agent, naming the operator's contact when one is configured."""
    extra = f"; {contact.strip()}" if contact.strip() else ""
    return f"tagwire/{__version__} (+{PROJECT_URL}{extra})"


class Fetcher:
    """Fetches URLs with the limits of `settings`; use as `async with Fetcher(s) as f:`.
    `resolver` answers host names for the guard and the connections (default: DNS, cached for a
    minute); `transport` replaces the connections (OriginPools with other options, or a test's
    transport: then only the checks before each request guard the addresses)."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: netguard.Resolver | None = None,
    ) -> None:
        self._timeout, self._silence = settings.fetch_timeout, silence(settings)
        self._max_body = settings.max_body_bytes
        self._max_redirects = settings.max_redirects
        self._allow_private = settings.allow_private_networks
        self._global = asyncio.Semaphore(settings.fetch_concurrency)
        gap = settings.per_origin_gap
        self._origins = OriginLimits(settings.per_origin_concurrency, gap)
        self._resolver = resolver or netguard.HostCache()
        self._client = _client(settings, transport or _pools(settings, self._resolver))

    async def __aenter__(self) -> Fetcher:
        await self._client.__aenter__()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._client.__aexit__(kind, error, tb)

    async def aclose(self) -> None:
        """Close the pooled connections (what leaving `async with` does)."""
        await self._client.aclose()

    def set_origin_gap(self, origin_url: str, seconds: float) -> None:
        """Make requests to the origin of `origin_url` start at least `seconds` apart (replacing
        the `per_origin_gap` setting for that origin), e.g. to honour a robots.txt Crawl-delay."""
        self._origins.set_gap(origin(netguard.parse_url(origin_url)), seconds)

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = FEED_ACCEPT,
    ) -> Response:
        """GET `url`, conditionally when `etag`/`last_modified` are given. Returns a 200 or a
        304; raises FetchError (BlockedAddress, TooLarge, HTTPStatusError, NetworkError)."""
        target = netguard.parse_url(url)  # a malformed or non-http URL fails before queueing
        headers = conditional_headers(accept, etag, last_modified)
        try:
            response = await self._follow(target, headers)
        except TimeoutError:
            raise NetworkError(f"timed out after {self._timeout:g} s fetching {url}", "timeout") from None
        if response.not_modified:  # a 304 may omit validators; keep the caller's
            etag, last_modified = response.etag or etag, response.last_modified or last_modified
            return dataclasses.replace(response, etag=etag, last_modified=last_modified)
        return response

    async def _follow(self, url: httpx.URL, headers: dict[str, str]) -> Response:
        """Request `url`, then each redirect target, within one deadline for the whole chain."""
        target, seen = url, set[str]()
        deadline: float | None = None
        for _ in range(self._max_redirects + 1):
            async with self._slot(target):
                if deadline is None:  # starts once the first request may go, not while queued
                    deadline = asyncio.get_running_loop().time() + self._timeout
                async with asyncio.timeout_at(deadline):
                    outcome = await self._hop(target, headers)
            if isinstance(outcome, Response):
                return outcome
            seen.add(_identity(target))
            if _identity(outcome) in seen:
                raise NetworkError(
                    f"redirect loop: {url} leads back to {outcome} (not followed)", "redirects"
                )
            target = outcome
        raise NetworkError(
            f"too many redirects: {url} redirected more than {self._max_redirects} times", "redirects"
        )

    @asynccontextmanager
    async def _slot(self, url: httpx.URL) -> AsyncIterator[None]:
        """Hold a per-origin slot, then a global one (in that order, so that requests queued
        behind a busy outlet do not hold global slots that other outlets could use)."""
        async with self._origins.hold(origin(url)), self._global:
            yield

    async def _hop(self, url: httpx.URL, headers: dict[str, str]) -> Response | httpx.URL:
        """One request: the Response, or the URL a redirect points to."""
        if not self._allow_private:
            await netguard.check_address(url, resolve=self._resolver)
        try:
            async with self._client.stream("GET", url, headers=headers) as response:
                return await self._handle(url, response)
        except httpx.DecodingError as e:
            raise FetchError(f"could not decode the body of {url}: {one_line(e)}") from e
        except httpx.InvalidURL as e:  # not an HTTPError; refuse_bad_redirect should leave none
            raise FetchError(f"{url} answered with an unusable address: {one_line(e)}") from e
        except httpx.HTTPError as e:
            raise network_error(url, e, self._timeout, self._silence) from e

    async def _handle(self, url: httpx.URL, response: httpx.Response) -> Response | httpx.URL:
        status = response.status_code
        if status in REDIRECT_STATUSES:
            await drain(response)
            return redirect_target(url, response)
        if status == 304:
            await drain(response)
            return make_response(response, b"")
        if status >= 300:
            await drain(response)
            raise status_error(url, response)
        return make_response(response, await read_capped(url, response, self._max_body))


class OriginLimits:
    """At most `limit` requests at once per origin, each starting at least `gap` seconds after
    the previous one to that origin started. Semaphores exist only while in use, and start times
    only while they still delay someone, so a long-running worker that meets thousands of
    origins does not keep thousands of them."""

    PRUNE_AT = 1024  # start times kept before the stale ones are dropped

    def __init__(self, limit: int, gap: float = 0.0) -> None:
        self._limit = limit
        self._gap = max(0.0, gap)
        self._gaps: dict[Origin, float] = {}  # per-origin overrides (set_gap)
        self._slots: dict[Origin, tuple[asyncio.Semaphore, int]] = {}
        self._next: dict[Origin, float] = {}  # earliest start of the next request (loop time)

    def set_gap(self, key: Origin, seconds: float) -> None:
        """Space the starts of requests to `key` by `seconds` from now on (never less than the
        per_origin_gap setting asks for every origin)."""
        self._gaps[key] = max(self._gap, seconds)

    def gap(self, key: Origin) -> float:
        return self._gaps.get(key, self._gap)

    @asynccontextmanager
    async def hold(self, key: Origin) -> AsyncIterator[None]:
        semaphore, users = self._slots.get(key) or (asyncio.Semaphore(self._limit), 0)
        self._slots[key] = (semaphore, users + 1)
        try:
            async with semaphore:
                await self._wait_turn(key)
                yield
        finally:
            semaphore, users = self._slots[key]
            if users == 1:
                del self._slots[key]
            else:
                self._slots[key] = (semaphore, users - 1)

    async def _wait_turn(self, key: Origin) -> None:
        """Book the next start time for `key` (no await before booking, so that concurrent
        holders get distinct, spaced times), then sleep until it."""
        gap = self.gap(key)
        if gap <= 0.0:
            return
        now = asyncio.get_running_loop().time()
        start = max(now, self._next.get(key, now))
        if len(self._next) >= self.PRUNE_AT:
            self._next = {k: t for k, t in self._next.items() if t > now}
        self._next[key] = start + gap
        loop = asyncio.get_running_loop()
        while (wait := start - loop.time()) > 0:  # the loop may wake up to a tick early
            await asyncio.sleep(wait)


def _pools(settings: Settings, resolver: netguard.Resolver) -> OriginPools:
    """The Fetcher's connections: a pool per origin, each connection pinned to checked addresses."""
    keep = max(64, 8 * settings.fetch_concurrency)
    network = PinnedNetwork(resolver, settings.allow_private_networks)
    return OriginPools(settings.per_origin_concurrency, keep=keep, network=network)


def _client(settings: Settings, transport: httpx.AsyncBaseTransport) -> httpx.AsyncClient:
    """The one client of a Fetcher. trust_env=False: a proxy from the environment would resolve
    hosts itself, past the address guard."""
    return httpx.AsyncClient(
        follow_redirects=False,
        timeout=httpx.Timeout(settings.fetch_timeout, read=silence(settings)),
        headers={"User-Agent": user_agent(settings.user_agent_contact)},
        transport=transport,
        trust_env=False,
        event_hooks={"response": [refuse_bad_redirect]},
    )


async def refuse_bad_redirect(response: httpx.Response) -> None:
    """Refuse a redirect to a non-http(s) or unusable address as soon as it arrives: httpx
    prepares to follow every redirect, even unasked, and fails on 'javascript:x' or 'mailto:x'
    with an InvalidURL of its own, which would stop the whole fetch run."""
    if response.has_redirect_location:
        redirect_target(response.request.url, response)


def conditional_headers(accept: str, etag: str | None, last_modified: str | None) -> dict[str, str]:
    """Request headers: Accept, plus If-None-Match / If-Modified-Since when validators are known."""
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _identity(url: httpx.URL) -> str:
    """The URL as a server sees it (no fragment), for redirect-loop detection."""
    return str(url).partition("#")[0]


def redirect_target(url: httpx.URL, response: httpx.Response) -> httpx.URL:
    """Where a redirect points, resolved against the URL that answered it; FetchError naming
    both when it is not an http(s) URL with a host (file://, ftp:, javascript: ...)."""
    location = response.headers.get("location", "").strip()
    if not location:
        raise NetworkError(f"{url} answered {response.status_code} without saying where to (no Location)")
    try:
        target = url.join(location)
    except httpx.InvalidURL as e:
        raise NetworkError(f"{url} redirected to an unusable address {location!r}: {e}") from None
    if target.scheme not in netguard.SCHEMES:
        raise FetchError(f"{url} redirected to {location!r}: only http and https URLs can be fetched")
    return netguard.require_http(target, location)


async def read_capped(url: httpx.URL, response: httpx.Response, cap: int) -> bytes:
    """The decoded body, refused at once when Content-Length is over `cap`, and cut off as
    soon as the bytes read pass it (a 64 MiB body costs at most `cap` of memory)."""
    declared = response.headers.get("content-length", "")
    if _is_number(declared) and int(declared) > cap:
        raise TooLarge(f"{url} is too large: {int(declared)} bytes declared, {_over(cap)}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > cap:
            raise TooLarge(f"{url} is too large: stopped after {size} bytes, {_over(cap)}")
        chunks.append(chunk)
    return b"".join(chunks)


def _over(cap: int) -> str:
    return f"over the cap of {cap} bytes (TAGWIRE_MAX_BODY_BYTES)"


async def drain(response: httpx.Response) -> None:
    """Read and drop a small body so that the connection can be reused; leave a large one."""
    declared = response.headers.get("content-length", "")
    if _is_number(declared) and int(declared) > DRAIN_LIMIT:
        return
    size = 0
    async for chunk in response.aiter_raw():
        size += len(chunk)
        if size > DRAIN_LIMIT:
            return


def make_response(response: httpx.Response, body: bytes) -> Response:
    headers = dict(response.headers.items())  # httpx gives lower-case names, repeats joined
    return Response(
        url=str(response.url),
        status=response.status_code,
        headers=headers,
        body=body,
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
    )


def status_error(url: httpx.URL, response: httpx.Response) -> HTTPStatusError:
    """The error for a 4xx/5xx (or an unfollowable 3xx), with Retry-After for 429 and 503."""
    status = response.status_code
    reason = response.reason_phrase or httpx.codes.get_reason_phrase(status)
    message = f"{url} answered {status} {reason}".rstrip()
    wait = retry_after(response.headers.get("retry-after")) if status in RETRY_AFTER_STATUSES else None
    if wait is not None:
        message += f" (retry after {wait:.0f} s)"
    return HTTPStatusError(status, message, wait)


MAX_RETRY_AFTER = 30 * 86400.0  # a server asking for more than 30 days gets 30 days


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value: delay-seconds or an HTTP date (RFC 9110), at
    most MAX_RETRY_AFTER; None when it is neither."""
    text = (value or "").strip()
    if _is_number(text):
        return min(float(text), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, OverflowError):
        return None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return min(max(0.0, (when - (now or datetime.now(UTC))).total_seconds()), MAX_RETRY_AFTER)


def _is_number(text: str) -> bool:
    """ASCII digits only: str.isdigit() also takes "²", which int() and float() refuse."""
    return text.isascii() and text.isdigit()


def silence(settings: Settings) -> float:
    """Seconds a server may send nothing (before its answer, or within its body): half the
    request's deadline. A real outlet answers within seconds; one that holds the connection
    without a byte (a hung backend) is given up then, not at the deadline, so that the other
    pages of its source are not kept waiting."""
    return settings.fetch_timeout / 2


def network_error(
    url: httpx.URL, error: httpx.HTTPError, timeout: float, silent: float | None = None
) -> NetworkError:
    """A one-line NetworkError for an httpx transport failure, naming host and cause."""
    where = netguard.host_port(url.host, origin(url)[2])
    if isinstance(error, httpx.ReadTimeout) and silent is not None:
        return NetworkError(f"{where} sent nothing for {silent:g} s fetching {url}", "timeout")
    if isinstance(error, httpx.TimeoutException) or find_cause(error, TimeoutError):
        return NetworkError(f"timed out after {timeout:g} s fetching {url}", "timeout")
    if isinstance(error, httpx.ConnectError):
        return NetworkError(connect_message(url.host, where, error), connect_cause(error))
    if isinstance(error, httpx.RemoteProtocolError):
        return ConnectionLost(
            f"{where} broke off or did not speak HTTP: {one_line(error)}", "connection lost"
        )
    if isinstance(error, httpx.ReadError | httpx.WriteError):
        return ConnectionLost(f"connection to {where} was lost: {cause_text(error)}", "connection lost")
    return NetworkError(f"could not fetch {url}: {cause_text(error)}")


def connect_cause(error: BaseException) -> str:
    """The kind of a connection failure, in a word or two (see FetchError.cause)."""
    inner = find_cause(error, NetworkError)  # raised by the pinned connections' own resolver
    if inner is not None:
        return inner.cause
    for kind, cause in (
        (socket.gaierror, "DNS"),
        (ssl.SSLError, "TLS"),
        (ConnectionRefusedError, "connection refused"),
    ):
        if find_cause(error, kind) is not None:
            return cause
    return "connection failed"


def connect_message(host: str, where: str, error: BaseException) -> str:
    """Why a connection could not be made: DNS, TLS, refused, or the system's words."""
    if (dns := find_cause(error, socket.gaierror)) is not None:
        return f"could not resolve {host}: {str(dns.strerror).lower()}"
    if (cert := find_cause(error, ssl.SSLCertVerificationError)) is not None:
        return f"TLS certificate of {where} was rejected: {cert.verify_message}"
    if (tls := find_cause(error, ssl.SSLError)) is not None:
        return f"TLS handshake with {where} failed: {(tls.reason or str(tls)).lower().replace('_', ' ')}"
    if find_cause(error, ConnectionRefusedError) is not None:
        return f"could not connect to {where}: connection refused"
    return f"could not connect to {where}: {cause_text(error)}"


def causes(error: BaseException) -> Iterator[BaseException]:
    """`error`, then what caused it, and so on (httpx wraps httpcore wraps the OSError)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        yield current
        seen.add(id(current))
        current = current.__cause__ or current.__context__


def find_cause(error: BaseException, kind: type[_E]) -> _E | None:
    """The first exception of `kind` in the chain of causes of `error` (itself included)."""
    return next((e for e in causes(error) if isinstance(e, kind)), None)


def cause_text(error: BaseException) -> str:
    """The system's own words ("connection reset by peer") when an OSError in the chain has
    them, else the error's own text."""
    for cause in causes(error):
        if isinstance(cause, OSError) and cause.strerror:
            return str(cause.strerror).lower()
    return one_line(error)


def one_line(error: BaseException) -> str:
    """An exception's message on one line, or its class name when it has none."""
    text = " ".join(str(error).split())
    return text or type(error).__name__
