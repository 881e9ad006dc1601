"""What the CLI shows a person during and after long work: progress bars, summaries, pages."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tagwire.config import Settings
from tagwire.errors import FetchError, InputError
from tagwire.pipeline import Run, RunSummary, understand_pending
from tagwire.store import Repository
from tagwire.store.decisions import QUARANTINED


def _bar(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


def fetch_with_progress(
    repo: Repository,
    settings: Settings,
    *,
    feeds_only: bool,
    understand: bool,
    due_only: bool,
    console: Console,
) -> RunSummary:
    from datetime import UTC, datetime

    sources = repo.fetchable_sources(datetime.now(UTC), due_only=due_only)
    set_aside = repo.count_status(QUARANTINED)
    counts = {"article": 0, "error": 0}
    with _bar(console) as bar:
        task = bar.add_task("sources", total=len(sources), detail="")

        def tick(event: str, n: int) -> None:
            if event == "source":
                bar.advance(task, n)
            else:
                counts[event] = counts.get(event, 0) + n
            bar.update(task, detail=f"{counts['article']} articles, {counts['error']} errors")

        run = Run(repo, settings, feeds_only=feeds_only, progress=tick)
        with understanding_alongside(repo, settings, enabled=understand and not feeds_only) as early:
            summary = asyncio.run(run.fetch(sources))
    if understand:
        summary.understood = early[0] + understand_with_progress(repo, settings, console=console)
        summary.quarantined = repo.count_status(QUARANTINED) - set_aside
    print_summary(summary, console)
    return summary


@contextmanager
def understanding_alongside(repo: Repository, settings: Settings, *, enabled: bool) -> Iterator[list[int]]:
    """While a fetch reads article pages (network waits, extraction in worker processes), a
    thread understands what the fetch has already stored, batch by batch; it stops after its
    current batch once the fetch is over, and whatever is still pending is left to the caller.
    Yields a one-item list: how many articles the thread understood. An error in the thread is
    raised here, after the fetch, like any other."""
    done, over, failed = [0], threading.Event(), list[BaseException]()

    def work() -> None:
        from tagwire.understand.engine import Understander

        try:
            understander = Understander(repo, settings)  # one, so its caches last the whole fetch
            try:
                while not over.is_set():
                    done[0] += understand_pending(repo, settings, stop=over.is_set, understander=understander)
                    over.wait(0.5)  # nothing pending yet: look again soon
            finally:
                understander.close()
        except Exception as error:  # raised in the caller's thread, where the CLI reports it
            failed.append(error)

    thread = threading.Thread(target=work, name="understand-alongside", daemon=True) if enabled else None
    if thread:
        thread.start()
    try:
        yield done
    finally:
        over.set()
        if thread:
            thread.join()
    if failed:
        raise failed[0]


def understand_with_progress(repo: Repository, settings: Settings, *, console: Console) -> int:
    total = repo.count_pending()
    if not total:
        return 0
    with _bar(console) as bar:
        task = bar.add_task("understanding", total=total, detail="")
        return understand_pending(repo, settings, lambda _event, n: bar.advance(task, n))


def print_summary(s: RunSummary, console: Console) -> None:
    console.print(
        f"fetched {s.sources} sources in {s.seconds:.1f} s: {s.new_articles} new articles, "
        f"{s.not_modified} unchanged (304), {s.collapsed} relistings collapsed, {s.failed} failed, "
        f"{s.pages_failed} pages unreadable and {s.pages_refused} refused by robots.txt (feed summary kept), "
        f"{s.understood} understood",
        highlight=False,
    )
    if s.skipped or s.deferred:
        console.print(
            f"  {s.skipped} items skipped (URL over TAGWIRE_MAX_URL_CHARS), {s.deferred} left for the next "
            "run (over TAGWIRE_MAX_ITEMS_PER_FEED)",
            highlight=False,
        )
    if s.quarantined:
        console.print(
            f"  [yellow]{s.quarantined} articles quarantined[/yellow] (over their time budget, or they "
            "failed): see `tagwire problems`",
            highlight=False,
        )
    for url, message in s.errors[:20]:
        console.print(f"  [red]failed[/red] {url}: {message}", highlight=False, soft_wrap=True)
    if len(s.errors) > 20:
        console.print(f"  ... and {len(s.errors) - 20} more: see `tagwire sources`")


@contextmanager
def counter(label: str, console: Console) -> Iterator[Callable[[int], None]]:
    with Progress(
        TextColumn(label + " {task.completed} articles"), TimeElapsedColumn(), console=console, transient=True
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda n: bar.advance(task, n)


def print_tag_page(data: dict[str, Any], console: Console) -> None:
    console.print(f"[bold]{data['heading']}[/bold]\n", highlight=False)
    if not data["stories"]:
        console.print("No stories yet.")
    for story in data["stories"]:
        lead, *others = story["articles"]
        console.print(
            f"[bold]{lead['outlet']}[/bold]  {lead['age']}  {lead['category'] or ''}", highlight=False
        )
        console.print(f"[bold]{lead['title']}[/bold]\n{lead['summary']}", highlight=False)
        for a in others:
            kind = "copy" if a["copy_of"] else "also"
            console.print(f"  {kind}: {a['outlet']}, {a['age']}: {a['title']}", highlight=False)
        console.print("  " + " ".join("#" + t for t in story["hashtags"][:8]) + "\n", highlight=False)


def extract_inputs(inputs: list[str], settings: Settings) -> Iterator[dict[str, Any]]:
    from tagwire.analyze import extract_one

    for item in inputs:
        if "://" in item:
            body, url = _download(item, settings)
            yield extract_one(item, body, url)
            continue
        try:
            body = Path(item).read_bytes()
        except OSError as e:
            raise InputError(f"cannot read {item}: {e.strerror}") from None
        yield extract_one(item, body, None)


def _download(url: str, settings: Settings) -> tuple[bytes, str]:
    from tagwire.ingest.fetch import Fetcher

    async def get() -> tuple[bytes, str]:
        async with Fetcher(settings) as fetcher:
            r = await fetcher.get(url)
            return r.body, r.url

    try:
        return asyncio.run(get())
    except FetchError as e:
        raise InputError(f"{url}: {e}") from None
