"""The repository: every read and write of tagwire's data. SQL lives in the store package only.

Writes that belong together run in one transaction (an article and its URLs; an article's
understanding, its hashtags, copy bands and story), so a crash mid-run leaves the store
consistent: an article is either pending or fully understood.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, delete, func, insert, or_, select, update

from tagwire.models import Article, Match, Source, Story
from tagwire.store.batch import Batch, chunks
from tagwire.store.schema import article_urls, articles, copy_bands, hashtags, sources, stories, term_stats

DOC_COUNT = ""  # the term_stats row that counts documents


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
        with self.engine.begin() as conn:
            conn.execute(update(sources).where(sources.c.id == source.id).values(**values))

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
        values = dict(
            last_error=message,
            last_status=status,
            last_checked=checked,
            next_check=next_check,
            hold_until=hold_until,
            error_count=sources.c.error_count + 1,
        )
        with self.engine.begin() as conn:
            conn.execute(update(sources).where(sources.c.id == source.id).values(**values))

    # articles: ingest ------------------------------------------------------------------------

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of these URLs (listed or canonical) tagwire already has."""
        wanted, found = list(dict.fromkeys(urls)), set[str]()
        with self.engine.connect() as conn:
            for chunk in chunks(wanted):
                q = select(article_urls.c.url).where(article_urls.c.url.in_(chunk))
                found.update(conn.execute(q).scalars())
        return found

    def add_articles(self, batch: Sequence[Article], *, fetched_at: datetime) -> list[tuple[int, bool]]:
        """Store new articles as pending, in one transaction. An article whose URL is known, or
        whose text the same outlet already published (a relisting), collapses into the one
        stored: its URLs are added to it. Returns (article id, created) per article, and sets
        each article's id. A batch costs a handful of statements, not a few per article."""
        with self.engine.begin() as conn:
            return Batch(conn, batch).store(fetched_at)

    def pending(self, limit: int = 1000) -> list[Article]:
        """Articles stored but not understood yet, oldest publication first."""
        q = (
            select(articles)
            .where(articles.c.status == "pending")
            .order_by(articles.c.published, articles.c.id)
        )
        with self.engine.connect() as conn:
            return [_article(r) for r in conn.execute(q.limit(limit))]

    def count_pending(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).where(articles.c.status == "pending")).scalar() or 0)

    def articles_by_id(self, ids: Iterable[int]) -> dict[int, Article]:
        found: dict[int, Article] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(list(set(ids))):
                for r in conn.execute(select(articles).where(articles.c.id.in_(chunk))):
                    found[r.id] = _article(r)
        return found

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

    def same_text(self, content_hash: str, exclude: int) -> list[Article]:
        # status is checked here, not in SQL: with it, SQLite picks the status index over the hash one
        q = select(articles).where(articles.c.content_hash == content_hash, articles.c.id != exclude)
        with self.engine.connect() as conn:
            rows = conn.execute(q.order_by(articles.c.published))
            return [_article(r) for r in rows if r.status == "done"]

    def band_candidates(self, keys: Sequence[int], exclude: int, limit: int = 200) -> list[tuple[int, bytes]]:
        """Articles sharing at least one LSH band key: (id, MinHash signature), most shared first."""
        shared = func.count().label("shared")
        q = (
            select(copy_bands.c.article_id, shared)
            .where(copy_bands.c.key.in_(list(keys)), copy_bands.c.article_id != exclude)
            .group_by(copy_bands.c.article_id)
            .order_by(shared.desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            ids = [r.article_id for r in conn.execute(q)]
            if not ids:
                return []
            rows = conn.execute(select(articles.c.id, articles.c.signature).where(articles.c.id.in_(ids)))
            return [(r.id, r.signature) for r in rows if r.signature]

    def story_candidates(
        self, tags: Sequence[str], since: datetime, until: datetime, limit: int = 400
    ) -> list[tuple[int, int, str]]:
        """Understood articles published in [since, until] sharing a hashtag: (id, story, features)."""
        if not tags:
            return []
        q = (
            select(articles.c.id, articles.c.story_id, articles.c.features)
            .where(articles.c.id.in_(select(hashtags.c.article_id).where(hashtags.c.tag.in_(list(tags)))))
            .where(
                articles.c.published.between(since, until),
                articles.c.status == "done",
                articles.c.story_id.is_not(None),
            )
            .order_by(articles.c.published.desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [(r.id, r.story_id, r.features or "{}") for r in conn.execute(q)]

    def document_frequencies(self, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        """How many understood documents there are, and in how many each term occurs."""
        wanted = [t for t in set(terms) if t] + [DOC_COUNT]
        df: dict[str, int] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(wanted):
                df.update(
                    (r.term, r.df)
                    for r in conn.execute(select(term_stats).where(term_stats.c.term.in_(chunk)))
                )
        return df.pop(DOC_COUNT, 0), df

    def save_understanding(
        self, a: Article, *, bands: Sequence[int], signature: bytes, features: str, terms: Iterable[str]
    ) -> None:
        """Record what understanding decided for one article, in one transaction. A new story is
        created when a.story_id is None."""
        assert a.id is not None
        with self.engine.begin() as conn:
            if a.story_id is None:
                a.story_id = self._new_story(conn, a)
            else:
                self._grow_story(conn, a.story_id, a.published)
            conn.execute(delete(hashtags).where(hashtags.c.article_id == a.id))
            if a.hashtags:
                conn.execute(
                    insert(hashtags),
                    [{"article_id": a.id, "tag": t, "rank": i} for i, t in enumerate(a.hashtags)],
                )
            conn.execute(delete(copy_bands).where(copy_bands.c.article_id == a.id))
            if bands:
                conn.execute(insert(copy_bands), [{"key": k, "article_id": a.id} for k in bands])
            conn.execute(
                update(articles)
                .where(articles.c.id == a.id)
                .values(**_understood_values(a, signature, features))
            )
            self._count_terms(conn, [*set(terms), DOC_COUNT])

    def repoint_copies(self, old: int, new: int, story_id: int) -> None:
        """An earlier-published copy arrived late: the copies of `old` (and `old`) now point to `new`."""
        with self.engine.begin() as conn:
            conn.execute(update(articles).where(articles.c.copy_of == old).values(copy_of=new, match_of=new))
            conn.execute(
                update(articles)
                .where(articles.c.id == old)
                .values(copy_of=new, match_kind="copy", match_of=new)
            )

    def _new_story(self, conn: Connection, a: Article) -> int:
        values = dict(
            headline=a.title, first_published=a.published, last_published=a.published, article_count=1
        )
        return int(conn.execute(insert(stories).values(**values)).inserted_primary_key[0])  # type: ignore[index]

    def _grow_story(self, conn: Connection, story_id: int, published: datetime) -> None:
        row = conn.execute(select(stories).where(stories.c.id == story_id)).one()
        values = dict(
            article_count=row.article_count + 1,
            first_published=min(row.first_published, published),
            last_published=max(row.last_published, published),
        )
        conn.execute(update(stories).where(stories.c.id == story_id).values(**values))

    def _count_terms(self, conn: Connection, terms: Sequence[str]) -> None:
        present = set(conn.execute(select(term_stats.c.term).where(term_stats.c.term.in_(terms))).scalars())
        if present:
            conn.execute(
                update(term_stats).where(term_stats.c.term.in_(present)).values(df=term_stats.c.df + 1)
            )
        new = [{"term": t, "df": 1} for t in terms if t not in present]
        if new:
            conn.execute(insert(term_stats), new)

    # reading: stories and pages ----------------------------------------------------------------

    def story_ids_for_tag(self, tag: str, limit: int, offset: int = 0) -> list[int]:
        tagged = (
            select(articles.c.story_id)
            .join(hashtags, hashtags.c.article_id == articles.c.id)
            .where(hashtags.c.tag == tag)
        )
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
        with self.engine.connect() as conn:
            heads = {r.id: r for r in conn.execute(select(stories).where(stories.c.id.in_(list(ids))))}
            arts = [
                _article(r) for r in conn.execute(select(articles).where(articles.c.story_id.in_(list(ids))))
            ]
            tags = self._tags(conn, [a.id for a in arts if a.id is not None])
        return [_story(heads[i], arts, tags) for i in ids if i in heads]

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
            out["pending"] = int(
                conn.execute(select(func.count()).where(articles.c.status == "pending")).scalar() or 0
            )
        return out


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


def _understood_values(a: Article, signature: bytes, features: str) -> dict[str, Any]:
    m = a.match or Match("new")
    return dict(
        status="done",
        wire_origin=a.wire_origin,
        copy_of=a.copy_of,
        story_id=a.story_id,
        language=a.language,
        match_kind=m.kind,
        match_score=m.score,
        match_of=m.of,
        features=features,
        signature=signature,
    )


def _article(r: Row[Any]) -> Article:
    match = Match(r.match_kind, r.match_score or 0.0, r.match_of) if r.match_kind else None
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
        status=r.status,
        problem=r.problem,
        wire_origin=r.wire_origin,
        copy_of=r.copy_of,
        story_id=r.story_id,
        match=match,
        content_hash=r.content_hash,
    )


def _story(head: Row[Any], arts: list[Article], tags: dict[int, list[str]]) -> Story:
    mine = sorted(
        (a for a in arts if a.story_id == head.id), key=lambda a: (a.published, a.id or 0), reverse=True
    )
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
