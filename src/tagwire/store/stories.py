"""Stories and the pages that list them: a hashtag's stories, the latest, an outlet's; the stories
with their articles and hashtags; the counts trending is computed from. Each read is bounded by an
index rather than by the size of the store: trending reads only the stories of the last eight
days (ix_stories_last_published, then covering indexes); an outlet's articles are selected by
outlet name through ix_articles_outlet_published.

Reads through the covering indexes of migration 0005, for the hashtag pages and search. An
article row holds its whole text, so reading one for its story id costs a page read; the
narrow index on articles (id, story_id, published, outlet) answers the same from the index. On
SQLite the planner takes the row by its primary key unless the database was ANALYZEd (tagwire
does not), so these reads name the index with INDEXED BY. SQLAlchemy renders no table hints for
SQLite, hence the few lines of SQL text below; every value in them is a bound parameter.
PostgreSQL gets the same queries in SQLAlchemy Core and plans them itself.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Integer, Row, bindparam, case, func, select, text

from tagwire.models import Article, Story
from tagwire.store.batch import chunks
from tagwire.store.part import Part
from tagwire.store.rows import as_article
from tagwire.store.schema import UTCDateTime, articles, hashtags, stories, tag_forms

WINDOW = timedelta(hours=24)  # "now": the period whose stories are compared with the baseline
BASELINE = timedelta(days=7)  # the period just before the window, the tag's usual level
STREAM_ROWS = 200  # rows fetched at a time while walking an outlet's articles
# what the pages read of an article: not its understanding's working data (features, signature)
READ_COLUMNS = [c for c in articles.c if c.name not in ("features", "signature")]
# and what a list of stories shows: not the full text either (kilobytes a row, TOASTed on PostgreSQL)
LISTED_COLUMNS = [c for c in READ_COLUMNS if c.name != "text"]


@dataclass(frozen=True)
class TagCounts:
    """Stories carrying a hashtag in the recent window and in the baseline period before it."""

    tag: str
    recent: int
    before: int


@dataclass(frozen=True)
class TagUse:
    """A hashtag, the stories carrying it, and when an article last carried it."""

    tag: str
    stories: int
    last_used: datetime


def _aware(value: datetime | str) -> datetime:
    """An aggregate's time (SQLite gives max() as text) as an aware UTC datetime."""
    converted = UTCDateTime().process_result_value(value, None)  # type: ignore[arg-type]
    assert converted is not None
    return converted


