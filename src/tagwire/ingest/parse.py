"""The parse stage: a fetched body in, a `ParsedFeed` of plain-text `FeedItem`s out.

Detect, then dispatch (as miniflux's parser.go does):

    body ─► sniff ─┬─ JSON ─► JSON Feed ─► fastfeedparser
                   └─ XML ──► drop entity DTD ─► well-formed? ─┬─ yes ─► fastfeedparser (else feedparser)
                                                                └─ no ──► repair "&" and entities,
                                                                          then both: keep what keeps more

fastfeedparser is about a hundred times faster than feedparser and reads well-formed feeds as
well, so feedparser only runs when fastfeedparser fails, when a feed uses what fastfeedparser
gets wrong (relative links under xml:base, a non-permalink guid standing in for a link), or when
the XML is broken: fastfeedparser's recovering parser then silently drops text (a bare "&" and
what follows it), while feedparser salvages; never on a body of more than _SLOW_MAX_MARKUP tags and
references, which it would take a minute to read. Bodies that are no feed raise `ParseError`.
"""

from __future__ import annotations

import calendar
import html
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tagwire.errors import ParseError
from tagwire.ingest.excerpt import clean_excerpt
from tagwire.ingest.markup import (
    absolute_url,
    author_name,
    collapse_whitespace,
    head_text,
    html_to_text,
    repair_xml_text,
    root_element,
    storable,
    title_text,
    xml_error,
)
from tagwire.models import FeedItem, ParsedFeed

FEED_ROOTS = {"rss": "rss", "channel": "rss", "rdf": "rdf", "feed": "atom", "entry": "atom"}
_HEAD = 4096  # bytes looked at to decide what a body is
_EMBEDDED_FEED = re.compile(r"<((?:rdf:)?RDF|rss|feed)[\s>]")
_DOCTYPE = re.compile(rb"<!DOCTYPE\b")
_DTD_END = re.compile(rb"\]\s*>")
_XHTML = re.compile(rb"type\s*=\s*[\"'](?:application/)?xhtml(?:\+xml)?[\"']")
_ATOM_0_3 = b"purl.org/atom/ns#"
_BASE64 = re.compile(rb"mode\s*=\s*[\"']base64[\"']")
_SUSPECT = re.compile(
    rb"<(?:(?P<text>(?:title|description|summary)(?:\s(?![^<>]*xhtml)[^<>]*+)?>[^<]*+<(?![/!]))"
    rb"|(?:fullitem|(?:xhtml:)?body)[\s>])"
)
"""What fastfeedparser misreads, found in one pass: a title, description or summary that holds
elements (unescaped HTML, not declared XHTML), of which it keeps only the text before the first
one (group "text"); an RSS item's text in <body>, <xhtml:body> or <fullitem>, which it ignores
(feedparser reads it as content)."""
_NOT_PERMALINK = re.compile(rb"isPermaLink\s*=\s*[\"']\s*(?i:false)")
_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_LONG_PERSON = re.compile(
    rb"(<(?:[\w.-]{1,40}:)?(?:author|creator|managingEditor|webMaster|publisher|contributor|name|email)"
    rb"\b[^<>]*+>(?:<!\[CDATA\[)?)([^<\]]{500})[^<\]]*+",
    re.I,
)
"""A person's element (author, dc:creator, Atom <name>...) with more than 500 characters of text:
feedparser looks for an e-mail address in it with a regular expression that takes the square of
its length (16,000 characters: a second; a megabyte: an hour), so it gets the first 500 only."""
_SLOW_MAX_MARKUP = 100_000
"""Most tags and references ("<" and "&") in a body feedparser is given: it costs 3 to 13 us each
here (the biggest real feed has 23,000), so a 10 MB body of them, well-formed or not, would hold
the whole run for a minute or more; such a body is read by fastfeedparser alone."""
_HTML_HINT = "try `tagwire add` with the site's address to discover its feeds"


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Read an RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 0.3/1.0 or JSON Feed 1.0/1.1 body fetched
    from `url` (the base of relative links). Malformed XML is salvaged and the damage told in
    `ParsedFeed.problem`; a body that is no feed raises `ParseError` saying what it is."""
    body, notes = _drop_entity_dtd(_trim_start(body))
    root = sniff(body, content_type)
    if root == "json":
        return _parse_json(body, url)
    return _parse_xml(body, url, content_type, FEED_ROOTS[root], notes)


# ── sniffing ──────────────────────────────────────────────────────────────────────────────────


def sniff(body: bytes, content_type: str | None = None) -> str:
    """What kind of feed the body holds: "json", or the root element of an XML feed ("rss",
    "feed", "rdf", "channel", "entry"). Anything else raises ParseError saying what it is."""
    head = head_text(body)
    text = head.lstrip()
    if not text:
        raise ParseError("not a feed: the address returned an empty body")
    if text[0] in "{[":
        return "json"
    if body[:2] == b"\x1f\x8b":
        raise ParseError("not a feed: the body is gzip-compressed data the server did not declare")
    if sum(1 for c in text[:1024] if c < " " and c not in "\t\n\r\f") > 8 or "\x00" in text:
        raise ParseError("not a feed: the address returned binary data")
    return _feed_root(text, content_type)


def _feed_root(text: str, content_type: str | None) -> str:
    name = root_element(text)
    if name is None and text.startswith("<"):
        raise ParseError("not a feed: no XML element in the first 4 KB of the body")
    if name is None:
        raise ParseError(f"not a feed: the body is plain text, not XML or JSON (it starts {text[:40]!r})")
    local = name.rsplit(":", 1)[-1].lower()
    if local in FEED_ROOTS:
        return local
    embedded = _EMBEDDED_FEED.search(text)
    if embedded:  # a feed wrapped in an HTML page or behind a PHP warning: salvage it
        return embedded.group(1).rsplit(":", 1)[-1].lower()
    if local == "html" or "<!doctype html" in text[:200].lower() or "html" in (content_type or ""):
        raise ParseError(f"not a feed: the address returned an HTML page ({_HTML_HINT})")
    raise ParseError(
        f"not a feed: the body is XML whose root element is <{name}>, not <rss>, <feed> or <rdf:RDF>"
    )


# ── XML ───────────────────────────────────────────────────────────────────────────────────────


@dataclass
class _Read:
    """One library's reading of a body, and how many entries had no usable link."""

    feed: ParsedFeed
    skipped: int = 0

    @property
    def score(self) -> tuple[int, int, int]:
        """How "keeps more" is decided: more items, then fewer characters lost to a wrong
        decoding (U+FFFD), then more text."""
        text = "".join(i.title + i.summary for i in self.feed.items)
        return len(self.feed.items), -text.count("\ufffd"), len(text)


