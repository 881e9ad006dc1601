"""The demo world and its server: placeholders, HTTP behaviour, and the sample against its answer key.

Feeds are read with the standard library only (xml.etree, json), so these tests judge the sample
itself, not tagwire's parsers.
"""

from __future__ import annotations

import difflib
import http.client
import json
import os
import re
import subprocess
import sys
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlsplit

import pytest

from tagwire.demo import DEMO_NOW, SAMPLE_DIR, SampleServer
from tagwire.demo.server import demo_shift, format_date, locate, parse_offset, render
from tagwire.errors import InputError

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
EXPECTED: dict[str, Any] = json.loads((SAMPLE_DIR / "expected.json").read_text(encoding="utf-8"))


# -- helpers -----------------------------------------------------------------------------------------


class Page(HTMLParser):
    """What the tests need from an article page: meta tags, links, JSON-LD, body paragraphs."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.jsonld: list[dict[str, Any]] = []
        self.paragraphs: list[str] = []
        self._in_article = 0
        self._capture: str | None = None
        self._buffer: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a["name"]] = a.get("content", "")
        elif tag == "link" and "rel" in a:
            self.links.setdefault(a["rel"], a.get("href", ""))
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._start("jsonld")
        elif tag == "article":
            self._in_article += 1
        elif tag == "p" and self._in_article and a.get("class", "credit") == "credit":
            self._start("p")

    def _start(self, what: str) -> None:
        self._capture, self._buffer = what, []

    def handle_data(self, data: str) -> None:
        if self._capture:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._in_article -= 1
        elif self._capture == "jsonld" and tag == "script":
            self.jsonld.append(json.loads("".join(self._buffer)))
            self._capture = None
        elif self._capture == "p" and tag == "p":
            self.paragraphs.append("".join(self._buffer))
            self._capture = None

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, dict(r.headers.items()), r.read()
    except HTTPError as e:
        return e.code, dict(e.headers.items()), e.read()


def raw_get(server: SampleServer, path: str) -> int:
    """GET with the path sent exactly as written (urllib would not send '..' untouched)."""
    host, port = urlsplit(server.base).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def feed_items(body: bytes, name: str) -> list[dict[str, Any]]:
    """(link, title, published, categories) of every item, in the feed's own format."""
    if name.endswith(".json"):
        return [
            {"link": i["url"], "title": i["title"], "published": iso(i["date_published"]), "cats": i["tags"]}
            for i in json.loads(body)["items"]
        ]
    root = ET.fromstring(body)
    if root.tag == "rss":
        return [
            {"link": i.findtext("link"), "title": i.findtext("title"),
             "published": parsedate_to_datetime(i.findtext("pubDate") or ""),
             "cats": [c.text for c in i.findall("category")]}
            for i in root.iter("item")
        ]  # fmt: skip
    if root.tag == f"{ATOM}feed":
        return [
            {"link": e.find(f"{ATOM}link[@rel='alternate']").get("href"),  # type: ignore[union-attr]
             "title": e.findtext(f"{ATOM}title"), "published": iso(e.findtext(f"{ATOM}published") or ""),
             "cats": [c.get("term") for c in e.findall(f"{ATOM}category")]}
            for e in root.iter(f"{ATOM}entry")
        ]  # fmt: skip
    assert root.tag == f"{RDF}RDF", root.tag
    return [
        {"link": i.findtext(f"{RSS1}link"), "title": i.findtext(f"{RSS1}title"),
         "published": iso(i.findtext(f"{DC}date") or ""), "cats": [i.findtext(f"{DC}subject")]}
        for i in root.iter(f"{RSS1}item")
    ]  # fmt: skip


def feed_format(body: bytes, name: str) -> str:
    if name.endswith(".json"):
        assert json.loads(body)["version"] == "https://jsonfeed.org/version/1.1"
        return "json"
    root = ET.fromstring(body)
    return {"rss": "rss", f"{ATOM}feed": "atom", f"{RDF}RDF": "rdf"}[root.tag]


