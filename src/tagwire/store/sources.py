"""Sources: what tagwire follows, and what each fetch of them changed (validators, the schedule,
errors). A fetch's new articles and its sources' outcomes are written in one transaction
(`save_fetches`), so a crash leaves neither and the next run fetches those sources again."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, or_, select, update

from tagwire.models import Article, Source
from tagwire.store.batch import Batch
from tagwire.store.jobs import JobRequest, defer_in
from tagwire.store.part import Part
from tagwire.store.purge import purge_articles
from tagwire.store.rows import as_source
from tagwire.store.schema import articles, sources

RECENT_ARTICLES = 500  # an outlet's sources are those of its latest articles


@dataclass(frozen=True)
class Removed:
    """What removing a source did: whether it existed, its articles kept or purged, and the
    stories purged with them."""

    found: bool
    kept: int = 0
    purged: int = 0
    stories_purged: int = 0


class SourcesPart(Part):
    def add_source(
        self, url: str, *, kind: str = "feed", title: str | None = None, now: datetime
    ) -> tuple[Source, bool]:
        """Follow a source; returns it and whether it is new. A source followed again gets the
        title found now when it had none (its first check failed)."""
        with self.engine.begin() as conn:
            row = conn.execute(select(sources).where(sources.c.url == url)).first()
            if row:
                source = as_source(row)
                if title and not source.title:
                    conn.execute(update(sources).where(sources.c.id == source.id).values(title=title))
                    source.title = title
                return source, False
            values = dict(url=url, kind=kind, title=title, created_at=now, error_count=0, items_seen=0)
            new_id = conn.execute(insert(sources).values(**values)).inserted_primary_key[0]  # type: ignore[index]
            return Source(url=url, id=new_id, kind=kind, title=title), True

    def get_source(self, source_id: int) -> Source | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(sources).where(sources.c.id == source_id)).first()
        return as_source(row) if row else None

    def find_source(self, url_or_id: str) -> Source | None:
        """The source at this address, else the one with this id (`tagwire remove 3`)."""
        ref = url_or_id.strip()
        wanted = sources.c.url == ref
        if ref.isascii() and ref.isdigit() and len(ref) < 19:  # an id (a 64-bit integer at most)
            wanted = or_(wanted, sources.c.id == int(ref))
        with self.engine.connect() as conn:
            row = conn.execute(select(sources).where(wanted).order_by(sources.c.url != ref)).first()
        return as_source(row) if row else None

    def remove_source(self, source_id: int, *, purge: bool = False) -> Removed:
        """Stop following a source. Its articles stay (no longer linked to it), or with `purge`
        go, with their hashtags, copies' links and search entries, and the stories only they
        made; a story they shared keeps its other reports, its dates and counts made anew."""
        with self.engine.begin() as conn:
            ids = list(conn.execute(select(articles.c.id).where(articles.c.source_id == source_id)).scalars())
            if not purge:
                conn.execute(update(articles).where(articles.c.source_id == source_id).values(source_id=None))
                gone = conn.execute(delete(sources).where(sources.c.id == source_id)).rowcount
                return Removed(bool(gone), kept=len(ids))
            dropped = purge_articles(conn, ids)
            gone = conn.execute(delete(sources).where(sources.c.id == source_id)).rowcount
            return Removed(bool(gone), purged=len(ids), stories_purged=dropped)

    def sources(self) -> list[Source]:
        with self.engine.connect() as conn:
            return [as_source(r) for r in conn.execute(select(sources).order_by(sources.c.id))]

    def source(self, source_id: int) -> Source | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(sources).where(sources.c.id == source_id)).first()
            return None if row is None else as_source(row)

    def fetchable_sources(self, now: datetime, *, due_only: bool) -> list[Source]:
        """Sources a fetch should check now: not held back by a Retry-After, and, with
        due_only, only those whose next check has come."""
        q = select(sources).where(or_(sources.c.hold_until.is_(None), sources.c.hold_until <= now))
        if due_only:
            q = q.where(or_(sources.c.next_check.is_(None), sources.c.next_check <= now))
        with self.engine.connect() as conn:
            return [as_source(r) for r in conn.execute(q.order_by(sources.c.id))]

    def save_fetches(
        self,
        batch: Sequence[Article],
        outcomes: Sequence[SourceOutcome],
        *,
        fetched_at: datetime,
        follow_up: Callable[[list[int]], Sequence[JobRequest]] | None = None,
    ) -> list[tuple[int, bool]]:
        """What several sources' fetches brought, in one transaction: the new articles (as
        add_articles stores them) and each source's outcome. A crash before the commit leaves
        neither, so the next run fetches those sources again (their validators were not saved).
        `follow_up` (PostgreSQL, in a cluster): the jobs that continue the new articles' work,
        given their ids, deferred in the same transaction."""
        with self.engine.begin() as conn:
            stored = Batch(conn, batch).store(fetched_at) if batch else []
            _update_sources(conn, outcomes)
            if follow_up is not None:
                defer_in(conn, follow_up([i for i, created in stored if created]))
            return stored

    def source_outlets(self) -> dict[int, str]:
        """Each source's outlet, as its latest stored article names it."""
        latest = (
            select(func.max(articles.c.id))
            .where(articles.c.source_id.is_not(None))
            .group_by(articles.c.source_id)
        )
        q = select(articles.c.source_id, articles.c.outlet).where(articles.c.id.in_(latest))
        with self.engine.connect() as conn:
            return {r.source_id: r.outlet for r in conn.execute(q)}

    def next_check(self) -> datetime | None:
        """The earliest next check of any source (None when no source has one)."""
        with self.engine.connect() as conn:
            value: datetime | None = conn.execute(select(func.min(sources.c.next_check))).scalar()
        return value

    def outlet_sources(self, outlet: str) -> list[Source]:
        """The followed sources that brought the outlet's latest articles (one outlet may come by
        several feeds; a feed that stopped carrying it long ago is not its source any more)."""
        recent = (
            select(articles.c.source_id)
            .where(articles.c.outlet == outlet)
            .order_by(articles.c.published.desc())
            .limit(RECENT_ARTICLES)
            .subquery()
        )
        with self.engine.connect() as conn:
            ids = set(conn.execute(select(recent.c.source_id).distinct()).scalars())
        return [s for s in self.sources() if s.id in ids]


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
        page_error=source.page_error,
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
