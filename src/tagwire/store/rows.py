"""Rows back to models: each column to the field of the same name (SQLAlchemy's Row is a named
tuple; the models are plain dataclasses), plus what is not a column of its own (an article's match,
its status as an ArticleStatus)."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, TypeVar

from sqlalchemy import Row

from tagwire.models import Article, ArticleStatus, Match, MatchKind, Source

T = TypeVar("T")


def _fields(model: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(model))


_ARTICLE = _fields(Article)


def as_model(model: type[T], r: Row[Any]) -> T:
    """A dataclass from a row with a column for each of its fields (the others keep defaults)."""
    row = r._mapping
    return model(**{name: row[name] for name in _fields(model) if name in row})


def as_source(r: Row[Any]) -> Source:
    return as_model(Source, r)


def as_article(r: Row[Any]) -> Article:
    """An article as stored (the read columns of pages may leave out features and signature)."""
    row = r._mapping
    values = {name: row[name] for name in _article_columns(r._fields)}
    values["status"] = ArticleStatus(row["status"])
    kind = row.get("match_kind")
    values["match"] = Match(MatchKind(kind), row["match_score"] or 0.0, row["match_of"]) if kind else None
    return Article(**values)


@functools.cache
def _article_columns(columns: tuple[str, ...]) -> tuple[str, ...]:
    """The fields of Article that a query's columns hold (once per query shape, not per row)."""
    return tuple(name for name in _ARTICLE if name in columns)
