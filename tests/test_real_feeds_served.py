"""The real-feed corpus (../shared/corpora/real-feeds: 137+ feeds from many publishers, a
quarter of them not well-formed) served over local HTTP and fetched by the command a user
runs: no traceback, every feed either read or recorded on its source with a message, and as
many items kept as the parser keeps when reading the files directly."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tagwire.errors import ParseError
from tagwire.ingest.parse import parse_feed
from tests.helpers import REAL_FEEDS, real_feed_files, tagwire


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def corpus_server() -> Iterator[str]:
    handler = functools.partial(Quiet, directory=str(REAL_FEEDS))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def _parsed_links(path: Path, url: str) -> set[str]:
    try:
        return {item.url for item in parse_feed(path.read_bytes(), url).items}
    except ParseError:
        return set()


def test_the_real_feed_corpus_fetched_over_http(corpus_server: str, tmp_path: Path) -> None:
    files = real_feed_files()
    urls = [f"{corpus_server}/{quote(str(p.relative_to(REAL_FEEDS)))}" for p in files]
    env = {"TAGWIRE_DATABASE": str(tmp_path / "tw.db"), "TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1"}
    opml = tmp_path / "corpus.opml"
    outlines = "".join(f'<outline type="rss" xmlUrl="{u}"/>' for u in urls)
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>')
    assert tagwire("add", "--anyway", str(opml), env=env).returncode == 0
    fetched = tagwire("fetch", "--feeds-only", "--no-understand", env=env)
    assert fetched.returncode == 0 and "Traceback" not in fetched.stdout + fetched.stderr, fetched.stderr
    listing = tagwire("sources", env=env)
    assert "Traceback" not in listing.stdout + listing.stderr
    expected = set().union(*(_parsed_links(p, u) for p, u in zip(files, urls, strict=True)))
    stats = json.loads(tagwire("stats", "--json", env=env).stdout)
    assert stats["sources"] == len(files)
    # every distinct link the parser reads from the files is stored (URLs are canonicalized, and
    # one text listed twice by one outlet collapses, so the store may hold a few less)
    print(f"\nreal feeds over HTTP: {stats['articles']} articles stored of {len(expected)} links parsed")
    assert stats["articles"] >= 0.95 * len(expected), (stats, len(expected))