class StoriesPart(Part):
    def story_ids_for_tag(self, tag: str, limit: int, offset: int = 0) -> list[int]:
        """Stories with an article carrying `tag`, newest first, read in one of two ways, whichever
        reads less: a tag on few articles has its stories gathered from covering indexes and
        sorted (cost: the tag's articles); a common one is answered by walking the stories newest
        first and keeping those carrying it (cost: the stories walked, about the page's depth
        over the share of stories that carry the tag). The switch is where the two costs meet,
        at about sqrt(2 * depth * stories) of the tag's articles, so neither grows with the store
        faster than the square root of its size."""
        newest = (stories.c.last_published.desc(), stories.c.id.desc())
        with self.engine.connect() as conn:
            serial(conn)
            if _tag_on_more_than(conn, tag, _switch(conn, limit + offset)):
                q = select(stories.c.id).where(_carries(tag)).order_by(*newest)
            else:
                q = select(stories.c.id).where(stories.c.id.in_(tagged_stories(self.dialect, tag)))
                q = q.order_by(*newest)
            return list(conn.execute(q.limit(limit).offset(offset)).scalars())

    def latest_story_ids(self, limit: int, offset: int = 0) -> list[int]:
        q = select(stories.c.id).order_by(stories.c.last_published.desc(), stories.c.id.desc())
        with self.engine.connect() as conn:
            return list(conn.execute(q.limit(limit).offset(offset)).scalars())

    def stories(self, ids: Sequence[int], *, texts: bool = True) -> list[Story]:
        """Stories with their articles (newest first) and hashtags, in the order of ids; without
        the articles' full texts (left empty) unless `texts`."""
        if not ids:
            return []
        shown = select(*(READ_COLUMNS if texts else LISTED_COLUMNS)).where(articles.c.story_id.in_(list(ids)))
        with self.engine.connect() as conn:
            heads = {r.id: r for r in conn.execute(select(stories).where(stories.c.id.in_(list(ids))))}
            arts: dict[int, list[Article]] = {}
            for r in conn.execute(shown):
                arts.setdefault(r.story_id, []).append(as_article(r))
            tags = self._tags(conn, [a.id for found in arts.values() for a in found if a.id is not None])
        return [_story(heads[i], arts.get(i, []), tags) for i in ids if i in heads]

    def hashtags_of(self, ids: Sequence[int]) -> dict[int, list[str]]:
        with self.engine.connect() as conn:
            return self._tags(conn, list(ids))

    def _tags(self, conn: Connection, ids: list[int]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        for chunk in chunks(ids):
            q = (
                select(hashtags.c.article_id, hashtags.c.tag)
                .where(hashtags.c.article_id.in_(chunk))
                .order_by(hashtags.c.article_id, hashtags.c.rank)
            )
            for r in conn.execute(q):
                found.setdefault(r.article_id, []).append(r.tag)
        return found

    def urls_of(self, ids: Iterable[int | None]) -> dict[int, str]:
        return self._column_of(ids, articles.c.url)

    def texts_of(self, ids: Iterable[int | None]) -> dict[int, str]:
        return self._column_of(ids, articles.c.text)

    def guids_of(self, ids: Iterable[int | None]) -> dict[int, str | None]:
        return self._column_of(ids, articles.c.guid)

    def _column_of(self, ids: Iterable[int | None], column: Any) -> dict[int, Any]:
        """article id -> one column's value, for the ids given (None skipped)."""
        wanted = [i for i in set(ids) if i is not None]
        found: dict[int, Any] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(wanted):
                found.update(
                    (r[0], r[1])
                    for r in conn.execute(select(articles.c.id, column).where(articles.c.id.in_(chunk)))
                )
        return found

    def top_tags(self, limit: int = 20, since: datetime | None = None) -> list[tuple[str, int]]:
        """Hashtags by the number of stories carrying them (since a time, if given)."""
        n = func.count(func.distinct(articles.c.story_id)).label("n")
        q = select(hashtags.c.tag, n).join(articles, articles.c.id == hashtags.c.article_id)
        if since is not None:
            q = q.where(articles.c.published >= since)
        q = q.group_by(hashtags.c.tag).order_by(n.desc(), hashtags.c.tag).limit(limit)
        with self.engine.connect() as conn:
            return [(r.tag, int(r.n)) for r in conn.execute(q)]

    def canonical_tag(self, tag: str) -> str | None:
        """The stored spelling of `tag` compared without case: the one most articles carry
        when several exist (#Aldoria for "aldoria"); None when no article carries it."""
        exact = select(hashtags.c.tag).where(hashtags.c.tag == tag).limit(1)
        n = func.count().label("n")
        folded = (
            select(hashtags.c.tag, n)
            .where(func.lower(hashtags.c.tag) == tag.lower())
            .group_by(hashtags.c.tag)
            .order_by(n.desc(), hashtags.c.tag)
            .limit(1)
        )
        with self.engine.connect() as conn:
            found: str | None = conn.execute(exact).scalar() or conn.execute(folded).scalar()
        return found

    def native_forms(self, tag: str, limit: int = 8) -> list[tuple[str, str]]:
        """How articles in other languages write `tag` (its exact stored spelling): (form,
        language) pairs, by language then form, at most `limit`."""
        q = (
            select(tag_forms.c.form, tag_forms.c.language)
            .where(tag_forms.c.tag == tag)
            .order_by(tag_forms.c.language, tag_forms.c.form)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [(r.form, r.language) for r in conn.execute(q)]

    def tags_containing(self, fragment: str, limit: int = 10) -> list[str]:
        """Hashtags whose name contains `fragment` (any case), most used first."""
        pattern = "%" + fragment.lower().replace("\\", "").replace("%", "").replace("_", "") + "%"
        n = func.count().label("n")
        q = (
            select(hashtags.c.tag, n)
            .where(func.lower(hashtags.c.tag).like(pattern))
            .group_by(hashtags.c.tag)
            .order_by(n.desc(), hashtags.c.tag)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [r.tag for r in conn.execute(q)]

    def tag_uses(self, limit: int | None = None) -> list[TagUse]:
        """Every hashtag (or the `limit` most used) with its stories and its latest article's
        publication, most stories first."""
        n = func.count(func.distinct(articles.c.story_id)).label("n")
        last = func.max(articles.c.published).label("last")
        q = (
            select(hashtags.c.tag, n, last)
            .join(articles, articles.c.id == hashtags.c.article_id)
            .where(articles.c.story_id.is_not(None))
            .group_by(hashtags.c.tag)
            .order_by(n.desc(), last.desc(), hashtags.c.tag)
        )
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [TagUse(r.tag, int(r.n), _aware(r.last)) for r in conn.execute(q)]

    def tag_counts(
        self, now: datetime, *, window: timedelta = WINDOW, baseline: timedelta = BASELINE
    ) -> list[TagCounts]:
        """Per hashtag seen in the window: its stories last active in (now - window, now] and those
        last active in the baseline before it. A story counts once, in the period of its latest
        article, under every hashtag its articles carry.

        Stories are chosen by their last_published (an index range on the narrow stories table), then
        reached through ix_articles_story and the hashtags primary key, both covering: the wide article
        rows are never read, which keeps this fast on a busy store."""
        cut, start = now - window, now - window - baseline
        last = stories.c.last_published
        tagged = (
            select(hashtags.c.tag, stories.c.id.label("story"), (last > cut).label("recent"))
            .select_from(stories)
            .join(articles, articles.c.story_id == stories.c.id)
            .join(hashtags, hashtags.c.article_id == articles.c.id)
            .where(last > start, last <= now)
            .distinct()
            .subquery()
        )
        recent = func.sum(case((tagged.c.recent, 1), else_=0)).label("recent")
        q = select(tagged.c.tag, recent, func.count().label("all")).group_by(tagged.c.tag)
        with self.engine.connect() as conn:
            found = [TagCounts(r.tag, int(r.recent), int(r.all) - int(r.recent)) for r in conn.execute(q)]
        return [c for c in found if c.recent]

    def data_version(self) -> tuple[int, int, str]:
        """What changes whenever articles or stories are added or a story grows: the newest ids and
        the latest publication (three index lookups), so a result computed from them can be reused."""
        newest = (
            select(func.max(stories.c.id)).scalar_subquery(),
            select(func.max(articles.c.id)).scalar_subquery(),
            select(func.max(stories.c.last_published)).scalar_subquery(),
        )
        with self.engine.connect() as conn:
            row = conn.execute(select(*newest)).one()
        return int(row[0] or 0), int(row[1] or 0), str(row[2])

    def outlet_story_ids(self, outlet: str, limit: int, offset: int = 0) -> list[int]:
        """Stories with an article by `outlet` (exact name), by that outlet's newest article in each,
        newest first. The outlet's articles are read newest first and only until enough distinct
        stories are found, so a page costs about its own size, not the outlet's whole history."""
        q = (
            select(articles.c.story_id)
            .where(articles.c.outlet == outlet, articles.c.story_id.is_not(None))
            .order_by(articles.c.published.desc(), articles.c.id.desc())
            .execution_options(yield_per=STREAM_ROWS)
        )
        wanted, found = offset + limit, dict[int, None]()
        with self.engine.connect() as conn:
            for story_id in conn.execute(q).scalars():
                found.setdefault(story_id)
                if len(found) >= wanted:
                    break
        return list(found)[offset:wanted]

    def outlet_known(self, outlet: str) -> bool:
        """Whether any stored article names `outlet` as its outlet."""
        with self.engine.connect() as conn:
            return (
                conn.execute(select(articles.c.id).where(articles.c.outlet == outlet).limit(1)).first()
                is not None
            )


def serial(conn: Connection) -> None:
    """PostgreSQL: no parallel workers for this transaction. A page's read stops after a few
    rows; split over workers (Gather Merge) each walked its share far past the LIMIT: #Economy's
    page 1 took 130-160 ms on 1,000,000 articles in parallel, 3-7 ms without."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


def _switch(conn: Connection, depth: int) -> int:
    """The number of a tag's articles above which walking the stories costs less (see
    story_ids_for_tag); the stories are counted by the highest id, an index lookup."""
    count = conn.execute(select(func.max(stories.c.id))).scalar() or 0
    return max(1, math.isqrt(2 * depth * count))


def _tag_on_more_than(conn: Connection, tag: str, n: int) -> bool:
    """Whether more than `n` articles carry `tag`, reading at most n + 1 index entries."""
    q = select(hashtags.c.article_id).where(hashtags.c.tag == tag).limit(1).offset(n)
    return conn.execute(q).first() is not None


def _carries(tag: str) -> Any:
    """EXISTS: an article of the story (stories.id, from the enclosing query) carries `tag`;
    from the article-by-story index to the hashtags' primary key, without reading a row."""
    member = articles.alias("member")
    found = select(member.c.id).join(hashtags, hashtags.c.article_id == member.c.id)
    return found.where(member.c.story_id == stories.c.id, hashtags.c.tag == tag).exists()


def _story(head: Row[Any], arts: list[Article], tags: dict[int, list[str]]) -> Story:
    """The story `head` with its articles `arts`, newest first, and their hashtags."""
    mine = sorted(arts, key=lambda a: (a.published, a.id or 0), reverse=True)
    for a in mine:
        a.hashtags = tags.get(a.id or 0, [])
    return Story(head.id, head.headline, head.first_published, head.last_published, mine, _story_tags(mine))


def _story_tags(arts: list[Article]) -> list[str]:
    """A story's hashtags: those most of its articles carry first, then by best rank."""
    score: dict[str, tuple[int, int]] = {}
    for a in arts:
        for rank, tag in enumerate(a.hashtags):
            n, best = score.get(tag, (0, rank))
            score[tag] = (n + 1, min(best, rank))
    return sorted(score, key=lambda t: (-score[t][0], score[t][1], t))


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
