"""One template, two events: texts that are the same words with other names and figures.

Results tables ("Pohang 3 Ulsan 2 ... Standings after games played on Thursday"), earthquake
bulletins ("A magnitude 4.6 earthquake struck 12 miles from Ridgecrest..."), market closes and
scoreboards are written from a template: two of them share nearly every word, so they look like
one text carried twice, yet each tells of its own event. An outlet that carries a text edits it
otherwise: it swaps common words ("said" for "stated"), moves, splits and inserts paragraphs,
and keeps the text's names and figures.

So the two texts' words are aligned in order (rapidfuzz's Levenshtein opcodes) and each *swap*
is listed: up to SWAP_WORDS words of one text standing, between agreeing words, where other
words stand in the other. A swap of *facts* gives a figure or a name on both sides ("3" for
"2", "thursday" for "sunday", "pohang" for "puchon"). Two texts are one template filled twice
when at least TEMPLATE_FACTS distinct facts are swapped, they are at least TEMPLATE_SHARE of
the distinct swaps, and there is one in every 1 / TEMPLATE_DENSITY words of the shorter text
(a template's facts stand all through it). A name here is a word the texts write capitalised
inside a sentence and never in lower case; a figure, a word with a digit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, NamedTuple

from rapidfuzz.distance import Levenshtein, Opcodes

from tagwire.understand.identity import cached_tokens

TEMPLATE_FACTS: Final = 3
"""Distinct swapped facts from which two texts are one template filled twice. Chosen on the
copies tagwire found among the 1,358 CoNLL-2003 Reuters reports of 1996 (judged by hand: the 10
real copies swap at most one fact; 17 of the 24 results tables, scoreboards and standings taken
for copies swap 3 or more, 19 swap 2), and checked on bench/editing.py's copies (seed 7, seed 11
`--profile harder`: of 1,288 copies edited hard, none swaps 3 facts with its original at the
share below; of 2,071 pairs of copies of one text, one does, see TEMPLATE_DENSITY). 2 would take
an updated report (a new toll and a new day) for another event."""
TEMPLATE_SHARE: Final = 0.5
"""Share of the distinct swaps that must be swaps of facts (see TEMPLATE_FACTS): the Reuters
tables swap facts in 0.57 to 1.0 of their swaps, bench/editing.py's edited copies against their
originals below 0.3 (an editor's swaps are common words)."""
TEMPLATE_DENSITY: Final = 0.01
"""Distinct swapped facts a word of the shorter text (see TEMPLATE_FACTS): the Reuters tables
taken for copies have 0.016 to 0.14; two copies of one text edited hard (bench/editing.py, seed 7
and seed 11 `--profile harder`, 2,071 pairs of copies and originals), whose reordered sentences
may align crosswise (one index's close against another's), 0.006 at most. Chosen and confirmed
on those two corpora only: no third one of templates was at hand (the tests' are invented)."""
SWAP_WORDS: Final = 3

_NAME = re.compile(r"(?<=[a-z0-9,;)] )[A-Z][\w'’-]*")  # capitalised inside a sentence
_LOWER = re.compile(r"\b[a-z][\w'’-]*")


class Swaps(NamedTuple):
    facts: int  # distinct swaps of a fact for a fact
    swaps: int  # distinct swaps
    words: int  # words of the shorter text

    @property
    def template(self) -> bool:
        """Whether the two texts are one template filled with two events' facts."""
        return (
            self.facts >= TEMPLATE_FACTS
            and self.facts >= TEMPLATE_SHARE * self.swaps
            and self.facts >= TEMPLATE_DENSITY * self.words
        )


def swaps(text_a: str, text_b: str) -> Swaps:
    """The distinct swaps between the two texts' words in order, and how many swap facts."""
    a, b = cached_tokens(text_a), cached_tokens(text_b)
    names = _names(f"{text_a}\n{text_b}")
    ops = Levenshtein.opcodes(a, b)
    found: set[tuple[Sequence[str], Sequence[str]]] = set()
    facts = 0
    for k, op in enumerate(ops):
        if op.tag != "replace" or not _between_agreeing(ops, k):
            continue
        mine, theirs = a[op.src_start : op.src_end], b[op.dest_start : op.dest_end]
        if len(mine) > SWAP_WORDS or len(theirs) > SWAP_WORDS or (mine, theirs) in found:
            continue
        found.add((mine, theirs))
        facts += _fact(mine, names) and _fact(theirs, names)
    return Swaps(facts, len(found), min(len(a), len(b)))


def _between_agreeing(ops: Opcodes, k: int) -> bool:
    """Whether opcode k stands between agreeing words (or a text's edge) on both sides."""
    return (k == 0 or ops[k - 1].tag == "equal") and (k == len(ops) - 1 or ops[k + 1].tag == "equal")


def _fact(words: Sequence[str], names: frozenset[str]) -> bool:
    return any(w in names or any(c.isdigit() for c in w) for w in words)


def _names(text: str) -> frozenset[str]:
    """Words capitalised inside a sentence and never written in lower case, in lower case."""
    return frozenset(w.lower() for w in _NAME.findall(text)) - set(_LOWER.findall(text))
