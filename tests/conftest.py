"""Shared fixtures: a real store on SQLite (always) and on PostgreSQL (when
TAGWIRE_TEST_POSTGRES is set to 1 or a postgresql:// URL), each test in its own schema."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest

from tagwire.store import Repository, open_store
from tests.webserver import Server

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_url() -> str | None:
    value = os.environ.get("TAGWIRE_TEST_POSTGRES", "")
    if not value or value == "0":
        return None
    return DEFAULT_PG if value == "1" else value


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A TAGWIRE_DATABASE value for an empty database of the requested backend."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield str(tmp_path / "tagwire.db")
        return
    base = postgres_url()
    if base is None:
        pytest.skip("set TAGWIRE_TEST_POSTGRES=1 to run the store tests on PostgreSQL")
    yield from _postgres_schema(base)


def _postgres_schema(base: str) -> Iterator[str]:
    import psycopg

    schema = "tw_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def repo(database: str) -> Iterator[Repository]:
    r = open_store(database)
    yield r
    r.close()


def shared_or_skip(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not here)")
    return path


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.release.set()
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def feedparser_calls(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Records each call to feedparser (which still runs)."""
    calls: list[bytes] = []
    real: Callable[..., Any] = feedparser.parse

    def spy(body: bytes, **kwargs: Any) -> Any:
        calls.append(body)
        return real(body, **kwargs)

    monkeypatch.setattr(feedparser, "parse", spy)  # the module tagwire.ingest.parse calls into
    return calls


@pytest.fixture(scope="module")
def tagger() -> Any:
    """A hashtag tagger (its language model loads on first use, once a process)."""
    from tagwire.understand.hashtags import HashtagTagger

    return HashtagTagger()
