"""Feeds out: the stories of a hashtag as RSS 2.0 (/tag/{tag}.rss), Atom 1.0 (/tag/{tag}.atom) and
JSON Feed 1.1 (/tag/{tag}.json), built from the very dicts of `views.tag_page` that the pages show.

One item per story, not per article, so a story reported by five outlets is one entry in a reader.
The item's id is the story's address on this server: it stays the same while the story grows, so a
reader never shows the same story twice. XML is built with ElementTree, which escapes every piece of
outlet text; characters XML 1.0 cannot carry are dropped first, so the feed stays well-formed
whatever an outlet sent. Each body carries an ETag (a hash of its bytes) and a matching
If-None-Match is answered with 304 and no body."""

from __future__ import annotations

import hashlib
import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from fastapi import APIRouter, Request, Response

from tagwire import views
from tagwire.serve.api import Repo
from tagwire.serve.pages import tag_path

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
MAX_CATEGORIES = 8
EMPTY_UPDATED = "1970-01-01T00:00:00Z"  # an empty feed's Atom <updated>: fixed, so its ETag is too
RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
JSON_TYPE = "application/feed+json; charset=utf-8"
# Characters XML 1.0 forbids (C0 controls but tab/newline/return, surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

router = APIRouter(tags=["feeds"])


@dataclass(frozen=True)
class Item:
    """One story as a feed item; every text is plain text, escaped only when written out."""

    id: str  # the story's URL on this server, stable while the story grows
    url: str
    title: str
    published: str  # ISO 8601 UTC with a Z (RFC 3339)
    paragraphs: tuple[str, ...]  # the lead summary, then "Also in: ..."
    outlet: str | None
    tags: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Channel:
    """A hashtag's feed: its title, the page it mirrors, its own address and its items."""

    tag: str
    title: str
    home: str
    self_url: str
    items: list[Item]

    @property
    def description(self) -> str:
        return f"Stories carrying #{self.tag}, newest first: one item per story, whoever reports it."

    @property
    def updated(self) -> str | None:
        """The newest item's time (the items are newest first), or None for an empty feed."""
        return self.items[0].published if self.items else None


# from the view to items -----------------------------------------------------------------------


def also_in(story: dict[str, Any]) -> list[str]:
    """The other outlets reporting the story, each once, in the story's order, lead outlet excluded."""
    articles = story["articles"]
    lead = articles[0]["outlet"] if articles else None
    return list(dict.fromkeys(a["outlet"] for a in articles[1:] if a["outlet"] != lead))


def paragraphs(story: dict[str, Any]) -> tuple[str, ...]:
    """The lead article's summary (whitespace collapsed) and the "Also in:" line, where there are any."""
    lead = story["articles"][0] if story["articles"] else {}
    summary = " ".join((lead.get("summary") or "").split())
    others = also_in(story)
    return tuple(p for p in (summary, "Also in: " + ", ".join(others) if others else "") if p)


def item(story: dict[str, Any], base: str) -> Item:
    """A story as an item: titled by its lead (newest) article, linked to its page on this server."""
    lead = story["articles"][0] if story["articles"] else {}
    url = f"{base}/story/{story['id']}"
    title = lead.get("title") or story["headline"]
    tags = tuple(story["hashtags"][:MAX_CATEGORIES])
    return Item(url, url, title, story["published"], paragraphs(story), lead.get("outlet"), tags)


def channel(page: dict[str, Any], base: str, suffix: str) -> Channel:
    """The feed of a `views.tag_page` dict, served at base + /tag/{tag} + suffix."""
    home = base + tag_path(page["tag"])
    items = [item(story, base) for story in page["stories"]]
    return Channel(page["tag"], f"{page['heading']} — tagwire", home, home + suffix, items)


# writing --------------------------------------------------------------------------------------


def xml_text(text: str) -> str:
    """Text XML 1.0 can carry: the characters it forbids are dropped (escaping is ElementTree's)."""
    return _NOT_XML.sub("", text)


def rfc822(iso: str) -> str:
    """An ISO 8601 UTC time as RFC 822 for RSS: "Sat, 07 Jun 2025 12:00:00 GMT"."""
    return format_datetime(datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(UTC), usegmt=True)


def as_html(parts: tuple[str, ...]) -> str:
    """Plain paragraphs as HTML that shows them as text (RSS readers take a description as HTML)."""
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in parts)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    child = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrib.items()})
    if text is not None:
        child.text = xml_text(text)
    return child


def _xml(root: ET.Element) -> bytes:
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written + b"\n"


def rss(feed: Channel) -> bytes:
    """RSS 2.0, with an atom:link to itself as the RSS Advisory Board recommends."""
    root = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS})
    ch = _sub(root, "channel")
    _sub(ch, "title", feed.title)
    _sub(ch, "link", feed.home)
    _sub(ch, "description", feed.description)
    _sub(ch, "atom:link", href=feed.self_url, rel="self", type="application/rss+xml")
    _sub(ch, "generator", "tagwire")
    if feed.updated:
        _sub(ch, "lastBuildDate", rfc822(feed.updated))
    for it in feed.items:
        _rss_item(_sub(ch, "item"), it)
    return _xml(root)


