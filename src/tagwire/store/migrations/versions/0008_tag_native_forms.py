"""How a hashtag is written in other languages: #GenNakatani is 中谷元 and 中谷 in Japanese,
#PeteHegseth is ヘグセス. One row per tag and form (the language of the first article that wrote
it), written when an article in another language is understood; the tag page shows them under
its heading ("also written 中谷元"). English articles write none."""

import sqlalchemy as sa
from alembic import op

revision = "0008_tag_native_forms"
down_revision = "0007_source_page_error"


def upgrade() -> None:
    op.create_table(
        "tag_forms",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tag", sa.String(200), nullable=False),
        sa.Column("form", sa.String(200), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.UniqueConstraint("tag", "form", name="uq_tag_forms_tag_form"),
    )


def downgrade() -> None:
    op.drop_table("tag_forms")
