"""The pages in a real browser: Debian's chromium driven by Playwright, against the real app under
uvicorn, over a real SQLite store that the real pipeline filled from outlets on a loopback HTTP
server (the built-in demo sample, and tests/fixtures/browser: an outlet whose feed item is titled
`<img src=x onerror=alert(1)>`).

Pages are rendered at the sample's fixed moment (`?now=`), so ages and links are stable. Each
page is a `Case` in PAGES: the generic checks (it opens, its heading shows, no dialog, no
horizontal overflow on a phone) run on every case, so a new page needs one line there.
Skips only when /usr/bin/chromium is absent outside CI (CI installs it: see .ci/run)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Dialog, Page, ViewportSize, sync_playwright

from tagwire.app.fetching import Fetching
from tagwire.app.understanding import understand_pending
from tagwire.config import load
from tagwire.demo.server import SAMPLE_DIR, SampleServer, format_date
from tagwire.serve.app import create_app
from tagwire.store import Repository, open_store
from tests.helpers import CHROMIUM, CHROMIUM_ARGS, MISSING
from tests.webserver import running

FIXTURES = Path(__file__).parent / "fixtures" / "browser"
EXPECTED = json.loads((SAMPLE_DIR / "expected.json").read_text())
HOSTILE = "<img src=x onerror=alert(1)>"
DESKTOP: ViewportSize = {"width": 1000, "height": 1250}  # the README screenshot's size (docs/screenshot.py)
PHONE: ViewportSize = {"width": 360, "height": 740}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(MISSING, reason="needs Debian's chromium: apt-get install -y chromium"),
]


@dataclass
class Site:
    """The running app, what the store holds, and the `?now=` every page is rendered at."""

    base: str
    now: str
    repo: Repository
    hostile_story: int = 0
    hostile_tags: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        joiner = "&" if "?" in path else "?"
        return f"{self.base}{path}{joiner}now={quote(self.now)}"


@dataclass(frozen=True)
class Case:
    """A page to open: its path (from the site, as story ids are known only once stored) and
    the heading it must show."""

    name: str
    path: Callable[[Site], str]
    heading: str


def ingest(repo: Repository, database: Path, feeds: list[str]) -> None:
    """What `tagwire add` and `tagwire fetch` do: follow the feeds, fetch, read pages, understand."""
    settings = load({"TAGWIRE_DATABASE": str(database), "TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1"})
    for url in feeds:
        repo.add_source(url, now=datetime.now(UTC))
    summary = asyncio.run(Fetching(repo, settings).fetch(repo.sources()))
    assert summary.failed == 0 and summary.pages_failed == 0, summary.errors
    understand_pending(repo, settings)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    database = tmp_path_factory.mktemp("browser") / "tagwire.db"
    repo = open_store(str(database))
    with SampleServer() as demo, SampleServer(FIXTURES) as gullwick:
        ingest(repo, database, [*demo.feed_urls(), *gullwick.feed_urls()])
        now = format_date(demo.now) or ""
    settings = load({"TAGWIRE_DATABASE": str(database)})
    with running(create_app(settings, repo)) as base:
        yield find_hostile(Site(base, now, repo))
    repo.close()


def find_hostile(site: Site) -> Site:
    """Where the hostile item landed: its story and hashtags, read from the store."""
    (story,) = [s for s in site.repo.stories(site.repo.latest_story_ids(50)) if s.headline == HOSTILE]
    site.hostile_story, site.hostile_tags = story.id, story.hashtags
    return site


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Tab:
    """A browser page and every dialog (alert, confirm, prompt) it tried to open."""

    page: Page
    dialogs: list[str]


def open_tab(browser: Browser, viewport: ViewportSize) -> Iterator[Tab]:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield Tab(page, dialogs)
    context.close()
    assert dialogs == [], f"a page opened a dialog: {dialogs}"


@pytest.fixture
def tab(browser: Browser) -> Iterator[Tab]:
    yield from open_tab(browser, DESKTOP)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Tab]:
    yield from open_tab(browser, PHONE)


def story_of_tag(site: Site) -> str:
    """The demo's story with most reports under its main tag (several reports: a story page)."""
    ids = site.repo.story_ids_for_tag(EXPECTED["tag"], limit=30)
    return f"/story/{max(site.repo.stories(ids), key=lambda s: len(s.articles)).id}"


