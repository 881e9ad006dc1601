"""What every part of the store shares: the engine (one pool of connections) and its dialect.
Each part (sources.py, articles.py, stories.py, search.py, follows.py) is a class over it holding
its domain's SQL; repository.py assembles them into the one face the rest of tagwire uses."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Table


class Part:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def dialect(self) -> str:
        """ "sqlite" or "postgresql": where one SQL does not fit both."""
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()


def insert_or_skip(dialect: str, table: Table) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING on `table` in the dialect's words (PostgreSQL's
    dialect module loads only where PostgreSQL is used: a SQLite run never pays for it)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table).on_conflict_do_nothing()
