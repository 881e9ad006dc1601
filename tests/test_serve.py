"""The web server over a real SQLite store, run by a real uvicorn on 127.0.0.1 and read with httpx.

The store holds invented outlets and stories: a three-outlet story (a first report, a copy of
it and an independent report), an old one-article story, a story whose title and summary are
hostile HTML, and 31 small stories to page through."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tagwire.app.viewmodels import ArticleView
from tagwire.config import Settings, load
from tagwire.models import Article, Match
from tagwire.serve.app import create_app
from tagwire.serve.pages import excerpt, report, safe_url
from tagwire.store import Repository, open_store
from tests.helpers import understand
from tests.webserver import Server, feed_route, running

NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)
NOW_Q = "2025-06-10T12:00:00Z"
TOKEN = "test-token-7f3a"
HOSTILE = "<img src=x onerror=alert(1)> Harbour fees rise"
FLOOD_TITLES = [
    "Flood Sensor Pact Signed by River Towns",
    "River towns to share flood sensors amid storms",
    "River towns agree to share flood sensors",
]
CONTRACT_KEYS = "outlet title url category published age wire_origin copy_of hashtags summary"
BUSY = 31  # one more than a page


def article(outlet: str, title: str, published: datetime, **extra: object) -> Article:
    slug = re.sub(r"\W+", "-", title.lower()).strip("-")
    url = str(extra.pop("url", f"https://{outlet.lower().replace(' ', '')}.example/{slug}"))
    summary = f"{title}. Reported by {outlet} with details that matter to readers of the region."
    return Article(url=url, outlet=outlet, title=title, published=published, summary=summary, **extra)  # type: ignore[arg-type]


@dataclass
class World:
    flood: int
    granary: int
    hostile: int
    first_url: str


def fill(repo: Repository) -> World:
    first, copy, own = (
        article("Lakeside Herald", FLOOD_TITLES[2], NOW - timedelta(days=3, hours=2), section="Local"),
        article("Hilltop Times", FLOOD_TITLES[1], NOW - timedelta(days=3, hours=1), section="Politics"),
        article("Coastal Post", FLOOD_TITLES[0], NOW - timedelta(days=3), section="Business"),
    )
    first.wire_origin = copy.wire_origin = "Northwind Wire"
    granary = article("Prairie Ledger", "Granary budget doubles: 5 things to know", NOW - timedelta(days=20))
    hostile = article("Mischief Daily", HOSTILE, NOW - timedelta(hours=1), url="javascript:alert(2)")
    hostile.summary = '<script>alert("s")</script> & more'
    repo.add_articles([first, copy, own, granary, hostile], fetched_at=NOW)
    tags = ["FloodSensors", "RiverTowns"]
    flood = understand(repo, first, tags, None, Match("new"))
    copy.copy_of = first.id
    understand(repo, copy, tags, flood, Match("copy", 0.934, first.id))
    understand(repo, own, [*tags, "CoastalPost"], flood, Match("story", 0.617, first.id))
    granary_id = understand(repo, granary, ["FloodSensors", "Granaries"], None, Match("new"))
    hostile_id = understand(repo, hostile, ["Mischief"], None, Match("new"))
    return World(flood, granary_id, hostile_id, first.url)


def fill_busy(repo: Repository) -> None:
    batch = [
        article("Busy Bee", f"Busy item {i:02d}", NOW - timedelta(days=40, hours=i), content_hash=f"b{i}")
        for i in range(BUSY)
    ]
    repo.add_articles(batch, fetched_at=NOW)
    for a in batch:
        understand(repo, a, ["Busy"], None, Match("new"))


def settings_for(db: Path, token: str) -> Settings:
    return load({"TAGWIRE_DATABASE": str(db), "TAGWIRE_API_TOKEN": token})


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Repository, World]]:
    db = tmp_path_factory.mktemp("serve") / "tagwire.db"
    repo = open_store(str(db))
    world = fill(repo)
    fill_busy(repo)
    yield db, repo, world
    repo.close()


@pytest.fixture(scope="module")
def http(store: tuple[Path, Repository, World]) -> Iterator[httpx.Client]:
    db, repo, _ = store
    with running(create_app(settings_for(db, TOKEN), repo)) as base, httpx.Client(base_url=base) as client:
        yield client


@pytest.fixture(scope="module")
def world(store: tuple[Path, Repository, World]) -> World:
    return store[2]


# pure pieces ----------------------------------------------------------------------------------


def test_excerpt_cuts_at_a_word_and_says_so() -> None:
    assert excerpt("  Short   text\n here ") == "Short text here"
    assert excerpt("Harbour fees rise again, officials said today", limit=30) == "Harbour fees rise again…"
    assert excerpt(None) == ""


def test_report_names_copies_duplicates_and_own_reports() -> None:
    outlets = {"https://a.example/1": "Alpha News"}

    def art(match: dict[str, object] | None, copy_of: str | None = None) -> ArticleView:
        return ArticleView.model_validate(
            {
                **dict.fromkeys(("id", "category", "wire_origin", "language")),
                **{"outlet": "Beta Post", "title": "t", "url": "https://c.example/3", "summary": ""},
                **{"published": NOW, "age": "just now", "hashtags": []},
                **{"match": match, "copy_of": copy_of},
            }
        )

    copy = report(
        art({"kind": "copy", "score": 0.9, "of": "https://a.example/1"}, "https://a.example/1"), outlets
    )
    assert (copy.relation, copy.detail, copy.copied) == ("copy of Alpha News", "score 0.90", True)
    elsewhere = report(
        art({"kind": "copy", "score": 0.9, "of": "https://b.example/2"}, "https://b.example/2"), outlets
    )
    assert elsewhere.relation == "copy of b.example"
    dup = report(art({"kind": "duplicate", "score": 1.0, "of": "https://a.example/1"}), outlets)
    assert dup.relation == "same text as Alpha News" and dup.copied
    assert (
        report(art({"kind": "story", "score": 0.5, "of": "https://a.example/1"}), outlets).detail
        == "score 0.50"
    )
    assert report(art(None), outlets).relation == "own report"


def test_safe_url_keeps_only_web_addresses() -> None:
    assert safe_url("https://a.example/x") == "https://a.example/x"
    assert safe_url("HTTP://a.example/x") == "HTTP://a.example/x"
    for bad in ["javascript:alert(1)", "data:text/html,<b>", " javascript:alert(1)", None, ""]:
        assert safe_url(bad) is None


# JSON API -------------------------------------------------------------------------------------


def test_api_tag_page_has_the_contract_shape_newest_story_first(http: httpx.Client, world: World) -> None:
    page = http.get("/api/tags/FloodSensors", params={"now": NOW_Q}).json()
    assert page["tag"] == "FloodSensors" and page["heading"] == "Latest news with #FloodSensors"
    assert [s["id"] for s in page["stories"]] == [world.flood, world.granary]
    flood = page["stories"][0]
    assert [a["title"] for a in flood["articles"]] == FLOOD_TITLES
    assert set(CONTRACT_KEYS.split()) <= set(flood["articles"][0])
    assert flood["articles"][1]["copy_of"] == world.first_url
    assert flood["articles"][0]["copy_of"] is None
    assert flood["published"] == "2025-06-07T12:00:00Z"


def test_api_ages_follow_now(http: httpx.Client) -> None:
    page = http.get("/api/tags/FloodSensors", params={"now": NOW_Q}).json()
    assert [a["age"] for a in page["stories"][0]["articles"]] == ["3 days ago"] * 3
    assert page["stories"][1]["articles"][0]["age"] == "21-05-2025"
    later = http.get("/api/tags/FloodSensors", params={"now": "2025-06-07T13:30:00+00:00"}).json()
    assert later["stories"][0]["articles"][0]["age"] == "1 hour ago"


def test_api_now_with_offset_whose_plus_became_a_space(http: httpx.Client) -> None:
    r = http.get("/api/tags/FloodSensors?now=2025-06-10T12:00:00+00:00")  # unencoded "+"
    assert r.status_code == 200 and r.json()["stories"][0]["articles"][0]["age"] == "3 days ago"


def test_api_tag_accepts_a_leading_hash(http: httpx.Client) -> None:
    page = http.get("/api/tags/%23FloodSensors", params={"now": NOW_Q}).json()
    assert page["tag"] == "FloodSensors" and len(page["stories"]) == 2


def test_api_rejects_an_unreadable_now_with_422(http: httpx.Client) -> None:
    r = http.get("/api/tags/FloodSensors", params={"now": "last tuesday"})
    assert r.status_code == 422 and "ISO 8601" in r.json()["detail"]


def test_api_pages_through_a_busy_tag(http: httpx.Client) -> None:
    first = http.get("/api/tags/Busy", params={"now": NOW_Q}).json()
    second = http.get("/api/tags/Busy", params={"now": NOW_Q, "page": 2}).json()
    assert len(first["stories"]) == 30 and first["has_more"]
    assert len(second["stories"]) == 1 and not second["has_more"]
    assert http.get("/api/tags/Busy", params={"page": 0}).status_code == 422


def test_api_story_and_its_404(http: httpx.Client, world: World) -> None:
    story = http.get(f"/api/stories/{world.flood}", params={"now": NOW_Q}).json()
    assert story["first_publisher"] == "Lakeside Herald" and len(story["articles"]) == 3
    missing = http.get("/api/stories/999999")
    assert missing.status_code == 404 and "999999" in missing.json()["detail"]


def test_api_latest_is_newest_first(http: httpx.Client, world: World) -> None:
    page = http.get("/api/latest", params={"now": NOW_Q}).json()
    assert [s["id"] for s in page["stories"][:3]] == [world.hostile, world.flood, world.granary]
    assert page["has_more"]


def test_unknown_api_route_answers_json_404(http: httpx.Client) -> None:
    r = http.get("/api/nothing-here")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")


# HTML pages -----------------------------------------------------------------------------------


def test_tag_page_shows_heading_titles_outlets_and_also_in(http: httpx.Client, world: World) -> None:
    r = http.get("/tag/FloodSensors", params={"now": NOW_Q})
    html = r.text
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<h1>Latest news with #FloodSensors</h1>" in html
    assert "<title>Latest news with #FloodSensors · tagwire</title>" in html
    for text in [*FLOOD_TITLES, "Granary budget doubles: 5 things to know", "also in:", "Lakeside Herald"]:
        assert text in html
    for text in ["Hilltop Times", "Coastal Post", "Prairie Ledger", "3 days ago", "21-05-2025", "Business"]:
        assert text in html
    assert '— <span class="relation copy">copy of Lakeside Herald</span>, <time' in html
    assert '<span class="relation">own report</span>' in html
    assert html.index(FLOOD_TITLES[0]) < html.index("Granary budget")
    assert f'href="/story/{world.flood}?now=' in html
    assert 'href="/tag/RiverTowns?now=2025-06-10T12%3A00%3A00Z"' in html


def test_tag_page_links_only_stories_with_several_reports(http: httpx.Client, world: World) -> None:
    html = http.get("/tag/FloodSensors").text
    assert f"/story/{world.flood}" in html
    assert f"/story/{world.granary}" not in html
    assert 'href="https://prairieledger.example/granary-budget-doubles-5-things-to-know"' in html


def test_tag_page_shows_hostile_html_as_text(http: httpx.Client) -> None:
    r = http.get("/tag/Mischief")
    assert "&lt;img src=x onerror=alert(1)&gt; Harbour fees rise" in r.text
    assert "<img" not in r.text and "<script>alert" not in r.text
    assert "&lt;script&gt;alert(&#34;s&#34;)&lt;/script&gt; &amp; more" in r.text
    assert "javascript:" not in r.text
    assert "script-src" not in r.headers["content-security-policy"]  # default-src 'none' covers scripts
    assert "default-src 'none'" in r.headers["content-security-policy"]


def test_tag_page_without_stories(http: httpx.Client) -> None:
    r = http.get("/tag/NobodyWritesAboutThis")
    assert r.status_code == 200
    assert "<h1>Latest news with #NobodyWritesAboutThis</h1>" in r.text and "No stories yet" in r.text


def test_tag_page_pages(http: httpx.Client) -> None:
    first = http.get("/tag/Busy", params={"now": NOW_Q}).text
    assert 'rel="next" href="/tag/Busy?now=2025-06-10T12%3A00%3A00Z&amp;page=2"' in first
    assert "Busy item 00" in first and "Busy item 30" not in first and 'rel="prev"' not in first
    second = http.get("/tag/Busy", params={"now": NOW_Q, "page": 2}).text
    assert "Busy item 30" in second and 'rel="prev"' in second and 'rel="next"' not in second


def test_html_rejects_an_unreadable_now_or_page_with_400(http: httpx.Client) -> None:
    bad_now = http.get("/tag/FloodSensors", params={"now": "yesterday-ish"})
    assert bad_now.status_code == 400 and bad_now.headers["content-type"].startswith("text/html")
    assert "is not an ISO 8601 time" in bad_now.text and "yesterday-ish" in bad_now.text
    bad_page = http.get("/tag/FloodSensors", params={"page": "two"})
    assert bad_page.status_code == 400 and "page" in bad_page.text


def test_story_page_lists_every_article_with_copy_information(http: httpx.Client, world: World) -> None:
    r = http.get(f"/story/{world.flood}", params={"now": NOW_Q})
    html = r.text
    assert r.status_code == 200 and f"<title>{FLOOD_TITLES[2]} · tagwire</title>" in html
    for text in [*FLOOD_TITLES, "Lakeside Herald", "Hilltop Times", "Coastal Post", "Local", "Politics"]:
        assert text in html
    assert "copy of Lakeside Herald (score 0.93)" in html
    assert "own report (score 0.62)" in html and "own report (started the story)" in html
    assert "wire origin: Northwind Wire" in html and "first published by" in html
    assert "Timeline" in html and "7 Jun 2025, 10:00 UTC" in html
    assert 'href="/tag/CoastalPost?now=' in html
    timeline = html[html.index("Timeline") :]
    assert (
        timeline.index("Lakeside Herald") < timeline.index("Hilltop Times") < timeline.index("Coastal Post")
    )


def test_story_page_404(http: httpx.Client) -> None:
    r = http.get("/story/424242")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "There is no story 424242." in r.text
    assert http.get("/no/such/page").status_code == 404


def test_home_lists_latest_stories_and_trending_hashtags(http: httpx.Client) -> None:
    html = http.get("/", params={"now": NOW_Q}).text
    assert '<h1 id="latest">Latest news</h1>' in html and "1 hour ago" in html
    assert html.index("Harbour fees rise") < html.index(FLOOD_TITLES[0])
    trending = html[html.index('class="trending"') : html.index('class="latest"')]
    assert "No hashtag is rising above its usual level right now." in trending  # one story is no trend
    day = http.get("/", params={"now": "2025-06-07T13:00:00Z"}).text  # the flood story's day
    assert "#FloodSensors</a> <span" not in day[day.index('class="trending"') : day.index('class="latest"')]


def test_stylesheet_is_served(http: httpx.Client) -> None:
    r = http.get("/static/style.css")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/css") and "@media" in r.text


# writing --------------------------------------------------------------------------------------


def test_post_source_needs_a_token(http: httpx.Client) -> None:
    r = http.post("/api/sources", json={"url": "https://newfeed.example/rss"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in r.json()["detail"]


def test_post_source_refuses_a_wrong_token_before_reading_the_body(http: httpx.Client) -> None:
    wrong = http.post("/api/sources", json={"url": "https://newfeed.example/rss"}, headers=bearer("nope"))
    assert wrong.status_code == 401 and wrong.json()["detail"] == "the bearer token is wrong"
    garbage = http.post("/api/sources", content=b"{not json", headers=bearer("nope"))
    assert garbage.status_code == 401
    basic = http.post(
        "/api/sources", json={"url": "https://newfeed.example/rss"}, headers={"Authorization": "Basic eDp5"}
    )
    assert basic.status_code == 401


def test_post_source_checks_then_adds_then_finds_it(
    store: tuple[Path, Repository, World], server: Server
) -> None:
    db, repo, _ = store
    server.routes["/rss"] = feed_route
    allowed = load(
        {"TAGWIRE_DATABASE": str(db), "TAGWIRE_API_TOKEN": TOKEN, "TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1"}
    )
    with running(create_app(allowed, repo)) as base, httpx.Client(base_url=base, timeout=30) as client:
        url, gone = server.url("/rss"), server.url("/gone")
        made = client.post("/api/sources", json={"url": url}, headers=bearer(TOKEN))
        assert made.status_code == 201 and made.json()["created"] is True and made.json()["url"] == url
        assert made.json()["title"] == "Harbour Gazette" and made.json()["feeds"][0]["state"] == "added"
        again = client.post("/api/sources", json={"url": url}, headers=bearer(TOKEN))
        assert (
            again.status_code == 200
            and again.json()["created"] is False
            and again.json()["id"] == made.json()["id"]
        )
        refused = client.post("/api/sources", json={"url": gone}, headers=bearer(TOKEN))
        assert refused.status_code == 422 and "404" in refused.json()["detail"]  # why, as `tagwire add` says
        assert gone not in [s.url for s in repo.sources()]
        anyway = client.post("/api/sources", json={"url": gone, "anyway": True}, headers=bearer(TOKEN))
        assert anyway.status_code == 201 and anyway.json()["note"]
    assert {url, gone} <= {s.url for s in repo.sources()}


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"{}",
        b'{"url": 5}',
        b'{"url": "ftp://files.example/feed"}',
        b'{"url": "javascript:alert(1)"}',
    ],
)
def test_post_source_malformed_body_is_422(http: httpx.Client, body: bytes) -> None:
    r = http.post("/api/sources", content=body, headers={**bearer(TOKEN), "Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][0] == "body"


def test_writing_disabled_without_a_token_and_store_opened_from_settings(
    store: tuple[Path, Repository, World], world: World
) -> None:
    db = store[0]
    with running(create_app(settings_for(db, ""))) as base, httpx.Client(base_url=base) as client:
        r = client.post("/api/sources", json={"url": "https://other.example/rss"}, headers=bearer("anything"))
        assert r.status_code == 403 and "TAGWIRE_API_TOKEN" in r.json()["detail"]
        assert client.get(f"/api/stories/{world.flood}").json()["id"] == world.flood


def test_openapi_documents_the_write_body(http: httpx.Client) -> None:
    spec = http.get("/openapi.json").json()
    body = spec["paths"]["/api/sources"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["url"]
    assert "/tag/{tag}" not in spec["paths"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
