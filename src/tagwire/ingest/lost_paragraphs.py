"""Paragraphs of the article that trafilatura's precision mode dropped: a paragraph holding a
link or two ("Hydara spoke after <a>Masood's mother</a>, said ...") weighs as link text there,
and a lead paragraph in a wrapper of its own is read as a teaser, so the article came out
without its first paragraph or with holes.

The paragraphs precision kept are found in the page (blocks whose whole text it has); a block
beside them in the same container (a sibling, or the only block of a sibling wrapper) that it
left out is put back in its place when it reads as prose: enough words, a sentence's end, most
of its text not link text, not a list item, a caption, a figure or a box whose class names
page furniture. Nothing is read outside the containers of the kept paragraphs, so a sidebar
or a list of teasers elsewhere on the page stays out.

Read on the Big9 pages (bench/eval_extraction_big9.py: CNN's lead paragraph); its first
form, which also put back blocks after the last kept paragraph and blocks holding <br> or a
script, cost L3S-GN1 0.9510 -> 0.9498 (a box score, a byline, an ad's script), so those three
limits were set on L3S-GN1. Word 4-gram F1 with them: Big9 0.9659 -> 0.9670, Chaos 0.9500 ->
0.9517, L3S-GN1 0.9510 -> 0.9515, CleanPortalEval 0.9303 -> 0.9316, AEB 0.97198 -> 0.97203.
"""

from __future__ import annotations

import bisect
import re

from lxml import html as lxml_html  # type: ignore[import-untyped]

from tagwire.ingest.article_end import is_prose

_BLOCKS = frozenset({"p", "div", "blockquote", "section", "article", "h2", "h3", "h4", "li", "td", "figure"})
_CANDIDATES = frozenset({"p", "div"})
_WINDOW = 6
"""Words at each end of a block that find it in the text (a block of fewer is not matched)."""
_LINK_SHARE = 0.5
_FURNITURE = re.compile(
    r"(?i)caption|credit|comment|related|promo|teaser|share|social|newsletter|subscri|footer|aside"
    r"|nav|menu|sidebar|byline|author|tags?\b|breadcrumb|advert|sponsor|widget|recommend|more-"
)
_BYLINE = re.compile(r"By [A-Z]")
_SKIP = frozenset({"li", "figure", "figcaption", "aside", "nav", "footer", "header", "form", "table"})


def restore_lost(tree: lxml_html.HtmlElement, text: str, links: frozenset[str]) -> str:
    """`text` (precision's, paragraphs separated by blank lines) with the article's paragraphs
    it dropped put back in place (`links`: the page's link texts, as article_end reads them).
    Blocks are matched to paragraphs by their first and last words (`_WINDOW`), through an
    index of the text's word windows: linear in the page and the text."""
    if not text:
        return text
    paragraphs = text.split("\n\n")
    index = _windows(paragraphs)
    inner = _inner_blocks(tree)
    leaves = [el for el in tree.iter(*_CANDIDATES) if el not in inner]
    said = [str(el.text_content()) for el in leaves]  # each block's text, read once
    kept: list[tuple[int, int]] = []  # order of the block among the leaves, its paragraph
    held: set[lxml_html.HtmlElement] = set()
    for n, el in enumerate(leaves):
        w = said[n].lower().split()
        if len(w) >= _WINDOW and tuple(w[-_WINDOW:]) in index and tuple(w[:_WINDOW]) in index:
            kept.append((n, index[tuple(w[:_WINDOW])]))
            held.add(el)
    if len(kept) < 2:
        return text
    parents = {el.getparent() for el in held}
    lone: dict[lxml_html.HtmlElement, bool] = {}
    inserts: dict[int, list[str]] = {}
    for n, el in enumerate(leaves):
        if el in held or not _beside(el, parents, lone) or not _prose(el, said[n], links):
            continue
        w = said[n].split()
        if tuple(x.lower() for x in w[:_WINDOW]) in index:
            continue  # already in the text, in part (a block trafilatura split in paragraphs)
        at = bisect.bisect_right(kept, (n, len(paragraphs)))
        if at < len(kept):  # nothing after the last kept paragraph: page furniture lives there
            inserts.setdefault(kept[at][1], []).append(" ".join(w))
    if not inserts:
        return text
    out: list[str] = []
    for i, paragraph in enumerate(paragraphs):
        out.extend(inserts.get(i, []))
        out.append(paragraph)
    return "\n\n".join(out)


def _windows(paragraphs: list[str]) -> dict[tuple[str, ...], int]:
    """Each run of `_WINDOW` words of the text (across paragraph breaks) -> the paragraph it
    starts in, the first one when repeated."""
    flat: list[tuple[str, int]] = [(w, i) for i, p in enumerate(paragraphs) for w in p.lower().split()]
    found: dict[tuple[str, ...], int] = {}
    for j in range(len(flat) - _WINDOW + 1):
        found.setdefault(tuple(w for w, _ in flat[j : j + _WINDOW]), flat[j][1])
    return found


def _inner_blocks(tree: lxml_html.HtmlElement) -> set[lxml_html.HtmlElement]:
    """The elements that hold a block (each ancestor of a block, marked once: linear)."""
    holding: set[lxml_html.HtmlElement] = set()
    for el in tree.iter(*_BLOCKS):
        up = el.getparent()
        while up is not None and up not in holding:
            holding.add(up)
            up = up.getparent()
    return holding


def _beside(
    el: lxml_html.HtmlElement, parents: set[lxml_html.HtmlElement], lone: dict[lxml_html.HtmlElement, bool]
) -> bool:
    """A sibling of a kept block, or the only block of a wrapper that is one (`lone` keeps
    whether a wrapper holds one block, so a wide wrapper is counted once)."""
    parent = el.getparent()
    if parent is None:
        return False
    if parent in parents:
        return not _furniture(el)
    if parent.getparent() not in parents or _furniture(el) or _furniture(parent):
        return False
    if parent not in lone:
        lone[parent] = sum(1 for c in parent if isinstance(c.tag, str) and c.tag in _BLOCKS) == 1
    return lone[parent]


def _furniture(el: lxml_html.HtmlElement) -> bool:
    if el.tag in _SKIP:
        return True
    return bool(_FURNITURE.search(f"{el.get('class') or ''} {el.get('id') or ''}"))


def _prose(el: lxml_html.HtmlElement, text: str, links: frozenset[str]) -> bool:
    """Prose as article_end weighs it (no prompt, address or copyright line), little of it
    link text, no script in it, not inside a list, a figure or a form (`text`: el's)."""
    if any(True for _ in el.iter("script", "style", "noscript", "iframe", "br")):
        return False  # a script's text, or lines run together (a heading, a credit, a table)
    said = " ".join(text.split())
    if not is_prose(said, links) or _BYLINE.match(said):
        return False
    linked = sum(len(" ".join(str(a.text_content()).split())) for a in el.iter("a"))
    return linked <= _LINK_SHARE * len(said) and not any(a.tag in _SKIP for a in el.iterancestors())
