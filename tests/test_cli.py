"""The command line as a person meets it: through the installed entry point, in a real process.
Foreseeable mistakes give one clear line on stderr and exit 1, never a traceback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import tagwire
from tests.webserver import Server

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def db(tmp_path: Path) -> dict[str, str]:
    return {"TAGWIRE_DATABASE": str(tmp_path / "tw.db")}


def one_clear_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    for word in words:
        assert word in lines[0]


def test_bad_database_urls_give_one_line(tmp_path: Path) -> None:
    one_clear_line(tagwire("stats", env={"TAGWIRE_DATABASE": "mysql://x/y"}), "postgresql://")
    one_clear_line(
        tagwire("stats", env={"TAGWIRE_DATABASE": "postgresql://nobody@127.0.0.1:1/x"}),
        "cannot open the database",
    )
    (tmp_path / "file").write_text("")
    one_clear_line(
        tagwire("stats", env={"TAGWIRE_DATABASE": str(tmp_path / "file" / "tw.db")}),
        "cannot create the folder",
    )


def test_bad_setting_and_bad_arguments(db: dict[str, str]) -> None:
    one_clear_line(tagwire("stats", env={**db, "TAGWIRE_FETCH_TIMEOUT": "soon"}), "TAGWIRE_FETCH_TIMEOUT")
    one_clear_line(tagwire("page", "Anything", "--now", "yesterday-ish", env=db), "--now")
    one_clear_line(tagwire("add", "/no/such/file.opml", env=db), "no such file")
    one_clear_line(tagwire("extract", "/no/such/page.html", env=db), "cannot read")


def test_empty_store_answers_politely(db: dict[str, str]) -> None:
    page = tagwire("page", "PortStrike", "--json", env=db)
    assert page.returncode == 0 and json.loads(page.stdout)["stories"] == []
    assert json.loads(page.stdout)["heading"] == "Latest news with #PortStrike"
    fetch = tagwire("fetch", env=db)
    assert fetch.returncode == 0 and "tagwire add" in fetch.stderr
    assert json.loads(tagwire("stats", "--json", env=db).stdout)["articles"] == 0


def test_opml_import_and_export_round_trip(db: dict[str, str], tmp_path: Path) -> None:
    opml = tmp_path / "mine.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
        '<outline text="Harbor" xmlUrl="https://harbor.example/feed.xml"/>'
        '<outline text="Group"><outline text="Lake" xmlUrl="https://lake.example/rss"/></outline></body></opml>'
    )
    assert tagwire("add", "--anyway", str(opml), env=db).returncode == 0
    exported = tagwire("export-opml", env=db).stdout
    assert "https://harbor.example/feed.xml" in exported and "https://lake.example/rss" in exported
    listed = tagwire("sources", env=db).stdout
    assert "harbor.example" in listed
    assert [line.split("\t")[2] for line in listed.splitlines()] == ["new", "new"]  # never checked


def test_extract_jsonl_on_a_file() -> None:
    page = next(iter(sorted((FIXTURES / "pages").glob("*.html"))))
    result = tagwire("extract", "--jsonl", str(page))
    assert result.returncode == 0, result.stderr
    [row] = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["title"] and len(row["text"]) > 200 and row["outlet"]


def test_migrate_and_settings(db: dict[str, str]) -> None:
    assert tagwire("migrate", env=db).returncode == 0
    shown = tagwire("settings", env={**db, "TAGWIRE_API_TOKEN": "s3cret"}).stdout
    assert "TAGWIRE_DATABASE" in shown and "s3cret" not in shown


def test_analyze_reports_bad_lines_and_goes_on(db: dict[str, str], tmp_path: Path) -> None:
    rows = tmp_path / "in.jsonl"
    good = {
        "id": "a1",
        "url": "https://harbor.example/a1",
        "outlet": "Harbor Ledger",
        "title": "Ferry fares frozen",
        "text": "The harbour board froze ferry fares for the winter on Tuesday. " * 5,
        "published": "2025-03-04T09:00:00Z",
    }
    rows.write_text("not json\n[1, 2]\n" + json.dumps({"id": "x"}) + "\n" + json.dumps(good) + "\n")
    out = tmp_path / "out.jsonl"
    result = tagwire("analyze", str(rows), "--out", str(out), env=db)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert (
        "in.jsonl:1: skipped" in result.stderr and "in.jsonl:2: skipped: not a JSON object" in result.stderr
    )
    assert "in.jsonl:3: skipped: missing title, text" in result.stderr
    [decision] = [json.loads(line) for line in out.read_text().splitlines()]
    assert decision["id"] == "a1" and decision["match"]["kind"] == "new" and decision["copy_of"] is None


def test_sigterm_stops_a_fetch_and_keeps_what_it_finished(server: Server, db: dict[str, str]) -> None:
    """`timeout` or a service manager sends SIGTERM: the fetch stops at once with one line and
    exit status 143, and what it had finished (one quick feed's items, not yet written: a run
    writes every 2 s) is stored, while another feed still stalls."""
    feed = QUICK_FEED.replace(b"{base}", server.url("").encode())
    server.routes["/quick.xml"] = server.routes["/stall.xml"] = lambda h: h.reply(200, feed)
    env = {**db, "TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1"}
    assert tagwire("add", server.url("/quick.xml"), server.url("/stall.xml"), env=env).returncode == 0
    server.routes["/stall.xml"] = lambda h: (server.release.wait(30), h.reply(500))  # from now on
    before = len(server.paths())
    fetching = subprocess.Popen(
        [sys.executable, "-m", "tagwire", "fetch", "--feeds-only", "--no-understand"],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not {"/quick.xml", "/stall.xml"} <= set(server.paths()[before:]) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # the quick feed's items are read; the first write is due at 2 s
    fetching.send_signal(signal.SIGTERM)
    out, errors = fetching.communicate(timeout=60)
    assert fetching.returncode == 143, (out, errors)
    assert "Traceback" not in out + errors and "stopped (SIGTERM)" in errors
    stats = json.loads(tagwire("stats", "--json", env=env).stdout)
    assert stats["articles"] == 2


QUICK_FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Quay Times</title>
<item><title>Harbour crane repaired</title><link>{base}/news/1.html</link>
<description>The crane at the north quay works again after a week of repairs.</description></item>
<item><title>Ferry timetable changes</title><link>{base}/news/2.html</link>
<description>From Monday the early ferry leaves twenty minutes later.</description></item>
</channel></rss>"""


