"""Article paragraphs that precision mode dropped put back (lost_paragraphs), on a page of an
invented outlet: the text given stands for what precision kept."""

from __future__ import annotations

import time

from lxml import html as lxml_html

from tagwire.ingest.article_end import link_texts
from tagwire.ingest.lost_paragraphs import restore_lost

_LEAD = (
    'Harbour City (WNS) The city council of Harbour City voted on Tuesday to <a href="/x">close the '
    "old tram depot</a> by the end of the year and turn it into a market hall."
)
_KEPT = [
    "The depot has stood empty since the last tram line closed in 1998, and the roof of its main "
    "shed was repaired twice in the last ten years at the city's expense.",
    "Councillors said the market hall would hold about sixty stalls, with a covered square for "
    "concerts in the summer months.",
    "Building work is expected to start in the spring and to take about eighteen months.",
]
_LINKED = (
    'The plan was first put forward by <a href="/y">the traders\' association</a>, which says the '
    "city has lost a third of its market stalls since 2010."
)
_SIDEBAR = "Our reporters cover the city council every week, and this is a sentence of the sidebar."
_AFTER = "A paragraph after the article that the page put in the same container, ending here."


def _tree(body: str) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(f"<html><body>{body}</body></html>")


def _page() -> lxml_html.HtmlElement:
    return _tree(
        '<div class="story">'
        f'<div class="lead-wrap"><p>{_LEAD}</p></div>'
        f'<div class="para">{_KEPT[0]}</div><div class="para">{_LINKED}</div>'
        f'<div class="para">{_KEPT[1]}</div><div class="para">{_KEPT[2]}</div>'
        f'<div class="para">{_AFTER}</div>'
        "</div>"
        f'<div class="column"><p>{_SIDEBAR}</p><p>{_SIDEBAR} Twice.</p></div>'
    )


def _plain(html: str) -> str:
    return str(lxml_html.fragment_fromstring(f"<p>{html}</p>").text_content())


def test_lead_and_linked_paragraph_come_back_in_place() -> None:
    tree = _page()
    text = restore_lost(tree, "\n\n".join(_KEPT), link_texts(tree))
    assert text.split("\n\n") == [_plain(_LEAD), _KEPT[0], _plain(_LINKED), _KEPT[1], _KEPT[2]]


def test_nothing_after_the_last_kept_paragraph_nor_outside_its_container() -> None:
    tree = _page()
    text = restore_lost(tree, "\n\n".join(_KEPT), link_texts(tree))
    assert _AFTER not in text
    assert _SIDEBAR not in text


def test_furniture_boxes_lists_and_short_lines_stay_out() -> None:
    tree = _tree(
        "<div>"
        f"<p>{_KEPT[0]}</p>"
        '<div class="related-box">Read how the council voted on the bus station last year, in full.</div>'
        "<ul><li>A list item that reads like a sentence of prose but is a teaser.</li></ul>"
        "<p>Too short to count.</p>"
        "<p>Sign up for our newsletter to get the council's news every morning in your inbox.</p>"
        f"<p>{_KEPT[1]}</p>"
        f"<p>{_KEPT[2]}</p>"
        "</div>"
    )
    text = "\n\n".join(_KEPT)
    assert restore_lost(tree, text, link_texts(tree)) == text


def test_a_block_mostly_link_text_stays_out() -> None:
    linked = '<a href="/z">The council voted to close the old tram depot and build a market</a> hall.'
    tree = _tree(f"<div><p>{_KEPT[0]}</p><p>{linked}</p><p>{_KEPT[1]}</p></div>")
    text = "\n\n".join(_KEPT[:2])
    assert restore_lost(tree, text, link_texts(tree)) == text


def test_one_kept_paragraph_is_not_enough_to_place_others() -> None:
    tree = _page()
    assert restore_lost(tree, _KEPT[0], link_texts(tree)) == _KEPT[0]


def test_work_grows_linearly_with_the_page() -> None:
    said = [
        f"Paragraph {i} of a long page says something new about the harbour and its boats."
        for i in range(15000)
    ]
    tree = _tree("<div>" + "".join(f"<div>{p}</div>" for p in said) + "</div>")
    start = time.process_time()
    text = restore_lost(tree, "\n\n".join(said[::2]), frozenset())
    assert time.process_time() - start < 10  # 0.3 s here; the quadratic way took minutes
    assert text.split("\n\n") == said[:-1]
