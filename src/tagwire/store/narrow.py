"""Reads through the covering indexes of migration 0005, for the hashtag pages and search.

An article row holds its whole text, so reading one for its story id costs a page read; the
narrow index on articles (id, story_id, published, outlet) answers the same from the index. On
SQLite the planner takes the row by its primary key unless the database was ANALYZEd (tagwire
does not), so these reads name the index with INDEXED BY. SQLAlchemy renders no table hints for
SQLite, hence the few lines of SQL text below; every value in them is a bound parameter.
PostgreSQL gets the same queries in SQLAlchemy Core and plans them itself.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Integer, bindparam, func, select, text

from tagwire.store.schema import UTCDateTime, articles, hashtags

NARROW = "articles INDEXED BY ix_articles_narrow"


def tagged_stories(dialect: str, tag: str, *, any_case: bool = False) -> Any:
    """A subquery of the story ids with an article carrying `tag` (in any case, if asked), from
    the hashtag index to the narrow one without reading a row; usable in `column.in_(...)`."""
    wanted = tag.lower() if any_case else tag
    if dialect == "sqlite":
        name = "tag_" + hashlib.blake2b(wanted.encode(), digest_size=6).hexdigest()  # unique per tag
        left = "lower(hashtags.tag)" if any_case else "hashtags.tag"
        sql = (
            f"SELECT articles.story_id FROM hashtags JOIN {NARROW} ON articles.id = hashtags.article_id"
            f" WHERE {left} = :{name}"
        )
        return text(sql).bindparams(bindparam(name, wanted)).columns(story_id=Integer)
    tagged = articles.alias("tagged")
    found = select(tagged.c.story_id).join(hashtags, hashtags.c.article_id == tagged.c.id)
    return found.where((func.lower(hashtags.c.tag) if any_case else hashtags.c.tag) == wanted)


def placed(ids: list[int]) -> Any:
    """SQLite: (id, story_id, published) of these understood articles, from the narrow index."""
    sql = f"SELECT id, story_id, published FROM {NARROW} WHERE id IN :ids AND story_id IS NOT NULL"
    found = text(sql).bindparams(bindparam("ids", ids, expanding=True))
    return found.columns(id=Integer, story_id=Integer, published=UTCDateTime)
