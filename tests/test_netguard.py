"""The address guard: which addresses a fetch may reach, what the refusal says, the DNS cache, and
the pinning of each connection to the addresses the guard accepted (DNS rebinding). The guard's
own tests use address literals and need no DNS; the pinning tests connect to real servers on
127.0.0.1 (HTTP/1.1, and HTTP/2 over TLS with a certificate made for the test), with DNS replaced
by scripted answers and, where an address must look public, a network layer that notes the
address asked for and connects to 127.0.0.1 instead: no packet leaves the machine."""

from __future__ import annotations

import asyncio
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import httpcore
import pytest

from tagwire.errors import BlockedAddress, FetchError, NetworkError
from tagwire.ingest import netguard
from tagwire.ingest.connections import OriginPools, PinnedNetwork
from tagwire.ingest.fetch import Fetcher, Response
from tagwire.ingest.netguard import HostCache, IPAddress, check_url, resolve_host, why_blocked
from tests.webserver import FEED, Server, feed_route, settings


def check(url: str, allow_private: bool = False) -> None:
    asyncio.run(check_url(url, allow_private))


def refusal(url: str) -> str:
    with pytest.raises(BlockedAddress) as caught:
        check(url)
    return str(caught.value)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/feed", "127.0.0.1 is a loopback address"),
        ("http://127.8.9.10:8080/feed", "127.8.9.10 is a loopback address"),
        ("https://10.1.2.3/feed", "10.1.2.3 is a private address"),
        ("http://192.168.0.7/feed", "192.168.0.7 is a private address"),
        ("http://172.16.5.4/feed", "172.16.5.4 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://0.0.0.0/", "0.0.0.0 is an unspecified address"),
        ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
        ("http://100.64.0.1/", "100.64.0.1 is a non-public address"),
        ("http://[::1]/feed", "::1 is a loopback address"),
        ("http://[fe80::1]/feed", "fe80::1 is a link-local address"),
        ("http://[fd00::5]/feed", "fd00::5 is a private address"),
        (
            "http://[::ffff:127.0.0.1]/feed",
            "::ffff:7f00:1 is an IPv4-mapped form of 127.0.0.1, a loopback address",
        ),
        ("http://[::ffff:10.0.0.1]/", "::ffff:a00:1 is an IPv4-mapped form of 10.0.0.1, a private address"),
        ("http://[2002:7f00:1::]/feed", "2002:7f00:1:: is a 6to4 form of 127.0.0.1, a loopback address"),
        (
            "http://[64:ff9b::a9fe:a9fe]/",
            "64:ff9b::a9fe:a9fe is a NAT64 form of 169.254.169.254, a link-local address",
        ),
    ],
)
def test_non_public_addresses_are_refused(url: str, reason: str) -> None:
    assert refusal(url) == f"{url} refused: {reason} (set TAGWIRE_ALLOW_PRIVATE_NETWORKS=1 to allow)"


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.216.34/feed.rss",
        "https://[2606:4700:4700::1111]/",
        "http://[2002:5db8:d822::]/",
        "https://8.8.8.8:8443/x",
    ],
)
def test_public_addresses_are_allowed(url: str) -> None:
    check(url)  # raises when refused


def test_allow_private_lets_loopback_through() -> None:
    check("http://127.0.0.1:8080/feed", allow_private=True)
    check("http://[::ffff:127.0.0.1]/feed", allow_private=True)


def test_host_names_are_resolved_before_judging() -> None:
    assert "is a loopback address" in refusal("http://localhost:8080/feed")  # from /etc/hosts, no network


@pytest.mark.parametrize(
    "url",
    ["ftp://93.184.216.34/feed", "file:///etc/passwd", "javascript:alert(1)", "feed.rss", "gopher://x/"],
)
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchError) as caught:
        check(url, allow_private=True)
    assert not isinstance(caught.value, BlockedAddress)
    assert str(caught.value) == f"only http and https URLs can be fetched, not {url!r}"


def test_url_without_host_or_with_a_bad_port() -> None:
    with pytest.raises(FetchError, match="has no host name"):
        check("http:///feed.rss")
    with pytest.raises(FetchError, match="is not a valid URL"):
        check("http://[::1/feed")