def feed_title(body: bytes, name: str) -> str:
    if name.endswith(".json"):
        return str(json.loads(body)["title"])
    root = ET.fromstring(body)
    title = (
        root.findtext("channel/title")
        or root.findtext(f"{ATOM}title")
        or root.findtext(f"{RSS1}channel/{RSS1}title")
    )
    return title or ""


def home_link(body: bytes, name: str) -> str:
    """The outlet's home page as its feed gives it."""
    if name.endswith(".json"):
        return str(json.loads(body)["home_page_url"])
    root = ET.fromstring(body)
    atom = root.find(f"{ATOM}link[@rel='alternate']")
    link = root.findtext("channel/link") or root.findtext(f"{RSS1}channel/{RSS1}link")
    return link or (atom.get("href") or "" if atom is not None else "")


def all_expected_articles() -> list[dict[str, Any]]:
    stories = EXPECTED["stories_newest_first"] + EXPECTED["stories_not_on_page"]
    return [a for s in stories for a in s["articles"]]


def words_of(tag: str) -> str:
    """'SennetHarbourTerminals' -> 'sennet harbour terminals', to look a hashtag up in text."""
    return " ".join(re.findall(r"[A-Z][a-z]*|[a-z]+", tag)).lower()


@pytest.fixture(scope="module")
def server() -> Iterator[SampleServer]:
    with SampleServer() as s:
        yield s


@pytest.fixture(scope="module")
def pages(server: SampleServer) -> dict[str, Page]:
    """Every article page the answer key names, parsed, by its {{BASE}} url."""
    out = {}
    for a in all_expected_articles():
        status, _, body = get(a["url"].replace("{{BASE}}", server.base))
        assert status == 200, a["url"]
        out[a["url"]] = Page(body.decode("utf-8"))
    return out


# -- placeholders ------------------------------------------------------------------------------------


def test_render_fills_base_and_every_date_format() -> None:
    anchor = datetime(2025, 9, 18, 12, 0, tzinfo=UTC)
    text = (
        b"{{BASE}}/x {{DATE:-26h}} {{DATE:-26h|iso|+02:00}} {{DATE:-26h|rfc822}} "
        b"{{DATE:-26h|rfc822|GMT}} {{DATE:-26h|rfc822|+02:00}} {{DATE:-1d2h|day}} "
        b"{{DATE:-72h30m|long|+02:00}}"
    )
    out, newest = render(text, "http://h:1", anchor)
    assert out.decode().split(" ") == [
        "http://h:1/x", "2025-09-17T10:00:00Z", "2025-09-17T12:00:00+02:00",
        "Wed,", "17", "Sep", "2025", "10:00:00", "+0000",
        "Wed,", "17", "Sep", "2025", "10:00:00", "GMT",
        "Wed,", "17", "Sep", "2025", "12:00:00", "+0200",
        "2025-09-17", "Monday", "15", "September", "2025,", "13:30",
    ]  # fmt: skip
    assert newest == datetime(2025, 9, 17, 10, 0, tzinfo=UTC)


def test_render_leaves_what_it_cannot_read_and_reports_no_date() -> None:
    text = b"{{DATE:-2h|weekday}} {{DATE:yesterday}} {{BASEURL}}"
    assert render(text, "http://h:1", DEMO_NOW) == (text, None)


def test_render_keeps_bytes_that_are_not_utf8() -> None:
    body = "<title>Caf\xe9 {{DATE:-1h|day}}</title>".encode("latin-1")
    out, _ = render(body, "http://h:1", DEMO_NOW)
    assert out == "<title>Caf\xe9 2025-09-18</title>".encode("latin-1")


@pytest.mark.parametrize(
    ("text", "minutes"), [("-26h", -1560), ("-72h30m", -4350), ("-1d2h", -1560), ("+5m", 5), ("90m", 90)]
)
def test_parse_offset(text: str, minutes: int) -> None:
    assert parse_offset(text) == timedelta(minutes=minutes)


def test_shift_is_whole_minutes_and_needs_a_time_zone() -> None:
    assert demo_shift(None) == timedelta(0)
    assert demo_shift(DEMO_NOW + timedelta(days=3, seconds=31)) == timedelta(days=3, minutes=1)
    assert demo_shift(DEMO_NOW - timedelta(seconds=29)) == timedelta(0)
    with pytest.raises(InputError, match="time zone"):
        demo_shift(datetime(2026, 1, 1))


