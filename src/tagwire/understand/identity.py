"""Text identity: the words of a text as outlets' edits leave them, and a hash of them.

Used when an article is stored (`content_hash` makes a relisting of one text collapse into the
article already stored) and by copies.py (shingles, signatures). Plain Python, no numpy: a
fetch that only stores feed items imports this, not the MinHash machinery."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from tagwire.understand import provenance

_TOKEN = re.compile(r"\w+(?:'\w+)*")
_ABBREVIATION = re.compile(r"\.[a-z]\.(?:[a-z]\.)*")  # starts with a literal, so it scans fast
_PAREN_DATELINE = re.compile(r"^[^\n()]{0,60}?\([^()\n]{1,40}\)\s*(?:-{1,2}|—|–|:)\s*")


def normalize_text(text: str) -> str:
    """The words of `text` as outlets' edits leave them: lower case, one quote and dash style,
    "U.S." as "us", without the opening dateline and the closing credit line, single spaces."""
    return " ".join(cached_tokens(text))


def tokens(text: str) -> list[str]:
    """The words `normalize_text` keeps, in order."""
    return list(cached_tokens(text))


@functools.lru_cache(maxsize=128)
def cached_tokens(text: str) -> tuple[str, ...]:
    """`tokens` as a tuple, remembered for the last texts (more than a batch of 64): an article's
    text is read for its content hash when stored, for its signature when understood, and again
    when it is a copy candidate."""
    paragraphs = [p.strip() for p in text.splitlines() if p.strip()]
    if paragraphs and provenance.is_credit_line(paragraphs[-1]):
        paragraphs.pop()
    if paragraphs:
        paragraphs[0] = _strip_dateline(paragraphs[0])
    body = unicodedata.normalize("NFKC", "\n".join(paragraphs)).lower()
    body = body.replace("’", "'").replace("‘", "'")
    body = _ABBREVIATION.sub(_undot, body)
    return tuple(_TOKEN.findall(body))


def content_hash(text: str) -> str:
    """A hex digest of `normalize_text(text)`: equal for texts that differ only in what
    outlets change without editing (case, quote style, dateline, credit line)."""
    return hashlib.blake2b(normalize_text(text).encode(), digest_size=16).hexdigest()


def _undot(m: re.Match[str]) -> str:
    """ "u.s." -> "us", "e.g." -> "eg"; the match starts at the first dot of a run of single
    letters and dots, whose first letter stands before it, at the start of a word."""
    text, i = m.string, m.start()
    if i >= 1 and text[i - 1].isalpha() and (i < 2 or not text[i - 2].isalnum()):
        return m.group(0).replace(".", "")
    return m.group(0)


def _strip_dateline(first: str) -> str:
    m = _PAREN_DATELINE.match(first)
    return first[m.end() if m else provenance.dateline_end(first) :]
