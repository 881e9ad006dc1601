"""The whole path against the project's own sample outlets on a real local HTTP server:
`tagwire add`, `fetch`, `sources`, `page --json`, checked against sample/expected.json, and a
second fetch that costs only 304s."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tagwire.cli import app
from tagwire.demo.server import SAMPLE_DIR, SampleServer

EXPECTED = json.loads((SAMPLE_DIR / "expected.json").read_text())
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SampleServer, dict[str, str]]]:
    env = {
        "TAGWIRE_DATABASE": str(tmp_path_factory.mktemp("e2e") / "tw.db"),
        "TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1",
    }
    with SampleServer() as server:
        runner = CliRunner()
        added = runner.invoke(app, ["add", *server.feed_urls()], env=env)
        assert added.exit_code == 0, added.output
        fetched = runner.invoke(app, ["fetch"], env=env)
        assert fetched.exit_code == 0, fetched.output
        yield server, env


def tagwire(env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def page(world: tuple[SampleServer, dict[str, str]]) -> dict[str, Any]:
    server, env = world
    data: dict[str, Any] = json.loads(
        tagwire(env, "page", EXPECTED["tag"], "--json", "--now", EXPECTED["now"])
    )
    return json.loads(json.dumps(data).replace(server.base, "{{BASE}}"))


def test_heading_and_stories_newest_first(page: dict[str, Any]) -> None:
    assert page["heading"] == EXPECTED["heading"]
    got = [sorted(a["outlet"] for a in s["articles"]) for s in page["stories"]]
    want = [sorted(a["outlet"] for a in s["articles"]) for s in EXPECTED["stories_newest_first"]]
    assert got == want


@pytest.mark.parametrize("field", ["title", "category", "published", "age", "wire_origin", "copy_of"])
def test_every_article_as_expected(page: dict[str, Any], field: str) -> None:
    got = {a["url"]: a[field] for s in page["stories"] for a in s["articles"]}
    want = {a["url"]: a[field] for s in EXPECTED["stories_newest_first"] for a in s["articles"]}
    assert got == want


def test_summaries_are_there(page: dict[str, Any]) -> None:
    assert all(len(a["summary"]) >= 80 for s in page["stories"] for a in s["articles"])


def test_relisting_collapsed_into_one_article(page: dict[str, Any]) -> None:
    (strike,) = [s for s in EXPECTED["stories_newest_first"] if "relisting" in s]
    urls = [a["url"] for s in page["stories"] for a in s["articles"]]
    assert urls.count(strike["relisting"]["url"]) == 1
    assert not any("utm_source" in u for u in urls)


def test_hashtags(page: dict[str, Any]) -> None:
    h = EXPECTED["hashtags_expected"]
    tags = [set(a["hashtags"]) for s in page["stories"] for a in s["articles"]]
    assert all(set(h["every_article"]) <= t for t in tags)
    union = set().union(*tags)
    assert not union & set(EXPECTED["hashtags_forbidden"])
    for story in ("fire_story", "strike_story", "pact_story"):
        assert set(h[story]) <= union, story


def test_other_story_stays_off_the_page(page: dict[str, Any]) -> None:
    titles = {a["title"] for s in page["stories"] for a in s["articles"]}
    for s in EXPECTED["stories_not_on_page"]:
        assert not titles & {a["title"] for a in s["articles"]}


def test_sources_listed_by_outlet_as_every_page_names_it(world: tuple[SampleServer, dict[str, str]]) -> None:
    """The feed calls itself "LAKESIDE DAILY NEWS", its articles and every page "Lakeside Daily":
    `tagwire sources` says the latter, as /sources does; the feed's own title stays in the JSON."""
    out = tagwire(world[1], "sources")
    assert "\tLakeside Daily http" in out and "LAKESIDE" not in out and out.count("\tok\t") == 5
    listed = {s["outlet"]: s["title"] for s in json.loads(tagwire(world[1], "sources", "--json"))}
    assert listed["Lakeside Daily"] == "LAKESIDE DAILY NEWS"


def test_second_fetch_costs_only_304s(world: tuple[SampleServer, dict[str, str]]) -> None:
    server, env = world
    before = sum(server.hits.values())
    tagwire(env, "fetch")
    assert sum(server.hits.values()) - before == len(server.feed_urls())
    stats = json.loads(tagwire(env, "stats", "--json"))
    assert stats["pending"] == 0 and stats["articles"] == 13