def test_format_date_unknown_format_is_none() -> None:
    assert format_date(DEMO_NOW, "julian") is None


# -- the sample, served ------------------------------------------------------------------------------


def test_feeds_parse_in_four_formats_with_the_right_content_type(server: SampleServer) -> None:
    kinds = {"rss": "application/rss+xml", "atom": "application/atom+xml", "rdf": "application/rdf+xml",
             "json": "application/feed+json; charset=utf-8"}  # fmt: skip
    formats = []
    for url in server.feed_urls():
        status, headers, body = get(url)
        assert status == 200
        kind = feed_format(body, url)
        assert headers["Content-Type"] == kinds[kind]
        items = feed_items(body, url)
        assert items and all(i["title"] and i["cats"] and i["published"].tzinfo for i in items)
        formats.append(kind)
    assert sorted(formats) == ["atom", "json", "rdf", "rss", "rss"]


def test_every_link_in_every_feed_resolves_to_a_page(server: SampleServer) -> None:
    links = set()
    for url in server.feed_urls():
        body = get(url)[2]
        links |= {i["link"] for i in feed_items(body, url)} | {home_link(body, url)}
    assert len(links) == 14 + 5
    for link in sorted(links):
        assert link.startswith(server.base), link
        status, headers, _ = get(link)
        assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8"), link


def test_every_placeholder_is_filled_and_no_date_is_after_now(server: SampleServer) -> None:
    dates = []
    for url in server.feed_urls():
        body = get(url)[2]
        assert b"{{" not in body
        dates += [i["published"] for i in feed_items(body, url)]
    for page in SAMPLE_DIR.glob("site/**/*.html"):
        body = get(server.base + "/" + page.relative_to(SAMPLE_DIR / "site").as_posix())[2]
        assert b"{{" not in body, page
    assert max(dates) <= DEMO_NOW and min(dates) >= DEMO_NOW - timedelta(days=4)


def test_a_server_given_now_shifts_every_date_by_the_same_minutes(server: SampleServer) -> None:
    now = DEMO_NOW + timedelta(days=40, hours=5, minutes=17, seconds=40)
    shift = timedelta(days=40, hours=5, minutes=18)
    with SampleServer(now=now) as shifted:
        assert shifted.shift == shift and shifted.now == DEMO_NOW + shift
        for fixed_url, moved_url in zip(server.feed_urls(), shifted.feed_urls(), strict=True):
            before = feed_items(get(fixed_url)[2], fixed_url)
            after = feed_items(get(moved_url)[2], moved_url)
            assert [a["published"] - b["published"] for a, b in zip(after, before, strict=True)] == [
                shift
            ] * len(before)
        a = all_expected_articles()[0]
        page = Page(get(a["url"].replace("{{BASE}}", shifted.base))[2].decode())
        assert iso(page.meta["article:published_time"]) == iso(a["published"]) + shift


