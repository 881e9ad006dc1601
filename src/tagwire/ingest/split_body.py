"""Split article bodies: one article's text in several containers of the same kind, placed one
after the other with an advertisement or an image between them ("article__body" twice, each
in its own grid row).

trafilatura reads the first container its body expressions find and stops there, so such a
page came out with its first part only (a third of the article on some magazine pages). When
the container trafilatura will read has later twins (same tag, class and parent kind, each
with paragraphs of its own) separated from it only by a little text, their children are moved
into it, in order, and trafilatura then reads the whole article.

Measured with bench/eval_extraction.py (the AEB pages, where the conditions were chosen):
F1 0.966 -> 0.971 (2 pages, 0.52 -> 0.95 and 0.62 -> 0.96); on L3S-GN1, Dragnet and
CleanPortalEval no page has such twins (nothing changes there), so the conditions are confirmed
only in that they take nothing else for a part.
"""

from __future__ import annotations

from collections import defaultdict

from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html
from trafilatura.xpaths import BODY_XPATH

_CONTAINERS = ("div", "section", "article", "main")
_LINKED_HEADING = ".//*[self::h1 or self::h2 or self::h3 or self::h4][.//a]"
_MIN_TEXT = 150
"""Characters of paragraph text a container needs to count as a part of the article."""
_MAX_GAP = 300
"""Most characters of text between two parts (an "Advertisement" label, a caption)."""
_MAX_PARTS = 12
"""Most parts read after the first (magazines split an article in a handful; the bound keeps a
page of thousands of alike containers linear)."""


def merge_split_body(tree: lxml_html.HtmlElement) -> int:
    """Move the later parts of a split article body into its first part, in place; returns how
    many parts were moved. Pages without two containers alike that both hold paragraphs cost
    one walk, the others one look for trafilatura's body container."""
    twins = _twin_groups(tree)
    if not twins:
        return 0
    first = _body_container(tree)
    if first is None or first not in twins:
        return 0
    moved = 0
    for part in twins[first]:
        if part is first or not _a_later_part(first, part):
            continue
        if moved == _MAX_PARTS or _gap_chars(first, part) > _MAX_GAP:
            break
        first.extend(list(part))
        part.getparent().remove(part)
        moved += 1
    return moved


def _twin_groups(tree: lxml_html.HtmlElement) -> dict[lxml_html.HtmlElement, list[lxml_html.HtmlElement]]:
    """Each container holding paragraphs of its own (as <p> children) whose tag and class
    another such container shares -> all of them, in order."""
    groups: dict[tuple[str, str], list[lxml_html.HtmlElement]] = defaultdict(list)
    for el in tree.iter(_CONTAINERS):
        cls = el.get("class")
        if cls:
            groups[(el.tag, cls)].append(el)
    twins: dict[lxml_html.HtmlElement, list[lxml_html.HtmlElement]] = {}
    for group in groups.values():
        if len(group) > 1:
            holding = [el for el in group if _holds_paragraphs(el)]
            twins.update((el, holding) for el in holding if len(holding) > 1)
    return twins


def _body_container(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The element trafilatura's body expressions find first, as its extractor looks for it."""
    for expr in BODY_XPATH:
        found = next((el for el in expr(tree) if el is not None), None)
        if found is not None:
            return found
    return None


def _a_later_part(first: lxml_html.HtmlElement, part: lxml_html.HtmlElement) -> bool:
    """`part` stands where `first` stands (same parent, or alike parents under one grandparent),
    neither holds the other, and it is not another story: no id of its own (post-17, post-18)
    and no linked heading (a teaser's title)."""
    if _holds(first, part) or _holds(part, first) or not _parallel(first, part):
        return False
    return part.get("id") == first.get("id") and not part.xpath(_LINKED_HEADING)


def _parallel(a: lxml_html.HtmlElement, b: lxml_html.HtmlElement) -> bool:
    pa, pb = a.getparent(), b.getparent()
    if pa is None or pb is None:
        return False
    if pa is pb:
        return True
    alike = pa.tag == pb.tag and pa.get("class") == pb.get("class") and pa.get("id") == pb.get("id")
    return pa.tag in _CONTAINERS and alike and pa.getparent() is pb.getparent()


def _holds(outer: lxml_html.HtmlElement, inner: lxml_html.HtmlElement) -> bool:
    return any(a is outer for a in inner.iterancestors())


def _holds_paragraphs(el: lxml_html.HtmlElement) -> bool:
    """Whether `el`'s own paragraphs (its <p> children: one look at each element in all, however
    deep containers nest) have _MIN_TEXT characters."""
    chars = 0
    for p in el:
        if p.tag == "p":
            chars += len(p.text_content())
            if chars >= _MIN_TEXT:
                return True
    return False


def _gap_chars(first: lxml_html.HtmlElement, part: lxml_html.HtmlElement) -> int:
    """Characters of text (scripts and styles aside) after `first` ends and before `part`
    starts, in document order."""
    top = first.getparent()
    while top is not None and not _holds(top, part):
        top = top.getparent()
    if top is None:
        return _MAX_GAP + 1
    after, chars = False, 0
    for event, el in etree.iterwalk(top, events=("start", "end")):
        if el is part:
            break
        if event == "end" and (after or el is first):
            after = True
            chars += len((el.tail or "").strip())
        elif event == "start" and after and isinstance(el.tag, str) and el.tag not in ("script", "style"):
            chars += len((el.text or "").strip())
    return chars
