"""Refuse fetches that would reach loopback, private or otherwise non-public addresses.

A news reader fetches URLs that strangers publish (feeds, redirects, links in OPML files), so
without a guard anyone could make tagwire probe the machine it runs on or its private network
(server-side request forgery). `check_url` resolves the host and refuses the URL when ANY of its
addresses is not a public one, unwrapping the IPv6 forms that carry an IPv4 address inside
(IPv4-mapped, 6to4, Teredo, NAT64). The fetcher calls it before the first request and on every
redirect hop, for a clear refusal before any connection; the guarantee is in the connection
itself (connections.PinnedNetwork connects only to the addresses this module accepted, so DNS
cannot answer one address to the check and another to the connection).
TAGWIRE_ALLOW_PRIVATE_NETWORKS=1 turns it off (tests, intranet feeds).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections.abc import Awaitable, Callable, Sequence

import httpx

from tagwire.errors import BlockedAddress, FetchError, NetworkError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], Awaitable[Sequence[IPAddress]]]

ALLOW_HINT = "set TAGWIRE_ALLOW_PRIVATE_NETWORKS=1 to allow"
SCHEMES = frozenset({"http", "https"})

# Checked in this order, so that 127.0.0.1 is called "loopback", not merely "private".
_KINDS: tuple[tuple[str, str], ...] = (
    ("is_unspecified", "an unspecified address"),
    ("is_loopback", "a loopback address"),
    ("is_link_local", "a link-local address"),
    ("is_multicast", "a multicast address"),
    ("is_private", "a private address"),
    ("is_reserved", "a reserved address"),
)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


async def check_url(url: str, allow_private: bool, *, resolve: Resolver | None = None) -> None:
    """Raise FetchError unless `url` is http(s) with a host, and BlockedAddress when (unless
    `allow_private`) any address the host resolves to is not public. `resolve` lets a caller
    share a cache of resolutions (see HostCache); by default every call asks DNS."""
    parsed = parse_url(url)
    if not allow_private:
        await check_address(parsed, resolve=resolve)


async def check_address(url: httpx.URL, *, resolve: Resolver | None = None) -> None:
    """Raise BlockedAddress when any address of the host of `url` (already parsed by
    parse_url) is not public; the fetcher calls this on every hop."""
    refuse_non_public(await (resolve or resolve_host)(url.raw_host.decode("ascii")), str(url))


def refuse_non_public(addresses: Sequence[IPAddress], shown: str) -> None:
    """Raise BlockedAddress, naming `shown` (the URL or connection refused), when any of
    `addresses` is not public."""
    for address in addresses:
        reason = why_blocked(address)
        if reason is not None:
            raise BlockedAddress(f"{shown} refused: {reason} ({ALLOW_HINT})")


def host_port(host: str, port: int) -> str:
    """`host:port` as people write it, with an IPv6 address in brackets ("[::1]:8080")."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def parse_url(url: str) -> httpx.URL:
    """`url` parsed the way httpx parses it when fetching (one parser for the guard and the
    request, so they cannot disagree about the host); FetchError unless http(s) with a host."""
    try:
        return require_http(httpx.URL(url), url)
    except httpx.InvalidURL as e:
        raise FetchError(f"{url!r} is not a valid URL: {e}") from None


def require_http(parsed: httpx.URL, shown: str) -> httpx.URL:
    """`parsed` itself when it is an http(s) URL with a host (redirect targets are checked
    here too, after the fetcher has refused other schemes); `shown` is the URL as given."""
    if parsed.scheme not in SCHEMES:
        raise FetchError(f"only http and https URLs can be fetched, not {shown!r}", "not http(s)")
    if not parsed.raw_host:
        raise FetchError(f"{shown!r} has no host name")
    return parsed


async def resolve_host(host: str) -> list[IPAddress]:
    """Every address `host` resolves to (an address literal is its own answer)."""
    literal = parse_address(host)
    if literal is not None:
        return [literal]
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise NetworkError(f"could not resolve {host}: {str(e.strerror).lower()}", "DNS") from None
    found = (parse_address(str(info[4][0])) for info in infos)
    return list(dict.fromkeys(a for a in found if a is not None))


def parse_address(text: str) -> IPAddress | None:
    """`text` as an IP address, or None when it is a host name. Drops an IPv6 zone (`%eth0`)."""
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None


def why_blocked(address: IPAddress) -> str | None:
    """Why a fetch must not reach `address` ("127.0.0.1 is a loopback address"), or None."""
    inner = embedded_ipv4(address)
    if inner is not None:
        form, ipv4 = inner
        kind = address_kind(ipv4)
        return None if kind is None else f"{address} is {form} form of {ipv4}, {kind}"
    kind = address_kind(address)
    return None if kind is None else f"{address} is {kind}"


def address_kind(address: IPAddress) -> str | None:
    """The kind of non-public address this is ("a loopback address"), or None if public."""
    for attribute, kind in _KINDS:
        if getattr(address, attribute):
            return kind
    return None if address.is_global else "a non-public address"


def embedded_ipv4(address: IPAddress) -> tuple[str, ipaddress.IPv4Address] | None:
    """The IPv4 address an IPv6 address carries (and the name of the form), or None."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return "an IPv4-mapped", address.ipv4_mapped
    if address.sixtofour is not None:
        return "a 6to4", address.sixtofour
    if address.teredo is not None:
        return "a Teredo", address.teredo[1]
    if address in _NAT64:
        return "a NAT64", ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


class HostCache:
    """Resolutions remembered for `ttl` seconds, so that polling many feeds of one outlet asks
    DNS once a minute, not once a feed. Failures are not cached. Use as `resolve=`."""

    def __init__(self, ttl: float = 60.0, *, resolve: Resolver = resolve_host) -> None:
        self._ttl = ttl
        self._resolve = resolve
        self._entries: dict[str, tuple[float, Sequence[IPAddress]]] = {}
        self._max_entries = 4096  # past this, expired entries are dropped (long-running workers)

    async def __call__(self, host: str) -> Sequence[IPAddress]:
        now = time.monotonic()
        entry = self._entries.get(host)
        if entry is not None and entry[0] > now:
            return entry[1]
        addresses = await self._resolve(host)
        if len(self._entries) >= self._max_entries:
            self._entries = {h: e for h, e in self._entries.items() if e[0] > now}
        self._entries[host] = (now + self._ttl, addresses)
        return addresses
