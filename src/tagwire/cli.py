"""The command line: `tagwire add`, `fetch`, `sources`, `page`, `serve`, `demo`, and the rest.
Each command is a few lines that call the stages; a TagwireError becomes one line on stderr and
exit status 1, never a traceback."""

from __future__ import annotations

import asyncio
import gc
import importlib.machinery
import json
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from tagwire import config
from tagwire.errors import InputError, TagwireError

if TYPE_CHECKING:  # each command imports what it runs: `tagwire fetch` never loads the views
    from tagwire.app.viewmodels import AddResult, SourceView
    from tagwire.store import Repository

app = typer.Typer(
    help="tagwire: many outlets in, one clean page per hashtag out.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)


_terminated_by: list[int] = []  # the signal that asked this process to stop, if one did


def _terminate(signum: int, _frame: object) -> None:
    """SIGTERM (`timeout`, a service manager, `kill`) stops a command as Ctrl-C does: a fetch
    then writes what it finished, a batch being understood stays pending, workers stop."""
    _terminated_by.append(signum)
    raise KeyboardInterrupt


# A run allocates many objects that live until it ends (feed items, articles, rows): the cycle
# collector looks at the young ones every GC_YOUNG allocations instead of every 700 (Python's
# default, which made it a tenth of a fetch's time), and not at all once the command is over.
GC_YOUNG = 20_000
_opened: list[Repository] = []  # the stores a command opened: closed when it ends


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)  # `tagwire run` handles it in its own loop
    _as_module()
    gc.set_threshold(GC_YOUNG)
    try:
        _run()
    finally:
        for repo in _opened:  # connections closed (SQLite checkpoints its WAL into the file)
            repo.close()
        # the process ends: its objects are freed with it; without this, the interpreter's last
        # collections walk every object of every module loaded (a third of a second under load)
        gc.freeze()


def _as_module() -> None:
    """Run by the `tagwire` script, this process is `python -m tagwire` by another name: say so.
    multiprocessing starts each worker (pages extracted, feeds read, articles prepared) by
    running the script that started this process again, unless that was a module's __main__;
    the script would load the whole command line (typer, rich, every command's imports) in
    every worker, which only runs functions of tagwire's modules."""
    script = sys.modules["__main__"]
    if getattr(script, "__spec__", None) is None:
        script.__spec__ = importlib.machinery.ModuleSpec("tagwire.__main__", None)


def _run() -> None:
    try:
        app()
    except TagwireError as e:
        err.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except SystemExit:  # typer turns an interruption into exit status 130
        if _terminated_by:
            err.print("stopped (SIGTERM)")
            sys.exit(143)
        raise


def settings() -> config.Settings:
    return config.load()


def store(upgrade: bool = False) -> Repository:
    from tagwire.store import open_store

    repo = open_store(settings().database, upgrade=upgrade)
    _opened.append(repo)
    return repo


def now() -> datetime:
    return datetime.now(UTC)


