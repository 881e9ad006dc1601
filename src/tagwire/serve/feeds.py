"""Feeds out, each as RSS 2.0 (.rss), Atom 1.0 (.atom) and JSON Feed 1.1 (.json), built from the
very views the pages show: a hashtag's stories (/tag/{tag}.rss), a search's stories
(/search.rss?q=...) and the reports of one story (/story/{id}.rss).

A hashtag or search feed has one item per story, not per article, so a story reported by five
outlets is one entry in a reader. The item's id is the story's address on this server: it stays the
same while the story grows, so a reader never shows the same story twice. A story's feed has one
item per report, with syndicated copies folded into the article they copy ("Also in: ...").

XML is built with ElementTree, which escapes every piece of outlet text; characters XML 1.0 cannot
carry are dropped first, so the feed stays well-formed whatever an outlet sent. Each body carries an
ETag (a hash of its bytes) and a matching If-None-Match is answered with 304 and no body."""

from __future__ import annotations

import hashlib
import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request, Response

from tagwire.app import views
from tagwire.app.viewmodels import ArticleView, SearchPage, StoryView, TagPage, iso
from tagwire.models import MatchKind
from tagwire.query import SearchSyntaxError
from tagwire.serve.api import Q, Repo
from tagwire.serve.pages import safe_url, tag_path

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"  # dc:creator names an item's outlet (RSS's author wants an e-mail)
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
    published: datetime
    paragraphs: tuple[str, ...]  # the lead summary, then "Also in: ..."
    outlet: str | None
    tags: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Channel:
    """A feed: its title and description, the page it mirrors, its own address and its items."""

    title: str
    description: str
    home: str
    self_url: str
    items: list[Item]

    @property
    def updated(self) -> datetime | None:
        """The newest item's time (the items are newest first), or None for an empty feed."""
        return self.items[0].published if self.items else None


# from the view to items -----------------------------------------------------------------------


def also_in(articles: Sequence[ArticleView]) -> list[str]:
    """The other outlets reporting a story (its `articles`), each once, in the story's order, lead
    outlet excluded."""
    lead = articles[0].outlet if articles else None
    return list(dict.fromkeys(a.outlet for a in articles[1:] if a.outlet != lead))


def paragraphs(story: StoryView) -> tuple[str, ...]:
    """The lead article's summary (whitespace collapsed) and the "Also in:" line, where there are any."""
    lead = story.articles[0] if story.articles else None
    summary = " ".join((lead.summary if lead else "").split())
    others = also_in(story.articles)
    return tuple(p for p in (summary, "Also in: " + ", ".join(others) if others else "") if p)


def item(story: StoryView, base: str) -> Item:
    """A story as an item: titled by its lead (newest) article, linked to its page on this server."""
    lead = story.articles[0] if story.articles else None
    url = f"{base}/story/{story.id}"
    title = (lead.title if lead else "") or story.headline
    tags = story.hashtags[:MAX_CATEGORIES]
    return Item(url, url, title, story.published, paragraphs(story), lead.outlet if lead else None, tags)


def channel(page: TagPage, base: str, suffix: str) -> Channel:
    """The feed of a `views.tag_page`, served at base + /tag/{tag} + suffix."""
    home = base + tag_path(page.tag)
    items = [item(story, base) for story in page.stories]
    about = f"Stories carrying #{page.tag}, newest first: one item per story, whoever reports it."
    return Channel(f"{page.heading} — tagwire", about, home, home + suffix, items)


def search_channel(page: SearchPage, base: str, suffix: str) -> Channel:
    """The feed of a `views.search_page`: its stories, best match first, at base/search{suffix}?q=."""
    query = "?" + urlencode({"q": page.query})
    items = [item(story, base) for story in page.stories]
    about = f"Stories matching {page.query.strip()}, best match first: one item per story."
    return Channel(
        f"{page.heading} — tagwire",
        about,
        base + "/search" + query,
        base + "/search" + suffix + query,
        items,
    )


def copied_from(article: ArticleView) -> str | None:
    """The URL of the article this one repeats: what it is a copy of, or has the same text as."""
    match = article.match
    return article.copy_of or (match.of if match and match.kind == MatchKind.DUPLICATE else None)


def original(url: str, by_url: dict[str, ArticleView]) -> str:
    """The first article of a chain of copies within the story (a copy of a copy leads to the first)."""
    seen = {url}
    while (of := copied_from(by_url[url])) in by_url and of not in seen:
        url = of
        seen.add(url)
    return url


def folded(articles: Sequence[ArticleView]) -> list[tuple[ArticleView, list[ArticleView]]]:
    """A story's `articles` that are not copies of another of its articles, newest first, each
    with the copies folded into it."""
    by_url = {a.url: a for a in articles}
    copies: dict[str, list[ArticleView]] = {}
    for a in articles:
        if (root := original(a.url, by_url)) != a.url:
            copies.setdefault(root, []).append(a)
    return [(a, copies.get(a.url, [])) for a in articles if original(a.url, by_url) == a.url]


