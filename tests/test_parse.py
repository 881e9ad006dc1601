"""The parse stage on feeds written for these tests (invented outlets, tests/fixtures/feeds), on
hostile bodies, and, when ../shared is here, on 137 real feeds against feedparser alone."""

from __future__ import annotations

import contextlib
import random
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from tagwire.errors import ParseError
from tagwire.ingest.markup import (
    absolute_url,
    author_name,
    decode_entities,
    html_to_text,
    repair_xml_text,
    root_element,
    xml_error,
)
from tagwire.ingest.parse import parse_feed, sniff
from tagwire.models import ParsedFeed
from tests.helpers import real_feed_files

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"


def fixture(name: str, url: str) -> ParsedFeed:
    return parse_feed((FIXTURES / name).read_bytes(), url)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# ── one fixture per format ────────────────────────────────────────────────────────────────────


def test_rss2_items_in_order_with_plain_text_and_utc_dates() -> None:
    feed = fixture("harbor-ledger.rss", "https://harbor-ledger.example/feed/")
    assert (feed.format, feed.title, feed.site_url) == (
        "rss",
        "The Harbor Ledger — Port Ellery",
        "https://harbor-ledger.example/",
    )
    first, second, third = feed.items
    assert first.title == "Q&A: Ferries & tides, explained"
    assert first.url == "https://harbor-ledger.example/news/2025/06/01/ferries-and-tides?ref=rss&src=feed"
    assert first.summary == "The new timetable starts on Monday. Fares stay at £2."
    assert first.guid == "hl-1001"
    assert first.published == utc(2025, 6, 1, 0, 30)  # 09:30 +0900
    assert first.categories == ("Transport", "Port Ellery")  # trimmed, collapsed, once each
    assert first.author == "Mara Quill"  # out of "desk@... (Mara Quill)"
    assert second.title == "Breaking: Storm closes the north pier"  # escaped HTML in a title
    assert second.url == "https://harbor-ledger.example/news/2025/05/31/storm-closes-north-pier"  # relative
    assert second.summary == "Gusts of 90 km/h & rising water."  # CDATA with markup
    assert second.author == "Tom Brine"
    assert third.url == "https://harbor-ledger.example/news/2025/05/30/lighthouse-keeper"  # permalink guid
    assert third.published == utc(2025, 5, 30, 12, 0)  # 08:00 -0400


def test_rss2_items_with_only_a_non_permalink_guid_are_skipped_and_counted() -> None:
    feed = fixture("harbor-ledger.rss", "https://harbor-ledger.example/feed/")
    assert [i.guid for i in feed.items] == ["hl-1001", "hl-1000", feed.items[2].url]
    assert not any("hl-0998" in i.url or "p=997" in i.url for i in feed.items)
    assert feed.problem == "2 items without a link skipped"


def test_atom_xml_base_relative_links_and_published_versus_updated() -> None:
    feed = fixture("northwind-courier.atom", "https://northwind-courier.example/blog/atom.xml")
    assert (feed.format, feed.title, feed.site_url) == (
        "atom",
        "Northwind Courier",
        "https://northwind-courier.example/blog/",
    )
    wind, old, by_id = feed.items
    assert wind.url == "https://northwind-courier.example/blog/2025/wind-farm-approved"  # feed xml:base
    assert wind.published == utc(2025, 6, 1, 16, 0)  # <published>, not the later <updated>
    assert wind.categories == ("Energy", "Regional")
    assert (wind.author, wind.summary, wind.guid) == (
        "Ines Gale",
        "The council said yes.",
        "tag:northwind-courier.example,2025:101",
    )
    assert old.url == "https://northwind-courier.example/archive/old-harbour-story"  # entry xml:base
    assert old.published == utc(2025, 5, 30, 17, 0)  # only <updated>, -05:00
    assert old.summary == "The content stands in for a summary."
    assert by_id.url == "https://northwind-courier.example/blog/2025/id-as-link"  # no link: an http id
    assert feed.problem is None


def test_atom_xhtml_title_is_read() -> None:
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Larkspur Pets</title><entry>'
        b'<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        b"Calm collars for <i>dogs</i></div></title>"
        b'<link rel="alternate" href="https://larkspur-pets.example/calm"/><id>tag:larkspur,2025:1</id>'
        b"<updated>2025-06-01T00:00:00Z</updated></entry></feed>"
    )
    assert [i.title for i in parse_feed(body, "https://larkspur-pets.example/atom").items] == [
        "Calm collars for dogs"
    ]


