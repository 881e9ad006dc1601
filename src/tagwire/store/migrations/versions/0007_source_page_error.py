"""A source whose feed is read but none of whose article pages can be: `page_error` says why
(the cause and one example), so that `tagwire sources` and /sources call it degraded, not ok.
Set by each fetch that read pages, cleared by one that read at least one page."""

import sqlalchemy as sa
from alembic import op

revision = "0007_source_page_error"
down_revision = "0006_hashtag_published"


def upgrade() -> None:
    op.add_column("sources", sa.Column("page_error", sa.Text()))


def downgrade() -> None:
    op.drop_column("sources", "page_error")
