"""Sitemaps as a source: a fetched sitemap body in, the recent articles it lists out.

    body ─► gunzip? (capped) ─► drop DOCTYPE ─► lxml ─┬─ <urlset> ──────► FeedItems newer than max_age
                                                       └─ <sitemapindex> ─► child sitemaps to fetch

A Google News sitemap (`news:` extension) lists an outlet's articles of the last two days with
title and publication date; a plain sitemap lists every page of a site with at most a
`lastmod`, often 50,000 of them, so only URLs changed within `max_age` become items. A sitemap
index only names other sitemaps: the caller fetches `children` (up to `MAX_CHILDREN`, news
and recently changed ones first) and must itself cap how deep it follows indexes.

`news:keywords` is not turned into `FeedItem.categories`: categories become an article's
section on the tag page ("World", "Business"), while news keywords are free SEO terms chosen
by the publisher ("Hegseth, Shangri-La, defence"); the article page gives the real section.

Entities are never expanded: the DOCTYPE is dropped before lxml sees the body, and lxml runs
with `resolve_entities=False` and no network. Broken XML is salvaged with lxml's recovering
parser and the damage told in `Sitemap.problem`.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from lxml import etree  # type: ignore[import-untyped]

from tagwire.errors import ParseError
from tagwire.ingest.markup import (
    absolute_url,
    collapse_whitespace,
    decode_entities,
    head_text,
    root_element,
)
from tagwire.models import FeedItem

MAX_CHILDREN = 50  # child sitemaps of an index handed to the caller, at most
MAX_UNZIPPED = 10 * 1024 * 1024  # bytes a gzip-compressed sitemap may expand to
NEWS_NAMESPACE = "http://www.google.com/schemas/sitemap-news/0.9"
SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})
_GZIP_MAGIC = b"\x1f\x8b"
_HEAD = 4096
_DOCTYPE = re.compile(rb"<!DOCTYPE\b")
_START_TAG = re.compile(rb"<[A-Za-z]")
_DTD_OPEN = re.compile(rb"[\[>]")
_DTD_SUBSET_END = re.compile(rb"\]\s*>")
_FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})
_ROBOTS_HINT = "a site's sitemaps are listed on the Sitemap: lines of its /robots.txt"


@dataclass
class Sitemap:
    """A parsed sitemap: the recent articles of a `<urlset>` (newest first, as feeds list
    them), or the child sitemaps of a `<sitemapindex>` (absolute URLs, best first).
    `problem` says what was wrong when only part could be read, or why a sitemap that lists
    URLs yielded none. `publication` is the outlet name a news sitemap gives
    (`news:publication/news:name`), when it gives one."""

    items: list[FeedItem] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    problem: str | None = None
    publication: str | None = None


def looks_like_sitemap(body: bytes) -> bool:
    """Whether the body's root element is `<urlset>` or `<sitemapindex>`, looking only at its
    first few kilobytes (after a byte order mark, whitespace, or gzip compression)."""
    try:
        head = _inflate(body, _HEAD) if body[:2] == _GZIP_MAGIC else body[:_HEAD]
    except ParseError:
        return False
    return _root_name(head_text(head).lstrip()) in SITEMAP_ROOTS


def parse_sitemap(body: bytes, url: str, *, now: datetime, max_age: timedelta = timedelta(days=2)) -> Sitemap:
    """Read a sitemap fetched from `url` (the base of relative locations). Items are the URLs
    published (news) or last modified (plain) after `now - max_age`; children are those of an
    index that may have changed since then (a naive `now` is taken as UTC). A body that is no
    sitemap raises `ParseError`."""
    body = _trim_start(_unzipped(body))
    root_name = _sniff(body)
    body, notes = _drop_doctype(body)
    root, damage = _parse_xml(body)
    if damage:
        notes.append(damage)
    since = (now if now.tzinfo else now.replace(tzinfo=UTC)) - max_age
    sitemap = _read_index(root, url, since) if root_name == "sitemapindex" else _read_urlset(root, url, since)
    sitemap.problem = "; ".join(notes + ([sitemap.problem] if sitemap.problem else [])) or None
    return sitemap


# ── bytes ─────────────────────────────────────────────────────────────────────────────────────


def _inflate(body: bytes, limit: int) -> bytes:
    """At most `limit` + 1 bytes of a gzip body, inflated (one more than asked tells "too large")."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, limit + 1)
    except zlib.error as error:
        raise ParseError(
            f"not a sitemap: the body looks gzip-compressed but does not inflate ({error})"
        ) from None


def _unzipped(body: bytes) -> bytes:
    """The body, inflated if it is gzip-compressed (sitemap.xml.gz), up to MAX_UNZIPPED bytes."""
    if body[:2] != _GZIP_MAGIC:
        return body
    data = _inflate(body, MAX_UNZIPPED)
    if len(data) > MAX_UNZIPPED:
        raise ParseError(
            f"sitemap too large: it inflates to more than {MAX_UNZIPPED // (1024 * 1024)} MiB "
            "(the sitemap protocol allows 50 MB; split it with a sitemap index)"
        )
    return data


