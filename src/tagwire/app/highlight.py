"""The words a search found, marked in its results: `title_html` and `snippet_html` of the search
view (app/views.py). The outlet's text is escaped first and only then are the matched words
wrapped in <mark>, so these strings are safe to insert as markup; nothing else a view holds is."""

from __future__ import annotations

import html
import re

from tagwire.models import Article

SNIPPET = 240  # characters of summary or text shown around the first match
SUFFIXES = ("ing", "ed", "es", "s")  # cut from query words so "talks" also marks "talk"


def _stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def highlighter(words: list[str]) -> re.Pattern[str] | None:
    """A pattern for the words a query looks for, at word starts and with their endings, or None."""
    stems = sorted({_stem(w.lower()) for w in words if w.strip("_")}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")\w*", re.I)


def highlight(text: str, pattern: re.Pattern[str] | None) -> str:
    """HTML: `text` escaped, each match of `pattern` wrapped in <mark>."""
    if pattern is None:
        return html.escape(text)
    out, last = [], 0
    for m in pattern.finditer(text):
        out += [html.escape(text[last : m.start()]), "<mark>", html.escape(m.group()), "</mark>"]
        last = m.end()
    return "".join(out) + html.escape(text[last:])


def snippet(text: str, pattern: re.Pattern[str] | None, size: int = SNIPPET) -> str:
    """HTML: about `size` characters of `text` around its first match (else its start), highlighted,
    cut at words, with an ellipsis at each cut."""
    text = " ".join(text.split())
    found = pattern.search(text) if pattern else None
    start = max(0, (found.start() if found else 0) - size // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = start + size
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    body = highlight(text[start:end], pattern)
    return ("…" if start else "") + body + ("…" if end < len(text) else "")


def best_text(a: Article, pattern: re.Pattern[str] | None) -> str:
    """The summary, unless only the full text has the words."""
    if pattern and a.text and not pattern.search(a.summary) and pattern.search(a.text):
        return a.text
    return a.summary or a.text


def needs_text(summary: str, pattern: re.Pattern[str] | None) -> bool:
    """Whether best_text may choose the full text over this summary."""
    return not summary or (pattern is not None and not pattern.search(summary))
