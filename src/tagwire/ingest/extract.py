"""Extract: an article page's full text and what it says about itself.

The HTML is decoded and parsed once; the same lxml tree feeds the metadata readers (JSON-LD,
OpenGraph and <meta>, <link rel=canonical>, <html lang>, <time>) and trafilatura for the text,
and htmldate only when the page states no publication date. Bad HTML is data: whatever could
be read is returned, never an exception.
"""

from __future__ import annotations

import functools
import html as htmlmod
import itertools
import json
import logging
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

import htmldate
import trafilatura
from lxml import html as lxml_html  # type: ignore[import-untyped]
from lxml.etree import LxmlError  # type: ignore[import-untyped]

from tagwire.ingest.article_end import article_only, link_texts, words
from tagwire.ingest.layout_tables import unwrap_layout_tables
from tagwire.ingest.lost_lead import restore_lead
from tagwire.ingest.lost_paragraphs import restore_lost
from tagwire.ingest.normalize import parse_date
from tagwire.ingest.repeats import without_repeats
from tagwire.ingest.split_body import merge_split_body
from tagwire.models import PageInfo

log = logging.getLogger(__name__)

Json = dict[str, Any]

ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
        "backgroundnewsarticle", "reviewnewsarticle", "askpublicnewsarticle", "blogposting",
        "liveblogposting", "techarticle", "report", "socialmediaposting",
    }
)  # fmt: skip
_DATE_META = (
    "article:published_time", "datepublished", "og:published_time", "pubdate", "publishdate",
    "publish-date", "dc.date.issued", "dcterms.created", "dc.date", "sailthru.date", "parsely-pub-date",
)  # fmt: skip
_TIME_XPATHS = (
    "//time[@itemprop='datePublished']/@datetime",
    "//*[@itemprop='datePublished']/@content",
    "//time[@pubdate]/@datetime",
    "//article//time/@datetime",
    "//time/@datetime",
)
_BOILERPLATE_LINES = frozenset(
    {
        "advertisement", "advertisements", "ad", "ads", "most read", "most popular", "read more",
        "related", "related articles", "related stories", "related content", "share", "share this",
        "share this article", "skip advertisement", "story continues below advertisement",
        "continue reading", "continue reading below", "trending", "recommended", "loading",
        "scroll to continue with content", "subscribe", "sign up", "sponsored", "more on this story",
    }
)  # fmt: skip
_HEADLINE_WITHIN = 3
_HEADLINE_SHARE = 0.75
"""Where a repeated headline is looked for and how much of it must be there: chosen on L3S-GN1
(within 2 or 3 paragraphs, 0.75 or 0.9 of the words all helped), confirmed on the AEB pages.
The Dragnet pages' gold keeps the headline in the text, so there it costs (F1 -0.0003)."""
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ")
_CHARSET = re.compile(rb"""<meta[^<>]*?charset\s*+=\s*+["']?\s*+([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Each tag pattern stops at the next "<" and an unclosed script runs to the end (as in a browser):
# a text of many "<p" or "<script" without their ">" or end tag then costs linear time, not quadratic.
_BLOCK_TAG = re.compile(
    r"(?i)<\s*/?\s*(?:p|div|br|h[1-6]|li|ul|ol|blockquote|section|article|body|tr|figure)\b[^<>]*>"
)
_SCRIPT_TAG = re.compile(r"(?is)<(script|style|iframe|figcaption)\b.*?(?:</\1\s*>|\Z)")
_ANY_TAG = re.compile(r"<[^<>]*>")
_MAX_DATE_CHARS = 100  # a date as pages write it is shorter; dateparser's time grows fast with length
MAX_ELEMENTS = 20_000
"""Most elements a page may have for trafilatura and htmldate to read it: their time grows with
each (0.1 ms a paragraph here, 350,000 of them took two minutes), while real article pages have
under 2,000. A page with more is read plainly (`_plain_text`)."""
_SHORT_TRAFILATURA = 500
_SUBSTANTIAL_BODY = 500
_HELD = 0.5
"""Balanced mode goes on from precision's text when it holds this share of its 4-grams: chosen
on the Dragnet pages (141 of them with a short precision text), confirmed on L3S-GN1 and the
AEB pages (9 and 4 such pages, unchanged)."""


@dataclass
class _Meta:
    """The metadata sources of one page, read once from the tree."""

    meta: dict[str, str] = field(default_factory=dict)
    article: Json = field(default_factory=dict)
    ids: dict[str, Json] = field(default_factory=dict)
    lang: str | None = None
    canonical: str | None = None


# --- entry point ------------------------------------------------------------------------


def extract_page(html: str | bytes, url: str | None = None) -> PageInfo:
    """Full text and metadata of an article page. `url` (where the page was fetched) resolves
    a relative canonical link. Never raises: a page that cannot be parsed gives an empty
    PageInfo, a part that fails is left empty."""
    tree = _parse(html)
    if tree is None:
        return PageInfo()
    try:
        meta = _read_meta(tree, url)
        info = _page_info(meta, tree)
    except Exception:  # the boundary of "never raises": a page must not stop a whole fetch
        log.warning("metadata of %s could not be read", url or "a page", exc_info=True)
        meta, info = _Meta(), PageInfo()
    ld_body, huge = _json_ld_body(meta.article), _too_many_elements(tree)
    heading = (info.title or "", info.description or "")
    text = _plain_text(tree, ld_body) if huge else _text(tree, url, ld_body, *heading)
    info.text = _without_headline(text, info.title)
    if info.published is None and not huge:
        info.published = _htmldate(tree, url)
    return info


def _too_many_elements(tree: lxml_html.HtmlElement) -> bool:
    return sum(1 for _ in itertools.islice(tree.iter(), MAX_ELEMENTS + 1)) > MAX_ELEMENTS


def _plain_text(tree: lxml_html.HtmlElement, ld_body: str) -> str:
    """The text of a page too big for trafilatura: its JSON-LD body, else all the text of its
    first <article> (or <body>), without the work of telling content from boilerplate."""
    if ld_body:
        return ld_body
    article = next(tree.iter("article"), None)
    body = article if article is not None else tree.find(".//body")
    return _paragraphs(str((body if body is not None else tree).text_content()))


def _page_info(m: _Meta, tree: lxml_html.HtmlElement) -> PageInfo:
    site_name = _site_name(m)
    return PageInfo(
        title=_title(m, tree, site_name),
        published=_published(m, tree),
        section=_section(m),
        site_name=site_name,
        canonical_url=m.canonical or _entity_url(m.article.get("mainEntityOfPage")),
        language=m.lang
        or _clean(m.meta.get("content-language") or m.meta.get("og:locale"))
        or _str(m.article, "inLanguage"),
        author=_authors(m.article.get("author")) or _meta_author(m.meta),
        credit=_org_name(m, "sourceOrganization"),
        description=_clean(
            m.meta.get("og:description") or m.meta.get("description") or _str(m.article, "description")
        ),
    )


# --- decoding and parsing ---------------------------------------------------------------


def decode_html(data: bytes) -> str:
    """Bytes to text: a BOM wins; valid UTF-8 is UTF-8 (pages often declare latin-1 and send
    UTF-8); else the charset the page declares (<meta charset>, http-equiv, <?xml?>), else
    UTF-8 with replacement characters."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data[:4096])
    if declared:
        try:
            return data.decode(declared, errors="replace")
        except LookupError:
            pass
    return data.decode("utf-8", errors="replace")


def _declared_charset(head: bytes) -> str | None:
    found = _XML_ENCODING.search(head) or _CHARSET.search(head)
    if not found:
        return None
    name = found.group(1).decode("ascii", errors="ignore").lower()
    # WHATWG: these labels mean windows-1252 in HTML.
    return "cp1252" if name in {"iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii"} else name


def _parse(html: str | bytes) -> lxml_html.HtmlElement | None:
    text = decode_html(html) if isinstance(html, bytes) else html
    if not text.strip():
        return None
    try:
        tree = trafilatura.load_html(text)
        if tree is None:  # a fragment trafilatura finds dubious: give it a document around it
            tree = lxml_html.document_fromstring(f"<html><body>{text}</body></html>")
    except (LxmlError, ValueError, TypeError) as e:
        log.debug("unparseable page: %s", e)
        return None
    return tree if isinstance(tree, lxml_html.HtmlElement) else None


# --- metadata ---------------------------------------------------------------------------


def _read_meta(tree: lxml_html.HtmlElement, url: str | None) -> _Meta:
    objects = list(_json_ld_objects(tree))
    ids = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str) and len(o) > 2}
    root = tree.getroottree().getroot()
    lang: str | None = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    return _Meta(
        meta=_meta_tags(tree),
        article=_pick_article(objects),
        ids=ids,
        lang=_clean(lang),
        canonical=_canonical_link(tree, url),
    )


