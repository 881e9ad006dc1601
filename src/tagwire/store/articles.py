"""Articles: stored as pending by a fetch (batch.py), understood a batch at a time in one
transaction (decisions.py), or set aside (quarantined) with the reason. Writes that belong together
run in one transaction (an article and its URLs; an article's understanding, its hashtags, copy
bands and story), so a crash mid-run leaves an article either pending or fully understood."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, literal_column, or_, select

from tagwire.models import Article, ArticleStatus
from tagwire.store.batch import Batch
from tagwire.store.decisions import Decisions
from tagwire.store.part import Part
from tagwire.store.rows import as_article
from tagwire.store.schema import article_urls, articles, hashtags, sources, stories

DECIDING_LOCK = 0x7461677764  # pg advisory lock key: one batch of decisions at a time

# known_urls, made once (a fetch asks once per feed): SQLite reads the JSON array with json_each,
# PostgreSQL takes the list as an array
_LISTED: Select[Any] = select(literal_column("value")).select_from(func.json_each(bindparam("urls")))
_KNOWN_URLS_SQLITE = select(article_urls.c.url).where(article_urls.c.url.in_(_LISTED))
_KNOWN_URLS_ANY = select(article_urls.c.url).where(article_urls.c.url == func.any(bindparam("urls")))


class ArticlesPart(Part):
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
        return _KNOWN_URLS_SQLITE if self.dialect == "sqlite" else _KNOWN_URLS_ANY

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
            return [as_article(r) for r in conn.execute(q.limit(limit))]

    def count_pending(self, fetched_before: datetime | None = None) -> int:
        """How many articles wait to be understood (with `fetched_before`: stored before then)."""
        if fetched_before is None:
            return self.count_status(ArticleStatus.PENDING)
        q = select(func.count()).where(
            articles.c.status == ArticleStatus.PENDING, articles.c.fetched_at < fetched_before
        )
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar() or 0)

    def count_status(self, status: ArticleStatus) -> int:
        """How many articles have this status."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).where(articles.c.status == status)).scalar() or 0)

    def articles_by_id(self, ids: Iterable[int]) -> dict[int, Article]:
        with self.engine.connect() as conn:
            return Decisions(conn, as_article).articles_by_id(ids)

    @contextmanager
    def understanding(self) -> Iterator[Decisions]:
        """One transaction for a batch of understanding: its reads see the batch's earlier
        decisions, its deferred counts are flushed at the end, and a crash leaves the whole
        batch pending (see store/decisions.py). On PostgreSQL the transaction first takes the
        deciding lock (a transaction-level advisory lock): processes may prepare batches at the
        same time, on any machine, but decide them one batch at a time, each batch seeing every
        decision committed before it, as one process deciding alone would."""
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                conn.execute(select(func.pg_advisory_xact_lock(DECIDING_LOCK)))
            decisions = Decisions(conn, as_article)
            yield decisions
            decisions.flush()

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
            return [as_article(r) for r in conn.execute(q)]

    def quarantined_by_source(self) -> dict[int, int]:
        """How many articles of each source understanding gave up on (sources with none absent)."""
        q = (
            select(articles.c.source_id, func.count())
            .where(articles.c.status == ArticleStatus.QUARANTINED, articles.c.source_id.is_not(None))
            .group_by(articles.c.source_id)
        )
        with self.engine.connect() as conn:
            return {int(r[0]): int(r[1]) for r in conn.execute(q)}
