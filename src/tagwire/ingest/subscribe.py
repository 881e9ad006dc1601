"""Checking what a user gives `tagwire add` before it is followed: a feed URL (it must answer
with something that parses as a feed), a site's address (its feeds are discovered), a news
sitemap, or an OPML file (local path or URL), whose entries are checked alike.

Each target comes back as what to follow (`Found`) or what was refused and why (`Refused`).
Refused: an address that is wrong (a 4xx, a host name that does not resolve, a private address,
a scheme other than http(s)) and a body that is no feed and names none. An outlet that is down
or misbehaving now (5xx, 429, timeout, refused connection, redirect loop, a body over the cap,
a feed that does not parse) is followed with a note: the fetches retry it and show its error.
With `anyway`, a refused target is followed all the same, except an address that is not
http(s), which tagwire can never fetch."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

from tagwire.config import Settings
from tagwire.errors import FetchError, HTTPStatusError, InputError, ParseError
from tagwire.ingest import netguard
from tagwire.ingest.discover import (
    COMMON_FEED_PATHS,
    find_feed_links,
    looks_like_feed,
    looks_like_opml,
    parse_opml,
)
from tagwire.ingest.fetch import Fetcher, Response
from tagwire.ingest.parse import parse_feed
from tagwire.ingest.sitemap import looks_like_sitemap, parse_sitemap


@dataclass(frozen=True)
class Found:
    """A feed to follow, with its title when known, and a note for the user."""

    url: str
    title: str | None = None
    note: str | None = None
    kind: str = "feed"


@dataclass(frozen=True)
class Refused:
    """A target (or an OPML entry) not followed, and why."""

    url: str
    reason: str


Checked = Found | Refused


async def resolve(target: str, settings: Settings, *, anyway: bool = False) -> list[Checked]:
    """What to follow for one argument of `tagwire add`, each feed checked; never raises for
    what a user can get wrong. At most `max_links_per_page` of what an OPML file or a site lists
    (a file of a million entries adds what a person could review)."""
    async with Fetcher(settings) as fetcher:
        checker = _Checker(fetcher, settings.max_links_per_page, anyway)
        if "://" not in target:
            return await checker.opml_file(target)
        return await checker.url(target, entries=True)


@dataclass
class _Checker:
    fetcher: Fetcher
    limit: int
    anyway: bool

    async def opml_file(self, target: str) -> list[Checked]:
        path = Path(target).expanduser()
        if not path.is_file():
            reason = "no such file, and not a URL (give an http(s) address or an OPML file)"
            return [Refused(target, reason)]
        try:
            entries = parse_opml(path.read_bytes(), name=str(path))
        except (InputError, OSError) as error:
            return [Refused(target, _reason(error))]
        return await self.entries(entries)

    async def entries(self, entries: list[tuple[str, str | None]]) -> list[Checked]:
        """An OPML file's feeds, each checked as a feed URL given alone would be."""
        found = await asyncio.gather(
            *(self.url(url, entries=False, title=t) for url, t in entries[: self.limit])
        )
        return [c for checked in found for c in checked]

    async def url(self, target: str, *, entries: bool, title: str | None = None) -> list[Checked]:
        """One address: refused when it is not http(s); else fetched and classified."""
        try:
            netguard.parse_url(target)
        except FetchError as error:
            return [Refused(target, str(error))]
        try:
            response = await self.fetcher.get(target)
        except FetchError as error:
            if self.anyway or transient(error):
                return [
                    Found(target, title, f"could not check it now ({error}); followed, it will be retried")
                ]
            return [Refused(target, str(error))]
        try:
            return await self._classify(target, response, entries=entries, title=title)
        except InputError as error:  # no feed in it, or an OPML file inside an OPML file
            if self.anyway:
                return [Found(target, title, f"{error}; followed anyway")]
            return [Refused(target, str(error))]

    async def _classify(
        self, target: str, response: Response, *, entries: bool, title: str | None
    ) -> list[Checked]:
        body = response.body
        if looks_like_opml(body):
            if not entries:
                raise InputError(f"{target} is an OPML file inside an OPML file (not followed)")
            return await self.entries(parse_opml(body, name=target))
        if looks_like_sitemap(body):
            return [self._sitemap(target, body, response.url)]
        if looks_like_feed(body):
            try:
                feed = parse_feed(body, response.url, response.content_type)
            except ParseError as error:  # a feed, broken now: the next fetches may read it
                return [Found(target, title, f"followed, but it cannot be read now: {error}")]
            return [Found(target, feed.title or title, feed.problem)]
        links = find_feed_links(body, response.url)
        if links:
            return [Found(link, None, f"discovered on {target}") for link in links[: self.limit]]
        return [await self._probe_common_paths(target, response.url)]

    def _sitemap(self, target: str, body: bytes, url: str) -> Found:
        """A news sitemap followed as a source, with a note when it cannot be read now."""
        try:
            found = parse_sitemap(body, url, now=datetime.now(UTC))
        except ParseError as error:  # a sitemap, broken now: the next fetches may read it
            return Found(target, None, f"followed, but it cannot be read now: {error}", kind="sitemap")
        note = f"note: {found.problem}" if found.problem else None
        return Found(target, found.publication, note, kind="sitemap")

    async def _probe_common_paths(self, target: str, base: str) -> Found:
        for path in COMMON_FEED_PATHS:
            url = urljoin(base, path)
            try:
                response = await self.fetcher.get(url)
            except FetchError:
                continue
            if looks_like_feed(response.body):
                return Found(url, None, f"found at a common feed address of {target}")
        none = "no <link rel=alternate> feed, none at the usual addresses"
        raise InputError(f"{target} is not a feed, and names none ({none})")


TRANSIENT_STATUSES = frozenset({408, 425, 429})
TRANSIENT_CAUSES = frozenset(
    {
        "timeout",
        "connection refused",
        "connection lost",
        "connection failed",
        "redirects",
        "too large",
        "network error",
    }
)


def transient(error: FetchError) -> bool:
    """Whether a failure says the outlet is down or misbehaving now (a 5xx, 429, a timeout, a
    refused connection, a redirect loop, a body over the cap), not that the address is wrong (a
    4xx, a name that does not resolve, a private address, a scheme tagwire cannot fetch)."""
    if isinstance(error, HTTPStatusError):
        return error.status >= 500 or error.status in TRANSIENT_STATUSES
    return error.cause in TRANSIENT_CAUSES


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return f"cannot be read: {error.strerror or error}"
    return str(error)
