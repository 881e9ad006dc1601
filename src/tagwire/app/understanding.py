"""Understanding what ingest left pending (the use case `tagwire understand`, and the second half of
every fetch): batches in publication order through understand/engine.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tagwire.config import Settings
from tagwire.store import Repository

if TYPE_CHECKING:
    from tagwire.understand.engine import Understander

Progress = Callable[[str, int], None]  # (event, count): "understood"


def understand_pending(
    repo: Repository,
    settings: Settings,
    progress: Progress | None = None,
    stop: Callable[[], bool] | None = None,
    understander: Understander | None = None,
) -> int:
    """The understanding stage on whatever ingest left pending (until `stop()` says so). A
    caller that comes back often passes its own `understander`, whose caches then carry over."""
    from tagwire.understand.engine import Understander

    own = understander or Understander(repo, settings)
    try:
        return own.run_pending(lambda n: progress("understood", n) if progress else None, stop)
    finally:
        if understander is None:
            own.close()