class Answers:
    """Stands in for DNS: answers `addresses` for every host and remembers who asked."""

    def __init__(self, *addresses: str) -> None:
        self.addresses = [ipaddress.ip_address(a) for a in addresses]
        self.asked: list[str] = []

    async def __call__(self, host: str) -> Sequence[IPAddress]:
        self.asked.append(host)
        return self.addresses


def test_any_private_address_among_several_refuses_the_host() -> None:
    dns = Answers("93.184.216.34", "10.0.0.8")
    with pytest.raises(BlockedAddress, match=r"10\.0\.0\.8 is a private address"):
        asyncio.run(check_url("http://outlet.example/feed", False, resolve=dns))


def test_resolutions_are_cached_per_host() -> None:
    dns = Answers("93.184.216.34")
    cache = HostCache(ttl=60.0, resolve=dns)

    async def run() -> None:
        for path in ("/a", "/b", "/c"):
            await check_url(f"https://outlet.example{path}", False, resolve=cache)
        await check_url("https://other.example/", False, resolve=cache)

    asyncio.run(run())
    assert dns.asked == ["outlet.example", "other.example"]


def test_cache_entries_expire() -> None:
    dns = Answers("93.184.216.34")
    cache = HostCache(ttl=0.0, resolve=dns)

    async def run() -> None:
        await check_url("https://outlet.example/a", False, resolve=cache)
        await check_url("https://outlet.example/b", False, resolve=cache)

    asyncio.run(run())
    assert dns.asked == ["outlet.example", "outlet.example"]


def test_cache_keeps_the_refusal_for_a_cached_private_answer() -> None:
    cache = HostCache(ttl=60.0, resolve=Answers("192.168.1.1"))

    async def run() -> int:
        refused = 0
        for _ in range(2):
            try:
                await check_url("http://intranet.example/", False, resolve=cache)
            except BlockedAddress:
                refused += 1
        return refused

    assert asyncio.run(run()) == 2


def test_unknown_host_is_a_network_error() -> None:
    async def run() -> None:
        await asyncio.wait_for(resolve_host("nonexistent.invalid"), 2.5)

    try:
        asyncio.run(run())
    except TimeoutError:
        pytest.skip("DNS does not answer quickly here")
    except NetworkError as e:
        assert str(e).startswith("could not resolve nonexistent.invalid: ")
    else:
        pytest.fail("nonexistent.invalid resolved")


def test_why_blocked_on_plain_addresses() -> None:
    assert why_blocked(ipaddress.ip_address("93.184.216.34")) is None
    assert why_blocked(ipaddress.ip_address("::")) == ":: is an unspecified address"
    assert why_blocked(ipaddress.ip_address("2001:db8::1")) == "2001:db8::1 is a private address"


# Pinning: the address checked is the address connected to, on every hop (connections.PinnedNetwork)

PUBLIC = "93.184.216.34"


class Script:
    """Stands in for a DNS server that may lie: each host gets its answers in turn (the last one
    again once they run out); every question is noted."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = {host: [answer.split(",") for answer in seq] for host, seq in answers.items()}
        self.asked: list[str] = []

    async def __call__(self, host: str) -> Sequence[IPAddress]:
        turn = sum(1 for h in self.asked if h == host)
        self.asked.append(host)
        script = self.answers[host]
        return [ipaddress.ip_address(a) for a in script[min(turn, len(script) - 1)]]


class Loopback(httpcore.AsyncNetworkBackend):
    """The network below the guard, for addresses that must look public: notes the address each
    connection is opened to, then opens it to 127.0.0.1 on the same port."""

    def __init__(self) -> None:
        self.opened: list[str] = []
        self._real = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.opened.append(host)
        return await self._real.connect_tcp("127.0.0.1", port, timeout, local_address, socket_options)

    async def sleep(self, seconds: float) -> None:
        await self._real.sleep(seconds)


def pinned_fetch(
    urls: list[str],
    dns: netguard.Resolver,
    *,
    allow_private: bool = False,
    below: httpcore.AsyncNetworkBackend | None = None,
    verify: ssl.SSLContext | None = None,
) -> list[Response]:
    """Fetch `urls` in turn with one Fetcher whose guard and connections ask `dns`: over the
    Fetcher's own connections unless `below` or `verify` asks for other ones."""
    s = settings(allow_private_networks=allow_private)
    pools = None
    if below is not None or verify is not None:
        pools = OriginPools(2, keep=8, network=PinnedNetwork(dns, allow_private, inner=below), verify=verify)

    async def run() -> list[Response]:
        async with Fetcher(s, transport=pools, resolver=dns) as fetcher:
            return [await fetcher.get(url) for url in urls]

    return asyncio.run(run())


