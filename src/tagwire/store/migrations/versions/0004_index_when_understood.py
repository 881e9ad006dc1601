"""SQLite full-text index: articles enter it when understood (their status leaves 'pending'),
not when stored, and a text that only repeats the summary (a feed-only article) is indexed once.

Search only ever shows articles in a story, which pending ones are not, so indexing them at
ingest cost a feed-only fetch most of its time for nothing. PostgreSQL's generated tsvector
column is left as it is (its cost is paid by the database, and the search filters the same way).
"""

from alembic import op

revision = "0004_index_when_understood"
down_revision = "0003_follows"

INDEXED = "{row}.status != 'pending'"
TEXT = "CASE WHEN {row}.text = {row}.summary THEN '' ELSE {row}.text END"
COLUMNS = "article_fts(rowid, title, summary, text, outlet)"
DELETE = "article_fts(article_fts, rowid, title, summary, text, outlet)"


def _values(row: str, text: str) -> str:
    return f"{row}.id, {row}.title, {row}.summary, {text.format(row=row)}, {row}.outlet"


def _understood_only() -> list[str]:
    """Index a row while it is understood; the text only when it is more than the summary."""
    new, old = INDEXED.format(row="new"), INDEXED.format(row="old")
    ins = f"INSERT INTO {COLUMNS} SELECT {_values('new', TEXT)} WHERE {new};"
    dele = f"INSERT INTO {DELETE} SELECT 'delete', {_values('old', TEXT)} WHERE {old};"
    return [  # no insert trigger: articles are stored pending, and any trigger slows every insert
        f"CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles WHEN {old} BEGIN {dele} END",
        f"CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, summary, text, status ON articles"
        f" WHEN {old} OR {new} BEGIN {dele} {ins} END",
    ]


def _every_row() -> list[str]:
    """0001's triggers: every row indexed as stored."""
    ins = f"INSERT INTO {COLUMNS} VALUES ({_values('new', '{row}.text')});"
    dele = f"INSERT INTO {DELETE} VALUES ('delete', {_values('old', '{row}.text')});"
    return [
        f"CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN {ins} END",
        f"CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN {dele} END",
        f"CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, summary, text ON articles"
        f" BEGIN {dele} {ins} END",
    ]


def _replace_triggers(statements: list[str]) -> None:
    for name in ("articles_fts_ai", "articles_fts_ad", "articles_fts_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _replace_triggers(_understood_only())
    op.execute("INSERT INTO article_fts(article_fts) VALUES ('delete-all')")
    where = INDEXED.format(row="articles")
    op.execute(f"INSERT INTO {COLUMNS} SELECT {_values('articles', TEXT)} FROM articles WHERE {where}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _replace_triggers(_every_row())
    op.execute("INSERT INTO article_fts(article_fts) VALUES ('rebuild')")
