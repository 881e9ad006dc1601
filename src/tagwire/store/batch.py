"""Storing a batch of new articles in a handful of statements: what the store knows already is
looked up in bulk, duplicates inside the batch are resolved in memory, and new rows go in with
one multi-row INSERT each. Used by Repository.add_articles inside its transaction."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, insert, select

from tagwire.models import Article, ArticleStatus
from tagwire.store.schema import article_urls, articles

CHUNK = 500  # values per IN (...) list


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """`items` in slices short enough for one IN (...) list."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


MIN_WORDS_FOR_TEXT_IDENTITY = 12  # shorter texts ("Photo", an empty summary) never make two listings one


def has_identity(a: Article) -> bool:
    """Whether the article's text is long enough to identify it (a relisting has the same)."""
    words = a.text.split(maxsplit=MIN_WORDS_FOR_TEXT_IDENTITY)  # no need to count past it
    return bool(a.content_hash) and len(words) >= MIN_WORDS_FOR_TEXT_IDENTITY


def insert_rows(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], statement: Any = None
) -> None:
    """INSERT `rows` (each with the same columns) as one executemany of the database driver,
    each value converted by its column's type as SQLAlchemy's own INSERT converts it (aware
    times as naive UTC, in SQLite's text form), but without the work SQLAlchemy does again for
    every row of an executemany (two thirds of the time of storing a fetch's articles).
    `statement`: another INSERT into `table` taking the same values (an upsert)."""
    if not rows:
        return
    columns = list(rows[0])
    compiled = (statement if statement is not None else insert(table)).compile(
        dialect=conn.dialect, column_keys=columns
    )
    names = list(compiled.positiontup or ()) if compiled.positional else columns
    assert sorted(names) == sorted(columns), "every bound value comes from the rows"
    convert = [
        (name, table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)) for name in names
    ]
    if compiled.positional:
        params: list[Any] = [tuple(f(r[n]) if f else r[n] for n, f in convert) for r in rows]
    else:
        params = [{n: f(r[n]) if f else r[n] for n, f in convert} for r in rows]
    conn.exec_driver_sql(str(compiled), params)


def article_values(a: Article, fetched_at: datetime) -> dict[str, Any]:
    return dict(
        source_id=a.source_id, url=a.url, listed_url=a.listed_url, guid=a.guid, outlet=a.outlet,
        title=a.title,
        summary=a.summary, text=a.text, published=a.published, fetched_at=fetched_at, section=a.section,
        language=a.language, author=a.author, credit=a.credit, content_hash=a.content_hash or "",
        status=ArticleStatus.PENDING, problem=a.problem,
    )  # fmt: skip


class Batch:
    def __init__(self, conn: Connection, batch: Sequence[Article]) -> None:
        self.conn, self.batch = conn, batch
        self.first_of: dict[object, int] = {}  # url or (hash, outlet) -> index of a new article
        self.urls = [[u for u in dict.fromkeys([a.url, a.listed_url]) if u] for a in batch]
        self.by_url = self._known_urls({u for us in self.urls for u in us})
        self.by_text = self._known_texts({a.content_hash for a in batch if has_identity(a)})

    def _known_urls(self, urls: set[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in chunks(sorted(urls)):
            q = select(article_urls.c.url, article_urls.c.article_id).where(article_urls.c.url.in_(chunk))
            found.update((r[0], r[1]) for r in self.conn.execute(q))
        return found

    def _known_texts(self, hashes: set[str]) -> dict[tuple[str, str], int]:
        found: dict[tuple[str, str], int] = {}
        for chunk in chunks(sorted(hashes)):
            q = select(articles.c.content_hash, articles.c.outlet, articles.c.id)
            q = q.where(articles.c.content_hash.in_(chunk)).order_by(articles.c.id.desc())
            for h, outlet, article_id in self.conn.execute(q):
                found[(h, outlet)] = article_id  # rows come newest first: the oldest wins
        return found

    def store(self, fetched_at: datetime) -> list[tuple[int, bool]]:
        """(article id, created) per article; the ids are also set on the articles."""
        owners = [self._owner(i, a) for i, a in enumerate(self.batch)]
        new = [a for a, o in zip(self.batch, owners, strict=True) if o is None]
        return self._resolve(owners, iter(self._insert(new, fetched_at)))

    def _owner(self, i: int, a: Article) -> int | None:
        """The stored id this article collapses into, -1-j for the j-th article of this batch,
        or None when it is new (then it becomes the one later twins collapse into)."""
        text_key = (a.content_hash, a.outlet) if has_identity(a) else None
        stored = next((self.by_url[u] for u in self.urls[i] if u in self.by_url), None)
        if stored is None and text_key is not None:
            stored = self.by_text.get(text_key)
        if stored is not None:
            return stored
        keys: list[object] = [*self.urls[i], *([text_key] if text_key else [])]
        twin = next((self.first_of[k] for k in keys if k in self.first_of), None)
        if twin is not None:
            return -1 - twin
        self.first_of.update((k, i) for k in keys)
        return None

    def _insert(self, new: list[Article], fetched_at: datetime) -> list[int]:
        if not new:
            return []
        # a plain executemany, then the ids by URL (unique): RETURNING in parameter order makes
        # SQLite insert row by row, several times slower
        insert_rows(self.conn, articles, [article_values(a, fetched_at) for a in new])
        urls = [a.url for a in new]
        ids: dict[str, int] = {}
        for chunk in chunks(urls):
            q = select(articles.c.url, articles.c.id).where(articles.c.url.in_(chunk))
            ids.update((r[0], int(r[1])) for r in self.conn.execute(q))
        return [ids[u] for u in urls]

    def _resolve(self, owners: list[int | None], new_ids: Iterator[int]) -> list[tuple[int, bool]]:
        results: list[tuple[int, bool]] = []
        for o in owners:
            if o is None:
                results.append((next(new_ids), True))
            else:
                results.append((results[-1 - o][0] if o < 0 else o, False))
        rows = []
        for (article_id, _), a, urls in zip(results, self.batch, self.urls, strict=True):
            a.id = article_id
            rows += [{"url": u, "article_id": article_id} for u in urls if u not in self.by_url]
            self.by_url.update((u, article_id) for u in urls)
        insert_rows(self.conn, article_urls, rows)
        return results
