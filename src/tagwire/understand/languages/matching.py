"""Stories across languages: story features of an article in another language, and which story
it joins.

An article not in English carries a marker among its story terms (`MARKER` and `MARKER` + its
language), which scoring leaves out. Within one language, articles are scored as English ones
are (stories.best_story, on the words of that language: Japanese ones as the tokenizer cuts
them). Across languages words are not shared, but hashtags are (#GenNakatani in every language):
a report joins a story in another language when the cosine of their hashtags, each weighted by
its rarity, reaches CROSS_THRESHOLD and they share a name that is not a place (two reports that
both name Japan and the United States need not be about one event). A report always prefers a
story of its own language that it matches. English articles among English ones are decided
exactly as before: the cross-language pass only runs when a candidate is in another language.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import timedelta
from typing import Final, Generic, TypeVar

from tagwire.understand import stories
from tagwire.understand.languages import aliases
from tagwire.understand.languages.numbers import numbers

K = TypeVar("K")

MARKER: Final = "@other"
"""A story term of every article not in English (and MARKER + ":" + its language)."""

CROSS_THRESHOLD: Final = 0.3
"""Time-discounted cosine of two reports' hashtags (IDF-weighted) from which reports in two
languages can be one story. On tests/fixtures/multilingual/calibration.jsonl, pairs of one event
that share a name score 0.48-1.00 and pairs of two events that share a name 0.25-0.76: the score
alone does not tell them apart, the evidence does (`across`: two names that are not places, or
one and a number, within CROSS_WINDOW). 0.3 is below every same-event pair with that evidence.
Same-story pairs, calibration: precision 1.00, recall 0.79 (the miss: 花蓮 is read "Karen", not
"Hualien"); confirmed on confirmation.jsonl: 1.00 and 1.00 (bench/multilingual_pairs.py)."""


CROSS_WINDOW: Final = timedelta(hours=12)
"""How far apart in time reports in two languages can join: translations and agency versions of
one event come within hours; a day later the same names are as often a new event."""

WORDS_WEAK: Final = frozenset({"ja", "zh", "ko"})
"""Languages whose words alone are weak evidence of one story: a Japanese headline is dense with
nouns (関税, 協議), so two reports of two events share more of them than English ones would."""

SAME_WORDS_ALONE: Final = 0.4
"""Within one language other than English, the words' score from which reports are one story
without a shared name (see `_agree`); chosen with CROSS_THRESHOLD."""


def marked(terms: dict[str, float], language: str) -> dict[str, float]:
    """`terms` with the language's markers."""
    return {**terms, MARKER: 1.0, f"{MARKER}:{language}": 1.0}


def language_of(terms: Mapping[str, float]) -> str:
    if MARKER not in terms:
        return "en"
    return next((t[len(MARKER) + 1 :] for t in terms if t.startswith(MARKER + ":")), "other")


def choose(
    new: stories.StoryFeatures,
    candidates: Sequence[tuple[K, stories.StoryFeatures]],
    idf: Callable[[str], float] | None = None,
    window: timedelta = stories.DEFAULT_WINDOW,
    text: str = "",
    text_of: Callable[[K], str | None] | None = None,
    story_of: Callable[[K], Hashable] | None = None,
) -> stories.Decision[K]:
    """stories.choose across languages (see the module's docstring); `text` is the new article's
    and `text_of(key)` a candidate's, for the numbers they give. The nearest candidates (where
    the engine looks for edited copies) are those of the article's own language."""
    mine = language_of(new.terms)
    if mine == "en" and all(MARKER not in f.terms for _, f in candidates):
        return stories.choose(new, candidates, idf, window, story_of)  # English among English: as ever
    same = [(k, _plain(f)) for k, f in candidates if language_of(f.terms) == mine]
    within = stories.choose(_plain(new), same, idf, window, story_of)
    best = within.best
    if best is not None and (mine not in WORDS_WEAK or _agree(new, dict(same)[best.key], best.score)):
        return within
    others = [(k, f) for k, f in candidates if language_of(f.terms) != mine]
    evidence = Evidence(text, text_of)
    found = across(new, others, idf, window, evidence)
    if found is not None:
        key, score = found
        reason = f"in another language: hashtags score {score:.3f} (from {CROSS_THRESHOLD}), names shared"
        return stories.Decision(stories.StoryChoice(key, score, reason), "", within.nearest)
    if best is None:
        return stories.Decision(None, within.why, within.nearest)
    why = f"its words match a story of its language ({best.score:.3f}) but it shares no name that is no place"
    return stories.Decision(None, why, within.nearest)


