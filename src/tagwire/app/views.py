"""What the pages, the API and `tagwire page --json` show, as plain dicts built from the store.
One function per view, so the CLI, the JSON API and the HTML pages can never disagree."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any
from weakref import WeakKeyDictionary

from tagwire.models import Article, Source, SourceStatus, Story
from tagwire.store import Repository
from tagwire.store.browse import (
    BASELINE,
    WINDOW,
    TagCounts,
    data_version,
    outlet_known,
    outlet_sources,
    outlet_story_ids,
    tag_counts,
)

PAGE_SIZE = 30
TRENDING = 12  # hashtags shown as trending
PRIOR = 2.0  # stories added to both sides of a rise, so one story of a new tag is no trend
MIN_RECENT = 2  # stories in the window before a hashtag can trend at all
MEMO_SIZE = 16  # trending results kept per store (per minute and data version)
_TRENDS: WeakKeyDictionary[Repository, dict[tuple[Any, ...], dict[str, Any]]] = WeakKeyDictionary()


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
    return from_iso(value.strip()) if value else datetime.now(UTC)


def from_iso(text: str) -> datetime:
    """An ISO 8601 time (as the views write them, "...Z") as an aware UTC datetime; a time
    without an offset is taken to be UTC."""
    dt = datetime.fromisoformat(text)
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


def story_urls(repo: Repository, found: list[Story]) -> dict[int, str]:
    """The URLs of the articles these stories' articles are copies of or matched against."""
    refs = [r for s in found for a in s.articles for r in (a.copy_of, a.match.of if a.match else None) if r]
    return repo.urls_of(refs)


def _stories(repo: Repository, ids: list[int], now: datetime) -> list[dict[str, Any]]:
    found = repo.stories(ids)
    urls = story_urls(repo, found)
    return [story_dict(s, now, urls) for s in found]


def stories_by_id(repo: Repository, ids: list[int], now: datetime) -> dict[int, dict[str, Any]]:
    """Story dicts (the shape of /api/stories/{id}) for many stories, in two queries."""
    return {s["id"]: s for s in _stories(repo, ids, now)}


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


def outlet_page(
    repo: Repository, outlet: str, now: datetime, *, page: int = 1, size: int = PAGE_SIZE
) -> dict[str, Any] | None:
    """An outlet's stories, newest first (as on a hashtag page), and the sources that bring its
    articles; None when no article names this outlet."""
    if not outlet_known(repo, outlet):
        return None
    ids = outlet_story_ids(repo, outlet, limit=size + 1, offset=(page - 1) * size)
    return {
        "outlet": outlet,
        "heading": f"Latest news from {outlet}",
        "page": page,
        "has_more": len(ids) > size,
        "sources": [source_dict(s, now) for s in outlet_sources(repo, outlet)],
        "stories": _stories(repo, ids[:size], now),
    }


# trending -------------------------------------------------------------------------------------


def rise(c: TagCounts, days: float) -> float:
    """How far a hashtag is above its usual level: recent stories over the baseline's average for a
    period as long as the window, both smoothed by PRIOR stories so small counts cannot dominate."""
    return (c.recent + PRIOR) / (c.before / days + PRIOR)


def rise_label(c: TagCounts, days: float) -> str:
    """The rise in words: "new" (nothing in the baseline) or the raw change, "+300%"."""
    if c.before == 0:
        return "new"
    return f"{round((c.recent / (c.before / days) - 1) * 100):+d}%"


def trending(repo: Repository, now: datetime) -> dict[str, Any]:
    """Hashtags rising against their own recent past: stories carrying each in the last 24 hours
    against its average per 24 hours over the 7 days before, most risen first. Frequent but steady
    hashtags are left out; so is a tag with a single story, however new.

    Computed as of the minute, and kept until that minute or the store's data changes: on a busy
    store the counting takes a few hundred milliseconds, and the home page asks for it every time."""
    at = now.replace(second=0, microsecond=0)
    key = (at, *data_version(repo))
    memo = _TRENDS.setdefault(repo, {})
    found = memo.get(key)  # one read: another request thread may clear the memo meanwhile
    if found is None:
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        found = memo[key] = _trending(repo, at, TRENDING)
    return copy.deepcopy(found)


def _trending(repo: Repository, now: datetime, limit: int) -> dict[str, Any]:
    days = BASELINE / WINDOW
    rising = [c for c in tag_counts(repo, now) if c.recent >= MIN_RECENT and rise(c, days) > 1]
    rising.sort(key=lambda c: (-rise(c, days), -c.recent, c.tag.lower()))
    return {
        "heading": "Trending hashtags",
        "now": iso(now),
        "window_hours": round(WINDOW.total_seconds() / 3600),
        "baseline_days": round(BASELINE.total_seconds() / 86400),
        "tags": [_trend(c, days) for c in rising[:limit]],
    }


def _trend(c: TagCounts, days: float) -> dict[str, Any]:
    return {
        "tag": c.tag,
        "stories": c.recent,
        "baseline_per_window": round(c.before / days, 2),
        "rise": rise_label(c, days),
        "score": round(rise(c, days), 3),
    }


# sources --------------------------------------------------------------------------------------


def source_status(s: Source, now: datetime) -> SourceStatus:
    """ok, error (its last check failed), held (the server asked us to wait) or new (never checked)."""
    if s.hold_until is not None and s.hold_until > now:
        return SourceStatus.HELD
    if s.error_count:
        return SourceStatus.ERROR
    return SourceStatus.OK if s.last_checked is not None else SourceStatus.NEW


def _when(dt: datetime | None) -> str | None:
    return iso(dt) if dt else None


def source_dict(s: Source, now: datetime, quarantined: int = 0) -> dict[str, Any]:
    return {
        "id": s.id,
        "url": s.url,
        "title": s.title,
        "site_url": s.site_url,
        "kind": s.kind,
        "status": source_status(s, now),
        "last_error": s.last_error,
        "error_count": s.error_count,
        "last_status": s.last_status,
        "items_seen": s.items_seen,
        "quarantined": quarantined,
        "last_checked": _when(s.last_checked),
        "next_check": _when(s.next_check),
        "hold_until": _when(s.hold_until),
    }


def sources_page(repo: Repository, now: datetime) -> dict[str, Any]:
    """Every followed source with its state, failing ones first, then by name."""
    set_aside = repo.quarantined_by_source()
    found = [source_dict(s, now, set_aside.get(s.id or 0, 0)) for s in repo.sources()]
    order = {"error": 0, "held": 1, "new": 2, "ok": 3}
    found.sort(key=lambda d: (order[d["status"]], (d["title"] or d["url"]).lower()))
    counts = {k: sum(d["status"] == k for d in found) for k in order}
    problems = [problem_dict(a) for a in repo.quarantined(limit=PROBLEMS_SHOWN)]
    return {"heading": "Sources", "now": iso(now), "counts": counts, "sources": found, "problems": problems}


PROBLEMS_SHOWN = 100  # quarantined articles listed on /sources (`tagwire problems` lists all)


def problem_dict(a: Article) -> dict[str, Any]:
    """An article understanding gave up on, and why."""
    return {
        "id": a.id,
        "url": a.url,
        "outlet": a.outlet,
        "title": a.title,
        "published": iso(a.published),
        "source_id": a.source_id,
        "reason": a.problem,
    }
