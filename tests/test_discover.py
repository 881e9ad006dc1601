"""Source discovery: OPML in and out, feed links announced by a page, the usual feed addresses,
and the cheap sniffing that decides what a fetched body is. Fixtures: tests/fixtures/feeds."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tagwire.errors import InputError
from tagwire.ingest.discover import (
    COMMON_FEED_PATHS,
    export_opml,
    find_feed_links,
    looks_like_feed,
    looks_like_opml,
    parse_opml,
)

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"


# ── OPML ──────────────────────────────────────────────────────────────────────────────────────


def test_parse_opml_reads_nested_outlines_in_order_once_each() -> None:
    feeds = parse_opml((FIXTURES / "subscriptions.opml").read_bytes())
    assert feeds == [
        ("https://harbor-ledger.example/feed/", "The Harbor Ledger"),  # title wins over text
        ("https://northwind-courier.example/blog/atom.xml", "Northwind Courier"),
        ("https://kestrel-daily.example/index.rdf", "Kestrel Daily"),  # two folders deep
        ("https://tidewater-post.example/feed.json", None),  # lower-case xmlurl; text is only the address
    ]


def test_parse_opml_takes_text_as_well_as_bytes() -> None:
    text = (FIXTURES / "subscriptions.opml").read_text(encoding="utf-8")
    assert parse_opml(text) == parse_opml((FIXTURES / "subscriptions.opml").read_bytes())


def test_parse_opml_text_ignores_the_encoding_its_declaration_names() -> None:
    text = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>'
        '<opml><body><outline text="Café Crier" xmlUrl="https://c.example/"/></body></opml>'
    )
    assert parse_opml(text) == [("https://c.example/", "Café Crier")]
    assert parse_opml(text.encode("iso-8859-1")) == [("https://c.example/", "Café Crier")]


def test_parse_opml_forgives_a_bare_ampersand_in_a_title() -> None:
    text = (
        '<opml version="1.0"><body>'
        '<outline text="Fish & Ships Weekly" xmlUrl="https://fish.example/rss"/></body></opml>'
    )
    assert parse_opml(text) == [("https://fish.example/rss", "Fish & Ships Weekly")]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<html><body><p>Hello</p></body></html>", "root element is <html>, not <opml>"),
        ("<opml><body><outline></body>", r"line 1, column \d+: mismatched tag"),
        ("name,url\nHarbor,https://harbor-ledger.example/feed/\n", "line 1, column 1: syntax error"),
        ("", "no element found"),
    ],
)
def test_what_is_not_opml_raises_input_error(text: str, reason: str) -> None:
    with pytest.raises(InputError, match=f"^the file is not an OPML file: .*{reason}"):
        parse_opml(text)


def test_opml_error_names_the_file_when_told() -> None:
    with pytest.raises(InputError, match=r"^feeds\.txt is not an OPML file"):
        parse_opml(b"just words", name="feeds.txt")


def test_opml_entity_bomb_is_refused() -> None:
    bomb = (
        '<?xml version="1.0"?>'
        '<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<opml version="2.0"><body><outline text="&b;" xmlUrl="https://x.example/rss"/></body></opml>'
    )
    with pytest.raises(InputError, match="declares XML entities"):
        parse_opml(bomb)
    with pytest.raises(InputError, match="declares XML entities"):
        parse_opml(bomb.replace("<body>", "<body><outline text='Salt & Sea' xmlUrl='https://s.example/'/>"))


def test_export_opml_is_opml_2_and_round_trips() -> None:
    sources = [
        ("https://harbor-ledger.example/feed/", "The Harbor Ledger"),
        ("https://quayside-herald.example/rss?a=1&b=2", 'Quayside "Herald" & <Echo>'),
        ("https://tidewater-post.example/feed.json", None),
    ]
    text = export_opml(sources)
    root = ET.fromstring(text)
    assert (root.tag, root.get("version")) == ("opml", "2.0")
    outlines = root.findall("./body/outline")
    assert [o.get("text") for o in outlines] == [
        "The Harbor Ledger",
        'Quayside "Herald" & <Echo>',
        sources[2][0],
    ]
    assert all(o.get("type") == "rss" for o in outlines)
    assert parse_opml(text) == sources
    assert parse_opml(export_opml(parse_opml((FIXTURES / "subscriptions.opml").read_bytes()))) == parse_opml(
        (FIXTURES / "subscriptions.opml").read_bytes()
    )


def test_export_opml_of_nothing_is_still_valid() -> None:
    assert parse_opml(export_opml([])) == []


# ── autodiscovery ─────────────────────────────────────────────────────────────────────────────


def test_find_feed_links_resolves_relative_hrefs_against_the_base_element() -> None:
    html = (FIXTURES / "homepage.html").read_bytes()
    assert find_feed_links(html, "https://harbor-ledger.example/") == [
        "https://harbor-ledger.example/feed/",  # "../feed/" from <base href=".../edition/">, listed twice
        "https://harbor-ledger.example/edition/atom.xml",
        "https://harbor-ledger.example/feed.json",  # application/feed+json; the wp-json API is not a feed
        "https://cdn.harbor-ledger.example/rss/world.xml",  # type with parameters, scheme-relative
        "https://harbor-ledger.example/comments/feed/",  # comment feeds last
    ]


def test_find_feed_links_without_base_element_uses_the_page_address() -> None:
    html = '<head><link rel="alternate" type="application/atom+xml" href="feeds/all.atom"></head>'
    assert find_feed_links(html, "https://ashgrove-weekly.example/news/") == [
        "https://ashgrove-weekly.example/news/feeds/all.atom"
    ]


def test_find_feed_links_ignores_what_is_not_a_feed_link() -> None:
    html = (
        '<link rel="stylesheet" type="application/rss+xml" href="/not-alternate.xml">'
        '<link rel="alternate" type="text/html" href="/fr/">'
        '<link rel="alternate" type="application/rss+xml">'
        '<link rel="alternate" type="application/rss+xml" href="javascript:void(0)">'
        '<a rel="alternate" type="application/rss+xml" href="/anchor.xml">not a link element</a>'
    )
    assert find_feed_links(html, "https://x.example/") == []
    assert find_feed_links("", "https://x.example/") == []


def test_common_feed_paths_are_absolute_paths_and_include_the_usual_ones() -> None:
    assert all(path.startswith("/") for path in COMMON_FEED_PATHS)
    assert {"/feed", "/rss", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml", "/feed.json"} <= set(
        COMMON_FEED_PATHS
    )
    assert len(set(COMMON_FEED_PATHS)) == len(COMMON_FEED_PATHS)


# ── sniffing ──────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "name",
    [
        "harbor-ledger.rss",
        "northwind-courier.atom",
        "ashgrove-weekly-0.3.atom",
        "kestrel-daily.rdf",
        "tidewater-post.json",
        "broken-ampersand.rss",
    ],
)
def test_looks_like_feed_on_every_format(name: str) -> None:
    body = (FIXTURES / name).read_bytes()
    assert looks_like_feed(body)
    assert not looks_like_opml(body)


@pytest.mark.parametrize("name", ["homepage.html", "subscriptions.opml"])
def test_pages_and_opml_do_not_look_like_feeds(name: str) -> None:
    assert not looks_like_feed((FIXTURES / name).read_bytes())


def test_looks_like_opml() -> None:
    assert looks_like_opml((FIXTURES / "subscriptions.opml").read_bytes())
    assert looks_like_opml(
        b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- exported -->\n<OPML version='1.0'></OPML>"
    )
    assert not looks_like_opml((FIXTURES / "homepage.html").read_bytes())
    assert not looks_like_opml(b"")


def test_json_that_is_not_a_feed_does_not_look_like_one() -> None:
    assert not looks_like_feed(b'{"status": "ok"}')
    assert not looks_like_feed(b"")
    assert not looks_like_feed(b"\x89PNG\r\n\x1a\n\x00\x00")
