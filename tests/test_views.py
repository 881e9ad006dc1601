"""The typed views (app/views.py, app/viewmodels.py) over a real SQLite store, served by a real
uvicorn on 127.0.0.1: every GET route under /api names its model in /openapi.json and answers JSON
that this schema describes exactly (each key declared, in the declared order, of the declared type);
times are ISO 8601 UTC to the second and enums their strings; and a source's status is the same in
`tagwire sources`, /sources and /api/sources, whatever its state.

The store holds invented outlets: a story of a first report, a syndicated copy and an independent
report; sources in each state (new, ok, error, held); a quarantined article; two follows."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from tagwire.app import views
from tagwire.app.viewmodels import MatchView, Problem, SourceView
from tagwire.config import load
from tagwire.models import Article, Match, MatchKind, Source, SourceStatus
from tagwire.serve.app import create_app
from tagwire.store import Repository, open_store
from tests.helpers import record_error, record_success
from tests.webserver import running

NOW = datetime.now(UTC).replace(microsecond=0)  # the CLI reads the clock: the states are set around it
TOKEN = "views-token-5d1c"
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
Schema = dict[str, Any]


@dataclass
class World:
    story: int
    outlet: str
    sources: dict[SourceStatus, Source]


def article(outlet: str, title: str, age: timedelta, source: Source | None = None) -> Article:
    slug = re.sub(r"\W+", "-", title.lower()).strip("-")
    url = f"https://{outlet.lower().replace(' ', '')}.example/{slug}"
    return Article(
        url=url,
        outlet=outlet,
        title=title,
        published=NOW - age,
        summary=f"{title}, as {outlet} tells it.",
        content_hash=slug,
        source_id=source.id if source else None,
        section="Local",
    )


def understood(repo: Repository, a: Article, tags: list[str], story: int | None, match: Match) -> int:
    """Record an article as understanding does: its hashtags, its match and its story."""
    a.hashtags, a.story_id, a.match = tags, story, match
    with repo.understanding() as decisions:
        decisions.save(a, bands=[], signature=b"", features="{}", terms=a.title.lower().split())
    assert a.story_id is not None
    return a.story_id


def add_sources(repo: Repository) -> dict[SourceStatus, Source]:
    """One feed in each state: never checked, checked fine, failing twice, held by a Retry-After
    two hours from now (a 429, so it has failed too), read but none of its pages (degraded)."""
    made = {
        s: repo.add_source(f"https://{s.value}.example/feed.xml", title=f"{s.value} feed", now=NOW)[0]
        for s in SourceStatus
    }
    soon = NOW + timedelta(minutes=25)
    made[SourceStatus.OK].items_seen = 12
    record_success(
        repo, made[SourceStatus.OK], checked=NOW - timedelta(minutes=5), next_check=soon, problem=None
    )
    for _ in range(2):
        record_error(repo, made[SourceStatus.ERROR], "HTTP 500", status=500, checked=NOW, next_check=soon)
    held = NOW + timedelta(hours=2)
    record_error(
        repo, made[SourceStatus.HELD], "HTTP 429", status=429, checked=NOW, next_check=held, hold_until=held
    )
    degraded = made[SourceStatus.DEGRADED]
    degraded.page_error = "none of its 3 new article pages could be read: 3 DNS (could not resolve x.example)"
    record_success(repo, degraded, checked=NOW - timedelta(minutes=5), next_check=soon, problem=None)
    return {s: next(x for x in repo.sources() if x.id == made[s].id) for s in SourceStatus}


def fill(repo: Repository) -> World:
    sources = add_sources(repo)
    first = article("Lakeside Herald", "River towns agree to share flood sensors", timedelta(hours=3))
    copy = article("Hilltop Times", "River towns to share flood sensors", timedelta(hours=2))
    own = article("Coastal Post", "Flood sensor pact signed", timedelta(hours=1), sources[SourceStatus.OK])
    stuck = article(
        "Coastal Post", "A page understanding gave up on", timedelta(hours=1), sources[SourceStatus.OK]
    )
    first.wire_origin = copy.wire_origin = "Northwind Wire"
    repo.add_articles([first, copy, own, stuck], fetched_at=NOW)
    story = understood(repo, first, ["FloodSensors"], None, Match(MatchKind.NEW))
    copy.copy_of = first.id
    understood(repo, copy, ["FloodSensors"], story, Match(MatchKind.COPY, 0.93, first.id))
    understood(repo, own, ["FloodSensors", "Coasts"], story, Match(MatchKind.STORY, 0.61, first.id))
    with repo.understanding() as decisions:
        decisions.quarantine(stuck, "over its time budget")
    repo.add_follow("tag", "FloodSensors", "https://hooks.example/a", "s" * 16, now=NOW)
    repo.add_follow("search", "flood OR sensors", "https://hooks.example/b", "s" * 16, now=NOW)
    return World(story, "Coastal Post", sources)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Repository, World]]:
    db = tmp_path_factory.mktemp("views") / "tagwire.db"
    repo = open_store(str(db))
    world = fill(repo)
    yield db, repo, world
    repo.close()


@pytest.fixture(scope="module")
def http(store: tuple[Path, Repository, World]) -> Iterator[httpx.Client]:
    db, repo, _ = store
    app = create_app(load({"TAGWIRE_DATABASE": str(db), "TAGWIRE_API_TOKEN": TOKEN}), repo)
    with running(app) as base, httpx.Client(base_url=base) as client:
        yield client


@pytest.fixture(scope="module")
def world(store: tuple[Path, Repository, World]) -> World:
    return store[2]


# JSON against the declared schema ---------------------------------------------------------------


def mismatches(value: Any, schema: Schema, defs: dict[str, Schema], at: str = "$") -> list[str]:
    """Where `value` (parsed JSON) departs from `schema` (OpenAPI 3.1, as FastAPI writes it from
    pydantic): a key undeclared, missing or out of the declared order, a wrong type, a bad enum
    value, a date-time not written as the views write times. Empty when it conforms."""
    if "$ref" in schema:
        return mismatches(value, defs[schema["$ref"].rsplit("/", 1)[1]], defs, at)
    if "anyOf" in schema:
        options = [mismatches(value, option, defs, at) for option in schema["anyOf"]]
        return [] if [] in options else [f"{at}: {value!r} is none of {schema['anyOf']}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{at}: {value!r} is not one of {schema['enum']}"]
    if schema.get("type") == "object":
        return _object_mismatches(value, schema, defs, at)
    if schema.get("type") == "array":
        if not isinstance(value, list):
            return [f"{at}: {value!r} is not an array"]
        return [m for i, v in enumerate(value) for m in mismatches(v, schema["items"], defs, f"{at}[{i}]")]
    return _scalar_mismatches(value, schema, at)


def _object_mismatches(value: Any, schema: Schema, defs: dict[str, Schema], at: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{at}: {value!r} is not an object"]
    declared = schema.get("properties", {})
    found = [f"{at}: {k!r} is not declared" for k in value if k not in declared]
    found += [f"{at}: {k!r} is missing" for k in schema.get("required", []) if k not in value]
    if [k for k in value if k in declared] != [k for k in declared if k in value]:
        found.append(f"{at}: keys out of the declared order")
    if schema.get("additionalProperties") is not False:
        found.append(f"{at}: {schema.get('title')} does not forbid other keys")
    inside = (mismatches(v, declared[k], defs, f"{at}.{k}") for k, v in value.items() if k in declared)
    return found + [m for ms in inside for m in ms]


def _scalar_mismatches(value: Any, schema: Schema, at: str) -> list[str]:
    kind = schema.get("type")
    types = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "null": type(None)}
    if kind not in types:
        return [f"{at}: the schema gives no type ({schema})"]
    if not isinstance(value, types[kind]) or (isinstance(value, bool) and kind != "boolean"):
        return [f"{at}: {value!r} is not a {kind}"]
    if schema.get("format") == "date-time" and not ISO.match(value):
        return [f"{at}: {value!r} is not YYYY-MM-DDTHH:MM:SSZ"]
    return []


def api_urls(world: World) -> dict[str, list[str]]:
    """For each GET route under /api, addresses that answer 200 on this store."""
    return {
        "/api/tags/{tag}": ["/api/tags/FloodSensors", "/api/tags/Nowhere"],
        "/api/latest": ["/api/latest", "/api/latest?page=2"],
        "/api/stories/{story_id}": [f"/api/stories/{world.story}"],
        "/api/trending": ["/api/trending"],
        "/api/outlets/{outlet}": [f"/api/outlets/{world.outlet}"],
        "/api/sources": ["/api/sources"],
        "/api/search": ["/api/search?q=flood", "/api/search?q=nothingmatches"],
        "/api/follows": ["/api/follows"],
    }


def test_every_api_get_route_answers_what_its_named_model_describes(http: httpx.Client, world: World) -> None:
    spec = http.get("/openapi.json").json()
    defs = spec["components"]["schemas"]
    routes = {p: ops["get"] for p, ops in spec["paths"].items() if p.startswith("/api/") and "get" in ops}
    urls = api_urls(world)
    assert set(routes) == set(urls)  # every GET route under /api is checked here, and no other
    for path, operation in routes.items():
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert set(schema) == {"$ref"}, path  # a named model, its fields in components
        for url in urls[path]:
            r = http.get(url, headers={"Authorization": f"Bearer {TOKEN}"})
            assert r.status_code == 200, (url, r.text)
            assert mismatches(r.json(), schema, defs) == [], url


def test_the_schema_check_catches_what_it_is_for(http: httpx.Client, world: World) -> None:
    defs = http.get("/openapi.json").json()["components"]["schemas"]
    story = {"$ref": "#/components/schemas/StoryView"}
    good = http.get(f"/api/stories/{world.story}").json()
    first = good["articles"][0]
    assert mismatches(good, story, defs) == []
    bad = {
        "$: keys out of the declared order": {"headline": "h", **good},
        "$: 'extra' is not declared": {**good, "extra": 1},
        "$: 'age' is missing": {k: v for k, v in good.items() if k != "age"},
        "$.published: '2025-06-10T12:00:00+00:00' is not YYYY-MM-DDTHH:MM:SSZ": {
            **good,
            "published": "2025-06-10T12:00:00+00:00",
        },
        "$.id: True is not a integer": {**good, "id": True},
        "$.articles[0].match: {": {**good, "articles": [{**first, "match": {**first["match"], "kind": "x"}}]},
    }
    for problem, value in bad.items():
        found = mismatches(value, story, defs)
        assert len(found) == 1 and found[0].startswith(problem), (problem, found)


def test_views_keep_datetimes_and_write_them_as_iso_utc(store: tuple[Path, Repository, World]) -> None:
    _, repo, world = store
    found = views.story_page(repo, world.story, NOW)
    assert found is not None and isinstance(found.published, datetime)
    assert [a.match.kind for a in found.articles if a.match] == [
        MatchKind.STORY,
        MatchKind.COPY,
        MatchKind.NEW,
    ]
    data = found.model_dump(mode="json")
    newest = NOW - timedelta(hours=1)
    assert data["published"] == newest.strftime("%Y-%m-%dT%H:%M:%SZ") and data["age"] == "1 hour ago"
    assert [a["match"]["kind"] for a in data["articles"]] == ["story", "copy", "new"]
    tokyo = datetime(2025, 6, 10, 21, 0, 0, 987654, tzinfo=timezone(timedelta(hours=9)))
    problem = Problem(id=1, url="u", outlet="o", title="t", published=tokyo, source_id=None, reason=None)
    assert problem.model_dump(mode="json")["published"] == "2025-06-10T12:00:00Z"
    assert problem.model_dump()["published"] == tokyo  # a datetime until written as JSON
    with pytest.raises(ValidationError):
        found.headline = "changed"  # frozen: a memoised view stays as built
    with pytest.raises(ValidationError):
        MatchView.model_validate({"kind": "copied", "score": 1.0, "of": None})


def test_cli_page_json_is_the_api_json(http: httpx.Client, store: tuple[Path, Repository, World]) -> None:
    db = store[0]
    at = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
    printed = tagwire("page", "FloodSensors", "--json", "--now", at, db=db)
    assert printed.returncode == 0, printed.stderr
    served = http.get("/api/tags/FloodSensors", params={"now": at})
    assert printed.stdout == _indented(served.json())


def _indented(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# one status per source, wherever it is shown ----------------------------------------------------


def tagwire(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TAGWIRE_DATABASE": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "tagwire", *args], capture_output=True, text=True, env=env, timeout=120
    )


def cli_statuses(db: Path) -> dict[int, str]:
    """`tagwire sources` (not on a terminal: a tab-separated line a source): id -> status word."""
    listed = tagwire("sources", db=db)
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    return {int(row[0]): row[2].split(" (")[0] for row in rows}


def page_statuses(http: httpx.Client) -> dict[int, str]:
    """/sources: each source's card and the status it shows."""
    page = http.get("/sources").text
    cards = re.findall(r'id="source-(\d+)">\s*<p class="meta"><span class="status status-(\w+)">(\w+)<', page)
    assert all(cls == word for _, cls, word in cards)
    return {int(i): html.unescape(word) for i, _, word in cards}


