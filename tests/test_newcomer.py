"""The first ten minutes (issue 13): `tagwire add` checks what it follows, `tagwire remove` and
DELETE /api/sources/{id} stop following, hashtags are found in any case or spacing, `tagwire
tags` lists them, the servers say where they listen and a busy port is one clear line, tables
keep whole URLs in an 80-column terminal, and page failures are named by their cause. Real HTTP
on loopback, real SQLite (and PostgreSQL for the store parts when asked), the real CLI."""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tagwire.app import views
from tagwire.app.sources import remove_source
from tagwire.models import Match, MatchKind, SourceStatus
from tagwire.serve.app import create_app
from tagwire.store import Repository, open_store
from tests.conftest import BACKENDS
from tests.helpers import tagwire, understand
from tests.test_store import art
from tests.webserver import FEED, Handler, Server, feed_route, free_port, running, settings

T0 = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
both = pytest.mark.parametrize("database", BACKENDS, indirect=True)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"TAGWIRE_DATABASE": str(tmp_path / "tw.db"), "TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1"}


def listed(env: dict[str, str]) -> str:
    return tagwire("sources", env=env).stdout


def html_route(handler: Handler) -> None:
    handler.reply(200, b"<html><head><title>Hi</title></head><body>No feed here</body></html>")


def error_route(status: int) -> object:
    def route(handler: Handler) -> None:
        handler.reply(status, b"busy")

    return route


# tagwire add ---------------------------------------------------------------------------------


def test_add_refuses_a_404_a_non_feed_and_other_schemes(server: Server, env: dict[str, str]) -> None:
    server.routes["/page.html"] = html_route
    for target, words in (
        (server.url("/gone.rss"), ("404",)),
        (server.url("/page.html"), ("is not a feed",)),
        ("ftp://127.0.0.1/feed.xml", ("only http and https",)),
        ("htp://typo.example/feed.xml", ("only http and https",)),
    ):
        result = tagwire("add", target, env=env)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert [line for line in result.stderr.splitlines() if line.strip()] == [
            line for line in result.stderr.splitlines() if line.startswith("error: refused " + target)
        ]
        assert all(w in result.stderr for w in words), result.stderr
        assert target not in listed(env)


def test_add_goes_on_past_a_bad_argument_and_sums_up(
    server: Server, env: dict[str, str], tmp_path: Path
) -> None:
    server.routes["/a.rss"] = server.routes["/b.rss"] = feed_route
    result = tagwire(
        "add", server.url("/a.rss"), str(tmp_path / "missing.opml"), server.url("/b.rss"), env=env
    )
    assert result.returncode == 1
    assert "missing.opml: no such file" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "2 added, 0 already followed, 1 refused"
    assert "added: Harbour Gazette " + server.url("/a.rss") in result.stdout
    shown = listed(env)
    assert server.url("/a.rss") in shown and server.url("/b.rss") in shown


def test_opml_entries_are_checked_alike_and_a_bad_file_is_named(
    server: Server, env: dict[str, str], tmp_path: Path
) -> None:
    server.routes["/good.rss"] = feed_route
    opml = tmp_path / "mine.opml"
    entries = [server.url("/good.rss"), server.url("/gone.rss"), "not a url"]
    opml.write_text("<opml><body>" + "".join(f'<outline xmlUrl="{u}"/>' for u in entries) + "</body></opml>")
    result = tagwire("add", str(opml), env=env)
    assert result.returncode == 1
    assert "1 added, 0 already followed, 2 refused" in result.stderr
    assert "refused 'not a url'" not in result.stderr and "refused not a url: only http" in result.stderr
    assert [line.split("\t")[1] for line in listed(env).splitlines()] == ["Harbour Gazette " + entries[0]]
    broken = tmp_path / "broken.opml"
    broken.write_text("<opml><body><outline")
    result = tagwire("add", str(broken), env=env)
    assert result.returncode == 1 and f"{broken} is not an OPML file" in result.stderr


def test_an_outlet_down_now_is_followed_with_a_note_and_anyway_follows_the_rest(
    server: Server, env: dict[str, str]
) -> None:
    server.routes["/down.rss"] = error_route(503)  # type: ignore[assignment]
    result = tagwire("add", server.url("/down.rss"), env=env)
    assert result.returncode == 0 and "could not check it now" in result.stderr and "503" in result.stderr
    result = tagwire("add", "--anyway", server.url("/gone.rss"), env=env)
    assert result.returncode == 0 and "404" in result.stderr
    assert "ftp://" not in tagwire("add", "--anyway", "ftp://127.0.0.1/x", env=env).stdout
    assert server.url("/gone.rss") in listed(env)


