"""Paragraphs that are not the article wherever they stand (repeats): a caption repeated under
each slide, the slides of a counted gallery; on texts of an invented outlet."""

from __future__ import annotations

from tagwire.ingest.repeats import without_repeats

_STORY = [
    "The ferry between Port Aldous and the island of Venn will run twice a day from May, the "
    "harbour board said on Monday, after the new pier was finished two months early.",
    "Tickets will cost the same as last summer, and islanders will keep their half-price pass.",
    "The board expects about forty thousand crossings in the first season.",
]
_CAPTION = "The new pier at Port Aldous seen from the harbour wall on Monday morning. Photo: Ida Lund"


def _text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def test_caption_repeated_under_each_slide_is_kept_once() -> None:
    text = _text([_STORY[0], _CAPTION, _CAPTION, _CAPTION, *_STORY[1:]])
    assert without_repeats(text) == _text([_STORY[0], _CAPTION, *_STORY[1:]])


def test_repeat_further_apart_stays() -> None:
    line = "Eat every two to three hours"
    text = _text([_STORY[0], line, _STORY[1], line, _STORY[2]])
    assert without_repeats(text) == text


def test_short_line_said_twice_stays() -> None:
    text = _text([_STORY[0], "Ha ha!", "Ha ha!", _STORY[1]])
    assert without_repeats(text) == text


def test_counted_gallery_slides_go() -> None:
    slides = [f"- {i}/12 The pier under construction in week {i}. Photo: Ida Lund" for i in range(1, 5)]
    text = _text([_STORY[0], _STORY[1], *slides, _STORY[2]])
    assert without_repeats(text) == _text(_STORY)


def test_one_or_two_counts_are_the_articles_own() -> None:
    own = [
        "1 of 3 crossings last summer was made by a visitor from the mainland.",
        "2 of 3 islanders say they use the ferry every week.",
    ]
    text = _text([_STORY[0], *own, *_STORY[1:]])
    assert without_repeats(text) == text


def test_counter_past_its_total_is_no_slide() -> None:
    lines = [f"{n}/4 of the seats will be kept for islanders on route {n}." for n in (5, 6, 7)]
    text = _text([_STORY[0], *lines])
    assert without_repeats(text) == text