@app.command()
def add(
    targets: Annotated[list[str], typer.Argument(help="Feed URL, site address, news sitemap, or OPML file")],
    anyway: Annotated[
        bool,
        typer.Option(
            "--anyway", help="Follow a target even when it cannot be fetched or read now (outlet down)"
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was done as JSON")] = False,
) -> None:
    """Follow feeds: a feed's URL, a site's address (its feeds are discovered), a news sitemap or
    an OPML file. Each is checked first; what answers an error or is no feed is refused."""
    from tagwire.app.sources import add_targets

    report = add_targets(store(), settings(), targets, now=now(), anyway=anyway)
    if as_json:
        sys.stdout.write(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
    else:
        for r in report.results:
            _print_added(r)
        if len(report.results) > 1:  # one target, one line: its own says it all
            err.print(report.line, highlight=False)
    if report.refused:
        raise typer.Exit(1)


def _count(n: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{n} {noun if n == 1 else plural}"


def _print_added(r: AddResult) -> None:
    if r.state == "refused":
        err.print(f"[red]error:[/red] refused {r.url}: {r.note}", highlight=False, soft_wrap=True)
        return
    out.print(f"{r.state}: {r.title + ' ' if r.title else ''}{r.url}", highlight=False, soft_wrap=True)
    if r.note:
        err.print(f"  note: {r.note}", highlight=False, soft_wrap=True)


@app.command()
def remove(
    sources: Annotated[list[str], typer.Argument(help="A source's URL or id (see `tagwire sources`)")],
    purge: Annotated[
        bool, typer.Option("--purge", help="Delete its articles too, and the stories only they made")
    ] = False,
) -> None:
    """Stop following sources. Their articles stay on the pages unless --purge."""
    from tagwire.app.sources import remove_sources

    results = remove_sources(store(), sources, purge=purge)
    for r in results:
        if not r.found:
            err.print(
                f"[red]not followed[/red]: {r.ref} (`tagwire sources` lists the sources)", highlight=False
            )
        elif purge:
            out.print(
                f"removed {r.url}: {_count(r.purged, 'article')} and "
                f"{_count(r.stories_purged, 'story')} deleted",
                highlight=False,
                soft_wrap=True,
            )
        else:
            out.print(
                f"removed {r.url}: no longer fetched; its articles stay "
                f"({_count(r.kept, 'article')}; --purge deletes them)",
                highlight=False,
                soft_wrap=True,
            )
    if not all(r.found for r in results):
        raise typer.Exit(1)


@app.command()
def fetch(
    feeds_only: Annotated[
        bool, typer.Option("--feeds-only", help="Store feed items only; do not fetch article pages")
    ] = False,
    no_understand: Annotated[
        bool,
        typer.Option("--no-understand", help="Store new articles as pending; `tagwire understand` later"),
    ] = False,
    due: Annotated[bool, typer.Option("--due", help="Only sources whose next check has come")] = False,
) -> None:
    """Fetch every source once: feeds, new articles' pages, then understand what is new."""
    from tagwire.cli_progress import fetch_with_progress

    repo, cfg = store(), settings()
    summary = fetch_with_progress(
        repo, cfg, feeds_only=feeds_only, understand=not no_understand, due_only=due, console=err
    )
    if summary.sources == 0:
        err.print("nothing to fetch: add sources with `tagwire add URL`")
    if not no_understand:
        _send_alerts(repo, cfg)


@app.command()
def understand() -> None:
    """Understand pending articles (hashtags, copies, stories, wire origin)."""
    from tagwire.cli_progress import understand_with_progress
    from tagwire.models import ArticleStatus

    repo, cfg = store(), settings()
    set_aside = repo.count_status(ArticleStatus.QUARANTINED)
    n = understand_with_progress(repo, cfg, console=err)
    quarantined = repo.count_status(ArticleStatus.QUARANTINED) - set_aside
    err.print(f"understood {n - quarantined} articles")
    if quarantined:
        err.print(
            f"{quarantined} articles quarantined (over their time budget, or they failed): "
            "see `tagwire problems`"
        )
    _send_alerts(repo, cfg)


def _send_alerts(repo: Repository, cfg: config.Settings, *, always: bool = False) -> None:
    """New stories of followed hashtags and searches to their webhooks, and due retries."""
    from tagwire.app.alerts import run_alerts_now

    report = run_alerts_now(repo, cfg)
    if report.busy or always:
        err.print(str(report), highlight=False)


@app.command("sources")
def list_sources(
    as_json: Annotated[bool, typer.Option("--json", help="Print the sources as JSON")] = False,
) -> None:
    """Each source with its status (new, ok, error, held: as /sources shows it), last check and
    last error."""
    from tagwire.app import views

    found = views.source_views(store(), now())
    if as_json:
        _print_json([s.model_dump(mode="json") for s in found])
        return
    if out.is_terminal:  # the short facts on one line, then the name, the URL and the error each on its own
        headers = ["id", "status", "items", "last checked", "next check", "name", "url", "last error"]
        cards = [
            [r[0], r[2], r[3], r[4], r[5], s.outlet or s.title or "", s.url, r[6]] for s, r in _rows(found)
        ]
        _print_records(headers, cards, long=(5, 6, 7), empty="no sources: `tagwire add URL` follows one")
        return
    headers = ["id", "source", "status", "items", "last checked", "next check", "last error"]
    _print_records(headers, [r for _, r in _rows(found)], long=(1, 6))


def _rows(found: list[SourceView]) -> list[tuple[SourceView, list[str]]]:
    return [(s, _source_row(s)) for s in found]


def _source_row(s: SourceView) -> list[str]:
    status = f"{s.status} ({s.error_count}x)" if s.error_count else str(s.status)
    shown = s.outlet or s.title  # the outlet as the pages name it, else the feed's own title
    name = f"{shown} {s.url}" if shown else s.url
    return [
        str(s.id),
        name,
        status,
        f"{s.items_seen} ({s.quarantined} quarantined)" if s.quarantined else str(s.items_seen),
        _when(s.last_checked),
        _when(s.next_check),
        s.last_error or s.page_error or "",
    ]


@app.command()
def tags(
    top: Annotated[int | None, typer.Option("--top", min=1, help="Only the N most used")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the hashtags as JSON")] = False,
) -> None:
    """Hashtags with the number of stories carrying them and when one was last used, most used first."""
    from tagwire.app import views

    found = views.tags_page(store(), top)
    if as_json:
        _print_json(found.model_dump(mode="json"))
        return
    rows = [["#" + t.tag, str(t.stories), _when(t.last_used)] for t in found.tags]
    _print_records(
        ["hashtag", "stories", "last used"], rows, long=(), empty="no hashtags yet: `tagwire fetch` first"
    )


def _when(dt: datetime | None) -> str:
    return dt.strftime("%Y-%m-%d %H:%M") if dt else "-"


@app.command()
def page(
    tag: str,
    as_json: Annotated[bool, typer.Option("--json", help="Print the page as JSON (the API's shape)")] = False,
    at: Annotated[str | None, typer.Option("--now", help="Render ages as of this ISO 8601 time")] = None,
    number: Annotated[int, typer.Option("--page", min=1, help="Page number")] = 1,
) -> None:
    """The page "Latest news with #TAG": newest story first."""
    from tagwire.app import views

    data = views.tag_page(store(), tag, _now(at), page=number)
    if as_json:
        sys.stdout.write(json.dumps(data.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
        return
    from tagwire.cli_progress import print_tag_page

    print_tag_page(data, out)


def _now(at: str | None) -> datetime:
    from tagwire.app import views

    try:
        return views.parse_now(at)
    except ValueError:
        raise InputError(f"--now {at!r} is not an ISO 8601 time (e.g. 2025-06-03T16:00:00Z)") from None


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
    workers: Annotated[int, typer.Option(help="Web processes sharing the port")] = 1,
) -> None:
    """Serve the web pages and the JSON API."""
    from tagwire.serve.app import serve as run_server

    if workers < 1:
        raise InputError("--workers must be 1 or more")
    cfg = settings()
    store().close()  # refuse a missing or outdated database before listening
    run_server(cfg, host or cfg.host, port or cfg.port, workers, ready=_announce)


def _announce(address: str) -> None:
    """The address a server listens on, once it does (on stdout, at once: scripts wait for it)."""
    out.print(f"serving {address}/ (Ctrl-C to stop)", highlight=False, soft_wrap=True)
    sys.stdout.flush()


@app.command("run")
def run_all(
    host: Annotated[str | None, typer.Option(help="Address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
) -> None:
    """Fetch sources as they come due and serve the web UI, until SIGTERM or Ctrl-C."""
    from tagwire.scheduler import run as run_scheduler

    cfg = settings()
    run_scheduler(
        store(), cfg, host or cfg.host, port or cfg.port, lambda line: err.print(line, highlight=False)
    )


@app.command()
def worker(
    concurrency: Annotated[int, typer.Option(help="Jobs this worker runs at once")] = 4,
) -> None:
    """Run one worker of a cluster on PostgreSQL (start one on each machine), until SIGTERM or Ctrl-C."""
    from tagwire.app.cluster import run_worker

    if concurrency < 1:
        raise InputError("--concurrency must be 1 or more")
    run_worker(store(), settings(), lambda line: err.print(line, highlight=False), concurrency)


@app.command("jobs")
def list_jobs(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The cluster's job queue: jobs by state, workers alive, and the jobs parked after failing every try."""
    repo = store()
    counts, parked = repo.queue_counts(), repo.parked_jobs()
    if as_json:
        data = {
            "jobs": counts.by_status,
            "workers": counts.workers,
            "parked": [dict(vars(p), failed_at=_when(p.failed_at)) for p in parked],
        }
        sys.stdout.write(json.dumps(data) + "\n")
        return
    states = ", ".join(f"{n} {s}" for s, n in sorted(counts.by_status.items())) or "no jobs"
    err.print(f"{states}; {counts.workers} workers alive", highlight=False)
    rows = [
        [str(p.id), p.task, json.dumps(p.args), str(p.attempts), _when(p.failed_at), p.error or "-"]
        for p in parked
    ]
    _print_records(
        ["id", "job", "arguments", "tries", "parked", "last error"], rows, long=(2, 5), empty="no parked jobs"
    )


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="Port of the web UI")] = 8080,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Ingest the sample, print a page, exit")
    ] = False,
) -> None:
    """Run tagwire on its built-in sample outlets: no setup, no internet."""
    from tagwire.demo.run import run_demo

    run_demo(port=port, serve=not no_serve, console=err)


@app.command()
def analyze(
    infile: Annotated[
        Path,
        typer.Argument(
            help="JSON lines: id, url, outlet, title, text, published, optional html; - for stdin"
        ),
    ],
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Where to write decisions (default: stdout)")
    ] = None,
) -> None:
    """Run understanding on a stream of articles, in order; one decision per line out."""
    from tagwire.app.analysing import analyze as run
    from tagwire.app.analysing import read_rows
    from tagwire.cli_progress import counter

    repo, cfg = store(), settings()
    with _output(out_file) as sink, counter("analyzed", err) as tick:
        n = run(read_rows(infile, sys.stderr), sink, repo, cfg, tick)
    err.print(f"analyzed {n} articles")


@contextmanager
def _output(path: Path | None) -> Iterator[Any]:
    if path is None:
        yield sys.stdout
        return
    try:
        handle = path.open("w", encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror}") from None
    with handle:
        yield handle


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help="HTML files or article URLs")],
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON object a line")] = False,
) -> None:
    """Text and metadata of article pages (title, text, published, section, outlet, ...)."""
    from tagwire.app.analysing import extract_inputs

    for row in extract_inputs(inputs, settings()):
        if jsonl:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            out.print(
                f"[bold]{row['title']}[/bold]\n{row['outlet']} | {row['published']} | {row['section']}\n\n"
                f"{row['text']}\n",
                highlight=False,
            )


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Counts in the store: sources, articles, stories, hashtags."""
    data = store().stats()
    if as_json:
        sys.stdout.write(json.dumps(data) + "\n")
    else:
        for k, v in data.items():
            out.print(f"{k:10} {v}")


@app.command()
def problems(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Articles understanding gave up on (quarantined: over their time budget, or they raised), and why."""
    from tagwire.app import views

    found = [views.problem_view(a) for a in store().quarantined(limit=1_000_000)]
    if as_json:
        sys.stdout.write(json.dumps([p.model_dump(mode="json") for p in found]) + "\n")
        return
    rows = [[str(p.id), p.outlet, p.url, p.reason or ""] for p in found]
    _print_records(
        ["id", "outlet", "article", "why it was set aside"], rows, long=(2, 3), empty="no problems"
    )


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (on PostgreSQL, with the cluster's job queue)."""
    repo = store(upgrade=True)
    if repo.dialect == "postgresql":
        from tagwire.app.cluster import prepare_queue

        prepare_queue(repo)
    err.print(f"database is up to date: {settings().database}")


@app.command("export-opml")
def export_opml() -> None:
    """Print the followed sources as OPML."""
    from tagwire.ingest.discover import export_opml as render

    sys.stdout.write(render((s.url, s.title) for s in store().sources()))


@app.command("settings")
def show_settings(
    as_json: Annotated[bool, typer.Option("--json", help="Print the settings as JSON")] = False,
) -> None:
    """Every setting, its environment variable and current value."""
    cfg = settings()
    shown = []
    for s in config.SETTINGS:
        value = getattr(cfg, s.name)
        shown.append((s.env, "***" if s.secret and value else str(value), s.help))
    if as_json:
        _print_json([{"variable": v, "value": value, "meaning": m} for v, value, m in shown])
        return
    for variable, value, meaning in shown:
        out.print(f"[bold]{variable}[/bold] = {value}", highlight=False, soft_wrap=True)
        out.print(f"    {meaning}", highlight=False)


@app.command("follow")
def follow_cmd(
    what: Annotated[str, typer.Argument(help="#Hashtag (or a CamelCase word), or a query with --search")],
    webhook: Annotated[str, typer.Option("--webhook", help="Where each new story is POSTed as JSON")],
    secret: Annotated[
        str | None, typer.Option(help="Key of the HMAC signature (default: a random one, shown once)")
    ] = None,
    search: Annotated[bool, typer.Option("--search", help="Follow WHAT as a search query")] = False,
) -> None:
    """Follow a hashtag or a saved search: each new story is POSTed, signed, to the webhook."""
    from tagwire.app import alerts

    kind, target = alerts.target_of(what, search=search, now=now())
    made = asyncio.run(alerts.follow(store(), settings(), kind, target, webhook, secret))
    out.print(f"follow {made.id}: new stories of {made.what} go to {made.webhook}", highlight=False)
    out.print(f"secret: {made.secret}", highlight=False, soft_wrap=True)
    err.print(
        "  keep the secret: it is not shown again. Each POST carries X-Tagwire-Signature: "
        "sha256=HMAC-SHA256(secret, body).",
        highlight=False,
    )


@app.command()
def unfollow(
    follow_id: Annotated[int, typer.Argument(help="The follow's id (see `tagwire follows`)")],
) -> None:
    """Stop a follow; its alerts not yet sent are dropped."""
    if not store().remove_follow(follow_id):
        raise InputError(f"there is no follow {follow_id}: `tagwire follows` lists them")
    err.print(f"follow {follow_id} stopped")


@app.command("follows")
def list_follows(
    as_json: Annotated[bool, typer.Option("--json", help="Print the follows as JSON")] = False,
) -> None:
    """Each follow: what, webhook, since when, alerts delivered/pending/failed, last error."""
    if as_json:
        from tagwire.app.alerts import follows_page

        _print_json(follows_page(store()).model_dump(mode="json"))
        return
    rows = [
        [
            str(s.follow.id),
            s.follow.what,
            s.follow.webhook,
            _when(s.follow.created_at),
            str(s.delivered),
            str(s.pending),
            str(s.failed),
            s.last_error or "",
        ]
        for s in store().follow_statuses()
    ]
    headers = ["id", "follows", "webhook", "since", "delivered", "pending", "failed", "last error"]
    _print_records(
        headers, rows, long=(1, 2, 7), empty="no follows: `tagwire follow '#Tag' --webhook URL` adds one"
    )


def _print_records(
    headers: list[str], rows: list[list[str]], *, long: tuple[int, ...], empty: str | None = None
) -> None:
    """Rows for people: the short columns as one aligned line, then each long column (URLs,
    names, errors) on a line of its own, whole and unbroken whatever the terminal's width.
    Piped: one tab-separated line a row, all columns, never wrapped: easy to grep or cut."""
    if not out.is_terminal:
        for row in rows:
            sys.stdout.write("\t".join(row) + "\n")
        return
    if not rows:
        if empty:
            out.print(empty, highlight=False)
        return
    short = [i for i in range(len(headers)) if i not in long]
    widths = {i: max(len(headers[i]), *(len(r[i]) for r in rows)) for i in short}

    def line(cells: list[str]) -> str:
        return "  ".join(cells[i].ljust(widths[i]) for i in short).rstrip()

    if short:
        out.print(f"[bold]{line(headers)}[/bold]", highlight=False, soft_wrap=True)
    for row in rows:
        if short:
            out.print(line(row), highlight=False, soft_wrap=True)
        for i in long:
            if row[i]:
                label = f"{headers[i]}: " if short else ""
                out.print(f"    {label}{row[i]}" if short else row[i], highlight=False, soft_wrap=True)


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command()
def deliver() -> None:
    """Send due alerts now: new stories of follows and retries whose time has come."""
    _send_alerts(store(), settings(), always=True)
