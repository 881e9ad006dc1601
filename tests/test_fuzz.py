"""Fuzzing: hostile input to every stage that reads what outlets publish or users type.

For each stage, whatever the input (arbitrary bytes and text of every Unicode category, lone
surrogates included since a Python string can hold them; NUL bytes; invalid UTF-8; feed
skeletons of the four formats with such text in every field, escaped, raw or in CDATA; nesting
100,000 deep; megabyte fields), the call returns or raises one of tagwire's own errors, within
fuzzing.SECONDS: a bound that catches catastrophic behaviour, not slowness (see tests/fuzzing.py
for the property and the profiles). Each input once found catastrophic is kept as an @example.
"""

from __future__ import annotations

import functools
import gzip
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tagwire import query as query_language
from tagwire.ingest import discover, extract, markup, normalize, sitemap
from tagwire.ingest.parse import parse_feed
from tagwire.models import FeedItem, PageInfo
from tagwire.store import search
from tagwire.understand import copies, provenance, stories
from tests.fuzzing import (
    DECLARATIONS,
    ITEM_FIELDS,
    LINKS,
    PROLOGS,
    Big,
    Doc,
    DocBytes,
    MiB,
    any_bytes,
    deep,
    encoded,
    feed_body,
    fuzz,
    huge,
    is_storable,
    json_nest,
    json_value,
    rss,
    short,
    survives,
    text,
    wrap,
    xml_value,
)

JSON_ESCAPES = (
    '{"version": "https://jsonfeed.org/version/1.1", "title": "t\\ud800", "items": [{"url": '
    '"http://127.0.0.1/a", "title": "a\\ud800\\u0000b", "authors": [{"name": "\\udfff"}]}]}'
)


@pytest.fixture(autouse=True, scope="module")
def warm_caches() -> None:
    """dateparser loads every language's data on its first search of all languages (2-3 s once
    per process): done here, outside the bound, which is for catastrophic behaviour."""
    normalize.parse_date("zz 99 qq")


# ── ingest ────────────────────────────────────────────────────────────────────────────────────


@fuzz()
@given(body=feed_body, content_type=st.none() | st.sampled_from(["text/html", "application/json", "x"]))
@example(body=DocBytes(b"<!DOCTYPE x " + b"[a]" * 1300), content_type=None)  # backtracking
@example(body=rss(f"<author>{Big('a@', 500_000)} (</author>"), content_type=None)
@example(body=rss(f"<dc:creator>{Big('a', MiB)}</dc:creator>", broken=True), content_type=None)  # feedparser
@example(body=json_nest(100_000), content_type=None)
@example(body=encoded(JSON_ESCAPES), content_type=None)  # lone surrogates and NUL, by JSON escapes
@example(body=json_nest(900), content_type=None)
def test_parse_feed(body: bytes, content_type: str | None) -> None:
    feed = survives(parse_feed, body, "http://127.0.0.1/feed", content_type)
    for item in feed.items if feed else ():
        assert item.url.lower().startswith(("http://", "https://")), item.url  # never javascript:, data:
        fields = [item.url, item.title, item.summary, item.guid, item.author, *item.categories]
        assert all(is_storable(f) for f in fields), item  # no NUL, no lone surrogate reaches the store


