"""extract_page on pages of invented outlets (tests/fixtures/pages) and on small strings; the
181 real pages of the extraction benchmark, when ../shared is present, only for robustness."""

from __future__ import annotations

import gzip
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html

from tagwire.ingest.extract import _balanced_wins, decode_html, extract_page
from tagwire.ingest.layout_tables import unwrap_layout_tables
from tagwire.models import PageInfo

PAGES = Path(__file__).parent / "fixtures" / "pages"
AEB = Path(__file__).parents[2] / "shared" / "corpora" / "scrapinghub-aeb"
ARTICLE_URL = "https://www.example.com/2025/04/18/ferry-timetable-overhaul?utm_source=rss"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def html_doc(head: str, body: str = "", lang: str = "en") -> str:
    """A small page around `head` and `body` markup, with enough article text to extract."""
    paras = "".join(
        f"<p>Paragraph {i} of an invented report about the Quarry Lane bridge repairs, which the "
        f"county says will keep one lane open while the new deck is poured in sections.</p>"
        for i in range(1, 5)
    )
    return f'<html lang="{lang}"><head>{head}</head><body>{body}<article>{paras}</article></body></html>'


# --- the graph page: JSON-LD in @graph, boilerplate around the article ---------------------


@pytest.fixture(scope="module")
def gazette() -> PageInfo:
    return extract_page(page("harbor-gazette-graph.html"), ARTICLE_URL)


def test_graph_metadata(gazette: PageInfo) -> None:
    assert gazette.title == "Ferry timetable overhaul splits island councils"
    assert gazette.published == datetime(2025, 4, 18, 5, 30, tzinfo=UTC)
    assert gazette.author == "Mirela Ostrander, Tobias Quennell"
    assert gazette.credit == "Coastline Wire Service"
    assert gazette.language == "en-GB"
    assert (gazette.description or "").startswith("A new ferry timetable")


def test_graph_section_is_first_of_list(gazette: PageInfo) -> None:
    assert gazette.section == "Transport"


def test_og_site_name_wins_over_publisher(gazette: PageInfo) -> None:
    assert gazette.site_name == "Harbor Gazette"


def test_relative_canonical_resolved_against_page_url(gazette: PageInfo) -> None:
    assert gazette.canonical_url == "https://www.example.com/2025/04/18/ferry-timetable-overhaul"


def test_text_is_the_article_without_boilerplate(gazette: PageInfo) -> None:
    text = gazette.text
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 6
    assert paragraphs[0].startswith("A new ferry timetable for the outer islands")
    assert paragraphs[-1].endswith("until the end of that month.")
    for noise in ("Advertisement", "Most read", "Lighthouse keeper", "Weather", "Copyright", "Privacy"):
        assert noise not in text
    assert not text.startswith("Ferry timetable overhaul")  # the headline is not repeated


# --- publisher, titles, dates from markup ---------------------------------------------------


def test_publisher_name_when_no_og_site_name() -> None:
    ld = {"@type": "NewsArticle", "headline": "Bridge works", "publisher": {"name": "Quarry County Post"}}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    assert extract_page(html_doc(head)).site_name == "Quarry County Post"


def test_publisher_in_a_list_and_types_with_prefix() -> None:
    ld = {"@type": "schema:NewsArticle", "publisher": [{"@type": "Organization", "name": "Fenwick Bulletin"}]}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    assert extract_page(html_doc(head)).site_name == "Fenwick Bulletin"


