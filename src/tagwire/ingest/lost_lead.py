"""The lead paragraph that trafilatura's precision mode dropped and its balanced mode kept.

A page's description (og:description) is most often its lead paragraph, whole or cut with an
ellipsis. Precision mode drops a lead that is written straight into the article's container,
its paragraphs separated by <br> ("<div class="body"><a>Apple Pay</a> is rolling out ...
<br/><br/> ..."), or that opens in a wrapper of its own: the article then starts at its second
paragraph, and the paragraph a reader and the hashtags weigh most is gone. Such blocks are not
separate elements, so `lost_paragraphs` cannot put them back.

When the page's body holds the description's opening and the text does not (a description
written for the page alone costs nothing more), balanced mode's text is read: a
paragraph there that opens with the description's words, says more than the description (a
description that is the whole paragraph is a standfirst, which the article's text does not
repeat), reads as prose, and stands right before the text's first paragraph is the lead, put
back first. Nothing else of balanced mode's text is taken.

Measured on the pages of the extraction benches (see CHANGELOG): of 339 Chaos pages with a
description, 5 had their lead in the gold and not in the text, 3 of them with the lead in
balanced mode's text right before the first paragraph; Big9 none.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from lxml import html as lxml_html  # type: ignore[import-untyped]

from tagwire.ingest.article_end import is_prose, words

LEAD_WORDS = 8
"""The description's words that find the lead (a shorter description finds nothing)."""


def restore_lead(
    text: str,
    tree: lxml_html.HtmlElement,
    balanced: Callable[[], str],
    description: str,
    links: frozenset[str],
) -> str:
    """`text` with its lead paragraph put back first, when precision dropped it: `balanced`
    gives balanced mode's text (called only when the page's body has the description's opening
    and the text does not), `links` the page's link texts (as `article_end` reads them)."""
    said = words(description)
    opening = " ".join(said[:LEAD_WORDS])
    if len(said) < LEAD_WORDS or not text or opening in " ".join(words(text)):
        return text
    body = tree.find(".//body")
    if opening not in " ".join(words(str((tree if body is None else body).text_content()))):
        return text  # a description written for the page alone: no lead of the text
    first = words(text.split("\n\n", 1)[0])[:LEAD_WORDS]
    paragraphs = [p for p in balanced().split("\n\n") if p.strip()]
    for lead, after in itertools.pairwise(paragraphs):
        lead_words = words(lead)
        if (
            " ".join(lead_words[:LEAD_WORDS]) == opening
            and len(lead_words) > len(said)
            and words(after)[:LEAD_WORDS] == first
            and is_prose(lead, links)
        ):
            return f"{lead}\n\n{text}"
    return text
