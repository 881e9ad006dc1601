"""Former home of the covering-index reads, now in stories.py (until search.py imports them there)."""

from tagwire.store.stories import NARROW, placed, tagged_stories

__all__ = ["NARROW", "placed", "tagged_stories"]
