"""PostgreSQL: the newest articles a search matches, found through the full-text index within
windows of the newest ids, then scored (ts_rank_cd) by their ids only.

A GIN index has no order: asked for the articles with "people" among the newest 4,000, it still
reads the posting list of every article with the word (a third of 1,000,000 articles: 70-79 ms),
and that grows with the store. So the full-text index also holds each article's recency, the
bucket of BUCKET ids its id falls in (ix_articles_search_recent, migration 0011: GIN over the
tsvector and ARRAY[id / BUCKET]). A search within a window asks for the window's buckets as
well, and GIN, which intersects the two within one index, skips along the word's posting list
to the buckets' few articles instead of reading all of it: the cost follows the window, not the
store. The first window is sized by the planner's estimate of how many articles match (from the
tsvector's most common lexemes, which ANALYZE keeps); each next one, below it, by the matches
found so far; a window wider than the query's matches in the whole store is read without the
buckets (the word's posting list is then the smaller read). Every value is a bound parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    ARRAY,  # the generic type: PostgreSQL's dialect module loads only where it is used
    ClauseElement,
    ColumnElement,
    Connection,
    Executable,
    Integer,
    Select,
    bindparam,
    func,
    literal_column,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from tagwire.store.schema import articles

BUCKET = 1024  # ids per recency bucket: the index expression of migration 0011 names it too
WINDOW = 4  # the first window of newest articles searched, in candidates, at the least
WINDOW_GROWTH = 8  # a window is at most this many times the one before
PLAN_SETTINGS = (("max_parallel_workers_per_gather", "0"), ("enable_indexscan", "off"))

Scored = Callable[[list[int]], Select[Any]]


class Explain(Executable, ClauseElement):
    """EXPLAIN (FORMAT JSON) of a statement, its parameters bound as the statement's own."""

    inherit_cache = False

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement


@compiles(Explain, "postgresql")
def _explain(element: Explain, compiler: SQLCompiler, **kw: Any) -> str:
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.statement, **kw)


def newest_matches(conn: Connection, wide: Select[Any], scored: Scored, cap: int) -> list[Any]:
    """The rows of `scored` for the `cap` newest (highest) ids among those `wide` selects (one
    column: the article id; its conditions those of the search, a phrase loosened to its words).
    For the transaction: no parallel workers (a page's reads stop early), no index scans (the
    planner would otherwise walk the primary key and test every article's tsvector, read from
    TOAST, however rare the query: 70-1,200 ms on 100,000 articles)."""
    settings = (func.set_config(name, value, True) for name, value in PLAN_SETTINGS)
    top = conn.execute(select(func.max(articles.c.id), *settings)).scalar() or 0
    expected = estimated_rows(conn, wide)
    ids: list[int] = []
    high, size = top, max(WINDOW * cap, int(2 * cap * top / max(expected, 1.0)))
    while high > 0 and len(ids) < cap:
        low = max(0, high - size)
        found = window(conn, wide, low, high)
        ids += sorted(found, reverse=True)
        size = int(size * min(WINDOW_GROWTH, max(2.0, 1.5 * (cap - len(ids)) / max(len(found), 1))))
        high = low
    return list(conn.execute(scored(ids[:cap]))) if ids else []


def estimated_rows(conn: Connection, wide: Select[Any]) -> float:
    """The planner's estimate of the articles `wide` matches in the whole store."""
    plan = conn.execute(Explain(wide)).scalar_one()
    return float(plan[0]["Plan"]["Plan Rows"])


def window(conn: Connection, wide: Select[Any], low: int, high: int) -> list[int]:
    """The matching ids in (low, high]."""
    return list(conn.execute(windowed(wide, low, high)).scalars())


def windowed(wide: Select[Any], low: int, high: int) -> Select[Any]:
    """`wide` within the ids (low, high]: through the recency buckets of that range, unless it
    starts at the first article (the rest of the store: a rare query's few index entries)."""
    q = wide.where(articles.c.id > low, articles.c.id <= high)
    return q.where(in_buckets(low, high)) if low > 0 else q


def in_buckets(low: int, high: int) -> ColumnElement[bool]:
    """The article is in one of the recency buckets holding the ids (low, high]: written as the
    index expression of migration 0011, so that GIN answers it."""
    recent: ColumnElement[Any] = literal_column(f"ARRAY[articles.id / {BUCKET}]")
    wanted = list(range(low // BUCKET, high // BUCKET + 1))
    return recent.op("&&")(bindparam("buckets", wanted, type_=ARRAY(Integer)))
