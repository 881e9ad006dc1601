"""Feeds out (/tag/{tag}.rss|.atom|.json) over a real SQLite store, served by a real uvicorn on
127.0.0.1, read with httpx and judged by feedparser.

The store holds invented outlets: a three-outlet story, an old story whose title carries a control
character XML cannot hold, and a newest story whose title and summary are hostile HTML and which
carries ten hashtags; all three carry #FloodSensors."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import feedparser
import httpx
import pytest
from fastapi import FastAPI
from starlette.routing import BaseRoute

from tagwire.app import views
from tagwire.app.viewmodels import ArticleView, MatchView
from tagwire.config import load
from tagwire.models import Article, Match, MatchKind
from tagwire.serve import feeds
from tagwire.serve.app import create_app
from tagwire.store import Repository, open_store
from tests.helpers import understand
from tests.webserver import running

NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)
HOSTILE = "<img src=x onerror=alert(1)> Harbour fees rise"
HOSTILE_SUMMARY = '<script>alert("s")</script> & more'
FLOOD_TITLES = [
    "Flood Sensor Pact Signed by River Towns",
    "River towns to share flood sensors amid storms",
    "River towns agree to share flood sensors",
]
GRANARY = "Granary budget\x0b doubles"
MANY_TAGS = ["FloodSensors", "Mischief", *(f"Extra{i}" for i in range(8))]
FORMATS = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}


# a store filled through the real repository ---------------------------------------------------


def view(url: str, **fields: object) -> ArticleView:
    """An article as the views show it: `url`, no copy or match unless given, the rest invented."""
    plain = dict(id=None, outlet="Lakeside Herald", title="Flood", category=None, published=NOW, age="")
    plain.update(wire_origin=None, copy_of=None, hashtags=(), summary="", language=None, match=None)
    return ArticleView.model_validate({**plain, "url": url, **fields})


def article(outlet: str, title: str, published: datetime, **extra: Any) -> Article:
    slug = re.sub(r"\W+", "-", title.lower()).strip("-")
    url = f"https://{outlet.lower().replace(' ', '')}.example/{slug}"
    summary = f"{title}. Reported by {outlet}."
    return Article(url=url, outlet=outlet, title=title, published=published, summary=summary, **extra)


@dataclass
class World:
    flood: int
    granary: int
    hostile: int


def fill(repo: Repository) -> World:
    first, copy, own = (
        article("Lakeside Herald", FLOOD_TITLES[2], NOW - timedelta(days=3, hours=2)),
        article("Hilltop Times", FLOOD_TITLES[1], NOW - timedelta(days=3, hours=1)),
        article("Coastal Post", FLOOD_TITLES[0], NOW - timedelta(days=3)),
    )
    granary = article("Prairie Ledger", GRANARY, NOW - timedelta(days=20))
    hostile = article("Mischief Daily", HOSTILE, NOW - timedelta(hours=1))
    hostile.summary = HOSTILE_SUMMARY
    repo.add_articles([first, copy, own, granary, hostile], fetched_at=NOW)
    tags = ["FloodSensors", "RiverTowns"]
    flood = understand(repo, first, tags, None, Match("new"))
    copy.copy_of = first.id
    understand(repo, copy, tags, flood, Match("copy", 0.934, first.id))
    understand(repo, own, [*tags, "CoastalPost"], flood, Match("story", 0.617, first.id))
    granary_id = understand(repo, granary, ["FloodSensors", "Granaries"], None, Match("new"))
    return World(flood, granary_id, understand(repo, hostile, MANY_TAGS, None, Match("new")))


def with_feeds(app: FastAPI) -> FastAPI:
    """The app with the feed routes ahead of pages' /tag/{tag} (unless create_app has them already)."""
    paths = {getattr(r, "path", None) for r in app.router.routes}
    if "/tag/{tag}.rss" not in paths:
        routes: list[BaseRoute] = feeds.router.routes
        app.router.routes[0:0] = routes
    return app


@contextmanager
def client_for(db: Path, repo: Repository) -> Iterator[httpx.Client]:
    app = with_feeds(create_app(load({"TAGWIRE_DATABASE": str(db)}), repo))
    with running(app) as base, httpx.Client(base_url=base) as client:
        yield client


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Repository, World]]:
    db = tmp_path_factory.mktemp("feeds") / "tagwire.db"
    repo = open_store(str(db))
    world = fill(repo)
    yield db, repo, world
    repo.close()


