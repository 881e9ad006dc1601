"""Places an article names only in passing, kept apart from its hashtags (issue 12).

A place named once, past the headline and the lead ("a similar bridge opened in Rotterdam last
year"), is no hashtag an editor keeps, so it is no longer shown. It still finds the article's
other reports: a copy edited too hard for its LSH bands is found among the candidates read
through shared tags, and that place is often one they share. So it is stored here, one row per
article and tag with the article's publication time, indexed as the hashtags are, (tag,
published, article_id); story candidates are read from both tables, and nothing that shows
tags (pages, feeds, tag pages, the API, counts of tags) reads this one.

Articles understood before keep such places among their hashtags until understood again.
"""

import sqlalchemy as sa
from alembic import op

from tagwire.store.schema import UTCDateTime

revision = "0012_passing_tags"
down_revision = "0011_search_recency"


def upgrade() -> None:
    op.create_table(
        "passing_tags",
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("tag", sa.String(200), primary_key=True),
        sa.Column("published", UTCDateTime),
    )
    op.create_index("ix_passing_tags_tag_published", "passing_tags", ["tag", "published", "article_id"])


def downgrade() -> None:
    op.drop_table("passing_tags")
