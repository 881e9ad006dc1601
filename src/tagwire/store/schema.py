"""Tables, as SQLAlchemy Core metadata. Migrations (store/migrations) create them; this module is
what the repository queries against. Times are stored as naive UTC and read back aware."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
    literal_column,
)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, whatever the backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None)  # type: ignore[no-any-return]

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]


metadata = MetaData()

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", String(2048), nullable=False, unique=True),
    Column("kind", String(16), nullable=False, default="feed"),
    Column("title", Text),
    Column("site_url", String(2048)),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_status", Integer),
    Column("last_checked", UTCDateTime),
    Column("next_check", UTCDateTime),
    Column("hold_until", UTCDateTime),
    Column("error_count", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("page_error", Text),  # why none of its article pages could be read (migration 0007)
    Column("items_seen", Integer, nullable=False, default=0),
    Column("created_at", UTCDateTime, nullable=False),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("headline", Text, nullable=False),
    Column("first_published", UTCDateTime, nullable=False),
    Column("last_published", UTCDateTime, nullable=False),
    Column("article_count", Integer, nullable=False, default=1),
    Index("ix_stories_last_published", "last_published"),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="SET NULL")),
    Column("url", String(2048), nullable=False, unique=True),
    Column("listed_url", String(2048)),
    Column("guid", Text),
    Column("outlet", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False, default=""),
    Column("text", Text, nullable=False, default=""),
    Column("published", UTCDateTime, nullable=False),
    Column("fetched_at", UTCDateTime, nullable=False),
    Column("section", Text),
    Column("language", String(16)),
    Column("author", Text),
    Column("credit", Text),
    Column("content_hash", String(64), nullable=False),
    Column("status", String(16), nullable=False, default="pending"),
    Column("problem", Text),
    Column("wire_origin", Text),
    Column("copy_of", Integer, ForeignKey("articles.id", ondelete="SET NULL")),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="SET NULL")),
    Column("match_kind", String(16)),
    Column("match_score", Float),
    Column("match_of", Integer),
    Column("features", Text),
    Column("signature", LargeBinary),
    Index("ix_articles_content_hash", "content_hash"),
    Index("ix_articles_story", "story_id"),
    Index("ix_articles_status_published", "status", "published"),
    Index("ix_articles_published", "published"),
    Index("ix_articles_copy_of", "copy_of"),
    Index("ix_articles_narrow", "id", "story_id", "published", "outlet"),
    Index("ix_articles_outlet_published", "outlet", "published"),
)

# copies by headline (store/decisions.py same_headline): the headline's start, case aside
Index(
    "ix_articles_headline",
    func.lower(func.substr(articles.c.title, literal_column("1"), literal_column("24"))),
    articles.c.published,
)

article_urls = Table(
    "article_urls",
    metadata,
    Column("url", String(2048), primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
)

hashtags = Table(
    "hashtags",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(200), primary_key=True),
    Column("rank", Integer, nullable=False),
    Column("published", UTCDateTime),  # the article's, so that a tag's window is one index range
    Index("ix_hashtags_tag_article", "tag", "article_id"),
    Index("ix_hashtags_tag_published", "tag", "published", "article_id"),
)
Index("ix_hashtags_lower_tag", func.lower(hashtags.c.tag), hashtags.c.article_id, hashtags.c.tag)

# places and people an article names only in passing (hashtags.Tags.passing; a person holding an
# office there is shown: roles.py): never shown, never on a tag
# page nor in a count of tags, they find the article's other reports and copies as its hashtags
# do (store/decisions.py story_candidates reads both tables)
passing_tags = Table(
    "passing_tags",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(200), primary_key=True),
    Column("published", UTCDateTime),  # the article's, as in hashtags
    Index("ix_passing_tags_tag_published", "tag", "published", "article_id"),
)

tag_forms = Table(  # how a hashtag is written in other languages (#GenNakatani: 中谷元)
    "tag_forms",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tag", String(200), nullable=False),
    Column("form", String(200), nullable=False),
    Column("language", String(16), nullable=False),  # of the first article that wrote it
    UniqueConstraint("tag", "form", name="uq_tag_forms_tag_form"),
)

copy_bands = Table(
    "copy_bands",
    metadata,
    Column("key", BigInteger, nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Index("ix_copy_bands_key", "key"),
    Index("ix_copy_bands_article", "article_id"),
)

term_stats = Table(
    "term_stats",
    metadata,
    Column("term", String(200), primary_key=True),
    Column("df", Integer, nullable=False),
)

follows = Table(
    "follows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(8), nullable=False),  # "tag" or "search"
    Column("target", Text, nullable=False),  # the hashtag (no '#') or the search query
    Column("webhook", String(2048), nullable=False),
    Column("secret", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("after_story", Integer, nullable=False),  # stories up to this id existed before the follow
    Column("scanned_to", Integer, nullable=False),  # articles up to this id have been looked at
    UniqueConstraint("kind", "target", "webhook", name="uq_follows_what_where"),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("follow_id", Integer, ForeignKey("follows.id", ondelete="CASCADE"), nullable=False),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("state", String(16), nullable=False),  # pending, delivered, failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt", UTCDateTime),
    Column("last_error", Text),
    Column("last_status", Integer),
    Column("body", Text),  # the JSON sent, fixed when queued (cleared once delivered)
    Column("created_at", UTCDateTime, nullable=False),
    Column("delivered_at", UTCDateTime),
    UniqueConstraint("follow_id", "story_id", name="uq_deliveries_follow_story"),
    Index("ix_deliveries_due", "state", "next_attempt"),
)

job_errors = Table(  # the last error of a cluster job that raised (store/jobs.py)
    "job_errors",
    metadata,
    Column("job_id", BigInteger, primary_key=True, autoincrement=False),
    Column("error", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
)
