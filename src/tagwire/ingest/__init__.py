"""Ingest stages: fetch (address guard), parse feeds and sitemaps, extract pages, normalize, caps."""

import sys

# httpx imports its own command line (httpx._main) whenever click is installed (uvicorn brings
# it), and with it rich's syntax highlighting and pygments: half of the cost of importing httpx,
# paid by every fetch, for a tool tagwire never runs. Marked as absent, httpx keeps a stub.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
