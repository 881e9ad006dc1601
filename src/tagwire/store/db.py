"""Opening the database: SQLite (a path) or PostgreSQL (a postgresql:// URL), schema checks and
migrations. Every failure a user can cause becomes a StoreError with one clear line."""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import SQLAlchemyError

from tagwire.errors import ConfigError, DiskFull, SchemaOutOfDate, StoreError
from tagwire.store.repository import Repository

MIGRATIONS = Path(__file__).parent / "migrations"


def engine_url(database: str) -> str:
    """The SQLAlchemy URL for a TAGWIRE_DATABASE value (a file path or a postgresql:// URL)."""
    if database.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        return "postgresql+psycopg://" + database.split("://", 1)[1]
    if "://" in database:
        raise ConfigError(f"TAGWIRE_DATABASE={database!r}: use a file path (SQLite) or a postgresql:// URL")
    return "sqlite:///" + str(_sqlite_path(database))


def _sqlite_path(database: str) -> Path:
    path = Path(database).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"cannot create the folder for the database {path}: {e.strerror}") from None
    if (path.exists() and not os.access(path, os.W_OK)) or not os.access(path.parent, os.W_OK):
        raise StoreError(f"cannot write the database {path}: permission denied (set TAGWIRE_DATABASE)")
    return path


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=30000"):
        cursor.execute("PRAGMA " + pragma)
    cursor.close()


def make_engine(database: str) -> Engine:
    url = engine_url(database)
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=4, max_overflow=8
        )
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    event.listen(engine, "handle_error", _disk_full(database))
    return engine


def _disk_full(database: str) -> Callable[[ExceptionContext], None]:
    """A full disk becomes a StoreError naming the database, whatever statement meets it: the
    transaction is rolled back, and the next run redoes what was not saved."""

    def check(ctx: ExceptionContext) -> None:
        if is_disk_full(ctx.original_exception):
            raise DiskFull(
                f"the disk holding the database {_redact(database)} is full (no space left): "
                "free some space, then run the command again (nothing saved was lost)"
            ) from None

    return check


def is_disk_full(error: BaseException) -> bool:
    """SQLite's SQLITE_FULL (13), PostgreSQL's disk_full (SQLSTATE 53100), or ENOSPC."""
    if isinstance(error, sqlite3.Error):
        return getattr(error, "sqlite_errorcode", 0) & 0xFF == 13 or "disk is full" in str(error)
    return getattr(error, "sqlstate", None) == "53100" or "No space left on device" in str(error)


def schema_revision(engine: Engine) -> str | None:
    """The migration the database is at; None when it has no tagwire schema yet."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema to HEAD, each migration in its own transaction."""
    from alembic import command
    from alembic.config import Config
    from alembic.util.exc import CommandError

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except CommandError as e:
        raise StoreError(f"cannot migrate the database: {e}") from None


def open_store(database: str, *, upgrade: bool = False) -> Repository:
    """Open the store; a new, empty database gets the schema. An older one is refused (run
    `tagwire migrate`) unless upgrade is True."""
    engine = make_engine(database)
    try:
        _bring_to_head(engine, upgrade)
    except BaseException as e:
        engine.dispose()
        if isinstance(e, SQLAlchemyError):
            raise StoreError(f"cannot open the database {_redact(database)}: {_reason(e)}") from None
        raise
    return Repository(engine)


def _bring_to_head(engine: Engine, upgrade: bool) -> None:
    revision = schema_revision(engine)
    head = migrations_head()
    if revision is None or (upgrade and revision != head):
        migrate(engine)
    elif revision != head:
        raise SchemaOutOfDate(
            f"the database is at schema {revision}, this tagwire needs {head}: run `tagwire migrate`"
        )


def _reason(error: SQLAlchemyError) -> str:
    orig = getattr(error, "orig", None) or error
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


def _redact(database: str) -> str:
    """The database as it can be shown: a URL's password as ***."""
    if "://" not in database:
        return database
    return make_url(database).render_as_string(hide_password=True)


@functools.cache
def migrations_head() -> str:
    """The newest migration. Each migration's revision is its file's name, and the names are
    numbered in order (tests/test_store.py checks that Alembic reads the same head from the
    chain), so opening the store reads a folder listing instead of loading Alembic and every
    migration module."""
    return max(p.stem for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
