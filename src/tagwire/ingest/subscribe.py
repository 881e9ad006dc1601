"""Turning what a user gives `tagwire add` into sources: a feed URL, a site's address (its
feeds are discovered), or an OPML file (local path or URL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

from tagwire.config import Settings
from tagwire.errors import FetchError, InputError, ParseError
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


async def resolve(target: str, settings: Settings) -> list[Found]:
    """What to follow for one argument of `tagwire add`: at most `max_links_per_page` of what an
    OPML file or a site lists (a file of a million entries adds what a person could review)."""
    return (await _resolve(target, settings))[: settings.max_links_per_page]


async def _resolve(target: str, settings: Settings) -> list[Found]:
    path = Path(target).expanduser()
    if "://" not in target:
        if not path.is_file():
            raise InputError(
                f"{target}: no such file, and not a URL (give an http(s) address or an OPML file)"
            )
        return [Found(url, title) for url, title in parse_opml(path.read_bytes())]
    async with Fetcher(settings) as fetcher:
        try:
            response = await fetcher.get(target)
        except FetchError as error:
            return [Found(target, None, f"could not check it now ({error}); added, it will be retried")]
        return await _classify(fetcher, target, response)


async def _classify(fetcher: Fetcher, target: str, response: Response) -> list[Found]:
    body = response.body
    if looks_like_opml(body):
        return [Found(url, title) for url, title in parse_opml(body)]
    if looks_like_sitemap(body):
        return [_sitemap(target, body, response.url)]
    if looks_like_feed(body):
        try:
            return [Found(target, parse_feed(body, response.url, response.content_type).title)]
        except ParseError as error:
            return [Found(target, None, f"added, but {error}")]
    links = find_feed_links(body, response.url)
    if links:
        return [Found(link, None, f"discovered on {target}") for link in links]
    return await _probe_common_paths(fetcher, target, response.url)


def _sitemap(target: str, body: bytes, url: str) -> Found:
    try:
        found = parse_sitemap(body, url, now=datetime.now(UTC))
    except ParseError as error:
        return Found(target, None, f"added, but {error}", kind="sitemap")
    return Found(
        target, found.publication, f"added, but {found.problem}" if found.problem else None, kind="sitemap"
    )


async def _probe_common_paths(fetcher: Fetcher, target: str, base: str) -> list[Found]:
    for path in COMMON_FEED_PATHS:
        url = urljoin(base, path)
        try:
            response = await fetcher.get(url)
        except FetchError:
            continue
        if looks_like_feed(response.body):
            return [Found(url, None, f"found at a common feed address of {target}")]
    raise InputError(
        f"{target}: no feed found (not a feed, no <link rel=alternate> feed, none at the usual addresses)"
    )
