"""An article body split in several containers (split_body), on pages of an invented outlet."""

from __future__ import annotations

from lxml import html as lxml_html

from tagwire.ingest.extract import extract_page
from tagwire.ingest.split_body import merge_split_body

_PARTS = [
    [
        "The Quarry County ferry will stop calling at Elm Point from the first of June, the operator "
        "said on Monday, after the pier failed its second inspection in a year.",
        "Passengers from Elm Point will be taken by bus to the Harbour Street landing, a ride of about "
        "twenty minutes that the operator says will be free for the whole summer.",
    ],
    [
        "Residents have asked the county to repair the pier before the holiday season, when the "
        "ferry carries close to three thousand passengers a day across the sound.",
        "The county engineer, Odile Marchetti, said a new deck could not be poured before September "
        "because the contractor must first remove the old piles one by one.",
    ],
    [
        "A public meeting about the bus link is planned for the Elm Point library on the ninth of "
        "May, where the operator will present the timetable and answer questions.",
        "Until then the old timetable stays in force, and tickets bought for June remain valid on the "
        "bus as well as on the ferry, the operator said.",
    ],
]


def _chunk(paragraphs: list[str], parent: str = '<div class="row narrow">') -> str:
    inner = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f'{parent}<div class="article-body body-text">{inner}</div></div>'


def _split_page(
    between: str = '<div class="ad-slot">Advertisement</div>', parents: list[str] | None = None
) -> str:
    parents = parents or ['<div class="row narrow">'] * len(_PARTS)
    body = between.join(_chunk(part, parent) for part, parent in zip(_PARTS, parents, strict=True))
    return (
        "<html><head><title>Ferry to skip Elm Point</title></head><body>"
        f'<header><a href="/">Quarry County Post</a></header><article><h1>Ferry to skip Elm Point</h1>{body}'
        '</article><footer><a href="/about">About us</a></footer></body></html>'
    )


def _tree(markup: str) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(markup)


def test_a_body_split_by_advertisements_is_read_whole() -> None:
    text = extract_page(_split_page()).text
    for paragraph in (p for part in _PARTS for p in part):
        assert paragraph in text
    assert text.index(_PARTS[0][0]) < text.index(_PARTS[1][0]) < text.index(_PARTS[2][1])
    assert "Advertisement" not in text


def test_the_later_parts_move_into_the_first_in_order() -> None:
    tree = _tree(_split_page())
    assert merge_split_body(tree) == 2
    bodies = tree.xpath("//div[@class='article-body body-text']")
    assert len(bodies) == 1
    assert [p.text for p in bodies[0].iter("p")] == [p for part in _PARTS for p in part]


def test_posts_of_a_blog_index_are_not_merged() -> None:
    parents = [f'<div class="post" id="post-{i}">' for i in range(len(_PARTS))]
    assert merge_split_body(_tree(_split_page(parents=parents))) == 0


def _with_teaser(part: int) -> str:
    first = _PARTS[part][0][:20]
    return _split_page().replace(f"<p>{first}", f'<h3><a href="/s/7">Harbour board budget</a></h3><p>{first}')


def test_a_teaser_with_a_linked_title_is_not_a_part() -> None:
    assert merge_split_body(_tree(_with_teaser(2))) == 1
    assert merge_split_body(_tree(_with_teaser(1))) == 0  # nor what comes after it


def test_parts_far_apart_are_not_merged() -> None:
    other = "<div class='teaser'>" + "A different story about the harbour board budget. " * 10 + "</div>"
    assert merge_split_body(_tree(_split_page(between=other))) == 0


def test_a_page_without_twins_is_left_alone() -> None:
    tree = _tree(f"<html><body>{_chunk(_PARTS[0])}</body></html>")
    before = lxml_html.tostring(tree)
    assert merge_split_body(tree) == 0
    assert lxml_html.tostring(tree) == before
