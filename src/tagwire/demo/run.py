"""`tagwire demo`: the whole product on the built-in sample outlets, with no setup and no
internet. The sample is served on loopback, ingested into a fresh database in a temporary
folder, and the web UI is served on it."""

from __future__ import annotations

import shutil
import socket
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from tagwire import config
from tagwire.app import views
from tagwire.cli_progress import fetch_with_progress, print_tag_page
from tagwire.demo.server import SampleServer
from tagwire.store import open_store


def run_demo(*, port: int, serve: bool, console: Console) -> None:
    """Ingest the sample into a temporary database, print a page or serve the UI on `port`
    (checked first: a port in use is CannotListen before anything else is done); the
    temporary folder is removed however the demo ends (Ctrl-C, SIGTERM, an error)."""
    from tagwire.serve.app import listen

    sock = listen("127.0.0.1", port) if serve else None
    folder = Path(tempfile.mkdtemp(prefix="tagwire-demo-"))
    try:
        _demo(folder, sock, console)
    finally:
        if sock is not None:
            sock.close()
        shutil.rmtree(folder, ignore_errors=True)


def _demo(folder: Path, sock: socket.socket | None, console: Console) -> None:
    settings = config.load().replace(database=str(folder / "demo.db"), allow_private_networks=True)
    with SampleServer(now=datetime.now(UTC)) as sample:
        console.print(
            f"sample outlets served at {sample.base}; database {settings.database} (removed at the end)",
            highlight=False,
        )
        repo = open_store(settings.database)
        for url in sample.feed_urls():
            repo.add_source(url, now=datetime.now(UTC))
        fetch_with_progress(
            repo, settings, feeds_only=False, understand=True, due_only=False, console=console
        )
        top = repo.top_tags(limit=1)
        tag = top[0][0] if top else "News"
        if sock is None:
            print_tag_page(views.tag_page(repo, tag, datetime.now(UTC)), Console())
        repo.close()
        if sock is None:
            return
        from tagwire.serve.app import address, serve

        page = f"{address(sock)}/tag/{tag}"
        serve(
            settings,
            "127.0.0.1",
            sock.getsockname()[1],
            sock=sock,
            ready=lambda _: console.print(f"\nOpen {page}  (Ctrl-C to stop)\n", highlight=False),
        )
