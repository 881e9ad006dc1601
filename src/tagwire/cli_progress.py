"""What the CLI shows a person during and after long work: progress bars, summaries, pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from tagwire.app.fetching import FetchSummary, fetch_sources
from tagwire.app.understanding import understand_pending
from tagwire.config import Settings
from tagwire.store import Repository

if TYPE_CHECKING:
    from tagwire.app.viewmodels import TagPage


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
) -> FetchSummary:
    """`app.fetching.fetch_sources` with a bar for the sources, then one for understanding."""
    counts = {"article": 0, "error": 0}
    with _bar(console) as bar:
        tasks: dict[str, TaskID] = {}

        def tick(event: str, n: int) -> None:
            if event == "sources":
                tasks["sources"] = bar.add_task("sources", total=n, detail="")
            elif event == "pending":
                bar.update(tasks["sources"], visible=False)
                tasks["understood"] = bar.add_task("understanding", total=n, detail="")
            elif event in ("source", "understood"):
                bar.advance(tasks["sources" if event == "source" else "understood"], n)
            else:
                counts[event] = counts.get(event, 0) + n
                detail = f"{counts['article']} articles, {counts['error']} errors"
                bar.update(tasks["sources"], detail=detail)

        summary = fetch_sources(
            repo, settings, feeds_only=feeds_only, understand=understand, due_only=due_only, progress=tick
        )
    print_summary(summary, console)
    return summary


def understand_with_progress(repo: Repository, settings: Settings, *, console: Console) -> int:
    total = repo.count_pending()
    if not total:
        return 0
    with _bar(console) as bar:
        task = bar.add_task("understanding", total=total, detail="")
        return understand_pending(repo, settings, lambda _event, n: bar.advance(task, n))


def print_summary(s: FetchSummary, console: Console) -> None:
    console.print(
        f"fetched {s.sources} sources in {s.seconds:.1f} s: {s.new_articles} new articles, "
        f"{s.not_modified} unchanged (304), {s.collapsed} relistings collapsed, {s.failed} failed, "
        f"{s.pages_failed} article pages not read{_causes(s)}, {s.understood} understood",
        highlight=False,
        soft_wrap=True,
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
    for url, message in s.degraded[:20]:
        console.print(f"  [yellow]degraded[/yellow] {url}: {message}", highlight=False, soft_wrap=True)
    for url, message in s.errors[:20]:
        console.print(f"  [red]failed[/red] {url}: {message}", highlight=False, soft_wrap=True)
    if len(s.errors) > 20:
        console.print(f"  ... and {len(s.errors) - 20} more: see `tagwire sources`")


def _causes(s: FetchSummary) -> str:
    """Why article pages were not read, by cause: " (113 DNS, 2 HTTP 404; feed summaries kept)"."""
    if not s.page_failures:
        return ""
    causes = ", ".join(f"{n} {cause}" for cause, n in s.page_failures.most_common())
    return f" ({causes}; feed summaries kept)"


@contextmanager
def counter(label: str, console: Console) -> Iterator[Callable[[int], None]]:
    with Progress(
        TextColumn(label + " {task.completed} articles"), TimeElapsedColumn(), console=console, transient=True
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda n: bar.advance(task, n)


def print_tag_page(page: TagPage, console: Console) -> None:
    """`tagwire page TAG` for people: each story's newest report, then the others in a line each."""
    console.print(f"[bold]{page.heading}[/bold]\n", highlight=False)
    if not page.stories:
        console.print("No stories yet.")
    if page.suggestions:
        near = ", ".join("#" + t for t in page.suggestions)
        console.print(f"No article carries #{page.tag}. Did you mean {near}?", highlight=False)
    for story in page.stories:
        lead, *others = story.articles
        console.print(f"[bold]{lead.outlet}[/bold]  {lead.age}  {lead.category or ''}", highlight=False)
        console.print(f"[bold]{lead.title}[/bold]\n{lead.summary}", highlight=False)
        for a in others:
            kind = "copy" if a.copy_of else "also"
            console.print(f"  {kind}: {a.outlet}, {a.age}: {a.title}", highlight=False)
        console.print("  " + " ".join("#" + t for t in story.hashtags[:8]) + "\n", highlight=False)
