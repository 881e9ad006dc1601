"""Ranking a search's stories, from what the full-text index scores, within a bounded set of
recent candidates.

Results are stories ranked by their best-scoring article (lower is better: bm25 on SQLite, minus
ts_rank_cd on PostgreSQL), ties going to the newest story, then the highest id; each story lists
its matching articles best first, then newest. Only the CANDIDATES most recently stored matching
articles (the highest ids among the matches that pass the filters) are scored and ranked, so a
search costs about the same on a store of 10,000 articles as on one of 10,000,000: scoring every
match of a common word cost 768 ms on 1,000,000 articles (bench/serve.py). The trade-off: when
more articles match than that, an older article that would score better is not found (its
story still is, if one of its newer articles matches); a store with fewer matches than the cap
ranks exactly as before.

SQLite reads the newest matches straight from FTS5 (rowid order, descending, with a LIMIT), with
each match's story, date and outlet from the narrow covering index of migration 0005.
PostgreSQL's GIN index has no order, so the newest matches are found within windows of the
newest ids, growing until the cap is reached (search.py). Every value is a bound parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ARRAY,  # the generic type: PostgreSQL's dialect module loads only where it is used
    BindParameter,
    ColumnElement,
    Connection,
    Integer,
    any_,
    bindparam,
    select,
    text,
)

from tagwire.store.batch import chunks
from tagwire.store.schema import UTCDateTime, stories
from tagwire.store.stories import NARROW

CANDIDATES = 1000
"""Matching articles a search ranks: the newest this many (about 20 pages of 30 stories)."""
SQLITE_WEIGHTS = (10.0, 3.0, 1.0, 0.0)  # bm25 weights of title, summary, text, outlet
BM25 = f"bm25(article_fts, {', '.join(map(str, SQLITE_WEIGHTS))})"
PLACED_SQL = (
    f"SELECT article_fts.rowid, {BM25} AS score, articles.story_id, articles.published FROM article_fts"
    f" JOIN {NARROW} ON articles.id = article_fts.rowid"
    " WHERE article_fts MATCH :match AND articles.story_id IS NOT NULL"
)
FLOOR_SQL = (
    "SELECT min(rowid) FROM (SELECT article_fts.rowid FROM article_fts"
    f" JOIN {NARROW} ON articles.id = article_fts.rowid"
    " WHERE article_fts MATCH :match AND articles.story_id IS NOT NULL{filters}"
    " ORDER BY article_fts.rowid DESC LIMIT :cap)"
)
TAGGED_SQL = (
    "SELECT tagged.story_id FROM hashtags JOIN articles AS tagged INDEXED BY ix_articles_narrow"
    " ON tagged.id = hashtags.article_id WHERE lower(hashtags.tag) = :tag{i}"
)

Match = tuple[int, float, int, datetime | str]
"""Article id, score, story id and date: a datetime on PostgreSQL, on SQLite the stored text
("2025-09-18 11:59:00.000000", fixed width), whose order is the dates' order, so that the rows
are ranked without converting a thousand dates (about 3 ms of a search)."""


@dataclass(frozen=True)
class Wanted:
    """An FTS5 query, and the same with each phrase loosened to all of its words (search.fts5_match)."""

    exact: str
    words: str


@dataclass(frozen=True)
class Filters:
    """What a search keeps besides its words: hashtags of the story, outlets and a date of the article."""

    hashtags: Sequence[str] = ()
    outlets: Sequence[str] = ()
    since: datetime | None = None


def ranked(
    conn: Connection, match: Wanted, filters: Filters, need: int, cap: int = CANDIDATES
) -> list[tuple[int, list[int]]]:
    """SQLite: the first `need` stories among the `cap` newest articles matching the FTS5
    query and the filters, each with its matching article ids, best first."""
    return stories_of(conn, newest_matches(conn, match, filters, cap), need)


def stories_of(conn: Connection, rows: list[Match], need: int) -> list[tuple[int, list[int]]]:
    """The first `need` stories of these scored matches, each with its matching articles."""
    best: dict[int, float] = {}
    for _, score, story_id, _ in rows:
        best[story_id] = min(best.get(story_id, score), score)
    return listed(rows, page_of(conn, best, need))


def newest_matches(conn: Connection, match: Wanted, filters: Filters, cap: int) -> list[Match]:
    """The `cap` newest matches passing the filters, scored, with story and date from the narrow
    index: FTS5 yields its matches newest first and stops at the LIMIT. A query with a phrase is
    looked for among the `cap` newest articles having all of the phrase's words, as on
    PostgreSQL (search.newest_matches): FTS5 compares word positions only in those, where
    finding the newest `cap` with the phrase could read every article with common words
    ("police said": 72-81 ms at p95 on 1,000,000 articles)."""
    where, params = _filtered(filters)
    if match.words != match.exact:
        floor = text(FLOOR_SQL.format(filters=where))
        lowest = conn.execute(
            floor.bindparams(*params, bindparam("match", match.words), bindparam("cap", cap))
        ).scalar()
        if lowest is None:
            return []
        where += " AND article_fts.rowid >= :floor"
        params.append(bindparam("floor", lowest))
    sql = PLACED_SQL + where + " ORDER BY article_fts.rowid DESC LIMIT :cap"
    found = text(sql).bindparams(*params, bindparam("match", match.exact), bindparam("cap", cap))
    # a thousand rows as the driver gives them (no column has a type to convert: published is
    # kept as stored, see Match): SQLAlchemy's rows would cost more than the query
    result = conn.execute(found)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def _filtered(filters: Filters) -> tuple[str, list[BindParameter[Any]]]:
    """The SQL conditions (each starting with AND) and bound values for the filters: the story
    carries each hashtag (any case), the article is from an outlet, and recent enough."""
    sql, params = "", list[BindParameter[Any]]()
    for i, tag in enumerate(filters.hashtags):
        sql += f" AND articles.story_id IN ({TAGGED_SQL.format(i=i)})"
        params.append(bindparam(f"tag{i}", tag.lower()))
    if filters.outlets:
        sql += " AND lower(articles.outlet) IN :outlets"
        params.append(bindparam("outlets", [o.lower() for o in filters.outlets], expanding=True))
    if filters.since is not None:
        sql += " AND articles.published >= :since"
        params.append(bindparam("since", filters.since, type_=UTCDateTime()))
    return sql, params


def page_of(conn: Connection, best: dict[int, float], need: int) -> list[int]:
    """The first `need` stories by best score, ties going to the newest story (then highest id)."""
    order = sorted(best, key=best.__getitem__)
    if len(order) > need:  # only stories scoring up to the page's last one can reorder it
        order = [i for i in order if best[i] <= best[order[need - 1]]]
    latest: dict[int, float] = {}
    for among in _story_ids(conn.dialect.name, order):
        newest = select(stories.c.id, stories.c.last_published).where(among)
        latest.update((i, when.timestamp()) for i, when in conn.execute(newest))
    order.sort(key=lambda i: (best[i], -latest[i], -i))
    return order[:need]


def _story_ids(dialect: str, ids: list[int]) -> Iterator[ColumnElement[bool]]:
    """Conditions selecting these stories: one array on PostgreSQL (a bound list of hundreds of
    values costs more to compile and parse than the lookups), IN lists short enough for SQLite."""
    if dialect == "postgresql":
        yield stories.c.id == any_(bindparam("ids", ids, type_=ARRAY(Integer)))
        return
    for chunk in chunks(ids):
        yield stories.c.id.in_(chunk)


def listed(rows: Iterable[Match], ids: list[int]) -> list[tuple[int, list[int]]]:
    """(story id, its matching article ids best first, then newest, then highest id) for `ids`."""
    found: dict[int, list[Match]] = {i: [] for i in ids}
    for row in rows:
        if row[2] in found:  # a story shown (the others' rows are not ordered)
            found[row[2]].append(row)
    for matches in found.values():
        matches.sort(key=lambda m: (m[3], m[0]), reverse=True)  # newest, then highest id
        matches.sort(key=lambda m: m[1])  # best score first (a stable sort keeps that order on ties)
    return [(i, [m[0] for m in found[i]]) for i in ids]
