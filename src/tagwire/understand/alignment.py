"""Sentence alignment, order-free: how much of two texts is the same sentences, whatever their order.

An outlet that carries agency copy and edits it hard rewrites the headline, moves paragraphs,
splits and merges them, inserts a paragraph of its own and swaps common words; its sentences
are still the agency's, one by one, with the same content words and the same figures. Another
outlet's own report of the event shares names and facts but few whole sentences, and the
sentences it does share (a quote, a statement) it gives with figures of its own.

So each sentence (at least SENTENCE_MIN_WORDS content words: stop words and one-letter words
left out) is looked for among the other text's sentences and pairs of neighbouring sentences
(a sentence split in two): it is found when SENTENCE_FOUND of its content words are in one of
them. `align` gives the share of each text's content words that stand in sentences found in
the other, and how many found sentences agree and conflict on their figures (both give numbers,
none in common): a found sentence whose figures conflict does not count as found.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final, NamedTuple

from tagwire.understand.stoplist import STOPWORDS

SENTENCE_MIN_WORDS: Final = 4
SENTENCE_FOUND: Final = 0.7
"""Share of a sentence's content words that one sentence of the other text (or two neighbouring
ones) must have for it to be found there. Chosen on bench/editing.py (seed 7), confirmed on
seed 11 (see copies.ALIGNED)."""

_SPLIT = re.compile(r"(?<=[.!?。！？])[\"'”’»)]*\s+|\n+")
_WORD = re.compile(r"\w+(?:'\w+)*")  # words as identity.tokens finds them
_DIGIT_GROUP = re.compile(r"(?<=\d)[,.](?=\d{3}\b)")  # "11,313" is one figure, "11313"


class Sentence(NamedTuple):
    words: frozenset[str]  # content words
    figures: frozenset[str]  # words with a digit


class Aligned(NamedTuple):
    """What `align` found: the share of the content words of each text (a, b) that stand in its
    sentences found in the other, and how many found sentences agree and conflict on figures."""

    found_a: float
    found_b: float
    agree: int
    conflict: int

    @property
    def most(self) -> float:
        return max(self.found_a, self.found_b)

    @property
    def least(self) -> float:
        return min(self.found_a, self.found_b)


def align(text_a: str, text_b: str) -> Aligned:
    """The two texts' sentences aligned, order-free (see the module's docstring)."""
    a, b = _indexed(text_a), _indexed(text_b)
    found_a, agree_a, conflict_a = _found(a[0], *b)
    found_b, agree_b, conflict_b = _found(b[0], *a)
    return Aligned(found_a, found_b, agree_a + agree_b, conflict_a + conflict_b)


Index = dict[str, list[int]]


LEAD_CONTENT_WORDS: Final = 30
"""A text's lead for `lead_found`: its first sentences, up to this many content words (the
sentence that reaches it included). Chosen on bench/editing.py's copies (seed 7): at 20, two
hard-edited copies of one text that open with a caption and a local paragraph share none of
it; at 40, a press release's short news paragraph reaches into its boilerplate."""


def lead_found(text_a: str, text_b: str) -> float | None:
    """The share of a text's lead (LEAD_CONTENT_WORDS) that stands in sentences found in the other
    text, the higher of the two texts'; None when a lead has under SENTENCE_MIN_WORDS words."""
    shares = [_lead_share(_indexed(x)[0], *_indexed(y)) for x, y in ((text_a, text_b), (text_b, text_a))]
    known = [s for s in shares if s is not None]
    return max(known) if len(known) == 2 else None


def _lead_share(these: tuple[Sentence, ...], others: tuple[Sentence, ...], index: Index) -> float | None:
    lead, words = [], 0
    for s in these:
        lead.append(s)
        words += len(s.words)
        if words >= LEAD_CONTENT_WORDS:
            break
    if not lead:
        return None
    found = sum(len(s.words) for s in lead if _best(s, others, index) is not None)
    return found / words


def bound(text_a: str, text_b: str) -> tuple[float, float]:
    """What `align` can find at most (found_a, found_b), cheaply: the share of each text's content
    words in sentences that have SENTENCE_FOUND of their words anywhere in the other."""
    a, b = _indexed(text_a), _indexed(text_b)
    return _bound(a[0], b[1]), _bound(b[0], a[1])


