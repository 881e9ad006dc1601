"""Why a cluster job failed: the last error of each job that raised, as one line, so that a job
parked after failing every try says why (`tagwire jobs`). Rows of jobs that later succeeded are
deleted with their success; procrastinate's own tables keep no error text."""

import sqlalchemy as sa
from alembic import op

revision = "0010_job_errors"
down_revision = "0009_headline_index"


def upgrade() -> None:
    op.create_table(
        "job_errors",
        sa.Column("job_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("job_errors")