def _rss_item(node: ET.Element, it: Item) -> None:
    _sub(node, "title", it.title)
    _sub(node, "link", it.url)
    _sub(node, "guid", it.id, isPermaLink="true")
    _sub(node, "pubDate", rfc822(it.published))
    if it.paragraphs:
        _sub(node, "description", as_html(it.paragraphs))
    for tag in it.tags:
        _sub(node, "category", tag)


def atom(feed: Channel) -> bytes:
    """Atom 1.0 (RFC 4287); texts are type="text", so nothing an outlet wrote is read as markup."""
    root = ET.Element("feed", {"xmlns": ATOM_NS})
    _sub(root, "id", feed.home)
    _sub(root, "title", feed.title, type="text")
    _sub(root, "subtitle", feed.description, type="text")
    _sub(root, "updated", feed.updated or EMPTY_UPDATED)
    _sub(root, "link", rel="alternate", type="text/html", href=feed.home)
    _sub(root, "link", rel="self", type="application/atom+xml", href=feed.self_url)
    _sub(_sub(root, "author"), "name", "tagwire")
    _sub(root, "generator", "tagwire")
    for it in feed.items:
        _atom_entry(_sub(root, "entry"), it)
    return _xml(root)


def _atom_entry(node: ET.Element, it: Item) -> None:
    _sub(node, "id", it.id)
    _sub(node, "title", it.title, type="text")
    _sub(node, "link", rel="alternate", type="text/html", href=it.url)
    _sub(node, "updated", it.published)
    if it.outlet:
        _sub(_sub(node, "author"), "name", it.outlet)
    if it.paragraphs:
        _sub(node, "summary", it.text, type="text")
    for tag in it.tags:
        _sub(node, "category", term=tag)


def json_feed(feed: Channel) -> bytes:
    """JSON Feed 1.1; content_text is plain text by the spec's definition."""
    body = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home,
        "feed_url": feed.self_url,
        "description": feed.description,
        "authors": [{"name": "tagwire"}],
        "items": [_json_item(it) for it in feed.items],
    }
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8", "replace") + b"\n"


def _json_item(it: Item) -> dict[str, Any]:
    found: dict[str, Any] = {"id": it.id, "url": it.url, "title": it.title, "content_text": it.text}
    found.update(date_published=it.published, tags=list(it.tags))
    if it.outlet:
        found["authors"] = [{"name": it.outlet}]
    return found


# answering ------------------------------------------------------------------------------------


def etag(body: bytes) -> str:
    """A strong ETag: a hash of the body, so the same stories give the same tag."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an If-None-Match header names `tag` (weakly compared, as RFC 9110 says for GET) or is *."""
    if not if_none_match:
        return False
    sent = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in sent or tag in sent


def answer(request: Request, body: bytes, media_type: str) -> Response:
    """200 with the body, or 304 without it when the reader already holds this version."""
    tag = etag(body)
    headers = {"ETag": tag, "Cache-Control": "max-age=300", "X-Content-Type-Options": "nosniff"}
    if matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def serve_feed(
    request: Request, repo: Repo, tag: str, suffix: str, write: Callable[[Channel], bytes], media_type: str
) -> Response:
    """The first page of the tag's stories written by `write`; an unknown tag is an empty feed."""
    page = views.tag_page(repo, tag, datetime.now(UTC))
    base = str(request.base_url).rstrip("/")
    return answer(request, write(channel(page, base, suffix)), media_type)


def _documented(media_type: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI's description of a feed route's answers: the feed, or 304 when the ETag matches."""
    feed = {"description": "The feed", "content": {media_type.split(";")[0]: {}}}
    return {200: feed, 304: {"description": "Not modified: the If-None-Match ETag is current"}}


@router.get(
    "/tag/{tag}.rss",
    summary="Latest stories with #tag as RSS 2.0",
    responses=_documented(RSS_TYPE),
    response_class=Response,
)
def tag_rss(request: Request, tag: str, repo: Repo) -> Response:
    return serve_feed(request, repo, tag, ".rss", rss, RSS_TYPE)


@router.get(
    "/tag/{tag}.atom",
    summary="Latest stories with #tag as Atom 1.0",
    responses=_documented(ATOM_TYPE),
    response_class=Response,
)
def tag_atom(request: Request, tag: str, repo: Repo) -> Response:
    return serve_feed(request, repo, tag, ".atom", atom, ATOM_TYPE)


@router.get(
    "/tag/{tag}.json",
    summary="Latest stories with #tag as JSON Feed 1.1",
    responses=_documented(JSON_TYPE),
    response_class=Response,
)
def tag_json(request: Request, tag: str, repo: Repo) -> Response:
    return serve_feed(request, repo, tag, ".json", json_feed, JSON_TYPE)