def test_conditional_get_answers_304_to_its_etag_and_date(server: SampleServer) -> None:
    url = server.feed_urls()[0]
    status, headers, body = get(url)
    assert status == 200 and headers["ETag"].startswith('"')
    assert parsedate_to_datetime(headers["Last-Modified"]) <= DEMO_NOW
    before = server.hits[urlsplit(url).path]
    assert get(url, {"If-None-Match": headers["ETag"]})[:1] == (304,)
    assert get(url, {"If-None-Match": f'"other", W/{headers["ETag"]}'})[0] == 304
    assert get(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert server.hits[urlsplit(url).path] == before + 3
    assert get(url, {"If-None-Match": '"stale"'})[::2] == (200, body)
    earlier = format_datetime(
        parsedate_to_datetime(headers["Last-Modified"]) - timedelta(hours=1), usegmt=True
    )
    assert get(url, {"If-Modified-Since": earlier})[0] == 200
    assert get(url, {"If-Modified-Since": "not a date"})[0] == 200


def test_head_answers_headers_only(server: SampleServer) -> None:
    request = urllib.request.Request(server.feed_urls()[0], method="HEAD")
    with urllib.request.urlopen(request, timeout=10) as r:
        assert r.status == 200 and int(r.headers["Content-Length"]) > 500 and r.read() == b""


@pytest.mark.parametrize(
    "path",
    [
        "/nope.html", "/", "/feeds/", "/feeds/missing.rss", "/expected.json", "/feeds/../expected.json",
        "/../expected.json", "/%2e%2e/expected.json", "/feeds/%2e%2e/expected.json", "/..%2fexpected.json",
        "/feeds/..%2f..%2fsample/expected.json", "/harborledger/%00", "/harborledger/..%5c..%5cexpected.json",
    ],
)  # fmt: skip
def test_anything_else_is_404_and_traversal_is_refused(server: SampleServer, path: str) -> None:
    assert raw_get(server, path) == 404


def test_hits_count_requests_per_path_without_the_query(server: SampleServer) -> None:
    path = "/kestrelbay/"
    before = server.hits[path]
    get(server.base + path)
    get(server.base + path + "?utm_source=rss")
    assert server.hits[path] == before + 2
    assert (path + "?utm_source=rss", 200) in server.requests


def test_sources_opml_lists_every_feed(server: SampleServer) -> None:
    status, headers, body = get(server.base + "/sources.opml")
    assert status == 200 and headers["Content-Type"] == "text/x-opml"
    urls = [o.get("xmlUrl") for o in ET.fromstring(body).iter("outline")]
    assert urls == server.feed_urls()


def test_base_is_unknown_before_start() -> None:
    with pytest.raises(RuntimeError, match="started"):
        _ = SampleServer().base


def test_module_prints_base_first_and_serves(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "tagwire.demo.server", "--port", "0", "--now", "2026-01-02T03:04:05Z"]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) as proc:
        try:
            assert proc.stdout is not None
            word, base = proc.stdout.readline().split()
            assert word == "BASE" and base.startswith("http://127.0.0.1:")
            assert proc.stdout.readline().strip() == "NOW 2026-01-02T03:04:00Z"
            assert get(base + "/feeds/kestrelbay.rss")[0] == 200
        finally:
            proc.terminate()
        assert proc.stderr is not None and proc.stderr.read() == ""  # quiet: no request log, no warning


def test_module_refuses_a_bad_now() -> None:
    cmd = [sys.executable, "-m", "tagwire.demo.server", "--now", "last week"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "--now 'last week'" in done.stderr


# -- any directory -----------------------------------------------------------------------------------


def test_serves_an_arbitrary_directory_byte_for_byte(tmp_path: Path) -> None:
    broken = b'<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Caf\xe9 & co'
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "broken.rss").write_bytes(broken)
    (tmp_path / "feeds" / "items.json").write_text('{"items": [{"url": "{{BASE}}/a/"}]}')
    (tmp_path / "site" / "a").mkdir(parents=True)
    (tmp_path / "site" / "a" / "index.html").write_bytes(b"<p>caf\xe9</p>")
    (tmp_path / "outside.txt").write_text("secret")
    (tmp_path / "site" / "link.txt").symlink_to(tmp_path / "outside.txt")
    with SampleServer(tmp_path) as s:
        assert s.feed_urls() == [s.base + "/feeds/broken.rss", s.base + "/feeds/items.json"]
        status, headers, body = get(s.feed_urls()[0])
        assert (status, headers["Content-Type"], body) == (200, "application/rss+xml", broken)
        assert parsedate_to_datetime(headers["Last-Modified"]).timestamp() == int(
            (tmp_path / "feeds" / "broken.rss").stat().st_mtime
        )
        assert json.loads(get(s.feed_urls()[1])[2])["items"][0]["url"] == s.base + "/a/"
        assert get(s.base + "/a/")[1]["Content-Type"] == "text/html"
        assert get(s.base + "/a")[0] == 200
        assert raw_get(s, "/link.txt") == 404
        assert raw_get(s, "/outside.txt") == 404


def test_a_directory_without_feeds_or_site_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nothing to serve"):
        SampleServer(tmp_path)


