"""The store: schema, migrations, one face (Repository; types.Store) of per-domain parts: all the SQL."""

from tagwire.store.db import open_store
from tagwire.store.repository import Repository

__all__ = ["Repository", "open_store"]
