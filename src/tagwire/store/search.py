"""Full-text search over the stored articles: a query (tagwire.query's tree) compiled per dialect
(FTS5 MATCH on SQLite, a tsquery on PostgreSQL) with every piece of user text sent as a bound
parameter, never spliced into SQL. Results are stories: matching articles grouped by story,
stories ranked by their best article (title matches weigh most), newest story first on ties."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ARRAY,  # the generic type: PostgreSQL's dialect module loads only where it is used
    ColumnElement,
    Engine,
    Integer,
    Select,
    any_,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
)

from tagwire.query import All, Either, Node, Not, Query, Term
from tagwire.store import pgsearch, ranking
from tagwire.store.part import Part
from tagwire.store.schema import articles, stories
from tagwire.store.stories import tagged_stories

FTS_TABLE = table("article_fts", column("rowid"))


def fts5_match(node: Node, *, loose: bool = False) -> str:
    """The FTS5 MATCH string for the AST; every term is an FTS5 string "..." (quotes doubled), so
    no user text is ever read as FTS5 syntax. The result itself is bound as a parameter.
    `loose`: each phrase outside NOT is all of its words instead, in any order (a superset of its
    matches, found without comparing word positions)."""
    if isinstance(node, Term):
        words = (_words(node.text) if loose and node.phrase else None) or [node.text]
        quoted = ['"' + w.replace('"', '""') + '"' for w in words]
        return quoted[0] if len(quoted) == 1 else "(" + " AND ".join(quoted) + ")"
    if isinstance(node, Not):  # only reached inside All, which places it after a positive part
        return fts5_match(node.child)
    if isinstance(node, Either):
        return "(" + " OR ".join(fts5_match(c, loose=loose) for c in node.children) + ")"
    positive = [fts5_match(c, loose=loose) for c in node.children if not isinstance(c, Not)]
    negative = [fts5_match(c) for c in node.children if isinstance(c, Not)]
    return "(" + " AND ".join(positive) + "".join(f" NOT {n}" for n in negative) + ")"


def _words(phrase: str) -> list[str]:
    """The phrase's words that hold a letter or digit (FTS5 finds no article with "&")."""
    return [w for w in phrase.split() if re.search(r"[^\W_]", w)]


def tsquery(node: Node) -> ColumnElement[Any]:
    """A PostgreSQL tsquery for the AST: each term a bound parameter of plainto_tsquery (a word) or
    phraseto_tsquery (a phrase), joined by tsquery_and/or/not (the functions behind && || !!)."""
    if isinstance(node, Term):
        fn = func.phraseto_tsquery if node.phrase else func.plainto_tsquery
        return fn(literal_column("'english'::regconfig"), bindparam(None, node.text, unique=True))
    if isinstance(node, Not):
        return func.tsquery_not(tsquery(node.child))
    join = func.tsquery_and if isinstance(node, All) else func.tsquery_or
    combined = tsquery(node.children[0])
    for child in node.children[1:]:
        combined = join(combined, tsquery(child))
    return combined


# querying ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoryHit:
    """A story that matched, and its matching articles, best match first."""

    story_id: int
    article_ids: list[int]


class SearchPart(Part):
    def search_stories(
        self, query: Query, *, limit: int, offset: int = 0, candidates: int = ranking.CANDIDATES
    ) -> list[StoryHit]:
        """Stories with an article among the `candidates` newest matching `query`, best first
        (ties: newest story first); store/ranking.py says why the candidates are bounded."""
        if query.expr is None:  # filters only: every match scores the same, so newest first
            return _newest(self.engine, query, limit, offset)
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                filters = ranking.Filters(query.hashtags, query.outlets, query.since)
                match = ranking.Wanted(fts5_match(query.expr), fts5_match(query.expr, loose=True))
                found = ranking.ranked(conn, match, filters, offset + limit, candidates)
            else:
                wide = _hits(self.dialect, query, loose=True).with_only_columns(articles.c.id)
                found_rows = pgsearch.newest_matches(conn, wide, _scored(query), candidates)
                rows = [(r.id, float(r.score), r.story_id, r.published) for r in found_rows]
                found = ranking.stories_of(conn, rows, offset + limit)
        return [StoryHit(i, article_ids) for i, article_ids in found[offset:]]


def _grouped(engine: Engine, found: Select[Any], limit: int, offset: int) -> list[StoryHit]:
    """Rank every matching article's story in SQL (PostgreSQL, whose GIN index and ts_rank_cd
    keep this quick; on SQLite it is the reference tests/test_ranking.py holds ranking.py to)."""
    # materialized: SQLite must not flatten bm25() into the grouping query, where it cannot run
    hits = found.cte("hits").prefix_with("MATERIALIZED")
    best = func.min(hits.c.score)
    ranked = (
        select(stories.c.id)
        .join(hits, hits.c.story_id == stories.c.id)
        .group_by(stories.c.id, stories.c.last_published)
        .order_by(best, stories.c.last_published.desc(), stories.c.id.desc())
    )
    with engine.connect() as conn:
        ids = list(conn.execute(ranked.limit(limit).offset(offset)).scalars())
        order = (hits.c.score, hits.c.published.desc(), hits.c.id.desc())
        rows = conn.execute(
            select(hits.c.id, hits.c.story_id).where(hits.c.story_id.in_(ids)).order_by(*order)
        )
        found_ids: dict[int, list[int]] = defaultdict(list)
        for article_id, story_id in rows:
            found_ids[story_id].append(article_id)
    return [StoryHit(i, found_ids[i]) for i in ids]