def _parse_xml(body: bytes, url: str, content_type: str | None, fmt: str, notes: list[str]) -> ParsedFeed:
    error = xml_error(body)
    if error is None:
        read = _read_well_formed(body, url, content_type, fmt)
    else:
        read = _salvage(body, url, content_type, fmt)
        if not read.feed.items:
            raise ParseError(f"feed is not well-formed XML ({error}) and no item could be salvaged")
        notes.append(f"feed is not well-formed XML ({error}); {_n(len(read.feed.items), 'item')} salvaged")
    if read.skipped:
        notes.append(f"{_n(read.skipped, 'item')} without a link skipped")
    read.feed.problem = "; ".join(notes) or None
    return read.feed


def _trim_start(body: bytes) -> bytes:
    """Drop a UTF-8 byte order mark and whitespace before the XML declaration (harmless, common)."""
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    return body.lstrip() if body[:1].isspace() else body


def _drop_entity_dtd(body: bytes) -> tuple[bytes, list[str]]:
    """Remove a DOCTYPE that declares entities (billion laughs, external entities): no
    library below ever sees one. Feeds have no use for them."""
    start = _DOCTYPE.search(body, 0, _HEAD)
    if start is None or b"<!ENTITY" not in body[start.start() : start.start() + (1 << 20)]:
        return body, []
    end = _DTD_END.search(body, start.end())
    if end is None:
        raise ParseError("not a feed: its DOCTYPE declares entities and never ends")
    return body[: start.start()] + body[end.end() :], [
        "the feed declares XML entities, which were not expanded"
    ]


def _read_well_formed(body: bytes, url: str, content_type: str | None, fmt: str) -> _Read:
    """fastfeedparser's reading, unless it failed, found nothing, or is known to be wrong here."""
    raw = _fast(body)
    fast = None if raw is None else _to_read(raw, url, fmt, _iso_date)
    if raw is not None and fast is not None and fast.feed.items and not _fast_gets_it_wrong(body, raw):
        return fast
    slow = _slow(body, url, content_type, fmt)
    return slow if fast is None or slow.feed.items or slow.skipped else fast


