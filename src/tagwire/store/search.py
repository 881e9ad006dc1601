"""Full-text search over the stored articles: a small query language parsed into an AST in pure
Python, then compiled per dialect (FTS5 MATCH on SQLite, a tsquery on PostgreSQL) with every
piece of user text sent as a bound parameter, never spliced into SQL.

    words            all of them (AND is the default; `AND` may be written)
    "exact phrase"   the words in this order
    a OR b           either
    NOT a, -a        without
    ( ... )          grouping
    #Hashtag         the story has an article carrying the hashtag
    outlet:Word, outlet:"Two Words"   the matching article is from that outlet (any case)
    since:7d, since:24h, since:2w, since:2025-05-01   the matching article is that recent

Results are stories: matching articles grouped by story, stories ranked by their best article
(title matches weigh most), newest story first on ties.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, bindparam, column, func, literal_column, select, table

from tagwire.errors import InputError
from tagwire.store import ranking
from tagwire.store.narrow import tagged_stories
from tagwire.store.repository import Repository
from tagwire.store.schema import articles, stories

FTS_TABLE = table("article_fts", column("rowid"))
_TOKEN = re.compile(  # finditer skips the spaces between tokens (a leading \s* made it quadratic)
    r"""(?:
      (?P<field>(?i:outlet|since)):(?:"(?P<quoted>[^"]*)"|(?P<value>[^\s()"]+))?
    | \#(?P<tag>\w+)
    | "(?P<phrase>[^"]*)"
    | (?P<open>\()
    | (?P<close>\))
    | (?P<minus>-)(?=[^\s\-])
    | (?P<word>[^\s()"]+)
    | (?P<stray>")
    )""",
    re.X,
)
_SINCE = re.compile(r"(\d{1,5})([hdw])", re.I)
MAX_QUERY_CHARS = 1000
"""Longest query read: longer ones are refused, as no one types them and each term costs."""
MAX_DEPTH = 20
"""Deepest nesting of parentheses and NOTs: the parser and the compilers recurse once per level."""
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
T = TypeVar("T")


class SearchSyntaxError(InputError):
    """A search query tagwire cannot read; the message says what to change."""


# the AST -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A word, or (phrase=True) words that must appear in this order."""

    text: str
    phrase: bool = False


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class All:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Either:
    children: tuple[Node, ...]


Node = Term | Not | All | Either


@dataclass
class Query:
    """A parsed query: the text expression (None when only filters were given) and the filters."""

    expr: Node | None = None
    hashtags: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    since: datetime | None = None

    def terms(self) -> list[str]:
        """The words the results should show highlighted: every word not under a NOT."""
        return _positive_words(self.expr) if self.expr else []


def _positive_words(node: Node) -> list[str]:
    if isinstance(node, Term):
        return re.findall(r"\w+", node.text)
    if isinstance(node, Not):
        return []
    return [w for c in node.children for w in _positive_words(c)]


# parsing -----------------------------------------------------------------------------------


def parse(text: str, now: datetime) -> Query:
    """The query in `text`; `now` anchors since:7d. Raises SearchSyntaxError, saying why."""
    if len(text) > MAX_QUERY_CHARS:
        raise SearchSyntaxError(
            f"The query is {len(text):,} characters long; shorten it to at most {MAX_QUERY_CHARS:,}."
        )
    query = Query()
    tokens = _tokens(text, query, now)
    if tokens:
        parser = _Parser(tokens)
        query.expr = parser.expression()
        if parser.pos < len(tokens):
            raise SearchSyntaxError("A closing parenthesis has no opening one; remove it or add a '('.")
    if query.expr is None and not (query.hashtags or query.outlets):
        raise SearchSyntaxError('There is nothing to search for: type a word, a "phrase" or a #Hashtag.')
    if query.expr is not None:
        _check_positive(query.expr)
    return query


def _tokens(text: str, query: Query, now: datetime) -> list[tuple[str, str]]:
    """(kind, value) tokens of the text expression; filters go straight into `query`."""
    out: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or ""
        if kind == "stray":
            raise SearchSyntaxError('A quote is not closed: add the closing " or remove it.')
        if kind in ("field", "quoted", "value"):
            _filter(query, m.group("field").lower(), (m.group(kind) if kind != "field" else "").strip(), now)
        elif kind == "tag":
            query.hashtags.append(m.group("tag"))
        elif kind == "word" and m.group("word") in ("AND", "OR", "NOT"):
            out.append((m.group("word"), ""))
        elif kind in ("word", "phrase") and re.search(r"[^\W_]", m.group(kind)):
            out.append((kind, " ".join(m.group(kind).split())))
        elif kind in ("open", "close", "minus"):
            out.append((kind, ""))
    return out


def _filter(query: Query, name: str, value: str, now: datetime) -> None:
    if not value:
        raise SearchSyntaxError(
            f"{name}: needs a value, e.g. {name}:{'7d' if name == 'since' else 'Reuters'}."
        )
    if name == "outlet":
        query.outlets.append(value)
    else:
        query.since = since(value, now)


def since(value: str, now: datetime) -> datetime:
    """since:24h / 7d / 2w (before `now`), or since:2025-05-01 (midnight UTC, or a full ISO time)."""
    if m := _SINCE.fullmatch(value):
        return now - timedelta(**{_UNITS[m.group(2).lower()]: int(m.group(1))})
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise SearchSyntaxError(
            f"since:{value} is not a time; use since:24h, since:7d, since:2w or since:2025-05-01."
        ) from None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


class _Parser:
    """Recursive descent: or := and (OR and)*; and := unary (AND? unary)*; unary := (NOT|-) unary | atom."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens, self.pos, self.depth = tokens, 0, 0

    def nested(self, read: Callable[[], T]) -> T:
        """`read()` one level deeper (a parenthesis, a NOT); too deep is a SearchSyntaxError."""
        if self.depth >= MAX_DEPTH:
            raise SearchSyntaxError(
                f"The query nests parentheses and NOTs more than {MAX_DEPTH} deep; simplify it."
            )
        self.depth += 1
        try:
            return read()
        finally:
            self.depth -= 1

    def peek(self) -> str:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else ""

    def take(self) -> tuple[str, str]:
        self.pos += 1
        return self.tokens[self.pos - 1]

    def expression(self) -> Node | None:
        parts = [self.conjunction()]
        while self.peek() == "OR":
            self.take()
            parts.append(self.conjunction())
        if len(parts) > 1 and None in parts:
            raise SearchSyntaxError("OR needs something to search for on both sides, as in: flood OR storm.")
        found = [p for p in parts if p is not None]
        return _group(Either, found) if found else None

    def conjunction(self) -> Node | None:
        parts: list[Node] = []
        while self.peek() not in ("", "OR", "close"):
            if self.peek() == "AND":
                self.take()
                continue
            parts.append(self.unary())
        return _group(All, parts) if parts else None

    def unary(self) -> Node:
        if self.peek() in ("NOT", "minus"):
            word = self.take()[0]
            if self.peek() in ("", "OR", "AND", "close"):
                raise SearchSyntaxError(
                    f"{'NOT' if word == 'NOT' else '-'} must be followed by what to leave out."
                )
            return Not(self.nested(self.unary))
        return self.atom()

    def atom(self) -> Node:
        kind, value = self.take()
        if kind != "open":
            return Term(value, phrase=kind == "phrase")
        inner = self.nested(self.expression)
        if self.peek() != "close":
            raise SearchSyntaxError("A parenthesis is not closed: add the ')' or remove the '('.")
        self.take()
        if inner is None:
            raise SearchSyntaxError("Empty parentheses: put words inside them or remove them.")
        return inner


def _group(kind: type[All] | type[Either], parts: list[Node]) -> Node:
    return parts[0] if len(parts) == 1 else kind(tuple(parts))


def _check_positive(node: Node) -> None:
    """Every alternative must look for something: `NOT a` alone, or `a OR -b`, cannot be searched."""
    if isinstance(node, Not):
        raise SearchSyntaxError(
            "A query cannot only leave things out: add a word to look for, as in: flood -storm."
        )
    if isinstance(node, All):
        if all(isinstance(c, Not) for c in node.children):
            _check_positive(node.children[0])
        for c in node.children:
            _check_positive(c.child if isinstance(c, Not) else c)
    elif isinstance(node, Either):
        for c in node.children:
            _check_positive(c)


# compiling ---------------------------------------------------------------------------------


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


def search_stories(repo: Repository, query: Query, *, limit: int, offset: int = 0) -> list[StoryHit]:
    """Stories with an article matching `query`, best first (ties: newest story first)."""
    if query.expr is None:  # filters only: every match scores the same, so newest first
        return _newest(repo, query, limit, offset)
    if repo.dialect == "sqlite":
        filters = ranking.Filters(query.hashtags, query.outlets, query.since)
        with repo.engine.connect() as conn:
            found = ranking.ranked(conn, fts5_match(query.expr), filters, offset + limit)
        return [StoryHit(i, article_ids) for i, article_ids in found[offset:]]
    return _grouped(repo, _hits(repo.dialect, query), limit, offset)


def _grouped(repo: Repository, found: Select[Any], limit: int, offset: int) -> list[StoryHit]:
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
    with repo.engine.connect() as conn:
        ids = list(conn.execute(ranked.limit(limit).offset(offset)).scalars())
        order = (hits.c.score, hits.c.published.desc(), hits.c.id.desc())
        rows = conn.execute(
            select(hits.c.id, hits.c.story_id).where(hits.c.story_id.in_(ids)).order_by(*order)
        )
        found_ids: dict[int, list[int]] = defaultdict(list)
        for article_id, story_id in rows:
            found_ids[story_id].append(article_id)
    return [StoryHit(i, found_ids[i]) for i in ids]


def _newest(repo: Repository, query: Query, limit: int, offset: int) -> list[StoryHit]:
    """Stories that pass the filters, newest first, read from the stories' own order (their
    last_published index) rather than by grouping every matching article."""
    ranked = select(stories.c.id).where(*_story_filters(query, repo.dialect))
    ranked = ranked.order_by(stories.c.last_published.desc(), stories.c.id.desc())
    with repo.engine.connect() as conn:
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
