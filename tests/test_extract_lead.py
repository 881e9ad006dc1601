"""The lead paragraph that trafilatura's precision mode dropped (lost_lead), on an invented page:
the article written straight into its container, paragraphs separated by <br>, the lead
opening with a link, the page's description that lead cut with an ellipsis. `text` stands for
what precision kept and `balanced` for balanced mode's text (precision drops such a lead only on
a full page, whose other blocks change its choice: a real page of the Chaos set did)."""

from __future__ import annotations

from lxml import html as lxml_html

from tagwire.ingest.article_end import link_texts
from tagwire.ingest.lost_lead import restore_lead

_LEAD = (
    "Harbour City trams will run through the night from next month, the council said on Tuesday, "
    "after a survey of riders found that most night workers had no other way home."
)
_REST = [
    "The night service will run every half hour on the two busiest lines, and every hour on the "
    "others, from midnight to five in the morning on every day of the week.",
    "Councillors said the service would cost about two million a year, paid for by a small rise "
    "in the price of day tickets and by the port authority, which employs many of the riders.",
]
_CUT = "Harbour City trams will run through the night from next month, the council said on Tuesday..."
_MENU = "Home. City news. Sport. Weather and traffic for the whole of the Harbour City region today."


def _tree() -> lxml_html.HtmlElement:
    lead = _LEAD.replace("Harbour City trams", '<a href="/trams">Harbour City trams</a>', 1)
    body = "<br/><br/>".join([lead, *_REST])
    return lxml_html.document_fromstring(
        f'<html><body><div class="nav">{_MENU}</div><div class="body">{body}</div></body></html>'
    )


def _restored(description: str, balanced: str, tree: lxml_html.HtmlElement | None = None) -> str:
    tree = _tree() if tree is None else tree
    calls: list[int] = []

    def read_balanced() -> str:
        calls.append(1)
        return balanced

    out = restore_lead("\n\n".join(_REST), tree, read_balanced, description, link_texts(tree))
    assert len(calls) <= 1
    return out


def test_the_lead_precision_dropped_is_put_back_first() -> None:
    text = _restored(_CUT, "\n\n".join([_LEAD, *_REST]))
    assert text.split("\n\n") == [_LEAD, *_REST]


def test_a_description_that_is_the_whole_paragraph_is_a_standfirst() -> None:
    balanced = "\n\n".join([_LEAD, *_REST])
    assert _restored(_LEAD, balanced) == "\n\n".join(_REST)


def test_only_the_paragraph_right_before_the_text_is_the_lead() -> None:
    balanced = "\n\n".join([_LEAD, _MENU, *_REST])  # the lead is elsewhere on the page
    assert _restored(_CUT, balanced) == "\n\n".join(_REST)


def test_a_description_not_on_the_page_costs_no_second_reading() -> None:
    def never() -> str:
        raise AssertionError("balanced mode read for a description the page does not hold")

    tree = _tree()
    written_apart = "Night trams are coming to the city: what riders need to know about the new timetable."
    text = "\n\n".join(_REST)
    assert restore_lead(text, tree, never, written_apart, link_texts(tree)) == text