@pytest.mark.parametrize("second", ["127.0.0.1", f"{PUBLIC},127.0.0.1", "::ffff:127.0.0.1"])
def test_rebinding_between_check_and_connection_is_refused(server: Server, second: str) -> None:
    """The check before the request hears a public address, the connection a loopback one (no
    cache between them here, so the second question is asked): refused, nothing reaches the
    server. Without pinning, httpx would resolve `rebind.example` itself and fail otherwise."""
    server.routes["/admin"] = feed_route
    port, dns = server.server_address[1], Script({"rebind.example": [PUBLIC, second]})
    with pytest.raises(BlockedAddress) as caught:
        pinned_fetch([f"http://rebind.example:{port}/admin"], dns)
    assert str(caught.value).startswith(f"connection to rebind.example:{port} refused: ")
    assert "a loopback address (set TAGWIRE_ALLOW_PRIVATE_NETWORKS=1 to allow)" in str(caught.value)
    assert dns.asked == ["rebind.example", "rebind.example"] and server.requests == []


def test_rebinding_on_a_redirect_hop_is_refused(server: Server) -> None:
    port = server.server_address[1]
    server.routes["/feed.rss"] = lambda h: h.reply(302, Location=f"http://rebind.example:{port}/admin")
    server.routes["/admin"] = feed_route
    dns, below = Script({"outlet.example": [PUBLIC], "rebind.example": [PUBLIC, "127.0.0.1"]}), Loopback()
    with pytest.raises(BlockedAddress, match=f"connection to rebind.example:{port} refused"):
        pinned_fetch([f"http://outlet.example:{port}/feed.rss"], dns, below=below)
    assert server.paths() == ["/feed.rss"] and below.opened == [PUBLIC]


def test_the_connection_goes_to_the_checked_address(server: Server) -> None:
    """With the fetcher's cache, the check and the connection share one answer: the connection
    is opened to that address, never to the host name nor to what DNS would answer next."""
    server.routes["/feed.rss"] = feed_route
    port, dns, below = server.server_address[1], Script({"outlet.example": [PUBLIC, "127.0.0.1"]}), Loopback()
    url = f"http://outlet.example:{port}/feed.rss"
    responses = pinned_fetch([url, url], HostCache(resolve=dns), below=below)
    assert [r.body for r in responses] == [FEED, FEED]
    assert dns.asked == ["outlet.example"] and below.opened == [PUBLIC]  # one connection, kept alive
    assert [headers["Host"] for _, headers in server.requests] == [f"outlet.example:{port}"] * 2


def test_allow_private_reaches_a_real_loopback_server_by_name(server: Server) -> None:
    """`outlet.example` exists only in the scripted DNS, so the request can only have arrived
    through the pinned address; the first address refuses, the next one is tried."""
    server.routes["/feed.rss"] = feed_route
    port, dns = server.server_address[1], Script({"outlet.example": ["127.0.0.2,127.0.0.1"]})
    assert pinned_fetch([f"http://outlet.example:{port}/feed.rss"], dns, allow_private=True)[0].body == FEED
    assert server.requests[0][1]["Host"] == f"outlet.example:{port}"  # the server listens on 127.0.0.1 only


def test_each_address_refuses_then_the_last_error_is_reported(server: Server) -> None:
    port, dns = server.server_address[1], Script({"outlet.example": ["127.0.0.2,127.0.0.3"]})
    with pytest.raises(NetworkError) as caught:
        pinned_fetch([f"http://outlet.example:{port}/"], dns, allow_private=True)
    assert str(caught.value) == f"could not connect to outlet.example:{port}: connection refused"


