#!/usr/bin/env python3
"""Article text on L3S-GN1 (Kohlschütter et al., WSDM 2010): 621 news articles from 408 sites,
fetched through Google News in 2008, each labelled by people block by block (headline, full
text, supplemental, related, comments). The gold is the text labelled "full text" (x-nc-sel2).

The corpus is not in the project (research-only licence). Get the HTML conversion from
https://github.com/geodrome/page-signal (folder L3S-GN1-20100130203947-00001, with original/
and annotated/) and pass that folder, or set TAGWIRE_L3S_GN1:

    .venv/bin/python bench/eval_extraction_l3s.py /work/scratch/extract-data/l3s-gn1 [--baselines]
"""

import re

from eval_extraction_kit import Page, body_holds_gold, corpus_path, evaluate
from lxml import html as lxml_html

_LABEL = re.compile(r"x-nc-sel(\d)")
_FULL_TEXT = 2


def _label(el: lxml_html.HtmlElement, known: dict[lxml_html.HtmlElement, int]) -> int:
    """The label of the text directly inside `el`: that of the nearest annotation <span>
    (the annotated pages nest them, unclosed), -1 inside script, style or invisible parts."""
    path, label = [], 0
    node = el
    while node is not None:
        if node in known:
            label = known[node]
            break
        path.append(node)
        cls = str(node.get("class") or "")
        if node.tag in ("script", "style") or "x-nc-invisible" in cls:
            label = -1
            break
        found = _LABEL.search(cls) if node.tag == "span" else None
        if found:
            label = int(found.group(1))
            break
        node = node.getparent()
    for n in path:
        known[n] = label
    return label


def gold_text(annotated: bytes) -> str:
    tree = lxml_html.document_fromstring(annotated.decode("utf-8", errors="replace"))
    known: dict[lxml_html.HtmlElement, int] = {}
    parts = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text and _label(el, known) == _FULL_TEXT:
            parts.append(el.text)
        parent = el.getparent()
        if el.tail and parent is not None and _label(parent, known) == _FULL_TEXT:
            parts.append(el.tail)
    return " ".join(" ".join(parts).split())


root = corpus_path("TAGWIRE_L3S_GN1", "https://github.com/geodrome/page-signal, folder L3S-GN1-*")
pages: list[Page] = []
for f in sorted((root / "annotated").glob("*.html")):
    original = root / "original" / f.name
    if original.exists():
        pages.append((f.stem, original.read_bytes(), gold_text(f.read_bytes())))
kept = [p for p in pages if body_holds_gold(p[1], p[2])]
evaluate("L3S-GN1", kept, len(pages) - len(kept))