def test_a_feed_followed_again_gets_the_title_its_first_check_missed(
    server: Server, env: dict[str, str]
) -> None:
    server.routes["/late.rss"] = error_route(500)  # type: ignore[assignment]
    assert tagwire("add", server.url("/late.rss"), env=env).returncode == 0
    assert "Harbour Gazette" not in listed(env)
    server.routes["/late.rss"] = feed_route
    again = tagwire("add", server.url("/late.rss"), env=env)
    assert again.returncode == 0 and "already followed: Harbour Gazette" in again.stdout
    assert "Harbour Gazette" in listed(env)


def test_add_json_for_scripts(server: Server, env: dict[str, str]) -> None:
    server.routes["/a.rss"] = feed_route
    result = tagwire("add", "--json", server.url("/a.rss"), server.url("/nope"), env=env)
    report = json.loads(result.stdout)
    assert (report["added"], report["refused"], result.returncode) == (1, 1, 1)
    assert [r["state"] for r in report["results"]] == ["added", "refused"]


# tagwire remove, DELETE /api/sources/{id} -------------------------------------------------------


def test_remove_by_url_or_id_keeps_articles_unless_purged(server: Server, env: dict[str, str]) -> None:
    server.routes["/a.rss"] = server.routes["/b.rss"] = feed_route
    tagwire("add", server.url("/a.rss"), server.url("/b.rss"), env=env)
    gone = tagwire("remove", server.url("/a.rss"), env=env)
    assert gone.returncode == 0 and "no longer fetched; its articles stay (0 articles;" in gone.stdout
    [row] = [line.split("\t") for line in listed(env).splitlines()]
    assert row[1].endswith(server.url("/b.rss"))
    assert tagwire("remove", row[0], "--purge", env=env).returncode == 0
    assert listed(env) == ""
    missing = tagwire("remove", "42", env=env)
    assert missing.returncode == 1 and "not followed: 42" in missing.stderr


@both
def test_purge_removes_what_only_the_source_carried(repo: Repository) -> None:
    gone, _ = repo.add_source("https://gone.example/feed", now=T0)
    kept, _ = repo.add_source("https://kept.example/feed", now=T0)
    own, shared_a, shared_b, copy = (
        art("https://gone.example/1", text_="own report"),
        art("https://gone.example/2", text_="shared first", minutes=10),
        art("https://kept.example/3", "Lakeside Daily", text_="shared later", minutes=40),
        art("https://kept.example/4", "Lakeside Daily", text_="a copy", minutes=50),
    )
    for a, s in ((own, gone), (shared_a, gone), (shared_b, kept), (copy, kept)):
        a.source_id = s.id
    repo.add_articles([own, shared_a, shared_b, copy], fetched_at=T0)
    alone = understand(repo, own, ["Aldoria"], None, Match(MatchKind.NEW, 0.0, None))
    story = understand(repo, shared_a, ["Norvesta"], None, Match(MatchKind.NEW, 0.0, None))
    understand(repo, shared_b, ["Norvesta"], story, Match(MatchKind.STORY, 0.5, shared_a.id))
    copy.copy_of = shared_a.id
    understand(repo, copy, ["Norvesta"], story, Match(MatchKind.COPY, 0.9, shared_a.id))
    kept_result = remove_source(repo, "https://kept.example/feed")
    assert (kept_result.found, kept_result.kept, kept_result.purged) == (True, 2, 0)
    assert [s.url for s in repo.sources()] == ["https://gone.example/feed"]
    assert repo.stats()["articles"] == 4  # kept, no longer linked to a source
    done = remove_source(repo, gone.id or 0, purge=True)
    assert (done.purged, done.stories_purged) == (2, 1)
    assert repo.stories([alone]) == [] and repo.canonical_tag("aldoria") is None
    [left] = repo.stories([story])
    assert [a.url for a in left.articles] == [copy.url, shared_b.url]
    assert left.first_published == shared_b.published and all(a.copy_of is None for a in left.articles)
    assert all(a.match is None or a.match.of is None for a in left.articles)


def test_delete_api_needs_the_token(tmp_path: Path) -> None:
    database = str(tmp_path / "tw.db")
    repo = open_store(database)
    source, _ = repo.add_source("https://harbor.example/feed.xml", now=T0)
    app = create_app(settings(database=database, api_token="s3cret"), repo)
    with running(app) as base, httpx.Client(base_url=base) as http:
        assert http.delete(f"/api/sources/{source.id}").status_code == 401
        auth = {"Authorization": "Bearer s3cret"}
        assert http.delete("/api/sources/999", headers=auth).status_code == 404
        done = http.delete(f"/api/sources/{source.id}", params={"purge": "true"}, headers=auth)
        assert done.status_code == 200 and done.json()["url"] == "https://harbor.example/feed.xml"
        assert http.get("/api/sources").json()["sources"] == []
    repo.close()