def test_serve_with_workers_answers_from_several_processes_and_stops_on_sigterm(db: dict[str, str]) -> None:
    """`tagwire serve --workers 2`: two web processes share the port; SIGTERM stops them all."""
    import urllib.request

    from tests.webserver import free_port

    assert tagwire("migrate", env=db).returncode == 0
    port = free_port()
    argv = [sys.executable, "-m", "tagwire", "serve", "--workers", "2", "--port", str(port)]
    serving = subprocess.Popen(argv, env={**os.environ, **db}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        statuses: list[int] = []
        deadline = time.monotonic() + 60
        while len(statuses) < 4 and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
                    statuses.append(answer.status)
            except OSError:
                time.sleep(0.3)
        pgrep = subprocess.run(["pgrep", "-P", str(serving.pid)], capture_output=True, text=True)
        children = pgrep.stdout.split()
    finally:
        serving.send_signal(signal.SIGTERM)
        out, errors = serving.communicate(timeout=60)
    assert statuses == [200] * 4
    assert len(children) >= 2  # the web processes, under uvicorn's supervisor
    assert "Traceback" not in (out + errors).decode(errors="replace")


# what only other commands need; `tagwire fetch` loading any of it would cost every run its start
NOT_FOR_FETCH = (
    "tagwire.serve",
    "tagwire.app.views",
    "tagwire.app.viewmodels",
    "tagwire.understand.engine",
    "pydantic",
    "pygments",
    "fastapi",
    "alembic",
    "sqlalchemy.dialects.postgresql",
    "feedparser",
    "trafilatura",
)
NOT_FOR_UNCHANGED = (
    "fastfeedparser",
    "tagwire.ingest.parse",
    "tagwire.ingest.normalize",
    "tagwire.understand",
)


def _modules_of_a_fetch(env: dict[str, str], listing: Path) -> tuple[str, set[str]]:
    """The stderr of `tagwire fetch --feeds-only --no-understand` and the modules it loaded."""
    code = (
        "import sys\nfrom tagwire.cli import main\ntry:\n    main()\n"
        f"finally:\n    open({str(listing)!r}, 'w').write('\\n'.join(sys.modules))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, "fetch", "--feeds-only", "--no-understand"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return run.stderr, set(listing.read_text().split())


def test_fetch_loads_only_what_fetching_needs(server: Server, db: dict[str, str], tmp_path: Path) -> None:
    """Each command imports what it runs: a fetch of feeds (the command run most, by timers
    every few minutes) starts without the web views, their models, understanding or Alembic;
    one that finds every feed unchanged (304) does not even load the parsers."""
    feed = QUICK_FEED.replace(b"{base}", server.url("").encode())
    server.routes["/quick.xml"] = lambda h: (
        h.reply(304) if h.headers.get("If-None-Match") == '"v1"' else h.reply(200, feed, ETag='"v1"')
    )
    env = {**db, "TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1"}
    assert tagwire("add", server.url("/quick.xml"), env=env).returncode == 0
    said, loaded = _modules_of_a_fetch(env, tmp_path / "modules.txt")
    assert "2 new articles" in said, said
    assert {"tagwire.app.fetching", "httpx", "fastfeedparser"} <= loaded  # the listing is real
    assert not [m for m in loaded if m.startswith(NOT_FOR_FETCH)]
    said, loaded = _modules_of_a_fetch(env, tmp_path / "again.txt")
    assert "1 unchanged (304)" in said, said
    assert "tagwire.app.fetching" in loaded
    assert not [m for m in loaded if m.startswith((*NOT_FOR_FETCH, *NOT_FOR_UNCHANGED))]
