"""Paragraphs of an extracted text that are not the article wherever they stand: a paragraph
that repeats the one before it word for word (a photo's caption written again under each
slide of a gallery), and the slides of a gallery counted "1/44", "2 of 44" ... A repeat
further apart stays: lists and tables repeat lines ("Eat every 2-3 hours") on purpose.

Read on the Chaos pages (bench/eval_extraction_big9.py), where word 4-gram F1 went 0.9472 ->
0.9500; confirmed on L3S-GN1 0.9509 -> 0.9510 and Big9 0.9658 -> 0.9659, the AEB pages and
CleanPortalEval unchanged. Dropping every later copy, not only the one right after, cost the
AEB pages 0.972 -> 0.969 (a meal plan repeats "Eat every 2-3 hours" on purpose): dropped.
"""

from __future__ import annotations

import re
from collections import Counter

_SLIDE = re.compile(r"^[-•*·]?\s*(\d{1,3})\s*(?:/|of)\s*(\d{1,3})\b")
_SLIDES = 3
"""A gallery: at least this many paragraphs open with a counter of the same total (one or two
such counters can be an article's own "1 of 3 ..."). Set before measuring."""
_REPEAT_WORDS = 4
"""A repeat is dropped from this many words up: a short line said twice ("Ha!") can be the
article's. Set before measuring."""


def without_repeats(text: str) -> str:
    """The text (paragraphs separated by blank lines) without a paragraph's copies right
    after it and without the slides of a gallery."""
    paragraphs = text.split("\n\n")
    kept: list[str] = []
    counters = [_slide_total(paragraph) for paragraph in paragraphs]
    totals = _slide_totals(counters)
    last = ""
    for paragraph, counter in zip(paragraphs, counters, strict=True):
        key = " ".join(paragraph.split()).lower()
        repeat = key == last and len(key.split()) >= _REPEAT_WORDS
        last = key
        if not repeat and counter not in totals:
            kept.append(paragraph)
    return "\n\n".join(kept) if len(kept) < len(paragraphs) else text


def _slide_total(paragraph: str) -> int | None:
    found = _SLIDE.match(paragraph.strip())
    if found is None or not 0 < int(found.group(1)) <= int(found.group(2)):
        return None
    return int(found.group(2))


def _slide_totals(counters: list[int | None]) -> set[int]:
    """The totals of the counters (`_slide_total` of each paragraph) that at least `_SLIDES`
    paragraphs open with."""
    counts = Counter(total for total in counters if total is not None)
    return {total for total, n in counts.items() if n >= _SLIDES}
