"""The first schema: sources, articles and their URLs, stories, hashtags, copy bands, term
statistics, and full-text search (FTS5 on SQLite, a weighted tsvector on PostgreSQL)."""

import sqlalchemy as sa
from alembic import op

from tagwire.store.schema import UTCDateTime

revision = "0001_initial"
down_revision = None

FTS_SQLITE = [
    "CREATE VIRTUAL TABLE article_fts USING fts5(title, summary, text, outlet UNINDEXED,"
    " content='articles', content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN"
    " INSERT INTO article_fts(rowid, title, summary, text, outlet)"
    " VALUES (new.id, new.title, new.summary, new.text, new.outlet); END",
    "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN"
    " INSERT INTO article_fts(article_fts, rowid, title, summary, text, outlet)"
    " VALUES ('delete', old.id, old.title, old.summary, old.text, old.outlet); END",
    "CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, summary, text ON articles BEGIN"
    " INSERT INTO article_fts(article_fts, rowid, title, summary, text, outlet)"
    " VALUES ('delete', old.id, old.title, old.summary, old.text, old.outlet);"
    " INSERT INTO article_fts(rowid, title, summary, text, outlet)"
    " VALUES (new.id, new.title, new.summary, new.text, new.outlet); END",
]

FTS_POSTGRES = [
    "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS ("
    " setweight(to_tsvector('english', coalesce(title, '')), 'A') ||"
    " setweight(to_tsvector('english', coalesce(summary, '')), 'B') ||"
    " setweight(to_tsvector('english', left(coalesce(text, ''), 200000)), 'C')) STORED",
    "CREATE INDEX ix_articles_search ON articles USING gin (search)",
]


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.String(2048), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("site_url", sa.String(2048)),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_status", sa.Integer),
        sa.Column("last_checked", UTCDateTime),
        sa.Column("next_check", UTCDateTime),
        sa.Column("hold_until", UTCDateTime),
        sa.Column("error_count", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("items_seen", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("headline", sa.Text, nullable=False),
        sa.Column("first_published", UTCDateTime, nullable=False),
        sa.Column("last_published", UTCDateTime, nullable=False),
        sa.Column("article_count", sa.Integer, nullable=False),
    )
    op.create_index("ix_stories_last_published", "stories", ["last_published"])
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="SET NULL")),
        sa.Column("url", sa.String(2048), nullable=False, unique=True),
        sa.Column("listed_url", sa.String(2048)),
        sa.Column("guid", sa.Text),
        sa.Column("outlet", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("published", UTCDateTime, nullable=False),
        sa.Column("fetched_at", UTCDateTime, nullable=False),
        sa.Column("section", sa.Text),
        sa.Column("language", sa.String(16)),
        sa.Column("author", sa.Text),
        sa.Column("credit", sa.Text),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("problem", sa.Text),
        sa.Column("wire_origin", sa.Text),
        sa.Column("copy_of", sa.Integer, sa.ForeignKey("articles.id", ondelete="SET NULL")),
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id", ondelete="SET NULL")),
        sa.Column("match_kind", sa.String(16)),
        sa.Column("match_score", sa.Float),
        sa.Column("match_of", sa.Integer),
        sa.Column("features", sa.Text),
        sa.Column("signature", sa.LargeBinary),
    )
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])
    op.create_index("ix_articles_story", "articles", ["story_id"])
    op.create_index("ix_articles_status_published", "articles", ["status", "published"])
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_copy_of", "articles", ["copy_of"])
    op.create_table(
        "article_urls",
        sa.Column("url", sa.String(2048), primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_table(
        "hashtags",
        sa.Column(
            "article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("tag", sa.String(200), primary_key=True),
        sa.Column("rank", sa.Integer, nullable=False),
    )
    op.create_index("ix_hashtags_tag", "hashtags", ["tag"])
    op.create_table(
        "copy_bands",
        sa.Column("key", sa.BigInteger, nullable=False),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_copy_bands_key", "copy_bands", ["key"])
    op.create_table(
        "term_stats",
        sa.Column("term", sa.String(200), primary_key=True),
        sa.Column("df", sa.Integer, nullable=False),
    )
    for statement in FTS_SQLITE if op.get_bind().dialect.name == "sqlite" else FTS_POSTGRES:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS article_fts")
    for name in ("term_stats", "copy_bands", "hashtags", "article_urls", "articles", "stories", "sources"):
        op.drop_table(name)
