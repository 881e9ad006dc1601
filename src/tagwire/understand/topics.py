"""Topic hashtags (#Elections, #Golf, #Unemployment): the lexicon in data/topics.txt read in an
article's words.

A trigger is evidence only where it is the common word, not part of a name or of a longer word:
- "*" ends a trigger word with an ending of ENDINGS ("protest*" reads "protesters", not
  "Protestant"); "**" ends a stem with any ending at all ("cyber**": "cyberattack");
- where the text is written in sentence case, a capitalised trigger inside a sentence must be
  the whole of the name it stands in: "the Court ruled" and "Wall Street" are evidence; "State of
  the Union", "Rugby Union" or "Stormy Daniels" are not (a name's words stand for the name).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from tagwire.understand import entities

#: Weighted mentions a topic needs before it becomes a hashtag.
TOPIC_MIN_EVIDENCE = 4.0
#: Endings a "*" trigger word may take: inflections and the usual derivations.
ENDINGS = frozenset(
    [
        "s",
        "es",
        "ed",
        "d",
        "ing",
        "ings",
        "er",
        "ers",
        "r",
        "rs",
        "or",
        "ors",
        "ion",
        "ions",
        "ation",
        "ations",
        "ist",
        "ists",
        "ism",
        "isms",
        "al",
        "ally",
        "ly",
        "ment",
        "ments",
        "ive",
        "ies",
        "ied",
        "ian",
        "ians",
        "ic",
        "ics",
        "ary",
        "ster",
        "sters",
        "ship",
        "ships",
        "y",
        "ness",
        "ity",
        "ee",
        "ees",
        "ize",
        "ized",
        "izes",
        "izing",
        "ise",
        "ised",
    ]
)
#: Small words a name may hold between its capitalised words ("State of the Union").
_NAME_JOINERS = frozenset({"of", "the", "de", "du", "la", "and", "&", "for"})
_SENTENCE_END = frozenset('.!?:;"“”‘(\n')

Trigger = tuple[tuple[str, int], ...]  # words, each (text, 0 exact | 1 inflected | 2 any ending)
_WORD = re.compile(r"[a-z0-9&]+(?:'[a-z0-9]+)*", re.I)


@dataclass(frozen=True)
class TopicLexicon:
    """data/topics.txt as lookup tables: triggers by their exact first word and by the prefix a
    wildcard first word gives ("cyber**"), the prefix lengths to try, and the triggers each word
    seen so far can start (the vocabulary repeats, so most words cost one lookup)."""

    exact: dict[str, list[tuple[Trigger, str]]]
    prefix: dict[str, list[tuple[Trigger, str]]]
    lengths: tuple[int, ...]
    seen: dict[str, list[tuple[Trigger, str]]] = field(default_factory=dict)

    def find(
        self, text: str, skip: frozenset[str] = frozenset(), cased: bool = True
    ) -> Iterator[tuple[str, int]]:
        """(topic, offset) for each trigger in `text`, longest first, not overlapping; the
        words in `skip` (as written: "Rice", not "rice") are no evidence, nor, where the text is
        `cased` (sentence case), a trigger inside a longer name."""
        found = list(_WORD.finditer(text.replace("’", "'")))
        words, i = [("" if m.group() in skip else m.group().lower()) for m in found], 0
        while i < len(words):
            best = None
            for trigger, tag in self.starting(words[i]):
                if _matches(trigger, words, i) and (best is None or len(trigger) > best[1]):
                    best = tag, len(trigger)
            if best is not None and not (cased and in_longer_name(text, found, i, i + best[1])):
                yield best[0], found[i].start()
            i += best[1] if best else 1

    def starting(self, word: str) -> list[tuple[Trigger, str]]:
        """The triggers that can start with `word`."""
        cands = self.seen.get(word)
        if cands is None:
            cands = list(self.exact.get(word, ()))
            for k in self.lengths:
                cands += self.prefix.get(word[:k], ()) if k <= len(word) else ()
            if len(self.seen) < 200_000:
                self.seen[word] = cands
        return cands


def _matches(trigger: Trigger, words: list[str], i: int) -> bool:
    if i + len(trigger) > len(words):
        return False
    for k, (t, kind) in enumerate(trigger):
        word = words[i + k]
        if word != t and (kind == 0 or not _inflected(word, t, kind)):
            return False
    return True


def _inflected(word: str, t: str, kind: int) -> bool:
    """Whether `word` is trigger word `t` with an ending its wildcard (`kind` 1 or 2) allows."""
    if not word.startswith(t):
        return False
    rest = word[len(t) :]
    if kind == 2 or rest in ENDINGS:
        return True
    return rest[:1] == t[-1:] and rest[1:] in ENDINGS  # a doubled consonant: "kidnapped"


def _capitalised(m: re.Match[str]) -> bool:
    return m.group()[:1].isupper()


def _opens_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t")
    return not before or before[-1] in _SENTENCE_END or before.endswith(("--", " -", "—", "–"))


def in_longer_name(text: str, found: list[re.Match[str]], i: int, j: int) -> bool:
    """Whether words i..j-1 of `text`, some capitalised (not all-caps), stand in a longer Title
    Case name: a capitalised word right before or after them, across "of the" ("State of the
    Union"), not across punctuation; a word before counts unless it opens the sentence."""
    if not any(_capitalised(found[k]) and not found[k].group().isupper() for k in range(i, j)):
        return False
    return _neighbour_name(text, found, i, -1) or _neighbour_name(text, found, j - 1, 1)


def _neighbour_name(text: str, found: list[re.Match[str]], k: int, step: int) -> bool:
    """Whether a capitalised word goes on from word k in direction `step` (-1 back, 1 on)."""
    n = k + step
    while 0 <= n < len(found) and found[n].group().lower() in _NAME_JOINERS and not _capitalised(found[n]):
        n += step
    if not 0 <= n < len(found) or not _capitalised(found[n]):
        return False
    lo, hi = (found[k].end(), found[n].start()) if step > 0 else (found[n].end(), found[k].start())
    if any(c in _SENTENCE_END or c == "," for c in text[lo:hi]):
        return False
    return step > 0 or not _opens_sentence(text, found[n].start())


def _trigger(text: str) -> Trigger:
    words = [w for w in re.split(r"[\s-]+", text.lower().replace("’", "'")) if w]
    return tuple((w.rstrip("*").rstrip("."), len(w) - len(w.rstrip("*"))) for w in words)


@functools.cache
def topic_lexicon() -> TopicLexicon:
    """Load data/topics.txt once per process."""
    exact: dict[str, list[tuple[Trigger, str]]] = {}
    prefix: dict[str, list[tuple[Trigger, str]]] = {}
    for line in entities.data_lines("topics.txt"):
        tag, triggers = (part.strip() for part in line.split(":", 1))
        for trig in (_trigger(t) for t in triggers.split(",") if t.strip()):
            (prefix if trig[0][1] else exact).setdefault(trig[0][0], []).append((trig, tag))
    return TopicLexicon(exact, prefix, tuple(sorted({len(p) for p in prefix})))


def topic_scores(
    title: str,
    body: str,
    skip: frozenset[str] = frozenset(),
    weight: Callable[[int], float] | None = None,
) -> dict[str, float]:
    """Each topic's weighted evidence, for topics with enough of it: at least
    TOPIC_MIN_EVIDENCE, more in long articles, from two mentions or more. `weight` gives what a
    mention at an offset of the body counts (-1: the headline); by default 6 in the headline, 2
    in the first 300 characters, else 1. The words in `skip` (people's names) are not read. A
    headline in Title Case or capitals carries no case, so is read without the name rule."""
    weigh = weight or _default_weight
    lex = topic_lexicon()
    evidence: dict[str, float] = {}
    count: dict[str, int] = {}
    title_cased = not (title.isupper() or entities.is_title_case(title))
    for where, text, cased in ((-1, title, title_cased), (0, body, True)):
        for tag, at in lex.find(text, skip, cased):
            evidence[tag] = evidence.get(tag, 0.0) + weigh(where if where < 0 else at)
            count[tag] = count.get(tag, 0) + 1
    need = max(TOPIC_MIN_EVIDENCE, body.count(" ") / 150)
    return {t: e for t, e in evidence.items() if e >= need and count[t] >= 2}


def _default_weight(at: int) -> float:
    return 6.0 if at < 0 else 2.0 if at < 300 else 1.0
