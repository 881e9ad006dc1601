"""The search query language, parsed into a small tree in pure Python (store/search.py compiles
it to SQL per dialect; follows and the search page use it too):

    words            all of them (AND is the default; `AND` may be written)
    "exact phrase"   the words in this order
    a OR b           either
    NOT a, -a        without
    ( ... )          grouping
    #Hashtag         the story has an article carrying the hashtag
    outlet:Word, outlet:"Two Words"   the matching article is from that outlet (any case)
    since:7d, since:24h, since:2w, since:2025-05-01   the matching article is that recent

A query it cannot read raises SearchSyntaxError, whose message says what to change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from tagwire.errors import InputError

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
