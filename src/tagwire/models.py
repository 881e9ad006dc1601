"""Plain data passed between the pipeline's stages. No I/O, no behaviour beyond small helpers.

Flow: a `Source` is fetched; its body parses into a `ParsedFeed` of `FeedItem`s; each item's
page is extracted into `PageInfo`; normalize merges item and page into an `Article`;
understanding attaches hashtags, wire origin, `copy_of` and a story, with the `Match` that
decided it; the store keeps all of it and serves `Story` groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class ArticleStatus(StrEnum):
    """Where an article is: stored and waiting (PENDING), understood (DONE), or set aside by
    understanding with the reason in its `problem` (QUARANTINED: over its time budget, or it
    raised; never retried)."""

    PENDING = "pending"
    DONE = "done"
    QUARANTINED = "quarantined"


class MatchKind(StrEnum):
    """Why an article joined what it joined (see `Match`)."""

    NEW = "new"  # it starts a story
    STORY = "story"  # an independent report of the story of `of`
    COPY = "copy"  # a syndicated copy of `of`
    ORIGINAL = "original"  # published before `of`, of which it is the text: the copies now point here
    DUPLICATE = "duplicate"  # the same URL or the same text as `of` (`tagwire analyze` only)


class SourceStatus(StrEnum):
    """A source as its page and `tagwire sources` show it."""

    NEW = "new"  # never checked
    OK = "ok"
    ERROR = "error"  # its last check failed
    HELD = "held"  # the server asked us to wait (Retry-After)
    DEGRADED = "degraded"  # its feed is read, but none of its article pages could be


@dataclass
class Source:
    """Something tagwire follows: a feed (RSS, Atom, RDF, JSON Feed) for now."""

    url: str
    id: int | None = None
    kind: str = "feed"
    title: str | None = None
    site_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_status: int | None = None
    last_checked: datetime | None = None
    next_check: datetime | None = None
    hold_until: datetime | None = None
    error_count: int = 0
    last_error: str | None = None
    items_seen: int = 0
    page_error: str | None = None  # why none of the article pages of its last fetch could be read


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed, as the feed lists it (text fields are plain text, not HTML)."""

    url: str
    title: str
    summary: str = ""
    guid: str | None = None
    published: datetime | None = None
    categories: tuple[str, ...] = ()
    author: str | None = None


@dataclass
class ParsedFeed:
    """A parsed feed. `problem` says what was wrong with it when only part could be salvaged."""

    format: str
    title: str | None = None
    site_url: str | None = None
    items: list[FeedItem] = field(default_factory=list)
    problem: str | None = None


@dataclass
class PageInfo:
    """What an article page says about itself: full text and metadata."""

    title: str | None = None
    text: str = ""
    published: datetime | None = None
    section: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    author: str | None = None
    credit: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Match:
    """Why an article joined what it joined (`kind`, see MatchKind), the article `of` that
    decided it, `score`, the similarity that decided it, and `reason`, the decision in words
    (shown by `tagwire analyze`; not stored: an article read back has "")."""

    kind: MatchKind
    score: float = 1.0
    of: int | None = None
    reason: str = ""


@dataclass
class Article:
    """An article as tagwire keeps it, one per text per outlet."""

    url: str
    outlet: str
    title: str
    published: datetime
    summary: str = ""
    text: str = ""
    listed_url: str | None = None
    guid: str | None = None
    section: str | None = None
    language: str | None = None
    author: str | None = None
    credit: str | None = None
    content_hash: str = ""
    id: int | None = None
    source_id: int | None = None
    status: ArticleStatus = ArticleStatus.PENDING
    problem: str | None = None
    wire_origin: str | None = None
    copy_of: int | None = None
    story_id: int | None = None
    hashtags: list[str] = field(default_factory=list)
    match: Match | None = None


@dataclass
class Story:
    """Reports of one event, newest article first."""

    id: int
    headline: str
    first_published: datetime
    last_published: datetime
    articles: list[Article] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
