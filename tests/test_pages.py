"""The browsing pages (home with trending hashtags, /outlet/{name}, /sources), their JSON and the
queries behind them (store/stories.py), over real stores: SQLite served by a real uvicorn on
127.0.0.1 and read with httpx; the queries also on PostgreSQL when TAGWIRE_TEST_POSTGRES is set.

The store holds invented outlets. Per hashtag, one-article stories placed so the trending rule
has something to decide (stories in the 24 h before NOW against the 7 days before that):
  #Drought   3 stories today, none before                -> "new", rises most
  #Harbours  4 today, 7 in the week before (1 a day)     -> "+300%"
  #Ferries   5 today, 35 before (5 a day): the most frequent today, but steady -> not trending
  #Kites     1 today, none before: new, but one story is no trend -> not trending
Japan Today (a name with a space) reports the #Harbours stories from two feeds."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from tagwire.app import views
from tagwire.app.viewmodels import ArticleView, StoryView
from tagwire.config import load
from tagwire.models import Article, Match, Source
from tagwire.serve.app import create_app
from tagwire.serve.pages import entries, outlet_path, relative
from tagwire.store import Repository, open_store
from tagwire.store.stories import TagCounts
from tests.conftest import BACKENDS
from tests.helpers import record_error, record_success, save_understanding
from tests.webserver import running

NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)
NOW_Q = "2025-06-10T12:00:00Z"
JT = "Japan Today"
ODD = 'Fish & <Chips> "Weekly"'  # an outlet name that must be encoded in links and escaped in text
PLAN = {  # tag: (outlet, stories today, stories in the 7 days before)
    "Drought": ("Prairie Ledger", 3, 0),
    "Harbours": (JT, 4, 7),
    "Ferries": ("Ferry Gazette", 5, 35),
    "Kites": (ODD, 1, 0),
}


@dataclass
class World:
    sources: dict[str, Source]
    harbour_story: int


def article(outlet: str, title: str, published: datetime, source: Source | None) -> Article:
    slug = re.sub(r"\W+", "-", f"{outlet} {title}".lower()).strip("-")
    return Article(
        url=f"https://news.example/{slug}",
        outlet=outlet,
        title=title,
        published=published,
        summary=f"{title}, reported by {outlet}.",
        source_id=source.id if source else None,
        content_hash=slug,
    )


def publish(repo: Repository, a: Article, tags: list[str]) -> int:
    """Store an article and record it as understanding would: a new story with these hashtags."""
    repo.add_articles([a], fetched_at=NOW)
    a.hashtags, a.story_id, a.match = tags, None, Match("new")
    save_understanding(repo, a, bands=[], signature=b"", features="{}", terms=a.title.lower().split())
    assert a.story_id is not None
    return a.story_id


def times(today: int, before: int) -> list[datetime]:
    """`today` moments spread over the last 24 h, `before` spread over the 7 days before them."""
    recent = [NOW - timedelta(hours=1 + 22 * i / max(today, 1)) for i in range(today)]
    older = [NOW - timedelta(days=1, hours=1 + 166 * i / max(before, 1)) for i in range(before)]
    return recent + older


def add_sources(repo: Repository) -> dict[str, Source]:
    """Four feeds, one in each state: ok, error (two failures), held (Retry-After), new."""
    found = {
        name: repo.add_source(f"https://{name}.example/feed.xml", title=f"{name.title()} feed", now=NOW)[0]
        for name in ("ok", "error", "held", "new")
    }
    ok, error, held = found["ok"], found["error"], found["held"]
    ok.items_seen = 12
    record_success(
        repo, ok, checked=NOW - timedelta(minutes=5), next_check=NOW + timedelta(minutes=25), problem=None
    )
    for _ in range(2):
        record_error(
            repo,
            error,
            "HTTP 500 from error.example",
            status=500,
            checked=NOW - timedelta(hours=1),
            next_check=NOW,
        )
    record_error(
        repo,
        held,
        "HTTP 429: asked to wait",
        status=429,
        checked=NOW - timedelta(minutes=10),
        next_check=NOW + timedelta(hours=2),
        hold_until=NOW + timedelta(hours=2),
    )
    return {s.title.split()[0].lower(): s for s in repo.sources() if s.title}


def fill(repo: Repository) -> World:
    feeds = add_sources(repo)
    harbour = 0
    for tag, (outlet, today, before) in PLAN.items():
        for i, when in enumerate(times(today, before)):
            source = (feeds["ok"] if i % 2 else feeds["held"]) if outlet == JT else None
            story = publish(repo, article(outlet, f"{tag} report {i:02d}", when, source), [tag])
            if tag == "Harbours" and i == 0:
                harbour = story
    return World(feeds, harbour)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Repository, World]]:
    db = tmp_path_factory.mktemp("pages") / "tagwire.db"
    repo = open_store(str(db))
    world = fill(repo)
    yield db, repo, world
    repo.close()


@pytest.fixture(scope="module")
def http(store: tuple[Path, Repository, World]) -> Iterator[httpx.Client]:
    db, repo, _ = store
    app = create_app(load({"TAGWIRE_DATABASE": str(db)}), repo)
    with running(app) as base, httpx.Client(base_url=base) as client:
        yield client


@pytest.fixture(scope="module")
def world(store: tuple[Path, Repository, World]) -> World:
    return store[2]


# trending: the rule -----------------------------------------------------------------------------


def test_rise_is_smoothed_so_small_counts_do_not_dominate() -> None:
    days = 7.0
    one_new = TagCounts("Kites", 1, 0)
    doubled_from_habit = TagCounts("Harbours", 4, 7)
    assert views.rise(one_new, days) < views.rise(doubled_from_habit, days)
    assert views.rise(TagCounts("Ferries", 5, 35), days) == 1.0  # exactly its usual level
    assert views.rise_label(doubled_from_habit, days) == "+300%"
    assert views.rise_label(TagCounts("Ferries", 2, 28), days) == "-50%"
    assert views.rise_label(one_new, days) == "new"


def test_relative_times_for_the_past_and_the_future() -> None:
    assert relative(NOW - timedelta(hours=3), NOW) == "3 hours ago"
    assert relative(NOW + timedelta(minutes=25), NOW) == "in 25 minutes"
    assert relative(NOW + timedelta(seconds=10), NOW) == "in 1 minute"
    assert relative(datetime(2025, 7, 1, tzinfo=UTC), NOW) == "on 01-07-2025"
    assert relative(None, NOW) == "never"
    tokyo = timezone(timedelta(hours=9))  # a time in another zone is the same moment
    assert relative(datetime(2025, 6, 10, 18, 0, tzinfo=tokyo), NOW) == "3 hours ago"
    assert relative(NOW - timedelta(microseconds=1), NOW) == "just now"


def test_an_outlet_page_leads_each_story_with_that_outlets_report() -> None:
    first = ArticleView(
        id=1,
        outlet="",
        title="Harbour fees",
        url="",
        category=None,
        published=NOW,
        age="just now",
        wire_origin=None,
        copy_of=None,
        hashtags=(),
        summary="",
        language=None,
        match=None,
    )
    found = tuple(
        first.model_copy(update={"outlet": o, "url": f"https://{i}.example/"})
        for i, o in enumerate(["Jiji Press", JT, "The Mainichi"])
    )
    story = StoryView(
        id=1,
        headline="Harbour fees",
        published=NOW,
        first_published=NOW,
        age="just now",
        first_publisher=None,
        hashtags=(),
        articles=found,
    )
    (entry,) = entries([story], JT)
    assert entry.lead.article.outlet == JT
    assert [r.article.outlet for r in entry.others] == ["Jiji Press", "The Mainichi"]
    assert entries([story])[0].lead.article.outlet == "Jiji Press"  # elsewhere: the newest leads


def test_outlet_path_encodes_spaces_and_slashes() -> None:
    assert outlet_path("Japan Today") == "/outlet/Japan%20Today"
    assert outlet_path("A/B & C") == "/outlet/A%2FB%20%26%20C"


# the queries, on every backend ------------------------------------------------------------------


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_tag_counts_split_stories_between_today_and_the_week_before(repo: Repository) -> None:
    fill(repo)
    counts = {c.tag: (c.recent, c.before) for c in repo.tag_counts(NOW)}
    assert counts == {"Drought": (3, 0), "Harbours": (4, 7), "Ferries": (5, 35), "Kites": (1, 0)}
    later = {c.tag: (c.recent, c.before) for c in repo.tag_counts(NOW + timedelta(days=1))}
    assert later == {}  # nothing published in the 24 h before that moment


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_outlet_queries_find_its_stories_and_sources(repo: Repository) -> None:
    world = fill(repo)
    ids = repo.outlet_story_ids(JT, limit=20)
    assert len(ids) == 11 and ids[0] == world.harbour_story  # newest story first
    assert repo.outlet_story_ids(JT, limit=5, offset=10) == ids[10:]
    assert repo.outlet_known(JT) and not repo.outlet_known("japan today") and not repo.outlet_known("Nobody")
    assert sorted(s.url for s in repo.outlet_sources(JT)) == [
        "https://held.example/feed.xml",
        "https://ok.example/feed.xml",
    ]
    assert repo.outlet_sources("Prairie Ledger") == []


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_trending_ranks_by_rise_and_sees_new_stories_at_once(repo: Repository) -> None:
    fill(repo)
    assert [t.tag for t in views.trending(repo, NOW).tags] == ["Drought", "Harbours"]
    for i in range(3):
        publish(
            repo, article("Kite Weekly", f"Kites again {i}", NOW - timedelta(hours=2 + i), None), ["Kites"]
        )
    found = views.trending(repo, NOW + timedelta(seconds=20))  # the same minute, but the data changed
    assert [(t.tag, t.rise) for t in found.tags] == [
        ("Kites", "new"),
        ("Drought", "new"),
        ("Harbours", "+300%"),
    ]
    assert found.now == NOW and found.model_dump(mode="json")["now"] == NOW_Q  # as of the minute


# home ------------------------------------------------------------------------------------------


def test_home_shows_rising_hashtags_beside_the_latest_stories(http: httpx.Client) -> None:
    html = http.get("/", params={"now": NOW_Q}).text
    trending = html[html.index('class="trending"') : html.index('class="latest"')]
    assert trending.index("#Drought") < trending.index("#Harbours")
    assert '#Harbours</a> <span class="rise">+300%</span>' in trending
    assert (
        '#Drought</a> <span class="rise new">new</span> <span class="count">3 stories in 24 h</span>'
        in trending
    )
    assert "#Ferries" not in trending and "#Kites" not in trending  # steady; a single story
    assert 'href="/tag/Harbours?now=2025-06-10T12%3A00%3A00Z"' in trending
    assert '<h1 id="latest">Latest news</h1>' in html and "Harbours report 00" in html


def test_home_trending_follows_now(http: httpx.Client) -> None:
    html = http.get("/", params={"now": "2025-06-25T12:00:00Z"}).text
    assert "No hashtag is rising above its usual level right now." in html


def test_api_trending_matches_the_home_page(http: httpx.Client) -> None:
    found = http.get("/api/trending", params={"now": NOW_Q}).json()
    assert [t["tag"] for t in found["tags"]] == ["Drought", "Harbours"]
    assert found["tags"][1] == {
        "tag": "Harbours",
        "stories": 4,
        "baseline_per_window": 1.0,
        "rise": "+300%",
        "score": 2.0,
    }
    assert (found["window_hours"], found["baseline_days"], found["now"]) == (24, 7, NOW_Q)
    assert http.get("/api/trending", params={"now": "soon"}).status_code == 422


def test_every_page_has_the_site_navigation(http: httpx.Client) -> None:
    for path in ["/", "/sources", "/search", "/tag/Harbours", f"/outlet/{JT}"]:
        html = http.get(path, params={"now": NOW_Q}).text
        nav = html[html.index('<nav class="site"') : html.index("</nav>")]
        assert ">Home</a>" in nav and ">Sources</a>" in nav and ">Search</a>" in nav, path
        assert 'href="/sources?now=2025-06-10T12%3A00%3A00Z"' in nav


# outlet ----------------------------------------------------------------------------------------


def test_outlet_page_lists_its_stories_and_sources(http: httpx.Client) -> None:
    r = http.get("/outlet/Japan%20Today", params={"now": NOW_Q})
    html = r.text
    assert r.status_code == 200 and "<h1>Latest news from Japan Today</h1>" in html
    assert "Harbours report 00" in html and "1 hour ago" in html and "Drought report" not in html
    assert html.index("Harbours report 00") < html.index("Harbours report 03")
    assert 'href="/sources?now=2025-06-10T12%3A00%3A00Z#source-' in html
    assert ">Ok feed</a>" in html and ">Held feed</a>" in html and ">Error feed</a>" not in html
    assert (
        '<a class="outlet" href="/outlet/Japan%20Today?now=2025-06-10T12%3A00%3A00Z">Japan Today</a>' in html
    )


def test_outlet_page_pages(http: httpx.Client) -> None:
    first = http.get("/outlet/Ferry Gazette", params={"now": NOW_Q}).text
    assert 'rel="next" href="/outlet/Ferry%20Gazette?now=2025-06-10T12%3A00%3A00Z&amp;page=2"' in first
    second = http.get("/outlet/Ferry%20Gazette", params={"now": NOW_Q, "page": 2}).text
    assert "Ferries report 33" in second and 'rel="prev"' in second and 'rel="next"' not in second


def test_unknown_outlet_is_a_404_page(http: httpx.Client) -> None:
    r = http.get("/outlet/Nobody%20Here")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "No article from an outlet named &#39;Nobody Here&#39; is stored." in r.text
    assert http.get("/api/outlets/Nobody%20Here").status_code == 404


def test_an_odd_outlet_name_is_encoded_in_links_and_escaped_in_text(http: httpx.Client) -> None:
    html = http.get("/tag/Kites").text
    assert 'href="/outlet/Fish%20%26%20%3CChips%3E%20%22Weekly%22"' in html
    assert ">Fish &amp; &lt;Chips&gt; &#34;Weekly&#34;</a>" in html and "<Chips>" not in html
    page = http.get("/outlet/Fish%20%26%20%3CChips%3E%20%22Weekly%22")
    assert page.status_code == 200 and "Kites report 00" in page.text


def test_tag_and_story_pages_link_outlets(http: httpx.Client, world: World) -> None:
    tag = http.get("/tag/Harbours").text
    assert '<a class="outlet" href="/outlet/Japan%20Today">Japan Today</a>' in tag
    story = http.get(f"/story/{world.harbour_story}").text
    assert '<a class="outlet" href="/outlet/Japan%20Today">Japan Today</a>' in story


def test_api_outlet_has_stories_and_sources(http: httpx.Client, world: World) -> None:
    found = http.get("/api/outlets/Japan Today", params={"now": NOW_Q}).json()
    assert found["outlet"] == JT and found["stories"][0]["id"] == world.harbour_story
    assert sorted(s["status"] for s in found["sources"]) == ["held", "ok"]


# sources ---------------------------------------------------------------------------------------


def test_sources_page_shows_each_state_failing_first(http: httpx.Client, world: World) -> None:
    r = http.get("/sources", params={"now": NOW_Q})
    html = r.text
    assert r.status_code == 200 and "<h1>Sources</h1>" in html
    assert "4 sources: 1 ok, 1 failing, 1 held back, 1 not checked yet." in html
    order = [html.index(f'id="source-{world.sources[name].id}"') for name in ("error", "held", "new", "ok")]
    assert order == sorted(order)
    assert ">Error feed</h2>" in html and ">New feed</h2>" in html  # no article: the feed's own title
    ok_card = html[order[3] :]
    assert f">{JT}</h2>" in ok_card and "Feed: Ok feed" in ok_card  # the outlet, as the other pages name it
    error = html[html.index(f'id="source-{world.sources["error"].id}"') :]
    assert '<span class="status status-error">error</span> <span>2 errors in a row</span>' in error
    assert "Last error: HTTP 500 from error.example" in error and "due now</time>" in error
    ok = html[html.index(f'id="source-{world.sources["ok"].id}"') :]
    assert "5 minutes ago</time>" in ok and "in 25 minutes</time>" in ok and "<dd>12</dd>" in ok
    held = html[html.index(f'id="source-{world.sources["held"].id}"') :]
    assert "Held until" in held and "in 2 hours</time> (the server asked us to wait)" in held
    assert 'href="https://ok.example/feed.xml"' in html


def test_sources_page_is_made_for_phones(http: httpx.Client) -> None:
    html = http.get("/sources").text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "<table" not in html  # one card a source, not a table wider than a phone
    css = http.get("/static/style.css").text
    assert ".sources" in css and "dl.facts" in css


def test_api_sources_lists_status_and_errors(http: httpx.Client) -> None:
    found = http.get("/api/sources", params={"now": NOW_Q}).json()
    by_status = {s["status"]: s for s in found["sources"]}
    assert set(by_status) == {"ok", "error", "held", "new"}
    assert by_status["error"]["last_error"] == "HTTP 500 from error.example"
    assert by_status["error"]["error_count"] == 2 and by_status["ok"]["items_seen"] == 12
    assert by_status["held"]["hold_until"] == "2025-06-10T14:00:00Z"
    assert by_status["new"]["last_checked"] is None
    # once the hold has passed, the source is shown by its errors again
    later = http.get("/api/sources", params={"now": "2025-06-10T15:00:00Z"}).json()
    assert sorted(s["status"] for s in later["sources"]) == ["error", "error", "new", "ok"]


def test_sources_page_with_no_sources(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    repo = open_store(str(db))
    try:
        with running(create_app(load({"TAGWIRE_DATABASE": str(db)}), repo)) as base:
            html = httpx.get(base + "/sources").text
            home = httpx.get(base + "/").text
        assert "No sources yet: add one with <code>tagwire add URL</code>." in html
        assert "No stories yet." in home and "No hashtag is rising" in home
    finally:
        repo.close()
