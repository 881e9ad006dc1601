"""A feed item's excerpt without what the feed's software adds to it.

Feeds end their excerpts with a link to the rest ("Continue reading...", "Read more »", "[…]")
and WordPress with "The post <headline> appeared first on <site>."; many repeat the headline as
the whole description. None of it is the story: on a tag page it sits where the summary should
be, and a thin article (one whose page was not read) would carry it as its text. Only the end of
an excerpt is looked at (TAIL characters), so a long one costs no more than a short one.
"""

from __future__ import annotations

import re
from typing import Final

TAIL: Final = 400
"""Characters at the end of an excerpt where the feed's additions are looked for."""

_READ_ON: Final = re.compile(
    r"(?:^|(?<=[.!?…\"”’)\]»|:—–]))\s*"  # after a sentence, or on a line of its own
    r"((?:continue|keep) reading|read (?:more|on|the (?:full|rest of the) (?:story|article))"
    r"|click here to read more|\(more(?:…|\.\.\.)\))"
    r"[^\w\n]{0,6}(?:(?:at|on) [\w .'’-]{1,60}[^\w\n]{0,3})?$",
    re.I | re.M,
)
_CUT_MARK: Final = re.compile(r"\s*\[(?:…|\.\.\.|&hellip;)\]\s*$")
_WORDPRESS_START: Final = "The post "
_WORDPRESS_MIDDLE: Final = " appeared first on "


def clean_excerpt(excerpt: str, title: str = "") -> str:
    """`excerpt` without a feed's "read on" link, its "[…]" (kept as "…") and WordPress's "The post
    ... appeared first on ..." line at its end; "" when what is left only repeats the headline."""
    text = _without_wordpress_line(excerpt.rstrip())
    start = max(0, len(text) - TAIL)
    found = _READ_ON.search(text, start) if _may_read_on(text[start:]) else None
    if found:
        text = text[: found.start(1)].rstrip(" \t\n-–—|:»›>")
    cut = _CUT_MARK.search(text, max(0, len(text) - 20))
    if cut:
        text = text[: cut.start()].rstrip() + "…"
    return "" if _same_words(text, title) else text


def _may_read_on(tail: str) -> bool:
    """Whether `tail` can hold a "read on" link: each of them says "read" or "(more" (a look
    for two words is much cheaper than the search, and most excerpts have neither)."""
    lowered = tail.lower()
    return "read" in lowered or "(more" in lowered


def _without_wordpress_line(text: str) -> str:
    at = text.rfind(_WORDPRESS_START, max(0, len(text) - TAIL))
    if at < 0:
        return text
    middle = text.find(_WORDPRESS_MIDDLE, at)
    if middle < 0 or "\n" in text[middle:].strip():
        return text
    return text[:at].rstrip()


_WORD: Final = re.compile(r"\w+")


def _same_words(a: str, b: str) -> bool:
    """Whether two texts have the same words, case and punctuation aside (and `a` has any).
    `a` (an excerpt, often long) is read only as far as it keeps matching `b` (the headline)."""
    wanted = _WORD.findall(b.lower())
    if not wanted:
        return False
    found = _WORD.finditer(a.lower())
    for word in wanted:
        match = next(found, None)
        if match is None or match.group() != word:
            return False
    return next(found, None) is None
