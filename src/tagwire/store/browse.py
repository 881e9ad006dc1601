"""Read queries behind the browsing pages: the hashtag counts that trending is computed from, an
outlet's stories and sources, the sources with their state. Functions over a Repository (its
engine), in the style of repository.py, on SQLite and PostgreSQL alike.

Each query is bounded by an index rather than by the size of the store: trending reads only the
stories of the last eight days (ix_stories_last_published, then covering indexes); an
outlet's articles are selected by outlet name, which an index on articles (outlet, published)
turns into a range read; the sources table is small (one row per followed feed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select

from tagwire.models import Source
from tagwire.store.repository import Repository
from tagwire.store.schema import articles, hashtags, stories

WINDOW = timedelta(hours=24)  # "now": the period whose stories are compared with the baseline
BASELINE = timedelta(days=7)  # the period just before the window, the tag's usual level
STREAM_ROWS = 200  # rows fetched at a time while walking an outlet's articles
RECENT_ARTICLES = 500  # an outlet's sources are those of its latest articles


@dataclass(frozen=True)
class TagCounts:
    """Stories carrying a hashtag in the recent window and in the baseline period before it."""

    tag: str
    recent: int
    before: int


def tag_counts(
    repo: Repository, now: datetime, *, window: timedelta = WINDOW, baseline: timedelta = BASELINE
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
    with repo.engine.connect() as conn:
        found = [TagCounts(r.tag, int(r.recent), int(r.all) - int(r.recent)) for r in conn.execute(q)]
    return [c for c in found if c.recent]


def data_version(repo: Repository) -> tuple[int, int, str]:
    """What changes whenever articles or stories are added or a story grows: the newest ids and
    the latest publication (three index lookups), so a result computed from them can be reused."""
    newest = (
        select(func.max(stories.c.id)).scalar_subquery(),
        select(func.max(articles.c.id)).scalar_subquery(),
        select(func.max(stories.c.last_published)).scalar_subquery(),
    )
    with repo.engine.connect() as conn:
        row = conn.execute(select(*newest)).one()
    return int(row[0] or 0), int(row[1] or 0), str(row[2])


def outlet_story_ids(repo: Repository, outlet: str, limit: int, offset: int = 0) -> list[int]:
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
    with repo.engine.connect() as conn:
        for story_id in conn.execute(q).scalars():
            found.setdefault(story_id)
            if len(found) >= wanted:
                break
    return list(found)[offset:wanted]


def outlet_known(repo: Repository, outlet: str) -> bool:
    """Whether any stored article names `outlet` as its outlet."""
    with repo.engine.connect() as conn:
        return (
            conn.execute(select(articles.c.id).where(articles.c.outlet == outlet).limit(1)).first()
            is not None
        )


def outlet_sources(repo: Repository, outlet: str) -> list[Source]:
    """The followed sources that brought the outlet's latest articles (one outlet may come by
    several feeds; a feed that stopped carrying it long ago is not its source any more)."""
    recent = (
        select(articles.c.source_id)
        .where(articles.c.outlet == outlet)
        .order_by(articles.c.published.desc())
        .limit(RECENT_ARTICLES)
        .subquery()
    )
    with repo.engine.connect() as conn:
        ids = set(conn.execute(select(recent.c.source_id).distinct()).scalars())
    return [s for s in repo.sources() if s.id in ids]