def _agree(new: stories.StoryFeatures, other: stories.StoryFeatures, score: float) -> bool:
    """Whether two reports in one language other than English that match by their words also
    agree on a name that is not a place, or match by their words far beyond the threshold: the
    words of short headlines in a language read without a model ("tariffs", "talks") are weaker
    evidence than they are in English."""
    places = {"#" + p.lower() for p in aliases.places()}
    shared = {t for t in new.terms if t.startswith("#")} & other.terms.keys()
    return bool(shared - places) or score >= SAME_WORDS_ALONE


class Evidence(Generic[K]):
    """The numbers of the new article and of candidates (read from their texts when needed)."""

    def __init__(self, text: str, text_of: Callable[[K], str | None] | None) -> None:
        self.text, self.text_of = text, text_of

    @functools.cached_property
    def mine(self) -> frozenset[str]:
        return numbers(self.text)

    def shared(self, key: K) -> bool:
        """Whether the candidate `key` gives a telling number the new article gives too."""
        other = self.text_of(key) if self.text_of is not None and self.mine else None
        return bool(other) and not self.mine.isdisjoint(numbers(other or ""))


def across(
    new: stories.StoryFeatures,
    candidates: Sequence[tuple[K, stories.StoryFeatures]],
    idf: Callable[[str], float] | None = None,
    window: timedelta = stories.DEFAULT_WINDOW,
    evidence: Evidence[K] | None = None,
) -> tuple[K, float] | None:
    """The best candidate by hashtags, if it reaches CROSS_THRESHOLD within CROSS_WINDOW and the
    evidence agrees: two names shared that are not places, or one and a number."""
    best: tuple[K, float] | None = None
    mine = _tags(new.terms, idf)
    places = {"#" + p.lower() for p in aliases.places()}
    for key, other in candidates:
        if abs(new.published - other.published) > CROSS_WINDOW:
            continue
        theirs = _tags(other.terms, idf)
        names = len((mine.keys() & theirs.keys()) - places)
        if names < 2 and not (names == 1 and evidence is not None and evidence.shared(key)):
            continue
        score = cross_score(mine, theirs, new, other, window)
        if score >= CROSS_THRESHOLD and (best is None or score > best[1]):
            best = (key, score)
    return best


def cross_score(
    a: dict[str, float],
    b: dict[str, float],
    fa: stories.StoryFeatures,
    fb: stories.StoryFeatures,
    window: timedelta = stories.DEFAULT_WINDOW,
) -> float:
    """Time-discounted cosine of two hashtag vectors; 0 unless they share a tag that is no place."""
    gap = abs(fa.published - fb.published)
    shared = a.keys() & b.keys()
    places = {"#" + p.lower() for p in aliases.places()}
    if gap > window or not shared - places:
        return 0.0
    dot = sum(a[t] * b[t] for t in shared)
    norm = math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))
    cosine = dot / norm if norm else 0.0
    return cosine * (1.0 - stories.TIME_DECAY * (gap / window if window else 0.0))


def _tags(terms: Mapping[str, float], idf: Callable[[str], float] | None) -> dict[str, float]:
    return {t: w * (idf(t) if idf else 1.0) for t, w in terms.items() if t.startswith("#")}


def _plain(f: stories.StoryFeatures) -> stories.StoryFeatures:
    terms = {t: w for t, w in f.terms.items() if not t.startswith(MARKER)}
    return dataclasses.replace(f, terms=terms)
