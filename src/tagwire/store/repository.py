"""The repository: every read and write of tagwire's data. SQL lives in the store package only.

Writes that belong together run in one transaction (an article and its URLs; an article's
understanding, its hashtags, copy bands and story), so a crash mid-run leaves the store
consistent: an article is either pending or fully understood.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    Select,
    and_,
    bindparam,
    func,
    insert,
    literal_column,
    or_,
    select,
    update,
)

from tagwire.models import Article, ArticleStatus, Match, MatchKind, Source, Story
from tagwire.store.batch import Batch, chunks
from tagwire.store.decisions import Decisions
from tagwire.store.narrow import tagged_stories
from tagwire.store.schema import article_urls, articles, hashtags, sources, stories

# what the pages read of an article: not its understanding's working data (features, signature)
READ_COLUMNS = [c for c in articles.c if c.name not in ("features", "signature")]


class Repository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # sources -------------------------------------------------------------------------------

    def add_source(
        self, url: str, *, kind: str = "feed", title: str | None = None, now: datetime
    ) -> tuple[Source, bool]:
        """Follow a source; returns it and whether it is new."""
        with self.engine.begin() as conn:
            row = conn.execute(select(sources).where(sources.c.url == url)).first()
            if row:
                return _source(row), False
            values = dict(url=url, kind=kind, title=title, created_at=now, error_count=0, items_seen=0)
            new_id = conn.execute(insert(sources).values(**values)).inserted_primary_key[0]  # type: ignore[index]
            return Source(url=url, id=new_id, kind=kind, title=title), True

    def sources(self) -> list[Source]:
        with self.engine.connect() as conn:
            return [_source(r) for r in conn.execute(select(sources).order_by(sources.c.id))]

    def fetchable_sources(self, now: datetime, *, due_only: bool) -> list[Source]:
        """Sources a fetch should check now: not held back by a Retry-After, and, with
        due_only, only those whose next check has come."""
        q = select(sources).where(or_(sources.c.hold_until.is_(None), sources.c.hold_until <= now))
        if due_only:
            q = q.where(or_(sources.c.next_check.is_(None), sources.c.next_check <= now))
        with self.engine.connect() as conn:
            return [_source(r) for r in conn.execute(q.order_by(sources.c.id))]

    def record_success(
        self, source: Source, *, checked: datetime, next_check: datetime, problem: str | None
    ) -> None:
        """A fetch worked (200 or 304): keep validators and title, clear the error count; a feed
        that parsed only in part keeps its problem as the last error."""
        outcome = success_outcome(source, checked=checked, next_check=next_check, problem=problem)
        self.save_fetches([], [outcome], fetched_at=checked)

    def record_error(
        self,
        source: Source,
        message: str,
        *,
        status: int | None,
        checked: datetime,
        next_check: datetime,
        hold_until: datetime | None = None,
    ) -> None:
        """A fetch failed: count it, keep the message for `tagwire sources`; hold_until is when the
        server asked us to come back (Retry-After), which even a manual fetch respects."""
        outcome = error_outcome(
            source, message, status=status, checked=checked, next_check=next_check, hold_until=hold_until
        )
        self.save_fetches([], [outcome], fetched_at=checked)

    def save_fetches(
        self,
        batch: Sequence[Article],
        outcomes: Sequence[SourceOutcome],
        *,
        fetched_at: datetime,
    ) -> list[tuple[int, bool]]:
        """What several sources' fetches brought, in one transaction: the new articles (as
        add_articles stores them) and each source's outcome. A crash before the commit leaves
        neither, so the next run fetches those sources again (their validators were not saved)."""
        with self.engine.begin() as conn:
            stored = Batch(conn, batch).store(fetched_at) if batch else []
            _update_sources(conn, outcomes)
            return stored

    # articles: ingest ------------------------------------------------------------------------

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of these URLs (listed or canonical) tagwire already has. The list travels as one
        bound array (SQLite: a JSON array read by json_each), so a feed's check is one cached
        statement, not an IN list rendered anew for each feed."""
        wanted = list(dict.fromkeys(urls))
        if not wanted:
            return set()
        with self.engine.connect() as conn:
            found = conn.execute(self._known_urls_query(), {"urls": self._url_array(wanted)}).scalars()
            return {str(url) for url in found}

    def _known_urls_query(self) -> Select[Any]:
        if self.dialect == "sqlite":
            listed: Select[Any] = select(literal_column("value")).select_from(
                func.json_each(bindparam("urls"))
            )
            return select(article_urls.c.url).where(article_urls.c.url.in_(listed))
        return select(article_urls.c.url).where(article_urls.c.url == func.any(bindparam("urls")))

    def _url_array(self, urls: list[str]) -> Any:
        return json.dumps(urls) if self.dialect == "sqlite" else urls

    def add_articles(self, batch: Sequence[Article], *, fetched_at: datetime) -> list[tuple[int, bool]]:
        """Store new articles as pending, in one transaction. An article whose URL is known, or
        whose text the same outlet already published (a relisting), collapses into the one
        stored: its URLs are added to it. Returns (article id, created) per article, and sets
        each article's id. A batch costs a handful of statements, not a few per article."""
        with self.engine.begin() as conn:
            return Batch(conn, batch).store(fetched_at)

    def pending(self, limit: int = 1000, after: Article | None = None) -> list[Article]:
        """Articles stored but not understood yet, oldest publication first; with `after`, only
        those that come after it in that order (the next batch while this one is decided)."""
        q = (
            select(articles)
            .where(articles.c.status == ArticleStatus.PENDING)
            .order_by(articles.c.published, articles.c.id)
        )
        if after is not None:
            at, at_id = after.published, after.id or 0
            later = and_(articles.c.published == at, articles.c.id > at_id)
            q = q.where(or_(articles.c.published > at, later))
        with self.engine.connect() as conn:
            return [_article(r) for r in conn.execute(q.limit(limit))]

    def count_pending(self) -> int:
        return self.count_status(ArticleStatus.PENDING)

    def count_status(self, status: ArticleStatus) -> int:
        """How many articles have this status."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).where(articles.c.status == status)).scalar() or 0)

    def articles_by_id(self, ids: Iterable[int]) -> dict[int, Article]:
        with self.engine.connect() as conn:
            return Decisions(conn, _article).articles_by_id(ids)

    def article_by_url(self, url: str) -> Article | None:
        q = (
            select(articles)
            .join(article_urls, article_urls.c.article_id == articles.c.id)
            .where(article_urls.c.url == url)
        )
        with self.engine.connect() as conn:
            row = conn.execute(q).first()
        return _article(row) if row else None

    # articles: understanding -----------------------------------------------------------------

    @contextmanager
    def understanding(self) -> Iterator[Decisions]:
        """One transaction for a batch of understanding: its reads see the batch's earlier
        decisions, its deferred counts are flushed at the end, and a crash leaves the whole
        batch pending (see store/decisions.py)."""
        with self.engine.begin() as conn:
            decisions = Decisions(conn, _article)
            yield decisions
            decisions.flush()

    def save_understanding(
        self, a: Article, *, bands: Sequence[int], signature: bytes, features: str, terms: Iterable[str]
    ) -> None:
        """Record what understanding decided for one article, in one transaction. A new story is
        created when a.story_id is None."""
        assert a.id is not None
        with self.understanding() as decisions:
            decisions.forget([a.id])
            decisions.save(a, bands=bands, signature=signature, features=features, terms=terms)

    # reading: stories and pages ----------------------------------------------------------------

    def story_ids_for_tag(self, tag: str, limit: int, offset: int = 0) -> list[int]:
        """Stories with an article carrying `tag`, newest first; the tag's articles and their
        stories are read from covering indexes only (store/narrow.py)."""
        tagged = tagged_stories(self.dialect, tag)
        q = (
            select(stories.c.id)
            .where(stories.c.id.in_(tagged))
            .order_by(stories.c.last_published.desc(), stories.c.id.desc())
        )
        with self.engine.connect() as conn:
            return list(conn.execute(q.limit(limit).offset(offset)).scalars())

    def latest_story_ids(self, limit: int, offset: int = 0) -> list[int]:
        q = select(stories.c.id).order_by(stories.c.last_published.desc(), stories.c.id.desc())
        with self.engine.connect() as conn:
            return list(conn.execute(q.limit(limit).offset(offset)).scalars())

    def stories(self, ids: Sequence[int]) -> list[Story]:
        """Stories with their articles (newest first) and hashtags, in the order of ids."""
        if not ids:
            return []
        shown = select(*READ_COLUMNS).where(articles.c.story_id.in_(list(ids)))
        with self.engine.connect() as conn:
            heads = {r.id: r for r in conn.execute(select(stories).where(stories.c.id.in_(list(ids))))}
            arts: dict[int, list[Article]] = {}
            for r in conn.execute(shown):
                arts.setdefault(r.story_id, []).append(_article(r))
            tags = self._tags(conn, [a.id for found in arts.values() for a in found if a.id is not None])
        return [_story(heads[i], arts.get(i, []), tags) for i in ids if i in heads]

    def hashtags_of(self, ids: Sequence[int]) -> dict[int, list[str]]:
        with self.engine.connect() as conn:
            return self._tags(conn, list(ids))

    def _tags(self, conn: Connection, ids: list[int]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        for chunk in chunks(ids):
            q = (
                select(hashtags)
                .where(hashtags.c.article_id.in_(chunk))
                .order_by(hashtags.c.article_id, hashtags.c.rank)
            )
            for r in conn.execute(q):
                found.setdefault(r.article_id, []).append(r.tag)
        return found

    def urls_of(self, ids: Iterable[int | None]) -> dict[int, str]:
        return self._column_of(ids, articles.c.url)

    def guids_of(self, ids: Iterable[int | None]) -> dict[int, str | None]:
        return self._column_of(ids, articles.c.guid)

    def _column_of(self, ids: Iterable[int | None], column: Any) -> dict[int, Any]:
        """article id -> one column's value, for the ids given (None skipped)."""
        wanted = [i for i in set(ids) if i is not None]
        found: dict[int, Any] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(wanted):
                found.update(
                    (r[0], r[1])
                    for r in conn.execute(select(articles.c.id, column).where(articles.c.id.in_(chunk)))
                )
        return found

    def next_check(self) -> datetime | None:
        """The earliest next check of any source (None when no source has one)."""
        with self.engine.connect() as conn:
            value: datetime | None = conn.execute(
                select(func.min(sources.c.next_check))
            ).scalar()  # typed: aware UTC
        return value

    def top_tags(self, limit: int = 20, since: datetime | None = None) -> list[tuple[str, int]]:
        """Hashtags by the number of stories carrying them (since a time, if given)."""
        n = func.count(func.distinct(articles.c.story_id)).label("n")
        q = select(hashtags.c.tag, n).join(articles, articles.c.id == hashtags.c.article_id)
        if since is not None:
            q = q.where(articles.c.published >= since)
        q = q.group_by(hashtags.c.tag).order_by(n.desc(), hashtags.c.tag).limit(limit)
        with self.engine.connect() as conn:
            return [(r.tag, int(r.n)) for r in conn.execute(q)]

    def stats(self) -> dict[str, int]:
        counts = {"sources": sources, "articles": articles, "stories": stories}
        with self.engine.connect() as conn:
            out = {
                k: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
                for k, t in counts.items()
            }
            out["hashtags"] = int(
                conn.execute(select(func.count(func.distinct(hashtags.c.tag)))).scalar() or 0
            )
            for name, status in (
                ("pending", ArticleStatus.PENDING),
                ("quarantined", ArticleStatus.QUARANTINED),
            ):
                out[name] = int(
                    conn.execute(select(func.count()).where(articles.c.status == status)).scalar() or 0
                )
        return out

    def quarantined(self, limit: int = 1000) -> list[Article]:
        """Articles understanding gave up on (their `problem` says why), newest first."""
        q = (
            select(articles)
            .where(articles.c.status == ArticleStatus.QUARANTINED)
            .order_by(articles.c.published.desc(), articles.c.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [_article(r) for r in conn.execute(q)]

    def quarantined_by_source(self) -> dict[int, int]:
        """How many articles of each source understanding gave up on (sources with none absent)."""
        q = (
            select(articles.c.source_id, func.count())
            .where(articles.c.status == ArticleStatus.QUARANTINED, articles.c.source_id.is_not(None))
            .group_by(articles.c.source_id)
        )
        with self.engine.connect() as conn:
            return {int(r[0]): int(r[1]) for r in conn.execute(q)}


ERROR_COUNT_PLUS_ONE = sources.c.error_count + 1  # a failed fetch counts one more error, in SQL
SourceOutcome = tuple[int | None, dict[str, Any]]  # (source id, the columns a fetch changed)


def success_outcome(
    source: Source, *, checked: datetime, next_check: datetime, problem: str | None
) -> SourceOutcome:
    """The columns a successful fetch (200 or 304) sets on its source."""
    values = dict(
        etag=source.etag,
        last_modified=source.last_modified,
        last_status=source.last_status,
        title=source.title,
        site_url=source.site_url,
        last_checked=checked,
        next_check=next_check,
        error_count=0,
        last_error=problem,
        items_seen=source.items_seen,
        hold_until=None,
    )
    return source.id, values


def error_outcome(
    source: Source,
    message: str,
    *,
    status: int | None,
    checked: datetime,
    next_check: datetime,
    hold_until: datetime | None,
) -> SourceOutcome:
    """The columns a failed fetch sets on its source (the error count grows in SQL)."""
    values = dict(
        last_error=message,
        last_status=status,
        last_checked=checked,
        next_check=next_check,
        hold_until=hold_until,
        error_count=ERROR_COUNT_PLUS_ONE,
    )
    return source.id, values


def _update_sources(conn: Connection, outcomes: Sequence[SourceOutcome]) -> None:
    """The sources' outcomes, one executemany per set of columns (successes share one set,
    failures another), not one statement per source. ERROR_COUNT_PLUS_ONE stays SQL."""
    shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for source_id, values in outcomes:
        row = {"_" + k: v for k, v in values.items() if v is not ERROR_COUNT_PLUS_ONE}
        shapes.setdefault(tuple(sorted(values)), []).append({"_id": source_id, **row})
    for columns, rows in shapes.items():
        changes: dict[str, Any] = {
            name: ERROR_COUNT_PLUS_ONE if "_" + name not in rows[0] else bindparam("_" + name)
            for name in columns
        }
        conn.execute(update(sources).where(sources.c.id == bindparam("_id")).values(changes), rows)


def _source(r: Row[Any]) -> Source:
    return Source(
        url=r.url,
        id=r.id,
        kind=r.kind,
        title=r.title,
        site_url=r.site_url,
        etag=r.etag,
        last_modified=r.last_modified,
        last_status=r.last_status,
        last_checked=r.last_checked,
        next_check=r.next_check,
        hold_until=r.hold_until,
        error_count=r.error_count,
        last_error=r.last_error,
        items_seen=r.items_seen,
    )


def _article(r: Row[Any]) -> Article:
    match = Match(MatchKind(r.match_kind), r.match_score or 0.0, r.match_of) if r.match_kind else None
    return Article(
        url=r.url,
        outlet=r.outlet,
        title=r.title,
        published=r.published,
        summary=r.summary,
        text=r.text,
        listed_url=r.listed_url,
        guid=r.guid,
        section=r.section,
        language=r.language,
        author=r.author,
        credit=r.credit,
        id=r.id,
        source_id=r.source_id,
        status=ArticleStatus(r.status),
        problem=r.problem,
        wire_origin=r.wire_origin,
        copy_of=r.copy_of,
        story_id=r.story_id,
        match=match,
        content_hash=r.content_hash,
    )


def _story(head: Row[Any], arts: list[Article], tags: dict[int, list[str]]) -> Story:
    """The story `head` with its articles `arts`, newest first, and their hashtags."""
    mine = sorted(arts, key=lambda a: (a.published, a.id or 0), reverse=True)
    for a in mine:
        a.hashtags = tags.get(a.id or 0, [])
    return Story(head.id, head.headline, head.first_published, head.last_published, mine, _story_tags(mine))


def _story_tags(arts: list[Article]) -> list[str]:
    """A story's hashtags: those most of its articles carry first, then by best rank."""
    score: dict[str, tuple[int, int]] = {}
    for a in arts:
        for rank, tag in enumerate(a.hashtags):
            n, best = score.get(tag, (0, rank))
            score[tag] = (n + 1, min(best, rank))
    return sorted(score, key=lambda t: (-score[t][0], score[t][1], t))