# hashtags -------------------------------------------------------------------------------------


@pytest.fixture
def tagged(tmp_path: Path) -> Iterator[tuple[Repository, str]]:
    database = str(tmp_path / "tw.db")
    repo = open_store(database)
    for i, tags in enumerate((["StateOfTheUnion", "Aldoria"], ["Aldoria"], ["AldoriaCup"], ["Norvesta"])):
        a = art(f"https://h.example/{i}", text_=f"text {i}", minutes=i)
        repo.add_articles([a], fetched_at=T0)
        understand(repo, a, tags, None, Match(MatchKind.NEW, 0.0, None))
    yield repo, database
    repo.close()


def test_tags_found_whatever_their_case_or_spacing(tagged: tuple[Repository, str]) -> None:
    repo, _ = tagged
    now = T0 + timedelta(hours=1)
    assert views.tag_page(repo, "state of the union", now).tag == "StateOfTheUnion"
    assert len(views.tag_page(repo, "#ALDORIA", now).stories) == 2
    unknown = views.tag_page(repo, "Aldorai", now)
    assert unknown.stories == () and unknown.suggestions[0] == "Aldoria"
    assert "AldoriaCup" in views.tag_page(repo, "cup", now).suggestions
    assert [(t.tag, t.stories) for t in views.tags_page(repo, 2).tags] == [
        ("Aldoria", 2),
        ("Norvesta", 1),
    ]  # ties: latest used first


def test_tag_pages_redirect_to_the_stored_spelling(tagged: tuple[Repository, str]) -> None:
    repo, database = tagged
    with running(create_app(settings(database=database), repo)) as base, httpx.Client(base_url=base) as http:
        moved = http.get("/tag/aldoria", params={"now": "2025-03-04T10:00:00Z"})
        assert (
            moved.status_code == 308
            and moved.headers["location"] == "/tag/Aldoria?now=2025-03-04T10%3A00%3A00Z"
        )
        assert http.get("/api/tags/state of the union").json()["tag"] == "StateOfTheUnion"
        page = http.get("/tag/Aldorai").text
        assert "Did you mean" in page and 'href="/tag/Aldoria"' in page
        home = http.get("/").text
        assert "Most used hashtags" in home and 'href="/tag/Aldoria">#Aldoria</a>' in home
        assert http.get("/tag/aldoria.rss").status_code == 200


def test_tags_command_lists_counts_and_json(tagged: tuple[Repository, str]) -> None:
    _, database = tagged
    env = {"TAGWIRE_DATABASE": database}
    rows = [line.split("\t") for line in tagwire("tags", "--top", "2", env=env).stdout.splitlines()]
    assert [r[:2] for r in rows] == [["#Aldoria", "2"], ["#Norvesta", "1"]]
    data = json.loads(tagwire("tags", "--json", env=env).stdout)
    assert {t["tag"]: t["stories"] for t in data["tags"]}["Norvesta"] == 1
    page = tagwire("page", "state of the union", env=env).stdout
    assert "Latest news with #StateOfTheUnion" in page
    near = tagwire("page", "norvsta", env=env).stdout
    assert "No stories yet." in near and "Did you mean #Norvesta?" in near


# servers --------------------------------------------------------------------------------------


def start(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], list[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tagwire", *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout or ()), daemon=True).start()
    return proc, lines


def stop(proc: subprocess.Popen[str], wait: float = 30) -> None:
    proc.terminate()
    proc.wait(wait)
    if proc.stdout is not None:
        proc.stdout.close()


def wait_for(lines: list[str], text: str, proc: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + 60
    while text not in "".join(lines) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    return "".join(lines)


@pytest.mark.parametrize("command", ["serve", "run"])
def test_servers_say_where_they_listen_and_a_busy_port_is_one_line(command: str, env: dict[str, str]) -> None:
    tagwire("migrate", env=env)
    port = free_port()
    proc, lines = start([command, "--port", str(port)], env)
    try:
        seen = wait_for(lines, f"http://127.0.0.1:{port}/", proc)
        assert f"serving http://127.0.0.1:{port}/" in seen, seen
        assert httpx.get(f"http://127.0.0.1:{port}/api/sources").status_code == 200
        busy = tagwire(command, "--port", str(port), env=env)
        assert busy.returncode == 1 and busy.stdout == ""
        assert busy.stderr.strip() == (
            f"error: port {port} is in use on 127.0.0.1 (another program listens on it): "
            "choose another with --port"
        )
    finally:
        stop(proc)


def test_demo_checks_its_port_before_anything() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = tagwire("demo", "--port", str(port))
    assert result.returncode == 1 and "sample outlets" not in result.stderr
    assert f"port {port} is in use" in result.stderr and "--port" in result.stderr


def test_demo_removes_its_database_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    proc, lines = start(["demo", "--port", str(port)], {"TMPDIR": str(tmp_path)})
    try:
        seen = wait_for(lines, "Open http://", proc)
        assert f"Open http://127.0.0.1:{port}/tag/" in seen, seen
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith("tagwire-demo-")]
    finally:
        stop(proc, 60)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("tagwire-demo-")]