def _salvage(body: bytes, url: str, content_type: str | None, fmt: str) -> _Read:
    """Broken XML: repair what is commonly broken, then keep whichever reading keeps more."""
    if b"\x00" not in body[:4]:  # the repair works on ASCII-compatible bytes only
        body, fixes = repair_xml_text(body)
        if fixes and xml_error(body) is None:
            return _read_well_formed(body, url, content_type, fmt)
    raw = _fast(body)
    slow = _slow(body, url, content_type, fmt)
    if raw is None:
        return slow
    return max(_to_read(raw, url, fmt, _iso_date), slow, key=lambda r: r.score)


def _fast_gets_it_wrong(body: bytes, raw: Mapping[str, Any]) -> bool:
    """fastfeedparser ignores xml:base, leaves a title or summary of type="xhtml" empty, keeps only
    the first words of one that holds unescaped HTML, shows Atom 0.3's base64 text still encoded,
    reads no <body> or <fullitem>, and takes a guid that looks like an address as the link even
    when isPermaLink="false" says it is not. The looks at the body cost about 1 ms a megabyte."""
    entries = _entries(raw)
    links = [_text(_get(e, "link")) for e in entries]
    if b"xml:base" in body and any(link and absolute_url(link, None) is None for link in links):
        return True
    summed = all(_has_summary(e) for e in entries)
    complete = summed and all(_get(e, "title") for e in entries) and _get(_get(raw, "feed"), "title")
    if not complete and _XHTML.search(body):
        return True
    if _ATOM_0_3 in body[:_HEAD] and _BASE64.search(body):
        return True
    return any(m["text"] or not summed for m in _SUSPECT.finditer(body)) or _guid_taken_for_link(
        body, entries, links
    )


def _guid_taken_for_link(body: bytes, entries: list[Mapping[str, Any]], links: list[str]) -> bool:
    """Whether fastfeedparser took a guid marked isPermaLink="false" as an item's link."""
    ids = [_text(_get(e, "id")) for e in entries]
    guid_as_link = any(link and link == id_ for link, id_ in zip(links, ids, strict=True))
    return guid_as_link and bool(_NOT_PERMALINK.search(body)) and _an_item_lacks_a_link(body)


def _an_item_lacks_a_link(body: bytes) -> bool:
    """Whether some RSS <item> has no <link> element (a look at the bytes, no parsing)."""
    for chunk in body.split(b"<item")[1:]:
        if chunk[:1] in (b">", b" ", b"\n", b"\r", b"\t"):  # not <items> or <itemref>
            end = chunk.find(b"</item>")
            if b"<link" not in chunk[: end if end >= 0 else len(chunk)]:
                return True
    return False


def _fast(body: bytes) -> Mapping[str, Any] | None:
    import fastfeedparser  # imported on the first feed body: a run of 304s never needs it

    try:
        raw: Mapping[str, Any] = fastfeedparser.parse(body, include_media=False, include_enclosures=False)
    except Exception:  # any failure of the fast path means: ask feedparser
        return None
    return raw


def _slow(body: bytes, url: str, content_type: str | None, fmt: str) -> _Read:
    if body.count(b"<") + body.count(b"&") > _SLOW_MAX_MARKUP:  # fastfeedparser's reading stands alone
        return _Read(ParsedFeed(format=fmt))
    import feedparser  # the fallback: most runs never load it

    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    try:
        raw = feedparser.parse(
            _LONG_PERSON.sub(rb"\1\2", body),
            response_headers=headers,
            resolve_relative_uris=False,
            sanitize_html=False,
        )
    except Exception:  # feedparser is the last resort; what it cannot read yields nothing
        return _Read(ParsedFeed(format=fmt))
    return _to_read(raw, url, fmt, _struct_date)


# ── JSON Feed ─────────────────────────────────────────────────────────────────────────────────


