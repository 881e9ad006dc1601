"""Finding sources: OPML subscription lists in and out, feed autodiscovery in a site's HTML
(`<link rel="alternate" type="application/rss+xml">`), the addresses where sites usually keep
their feed, and cheap sniffing of what a fetched body is. Pure functions: text in, data out."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from urllib.parse import urljoin

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from lxml import etree  # type: ignore[import-untyped]

from tagwire.errors import InputError, ParseError
from tagwire.ingest.markup import absolute_url, collapse_whitespace, head_text, repair_xml_text
from tagwire.ingest.parse import sniff

COMMON_FEED_PATHS: tuple[str, ...] = (
    "/feed",
    "/rss",
    "/rss.xml",
    "/atom.xml",
    "/feed.xml",
    "/index.xml",
    "/feed.json",
    "/feeds/posts/default",
    "/index.rss",
    "/rss/index.rss",
    "/?feed=rss2",
)

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/x-rss+xml",
        "application/x-atom+xml",
    }
)
_COMMENTS = re.compile(r"\bcomments?\b|/comments/", re.I)
_OPML = re.compile(r"<opml[\s>]", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


# ── sniffing ──────────────────────────────────────────────────────────────────────────────────


def looks_like_opml(body: bytes) -> bool:
    """Whether the body starts like an OPML document (an `<opml>` root)."""
    return bool(_OPML.search(head_text(body)))


def looks_like_feed(body: bytes) -> bool:
    """Whether the body starts like an RSS, Atom, RDF or JSON feed (parse_feed still decides)."""
    try:
        kind = sniff(body)
    except ParseError:
        return False
    if kind != "json":
        return True
    head = head_text(body)
    return "jsonfeed.org" in head or '"items"' in head


# ── OPML ──────────────────────────────────────────────────────────────────────────────────────


def parse_opml(text: str | bytes, *, name: str = "the file") -> list[tuple[str, str | None]]:
    """Every feed (xmlUrl, title) of an OPML file, nested folders included, in document order,
    each address once. A title that only repeats the address is None. Raises InputError when
    the text is not OPML; a bare "&" (common in exported titles) is forgiven."""
    if isinstance(text, str):  # already decoded: its declaration's encoding no longer applies
        text = _XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1).encode("utf-8", "replace")
    root = _opml_root(text, name)
    feeds: dict[str, str | None] = {}
    for outline in root.iter("outline"):
        attrs = {key.lower(): value for key, value in outline.attrib.items()}
        url = (attrs.get("xmlurl") or "").strip()
        if url and url not in feeds:
            title = collapse_whitespace(attrs.get("title") or attrs.get("text") or "")
            feeds[url] = title if title and title != url else None
    return list(feeds.items())


def _opml_root(body: bytes, name: str) -> ET.Element:
    try:
        root = _forgiving_xml(body.removeprefix(b"\xef\xbb\xbf"))
    except ET.ParseError as error:
        raise InputError(f"{name} is not an OPML file: {_reason(error)}") from None
    except DefusedXmlException:
        raise InputError(f"{name} is not an OPML file: it declares XML entities, which are refused") from None
    except (LookupError, ValueError) as error:  # an encoding expat cannot read: "x", Shift_JIS
        raise InputError(f"{name} cannot be read: {error} (save it as UTF-8)") from None
    if root.tag.rsplit("}", 1)[-1].lower() != "opml":
        raise InputError(f"{name} is not an OPML file: its root element is <{root.tag}>, not <opml>")
    return root


def _forgiving_xml(body: bytes) -> ET.Element:
    """The parsed document; with bare "&" repaired if that is what broke it (the first error
    is the one reported when the repair does not help)."""
    try:
        return _xml(body)
    except ET.ParseError as error:
        repaired, fixes = repair_xml_text(body)
        if not fixes:
            raise
        try:
            return _xml(repaired)
        except ET.ParseError:
            raise error from None


def _xml(body: bytes) -> ET.Element:
    """Parse with defusedxml: no entity expansion, no external resources."""
    root: ET.Element = defused_fromstring(body.strip(), forbid_dtd=False)
    return root


def _reason(error: ET.ParseError) -> str:
    line, column = error.position
    message = str(error).split(":", 1)[0]
    return f"line {line}, column {column + 1}: {message}"


def export_opml(sources: Iterable[tuple[str, str | None]], title: str = "tagwire sources") -> str:
    """An OPML 2.0 document listing the feeds, one `<outline type="rss">` each, which
    `parse_opml` reads back to the same list."""
    opml = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(opml, "head"), "title").text = title
    body = ET.SubElement(opml, "body")
    for url, name in sources:
        outline = ET.SubElement(body, "outline", type="rss", text=name or url, xmlUrl=url)
        if name:
            outline.set("title", name)
    ET.indent(opml)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(opml, encoding="unicode") + "\n"


# ── autodiscovery ─────────────────────────────────────────────────────────────────────────────


def find_feed_links(html: str | bytes, base_url: str) -> list[str]:
    """The feeds a page announces with `<link rel="alternate" type="application/rss+xml|
    atom+xml|feed+json" href=...>`, made absolute (honouring `<base href>`), in page order,
    each once. Comment feeds come after the others."""
    links, base_href = _link_elements(html)
    base = urljoin(base_url, base_href) if base_href else base_url
    found: dict[str, bool] = {}
    for href, label in links:
        url = absolute_url(href, base)
        if url and url not in found:
            found[url] = bool(_COMMENTS.search(label) or _COMMENTS.search(url))
    return sorted(found, key=lambda url: found[url])


def _link_elements(html: str | bytes) -> tuple[list[tuple[str, str]], str | None]:
    """(href, title) of the page's feed `<link>`s and its first `<base href>`. Read with lxml's
    HTML parser, whose time is linear in the page (html.parser took minutes on a page of
    100,000 "<a "); comments are dropped, and what sits more than 256 elements deep is not read
    (a feed link lives in the head)."""
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    parser = etree.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True)
    root = etree.fromstring(text.encode("utf-8", "replace"), parser)
    links: list[tuple[str, str]] = []
    base: str | None = None
    for element in root.iter("link", "base") if root is not None else ():
        values = {str(key).lower(): str(value).strip() for key, value in element.attrib.items()}
        if element.tag == "base" and base is None and values.get("href"):
            base = values["href"]
        elif element.tag == "link" and _is_feed_link(values):
            links.append((values["href"], values.get("title", "")))
    return links, base


def _is_feed_link(attrs: dict[str, str]) -> bool:
    if "alternate" not in attrs.get("rel", "").lower().split() or not attrs.get("href"):
        return False
    kind = attrs.get("type", "").lower().split(";", 1)[0].strip()
    if kind in FEED_TYPES:
        return True
    return kind == "application/json" and "feed" in attrs["href"].lower()  # JSON Feed, not a wp-json API
