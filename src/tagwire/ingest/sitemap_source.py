"""A news sitemap followed as a source: the sitemap (or sitemap index) fetched, its children
fetched in turn (two levels at most, MAX_CHILDREN in all), their recent URLs merged into one
ParsedFeed, so the rest of the pipeline treats it like any feed."""

from __future__ import annotations

import asyncio
from datetime import datetime

from tagwire.errors import FetchError, ParseError
from tagwire.ingest.fetch import Fetcher
from tagwire.ingest.sitemap import MAX_CHILDREN, Sitemap, newest_first, parse_sitemap
from tagwire.models import FeedItem, ParsedFeed


async def read_sitemap(fetcher: Fetcher, body: bytes, url: str, now: datetime) -> ParsedFeed:
    """The items of a sitemap whose top-level body was fetched already."""
    top = parse_sitemap(body, url, now=now)
    maps, failed = [top], []
    level, budget = top.children[:MAX_CHILDREN], MAX_CHILDREN
    for _depth in range(2):
        if not level:
            break
        budget -= len(level)
        found = await asyncio.gather(*(_child(fetcher, child, now) for child in level))
        maps += [m for m in found if isinstance(m, Sitemap)]
        failed += [f"{child}: {m}" for child, m in zip(level, found, strict=True) if isinstance(m, str)]
        level = [c for m in found if isinstance(m, Sitemap) for c in m.children][: max(0, budget)]
    problems = [p for p in (top.problem, _failures(failed, len(top.children))) if p]
    return ParsedFeed(
        "sitemap", title=top.publication, items=_merge(maps), problem="; ".join(problems) or None
    )


async def _child(fetcher: Fetcher, url: str, now: datetime) -> Sitemap | str:
    try:
        response = await fetcher.get(url)
        return parse_sitemap(response.body, response.url, now=now)
    except (FetchError, ParseError) as error:
        return str(error)


def _merge(maps: list[Sitemap]) -> list[FeedItem]:
    """Every item once, newest first (the order feeds use)."""
    seen: dict[str, FeedItem] = {}
    for m in maps:
        for item in m.items:
            seen.setdefault(item.url, item)
    return sorted(seen.values(), key=newest_first)


def _failures(failed: list[str], total: int) -> str | None:
    if not failed:
        return None
    return f"{len(failed)} of {total} child sitemaps failed: " + "; ".join(failed[:3])
