"""Regenerate docs/tag-page.png, the README's picture: what `tagwire demo` shows.

    .venv/bin/python docs/screenshot.py [OUT.png]

As `tagwire demo` does: the built-in sample outlets on loopback (dates moved to the real clock),
ingested by the real pipeline into a fresh database in a temporary folder; then the app under
uvicorn, and the sample's hashtag page (expected.json's: #LuciaFerrand) photographed by Debian's
chromium (Playwright, the launch line of DESIGN.md), 1000 x 1250 CSS pixels, the top of the page.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from tagwire.app.fetching import Fetching
from tagwire.app.understanding import understand_pending
from tagwire.config import load
from tagwire.demo.server import SAMPLE_DIR, SampleServer
from tagwire.serve.app import create_app, server_config
from tagwire.store import Repository, open_store

OUT = Path(__file__).resolve().parent / "tag-page.png"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1000, "height": 1250}


def build(database: Path) -> tuple[Repository, str]:
    """The demo's store, filled by the real pipeline; and the hashtag its expected.json shows."""
    settings = load({"TAGWIRE_DATABASE": str(database), "TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1"})
    repo = open_store(str(database))
    with SampleServer(now=datetime.now(UTC)) as sample:
        for url in sample.feed_urls():
            repo.add_source(url, now=datetime.now(UTC))
        asyncio.run(Fetching(repo, settings).fetch(repo.sources()))
    understand_pending(repo, settings)
    return repo, str(json.loads((SAMPLE_DIR / "expected.json").read_text())["tag"])


def shoot(url: str, out: Path) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": VIEWPORT["width"], "height": VIEWPORT["height"]})
        page.goto(url)
        page.screenshot(path=str(out))
        browser.close()


def main(argv: list[str]) -> int:
    if not Path(CHROMIUM).exists():
        print(f"error: {CHROMIUM} is missing: apt-get install -y chromium", file=sys.stderr)
        return 2
    out = Path(argv[0]) if argv else OUT
    database = Path(tempfile.mkdtemp(prefix="tagwire-shot-")) / "demo.db"
    repo, tag = build(database)
    server = uvicorn.Server(
        server_config(create_app(load({"TAGWIRE_DATABASE": str(database)}), repo), "127.0.0.1", 0)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        shoot(f"http://127.0.0.1:{port}/tag/{tag}", out)
    finally:
        server.should_exit = True
        thread.join(10)
        repo.close()
    print(f"wrote {out} (#{tag})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
