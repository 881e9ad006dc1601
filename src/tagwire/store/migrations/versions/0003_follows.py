"""Alerts: follows (a hashtag or a saved search, with a webhook and its secret) and deliveries
(one row per follow and story, unique, so a story is never queued twice for one follow)."""

import sqlalchemy as sa
from alembic import op

from tagwire.store.schema import UTCDateTime

revision = "0003_follows"
down_revision = "0002_copy_bands_by_article"


def upgrade() -> None:
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("webhook", sa.String(2048), nullable=False),
        sa.Column("secret", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("after_story", sa.Integer, nullable=False),
        sa.Column("scanned_to", sa.Integer, nullable=False),
        sa.UniqueConstraint("kind", "target", "webhook", name="uq_follows_what_where"),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("follow_id", sa.Integer, sa.ForeignKey("follows.id", ondelete="CASCADE"), nullable=False),
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt", UTCDateTime),
        sa.Column("last_error", sa.Text),
        sa.Column("last_status", sa.Integer),
        sa.Column("body", sa.Text),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("delivered_at", UTCDateTime),
        sa.UniqueConstraint("follow_id", "story_id", name="uq_deliveries_follow_story"),
    )
    op.create_index("ix_deliveries_due", "deliveries", ["state", "next_attempt"])


def downgrade() -> None:
    op.drop_table("deliveries")
    op.drop_table("follows")
