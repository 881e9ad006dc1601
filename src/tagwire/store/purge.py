"""Purging articles (`tagwire remove --purge`): the articles go with what only they carried.
Their hashtags, passing tags, copy bands, alternative URLs and search entries go by the
schema's cascades and triggers; another article that was a copy of one, or matched against
one, forgets the link; a story left with no article goes (its queued alerts with it), and a
story that keeps other reports gets its dates and count from those."""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, select, update

from tagwire.store.batch import chunks
from tagwire.store.schema import articles, stories


def purge_articles(conn: Connection, ids: list[int]) -> int:
    """Delete the articles `ids` in the transaction of `conn`; returns the stories deleted."""
    touched: set[int] = set()
    for chunk in chunks(ids):
        touched |= set(
            conn.execute(
                select(articles.c.story_id).where(articles.c.id.in_(chunk), articles.c.story_id.is_not(None))
            ).scalars()
        )
        conn.execute(update(articles).where(articles.c.match_of.in_(chunk)).values(match_of=None))
        conn.execute(update(articles).where(articles.c.copy_of.in_(chunk)).values(copy_of=None))
        conn.execute(delete(articles).where(articles.c.id.in_(chunk)))
    return _refresh_stories(conn, sorted(touched))


def _refresh_stories(conn: Connection, story_ids: list[int]) -> int:
    """Stories left empty are deleted; the others' first/last publication and count recomputed."""
    deleted = 0
    for chunk in chunks(story_ids):
        left = select(
            articles.c.story_id,
            func.min(articles.c.published).label("first"),
            func.max(articles.c.published).label("last"),
            func.count().label("n"),
        ).where(articles.c.story_id.in_(chunk))
        rows = {r.story_id: r for r in conn.execute(left.group_by(articles.c.story_id))}
        empty = [i for i in chunk if i not in rows]
        if empty:
            deleted += conn.execute(delete(stories).where(stories.c.id.in_(empty))).rowcount
        for r in rows.values():
            values = dict(first_published=r.first, last_published=r.last, article_count=r.n)
            conn.execute(update(stories).where(stories.c.id == r.story_id).values(**values))
    return deleted