def _scored(query: Query) -> pgsearch.Scored:
    """PostgreSQL: the scored rows (_hits' columns) of the articles with these ids, read by primary
    key. They matched the query with its phrases loosened (pgsearch); a phrase's word order is
    tested here, in those rows only. A query without a phrase is not tested again."""
    assert query.expr is not None
    score, matches = _pg_match(query.expr)
    phrased = _loosened(query.expr) != query.expr

    def scored(ids: list[int]) -> Select[Any]:
        listed = articles.c.id == any_(bindparam("ids", ids, type_=ARRAY(Integer)))
        found = select(score, *_HIT_COLUMNS).where(listed)
        return found.where(matches) if phrased else found

    return scored


def _loosened(node: Node) -> Node:
    """The tree with each phrase outside NOT as plain words (plainto_tsquery: all of them)."""
    if isinstance(node, Term):
        return Term(node.text) if node.phrase else node
    if isinstance(node, All):
        return All(tuple(_loosened(c) for c in node.children))
    if isinstance(node, Either):
        return Either(tuple(_loosened(c) for c in node.children))
    return node  # a NOT: loosening what is left out would leave out more


def _newest(engine: Engine, query: Query, limit: int, offset: int) -> list[StoryHit]:
    """Stories that pass the filters, newest first, read from the stories' own order (their
    last_published index) rather than by grouping every matching article."""
    ranked = select(stories.c.id).where(*_story_filters(query, engine.dialect.name))
    ranked = ranked.order_by(stories.c.last_published.desc(), stories.c.id.desc())
    with engine.connect() as conn:
        ids = list(conn.execute(ranked.limit(limit).offset(offset)).scalars())
        matching = select(articles.c.id, articles.c.story_id).where(
            articles.c.story_id.in_(ids), *_article_filters(query)
        )
        rows = conn.execute(matching.order_by(articles.c.published.desc(), articles.c.id.desc()))
        found: dict[int, list[int]] = defaultdict(list)
        for article_id, story_id in rows:
            found[story_id].append(article_id)
    return [StoryHit(i, found[i]) for i in ids]


def matching_articles(dialect: str, query: Query) -> Select[Any]:
    """The (id, story_id) of the articles `query` finds, unscored: what a followed search needs."""
    return _hits(dialect, query).with_only_columns(articles.c.id, articles.c.story_id)


def _hits(dialect: str, query: Query, *, loose: bool = False) -> Select[Any]:
    """Matching articles that belong to a story: id, story_id, published and a score (lower is
    better). `loose`: each phrase outside NOT loosened to all of its words, in any order (a
    superset of its matches, which the full-text index finds without comparing positions)."""
    filters = [articles.c.story_id.is_not(None), *_filters(query, dialect)]
    if query.expr is None:
        return select(*_HIT_COLUMNS, literal_column("0").label("score")).where(*filters)
    if dialect == "sqlite":
        return _sqlite_hits(fts5_match(query.expr, loose=loose)).add_columns(*_HIT_COLUMNS).where(*filters)
    score, matches = _pg_match(_loosened(query.expr) if loose else query.expr)
    return select(score, *_HIT_COLUMNS).where(matches, *filters)


_HIT_COLUMNS = (articles.c.id, articles.c.story_id, articles.c.published)


def _pg_match(expr: Node) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """PostgreSQL: the score of an article for `expr` (ts_rank_cd, negated: lower is better) and
    the condition that it matches (the stored tsvector @@ the query)."""
    tsq = tsquery(expr)
    search: ColumnElement[Any] = literal_column("articles.search")
    return (-func.ts_rank_cd(search, tsq)).label("score"), search.op("@@")(tsq)


def _sqlite_hits(compiled: str) -> Select[Any]:
    """bm25 (title weighs most) of the FTS5 rows matching the compiled query (bound)."""
    fts: ColumnElement[Any] = literal_column("article_fts")
    score = func.bm25(fts, *(literal_column(repr(w)) for w in ranking.SQLITE_WEIGHTS)).label("score")
    match = fts.op("MATCH")(bindparam("match", compiled))
    joined = articles.join(FTS_TABLE, FTS_TABLE.c.rowid == articles.c.id)
    return select(score).select_from(joined).where(match)


def _filters(query: Query, dialect: str) -> list[ColumnElement[bool]]:
    """#Hashtag (on the story), outlet: and since: (on the matching article)."""
    tagged = (tagged_stories(dialect, tag, any_case=True) for tag in query.hashtags)
    return [*(articles.c.story_id.in_(t) for t in tagged), *_article_filters(query)]


def _article_filters(query: Query) -> list[ColumnElement[bool]]:
    """outlet: and since:, which the matching article itself must pass."""
    out: list[ColumnElement[bool]] = []
    if query.outlets:
        out.append(func.lower(articles.c.outlet).in_([o.lower() for o in query.outlets]))
    if query.since is not None:
        out.append(articles.c.published >= query.since)
    return out


def _story_filters(query: Query, dialect: str) -> list[ColumnElement[bool]]:
    """The filters as conditions on a story: it carries every hashtag, and an article of it passes
    outlet: and since: (since: alone is the story's latest article being that recent)."""
    tagged = (tagged_stories(dialect, tag, any_case=True) for tag in query.hashtags)
    out: list[ColumnElement[bool]] = [stories.c.id.in_(t) for t in tagged]
    if query.outlets:
        passing = select(articles.c.story_id).where(*_article_filters(query))
        out.append(stories.c.id.in_(passing))
    elif query.since is not None:
        out.append(stories.c.last_published >= query.since)
    return out