def test_atom_xhtml_summary_is_read() -> None:
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Larkspur Pets</title><entry>'
        b"<title>Harness week</title>"
        b'<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        b"<p>Five <b>harnesses</b> tested on a wet walk.</p></div></summary>"
        b'<link rel="alternate" href="https://larkspur-pets.example/harness"/><id>tag:larkspur,2025:2</id>'
        b"<updated>2025-06-02T00:00:00Z</updated></entry></feed>"
    )
    item = parse_feed(body, "https://larkspur-pets.example/atom").items[0]
    assert (item.title, item.summary) == ("Harness week", "Five harnesses tested on a wet walk.")


def test_atom_0_3_issued_is_the_publication_date() -> None:
    feed = fixture("ashgrove-weekly-0.3.atom", "https://ashgrove-weekly.example/atom.xml")
    assert (feed.format, feed.title, len(feed.items)) == ("atom", "Ashgrove Weekly", 1)
    item = feed.items[0]
    assert item.url == "https://ashgrove-weekly.example/2004/03/market-hall"
    assert item.published == utc(2004, 3, 1, 8, 0)  # issued 09:00+01:00, not modified


def test_rdf_dc_date_with_offset_and_dc_subject() -> None:
    feed = fixture("kestrel-daily.rdf", "https://kestrel-daily.example/index.rdf")
    assert (feed.format, feed.title, feed.site_url) == (
        "rdf",
        "Kestrel Daily",
        "https://kestrel-daily.example/",
    )
    first, second = feed.items
    assert first.published == utc(2025, 6, 1, 0, 30)  # 09:30+09:00
    assert second.published == utc(2025, 5, 31, 14, 59)
    assert (first.categories, second.categories) == (("Politics", "Japan"), ("Transport",))
    assert first.author == "Aiko Tanabe"


def test_json_feed_1_1_tags_dates_external_url_and_missing_url() -> None:
    feed = fixture("tidewater-post.json", "https://tidewater-post.example/feed.json")
    assert (feed.format, feed.title, feed.site_url) == (
        "json",
        "Tidewater Post",
        "https://tidewater-post.example/",
    )
    bridge, linked, relative = feed.items
    assert bridge.title == "Bridge vote: yes & no"
    assert bridge.summary == "Councillors split on the new bridge."
    assert bridge.published == utc(2025, 6, 1, 4, 45)  # 10:15+05:30, date_published before date_modified
    assert (bridge.categories, bridge.author, bridge.guid) == (
        ("Infrastructure", "Tidewater"),
        "Priya Shore",
        "tp-77",
    )
    assert linked.url == "https://elsewhere.example/report/river-levels"  # external_url
    assert linked.summary == "A report from elsewhere on river levels."  # content_html stands in
    assert linked.published == utc(2025, 5, 31, 8, 0)  # date_modified only
    assert relative.url == "https://tidewater-post.example/2025/05/30/relative-item"
    assert relative.published == utc(2025, 5, 30, 8, 0)  # naive: taken as UTC
    assert feed.problem == "1 item without a link skipped"


def test_json_feed_1_0_singular_author() -> None:
    feed = fixture("tidewater-post-1.0.json", "https://tidewater-post.example/feed.json")
    item = feed.items[0]
    assert (item.author, item.categories, item.published) == (
        "Lee Marsh",
        ("Transport",),
        utc(2025, 6, 2, 14, 0),
    )


def test_json_feed_items_of_the_wrong_shape_are_dropped_not_fatal() -> None:
    body = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "Reedbank Radio", "items": ['
        b'"not an object", {"id": 1, "url": "https://reedbank.example/a", "title": 7, "author": "Kim",'
        b' "tags": "one"}]}'
    )
    feed = parse_feed(body, "https://reedbank.example/feed.json")
    assert [(i.url, i.title, i.guid) for i in feed.items] == [("https://reedbank.example/a", "7", "1")]
    assert feed.problem == "1 item of the wrong shape dropped"


# ── broken XML: salvage, and say so ───────────────────────────────────────────────────────────


