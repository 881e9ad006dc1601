"""The store: schema, migrations and the repository (the only place with SQL)."""

from tagwire.store.db import open_store
from tagwire.store.repository import Repository

__all__ = ["Repository", "open_store"]