def test_og_site_name_that_is_an_address_is_skipped() -> None:
    ld = {"@type": "Article", "publisher": {"name": "Fenwick Bulletin"}}
    head = (
        '<meta property="og:site_name" content="https://www.example.org">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    )
    assert extract_page(html_doc(head)).site_name == "Fenwick Bulletin"


def test_title_tag_minus_site_suffix() -> None:
    info = extract_page(page("millbrook-courier-cp1252.html"))
    assert info.title == "Café owners fight parking charge"
    assert info.site_name == "Millbrook Courier"  # application-name


def test_og_title_keeps_a_dash_that_is_not_the_site() -> None:
    head = (
        '<meta property="og:site_name" content="Quarry County Post">'
        '<meta property="og:title" content="Bridge repairs - what changes for drivers | Quarry County Post">'
    )
    assert extract_page(html_doc(head)).title == "Bridge repairs - what changes for drivers"


def test_h1_before_title_tag() -> None:
    info = extract_page(
        html_doc("<title>Home | Quarry County Post</title>", "<h1>Bridge to reopen in May</h1>")
    )
    assert info.title == "Bridge to reopen in May"


def test_date_from_time_element_in_utc() -> None:
    info = extract_page(page("millbrook-courier-cp1252.html"))
    assert info.published == datetime(2024, 11, 5, 21, 45, tzinfo=UTC)


def test_og_published_time_and_section() -> None:
    head = (
        '<meta property="article:published_time" content="2025-05-31T20:08:00+09:00">'
        '<meta property="article:section" content="Politics">'
    )
    info = extract_page(html_doc(head))
    assert info.published == datetime(2025, 5, 31, 11, 8, tzinfo=UTC)
    assert info.section == "Politics"


def test_htmldate_fallback_when_page_states_no_date() -> None:
    info = extract_page(
        html_doc("<title>Bridge works</title>"), "https://www.example.com/news/2024/03/05/bridge"
    )
    assert info.published == datetime(2024, 3, 5, tzinfo=UTC)


def test_no_date_at_all_is_none() -> None:
    assert extract_page(html_doc("<title>Bridge works</title>")).published is None


# --- text choice: JSON-LD body ----------------------------------------------------------------


def test_json_ld_body_preferred_when_page_shows_less() -> None:
    info = extract_page(page("lantern-daily-ldbody.html"))
    paragraphs = info.text.split("\n\n")
    assert len(paragraphs) == 5  # the whole body from JSON-LD, the page shows two paragraphs
    assert paragraphs[-1].startswith("Valley weather records show late frosts")
    assert "<p>" not in info.text and "&lt;" not in info.text
    assert "Subscribe" not in info.text
    assert info.section == "Farming"
    assert info.site_name == "The Lantern Daily"


def test_json_ld_teaser_is_not_preferred_over_the_page() -> None:
    teaser = "An invented teaser about the Quarry Lane bridge. " * 12 + "…"
    ld = {"@type": "NewsArticle", "articleBody": teaser}
    info = extract_page(html_doc(f'<script type="application/ld+json">{json.dumps(ld)}</script>'))
    assert info.text.startswith("Paragraph 1 of an invented report")
    assert "teaser" not in info.text


def test_json_ld_body_markup_escaped_twice() -> None:
    paras = [
        f"Report {i} on the invented Quarry Lane bridge, whose deck is poured in sections." for i in range(8)
    ]
    body = "".join(f"&amp;lt;p&amp;gt;{p} Fish &amp;amp; chips.&amp;lt;/p&amp;gt;" for p in paras)
    body += "<script>var x = 1;</script><p>Last <a href='/x'>linked</a> line.</p>"
    ld = {"@type": "NewsArticle", "articleBody": body}
    script = json.dumps(ld).replace("</", "<\\/")  # as pages must write it inside <script>
    info = extract_page(f'<html><head><script type="application/ld+json">{script}</script></head></html>')
    assert info.text.split("\n\n") == [f"{p} Fish & chips." for p in paras] + ["Last linked line."]


# --- layout tables ---------------------------------------------------------------------------

_STORY = [
    "The Millbrook town council voted on Tuesday night to close the old Fenwick Street bridge to "
    "lorries from the first of March, after engineers found corrosion in two of its steel girders.",
    "Council leader Harriet Ocampo said the decision had not been taken lightly, since the bridge "
    "carries most of the delivery traffic bound for the industrial estate east of the river.",
    "Hauliers will be sent along the ring road instead, which adds about four miles to each trip; "
    "the council expects the repairs to take eleven months and to cost close to two million pounds.",
    "A public meeting about the diversion is planned for the community hall on the twelfth of February, "
    "where residents of Station Road have asked for a crossing patrol during school hours.",
]
_MENU = ["Home", "Local news", "Sport", "Weather", "Classifieds", "Contact us"]
_RELATED = [
    "Millbrook library to open on Sundays from April",
    "Fenwick Street traders fear a quiet spring",
    "Ring road resurfacing delayed by frost",
]


def table_layout_page() -> str:
    """A page laid out in the 2000s way: one table, the menu in the left cell, the story's
    paragraphs in the middle one, a related-stories list in the right one."""
    menu = "".join(f'<a href="/s/{i}">{m}</a><br>' for i, m in enumerate(_MENU))
    story = "".join(f"<p>{p}</p>" for p in _STORY)
    related = "".join(f'<li><a href="/r/{i}">{r}</a></li>' for i, r in enumerate(_RELATED))
    return (
        "<html><head><title>Fenwick Street bridge to close to lorries - Millbrook Echo</title></head><body>"
        '<table width="100%"><tr><td colspan="3"><a href="/">Millbrook Echo</a> | Tuesday</td></tr>'
        f'<tr><td width="150">{menu}</td><td><h1>Fenwick Street bridge to close to lorries</h1>{story}</td>'
        f"<td><b>Related stories</b><ul>{related}</ul></td></tr>"
        '<tr><td colspan="3">Copyright Millbrook Echo. All rights reserved.</td></tr></table></body></html>'
    )


def test_article_laid_out_in_a_table_comes_without_the_menus() -> None:
    text = extract_page(table_layout_page()).text
    for paragraph in _STORY:
        assert paragraph in text
    assert "|" not in text
    for boilerplate in [*_MENU, *_RELATED, "All rights reserved"]:
        assert boilerplate not in text


def test_data_table_in_an_article_stays_a_table() -> None:
    rows = "".join(
        f"<tr><td>{ward}</td><td>{votes}</td></tr>"
        for ward, votes in (("Northgate", 1204), ("Riverside", 987))
    )
    table = f"<table><thead><tr><th>Ward</th><th>Votes</th></tr></thead>{rows}</table>"
    text = extract_page(html_doc("<title>Count</title>", "").replace("</article>", f"{table}</article>")).text
    assert "| Northgate | 1204 |" in text


def test_unwrap_layout_tables_keeps_data_tables_inside_layout_ones() -> None:
    tree = lxml_html.document_fromstring(
        "<html><body><table><tr><td><p>Story.</p>"
        "<table><tr><th>Ward</th></tr><tr><td>Northgate</td></tr></table></td></tr></table>"
        '<table role="presentation"><tr><td>Menu</td></tr></table>'
        "<table><tr><td>1</td><td>2</td></tr></table>"
        "<table><tr><td><div>Story.</div>"
        '<table><tr><td><a href="/a">More</a></td></tr></table></td></tr></table>'
        "</body></html>"
    )
    assert unwrap_layout_tables(tree) == 4  # the nested table of links is laid out as well
    assert [t.xpath("string(.)") for t in tree.iter("table")] == ["WardNorthgate", "12"]
    assert tree.xpath("count(//tr)") == 3  # the two tables' rows, none of the layout ones'


def test_unwrap_layout_tables_is_linear_on_deep_nesting() -> None:
    tree = lxml_html.document_fromstring("<html><body></body></html>")
    inner = tree.find("body")
    for _ in range(3000):  # built, not parsed: the parser stops nesting at a few hundred levels
        inner = etree.SubElement(etree.SubElement(etree.SubElement(inner, "table"), "tr"), "td")
        inner = etree.SubElement(inner, "div")
    start = time.perf_counter()
    assert unwrap_layout_tables(tree) == 3000
    assert time.perf_counter() - start < 2.0
    assert next(tree.iter("table", "tr", "td"), None) is None


# --- the headline repeated in the text ----------------------------------------------------------


def headed_page(first: str) -> str:
    story = "".join(f"<p>{p}</p>" for p in _STORY)
    return (
        "<html><head><title>Fenwick Street bridge to close to lorries | Millbrook Echo</title></head>"
        f"<body><article><p>{first}</p>{story}</article></body></html>"
    )


@pytest.mark.parametrize(
    "first", ["Updated: Fenwick Street bridge to close to lorries", "Fenwick St bridge to close to lorries"]
)
def test_headline_in_other_words_is_not_text(first: str) -> None:
    text = extract_page(headed_page(first)).text
    assert text.startswith(_STORY[0])


def test_a_lede_that_repeats_the_headline_words_stays() -> None:
    lede = (
        "Fenwick Street bridge is to close to lorries, the council said on Tuesday, in a decision "
        "that will send hundreds of deliveries a day around the ring road."
    )
    assert extract_page(headed_page(lede)).text.startswith(lede)


# --- readers' comments ----------------------------------------------------------------------

_READERS = [
    "Great piece, but nobody has asked the bus drivers what the diversion means for the 42 route.",
    "My father crossed that bridge every day for forty years and it was already rusting back then.",
]


def commented_page(heading: str, top: str = "") -> str:
    story = "".join(f"<p>{p}</p>" for p in _STORY)
    readers = "".join(f"<p>{r}</p>" for r in _READERS)
    return (
        "<html><head><title>Fenwick Street bridge to close to lorries</title></head><body><article>"
        f"<h1>Fenwick Street bridge to close to lorries</h1>{top}{story}<h3>{heading}</h3>{readers}"
        "</article></body></html>"
    )


@pytest.mark.parametrize("heading", ["Leave a Reply", "2 Comments", "Comments (2)", "2 thoughts on “Bridge”"])
def test_readers_comments_after_the_article_are_cut(heading: str) -> None:
    text = extract_page(commented_page(heading)).text
    assert text.endswith(_STORY[-1])
    assert not any(r in text for r in _READERS)


def test_a_comment_count_under_the_headline_cuts_nothing() -> None:
    text = extract_page(commented_page("Further reading", top="<p>3 comments</p>")).text
    for paragraph in [*_STORY, *_READERS]:
        assert paragraph in text


def test_an_opinion_section_headed_comment_is_kept() -> None:
    text = extract_page(commented_page("Comment")).text
    assert all(r in text for r in _READERS)


# --- bytes and bad input ------------------------------------------------------------------------


def test_declared_cp1252_is_decoded() -> None:
    info = extract_page(page("millbrook-courier-cp1252.html"))
    assert "three cafés on Mill Street say a proposed £2 parking charge – the first" in info.text


def test_utf8_bytes_declared_as_latin1_stay_utf8() -> None:
    data = '<html><head><meta charset="iso-8859-1"></head><body><p>Café – ok</p></body></html>'.encode()
    assert "Café – ok" in decode_html(data)


def test_undeclared_bad_bytes_use_replacement() -> None:
    assert decode_html(b"<p>caf\xe9 \xff</p>") == "<p>caf\ufffd \ufffd</p>"


def test_unknown_declared_charset_falls_back() -> None:
    assert decode_html(b'<meta charset="klingon-8"><p>caf\xe9</p>').endswith("caf\ufffd</p>")


BAD_PAGES = [
    "",
    b"",
    "   ",
    "plain text, no markup at all",
    "<p>just a fragment</p>",
    "<html><body><p>unclosed <div><span>",
    b"\x00\x01\xff\xfe<html>\x00</html>",
    '<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>',
    '<html><head><script type="application/ld+json">{"@type": "NewsArticle", broken</script></head></html>',
    '<html><head><script type="application/ld+json">{"@type": 5, "author": [1, null, {"name": 2}],'
    ' "publisher": "Just A String", "articleSection": [], "datePublished": "not a date",'
    ' "mainEntityOfPage": 7, "articleBody": 12}</script></head><body><p>x</p></body></html>',
    '<html><head><script type="application/ld+json">[[[]]]</script><link rel="canonical"></head></html>',
    "<div>" * 5000 + "deep" + "</div>" * 5000,
    '<html><head><meta property="article:published_time" content="32/13/99999"></head></html>',
]


@pytest.mark.parametrize("bad", BAD_PAGES, ids=range(len(BAD_PAGES)))
def test_bad_html_never_raises(bad: str | bytes) -> None:
    info = extract_page(bad, "https://www.example.com/x")
    assert isinstance(info.text, str)


def test_fragment_still_gives_what_it_has() -> None:
    info = extract_page("<h1>Bridge reopens</h1>")
    assert info.title == "Bridge reopens"


# --- the real benchmark pages, when ../shared is there ------------------------------------------


def test_benchmark_pages_never_raise() -> None:
    if not (AEB / "ground-truth.json").exists():
        pytest.skip("../shared/corpora/scrapinghub-aeb is not present")
    gold = json.loads((AEB / "ground-truth.json").read_text())
    empty = 0
    for key, row in gold.items():
        info = extract_page(gzip.decompress((AEB / "html" / f"{key}.html.gz").read_bytes()), row["url"])
        empty += not info.text
        assert info.published is None or info.published.tzinfo is UTC
    assert len(gold) == 181
    assert empty == 0


# --- a short precision text against balanced mode's ------------------------------------------

_SIDEBAR = "Jo Brandt writes about gardens, trains and small towns. Follow her on the radio every Sunday."
_ARTICLE = (
    "The Quarry Lane allotments will lose a third of their plots to the new bypass, the county said, "
    "and the forty gardeners affected will be offered land behind the fire station instead."
)


def test_balanced_text_that_goes_on_from_precision_wins() -> None:
    assert _balanced_wins(_ARTICLE[:120], _ARTICLE, "Allotments to lose plots to bypass")


def test_balanced_block_about_the_headline_wins_over_a_sidebar() -> None:
    assert _balanced_wins(_SIDEBAR, _ARTICLE, "Quarry Lane allotments to lose plots to the bypass")


def test_a_sidebar_of_balanced_mode_loses_to_the_article() -> None:
    sidebar = f"{_SIDEBAR} {_SIDEBAR} She lives by the sea with two cats and a very old bicycle."
    assert not _balanced_wins(_ARTICLE[:160], sidebar, "Quarry Lane allotments to lose plots to the bypass")


def test_a_shorter_balanced_text_never_wins() -> None:
    assert not _balanced_wins(_ARTICLE, _ARTICLE[:100], "")