def _trim_start(body: bytes) -> bytes:
    """Drop a UTF-8 byte order mark and whitespace before the XML declaration."""
    return body.removeprefix(b"\xef\xbb\xbf").lstrip()


def _drop_doctype(body: bytes) -> tuple[bytes, list[str]]:
    """Remove a DOCTYPE (sitemaps have no use for one): no entity it declares is ever expanded."""
    start = _DOCTYPE.search(body, 0, _HEAD)
    if start is None or _START_TAG.search(body, 0, start.start()):  # after the root: just text
        return body, []
    end = opening = _DTD_OPEN.search(body, start.end())
    if opening is not None and opening.group(0) == b"[":
        end = _DTD_SUBSET_END.search(body, opening.end())
    if end is None:
        raise ParseError("not a sitemap: its DOCTYPE never ends")
    declares = b"<!ENTITY" in body[start.start() : end.end()]
    notes = ["the sitemap declares XML entities, which were not expanded"] if declares else []
    return body[: start.start()] + body[end.end() :], notes


# ── what the body is ──────────────────────────────────────────────────────────────────────────


def _root_name(text: str) -> str | None:
    name = root_element(text)
    return name.rsplit(":", 1)[-1].lower() if name else None


def _sniff(body: bytes) -> str:
    """The root element's name, "urlset" or "sitemapindex"; anything else raises ParseError
    saying what the body is instead."""
    text = head_text(body).lstrip()
    if not text:
        raise ParseError(f"not a sitemap: the address returned an empty body ({_ROBOTS_HINT})")
    name = _root_name(text)
    if name in SITEMAP_ROOTS:
        return name
    if name in _FEED_ROOTS:
        raise ParseError(f"not a sitemap: the body is a feed (<{name}>); add it as a feed instead")
    if name == "html" or "<!doctype html" in text[:200].lower():
        raise ParseError(f"not a sitemap: the address returned an HTML page ({_ROBOTS_HINT})")
    if name is None and text.startswith("<"):
        raise ParseError("not a sitemap: no XML element in the first 4 KB of the body")
    if name is None:
        raise ParseError(f"not a sitemap: the body is not XML (it starts {text[:40]!r})")
    raise ParseError(f"not a sitemap: the XML's root element is <{name}>, not <urlset> or <sitemapindex>")


def _parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=recover
    )


def _parse_xml(body: bytes) -> tuple[etree._Element, str | None]:
    """The root element, and what was wrong with the XML if it had to be salvaged."""
    try:
        return etree.fromstring(body, _parser(False)), None
    except etree.XMLSyntaxError as error:
        damage = f"the sitemap is not well-formed XML ({error.msg})"  # msg gives line and column
    try:
        root = etree.fromstring(body, _parser(True))
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        raise ParseError(f"{damage} and nothing could be salvaged")
    etree.strip_elements(root, etree.Entity, with_tail=False)  # references to undeclared entities
    return root, f"{damage}; what could be read was kept"


# ── elements ──────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class _Names:
    """Clark names ("{namespace}local") of the elements read, in the namespaces this sitemap
    uses: lxml then finds children in C, which keeps a 50,000-URL sitemap well under a second."""

    url: str
    sitemap: str
    loc: str
    lastmod: str
    news: str
    news_date: str
    news_title: str
    publication_name: str


def _names(root: etree._Element) -> _Names:
    """The sitemap namespace is the root's (sitemaps.org, an old Google one, or none); the news
    namespace is whichever declared one names "sitemap-news", else Google's."""
    namespace = etree.QName(root).namespace
    sm = f"{{{namespace}}}" if namespace else ""
    news = f"{{{_news_namespace(root)}}}"
    return _Names(
        url=f"{sm}url",
        sitemap=f"{sm}sitemap",
        loc=f"{sm}loc",
        lastmod=f"{sm}lastmod",
        news=f"{news}news",
        news_date=f"{news}publication_date",
        news_title=f"{news}title",
        publication_name=f"{sm}url/{news}news/{news}publication/{news}name",
    )


def _news_namespace(root: etree._Element) -> str:
    """Declared on the root, as a rule; now and then on the first <url> or its news element."""
    first = next(root.iterchildren(tag=etree.Element), None)
    scopes = [root] if first is None else [root, *first.iter(tag=etree.Element)]
    for element in scopes[:20]:
        for namespace in element.nsmap.values():
            if namespace and "sitemap-news" in namespace:
                return str(namespace)
    return NEWS_NAMESPACE


def _text(element: etree._Element, name: str) -> str:
    """The text of the first child called `name` (a Clark name), or ""."""
    text = element.findtext(name)
    return text.strip() if text else ""


def parse_w3c_date(value: str) -> datetime | None:
    """A sitemap date (W3C Datetime: "2026-11-26", "2026-11-26T10:00+09:00", "...Z"; now and
    then RFC 822) as an aware UTC datetime, or None. A date without a zone is taken as UTC."""
    value = value.strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# ── <urlset> ──────────────────────────────────────────────────────────────────────────────────


@dataclass
class _Tally:
    """Why listed URLs did not become items, for the problem note of an empty result."""

    listed: int = 0
    old: int = 0
    undated: int = 0
    unusable: int = 0
    newest: datetime | None = None


