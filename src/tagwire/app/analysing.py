"""`tagwire analyze` and `tagwire extract`: the understanding and extraction stages run on the
user's own files, through the same code as ingestion (articles are stored, then understood)."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tagwire.app.views import iso
from tagwire.config import Settings
from tagwire.errors import FetchError, InputError
from tagwire.ingest.extract import extract_page
from tagwire.ingest.limits import DEFAULTS, Limits
from tagwire.ingest.normalize import canonical_url, parse_date
from tagwire.models import Article, ArticleStatus, MatchKind, PageInfo
from tagwire.store import Repository
from tagwire.understand.identity import content_hash
from tagwire.understand.provenance import wire_origin

if TYPE_CHECKING:
    from tagwire.understand.engine import Understander
    from tagwire.understand.prepare import Outcome

REQUIRED = ("id", "title", "text")


def read_rows(path: Path, warn: IO[str]) -> Iterator[dict[str, Any]]:
    """JSON objects, one a line; a bad line is reported on `warn` and skipped."""
    try:
        handle = sys.stdin if str(path) == "-" else path.open(encoding="utf-8", errors="replace")
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from None
    with handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise ValueError("not a JSON object")
                missing = [k for k in REQUIRED if k not in row]
                if missing:
                    raise ValueError("missing " + ", ".join(missing))
            except ValueError as e:
                print(f"{path}:{n}: skipped: {e}", file=warn)
                continue
            yield row


def row_article(row: dict[str, Any], now: datetime, limits: Limits = DEFAULTS) -> Article:
    """An input row as an Article (its fields cut to `limits`, as at ingest); the row's id is
    kept as the article's guid."""
    page = extract_page(row["html"], row.get("url")) if row.get("html") else PageInfo()
    raw_url = row.get("url")
    url = canonical_url(raw_url, page.canonical_url) if raw_url else f"urn:tagwire:analyze:{row['id']}"
    text = limits.cap_text(row.get("text") or page.text)
    article = Article(
        url=url,
        listed_url=row.get("url"),
        guid=str(row["id"]),
        outlet=row.get("outlet") or page.site_name or "unknown",
        title=row.get("title") or page.title or "",
        published=parse_date(row.get("published")) or page.published or now,
        text=text,
        summary=text[:400],
        section=row.get("section") or page.section,
        language=row.get("language"),
        author=row.get("author") or page.author,
        credit=page.credit,
        content_hash=content_hash(text),
    )
    return limits.cap(article)


def decision(row_id: str, a: Article, guids: dict[int, str | None]) -> dict[str, Any]:
    m = a.match
    return {
        "id": row_id,
        "story": a.story_id,
        "copy_of": guids.get(a.copy_of) if a.copy_of else None,
        "wire_origin": a.wire_origin,
        "hashtags": a.hashtags,
        "language": a.language,
        "match": {
            "kind": m.kind,
            "score": round(m.score, 4),
            "of": guids.get(m.of) if m.of else None,
            "reason": m.reason,
        }
        if m
        else None,
    } | ({"quarantined": a.problem} if a.status == ArticleStatus.QUARANTINED else {})


def analyze(
    rows: Iterator[dict[str, Any]], out: IO[str], repo: Repository, settings: Settings, tick: Any = None
) -> int:
    """Understand rows in order, in batches, writing one decision per row; returns the count.
    Each batch is stored and its preparing started (in a worker, after the first) before the
    batch before it is decided: storing a batch never depends on how the one before was decided."""
    from tagwire.understand.engine import BATCH, Understander  # spaCy: not for `tagwire extract`

    understander, done, now = Understander(repo, settings), 0, datetime.now(UTC)
    limits = Limits.of(settings)
    previous: _Chunk | None = None
    try:
        while chunk := list(islice(rows, BATCH)):
            current = _Chunk.store(repo, understander, chunk, now, limits, first=previous is None)
            if previous is not None:
                done += previous.decided(repo, understander, out, tick)
            previous = current
        if previous is not None:
            done += previous.decided(repo, understander, out, tick)
    finally:
        understander.close()
    return done