def test_bare_ampersands_in_malformed_rss_are_kept_and_the_problem_is_told() -> None:
    feed = fixture("broken-ampersand.rss", "https://quayside-herald.example/rss")
    assert feed.title == "Quayside Herald & Echo"
    assert [i.title for i in feed.items] == ["Q&A: A & B", "R&D budget doubles"]
    assert feed.items[0].url == "https://quayside-herald.example/qa?x=1&y=2"
    assert feed.items[0].summary == "Salt & pepper shakers"  # &nbsp; is an HTML entity, not XML
    assert feed.items[0].published == utc(2025, 6, 2, 9, 0)
    assert (
        feed.problem
        == "feed is not well-formed XML (line 4: not well-formed (invalid token)); 2 items salvaged"
    )


def test_truncated_feed_keeps_the_complete_items() -> None:
    feed = fixture("truncated.rss", "https://saltmarsh-times.example/rss")
    assert [i.url for i in feed.items][:2] == [
        "https://saltmarsh-times.example/1",
        "https://saltmarsh-times.example/2",
    ]
    assert feed.problem is not None and feed.problem.startswith("feed is not well-formed XML (line 17:")


def test_undefined_html_entity_under_an_rss_0_91_doctype_is_not_lost() -> None:
    feed = fixture("old-mill-gazette-0.91.rss", "https://old-mill-gazette.example/rss")
    assert [i.title for i in feed.items] == ["Café opens by the mill", "Fête moves to Saturday"]
    assert feed.problem is not None and "undefined entity &eacute;" in feed.problem


def test_broken_beyond_salvage_is_a_parse_error() -> None:
    body = b"<?xml version='1.0'?><rss version='2.0'><channel><title>Broken & truncated <item><title>x"
    with pytest.raises(ParseError, match=r"not well-formed XML \(line 1: .*\) and no item could be salvaged"):
        parse_feed(body, "https://chaos.example/feed.rss")


def test_feed_behind_a_php_warning_is_salvaged() -> None:
    body = (
        b"<br />\n<b>Warning</b>: Undefined variable $x in /var/www/feed.php on line 3<br />\n"
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Fenwick Local</title>'
        b"<item><title>Pool reopens</title><link>https://fenwick.example/pool</link></item></channel></rss>"
    )
    feed = parse_feed(body, "https://fenwick.example/feed")
    assert [i.title for i in feed.items] == ["Pool reopens"]
    assert feed.problem is not None and "1 item salvaged" in feed.problem


def test_shift_jis_feed_is_checked_and_read() -> None:
    text = (
        '<?xml version="1.0" encoding="Shift_JIS"?><rss version="2.0"><channel><title>桜新聞</title>'
        "<item><title>東京で会議 &amp; 記者会見</title><link>https://sakura-shimbun.example/1</link></item>"
        "</channel></rss>"
    )
    feed = parse_feed(text.encode("shift_jis"), "https://sakura-shimbun.example/rss")
    assert (feed.title, [i.title for i in feed.items], feed.problem) == (
        "桜新聞",
        ["東京で会議 & 記者会見"],
        None,
    )
    broken = parse_feed(text.replace("&amp;", "&").encode("shift_jis"), "https://sakura-shimbun.example/rss")
    assert [i.title for i in broken.items] == ["東京で会議 & 記者会見"] and broken.problem is not None


def test_unknown_encoding_name_is_a_problem_not_a_crash() -> None:
    body = (
        b'<?xml version="1.0" encoding="bogus-8"?>'
        b"<rss><channel><item><title>T</title><link>https://b.example/1</link></item></channel></rss>"
    )
    feed = parse_feed(body, "https://b.example/rss")
    assert [i.title for i in feed.items] == ["T"]
    assert feed.problem is not None and "unknown encoding 'bogus-8'" in feed.problem


def test_damaged_bodies_parse_or_raise_parse_error_never_anything_else() -> None:
    """Seeded damage to every fixture: cut short, bytes flipped, markup inserted, spans deleted."""
    rng = random.Random(20250601)
    inserts = [b"&", b"<", b"]]>", b"<![CDATA[", b"\x00", b"&#0;", b'"', b"</item>", b"<entry>", b"\xff\xfe"]
    for path in sorted(FIXTURES.iterdir()):
        body = path.read_bytes()
        for round_ in range(24):
            damaged = bytearray(body)
            where = rng.randrange(len(damaged) + 1)
            if round_ % 4 == 0:
                del damaged[where:]
            elif round_ % 4 == 1:
                damaged[min(where, len(damaged) - 1)] = rng.randrange(256)
            elif round_ % 4 == 2:
                damaged[where:where] = rng.choice(inserts)
            else:
                del damaged[where : where + rng.randrange(200)]
            with contextlib.suppress(ParseError):  # anything else fails the test
                parse_feed(bytes(damaged), "https://damaged.example/feed")