def _bound(these: tuple[Sentence, ...], vocabulary: Index) -> float:
    total = sum(len(s.words) for s in these)
    near = sum(
        len(s.words) for s in these if len(s.words & vocabulary.keys()) >= SENTENCE_FOUND * len(s.words)
    )
    return near / total if total else 0.0


@functools.lru_cache(maxsize=256)
def _indexed(text: str) -> tuple[tuple[Sentence, ...], Index]:
    """The text's sentences and where each content word stands among them (remembered: a text
    is a candidate for several articles)."""
    found = sentences(text)
    index: Index = {}
    for j, t in enumerate(found):
        for w in t.words:
            index.setdefault(w, []).append(j)
    return found, index


PROSE: Final = 0.5
"""Share of a text's words that must stand in its sentences (those of SENTENCE_MIN_WORDS content
words or more) for the text to be aligned at all (`prose`): a results table, standings or a
scoreboard is mostly rows of names and figures, which no sentence holds, and two tables of two
days or two leagues share their few header sentences only. Newsworld's texts, edited hard or
not, have 0.64 at least (bench/editing.py, seeds 7 and 11, 6,044 texts); the tables of the
CoNLL-2003 Reuters reports that sentence alignment took for copies, 0.26 at most."""


def prose(text: str) -> float:
    """The share of the text's words that stand in its sentences (see PROSE)."""
    return _read(text)[1]


def sentences(text: str) -> tuple[Sentence, ...]:
    """The sentences of a text with SENTENCE_MIN_WORDS content words or more."""
    return _read(text)[0]


@functools.lru_cache(maxsize=256)
def _read(text: str) -> tuple[tuple[Sentence, ...], float]:
    """The text's sentences and the share of its words they hold (`prose`), in one reading
    (remembered: the copy check asks for both of a candidate's text)."""
    out = []
    total = inside = 0
    for part in _SPLIT.split(_normalized(text)):
        words = _WORD.findall(part)
        total += len(words)
        content = _content(words)
        if len(content) >= SENTENCE_MIN_WORDS:
            inside += len(words)
            figures = frozenset(w for w in words if not w.isalpha() and any(c.isdigit() for c in w))
            out.append(Sentence(content, figures))
    return tuple(out), (inside / total if total else 0.0)


def _normalized(text: str) -> str:
    return _DIGIT_GROUP.sub("", unicodedata.normalize("NFKC", text).lower().replace("’", "'"))


def _content(words: list[str]) -> frozenset[str]:
    return frozenset(w for w in words if w not in STOPWORDS and len(w) > 1)


def _found(these: tuple[Sentence, ...], others: tuple[Sentence, ...], index: Index) -> tuple[float, int, int]:
    """The share of the content words of `these` in sentences found among `others` (`index`:
    where each word stands among them), and how many found sentences agree and conflict on
    figures."""
    total = sum(len(s.words) for s in these)
    if not total or not others:
        return 0.0, 0, 0
    found = agree = conflict = 0
    for s in these:
        figures = _best(s, others, index)
        if figures is None:
            continue
        if s.figures and figures:
            if not s.figures & figures:
                conflict += 1
                continue
            agree += 1
        found += len(s.words)
    return found / total, agree, conflict


def _best(s: Sentence, others: tuple[Sentence, ...], index: Index) -> frozenset[str] | None:
    """The figures of the sentence (or two neighbouring ones) of `others` where `s` is found, the
    one with most of its words; None when it is found nowhere."""
    shared: dict[int, int] = {}
    for w in s.words:
        for j in index.get(w, ()):
            shared[j] = shared.get(j, 0) + 1
    need = SENTENCE_FOUND * len(s.words)
    best, figures = 0, None
    for j, n in shared.items():
        if n >= need and n > best:
            best, figures = n, others[j].figures
        if j + 1 in shared and n + shared[j + 1] >= need:  # split in two: the words of both
            both = len(s.words & (others[j].words | others[j + 1].words))
            if both >= need and both > best:
                best, figures = both, others[j].figures | others[j + 1].figures
    return figures
