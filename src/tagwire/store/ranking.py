"""Ranking a search's stories on SQLite, in Python, from what FTS5 scores.

Results are stories ranked by their best-scoring article (bm25, lower is better), ties going to
the newest story, then the highest id; each story lists its matching articles best first, then
newest. Grouping every match by story in SQL read one article row (with its whole text) per
match: a common word in 100,000 articles cost hundreds of milliseconds (bench/serve.py). Here
the full-text index scores every match once (it must, to rank them), and stories come from the
narrow covering index of migration 0005, only as far down the ranking as the page needs.

#Hashtag keeps the matches among the articles of the tag's stories (read from indexes only);
outlet: and since: are applied while reading each match's story and date from the narrow index,
so a filtered search is one pass too. Every value is a bound parameter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, Connection, Integer, bindparam, select, text

from tagwire.store.batch import chunks
from tagwire.store.schema import UTCDateTime, articles, stories
from tagwire.store.stories import NARROW, placed, tagged_stories

SQLITE_WEIGHTS = (10.0, 3.0, 1.0, 0.0)  # bm25 weights of title, summary, text, outlet
BM25 = f"bm25(article_fts, {', '.join(map(str, SQLITE_WEIGHTS))})"
SCORED_SQL = f"SELECT rowid, {BM25} AS score FROM article_fts WHERE article_fts MATCH :match"
PLACED_SQL = (
    f"SELECT article_fts.rowid, {BM25} AS score, articles.story_id, articles.published FROM article_fts"
    f" JOIN {NARROW} ON articles.id = article_fts.rowid"
    " WHERE article_fts MATCH :match AND articles.story_id IS NOT NULL"
)

Match = tuple[int, float, int, datetime]  # article id, score, story id, published


@dataclass(frozen=True)
class Filters:
    """What a search keeps besides its words: hashtags of the story, outlets and a date of the article."""

    hashtags: Sequence[str] = ()
    outlets: Sequence[str] = ()
    since: datetime | None = None


def ranked(conn: Connection, match: str, filters: Filters, need: int) -> list[tuple[int, list[int]]]:
    """The first `need` stories matching the FTS5 expression `match`, each with its matching
    article ids, best first."""
    tagged = tagged_articles(conn, filters.hashtags) if filters.hashtags else None
    if filters.outlets or filters.since:
        rows = [r for r in every_match(conn, match, filters) if tagged is None or r[0] in tagged]
        best: dict[int, float] = {}
        for _, score, story_id, _ in rows:
            best[story_id] = min(best.get(story_id, score), score)
        return listed(rows, page_of(conn, best, need))
    found = conn.execute(text(SCORED_SQL), {"match": match})
    scores = {r.rowid: r.score for r in found if tagged is None or r.rowid in tagged}
    ids = page_of(conn, best_stories(conn, scores, need), need)
    members = conn.execute(select(articles.c.id).where(articles.c.story_id.in_(ids))).scalars()
    matching = [i for i in members if i in scores]
    return listed([(i, scores[i], story, when) for i, story, when in conn.execute(placed(matching))], ids)


def tagged_articles(conn: Connection, tags: Sequence[str]) -> set[int]:
    """The articles of the stories carrying every one of `tags` (any case), from indexes only."""
    found: set[int] | None = None
    for tag in tags:
        carriers = tagged_stories("sqlite", tag, any_case=True)
        ids = set(conn.execute(select(articles.c.id).where(articles.c.story_id.in_(carriers))).scalars())
        found = ids if found is None else found & ids
    return found or set()


def best_stories(conn: Connection, scores: dict[int, float], need: int) -> dict[int, float]:
    """story id -> best score, reading articles in score order until `need` stories are certain:
    any story not met yet scores no better than the articles still unread."""
    order = sorted(scores, key=scores.__getitem__)
    best: dict[int, float] = {}
    for start in range(0, len(order), 500):
        for article_id, story_id, _ in conn.execute(placed(order[start : start + 500])):
            best[story_id] = min(best.get(story_id, scores[article_id]), scores[article_id])
        rest = order[start + 500 : start + 501]
        if len(best) >= need and (not rest or scores[rest[0]] > sorted(best.values())[need - 1]):
            break
    return best


def every_match(conn: Connection, match: str, filters: Filters) -> list[Match]:
    """Every match passing outlet: and since:, with its story and date, read from the narrow index."""
    sql = PLACED_SQL
    params: list[BindParameter[Any]] = [bindparam("match", match)]
    if filters.outlets:
        sql += " AND lower(articles.outlet) IN :outlets"
        params.append(bindparam("outlets", [o.lower() for o in filters.outlets], expanding=True))
    if filters.since is not None:
        sql += " AND articles.published >= :since"
        params.append(bindparam("since", filters.since, type_=UTCDateTime()))
    found = text(sql).bindparams(*params).columns(story_id=Integer, published=UTCDateTime)
    return [(r.rowid, r.score, r.story_id, r.published) for r in conn.execute(found)]


def page_of(conn: Connection, best: dict[int, float], need: int) -> list[int]:
    """The first `need` stories by best score, ties going to the newest story (then highest id)."""
    order = sorted(best, key=best.__getitem__)
    if len(order) > need:  # only stories scoring up to the page's last one can reorder it
        order = [i for i in order if best[i] <= best[order[need - 1]]]
    latest: dict[int, float] = {}
    for chunk in chunks(order):
        newest = select(stories.c.id, stories.c.last_published).where(stories.c.id.in_(chunk))
        latest.update((i, when.timestamp()) for i, when in conn.execute(newest))
    order.sort(key=lambda i: (best[i], -latest[i], -i))
    return order[:need]


def listed(rows: Iterable[Match], ids: list[int]) -> list[tuple[int, list[int]]]:
    """(story id, its matching article ids best first, then newest, then highest id) for `ids`."""
    found: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    for article_id, score, story_id, published in rows:
        found[story_id].append((score, -published.timestamp(), -article_id))
    return [(i, [-a for *_, a in sorted(found[i])]) for i in ids]