def _parse_json(body: bytes, url: str) -> ParsedFeed:
    body = body.removeprefix(b"\xef\xbb\xbf")
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ParseError(f"not a feed: the body looks like JSON but does not parse ({error})") from None
    except RecursionError:
        raise ParseError("not a feed: the body is JSON nested too deeply to read") from None
    if not _is_json_feed(doc):
        raise ParseError(
            'not a feed: the address returned JSON that is not a JSON Feed (no "version" or "items")'
        )
    raw = _fast(body)
    if raw is None:  # items of the wrong shape: keep the ones fastfeedparser can read
        raw = _fast_conforming(doc)
    if raw is None:
        raise ParseError("the JSON Feed could not be read: its items are not objects of the JSON Feed shape")
    read = _to_read(raw, url, "json", _iso_date)
    dropped = len(doc["items"]) - len(_entries(raw))
    notes = [f"{_n(dropped, 'item')} of the wrong shape dropped"] if dropped else []
    notes += [f"{_n(read.skipped, 'item')} without a link skipped"] if read.skipped else []
    read.feed.problem = "; ".join(notes) or None
    return read.feed


def _fast_conforming(doc: dict[str, Any]) -> Mapping[str, Any] | None:
    """fastfeedparser's reading of the items of the JSON Feed shape (None if it still fails,
    or if a value nests too deeply to write back)."""
    try:
        return _fast(json.dumps(_conforming(doc)).encode())
    except RecursionError:
        return None


def _is_json_feed(doc: Any) -> bool:
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        return False
    return "jsonfeed.org" in str(doc.get("version", "")) or isinstance(doc.get("title"), str)


def _conforming(doc: dict[str, Any]) -> dict[str, Any]:
    """`doc` with only the items, authors and tags whose JSON types the spec allows."""
    items = [_typed(i) for i in doc["items"] if isinstance(i, dict)]
    return {**_typed(doc), "version": "https://jsonfeed.org/version/1.1", "items": items}


def _typed(obj: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in obj.items() if k not in ("author", "authors", "tags")}
    if isinstance(obj.get("author"), dict):
        out["author"] = obj["author"]
    if isinstance(obj.get("authors"), list):
        out["authors"] = [a for a in obj["authors"] if isinstance(a, dict)]
    if isinstance(obj.get("tags"), list):
        out["tags"] = [str(t) for t in obj["tags"] if isinstance(t, str | int | float)]
    return out


# ── from the libraries' dictionaries to FeedItems ─────────────────────────────────────────────


DateOf = Callable[[Mapping[str, Any]], datetime | None]


def _to_read(raw: Mapping[str, Any], base: str, fmt: str, date_of: DateOf) -> _Read:
    """A fastfeedparser or feedparser result (same dictionary shape) as a ParsedFeed."""
    head = _get(raw, "feed") or {}
    feed = ParsedFeed(format=fmt, title=html_to_text(_text(_get(head, "title"))) or None)
    feed.site_url = absolute_url(_text(_get(head, "link")), base)
    read = _Read(feed)
    for entry in _entries(raw):
        item = _to_item(entry, base, fmt, date_of)
        if item is None:
            read.skipped += 1
        else:
            feed.items.append(item)
    return read


def _to_item(entry: Mapping[str, Any], base: str, fmt: str, date_of: DateOf) -> FeedItem | None:
    url = _entry_url(entry, base, fmt)
    if url is None:
        return None
    title = _title(entry)
    return FeedItem(
        url=url,
        title=title,
        summary=clean_excerpt(html_to_text(_summary(entry)), title),
        guid=_text(_get(entry, "id")).strip() or None,
        published=date_of(entry),
        categories=_categories(_get(entry, "tags")),
        author=author_name(_text(_get(entry, "author"))),
    )


def _title(entry: Mapping[str, Any]) -> str:
    """The headline as text. A title the feed declares XHTML (feedparser says so, keeping Atom
    0.3's wrapping <div>) is markup through and through, so all its tags go."""
    text = _text(_get(entry, "title"))
    if "xhtml" in _text(_get(_get(entry, "title_detail"), "type")):
        return html_to_text(text)
    return title_text(text)


def _entry_url(entry: Mapping[str, Any], base: str, fmt: str) -> str | None:
    """The item's link; else its first alternate/related link (JSON Feed external_url); else,
    in Atom, an id that is itself an http(s) address. An address the entry only names as
    something else (rel="license", "enclosure", "self"...) is none of these: fastfeedparser
    gives it as the link and the id of an entry that has no other."""
    links = [link for link in _get(entry, "links") or () if isinstance(link, dict)]
    pages = [
        _text(_get(link, "href")) for link in links if _get(link, "rel") in (None, "alternate", "related")
    ]
    others = {_text(_get(link, "href")) for link in links} - set(pages)
    hrefs = [_text(_get(entry, "link")), *pages]
    for href in hrefs:
        url = absolute_url(href, base) if href not in others else None
        if url:
            return url
    guid = _text(_get(entry, "id"))
    return absolute_url(guid, None) if fmt == "atom" and guid not in others else None


