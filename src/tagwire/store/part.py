"""What every part of the store shares: the engine (one pool of connections) and its dialect.
Each part (sources.py, articles.py, stories.py, search.py, follows.py) is a class over it holding
its domain's SQL; repository.py assembles them into the one face the rest of tagwire uses."""

from __future__ import annotations

from sqlalchemy import Engine


class Part:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def dialect(self) -> str:
        """ "sqlite" or "postgresql": where one SQL does not fit both."""
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()