@dataclass
class _Chunk:
    """A batch of rows stored, its new articles being prepared."""

    rows: list[dict[str, Any]]
    stored: list[tuple[int, bool]]
    fresh: dict[int | None, Article]
    ready: Future[list[Outcome]]

    @classmethod
    def store(
        cls,
        repo: Repository,
        understander: Understander,
        rows: list[dict[str, Any]],
        now: datetime,
        limits: Limits,
        *,
        first: bool,
    ) -> _Chunk:
        articles = [row_article(r, now, limits) for r in rows]
        stored = repo.add_articles(articles, fetched_at=now)
        fresh = {a.id: a for a, (_, created) in zip(articles, stored, strict=True) if created}
        return cls(rows, stored, fresh, understander.prepare_ahead(list(fresh.values()), here=first))

    def decided(self, repo: Repository, understander: Understander, out: IO[str], tick: Any) -> int:
        """Decide the new articles, then write each row's decision."""
        batch = list(self.fresh.values())
        understander.understand(batch, understander.prepared(self.ready, batch))
        final = {**_stored(repo, [i for i, _ in self.stored if i not in self.fresh]), **self.fresh}
        guids = repo.guids_of(
            r for a in final.values() for r in (a.copy_of, a.match.of if a.match else None) if r
        )
        guids.update({i: a.guid for i, a in final.items() if i is not None})
        for row, (article_id, created) in zip(self.rows, self.stored, strict=True):
            out.write(json.dumps(_row_decision(row, final[article_id], created, guids)) + "\n")
        if tick:
            tick(len(self.rows))
        return len(self.rows)


def _stored(repo: Repository, ids: list[int]) -> dict[int | None, Article]:
    """Articles stored earlier (the ones relistings collapsed into), with their hashtags."""
    found = repo.articles_by_id(ids)
    tags = repo.hashtags_of(ids)
    for i, a in found.items():
        a.hashtags = tags.get(i, [])
    return dict(found.items())


def _row_decision(
    row: dict[str, Any], a: Article, created: bool, guids: dict[int, str | None]
) -> dict[str, Any]:
    result = decision(str(row["id"]), a, guids)
    if not created:
        result["copy_of"] = a.guid
        result["match"] = {
            "kind": MatchKind.DUPLICATE,
            "score": 1.0,
            "of": a.guid,
            "reason": "the same URL or the same text as an article already stored",
        }
    return result


def extract_one(source: str, html: bytes, url: str | None) -> dict[str, Any]:
    page = extract_page(html, url)
    return {
        "source": source,
        "url": url,
        "canonical_url": page.canonical_url,
        "title": page.title,
        "outlet": page.site_name,
        "published": iso(page.published) if page.published else None,
        "section": page.section,
        "language": page.language,
        "author": page.author,
        "wire_origin": wire_origin(page.title or "", page.text, author=page.author, credit=page.credit),
        "text": page.text,
    }


def extract_inputs(inputs: list[str], settings: Settings) -> Iterator[dict[str, Any]]:
    for item in inputs:
        if "://" in item:
            body, url = _download(item, settings)
            yield extract_one(item, body, url)
            continue
        try:
            body = Path(item).read_bytes()
        except OSError as e:
            raise InputError(f"cannot read {item}: {e.strerror}") from None
        yield extract_one(item, body, None)


def _download(url: str, settings: Settings) -> tuple[bytes, str]:
    from tagwire.ingest.fetch import Fetcher

    async def get() -> tuple[bytes, str]:
        async with Fetcher(settings) as fetcher:
            r = await fetcher.get(url)
            return r.body, r.url

    try:
        return asyncio.run(get())
    except FetchError as e:
        raise InputError(f"{url}: {e}") from None
