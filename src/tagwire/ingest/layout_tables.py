"""Layout tables: a <table> used to place a page's parts (a column of links beside the article,
the article's paragraphs inside one cell) rather than to show data.

trafilatura reads every table as data and writes each row as one "| cell | cell |" line, so
an article laid out in a table came out whole with its menus, sidebars and link lists in the
same rows. Turning a layout table's own table, row and cell elements into <div>s lets the
article's blocks be told from the page's other blocks as on any page. As in Mozilla
Readability's data-table test: a table that marks itself as data (<th>, <thead>, <tfoot>,
<caption>, <colgroup>, a summary) stays a table; one whose cell holds block content
(paragraphs, divisions, headings, lists, quotes, forms, another table), one inside another
table's cell (the menus and link boxes of such pages) and one that says role="presentation"
are layout tables.

Measured with bench/eval_extraction_l3s.py, eval_extraction_dragnet.py and eval_extraction.py
(word 4-gram F1): L3S-GN1 (604 news pages of 2008) 0.912 -> 0.939, Dragnet (1,373 pages of
2012) 0.891 -> 0.893, the AEB pages (2019) unchanged at 0.966.
"""

from __future__ import annotations

from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html

_CELLS = frozenset({"td", "th"})
_PARTS = frozenset({"tbody", "thead", "tfoot", "tr", "td", "th"})
_DATA_MARKS = frozenset({"th", "thead", "tfoot", "caption", "colgroup"})
_BLOCKS = frozenset(
    {"p", "div", "table", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "form", "pre"}
)


class _Table:
    __slots__ = ("data", "element", "layout", "parts")

    def __init__(self, element: lxml_html.HtmlElement) -> None:
        self.element = element
        self.parts: list[lxml_html.HtmlElement] = []
        self.layout = str(element.get("role") or "").strip().lower() in {"presentation", "none"}
        self.data = bool(element.get("summary"))


def unwrap_layout_tables(tree: lxml_html.HtmlElement) -> int:
    """Turn the tree's layout tables into <div>s, in place; returns how many. One walk over
    each outermost table (linear in its size, however deep the nesting)."""
    found = _tables(tree)
    layout = [t for t in found if t.layout and not t.data]
    for table in layout:
        for el in (table.element, *table.parts):
            el.tag = "div"
    return len(layout)


def _tables(tree: lxml_html.HtmlElement) -> list[_Table]:
    """Every table of the tree, walking only the outermost ones (most pages have none)."""
    found: list[_Table] = []
    walked: set[lxml_html.HtmlElement] = set()
    for top in tree.iter("table"):
        if top not in walked:  # a nested table was walked with the table around it
            tables = _walk(top)
            found += tables
            walked.update(t.element for t in tables)
    return found


def _walk(top: lxml_html.HtmlElement) -> list[_Table]:
    found: list[_Table] = []
    open_tables: list[_Table] = []
    cell_owners: list[_Table] = []  # the table of each open cell, innermost last
    for event, el in etree.iterwalk(top, events=("start", "end")):
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if event == "end":
            if tag == "table" and open_tables:
                open_tables.pop()
            elif tag in _CELLS and cell_owners:
                cell_owners.pop()
            continue
        if tag in _BLOCKS and cell_owners:
            cell_owners[-1].layout = True
        if tag == "table":
            table = _Table(el)
            table.layout = table.layout or bool(cell_owners)
            found.append(table)
            open_tables.append(table)
        elif open_tables and tag in _PARTS:
            owner = open_tables[-1]
            owner.parts.append(el)
            owner.data = owner.data or tag in _DATA_MARKS
            if tag in _CELLS:
                cell_owners.append(owner)
        elif open_tables and tag in _DATA_MARKS:
            open_tables[-1].data = True
    return found