def _read_urlset(root: etree._Element, base: str, since: datetime) -> Sitemap:
    names, tally, seen = _names(root), _Tally(), set[str]()
    sitemap = Sitemap(publication=_plain(root.findtext(names.publication_name) or "") or None)
    for entry in root.iterchildren(names.url):
        tally.listed += 1
        item = _url_item(entry, names, base, since, tally)
        if item is not None and item.url not in seen:
            seen.add(item.url)
            sitemap.items.append(item)
    if not sitemap.items:
        sitemap.problem = _why_empty(tally, since)
    sitemap.items.sort(key=newest_first)
    return sitemap


def newest_first(item: FeedItem) -> tuple[bool, float]:
    """Sort key giving the order feeds use: newest first, undated (news) items last."""
    return item.published is None, -item.published.timestamp() if item.published else 0.0


def _url_item(
    entry: etree._Element, names: _Names, base: str, since: datetime, tally: _Tally
) -> FeedItem | None:
    """The FeedItem of one <url>, or None (counted in `tally`) if it has no date in a plain
    sitemap, is older than `since`, or has no usable address (resolved only when recent)."""
    loc, lastmod, news = _url_fields(entry, names)
    published = parse_w3c_date(_text(news, names.news_date)) if news is not None else None
    published = published or parse_w3c_date(lastmod)
    url = None
    if published is None and news is None:
        tally.undated += 1  # a plain sitemap URL without a date: no way to tell new from old
    elif published is not None and published < since:
        tally.old += 1
        tally.newest = max(tally.newest or published, published)
    elif (url := absolute_url(loc, base)) is None:
        tally.unusable += 1
    if url is None:
        return None
    title = _plain(_text(news, names.news_title)) if news is not None else ""
    return FeedItem(url=url, title=title, published=published)


def _plain(text: str) -> str:
    """A news title or name as it should read: these are plain text by the spec (not HTML, so
    "<" stays), but some outlets encode them twice ("&amp;amp;"), hence one more decoding."""
    return collapse_whitespace(decode_entities(text))


def _url_fields(entry: etree._Element, names: _Names) -> tuple[str, str, etree._Element | None]:
    """loc, lastmod and the news element of one <url>, in one pass over its children (the
    hot loop of a 50,000-URL sitemap)."""
    loc = lastmod = ""
    news = None
    for child in entry:
        tag = child.tag
        if tag == names.loc and not loc:
            loc = child.text or ""
        elif tag == names.lastmod and not lastmod:
            lastmod = child.text or ""
        elif tag == names.news and news is None:
            news = child
    return loc.strip(), lastmod, news


def _why_empty(tally: _Tally, since: datetime) -> str | None:
    if not tally.listed:
        return "the sitemap lists no URL"
    reasons = []
    if tally.old:
        newest = tally.newest.strftime("%Y-%m-%d %H:%M UTC") if tally.newest else "?"
        reasons.append(f"{_n(tally.old, 'URL')} older than {since:%Y-%m-%d %H:%M UTC} (the newest: {newest})")
    if tally.undated:
        reasons.append(
            f"{_n(tally.undated, 'URL')} without <lastmod>, so new articles cannot be told from old"
        )
    if tally.unusable:
        reasons.append(f"{_n(tally.unusable, 'URL')} without a usable http(s) <loc>")
    return "no recent article: " + "; ".join(reasons)


# ── <sitemapindex> ────────────────────────────────────────────────────────────────────────────


def _read_index(root: etree._Element, base: str, since: datetime) -> Sitemap:
    """Children worth fetching: those not last changed before `since`, news ones first, then
    the most recently changed, then undated ones in document order; at most MAX_CHILDREN."""
    names, listed = _names(root), dict[str, datetime | None]()
    for entry in root.iterchildren(names.sitemap):
        url = absolute_url(_text(entry, names.loc), base)
        if url and url not in listed:
            listed[url] = parse_w3c_date(_text(entry, names.lastmod))
    fresh = [(url, when) for url, when in listed.items() if when is None or when >= since]
    ranked = sorted(fresh, key=lambda pair: _child_rank(*pair))
    sitemap = Sitemap(children=[url for url, _ in ranked[:MAX_CHILDREN]])
    sitemap.problem = _index_note(len(listed), len(fresh), since)
    return sitemap


def _child_rank(url: str, when: datetime | None) -> tuple[bool, bool, float]:
    """Sort key: "news" in the name first, then dated before undated, newest first."""
    name = url.rsplit("/", 1)[-1].lower()
    return "news" not in name, when is None, -when.timestamp() if when else 0.0


def _index_note(listed: int, fresh: int, since: datetime) -> str | None:
    if not listed:
        return "the sitemap index lists no child sitemap"
    if not fresh:
        return f"all {_n(listed, 'child sitemap')} last changed before {since:%Y-%m-%d %H:%M UTC}"
    if fresh > MAX_CHILDREN:
        return f"{fresh} child sitemaps may hold recent articles; only the first {MAX_CHILDREN} are followed"
    return None


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
