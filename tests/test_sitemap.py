"""Sitemaps as a source: news and plain sitemaps, indexes, gzip, salvage, refusals, robots.txt.

The fixtures in tests/fixtures/sitemaps are invented outlets; each says what it expects."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tagwire.errors import ParseError
from tagwire.ingest.sitemap import (
    MAX_CHILDREN,
    MAX_UNZIPPED,
    looks_like_sitemap,
    parse_sitemap,
    parse_w3c_date,
)

FIXTURES = Path(__file__).parent / "fixtures" / "sitemaps"
NOW = datetime(2026, 6, 2, 12, 0, tzinfo=UTC)
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def urlset(*entries: str) -> bytes:
    return f'<?xml version="1.0"?>\n<urlset {NS}>{"".join(entries)}</urlset>'.encode()


def url_entry(loc: str, lastmod: str | None = None) -> str:
    return f"<url><loc>{loc}</loc>{f'<lastmod>{lastmod}</lastmod>' if lastmod else ''}</url>"


# ── news sitemaps ─────────────────────────────────────────────────────────────────────────────


def test_news_sitemap_gives_recent_items_with_titles_and_dates() -> None:
    sitemap = parse_sitemap(fixture("news.xml"), "https://harbourledger.example/news-sitemap.xml", now=NOW)
    assert [(i.url, i.title, i.published) for i in sitemap.items] == [
        (
            "https://harbourledger.example/business/2026/06/02/port-rail-strike.html",
            "Port & rail workers strike over night shifts",
            datetime(2026, 6, 2, 0, 30, tzinfo=UTC),
        ),
        (
            "https://harbourledger.example/world/2026/06/01/ferry-returns.html",
            'Island ferry returns after "storm" repairs',
            datetime(2026, 6, 1, 18, 5, tzinfo=UTC),
        ),
    ]
    assert sitemap.children == []
    assert sitemap.problem is None  # a news sitemap dropping its oldest entries is normal
    assert sitemap.publication == "The Harbour Ledger"


def test_news_keywords_are_not_categories_and_there_is_no_author() -> None:
    sitemap = parse_sitemap(fixture("news.xml"), "https://harbourledger.example/news-sitemap.xml", now=NOW)
    assert all(i.categories == () and i.author is None and i.summary == "" for i in sitemap.items)


def test_max_age_decides_what_is_recent() -> None:
    body = fixture("news.xml")
    week = parse_sitemap(body, "https://harbourledger.example/n.xml", now=NOW, max_age=timedelta(days=7))
    assert len(week.items) == 3
    hours = parse_sitemap(body, "https://harbourledger.example/n.xml", now=NOW, max_age=timedelta(hours=12))
    assert [i.url.rsplit("/", 1)[-1] for i in hours.items] == ["port-rail-strike.html"]


def test_news_item_without_any_date_is_kept_undated() -> None:
    body = urlset(
        '<url><loc>https://a.example/x.html</loc><news:news xmlns:news="http://www.google.com/schemas/'
        'sitemap-news/0.9"><news:title>Undated</news:title></news:news></url>'
    )
    (item,) = parse_sitemap(body, "https://a.example/s.xml", now=NOW).items
    assert (item.title, item.published) == ("Undated", None)


# ── plain sitemaps ────────────────────────────────────────────────────────────────────────────


def test_plain_sitemap_keeps_only_urls_changed_recently() -> None:
    sitemap = parse_sitemap(fixture("plain.xml"), "https://quayside-courier.example/sitemap.xml", now=NOW)
    assert [(i.url, i.title, i.published) for i in sitemap.items] == [
        (
            "https://quayside-courier.example/2026/06/council-vote.html",
            "",
            datetime(2026, 6, 2, 3, 15, tzinfo=UTC),
        ),
        (
            "https://quayside-courier.example/2026/06/ferry-timetable.html",
            "",
            datetime(2026, 6, 2, tzinfo=UTC),
        ),
    ]  # newest first, whatever the sitemap's order
    assert sitemap.problem is None
    assert sitemap.publication is None


def test_plain_sitemap_of_old_pages_says_why_nothing_came() -> None:
    body = urlset(
        url_entry("https://a.example/1", "2025-01-01"), url_entry("https://a.example/2", "2025-02-03")
    )
    sitemap = parse_sitemap(body, "https://a.example/sitemap.xml", now=NOW)
    assert sitemap.items == []
    assert sitemap.problem is not None
    assert "2 URLs older than 2026-05-31 12:00 UTC" in sitemap.problem
    assert "2025-02-03" in sitemap.problem


def test_plain_sitemap_without_lastmod_says_it_cannot_tell_new_from_old() -> None:
    body = urlset(url_entry("https://a.example/1"), url_entry("mailto:desk@a.example", "2026-06-02"))
    sitemap = parse_sitemap(body, "https://a.example/sitemap.xml", now=NOW)
    assert sitemap.items == []
    assert sitemap.problem is not None
    assert "1 URL without <lastmod>" in sitemap.problem
    assert "1 URL without a usable http(s) <loc>" in sitemap.problem


def test_repeated_urls_are_listed_once_and_empty_urlset_is_told() -> None:
    body = urlset(*[url_entry("https://a.example/1", "2026-06-02")] * 3)
    assert len(parse_sitemap(body, "https://a.example/s.xml", now=NOW).items) == 1
    assert parse_sitemap(urlset(), "https://a.example/s.xml", now=NOW).problem == "the sitemap lists no URL"


def test_relative_locs_resolve_against_the_sitemap_address() -> None:
    body = urlset(url_entry("2026/story.html", "2026-06-02"), url_entry("/top.html", "2026-06-02"))
    sitemap = parse_sitemap(body, "https://a.example/sitemaps/s.xml", now=NOW)
    assert [i.url for i in sitemap.items] == [
        "https://a.example/sitemaps/2026/story.html",
        "https://a.example/top.html",
    ]


def test_sitemap_without_namespace_or_with_a_prefix_is_read() -> None:
    bare = b"<urlset><url><loc>https://a.example/1</loc><lastmod>2026-06-02</lastmod></url></urlset>"
    prefixed = (
        b'<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:url>'
        b"<sm:loc>https://a.example/2</sm:loc><sm:lastmod>2026-06-02</sm:lastmod></sm:url></sm:urlset>"
    )
    for body in (bare, prefixed):
        assert looks_like_sitemap(body)
        assert len(parse_sitemap(body, "https://a.example/s.xml", now=NOW).items) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-06-02", datetime(2026, 6, 2, tzinfo=UTC)),
        ("2026-06-02T10:00Z", datetime(2026, 6, 2, 10, tzinfo=UTC)),
        ("2026-06-02T10:00:00.5+02:00", datetime(2026, 6, 2, 8, 0, 0, 500000, tzinfo=UTC)),
        ("2026-06-02T10:00:00", datetime(2026, 6, 2, 10, tzinfo=UTC)),
        ("Tue, 02 Jun 2026 10:00:00 GMT", datetime(2026, 6, 2, 10, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
    ],
)
def test_sitemap_dates(text: str, expected: datetime | None) -> None:
    assert parse_w3c_date(text) == expected


# ── sitemap indexes ───────────────────────────────────────────────────────────────────────────


def test_index_lists_children_news_first_then_newest_then_undated() -> None:
    sitemap = parse_sitemap(fixture("index.xml"), "https://gullcove-gazette.example/sitemap.xml", now=NOW)
    base = "https://gullcove-gazette.example/sitemaps/"
    assert sitemap.children == [
        base + n for n in ("news.xml", "posts-2026-06.xml", "sitemap-tags.xml", "pages.xml")
    ]
    assert sitemap.items == []
    assert sitemap.problem is None


def test_index_children_are_capped() -> None:
    entries = "".join(
        f"<sitemap><loc>https://a.example/s{n}.xml</loc>"
        f"<lastmod>2026-06-02T{n % 24:02}:00:00Z</lastmod></sitemap>"
        for n in range(MAX_CHILDREN + 10)
    )
    body = f"<sitemapindex {NS}>{entries}<sitemap><loc>/news-1.xml</loc></sitemap></sitemapindex>".encode()
    sitemap = parse_sitemap(body, "https://a.example/index.xml", now=NOW)
    assert len(sitemap.children) == MAX_CHILDREN
    assert sitemap.children[0] == "https://a.example/news-1.xml"
    assert sitemap.children[1] == "https://a.example/s23.xml"  # the latest lastmod
    assert (
        sitemap.problem
        == f"{MAX_CHILDREN + 11} child sitemaps may hold recent articles; only the first 50 are followed"
    )


def test_index_whose_children_are_all_stale_says_so() -> None:
    body = f"<sitemapindex {NS}><sitemap><loc>https://a.example/old.xml</loc><lastmod>2025-01-01</lastmod></sitemap></sitemapindex>"
    sitemap = parse_sitemap(body.encode(), "https://a.example/index.xml", now=NOW)
    assert sitemap.children == []
    assert sitemap.problem == "all 1 child sitemap last changed before 2026-05-31 12:00 UTC"


# ── gzip, salvage, refusals ───────────────────────────────────────────────────────────────────


def test_gzip_sitemap_is_inflated() -> None:
    body = gzip.compress(fixture("plain.xml"))
    assert looks_like_sitemap(body)
    sitemap = parse_sitemap(body, "https://quayside-courier.example/sitemap.xml.gz", now=NOW)
    assert [i.url.rsplit("/", 1)[-1] for i in sitemap.items] == ["council-vote.html", "ferry-timetable.html"]


def test_gzip_bomb_is_refused() -> None:
    body = gzip.compress(b"<urlset>" + b" " * (MAX_UNZIPPED + 1) + b"</urlset>", compresslevel=1)
    assert len(body) < MAX_UNZIPPED // 100
    with pytest.raises(ParseError, match="inflates to more than 10 MiB"):
        parse_sitemap(body, "https://a.example/s.xml.gz", now=NOW)


def test_broken_gzip_is_refused() -> None:
    body = b"\x1f\x8b" + b"not really gzip at all"
    assert not looks_like_sitemap(body)
    with pytest.raises(ParseError, match="gzip-compressed but does not inflate"):
        parse_sitemap(body, "https://a.example/s.xml.gz", now=NOW)


def test_truncated_sitemap_is_salvaged_and_the_damage_told() -> None:
    sitemap = parse_sitemap(fixture("malformed.xml"), "https://tidewater-times.example/news.xml", now=NOW)
    titles = [i.title for i in sitemap.items]
    assert titles == ["School roof fixed", "Bridge reopens to lorries"]  # the cut-off third <url> has no date
    assert sitemap.problem is not None
    assert sitemap.problem.startswith("the sitemap is not well-formed XML (")
    assert ", line 17, column " in sitemap.problem
    assert sitemap.problem.endswith("what could be read was kept")


def test_entity_bomb_is_not_expanded() -> None:
    sitemap = parse_sitemap(fixture("bomb.xml"), "https://brine-bulletin.example/news.xml", now=NOW)
    (item,) = sitemap.items
    assert item.title == "Laughs"
    assert sitemap.problem is not None
    assert "declares XML entities, which were not expanded" in sitemap.problem


@pytest.mark.parametrize(
    "doctype",
    [b"<!DOCTYPE urlset [ <!ELEMENT urlset ANY> ]>", b'<!DOCTYPE urlset SYSTEM "http://a.example/s.dtd">'],
)
def test_doctype_without_entities_is_dropped_silently(doctype: bytes) -> None:
    body = urlset(url_entry("https://a.example/1", "2026-06-02")).replace(b"\n", b"\n" + doctype + b"\n", 1)
    sitemap = parse_sitemap(body, "https://a.example/s.xml", now=NOW)
    assert (len(sitemap.items), sitemap.problem) == (1, None)


def test_doctype_text_inside_the_sitemap_is_left_alone() -> None:
    title = "<news:title><![CDATA[Why <!DOCTYPE html> still matters &amp; more]]></news:title>"
    body = urlset(
        f'<url><loc>https://a.example/1</loc><news:news xmlns:news="http://www.google.com/schemas/'
        f'sitemap-news/0.9"><news:publication_date>2026-06-02</news:publication_date>{title}</news:news></url>'
    )
    (item,) = parse_sitemap(body, "https://a.example/s.xml", now=NOW).items
    assert item.title == "Why <!DOCTYPE html> still matters & more"


def test_naive_now_is_taken_as_utc() -> None:
    naive = NOW.replace(tzinfo=None)
    sitemap = parse_sitemap(fixture("plain.xml"), "https://quayside-courier.example/s.xml", now=naive)
    assert len(sitemap.items) == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty body"),
        (b"   \n", "empty body"),
        (b"<!DOCTYPE html><html><head></head><body>Hi</body></html>", "HTML page"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "is a feed"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "is a feed"),
        (b"<opml><body/></opml>", "root element is <opml>"),
        (b"User-agent: *\nDisallow:", "not XML"),
        (b'<?xml version="1.0"?>\n<!-- <urlset> -->', "no XML element in the first 4 KB"),
        (b'<?xml version="1.0" encoding="utf-16"?><urlset/>', "nothing could be salvaged"),
    ],
)
def test_what_is_no_sitemap_raises_a_parse_error(body: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_sitemap(body, "https://a.example/s.xml", now=NOW)


def test_looks_like_sitemap() -> None:
    for name in ("news.xml", "plain.xml", "index.xml", "malformed.xml", "bomb.xml"):
        assert looks_like_sitemap(fixture(name)), name
    assert looks_like_sitemap(b"\xef\xbb\xbf\n  " + fixture("index.xml"))
    for body in (b"", b"<rss><channel/></rss>", b"<html><body>sitemap</body></html>", fixture("robots.txt")):
        assert not looks_like_sitemap(body)