@pytest.fixture(scope="module")
def http(store: tuple[Path, Repository, World]) -> Iterator[httpx.Client]:
    with client_for(store[0], store[1]) as client:
        yield client


@pytest.fixture(scope="module")
def world(store: tuple[Path, Repository, World]) -> World:
    return store[2]


def parsed(http: httpx.Client, path: str) -> Any:
    """The feed at `path`, parsed by feedparser, which must find nothing wrong with it."""
    r = http.get(path)
    assert r.status_code == 200, r.text
    feed = feedparser.parse(r.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def site(http: httpx.Client, path: str) -> str:
    """The absolute address of `path` on the server under test."""
    return str(http.base_url).rstrip("/") + path


def story_url(http: httpx.Client, story_id: int) -> str:
    return site(http, f"/story/{story_id}")


# pure pieces ----------------------------------------------------------------------------------


def test_matches_reads_lists_weak_tags_and_star() -> None:
    assert feeds.matches('"a", W/"b"', '"b"') and feeds.matches("*", '"c"')
    assert not feeds.matches('"a"', '"b"') and not feeds.matches(None, '"b"') and not feeds.matches("", '"b"')


def test_rfc822_and_xml_text() -> None:
    assert feeds.rfc822(datetime(2025, 6, 7, 12, tzinfo=UTC)) == "Sat, 07 Jun 2025 12:00:00 GMT"
    tokyo = timezone(timedelta(hours=9))
    assert feeds.rfc822(datetime(2025, 6, 7, 21, tzinfo=tokyo)) == "Sat, 07 Jun 2025 12:00:00 GMT"
    assert feeds.xml_text("a\x00b\x0bc\td\ne\ud800f\ufffe") == "abc\td\nef"


def test_also_in_names_each_other_outlet_once_in_order() -> None:
    outlets = ["Coastal Post", "Hilltop Times", "Coastal Post", "Lakeside Herald", "Hilltop Times"]
    articles = [view(f"https://{i}.example/", outlet=o) for i, o in enumerate(outlets)]
    assert feeds.also_in(articles) == ["Hilltop Times", "Lakeside Herald"]
    assert feeds.also_in([]) == []


# the three formats ----------------------------------------------------------------------------


def test_rss_has_one_item_per_story_newest_first(http: httpx.Client, world: World) -> None:
    feed = parsed(http, "/tag/FloodSensors.rss")
    assert feed.version == "rss20"
    assert feed.feed.title == "Latest news with #FloodSensors — tagwire"
    assert feed.feed.link == site(http, "/tag/FloodSensors")
    assert {"rel": "self", "href": site(http, "/tag/FloodSensors.rss"), "type": "application/rss+xml"} in [
        dict(link) for link in feed.feed.links
    ]
    ids = [world.hostile, world.flood, world.granary]
    assert [e.title for e in feed.entries] == [HOSTILE, FLOOD_TITLES[0], "Granary budget doubles"]
    assert [e.link for e in feed.entries] == [story_url(http, i) for i in ids]
    assert [e.id for e in feed.entries] == [story_url(http, i) for i in ids]
    assert feed.entries[1].published == "Sat, 07 Jun 2025 12:00:00 GMT"


def test_atom_has_one_entry_per_story_newest_first(http: httpx.Client, world: World) -> None:
    feed = parsed(http, "/tag/FloodSensors.atom")
    assert feed.version == "atom10"
    assert feed.feed.title == "Latest news with #FloodSensors — tagwire"
    assert feed.feed.link == site(http, "/tag/FloodSensors")
    ids = [world.hostile, world.flood, world.granary]
    assert [e.title for e in feed.entries] == [HOSTILE, FLOOD_TITLES[0], "Granary budget doubles"]
    assert [e.id for e in feed.entries] == [story_url(http, i) for i in ids]
    assert [e.link for e in feed.entries] == [story_url(http, i) for i in ids]
    assert feed.entries[1].updated == "2025-06-07T12:00:00Z"
    assert feed.entries[1].author == "Coastal Post"
    assert feed.feed.updated == "2025-06-10T11:00:00Z"


def test_json_feed_has_version_ids_and_rfc3339_dates(http: httpx.Client, world: World) -> None:
    r = http.get("/tag/FloodSensors.json")
    feed = r.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Latest news with #FloodSensors — tagwire"
    assert feed["feed_url"] == site(http, "/tag/FloodSensors.json")
    ids = [world.hostile, world.flood, world.granary]
    assert [item["id"] for item in feed["items"]] == [story_url(http, i) for i in ids]
    assert [item["title"] for item in feed["items"]] == [HOSTILE, FLOOD_TITLES[0], GRANARY]
    assert feed["items"][1]["date_published"] == "2025-06-07T12:00:00Z"
    assert all(item["content_text"] and item["url"] == item["id"] for item in feed["items"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_content_type_and_item_count_match_the_stories(http: httpx.Client, fmt: str) -> None:
    r = http.get(f"/tag/FloodSensors.{fmt}")
    assert r.headers["content-type"] == FORMATS[fmt]
    stories = http.get("/api/tags/FloodSensors").json()["stories"]
    count = len(r.json()["items"]) if fmt == "json" else len(feedparser.parse(r.content).entries)
    assert count == len(stories) == 3


def test_summary_is_the_lead_summary_and_the_other_outlets(http: httpx.Client, world: World) -> None:
    text = f"{FLOOD_TITLES[0]}. Reported by Coastal Post.\n\nAlso in: Hilltop Times, Lakeside Herald"
    assert http.get("/tag/FloodSensors.json").json()["items"][1]["content_text"] == text
    assert parsed(http, "/tag/FloodSensors.atom").entries[1].summary == text
    rss_summary = parsed(http, "/tag/FloodSensors.rss").entries[1].summary
    lead, also = f"{FLOOD_TITLES[0]}. Reported by Coastal Post.", "Also in: Hilltop Times, Lakeside Herald"
    assert rss_summary == f"<p>{lead}</p><p>{also}</p>"


def test_categories_are_the_first_eight_hashtags(
    http: httpx.Client, store: tuple[Path, Repository, World]
) -> None:
    hashtags = list(views.tag_page(store[1], "Mischief", NOW).stories[0].hashtags)
    assert sorted(hashtags) == sorted(MANY_TAGS)
    for fmt in ("rss", "atom"):
        entry = parsed(http, f"/tag/Mischief.{fmt}").entries[0]
        assert [t.term for t in entry.tags] == hashtags[:8]
    assert http.get("/tag/Mischief.json").json()["items"][0]["tags"] == hashtags[:8]


# hostile text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_hostile_title_and_summary_stay_text_in_xml(http: httpx.Client, fmt: str) -> None:
    body = http.get(f"/tag/Mischief.{fmt}").text
    assert "<img" not in body and "<script" not in body
    entry = parsed(http, f"/tag/Mischief.{fmt}").entries[0]
    assert entry.title == HOSTILE and entry.title_detail.type == "text/plain"
    summary = html.unescape(re.sub(r"</?p>", "", entry.summary)) if fmt == "rss" else entry.summary
    assert summary == HOSTILE_SUMMARY


def test_rss_description_escapes_outlet_text_before_calling_it_html(http: httpx.Client) -> None:
    body = http.get("/tag/Mischief.rss").text
    described = '&lt;p&gt;&amp;lt;script&amp;gt;alert("s")&amp;lt;/script&amp;gt; &amp;amp; more&lt;/p&gt;'
    assert f"<description>{described}</description>" in body


def test_hostile_text_round_trips_in_json(http: httpx.Client) -> None:
    item = http.get("/tag/Mischief.json").json()["items"][0]
    assert item["title"] == HOSTILE and item["content_text"] == HOSTILE_SUMMARY


def test_control_characters_are_dropped_from_xml_only(http: httpx.Client) -> None:
    assert "\x0b" not in http.get("/tag/Granaries.rss").text
    assert parsed(http, "/tag/Granaries.atom").entries[0].title == "Granary budget doubles"
    assert json.loads(http.get("/tag/Granaries.json").content)["items"][0]["title"] == GRANARY


# caching and edge cases -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_etag_and_304_on_if_none_match(http: httpx.Client, fmt: str) -> None:
    path = f"/tag/FloodSensors.{fmt}"
    first = http.get(path)
    tag = first.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', tag) and http.get(path).headers["etag"] == tag
    again = http.get(path, headers={"If-None-Match": f'"other", W/{tag}'})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    changed = http.get(path, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200 and changed.content == first.content


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_unknown_tag_is_an_empty_but_valid_xml_feed(http: httpx.Client, fmt: str) -> None:
    feed = parsed(http, f"/tag/NoSuchTag.{fmt}")
    assert feed.entries == [] and feed.feed.title == "Latest news with #NoSuchTag — tagwire"


def test_unknown_tag_is_an_empty_json_feed(http: httpx.Client) -> None:
    feed = http.get("/tag/NoSuchTag.json").json()
    assert feed["items"] == [] and feed["version"] == "https://jsonfeed.org/version/1.1"


def test_leading_hash_and_html_tag_page_still_work(http: httpx.Client) -> None:
    assert len(parsed(http, "/tag/%23FloodSensors.rss").entries) == 3
    page = http.get("/tag/FloodSensors")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")


def test_a_growing_story_keeps_its_id_and_changes_its_etag(tmp_path: Path) -> None:
    db = tmp_path / "tagwire.db"
    repo = open_store(str(db))
    try:
        first = article("Lakeside Herald", "Bridge closes for repairs", NOW - timedelta(hours=5))
        repo.add_articles([first], fetched_at=NOW)
        story = understand(repo, first, ["Bridges"], None, Match("new"))
        with client_for(db, repo) as http:
            before = http.get("/tag/Bridges.atom")
            later = article("Hilltop Times", "Bridge shut for a month of repairs", NOW - timedelta(hours=1))
            repo.add_articles([later], fetched_at=NOW)
            understand(repo, later, ["Bridges"], story, Match("story", 0.7, first.id))
            after = http.get("/tag/Bridges.atom", headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
        old, new = feedparser.parse(before.content).entries, feedparser.parse(after.content).entries
        assert len(old) == len(new) == 1 and old[0].id == new[0].id
        assert (old[0].title, new[0].title) == (
            "Bridge closes for repairs",
            "Bridge shut for a month of repairs",
        )
        assert new[0].summary.endswith("Also in: Lakeside Herald")
    finally:
        repo.close()


# a story's feed: its reports, copies folded in --------------------------------------------------


def test_folded_puts_copies_under_their_original_even_through_a_chain() -> None:
    a = view("https://a.example/1", match=MatchView(kind=MatchKind.NEW, score=1.0, of=None))
    b = view("https://b.example/1", copy_of="https://a.example/1")
    c = view("https://c.example/1", copy_of="https://b.example/1")
    d = view("https://d.example/1", match=MatchView(kind=MatchKind.DUPLICATE, score=1.0, of=a.url))
    e = view("https://e.example/1", copy_of="https://elsewhere.example/9")
    found = feeds.folded([e, d, c, b, a])
    assert [(x.url, [y.url for y in ys]) for x, ys in found] == [
        (e.url, []),
        (a.url, [d.url, c.url, b.url]),
    ]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_story_feed_has_its_reports_with_the_copy_folded_in(
    http: httpx.Client, world: World, fmt: str
) -> None:
    feed = parsed(http, f"/story/{world.flood}.{fmt}")
    assert feed.feed.title == f"{FLOOD_TITLES[2]} — tagwire"
    assert feed.feed.link == story_url(http, world.flood)
    assert [e.title for e in feed.entries] == [FLOOD_TITLES[0], FLOOD_TITLES[2]]  # newest first, no copy
    assert [e.link for e in feed.entries] == [
        "https://coastalpost.example/flood-sensor-pact-signed-by-river-towns",
        "https://lakesideherald.example/river-towns-agree-to-share-flood-sensors",
    ]
    assert all(e.id.startswith(story_url(http, world.flood) + "#article-") for e in feed.entries)
    assert len({e.id for e in feed.entries}) == 2
    summary = html.unescape(re.sub(r"</?p>", " ", feed.entries[1].summary))
    assert "Also in: Hilltop Times (copy)" in summary and "Also in" not in feed.entries[0].summary
    assert feed.entries[1].author == "Lakeside Herald"


def test_story_json_feed(http: httpx.Client, world: World) -> None:
    r = http.get(f"/story/{world.flood}.json")
    assert r.headers["content-type"] == FORMATS["json"]
    feed = r.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == site(http, f"/story/{world.flood}.json")
    items = feed["items"]
    assert [i["title"] for i in items] == [FLOOD_TITLES[0], FLOOD_TITLES[2]]
    assert (
        items[1]["content_text"]
        == f"{FLOOD_TITLES[2]}. Reported by Lakeside Herald.\n\nAlso in: Hilltop Times (copy)"
    )
    assert items[1]["date_published"] == "2025-06-07T10:00:00Z"


@pytest.mark.parametrize("fmt", FORMATS)
def test_story_feed_of_a_missing_story_is_404(http: httpx.Client, fmt: str) -> None:
    assert http.get(f"/story/987654.{fmt}").status_code == 404
    assert http.get(f"/story/nope.{fmt}").status_code == 400


def test_story_feed_keeps_hostile_text_as_text(http: httpx.Client, world: World) -> None:
    body = http.get(f"/story/{world.hostile}.atom").text
    assert "<img" not in body and "<script" not in body
    entry = parsed(http, f"/story/{world.hostile}.atom").entries[0]
    assert entry.title == HOSTILE and entry.summary == HOSTILE_SUMMARY


# a search's feed: one item per story ----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_search_feed_has_one_item_per_matching_story(http: httpx.Client, world: World, fmt: str) -> None:
    feed = parsed(http, f"/search.{fmt}?q=river+towns")
    assert feed.feed.title == "Search: river towns — tagwire"
    assert feed.feed.link == site(http, "/search?q=river+towns")
    assert [e.id for e in feed.entries] == [story_url(http, world.flood)]  # three articles match, one story
    assert feed.entries[0].title == FLOOD_TITLES[0]


def test_search_json_feed_and_filters(http: httpx.Client, world: World) -> None:
    feed = http.get("/search.json", params={"q": "#FloodSensors"}).json()
    assert feed["feed_url"] == site(http, "/search.json?q=%23FloodSensors")
    assert sorted(i["id"] for i in feed["items"]) == sorted(
        story_url(http, i) for i in (world.flood, world.granary, world.hostile)
    )
    assert http.get("/search.json", params={"q": "nothingmatchesthis"}).json()["items"] == []


def test_search_feed_without_a_usable_query_is_400(http: httpx.Client) -> None:
    assert http.get("/search.rss").status_code == 400
    r = http.get("/search.atom", params={"q": '"unclosed'})
    assert r.status_code == 400 and "quote is not closed" in r.text


# pages link their feeds -------------------------------------------------------------------------


def test_pages_link_their_feeds(http: httpx.Client, world: World) -> None:
    pages = {
        "/tag/FloodSensors": "/tag/FloodSensors",
        f"/story/{world.flood}": f"/story/{world.flood}",
        "/search?q=river+towns": "/search",
    }
    for page, feed in pages.items():
        text = http.get(page, params={"now": "2025-06-10T12:00:00Z"} if "?" not in page else None).text
        query = "?q=river+towns" if feed == "/search" else ""
        for ext, mime in [
            ("rss", "application/rss+xml"),
            ("atom", "application/atom+xml"),
            ("json", "application/feed+json"),
        ]:
            assert f'<link rel="alternate" type="{mime}"' in text, page
            assert f'href="{feed}.{ext}{query}"' in text, (page, ext)
        assert "Follow in your reader:" in text
        assert parsed(http, f"{feed}.rss{query}").entries  # the linked feed is there and valid


def test_every_json_feed_reads_in_an_independent_json_feed_parser(http: httpx.Client, world: World) -> None:
    """feedparser 6 reads no JSON Feed; fastfeedparser does, so each of ours must read there with
    the items and titles that our own JSON says (a shape error would lose them)."""
    import fastfeedparser

    for path in ("/tag/FloodSensors.json", f"/story/{world.flood}.json", "/search.json?q=river+towns"):
        ours = http.get(path).json()
        read = fastfeedparser.parse(http.get(path).content)
        assert [e["title"] for e in read["entries"]] == [i["title"] for i in ours["items"]], path
        assert [e["link"] for e in read["entries"]] == [i["url"] for i in ours["items"]], path
        assert len(ours["items"]) > 0, path
