"""Copies by headline: articles indexed by the start of their headline (case aside) and their
publication time, so that a thin article (a feed's summary standing in for a page not read)
finds the articles with its headline near its time in one index range (understand/copies.py)."""

import sqlalchemy as sa
from alembic import op

revision = "0009_headline_index"
down_revision = "0008_tag_native_forms"


def upgrade() -> None:
    op.create_index("ix_articles_headline", "articles", [sa.text("lower(substr(title, 1, 24))"), "published"])


def downgrade() -> None:
    op.drop_index("ix_articles_headline", table_name="articles")
