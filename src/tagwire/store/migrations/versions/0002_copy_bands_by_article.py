"""Index copy bands by article: re-understanding an article deletes its bands, which scanned
the whole table without it."""

from alembic import op

revision = "0002_copy_bands_by_article"
down_revision = "0001_initial"


def upgrade() -> None:
    op.create_index("ix_copy_bands_article", "copy_bands", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_copy_bands_article", table_name="copy_bands")