def test_empty_but_well_formed_feed_is_not_an_error() -> None:
    feed = parse_feed(
        b'<rss version="2.0"><channel><title>Quiet Cove</title></channel></rss>', "https://q.example/f"
    )
    assert (feed.format, feed.title, feed.items, feed.problem) == ("rss", "Quiet Cove", [], None)


# ── not a feed ────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"", None, "empty body"),
        (b"  \n\t ", None, "empty body"),
        (
            b"<!DOCTYPE html><html><head><title>Harbor Ledger</title></head><body>Hi</body></html>",
            "text/html",
            "HTML page",
        ),
        (b"<html><body><p>No doctype</p></body></html>", None, "tagwire add"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00",
            None,
            "binary",
        ),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", None, "gzip"),
        (b"Service temporarily unavailable, try later", "text/plain", "plain text"),
        (b'<?xml version="1.0"?><catalog><book/></catalog>', None, "root element is <catalog>"),
        (b'{"status": "ok", "data": [1, 2]}', "application/json", "not a JSON Feed"),
        (b"[1, 2, 3]", None, "not a JSON Feed"),
        (b'{"items": [', None, "does not parse"),
        (b"<!-- padding -->" * 300, "application/rss+xml", "no XML element in the first 4 KB"),
    ],
)
def test_what_is_not_a_feed_raises_a_parse_error_that_says_what_it_is(
    body: bytes, content_type: str | None, message: str
) -> None:
    with pytest.raises(ParseError, match=message) as caught:
        parse_feed(body, "https://harbor-ledger.example/", content_type)
    assert str(caught.value).startswith("not a feed: ")


def test_sniff_names_the_root_of_each_format() -> None:
    roots = {
        name: sniff((FIXTURES / name).read_bytes())
        for name in ("harbor-ledger.rss", "northwind-courier.atom")
    }
    assert roots == {"harbor-ledger.rss": "rss", "northwind-courier.atom": "feed"}
    assert sniff((FIXTURES / "kestrel-daily.rdf").read_bytes()) == "rdf"
    assert sniff(b'\xef\xbb\xbf  {"version": 1}') == "json"
    assert sniff('<?xml version="1.0" encoding="UTF-16"?><rss/>'.encode("utf-16")) == "rss"