# HTTPS and HTTP/2 over a pinned connection: SNI, the certificate check and :authority keep the name


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for outlet.test (and its key), made by the openssl command."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subject = ["-subj", "/CN=outlet.test", "-addext", "subjectAltName=DNS:outlet.test"]
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"]
    subprocess.run(
        [openssl, "req", "-x509", *ec, *subject, "-keyout", key, "-out", cert],
        check=True,
        capture_output=True,
    )
    return cert, key


class H2Outlet:
    """A real HTTP/2 server over TLS on 127.0.0.1 (the h2 library's protocol machine, a thread
    per connection) that speaks only h2, noting the TLS server names it was asked for, the
    protocol ALPN chose on each connection, and the :authority of each request."""

    def __init__(self, cert: Path, key: Path) -> None:
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.load_cert_chain(cert, key)
        self.tls.set_alpn_protocols(["h2"])
        self.tls.sni_callback = self._note_name
        self.names: list[str | None] = []
        self.protocols: list[str | None] = []
        self.authorities: list[str] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _note_name(self, _socket: ssl.SSLObject, name: str | None, _context: ssl.SSLContext) -> None:
        self.names.append(name)

    def _accept(self) -> None:
        while True:
            try:
                raw, _ = self.listener.accept()
            except OSError:  # closed at teardown
                return
            threading.Thread(target=self._serve, args=(raw,), daemon=True).start()

    def _serve(self, raw: socket.socket) -> None:
        try:
            with self.tls.wrap_socket(raw, server_side=True) as tls:
                self.protocols.append(tls.selected_alpn_protocol())
                self._speak(tls)
        except (OSError, h2.exceptions.ProtocolError):
            raw.close()  # a client that refused our certificate, or left

    def _speak(self, tls: ssl.SSLSocket) -> None:
        h2c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
        h2c.initiate_connection()
        tls.sendall(h2c.data_to_send())
        while data := tls.recv(65536):
            for event in h2c.receive_data(data):
                if isinstance(event, h2.events.RequestReceived) and event.stream_id is not None:
                    self.authorities.append(dict(event.headers or [])[b":authority"].decode())
                    head = [
                        (":status", "200"),
                        ("content-type", "application/rss+xml"),
                        ("content-length", str(len(FEED))),
                    ]
                    h2c.send_headers(event.stream_id, head)
                    h2c.send_data(event.stream_id, FEED, end_stream=True)
            tls.sendall(h2c.data_to_send())

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def h2_outlet(certificate: tuple[Path, Path]) -> Iterator[H2Outlet]:
    outlet = H2Outlet(*certificate)
    yield outlet
    outlet.close()


def trusting(cert: Path) -> ssl.SSLContext:
    """A client TLS context that trusts only `cert`, with the default host name check."""
    return ssl.create_default_context(cafile=str(cert))


def test_https_and_http2_keep_the_host_name_over_a_pinned_connection(
    h2_outlet: H2Outlet, certificate: tuple[Path, Path]
) -> None:
    """The connection goes to the checked address; the TLS server name, the certificate check
    and :authority are outlet.test; the fetcher negotiates h2 and sends both requests on one
    connection."""
    dns, below = Script({"outlet.test": [PUBLIC]}), Loopback()
    url = f"https://outlet.test:{h2_outlet.port}/feed.rss"
    responses = pinned_fetch([url, url], HostCache(resolve=dns), below=below, verify=trusting(certificate[0]))
    assert [r.body for r in responses] == [FEED, FEED]
    assert below.opened == [PUBLIC] and dns.asked == ["outlet.test"]
    assert (h2_outlet.names, h2_outlet.protocols) == (["outlet.test"], ["h2"])
    assert h2_outlet.authorities == [f"outlet.test:{h2_outlet.port}"] * 2


def test_the_certificate_is_checked_against_the_name_not_the_address(
    h2_outlet: H2Outlet, certificate: tuple[Path, Path]
) -> None:
    dns = Script({"other.test": [PUBLIC]})
    with pytest.raises(NetworkError) as caught:
        url = f"https://other.test:{h2_outlet.port}/feed.rss"
        pinned_fetch([url], dns, below=Loopback(), verify=trusting(certificate[0]))
    assert str(caught.value).startswith(f"TLS certificate of other.test:{h2_outlet.port} was rejected: ")
    assert "other.test" in str(caught.value) and h2_outlet.names == ["other.test"]
    assert h2_outlet.authorities == []