def test_locate_stays_inside_the_served_directories(tmp_path: Path) -> None:
    (tmp_path / "site" / "x").mkdir(parents=True)
    (tmp_path / "site" / "x" / "index.html").write_text("x")
    assert locate(tmp_path, "/x/?q=1") == tmp_path / "site" / "x" / "index.html"
    assert locate(tmp_path, "/x/../../site/x/index.html") is None
    assert locate(tmp_path, "/feeds") is None


def test_a_port_in_use_is_an_input_error() -> None:
    with SampleServer() as first:
        port = int(first.base.rsplit(":", 1)[1])
        with pytest.raises(InputError, match="cannot listen"):
            SampleServer(port=port).start()


# -- the sample against its answer key ---------------------------------------------------------------


def test_every_outlet_in_the_key_has_its_feed_and_names_itself_on_its_pages(
    server: SampleServer, pages: dict[str, Page]
) -> None:
    for outlet in EXPECTED["outlets"]:
        url = f"{server.base}/{outlet['feed']}"
        body = get(url)[2]
        assert feed_format(body, url) == outlet["format"]
        assert feed_title(body, url) == outlet["feed_title"]
        own = [p for a in all_expected_articles() if a["outlet"] == outlet["name"] for p in [pages[a["url"]]]]
        assert own and all(p.meta["og:site_name"] == outlet["name"] for p in own)
        assert all(p.jsonld[0]["publisher"]["name"] == outlet["name"] for p in own)
    lakeside = next(o for o in EXPECTED["outlets"] if o["name"] == "Lakeside Daily")
    assert lakeside["feed_title"] == "LAKESIDE DAILY NEWS"


def test_every_article_in_the_key_matches_its_page(server: SampleServer, pages: dict[str, Page]) -> None:
    for a in all_expected_articles():
        p = pages[a["url"]]
        ld = p.jsonld[0]
        assert p.links["canonical"] == ld["mainEntityOfPage"] == a["url"].replace("{{BASE}}", server.base)
        assert (p.meta["og:title"], ld["headline"]) == (a["title"], a["title"])
        assert (p.meta["article:section"], ld["articleSection"]) == (a["category"], a["category"])
        assert iso(p.meta["article:published_time"]) == iso(ld["datePublished"]) == iso(a["published"])
        assert ld["@type"] == "NewsArticle"


def test_every_feed_item_is_an_article_of_the_key(server: SampleServer) -> None:
    known = {a["url"].replace("{{BASE}}", server.base): a for a in all_expected_articles()}
    listed = []
    for url in server.feed_urls():
        for item in feed_items(get(url)[2], url):
            clean = item["link"].split("?")[0]
            assert clean in known, item["link"]
            assert item["cats"][0] == known[clean]["category"]
            listed.append(clean)
    assert sorted(set(listed)) == sorted(known)
    assert 12 <= len(known) <= 16


def test_article_texts_are_news_length(pages: dict[str, Page]) -> None:
    for url, page in pages.items():
        assert 250 <= len(page.text.split()) <= 450, url