# ── hostile XML ───────────────────────────────────────────────────────────────────────────────

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<rss version="2.0"><channel><title>Bomb Bay Gazette</title>
<item><title>&lol9;</title><link>https://bomb-bay.example/1</link><description>&xxe;</description></item>
</channel></rss>"""


def test_entity_bomb_and_external_entity_are_never_expanded() -> None:
    tracemalloc.start()
    try:
        feed = parse_feed(BOMB, "https://bomb-bay.example/rss")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20  # expanded, &lol9; alone is 3 GB of "lol"
    assert [i.url for i in feed.items] == ["https://bomb-bay.example/1"]
    item = feed.items[0]
    assert "lollol" not in item.title and len(item.title) < 20
    assert "root:" not in item.summary
    assert feed.problem is not None and "declares XML entities" in feed.problem


def test_internal_entities_are_refused_even_in_a_small_harmless_looking_dtd() -> None:
    body = (
        b'<!DOCTYPE rss [<!ENTITY me "Mallory">]>'
        b"<rss><channel><item><title>&me;</title><link>https://m.example/</link></item></channel></rss>"
    )
    feed = parse_feed(body, "https://m.example/rss")
    assert feed.items[0].title == "&me;"  # kept as text, never "Mallory"
    assert feed.problem is not None and "declares XML entities" in feed.problem


# ── which library runs ────────────────────────────────────────────────────────────────────────


def test_feedparser_does_not_run_on_a_well_formed_feed_fastfeedparser_reads(
    feedparser_calls: list[bytes],
) -> None:
    fixture("kestrel-daily.rdf", "https://kestrel-daily.example/index.rdf")
    fixture("tidewater-post.json", "https://tidewater-post.example/feed.json")
    fixture("ashgrove-weekly-0.3.atom", "https://ashgrove-weekly.example/atom.xml")
    assert feedparser_calls == []


def test_feedparser_runs_where_fastfeedparser_is_known_to_be_wrong(feedparser_calls: list[bytes]) -> None:
    fixture(
        "northwind-courier.atom", "https://northwind-courier.example/blog/atom.xml"
    )  # relative links + xml:base
    fixture("harbor-ledger.rss", "https://harbor-ledger.example/feed/")  # guid isPermaLink="false", no link
    fixture(
        "broken-ampersand.rss", "https://quayside-herald.example/rss"
    )  # repaired, then well-formed: not needed
    fixture("truncated.rss", "https://saltmarsh-times.example/rss")  # still broken: both compared
    assert len(feedparser_calls) == 3


def test_a_non_permalink_guid_beside_a_link_keeps_the_fast_path(feedparser_calls: list[bytes]) -> None:
    body = (
        b'<rss version="2.0"><channel><title>Pebble Beach Post</title><item><title>Tide tables</title>'
        b"<link>https://pebble-beach.example/tides</link>"
        b'<guid isPermaLink="false">https://pebble-beach.example/tides</guid></item></channel></rss>'
    )
    feed = parse_feed(body, "https://pebble-beach.example/rss")
    assert [i.url for i in feed.items] == ["https://pebble-beach.example/tides"]
    assert feedparser_calls == []


# ── text helpers ──────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("Q&A: A & B", "Q&A: A & B"),
        ("AT&T &not a tag", "AT&T &not a tag"),
        ("Fish &amp; chips&nbsp;&#8217;s &#x2014; &eacute;", "Fish & chips ’s — é"),
        ("<p>One</p><p>Two</p>", "One Two"),
        ("<b>Bold</b>er and <a href='/x'>a link</a>, then", "Bolder and a link, then"),
        ("3 < 5 and 7 > 6", "3 < 5 and 7 > 6"),
        ("Hi<script>var x = '<p>';</script> <style>p{}</style>there<!-- note -->", "Hi there"),
        ("<![CDATA[<i>in</i> cdata]]>", "in cdata"),
        ("  many \n\t spaces\u00a0here ", "many spaces here"),
        ("", ""),
    ],
)
def test_html_to_text(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


def test_decode_entities_only_decodes_complete_references() -> None:
    assert decode_entities("&copy 2025 &copy; 2025 &#169;") == "&copy 2025 © 2025 ©"


def test_author_name() -> None:
    assert author_name("desk@harbor-ledger.example (Mara Quill)") == "Mara Quill"
    assert author_name("Mara Quill") == "Mara Quill"
    assert author_name("") is None


@pytest.mark.parametrize(
    ("href", "base", "url"),
    [
        ("/a/b", "https://x.example/feed/", "https://x.example/a/b"),
        ("c", "https://x.example/feed/", "https://x.example/feed/c"),
        ("//cdn.example/y", "https://x.example/", "https://cdn.example/y"),
        ("  https://x.example/z \n", None, "https://x.example/z"),
        ("javascript:alert(1)", "https://x.example/", None),
        ("mailto:desk@x.example", "https://x.example/", None),
        ("tag:x.example,2025:1", None, None),
        ("relative", None, None),
        ("", "https://x.example/", None),
    ],
)
def test_absolute_url(href: str, base: str | None, url: str | None) -> None:
    assert absolute_url(href, base) == url


def test_repair_xml_text_fixes_ampersands_and_html_entities_but_not_cdata() -> None:
    body = b"<t>A & B &amp; &nbsp; &#38; &bogus; <![CDATA[x & y &nbsp;]]></t>"
    repaired, fixes = repair_xml_text(body)
    assert repaired == b"<t>A &amp; B &amp; &#160; &#38; &amp;bogus; <![CDATA[x & y &nbsp;]]></t>"
    assert fixes == 3 and xml_error(repaired) is None


def test_xml_error_says_where() -> None:
    assert xml_error(b"<a><b></a>") == "line 1: mismatched tag"
    assert xml_error(b"<a>\n&</a>") == "line 2: not well-formed (invalid token)"
    assert xml_error(b"<a>fine</a>") is None


def test_root_element_skips_the_prolog() -> None:
    text = '<?xml version="1.0"?>\n<!-- c --><!DOCTYPE rss [<!ELEMENT rss ANY>]>\n<rss version="2.0">'
    assert root_element(text) == "rss"
    assert root_element("no markup at all") is None


# ── real feeds (../shared) ────────────────────────────────────────────────────────────────────


def _feedparser_items(body: bytes, url: str) -> int:
    """What feedparser alone makes of a body: entries with an http(s) link."""
    result = feedparser.parse(body, response_headers={"content-location": url})
    return sum(1 for entry in result.entries if absolute_url(dict.get(entry, "link"), url))


def test_real_feeds_parse_or_raise_parse_error_and_keep_what_feedparser_keeps() -> None:
    files = real_feed_files()
    ours = theirs = errors = salvaged = 0
    behind: list[str] = []
    for path in files:
        body, url = path.read_bytes(), "https://feeds.example/" + path.name
        try:
            feed = parse_feed(body, url)
        except ParseError:
            count = 0
            errors += 1
        else:
            count = len(feed.items)
            salvaged += bool(feed.problem and "not well-formed" in feed.problem)
        expected = _feedparser_items(body, url)
        ours, theirs = ours + count, theirs + expected
        if count < expected:
            behind.append(f"{path.name}: {count} < {expected}")
    print(
        f"\nreal feeds: {len(files)} files, {ours} items (feedparser alone: {theirs}), "
        f"{errors} ParseError, {salvaged} salvaged from broken XML"
    )
    assert len(files) >= 137
    assert behind == []
    assert ours >= theirs


def test_titles_are_text_inline_formatting_dropped_other_markup_kept_as_text() -> None:
    from tagwire.ingest.markup import title_text

    assert title_text("<b>Breaking</b>: ferry &amp; bus strike") == "Breaking: ferry & bus strike"
    assert (
        title_text("<img src=x onerror=alert(1)> Harbour vote") == "<img src=x onerror=alert(1)> Harbour vote"
    )
    assert title_text("Q&A: 3 < 5") == "Q&A: 3 < 5"


def test_an_excerpt_is_dropped_only_when_it_is_the_headline_word_for_word() -> None:
    from tagwire.ingest.excerpt import clean_excerpt

    assert clean_excerpt("Harbour: vote passes!", "harbour vote -- PASSES") == ""
    assert clean_excerpt("Harbour vote", "Harbour vote passes") == "Harbour vote"  # shorter
    assert clean_excerpt("Harbour vote passes, again", "Harbour vote passes") == "Harbour vote passes, again"
    assert clean_excerpt("Vote harbour passes", "Harbour vote passes") == "Vote harbour passes"
    assert clean_excerpt("--", "--") == "--"  # no words: nothing repeats the headline
    assert clean_excerpt("The ferry is late. READ MORE", "Ferry") == "The ferry is late."
    assert clean_excerpt("The ferry is late. (more…)", "Ferry") == "The ferry is late."
    kept = "The ferry is late, read the timetable"
    assert clean_excerpt(kept, "Ferry") == kept


def test_feed_additions_leave_the_excerpt() -> None:
    items = [
        ("Pier closes", "The council voted 7-2 to close the pier. <a href='/p'>Continue reading...</a>"),
        (
            "Ferry fares",
            "<p>Fares rise by a tenth in May.</p>"
            "<p>The post Ferry fares appeared first on Harbour Times.</p>",
        ),
        ("Night market", "Stalls return to the quay on Friday [&#8230;]"),
        ("Tide tables", "Tide Tables"),
        ("Reading room", "Survey finds that retired people read more."),
    ]
    body = "".join(
        f"<item><title>{t}</title><link>https://harbour.example/{i}</link>"
        f"<description><![CDATA[{d}]]></description></item>"
        for i, (t, d) in enumerate(items)
    )
    feed = parse_feed(
        f"<rss version='2.0'><channel><title>Harbour</title>{body}</channel></rss>".encode(),
        "https://harbour.example/rss",
    )
    assert [i.summary for i in feed.items] == [
        "The council voted 7-2 to close the pier.",
        "Fares rise by a tenth in May.",
        "Stalls return to the quay on Friday…",
        "",  # the headline again is no summary: the page's text gives it
        "Survey finds that retired people read more.",  # words of the story, not a link
    ]
