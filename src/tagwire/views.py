"""What the pages, the API and `tagwire page --json` show, as plain dicts built from the store.
One function per view, so the CLI, the JSON API and the HTML pages can never disagree."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tagwire.models import Article, Story
from tagwire.store import Repository

PAGE_SIZE = 30


def iso(dt: datetime) -> str:
    """ISO 8601 in UTC with a Z, to the second."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def age(published: datetime, now: datetime) -> str:
    """ "N minutes/hours/days ago" within 7 days of now, else the date as DD-MM-YYYY."""
    seconds = (now - published).total_seconds()
    if seconds < 0 or seconds >= 7 * 86400:
        return published.astimezone(UTC).strftime("%d-%m-%Y")
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        n = int(seconds // size)
        if n >= 1:
            return f"{n} {unit}{'s' if n > 1 else ''} ago"
    return "just now"


def parse_now(value: str | None) -> datetime:
    """The `now` a page is rendered at: an ISO 8601 time (reproducible pages), else the clock."""
    if not value:
        return datetime.now(UTC)
    dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def clean_tag(tag: str) -> str:
    return tag.strip().lstrip("#")


def article_dict(a: Article, now: datetime, urls: dict[int, str]) -> dict[str, Any]:
    match = a.match
    return {
        "id": a.id,
        "outlet": a.outlet,
        "title": a.title,
        "url": a.url,
        "category": a.section,
        "published": iso(a.published),
        "age": age(a.published, now),
        "wire_origin": a.wire_origin,
        "copy_of": urls.get(a.copy_of) if a.copy_of else None,
        "hashtags": list(a.hashtags),
        "summary": a.summary,
        "language": a.language,
        "match": {
            "kind": match.kind,
            "score": round(match.score, 3),
            "of": urls.get(match.of) if match.of else None,
        }
        if match
        else None,
    }


def story_dict(s: Story, now: datetime, urls: dict[int, str]) -> dict[str, Any]:
    first = min(s.articles, key=lambda a: (a.published, a.id or 0)) if s.articles else None
    return {
        "id": s.id,
        "headline": s.headline,
        "published": iso(s.last_published),
        "first_published": iso(s.first_published),
        "age": age(s.last_published, now),
        "first_publisher": first.outlet if first else None,
        "hashtags": list(s.hashtags),
        "articles": [article_dict(a, now, urls) for a in s.articles],
    }


def _stories(repo: Repository, ids: list[int], now: datetime) -> list[dict[str, Any]]:
    found = repo.stories(ids)
    refs = [r for s in found for a in s.articles for r in (a.copy_of, a.match.of if a.match else None) if r]
    urls = repo.urls_of(refs)
    return [story_dict(s, now, urls) for s in found]


def tag_page(
    repo: Repository, tag: str, now: datetime, *, page: int = 1, size: int = PAGE_SIZE
) -> dict[str, Any]:
    """ "Latest news with #Tag": the stories with an article carrying the tag, newest first."""
    tag = clean_tag(tag)
    ids = repo.story_ids_for_tag(tag, limit=size + 1, offset=(page - 1) * size)
    return {
        "tag": tag,
        "heading": f"Latest news with #{tag}",
        "page": page,
        "has_more": len(ids) > size,
        "stories": _stories(repo, ids[:size], now),
    }


def latest(repo: Repository, now: datetime, *, page: int = 1, size: int = PAGE_SIZE) -> dict[str, Any]:
    ids = repo.latest_story_ids(limit=size + 1, offset=(page - 1) * size)
    return {
        "heading": "Latest news",
        "page": page,
        "has_more": len(ids) > size,
        "stories": _stories(repo, ids[:size], now),
    }


def story_page(repo: Repository, story_id: int, now: datetime) -> dict[str, Any] | None:
    found = _stories(repo, [story_id], now)
    return found[0] if found else None