def _has_summary(entry: Mapping[str, Any]) -> bool:
    """Whether `_summary` finds any text, without rebuilding fastfeedparser's description."""
    return bool(_text(_get(entry, "summary")) or _text(_get(entry, "description")) or _text(_content(entry)))


def _summary(entry: Mapping[str, Any]) -> str:
    """The entry's summary or description, else its content. fastfeedparser writes a description
    of its own for an entry that has none, out of the content with tags removed: the text of a
    <script> or <style> stays in it as words, so then the content itself is read."""
    text = _text(_get(entry, "summary")) or _text(_get(entry, "description"))
    value = _content(entry)
    if not isinstance(value, str):
        return text or _text(value)
    if not text or (_CODE.search(value, 0, _SYNTH_SCAN) and text == _synthesized(value)):
        return _text(value)
    return text


def _content(entry: Mapping[str, Any]) -> Any:
    """The value of the entry's first content element, if it has one."""
    content = _get(entry, "content")
    return (
        _get(content[0], "value")
        if isinstance(content, list) and content and isinstance(content[0], dict)
        else None
    )


_CODE = re.compile(r"<(?:script|style)\b[^<>]*+>\s*+[^<\s]", re.I)
"""A <script> or <style> element with code in it (an empty `<script src=...>` leaves no words)."""
_SYNTH_SCAN = 2048  # characters of content fastfeedparser's description is made of
_SYNTH_LEN = 512
_TAG = re.compile(r"<[^>]+>")
_WHITESPACE_RUN = re.compile(r"  |[\n\t\r]")  # what makes fastfeedparser collapse whitespace


def _synthesized(content: str) -> str:
    """fastfeedparser's description made from `content` (tags become spaces, then html.unescape,
    whitespace collapsed if it has a run of it or a line break, else only stripped at the ends:
    a lone no-break space stays; 512 characters, stripped again). No tag ends after the last
    ">", so the tags are only looked for before it: from each "<" of a run never closed the
    search went to the end (the square of _SYNTH_SCAN for each item)."""
    head = content[:_SYNTH_SCAN]
    end = head.rfind(">") + 1
    text = html.unescape(_TAG.sub(" ", head[:end]) + head[end:])
    return (collapse_whitespace(text) if _WHITESPACE_RUN.search(text) else text.strip())[:_SYNTH_LEN].strip()


def _categories(tags: Any) -> tuple[str, ...]:
    terms = (_get(t, "term") or _get(t, "label") for t in tags or () if isinstance(t, dict))
    cleaned = (html_to_text(_text(term)) for term in terms)
    return tuple(dict.fromkeys(term for term in cleaned if term))


def _iso_date(entry: Mapping[str, Any]) -> datetime | None:
    """fastfeedparser gives ISO 8601 strings, already in UTC when it knew the offset."""
    value = _get(entry, "published") or _get(entry, "updated")
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return _plausible(moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC))


def _struct_date(entry: Mapping[str, Any]) -> datetime | None:
    """feedparser gives time.struct_time in UTC."""
    value = _get(entry, "published_parsed") or _get(entry, "updated_parsed")
    try:
        return _plausible(datetime.fromtimestamp(calendar.timegm(value), UTC)) if value else None
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _plausible(moment: datetime) -> datetime | None:
    """A date before 1970 is no feed's publication date but a misreading (a feed cut off in
    "Sun, 01 Jun 202" reads as the year 202), so it counts as no date."""
    return moment if moment >= _EARLIEST else None


def _entries(raw: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [e for e in _get(raw, "entries") or () if isinstance(e, dict)]


def _get(mapping: Any, key: str) -> Any:
    """A plain dict lookup: feedparser's own `get` maps keys and warns."""
    return dict.get(mapping, key) if isinstance(mapping, dict) else None


def _text(value: Any) -> str:
    """A field as text that can be stored (no NUL, no lone surrogate), "" when absent."""
    return storable(value if isinstance(value, str) else "" if value is None else str(value))


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