def report_item(article: ArticleView, copies: list[ArticleView], story_url: str) -> Item:
    """One report of a story as an item, linked to the outlet's page; its copies are "Also in"."""
    summary = " ".join(article.summary.split())
    carried = list(dict.fromkeys(c.outlet for c in copies))
    also = "Also in: " + ", ".join(f"{o} (copy)" for o in carried) if carried else ""
    link = safe_url(article.url) or story_url
    item_id = f"{story_url}#article-{article.id}"
    tags = article.hashtags[:MAX_CATEGORIES]
    paras = tuple(p for p in (summary, also) if p)
    return Item(item_id, link, article.title, article.published, paras, article.outlet, tags)


def story_channel(story: StoryView, base: str, suffix: str) -> Channel:
    """The feed of a `views.story_page`: its reports, newest first, copies folded in."""
    home = f"{base}/story/{story.id}"
    items = [report_item(a, copies, home) for a, copies in folded(story.articles)]
    about = (
        "Every report of this story, newest first; syndicated copies are folded into the article they copy."
    )
    return Channel(f"{story.headline} — tagwire", about, home, home + suffix, items)


# writing --------------------------------------------------------------------------------------


def xml_text(text: str) -> str:
    """Text XML 1.0 can carry: the characters it forbids are dropped (escaping is ElementTree's)."""
    return _NOT_XML.sub("", text)


def rfc822(when: datetime) -> str:
    """A time as RFC 822 for RSS, in GMT: "Sat, 07 Jun 2025 12:00:00 GMT"."""
    return format_datetime(when.astimezone(UTC), usegmt=True)


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
    root = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS, "xmlns:dc": DC_NS})
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
    _sub(node, "guid", it.id, isPermaLink="true" if it.id == it.url else "false")
    _sub(node, "pubDate", rfc822(it.published))
    if it.outlet:
        _sub(node, "dc:creator", it.outlet)
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
    _sub(root, "updated", iso(feed.updated) if feed.updated else EMPTY_UPDATED)
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
    _sub(node, "updated", iso(it.published))
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


def _json_item(it: Item) -> dict[str, object]:
    found: dict[str, object] = {"id": it.id, "url": it.url, "title": it.title, "content_text": it.text}
    found.update(date_published=iso(it.published), tags=list(it.tags))
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
    headers = {"ETag": tag, "Cache-Control": "max-age=300"}
    if matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


FORMATS: dict[str, tuple[Callable[[Channel], bytes], str, str]] = {
    "rss": (rss, RSS_TYPE, "RSS 2.0"),
    "atom": (atom, ATOM_TYPE, "Atom 1.0"),
    "json": (json_feed, JSON_TYPE, "JSON Feed 1.1"),
}


def base_of(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def tag_feed(request: Request, repo: Repo, tag: str, fmt: str) -> Response:
    """The first page of the tag's stories; an unknown tag is an empty feed."""
    write, media_type, _ = FORMATS[fmt]
    page = views.tag_page(repo, tag, datetime.now(UTC), suggest=False)
    return answer(request, write(channel(page, base_of(request), "." + fmt)), media_type)


def story_feed(request: Request, repo: Repo, story_id: int, fmt: str) -> Response:
    """The story's reports; 404 for a story that does not exist."""
    write, media_type, _ = FORMATS[fmt]
    story = views.story_page(repo, story_id, datetime.now(UTC))
    if story is None:
        raise HTTPException(404, f"There is no story {story_id}.")
    return answer(request, write(story_channel(story, base_of(request), "." + fmt)), media_type)


def search_feed(request: Request, repo: Repo, q: str, fmt: str) -> Response:
    """The first page of the search's stories; 400 saying why for a query that cannot be searched."""
    write, media_type, _ = FORMATS[fmt]
    try:
        page = views.search_page(repo, q, datetime.now(UTC))
    except SearchSyntaxError as e:
        raise HTTPException(400, str(e)) from None
    return answer(request, write(search_channel(page, base_of(request), "." + fmt)), media_type)


def _documented(media_type: str) -> dict[int | str, dict[str, object]]:
    """OpenAPI's description of a feed route's answers: the feed, or 304 when the ETag matches."""
    feed: dict[str, object] = {"description": "The feed", "content": {media_type.split(";")[0]: {}}}
    return {200: feed, 304: {"description": "Not modified: the If-None-Match ETag is current"}}


def _routes(fmt: str) -> None:
    """The three feeds in one format: a hashtag's, a story's and a search's."""
    _, media_type, name = FORMATS[fmt]

    def by_tag(request: Request, tag: str, repo: Repo) -> Response:
        return tag_feed(request, repo, tag, fmt)

    def by_story(request: Request, story_id: int, repo: Repo) -> Response:
        return story_feed(request, repo, story_id, fmt)

    def by_search(request: Request, repo: Repo, q: Q = "") -> Response:
        return search_feed(request, repo, q, fmt)

    for path, endpoint, kind, summary in (
        (f"/tag/{{tag}}.{fmt}", by_tag, "tag", f"Latest stories with #tag as {name}"),
        (f"/story/{{story_id}}.{fmt}", by_story, "story", f"Every report of a story as {name}"),
        (f"/search.{fmt}", by_search, "search", f"Stories matching a search as {name}"),
    ):
        router.add_api_route(
            path,
            endpoint,
            name=f"{kind}_{fmt}",
            summary=summary,
            responses=_documented(media_type),
            response_class=Response,
        )


for _fmt in FORMATS:
    _routes(_fmt)
