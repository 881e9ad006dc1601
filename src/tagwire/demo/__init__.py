"""A face: the built-in demo: five invented outlets, four invented events, and their local server.

Every text of it was written for tagwire.
`SampleServer` serves the sample (or any directory laid out like it) on loopback; the demo
command and the end-to-end tests ingest it and compare the result with `sample/expected.json`.

The names below load `tagwire.demo.server` on first use, so that `python -m
tagwire.demo.server` does not import that module twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tagwire.demo.server import DEMO_NOW, SAMPLE_DIR, SampleServer

__all__ = ["DEMO_NOW", "SAMPLE_DIR", "SampleServer"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from tagwire.demo import server

        return getattr(server, name)
    raise AttributeError(f"module 'tagwire.demo' has no attribute {name!r}")
