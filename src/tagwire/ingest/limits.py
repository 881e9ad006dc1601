"""Bounds on what an outlet can make tagwire hold: every text field that comes from outside is
cut to a length (settings `max_*_chars`), an item whose URL is absurdly long is skipped, and a
run reads a bounded number of new items per source. Later stages (hashtags, stories, copies,
provenance) then work on inputs of known size, whatever a feed publishes: a headline of a
megabyte of capitals costs what a headline of a thousand does.

Pure: `Limits.of(settings)` once per run, then `cap(article)` on each article before it is
stored. Cut text ends with "…" so that a reader sees it was cut."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from tagwire.config import Settings
from tagwire.ingest.markup import storable
from tagwire.models import Article

T = TypeVar("T")
ELLIPSIS = "…"


@dataclass(frozen=True)
class Limits:
    """The caps of one run (defaults: those of the settings table)."""

    title: int = 1000
    text: int = 200_000
    field: int = 300
    url: int = 2048
    items: int = 1000

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(
            title=settings.max_title_chars,
            text=settings.max_text_chars,
            field=settings.max_field_chars,
            url=settings.max_url_chars,
            items=settings.max_items_per_feed,
        )

    def cap(self, a: Article) -> Article:
        """`a` with each field cut to its cap and made storable (no NUL, no lone surrogate: a
        page's JSON-LD or a line of `tagwire analyze` input can carry them); the same object
        when nothing had to change."""
        changes: dict[str, Any] = {
            name: storable(cut(value, limit))
            for name, value, limit in self._fields(a)
            if value is not None and (len(value) > limit or storable(value) is not value)
        }
        return dataclasses.replace(a, **changes) if changes else a

    def cap_text(self, text: str) -> str:
        return storable(cut(text, self.text))

    def _fields(self, a: Article) -> Sequence[tuple[str, str | None, int]]:
        return (
            ("title", a.title, self.title),
            ("text", a.text, self.text),
            ("summary", a.summary, self.text),
            ("outlet", a.outlet, self.field),
            ("section", a.section, self.field),
            ("author", a.author, self.field),
            ("credit", a.credit, self.field),
            ("guid", a.guid, self.url),
        )

    def url_ok(self, url: str) -> bool:
        return len(url) <= self.url

    def newest(self, items: Sequence[T]) -> list[T]:
        """The last `items` cap of `items` (ordered oldest first: the newest)."""
        return list(items[-self.items :]) if self.items > 0 else []


def cut(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, "…" marking the cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)] + ELLIPSIS if limit > 0 else ""


DEFAULTS = Limits()
"""The caps of the settings table's defaults."""
