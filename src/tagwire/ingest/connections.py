"""The connections under the fetcher: a small pool per origin, each connection opened to an address
that the address guard has just checked.

Checking a host name and then letting httpx connect to it leaves a window (DNS rebinding): the
name is resolved again at connect time, and a hostile DNS server can answer a public address to
the check and 127.0.0.1 to the connection. `PinnedNetwork` closes it. httpcore asks it for every
new TCP connection; it resolves the host once (through the fetcher's HostCache, so the check
before the request and the connection see one answer), refuses the host when any address is not
public, and connects to one of those exact addresses. Everything above the socket keeps the host
name: httpcore gives it to TLS (SNI and the certificate check) and httpx sends it as Host (or
:authority), so HTTPS, HTTP/2 and keep-alive work as before.
"""

from __future__ import annotations

import ssl
import time
import typing
from collections import Counter, OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence

import httpcore
import httpx

from tagwire.errors import NetworkError
from tagwire.ingest import netguard
from tagwire.ingest.markup import DEFAULT_PORTS

Origin = tuple[str, str, int]
SocketOptions = typing.Iterable[httpcore.SOCKET_OPTION] | None

_NO_TLS = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies certificates against no CA: refuses all

# When a host has several addresses, an attempt that is not the last gets at most this long
# before the next address is tried (a black-holed IPv6 route must not cost the whole timeout).
FALLBACK_AFTER = 2.0


def origin(url: httpx.URL) -> Origin:
    """(scheme, host, port) with the default port filled in: the unit of politeness and pooling."""
    return url.scheme, url.host, url.port or DEFAULT_PORTS.get(url.scheme, 0)


class PinnedNetwork(httpcore.AsyncNetworkBackend):
    """Opens TCP connections only to addresses that `resolve` gave and the guard accepted
    (any address when `allow_private`); `inner` opens the socket (default: httpcore's AnyIO)."""

    def __init__(
        self,
        resolve: netguard.Resolver,
        allow_private: bool,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self._resolve = resolve
        self._allow_private = allow_private
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: SocketOptions = None,
    ) -> httpcore.AsyncNetworkStream:
        """A connection to the first address of `host` that answers, each one checked first;
        every address but the last gets at most FALLBACK_AFTER seconds."""
        *others, last = await self.addresses(host, port)
        fallback = FALLBACK_AFTER if timeout is None else min(timeout, FALLBACK_AFTER)
        connect = self._inner.connect_tcp
        for address in others:
            try:
                return await connect(str(address), port, fallback, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout):
                continue
        return await connect(str(last), port, timeout, local_address, socket_options)

    async def addresses(self, host: str, port: int) -> Sequence[netguard.IPAddress]:
        """The addresses of `host` a connection may go to: BlockedAddress when (unless
        allow_private) any of them is not public, as the check before the request says."""
        found = await self._resolve(host)
        if not found:
            raise NetworkError(f"could not resolve {host}: no address", "DNS")
        if not self._allow_private:
            netguard.refuse_non_public(found, f"connection to {netguard.host_port(host, port)}")
        return found

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (HTTP/1.1 and HTTP/2, one keep-alive pool) whose connections are
    opened by `network`. httpx has no option for httpcore's network backend, so the pool it
    builds is replaced by an identical one that has it (tests/test_netguard.py proves the
    replacement is used: a change in httpx that undid it would fail them)."""

    def __init__(self, network: httpcore.AsyncNetworkBackend, verify: ssl.SSLContext, limits: httpx.Limits):
        super().__init__(verify=verify, http2=True, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=verify,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=True,
            network_backend=network,
        )


class OriginPools(httpx.AsyncBaseTransport):
    """A small HTTP/2-capable connection pool per origin, behind the Fetcher's one client, its
    connections opened by `network` (a PinnedNetwork: that is where the address guard holds).

    httpcore's pool scans all its connections on every request, so one big pool shared by
    many origins costs CPU in proportion to its size; a pool per origin keeps that constant.
    A pool is kept after use for keep-alive; pools unused for KEEPALIVE seconds, and the least
    recently used beyond `keep`, are closed, never one with a response still streaming.
    `verify` is the TLS context (default: the certifi CA bundle, loaded once, when the first
    https origin is met: a run of http feeds never pays for it)."""

    KEEPALIVE = 30.0

    def __init__(
        self,
        per_origin: int,
        keep: int,
        *,
        network: httpcore.AsyncNetworkBackend,
        verify: ssl.SSLContext | None = None,
    ) -> None:
        self._network = network
        self._ssl = verify
        self._limits = httpx.Limits(
            max_connections=per_origin, max_keepalive_connections=per_origin, keepalive_expiry=self.KEEPALIVE
        )
        self._keep = keep
        self._pools: OrderedDict[Origin, tuple[httpx.AsyncHTTPTransport, float]] = OrderedDict()
        self._in_use: Counter[Origin] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key, now = origin(request.url), time.monotonic()
        pool, _ = self._pools.pop(key, None) or (None, now)
        closing = [] if pool is not None else self._displaced(now)
        pool = pool or PinnedTransport(self._network, self._tls(key[0]), self._limits)
        self._pools[key] = (pool, now)  # no await since the lookup: never two pools per origin
        self._in_use[key] += 1
        try:
            for old in closing:
                await old.aclose()
            response = await pool.handle_async_request(request)
        except BaseException:
            self._release(key)
            raise
        response.stream = ReleasingStream(response.stream, lambda: self._release(key))
        return response

    def _tls(self, scheme: str) -> ssl.SSLContext:
        """The TLS context of a new pool. A pool is one origin's, so a pool of an http origin
        never speaks TLS: it gets a context with no CA at all, which would refuse any server."""
        if scheme != "https":
            return _NO_TLS
        if self._ssl is None:
            self._ssl = httpx.create_ssl_context()
        return self._ssl

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), OrderedDict()
        for pool, _ in pools:
            await pool.aclose()

    def _displaced(self, now: float) -> list[httpx.AsyncHTTPTransport]:
        """Remove and return the idle pools to close before one more opens: stale ones, and
        the oldest while there are `keep` pools (the dict is in order of last use)."""
        closing = []
        for key, (pool, used) in list(self._pools.items()):
            if len(self._pools) < self._keep and used > now - self.KEEPALIVE:
                break
            if not self._in_use[key]:
                closing.append(pool)
                del self._pools[key]
        return closing

    def _release(self, key: Origin) -> None:
        self._in_use[key] -= 1
        if self._in_use[key] <= 0:
            del self._in_use[key]


class ReleasingStream(httpx.AsyncByteStream):
    """A response body that calls `on_close` once when closed (the pool is then free)."""

    def __init__(
        self, inner: httpx.SyncByteStream | httpx.AsyncByteStream, on_close: Callable[[], None]
    ) -> None:
        assert isinstance(inner, httpx.AsyncByteStream)
        self._inner = inner
        self._on_close: Callable[[], None] | None = on_close

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            on_close, self._on_close = self._on_close, None
            if on_close is not None:
                on_close()