def test_cli_page_and_api_show_the_same_status_for_every_source(
    http: httpx.Client, store: tuple[Path, Repository, World], world: World
) -> None:
    """All three read the clock (no ?now=), and the states were set around it with hours to spare."""
    api = {s["id"]: s["status"] for s in http.get("/api/sources").json()["sources"]}
    expected = {s.id: status.value for status, s in world.sources.items()}
    assert api == expected  # new, ok, error and held, each where it was set up
    assert page_statuses(http) == api
    assert cli_statuses(store[0]) == api


def test_cli_sources_keeps_its_columns(store: tuple[Path, Repository, World], world: World) -> None:
    listed = tagwire("sources", db=store[0]).stdout.splitlines()
    rows = {int(line.split("\t")[0]): line.split("\t") for line in listed}
    error, held, ok = (
        rows[world.sources[s].id or 0] for s in (SourceStatus.ERROR, SourceStatus.HELD, SourceStatus.OK)
    )
    assert (
        error[1:3] == ["error feed https://error.example/feed.xml", "error (2x)"] and error[6] == "HTTP 500"
    )
    assert held[2] == "held (1x)" and held[6] == "HTTP 429"
    assert ok[2] == "ok" and ok[3] == "12 (1 quarantined)" and ok[4] != "-"
    assert rows[world.sources[SourceStatus.NEW].id or 0][2:6] == ["new", "0", "-", "-"]


def test_source_view_is_held_only_while_the_hold_lasts(world: World) -> None:
    held = world.sources[SourceStatus.HELD]
    assert held.hold_until is not None
    now, later = views.source_view(held, NOW), views.source_view(held, held.hold_until + timedelta(seconds=1))
    assert (now.status, later.status) == (SourceStatus.HELD, SourceStatus.ERROR)
    assert isinstance(now, SourceView) and now.model_dump(mode="json")["status"] == "held"
