"""The address guard: which addresses a fetch may reach, what the refusal says, and the DNS cache.
Address literals need no DNS; no test here opens a connection."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Sequence

import pytest

from tagwire.errors import BlockedAddress, FetchError, NetworkError
from tagwire.ingest.netguard import HostCache, IPAddress, check_url, resolve_host, why_blocked


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