PAGES = [
    Case("home", lambda s: "/", "Latest news"),
    Case("tag", lambda s: f"/tag/{EXPECTED['tag']}", EXPECTED["heading"]),
    Case("story", story_of_tag, "Thousands evacuated as wildfire sweeps through Carrow Hills"),
    Case("search", lambda s: "/search?q=Carrow+Hills", "Search: Carrow Hills"),
    Case("hostile story", lambda s: f"/story/{s.hostile_story}", HOSTILE),
    Case("outlet", lambda s: "/outlet/Kestrel%20Bay%20Observer", "Latest news from Kestrel Bay Observer"),
    Case("sources", lambda s: "/sources", "Sources"),
]
FEED_PAGES = [  # pages with "Follow in your reader" links, and what each feed is
    ("tag", lambda s: f"/tag/{EXPECTED['tag']}"),
    ("story", story_of_tag),
    ("search", lambda s: "/search?q=Carrow+Hills"),
]
FEED_TYPES = {
    "RSS": "application/rss+xml",
    "Atom": "application/atom+xml",
    "JSON Feed": "application/feed+json",
}


def heading(page: Page) -> str:
    return page.locator("h1").first.inner_text()


def overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0: no horizontal scrolling)."""
    width: Any = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    return int(width)


# every page -----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", PAGES, ids=lambda c: c.name)
def test_page_opens_and_shows_its_heading(site: Site, tab: Tab, case: Case) -> None:
    response = tab.page.goto(site.url(case.path(site)))
    assert response is not None and response.status == 200
    assert heading(tab.page) == case.heading
    assert tab.page.title().endswith("· tagwire")


@pytest.mark.parametrize("case", PAGES, ids=lambda c: c.name)
def test_page_fits_a_phone_without_horizontal_scrolling(site: Site, phone: Tab, case: Case) -> None:
    phone.page.goto(site.url(case.path(site)))
    assert heading(phone.page) == case.heading
    assert overflow(phone.page) <= 0


# what a reader does ---------------------------------------------------------------------------


def test_tag_page_lists_the_samples_stories_newest_first(site: Site, tab: Tab) -> None:
    tab.page.goto(site.url(f"/tag/{EXPECTED['tag']}"))
    shown = tab.page.locator("ol.stories > li h2.headline").all_inner_texts()
    leads = [s["articles"][0]["title"] for s in EXPECTED["stories_newest_first"]]
    assert shown == leads
    assert tab.page.get_by_text("also in:").first.is_visible()


def test_search_through_the_form(site: Site, tab: Tab) -> None:
    tab.page.goto(site.url("/search"))
    tab.page.locator("main input[name=q]").fill('"Carrow Hills" outlet:"Lakeside Daily"')
    tab.page.locator("main button[type=submit]").click()
    tab.page.wait_for_url("**/search?*")
    assert heading(tab.page) == 'Search: "Carrow Hills" outlet:"Lakeside Daily"'
    results = tab.page.locator("ol.results > li")
    assert results.count() == 1
    assert "Thousands evacuated as wildfire sweeps through Carrow Hills" in results.first.inner_text()
    assert tab.page.locator("ol.results mark").first.inner_text().lower().startswith("carrow")


def test_search_from_the_header_box(site: Site, tab: Tab) -> None:
    tab.page.goto(site.url("/"))
    box = tab.page.locator("header input[name=q]")
    box.fill(f"#{EXPECTED['tag']}")
    box.press("Enter")
    tab.page.wait_for_url("**/search?*")
    assert tab.page.locator("ol.results > li").count() == len(EXPECTED["stories_newest_first"])


def test_follow_links_from_home_to_tag_to_story_and_back_to_a_tag(site: Site, tab: Tab) -> None:
    page = tab.page
    page.goto(site.url("/"))
    page.get_by_role("link", name=f"#{EXPECTED['tag']}", exact=True).first.click()
    assert heading(page) == EXPECTED["heading"]
    assert f"now={quote(site.now, safe='')}" in page.url  # the page's moment is carried along
    page.locator("ol.stories > li").first.get_by_role("link", name="Compare all 4 reports").click()
    assert "/story/" in page.url
    assert heading(page) == "Thousands evacuated as wildfire sweeps through Carrow Hills"
    assert page.get_by_text("first published by").is_visible()
    page.locator("ul.tags").get_by_role("link", name="#CarrowHills").click()
    assert heading(page) == "Latest news with #CarrowHills"


def test_the_brand_link_leads_home(site: Site, tab: Tab) -> None:
    tab.page.goto(site.url(story_of_tag(site)))
    tab.page.get_by_role("link", name="tagwire", exact=True).click()
    assert heading(tab.page) == "Latest news"


def test_trending_hashtag_on_home_leads_to_its_page(site: Site, tab: Tab) -> None:
    tab.page.goto(site.url("/"))
    trend = tab.page.locator("section.trending a").first
    name = trend.inner_text()
    assert name.startswith("#")
    trend.click()
    assert heading(tab.page) == f"Latest news with {name}"


def test_outlet_name_leads_to_the_outlet_page_and_its_sources(site: Site, tab: Tab) -> None:
    tab.page.goto(site.url(f"/tag/{EXPECTED['tag']}"))
    tab.page.locator("ol.stories p.meta").first.get_by_role("link", name="Kestrel Bay Observer").click()
    assert heading(tab.page) == "Latest news from Kestrel Bay Observer"
    assert tab.page.locator("ol.stories > li").count() >= 2
    tab.page.locator("section.outlet-sources a").first.click()
    assert heading(tab.page) == "Sources"


def test_sources_page_lists_every_followed_feed(site: Site, tab: Tab) -> None:
    tab.page.goto(site.url("/sources"))
    shown = tab.page.locator("ol.sources > li").all_inner_texts()
    assert len(shown) == len(site.repo.sources()) == 6
    assert all("ok" in text for text in shown)


@pytest.mark.parametrize(("name", "path"), FEED_PAGES, ids=[n for n, _ in FEED_PAGES])
def test_feed_links_answer_with_their_feed_type(
    site: Site, tab: Tab, name: str, path: Callable[[Site], str]
) -> None:
    tab.page.goto(site.url(path(site)))
    links = tab.page.locator("p.feeds a")
    assert links.all_inner_texts() == list(FEED_TYPES)
    for label, mime in FEED_TYPES.items():
        href = links.get_by_text(label, exact=True).get_attribute("href")
        assert href is not None
        answer = tab.page.request.get(site.base + href)
        assert answer.status == 200 and answer.headers["content-type"].startswith(mime), (name, label)


# hostile text from a feed -------------------------------------------------------------------


def assert_shown_as_text(tab: Tab) -> None:
    """The hostile title is visible as its literal characters, no <img> was made, no dialog."""
    assert tab.page.get_by_text(HOSTILE, exact=True).first.is_visible()
    assert tab.page.locator("main img").count() == 0
    assert tab.dialogs == []


def test_hostile_title_is_text_on_the_home_page(site: Site, tab: Tab) -> None:
    tab.page.goto(site.url("/"))
    assert_shown_as_text(tab)
    assert tab.page.locator("ol.stories h2.headline").first.inner_text() == HOSTILE


def test_hostile_title_is_text_on_its_hashtag_page(site: Site, tab: Tab) -> None:
    assert site.hostile_tags, "understanding gave the hostile item no hashtag"
    tab.page.goto(site.url(f"/tag/{quote(site.hostile_tags[0])}"))
    assert_shown_as_text(tab)


def test_hostile_title_is_text_on_its_story_page(site: Site, tab: Tab) -> None:
    tab.page.goto(site.url(f"/story/{site.hostile_story}"))
    assert_shown_as_text(tab)
    assert heading(tab.page) == HOSTILE


def test_hostile_title_is_text_in_search_results(site: Site, tab: Tab) -> None:
    tab.page.goto(site.url("/search?q=Gullwick+mooring"))
    assert_shown_as_text(tab)
    assert "mooring" in tab.page.locator("ol.results mark").all_inner_texts()


# screenshot -----------------------------------------------------------------------------------


def test_screenshot_of_the_hashtag_page(site: Site, tab: Tab, tmp_path: Path) -> None:
    tab.page.goto(site.url(f"/tag/{EXPECTED['tag']}"))
    shot = tmp_path / "tag-page.png"
    tab.page.screenshot(path=str(shot))
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (DESKTOP["width"], DESKTOP["height"])