# tables ---------------------------------------------------------------------------------------


def in_a_terminal(args: list[str], env: dict[str, str], columns: int = 80) -> str:
    """What the command shows in a pseudo-terminal `columns` wide (through `script`)."""
    command = " ".join(map(shlex.quote, [sys.executable, "-m", "tagwire", *args]))
    shown = subprocess.run(
        ["script", "-qc", command, "/dev/null"],
        env={**os.environ, **env, "COLUMNS": str(columns)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.stdout.replace("\r\n", "\n"))


def test_tables_keep_whole_urls_and_names_in_80_columns(server: Server, env: dict[str, str]) -> None:
    long = "/feeds/" + "a-very-long-feed-address-" * 4 + ".rss"
    server.routes[long] = feed_route
    tagwire("add", server.url(long), env=env)
    shown = in_a_terminal(["sources"], env)
    assert "    url: " + server.url(long) in shown.splitlines(), shown  # whole, on a line of its own
    assert "    name: Harbour Gazette" in shown.splitlines()
    settings_shown = in_a_terminal(["settings"], env)
    assert f"TAGWIRE_DATABASE = {env['TAGWIRE_DATABASE']}" in settings_shown
    assert "TAGWIRE_ALLOW_PRIVATE_NETWORKS = True" in settings_shown
    assert json.loads(tagwire("sources", "--json", env=env).stdout)[0]["url"] == server.url(long)
    assert {"variable", "value", "meaning"} <= set(
        json.loads(tagwire("settings", "--json", env=env).stdout)[0]
    )
    assert json.loads(tagwire("follows", "--json", env=env).stdout) == {"follows": []}


# page failures --------------------------------------------------------------------------------


def test_page_failures_named_by_cause_and_such_a_source_is_degraded(
    server: Server, env: dict[str, str]
) -> None:
    closed = free_port()  # nothing listens there: robots.txt and pages are refused connections
    items = "".join(
        f"<item><title>Story {i}</title><link>http://127.0.0.1:{closed}/story-{i}.html</link>"
        f"<description>Summary {i}</description><pubDate>Tue, 04 Mar 2025 09:0{i}:00 GMT</pubDate></item>"
        for i in range(3)
    )
    body = FEED.replace(b"</channel>", items.encode() + b"</channel>")
    server.routes["/dead-links.rss"] = lambda h: h.reply(200, body, Content_Type="application/rss+xml")
    tagwire("add", server.url("/dead-links.rss"), env=env)
    fetched = tagwire("fetch", "--no-understand", env=env)
    assert "3 article pages not read (3 connection refused; feed summaries kept)" in fetched.stderr, (
        fetched.stderr
    )
    assert "robots.txt" not in fetched.stderr.split("\n")[0]
    [row] = [line.split("\t") for line in listed(env).splitlines()]
    assert row[2] == SourceStatus.DEGRADED
    assert row[6].startswith("none of its 3 new article pages could be read: 3 connection refused")


# summaries ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "description",
    [
        "&lt;p&gt;omissions of fact in document&lt;/p&gt;&lt;p&gt;The FBI said on Wednesday&lt;/p&gt;",
        "<![CDATA[<p class='standfirst'>omissions of fact in document</p><p>The FBI said on Wednesday</p>]]>",
        "<![CDATA[<div>omissions of fact in document</div>The FBI said on Wednesday]]>",
    ],
)
def test_a_summary_keeps_a_space_between_standfirst_and_body(description: str) -> None:
    from tagwire.ingest.parse import parse_feed

    feed = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><item><title>x</title>"
        f"<link>https://a.example/1</link><description>{description}</description></item></channel></rss>"
    )
    [item] = parse_feed(feed.encode(), "https://a.example/feed").items
    assert item.summary == "omissions of fact in document The FBI said on Wednesday"


def test_an_unknown_tag_typed_with_spaces_is_written_as_a_hashtag(tagged: tuple[Repository, str]) -> None:
    repo, _ = tagged
    page = views.tag_page(repo, "state of the onion", T0)
    assert (page.tag, page.heading, page.stories) == (
        "StateOfTheOnion",
        "Latest news with #StateOfTheOnion",
        (),
    )
    assert page.suggestions == ("StateOfTheUnion",)
    assert views.tag_page(repo, "#nothing", T0).tag == "nothing"