def test_broken_source_recorded_and_run_goes_on(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "feeds").mkdir(parents=True)
    (root / "feeds" / "broken.rss").write_bytes(b"<html><body>We moved!</body></html>")
    env = {"TAGWIRE_DATABASE": str(tmp_path / "tw.db"), "TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1"}
    with SampleServer(root) as broken, SampleServer() as good:
        urls = [broken.base + "/feeds/broken.rss", broken.base + "/feeds/missing.rss", good.feed_urls()[0]]
        opml = tmp_path / "mine.opml"
        opml.write_text("<opml><body>" + "".join(f'<outline xmlUrl="{u}"/>' for u in urls) + "</body></opml>")
        refused = CliRunner().invoke(app, ["add", str(opml)], env=env)
        assert refused.exit_code == 1 and "1 added, 0 already followed, 2 refused" in refused.output
        assert "not a feed" in refused.output and "404" in refused.output
        tagwire(env, "add", "--anyway", str(opml))  # an outlet down right now is followed all the same
        result = CliRunner().invoke(app, ["fetch", "--feeds-only"], env=env)
        assert result.exit_code == 0 and "Traceback" not in result.output
        sources = tagwire(env, "sources")
    assert "not a feed" in sources and "404" in sources
    assert json.loads(tagwire(env, "stats", "--json"))["articles"] > 0


def test_private_addresses_refused_by_default(tmp_path: Path) -> None:
    env = {"TAGWIRE_DATABASE": str(tmp_path / "tw.db")}
    with SampleServer() as server:
        refused = CliRunner().invoke(app, ["add", server.feed_urls()[0]], env=env)
        assert refused.exit_code == 1 and "TAGWIRE_ALLOW_PRIVATE_NETWORKS" in refused.output
        tagwire(env, "add", "--anyway", server.feed_urls()[0])
        CliRunner().invoke(app, ["fetch"], env=env)
        assert server.hits == {} or sum(server.hits.values()) == 0
    assert "TAGWIRE_ALLOW_PRIVATE_NETWORKS" in tagwire(env, "sources").replace("\n", "")


def test_news_sitemap_index_followed_as_a_source(tmp_path: Path) -> None:
    """`tagwire add` on a sitemap index: classified as a sitemap, its child news sitemap fetched,
    recent article URLs read like feed items (title and date from the sitemap, text from the page)."""
    import shutil
    from datetime import UTC, datetime

    root = tmp_path / "world"
    shutil.copytree(SAMPLE_DIR / "site", root / "site")
    (root / "feeds").mkdir()
    news = "http://www.google.com/schemas/sitemap-news/0.9"
    pages = [
        (
            "harborledger/news/world/aldoria-and-norvesta-sign-cyber-defence-pact-after-wave-of-attacks.html",
            "-3h",
        ),
        ("kestrelbay/local/kestrel-bay-firefighters-join-battle-against-carrow-hills-blaze.html", "-90d"),
    ]
    urls = "".join(
        f"<url><loc>{{{{BASE}}}}/{path}</loc><news:news>"
        "<news:publication><news:name>Harbor Ledger</news:name>"
        f"</news:publication><news:publication_date>{{{{DATE:{age}}}}}</news:publication_date>"
        f"<news:title>Listed title {i}</news:title></news:news></url>"
        for i, (path, age) in enumerate(pages)
    )
    (root / "site" / "news-sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="{news}">{urls}</urlset>'
    )
    (root / "site" / "sitemap.xml").write_text(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>{{BASE}}/news-sitemap.xml</loc></sitemap></sitemapindex>"
    )
    env = {"TAGWIRE_DATABASE": str(tmp_path / "tw.db"), "TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1"}
    with SampleServer(root, now=datetime.now(UTC)) as server:
        tagwire(env, "add", server.base + "/sitemap.xml")
        tagwire(env, "fetch", "--no-understand")
        listed = tagwire(env, "sources")
    assert (
        "\tok\t" in listed and json.loads(tagwire(env, "stats", "--json"))["articles"] == 1
    )  # the 90-day-old one is skipped
    from tagwire.store import open_store

    [article] = open_store(env["TAGWIRE_DATABASE"]).pending()
    assert (
        article.title == "Listed title 0" and article.outlet == "Harbor Ledger" and len(article.text) > 1000
    )


def test_the_readme_example_page_is_the_demos(world: tuple[SampleServer, dict[str, str]]) -> None:
    """The README's page "in words" is what `make demo` shows: the demo's first hashtag (the most
    used, as the demo picks it), its newest story's outlet, section and headline, and the outlets
    "also in" it."""
    _, env = world
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    example = readme.split("as `make demo` shows it", 1)[1].split("```\n", 2)[1]
    heading, _, byline, headline, _, also = example.splitlines()[:6]
    top = json.loads(tagwire(env, "tags", "--json", "--top", "1"))["tags"][0]["tag"]
    assert heading == f"Latest news with #{top}"
    lead, *others = json.loads(tagwire(env, "page", top, "--json"))["stories"][0]["articles"]
    outlet, _age, section = byline.split(" · ")
    assert (outlet, section, headline) == (lead["outlet"], lead["category"], lead["title"])
    assert also.split(": ", 1)[1].split(" (")[0].split(" · ") == [a["outlet"] for a in others]