@fuzz(0.3)
@given(value=huge(), fmt=st.sampled_from(sorted(ITEM_FIELDS)), field=st.sampled_from(ITEM_FIELDS["rss"]))
@example(value=Big("<p>", MiB // 3), fmt="rss", field="description")  # feedparser: a minute for 10 MB
def test_parse_feed_megabyte_fields(value: str, fmt: str, field: str) -> None:
    """A megabyte in one field, raw (breaking the XML), as the fields of an item otherwise plain."""
    link = "<id>http://127.0.0.1/a</id>" if fmt == "atom" else "<link>http://127.0.0.1/a</link>"
    fields = f"<title>{escape(value) if field != 'title' else value}</title>{link}<{field}>{value}</{field}>"
    item = f"<entry>{fields}</entry>" if fmt == "atom" else f"<item>{fields}</item>"
    survives(parse_feed, encoded(wrap(fmt, "t", item)), "http://127.0.0.1/feed")


@fuzz()
@given(url=text | LINKS.map(lambda link: link + "#part"), page_canonical=st.none() | text | LINKS)
def test_canonical_url(url: str, page_canonical: str | None) -> None:
    found = survives(normalize.canonical_url, url, page_canonical)
    assert found is None or isinstance(found, str)


@fuzz()
@given(value=st.none() | text, order=st.none() | st.sampled_from(["DMY", "MDY", "YMD", "x"]))
@example(value=Big("2025-", 200_000), order=None)
def test_parse_date(value: str | None, order: str | None) -> None:
    found = survives(normalize.parse_date, value, date_order=order, relative_base=datetime(2025, 6, 1))
    assert found is None or found.utcoffset() == timedelta(0)


@fuzz()
@given(value=text, limit=st.integers(1, 2000))
def test_make_summary(value: str, limit: int) -> None:
    summary = survives(normalize.make_summary, value, limit)
    assert summary is None or len(summary) <= limit


@fuzz(0.5)
@given(title=text, summary=text, page_text=text, author=st.none() | text, section=st.none() | text)
def test_build_article(
    title: str, summary: str, page_text: str, author: str | None, section: str | None
) -> None:
    item = FeedItem("http://127.0.0.1/a", title, summary, author=author, categories=(section or "",))
    page = PageInfo(title=title, text=page_text, section=section, site_name=author, canonical_url=summary)
    now = datetime(2025, 6, 1, tzinfo=UTC)
    survives(
        normalize.build_article,
        item,
        page,
        source_title=author,
        source_url="http://127.0.0.1/",
        fetched_at=now,
    )


@st.composite
def html_page(draw: st.DrawFn) -> str:
    """An article page whose metadata, JSON-LD and body hold hostile text."""
    v = [escape(draw(text)) for _ in range(4)]
    ld = {
        "@type": "NewsArticle",
        "headline": draw(text),
        "articleBody": draw(text),
        "author": draw(json_value),
    }
    return Doc(
        f"<html lang={quoteattr(draw(short))}><head><title>{v[0]}</title>"
        f"<meta property='og:title' content={quoteattr(draw(text))}>"
        f"<meta name='pubdate' content={quoteattr(draw(text))}>"
        f"<link rel='canonical' href={quoteattr(draw(short | LINKS))}>"
        f"<script type='application/ld+json'>{json.dumps(ld)}</script></head>"
        f"<body><h1>{v[1]}</h1><time datetime={quoteattr(draw(short))}>{v[2]}</time>"
        f"<article><p>{v[3]}</p><p>{draw(text)}</p></article></body></html>"
    )


def ld_page(body: str = "x", date: str = "2025-06-01") -> str:
    ld = json.dumps({"@type": "NewsArticle", "articleBody": body, "datePublished": date})
    return Doc(
        f"<html><head><script type='application/ld+json'>{ld}</script></head><body><p>x</p></body></html>"
    )


page_body = html_page() | text | deep("<div>", "</div>") | deep("<table><tr><td>")


@fuzz(0.5)
@given(page=page_body | any_bytes | page_body.map(encoded))
@example(page=ld_page(body=Doc(">" + Big("<script", 100_000))))
@example(page=ld_page(body=">" + Big("<p", 300_000)))
@example(page=ld_page(date=Big("2025-", 100_000)))
@example(page=Doc("<html><body><article>" + Big("<p>x", 350_000)))  # trafilatura: two minutes
def test_extract_page(page: str | bytes) -> None:
    survives(extract.extract_page, page, "http://127.0.0.1/a")


@st.composite
def sitemap_body(draw: st.DrawFn) -> bytes:
    """A news sitemap or sitemap index with hostile text in its fields, maybe gzip-compressed."""
    loc, date, title = draw(xml_value(LINKS | text)), draw(xml_value()), draw(xml_value())
    news = f"<news:news><news:publication_date>{date}</news:publication_date><news:title>{title}</news:title>"
    if draw(st.booleans()):
        body = f"<sitemapindex><sitemap><loc>{loc}</loc><lastmod>{date}</lastmod></sitemap></sitemapindex>"
    else:
        body = (
            '<urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"<url><loc>{loc}</loc><lastmod>{date}</lastmod>{news}</news:news></url>{draw(deep('<url>'))}</urlset>"
        )
    data = encoded(draw(st.sampled_from(DECLARATIONS)) + draw(st.sampled_from(PROLOGS)) + body)
    return DocBytes(gzip.compress(data)[: draw(st.integers(0, MiB))]) if draw(st.booleans()) else data


@fuzz()
@given(body=sitemap_body() | any_bytes)
def test_sitemap(body: bytes) -> None:
    survives(sitemap.looks_like_sitemap, body)
    found = survives(sitemap.parse_sitemap, body, "http://127.0.0.1/sitemap.xml", now=datetime(2025, 6, 1))
    urls = [item.url for item in found.items] + found.children if found else []
    assert all(url.lower().startswith(("http://", "https://")) for url in urls), urls


@st.composite
def opml_body(draw: st.DrawFn) -> str:
    outlines = "".join(
        f"<outline text={quoteattr(draw(short))} xmlUrl={quoteattr(draw(text))}>{draw(xml_value())}</outline>"
        for _ in range(draw(st.integers(0, 3)))
    )
    prolog = draw(st.sampled_from(DECLARATIONS)) + draw(st.sampled_from(PROLOGS))
    return Doc(f"{prolog}<opml><body>{outlines}{draw(deep('<outline>'))}</body></opml>")


@fuzz()
@given(body=opml_body() | opml_body().map(encoded) | text | any_bytes)
def test_opml(body: str | bytes) -> None:
    survives(discover.parse_opml, body)
    survives(discover.looks_like_opml, encoded(body) if isinstance(body, str) else body)


@st.composite
def home_page(draw: st.DrawFn) -> str:
    links = "".join(
        f"<link rel='alternate' type='application/rss+xml' href={quoteattr(draw(LINKS | text))}"
        f" title={quoteattr(draw(short))}>"
        for _ in range(draw(st.integers(0, 3)))
    )
    base = f"<base href={quoteattr(draw(short))}>"
    return Doc(f"<html><head>{base}{links}</head><body>{draw(text)}</body></html>")


@fuzz()
@given(page=home_page() | home_page().map(encoded) | text | any_bytes)
@example(page=Big("<a ", 100_000))  # html.parser: quadratic
@example(page=Big("<!--", 100_000))
def test_find_feed_links(page: str | bytes) -> None:
    links = survives(discover.find_feed_links, page, "http://127.0.0.1/")
    assert all(link.lower().startswith(("http://", "https://")) for link in links or ()), links
    survives(discover.looks_like_feed, encoded(page) if isinstance(page, str) else page)


@fuzz()
@given(value=text)
@example(value=Doc(Big("a@", 500_000) + " ("))  # an RSS author as "mail (Name)": quadratic
@example(value="<!DOCTYPE x " + Big("[a]", 1300))  # the prolog before a root element: exponential
def test_text_helpers(value: str) -> None:
    """The helpers every feed field goes through (textutil), on their own."""
    for fn in (markup.html_to_text, markup.title_text, markup.author_name, markup.root_element):
        survives(fn, value)
    survives(markup.absolute_url, value, "http://127.0.0.1/")
    survives(markup.repair_xml_text, encoded(value))
    survives(markup.xml_error, encoded(value))


# ── the search query parser ───────────────────────────────────────────────────────────────────

QUERY_PIECES = ["(", ")", "NOT ", "-", " OR ", " AND ", '"', "#", "outlet:", "since:", "7d", "x ", "-x"]
query_piece = st.sampled_from(QUERY_PIECES)
query = text | st.lists(query_piece | short, max_size=60).map("".join) | huge(query_piece)


@fuzz()
@given(q=query)
@example(q=Doc(Big("(", 100_000) + "a"))  # recursion
@example(q=Doc(Big("NOT ", 100_000) + "a"))
@example(q=Doc(Big("-(", 100_000) + "a"))
def test_search_query(q: str) -> None:
    parsed = survives(query_language.parse, q, datetime(2025, 6, 1, tzinfo=UTC))
    if parsed is not None and parsed.expr is not None:
        survives(search.fts5_match, parsed.expr)
        survives(parsed.terms)


# ── understanding (the lead's per-article budget and length caps make these hold) ────────────

published = st.datetimes(datetime(1970, 1, 2), datetime(2100, 1, 1), timezones=st.just(UTC))
TITLE = "Harbour strike enters third day"


@fuzz(0.5)
@given(title=text, body=text, tags=st.lists(short, max_size=5), when=published)
@example(title=Big("A", MiB), body="", tags=[], when=datetime(2025, 6, 1, tzinfo=UTC))  # stories._NAME
def test_story_features_and_best_story(title: str, body: str, tags: list[str], when: datetime) -> None:
    new = survives(stories.features, title, body, tags, when)
    other = stories.features(TITLE, "Dockworkers at Port Sennet.", [], when)
    if new is not None:
        survives(stories.best_story, new, [(1, other), (2, new)], lambda term: 1.0)


@fuzz(0.5)
@given(a=text, b=text)
def test_copies(a: str, b: str) -> None:
    survives(copies.signature, a)
    survives(copies.confirm_copy, a, b)


@fuzz(0.5)
@given(title=text, body=text, author=st.none() | text, credit=st.none() | text)
def test_wire_origin(title: str, body: str, author: str | None, credit: str | None) -> None:
    survives(provenance.wire_origin, title, body, author=author, credit=credit)


@functools.cache
def loaded_tagger() -> Any:
    """One tagger for the module, its model loaded outside any bound (a second or two)."""
    from tagwire.understand.hashtags import HashtagTagger

    tagger = HashtagTagger()
    assert tagger.nlp is not None
    return tagger


@pytest.mark.slow
@fuzz(0.25)
@given(docs=st.lists(st.tuples(text, text), min_size=1, max_size=3))
@example(docs=[(Big("A", MiB), Big("Ab ", MiB // 3))])
@example(docs=[("x", Big("12:00", 40_000))])  # one 200 KB token: spaCy's tokenizer is quadratic
@example(docs=[("x", Big("ÿã\U0003da40Í.", 300_000))])  # thousands of mentions, each a scan of the text
def test_hashtags(docs: list[tuple[str, str]]) -> None:
    tags = survives(loaded_tagger().tag_many, docs)
    assert tags is None or len(tags) == len(docs)
