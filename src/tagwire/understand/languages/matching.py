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

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Final, TypeVar

from tagwire.understand import stories
from tagwire.understand.languages import aliases

K = TypeVar("K")

MARKER: Final = "@other"
"""A story term of every article not in English (and MARKER + ":" + its language)."""

CROSS_THRESHOLD: Final = 0.3
"""Time-discounted cosine of two reports' hashtags (IDF-weighted) from which reports in two
languages are one story. Chosen on tests/fixtures/multilingual/calibration.jsonl (meeting pairs
0.42-0.78, unrelated pairs sharing a tag at most 0.21), confirmed on confirmation.jsonl
(README: Languages)."""


def marked(terms: dict[str, float], language: str) -> dict[str, float]:
    """`terms` with the language's markers."""
    return {**terms, MARKER: 1.0, f"{MARKER}:{language}": 1.0}


def language_of(terms: Mapping[str, float]) -> str:
    if MARKER not in terms:
        return "en"
    return next((t[len(MARKER) + 1 :] for t in terms if t.startswith(MARKER + ":")), "other")


def best_story(
    new: stories.StoryFeatures,
    candidates: Sequence[tuple[K, stories.StoryFeatures]],
    idf: Callable[[str], float] | None = None,
    window: timedelta = stories.DEFAULT_WINDOW,
) -> tuple[K, float] | None:
    """stories.best_story across languages (see the module's docstring)."""
    mine = language_of(new.terms)
    if mine == "en" and all(MARKER not in f.terms for _, f in candidates):
        return stories.best_story(new, candidates, idf, window)  # English among English: as ever
    same = [(k, _plain(f)) for k, f in candidates if language_of(f.terms) == mine]
    best = stories.best_story(_plain(new), same, idf, window)
    if best is not None:
        return best
    others = [(k, f) for k, f in candidates if language_of(f.terms) != mine]
    return across(new, others, idf, window)


def across(
    new: stories.StoryFeatures,
    candidates: Sequence[tuple[K, stories.StoryFeatures]],
    idf: Callable[[str], float] | None = None,
    window: timedelta = stories.DEFAULT_WINDOW,
) -> tuple[K, float] | None:
    """The best candidate by hashtags alone, if it reaches CROSS_THRESHOLD."""
    best: tuple[K, float] | None = None
    mine = _tags(new.terms, idf)
    for key, other in candidates:
        score = cross_score(mine, _tags(other.terms, idf), new, other, window)
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
    return stories.StoryFeatures({t: w for t, w in f.terms.items() if not t.startswith(MARKER)}, f.published)