def test_ages_and_order_follow_from_the_published_times() -> None:
    now = iso(EXPECTED["now"])
    for a in all_expected_articles():
        hours = (now - iso(a["published"])) / timedelta(hours=1)
        n, unit = (int(hours), "hour") if hours < 24 else (int(hours // 24), "day")
        assert a["age"] == f"{n} {unit}{'' if n == 1 else 's'} ago", a
    stories = EXPECTED["stories_newest_first"]
    for key in (min, max):
        times = [key(iso(a["published"]) for a in s["articles"]) for s in stories]
        assert times == sorted(times, reverse=True)
    for s in stories:
        times = [iso(a["published"]) for a in s["articles"]]
        assert times == sorted(times, reverse=True)


def test_wire_copies_carry_the_wire_and_are_near_duplicates(pages: dict[str, Page]) -> None:
    (pact,) = [s for s in EXPECTED["stories_newest_first"] if "copies" in s]
    (pair,) = pact["copies"]
    original, copy = pages[pair["original"]], pages[pair["copy"]]
    by_url = {a["url"]: a for a in pact["articles"]}
    assert by_url[pair["copy"]]["copy_of"] == pair["original"]
    assert iso(by_url[pair["original"]]["published"]) < iso(by_url[pair["copy"]]["published"])
    for page in (original, copy):
        assert "(Meridian Wire) --" in page.paragraphs[0] + page.paragraphs[1]
        assert page.paragraphs[-1] == "© MERIDIAN WIRE"
        assert page.jsonld[0]["sourceOrganization"]["name"] == pair["wire_origin"]
    assert "the U.S." in original.text and "the US" in copy.text
    assert len(original.paragraphs) == len(copy.paragraphs) + 2  # a caption added, a paragraph trimmed
    assert similarity(original.text, copy.text) > 0.8
    for a in pact["articles"]:
        if a["url"] not in (pair["original"], pair["copy"]):
            assert a["wire_origin"] is None and a["copy_of"] is None
            assert similarity(original.text, pages[a["url"]].text) < 0.3
            assert "Meridian" not in pages[a["url"]].text


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def test_outlets_own_reports_have_no_wire_credit(pages: dict[str, Page]) -> None:
    for a in all_expected_articles():
        if a["wire_origin"] is None:
            assert "©" not in pages[a["url"]].text and "sourceOrganization" not in pages[a["url"]].jsonld[0]


def test_the_relisting_is_listed_twice_under_two_titles(server: SampleServer) -> None:
    (strike,) = [s for s in EXPECTED["stories_newest_first"] if "relisting" in s]
    relisting = strike["relisting"]
    outlet = next(o for o in EXPECTED["outlets"] if o["name"] == relisting["outlet"])
    url = f"{server.base}/{outlet['feed']}"
    page_url = relisting["url"].replace("{{BASE}}", server.base)
    items = [i for i in feed_items(get(url)[2], url) if i["link"].split("?")[0] == page_url]
    assert len(items) == strike["collapsed_listings"]
    assert sorted(i["title"] for i in items) == sorted(relisting["listed_titles"])
    listed = sorted(u.replace("{{BASE}}", server.base) for u in relisting["listed_urls"])
    assert sorted(i["link"] for i in items) == listed
    assert any("utm_source=" in u for u in listed)


def test_hashtags_of_the_key_are_in_the_texts(pages: dict[str, Page]) -> None:
    tags = EXPECTED["hashtags_expected"]
    on_page = EXPECTED["stories_newest_first"]
    person = words_of(EXPECTED["tag"])
    stories = {"fire_story": on_page[0], "strike_story": on_page[1], "pact_story": on_page[2],
               "rates_story": EXPECTED["stories_not_on_page"][0]}  # fmt: skip
    for key, story in stories.items():
        text = " ".join(pages[a["url"]].text for a in story["articles"]).lower()
        assert all(words_of(t) in text for t in tags[key]), key
    for story in on_page:
        for a in story["articles"]:
            text = pages[a["url"]].text.lower()
            assert all(words_of(t) in text for t in tags["every_article"]), a["url"]
            assert not any(words_of(t) in text for t in EXPECTED["hashtags_forbidden_on_page"]), a["url"]
    for a in EXPECTED["stories_not_on_page"][0]["articles"]:
        assert person.split()[-1] not in pages[a["url"]].text.lower()
    (pact,) = [s for s in on_page if "copies" in s]
    for url in pact["copies"][0].values():
        if url.startswith("{{BASE}}"):
            assert all(words_of(t) in pages[url].text.lower() for t in tags["pact_story_wire_copies"])


def test_page_boilerplate_is_there_to_be_removed(server: SampleServer, pages: dict[str, Page]) -> None:
    for a in all_expected_articles():
        html = get(a["url"].replace("{{BASE}}", server.base))[2].decode()
        assert all(w in html for w in ("Advertisement", "Most read", "©")), a["url"]
        assert html.count("<li>") >= 11  # a menu of sections and the 'Most read' list
        most_read = html.split("Most read", 1)[1]
        assert "Bank of Aldoria" in most_read  # a trap: a story that is not this one, in the boilerplate
