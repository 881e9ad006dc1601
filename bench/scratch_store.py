"""A store that lasts one bench run: a SQLite file in a temporary folder, or a PostgreSQL
database of its own on the server of `admin` (a URL with the right to create databases),
dropped at the end."""

from __future__ import annotations

import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def scratch_store(postgres: bool, admin: str, prefix: str) -> Iterator[str]:
    """The store's database: a SQLite path, or the URL of a new PostgreSQL database."""
    if not postgres:
        with tempfile.TemporaryDirectory(prefix=prefix + "-") as d:
            yield str(Path(d) / "tagwire.db")
        return
    name = prefix.replace("-", "_") + "_" + uuid.uuid4().hex[:10]
    psql(admin, f"CREATE DATABASE {name}")
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        psql(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def psql(url: str, sql: str) -> str:
    """What psql prints for `sql` (tab-separated, unaligned)."""
    done = subprocess.run(["psql", url, "-AtF", "\t", "-qc", sql], check=True, capture_output=True, text=True)
    return done.stdout