def _meta_tags(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """<meta> content by lower-cased property/name/itemprop; the first one of a name wins."""
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        content = (el.get("content") or "").strip()
        for attr in ("property", "name", "itemprop"):
            key = (el.get(attr) or "").strip().lower()
            if key and content:
                found.setdefault(key, content)
    return found


def _canonical_link(tree: lxml_html.HtmlElement, url: str | None) -> str | None:
    """<link rel=canonical>, made absolute against the page's URL when that is known."""
    for el in tree.iter("link"):
        href = str(el.get("href") or "").strip()
        if href and "canonical" in str(el.get("rel") or "").lower().split():
            return urljoin(url, href) if url else href
    return None


def _json_ld_objects(tree: lxml_html.HtmlElement) -> Iterator[Json]:
    """Every JSON object in the page's JSON-LD blocks, nested ones and @graph members included."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip().removeprefix("<!--").removesuffix("-->").strip()
        try:
            yield from _walk(json.loads(raw, strict=False))
        except (ValueError, RecursionError):
            log.debug("unreadable JSON-LD block skipped")


def _walk(value: Any) -> Iterator[Json]:
    if isinstance(value, list):
        for v in value:
            yield from _walk(v)
    elif isinstance(value, dict):
        yield value
        for v in value.values():
            if isinstance(v, (list, dict)):
                yield from _walk(v)


def _types(obj: Json) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for k in kinds if isinstance(k, str)}


def _pick_article(objects: list[Json]) -> Json:
    """The article object: of the article types, the one with a body, else with a headline."""
    articles = [o for o in objects if _types(o) & ARTICLE_TYPES]
    for wanted in ("articleBody", "headline"):
        for o in articles:
            if isinstance(o.get(wanted), str) and o[wanted].strip():
                return o
    return articles[0] if articles else {}


def _str(obj: Json, key: str) -> str | None:
    value = obj.get(key)
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    return _clean(value) if isinstance(value, str) else None


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    text = " ".join(htmlmod.unescape(value).split())
    return text or None


def _resolve(m: _Meta, value: Any) -> Any:
    """A JSON-LD {"@id": ...} reference replaced by the object it names, when the page has it."""
    if isinstance(value, dict) and set(value) == {"@id"}:
        return m.ids.get(str(value["@id"]), value)
    return value


def _org_name(m: _Meta, key: str) -> str | None:
    org = _resolve(m, m.article.get(key))
    if isinstance(org, list):
        org = _resolve(m, org[0]) if org else None
    if isinstance(org, dict):
        return _str(org, "name")
    return _clean(org) if isinstance(org, str) else None


def _authors(value: Any) -> str | None:
    people = value if isinstance(value, list) else [value]
    names: list[str] = []
    for p in people:
        name = _str(p, "name") if isinstance(p, dict) else _clean(p) if isinstance(p, str) else None
        if name and name not in names and not name.startswith("http"):
            names.append(name)
    return ", ".join(names) or None


def _meta_author(meta: dict[str, str]) -> str | None:
    for key in ("author", "article:author", "parsely-author", "dc.creator"):
        value = _clean(meta.get(key))
        if value and not value.startswith("http"):
            return value
    return None


def _entity_url(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return value.strip() if isinstance(value, str) and value.strip().startswith("http") else None


def _site_name(m: _Meta) -> str | None:
    """How the site names itself: og:site_name (unless it is only an address), the JSON-LD
    publisher, or the application-name meta."""
    for name in (m.meta.get("og:site_name"), _org_name(m, "publisher"), m.meta.get("application-name")):
        cleaned = _clean(name)
        if cleaned and not cleaned.startswith(("http://", "https://")):
            return cleaned
    return None


def _section(m: _Meta) -> str | None:
    return _str(m.article, "articleSection") or _clean(m.meta.get("article:section"))


def _title(m: _Meta, tree: lxml_html.HtmlElement, site_name: str | None) -> str | None:
    for candidate in (m.meta.get("og:title"), _str(m.article, "headline")):
        title = _clean(candidate)
        if title:
            return _strip_site(title, site_name, any_suffix=False)
    h1 = next(tree.iter("h1"), None)
    if h1 is not None and _clean(h1.text_content()):
        return _clean(h1.text_content())
    head_title = next(tree.iter("title"), None)
    title = _clean(head_title.text_content()) if head_title is not None else None
    return _strip_site(title, site_name, any_suffix=True) if title else None


def _strip_site(title: str, site_name: str | None, *, any_suffix: bool) -> str:
    """The title without its site suffix ("Headline | Site"): the named site after any
    separator, or (for <title>) a last " | " part shorter than the headline before it."""
    for sep in _TITLE_SEPARATORS:
        head, found, tail = title.rpartition(sep)
        if not found or not head.strip():
            continue
        if site_name and tail.strip().lower() == site_name.lower():
            return head.strip()
        if any_suffix and sep == " | " and len(tail) < len(head):
            return head.strip()
    return title


def _published(m: _Meta, tree: lxml_html.HtmlElement) -> datetime | None:
    candidates = [_str(m.article, "datePublished")] + [m.meta.get(k) for k in _DATE_META]
    for value in candidates:
        found = _date(value)
        if found:
            return found
    for xpath in _TIME_XPATHS:
        for value in tree.xpath(xpath)[:3]:
            found = _date(str(value))
            if found:
                return found
    return None


def _date(value: str | None) -> datetime | None:
    """A date the page states; a value too long to be one is not read (bounded work)."""
    return parse_date(value) if value and len(value) <= _MAX_DATE_CHARS else None


def _htmldate(tree: lxml_html.HtmlElement, url: str | None) -> datetime | None:
    """htmldate's original (not updated) publication date, as a last resort."""
    try:
        found = htmldate.find_date(tree, original_date=True, extensive_search=False, url=url)
    except Exception:  # as for trafilatura: undocumented failures, and only a fallback
        log.warning("htmldate failed on %s", url or "a page", exc_info=True)
        return None
    return _date(found) if isinstance(found, str) else None


# --- text -------------------------------------------------------------------------------


def _json_ld_body(article: Json) -> str:
    body = article.get("articleBody")
    return _markup_to_text(body) if isinstance(body, str) else ""


def _markup_to_text(value: str) -> str:
    """Text of a string that may hold HTML (JSON-LD bodies often do): block tags become
    paragraph breaks, other tags go, entities are decoded."""
    for _ in range(2):  # some outlets escape the markup, some escape it twice
        if "&lt;" in value or "&amp;" in value or "&quot;" in value:
            value = htmlmod.unescape(value)
    if "<" in value and ">" in value:
        value = _ANY_TAG.sub("", _BLOCK_TAG.sub("\n\n", _SCRIPT_TAG.sub("", value)))
    return _paragraphs(htmlmod.unescape(value))


def _paragraphs(text: str) -> str:
    """One paragraph per line block, separated by a blank line, boilerplate lines dropped."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line and not _is_boilerplate(line))


def _is_boilerplate(line: str) -> bool:
    return len(line) < 48 and line.strip(" :.…»›>|-").lower() in _BOILERPLATE_LINES


def _trafilatura(tree: lxml_html.HtmlElement, url: str | None, *, precision: bool) -> str:
    try:
        text = trafilatura.extract(tree, url=url, include_comments=False, favor_precision=precision)
    except Exception:  # trafilatura's failures are not documented; a page must not stop a fetch
        log.warning("trafilatura failed on %s", url or "a page", exc_info=True)
        return ""
    return _paragraphs(text) if isinstance(text, str) else ""


def _text(tree: lxml_html.HtmlElement, url: str | None, ld_body: str, title: str, description: str) -> str:
    """Trafilatura in precision mode (best F1 on the benchmark), its balanced mode when
    precision keeps almost nothing and balanced does not read another block (`_balanced_wins`,
    on the page's headline and description), with the lead paragraph precision dropped
    (`lost_lead`) and the paragraphs it dropped beside the ones it kept (`lost_paragraphs`),
    without the readers' comments and page furniture it kept after the article
    (`article_end`); the outlet's own JSON-LD body when it is substantial and
    at least about as complete. Layout tables become divisions first (`layout_tables`), the
    parts of a split body one (`split_body`)."""
    unwrap_layout_tables(tree)
    merge_split_body(tree)
    links = link_texts(tree)
    text = _trafilatura(tree, url, precision=True)
    balanced = functools.cache(lambda: _trafilatura(tree, url, precision=False))
    if len(text) < _SHORT_TRAFILATURA and _balanced_wins(text, balanced(), f"{title} {description}"):
        text = balanced()
    text = restore_lead(text, tree, balanced, description, links)
    text = article_only(without_repeats(restore_lost(tree, text, links)), links)
    return ld_body if _complete_body(ld_body, len(text)) else text


def _balanced_wins(precise: str, balanced: str, about: str) -> bool:
    """Whether balanced mode's text replaces precision's short one: when longer, unless it is
    another block (holds under half of precision's word 4-grams) that shares fewer of the
    headline's and description's words than precision's (balanced read a sidebar, a blog's
    "about me" box, a list of teasers)."""
    if len(balanced) <= len(precise):
        return False
    if len(words(precise)) < 4 or _held(precise, balanced) >= _HELD:
        return True
    topic = _topic_words(about)
    return len(topic & _topic_words(balanced)) >= len(topic & _topic_words(precise))


def _held(part: str, whole: str) -> float:
    """The share of `part`'s word 4-grams that `whole` has."""
    grams = _grams(part)
    return sum((grams & _grams(whole)).values()) / max(1, grams.total())


def _grams(text: str) -> Counter[tuple[str, ...]]:
    w = words(text)
    return Counter(zip(w, w[1:], w[2:], w[3:], strict=False))


def _topic_words(text: str) -> set[str]:
    return {w for w in words(text) if len(w) > 3}


def _complete_body(body: str, extracted: int) -> bool:
    """A JSON-LD body is used when substantial, not a teaser cut with an ellipsis, and not
    clearly shorter than what trafilatura found (some outlets put only the first 500 chars)."""
    return len(body) >= _SUBSTANTIAL_BODY and not body.endswith(("...", "…")) and len(body) >= 0.9 * extracted


def _without_headline(text: str, title: str | None) -> str:
    """The text without the paragraph, among its first three, that repeats the headline in
    the page's own wording (a kicker or a date beside it, a word changed, the site's name)."""
    paragraphs = text.split("\n\n", _HEADLINE_WITHIN)
    if not title or len(paragraphs) < 2:
        return text
    for i, paragraph in enumerate(paragraphs[:_HEADLINE_WITHIN]):
        if _repeats_headline(paragraph, title):
            return "\n\n".join(paragraphs[:i] + paragraphs[i + 1 :])
    return text


def _repeats_headline(paragraph: str, title: str) -> bool:
    """Most of the paragraph's distinct words are the headline's and most of the headline's
    are the paragraph's (a paragraph much longer than the headline never does)."""
    heading = set(words(title))
    if not heading or len(paragraph) > 3 * len(title) + 40:
        return False
    said = set(words(paragraph))
    common = len(said & heading)
    return bool(said) and common >= _HEADLINE_SHARE * len(heading) and common >= _HEADLINE_SHARE * len(said)
