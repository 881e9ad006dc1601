"""Full-text search over the stored articles: a query (tagwire.query's tree) compiled per dialect
(FTS5 MATCH on SQLite, a tsquery on PostgreSQL) with every piece of user text sent as a bound
parameter, never spliced into SQL. Results are stories: matching articles grouped by story,
stories ranked by their best article (title matches weigh most), newest story first on ties."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)

from tagwire.query import All, Either, Node, Not, Query, Term
from tagwire.store import ranking
from tagwire.store.part import Part
from tagwire.store.schema import articles, stories
from tagwire.store.stories import serial, tagged_stories

WINDOW = 4  # the first window of newest articles searched, in candidates (PostgreSQL)
WINDOW_GROWTH = 8
FTS_TABLE = table("article_fts", column("rowid"))


def fts5_match(node: Node) -> str:
    """The FTS5 MATCH string for the AST; every term is an FTS5 string "..." (quotes doubled), so
    no user text is ever read as FTS5 syntax. The result itself is bound as a parameter."""
    if isinstance(node, Term):
        return '"' + node.text.replace('"', '""') + '"'
    if isinstance(node, Not):  # only reached inside All, which places it after a positive part
        return fts5_match(node.child)
    if isinstance(node, Either):
        return "(" + " OR ".join(fts5_match(c) for c in node.children) + ")"
    positive = [fts5_match(c) for c in node.children if not isinstance(c, Not)]
    negative = [fts5_match(c) for c in node.children if isinstance(c, Not)]
    return "(" + " AND ".join(positive) + "".join(f" NOT {n}" for n in negative) + ")"


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
                found = ranking.ranked(conn, fts5_match(query.expr), filters, offset + limit, candidates)
            else:
                exact, wide = _hits(self.dialect, query), _hits(self.dialect, _words_of(query))
                rows = newest_matches(conn, exact, candidates, wide)
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


def newest_matches(
    conn: Connection, found: Select[Any], cap: int, wide: Select[Any] | None = None
) -> list[ranking.Match]:
    """PostgreSQL: the `cap` newest (highest id) of the scored matches `found` (_hits). The GIN
    index has no order, so matches are looked for among the newest WINDOW * cap articles, then in
    larger windows (sized by the matches found so far, at most WINDOW_GROWTH times larger) until
    `cap` are found or the window is the whole store: a common word stops at the first window or
    the second, a rare one's few matches cost little in any window.
    Index scans are turned off for the transaction: the planner would otherwise walk the primary
    key and test every article's tsvector (read from TOAST) against the query, where combining the
    GIN index with the primary key's range as bitmaps reads only the matching rows.

    `wide`, when given, finds the candidates instead: the articles with every word of the
    query's phrases (_words_of), which the GIN index answers without reading a row; `found`
    then keeps those with the words in order. A phrase is thus looked for among the newest `cap`
    articles having all its words: the GIN index has no word positions, and checking the phrase
    in every article with common words ("police said") read most of the store (4.5 s at p95 on
    1,000,000 articles)."""
    top = conn.execute(select(func.max(articles.c.id))).scalar() or 0
    serial(conn)
    conn.execute(text("SET LOCAL enable_indexscan = off"))
    window, only_ids = WINDOW * cap, (found if wide is None else wide).with_only_columns(articles.c.id)
    while True:
        low = top - window
        ids = sorted(conn.execute(only_ids.where(articles.c.id > low)).scalars(), reverse=True)
        if len(ids) >= cap or low <= 0:
            break
        window = int(window * min(WINDOW_GROWTH, max(2.0, 1.5 * cap / max(len(ids), 1))))
    cut = ids[cap - 1] if len(ids) >= cap else 0
    rows = conn.execute(found.where(articles.c.id >= cut)).all()
    conn.execute(text("SET LOCAL enable_indexscan = on"))
    return [(r.id, float(r.score), r.story_id, r.published) for r in rows]


def _words_of(query: Query) -> Query:
    """The query with each phrase (outside NOT) loosened to all of its words, in any order: a
    superset of its matches, which the GIN index finds without checking positions."""
    return Query(_loosened(query.expr), query.hashtags, query.outlets, query.since)


def _loosened(node: Node | None) -> Node | None:
    if isinstance(node, Term):
        return Term(node.text) if node.phrase else node
    if isinstance(node, All):
        return All(tuple(_loosened(c) or c for c in node.children))
    if isinstance(node, Either):
        return Either(tuple(_loosened(c) or c for c in node.children))
    return node  # None, or a NOT: loosening what is left out would leave out more


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


def _hits(dialect: str, query: Query) -> Select[Any]:
    """Matching articles that belong to a story: id, story_id, published and a score (lower is better)."""
    columns = (articles.c.id, articles.c.story_id, articles.c.published)
    filters = [articles.c.story_id.is_not(None), *_filters(query, dialect)]
    if query.expr is None:
        return select(*columns, literal_column("0").label("score")).where(*filters)
    if dialect == "sqlite":
        return _sqlite_hits(query.expr).add_columns(*columns).where(*filters)
    tsq = tsquery(query.expr)
    search: ColumnElement[Any] = literal_column("articles.search")
    score = (-func.ts_rank_cd(search, tsq)).label("score")
    return select(score, *columns).where(search.op("@@")(tsq), *filters)


def _sqlite_hits(expr: Node) -> Select[Any]:
    """bm25 (title weighs most) of the FTS5 rows whose MATCH is the compiled, bound query."""
    fts: ColumnElement[Any] = literal_column("article_fts")
    score = func.bm25(fts, *(literal_column(repr(w)) for w in ranking.SQLITE_WEIGHTS)).label("score")
    match = fts.op("MATCH")(bindparam("match", fts5_match(expr)))
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
