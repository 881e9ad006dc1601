"""Stories: which articles report the same event.

Each article is reduced once to `StoryFeatures`: weighted key terms (its hashtags and the
names in it weigh most, then the content words of its headline, then those of its lead) and
its publication time. Two articles are reports of one event when they are close in time and
the cosine of their term vectors, each term weighted by its rarity (an IDF the engine keeps
from the articles it has seen), reaches STORY_THRESHOLD. A new article joins the story of its
best-matching recent article, or starts its own.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, TypeVar

from tagwire.ingest.normalize import to_utc

K = TypeVar("K")

STORY_THRESHOLD: Final = 0.2
"""Time-discounted similarity from which two articles are reports of one event. Calibrated by
streaming BASIL (100 events, three outlets' own reports each) in date order with WikiRef220 as
distractors and a growing IDF: no story mixes two events from 0.18 to 0.23; B-cubed F1 is 0.98
at 0.20 and 0.96-0.97 at 0.22 (tests/test_stories.py replays it when ../shared is there)."""

DEFAULT_WINDOW: Final = timedelta(hours=72)
"""How far apart two reports of one event can be published (TAGWIRE_STORY_WINDOW_HOURS)."""

TIME_DECAY: Final = 0.3
"""Share of the similarity lost at the far edge of the window (linearly): of two related
events, the follow-up a day or two later is less likely the same story than a same-day report."""

IDF_PRIOR_DOCUMENTS: Final = 100
"""Articles without a term assumed before any is counted (see `idf_weight`)."""

HASHTAG_WEIGHT: Final = 1.0
NAME_WEIGHT: Final = 1.0
TITLE_WEIGHT: Final = 3.0
LEAD_WEIGHT: Final = 1.0
LEAD_WORDS: Final = 200

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")
_NAME = re.compile(r"(?:[A-Z][\w'’-]*[a-z][\w'’-]*|[A-Z]{2,})(?:\s+(?:[A-Z][\w'’-]*[a-z]\w*|[A-Z]{2,}))+")
#: A word no name has: run through by `_NAME` from each of its capitals, it would cost the square
#: of its length (a headline of a megabyte of capitals took hours), so `_names` blanks it first.
_OVERLONG_WORD = re.compile(r"[\w'’-]{64,}+")
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves said says say told tell according new one two three first
    last year years day days week weeks month months time times people percent mr mrs ms dr like get got
    make made many much may might must still even well back way since around across among another every
    per via yet however already later including include includes included whether monday tuesday
    wednesday thursday friday saturday sunday today yesterday tomorrow
"""
_STOPWORDS: Final = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class StoryFeatures:
    """What story matching needs of one article, built once and stored as JSON."""

    terms: dict[str, float]
    published: datetime


def features(title: str, text: str, hashtags: Sequence[str], published: datetime) -> StoryFeatures:
    """The weighted key terms of an article: its hashtags ("#petehegseth"), the names in its
    headline and lead ("pete hegseth"), and the content words of both, the headline's heavier.
    Each term's weight is 1 + ln(sum of its weighted occurrences). A naive `published` is UTC."""
    lead = " ".join(text.split()[:LEAD_WORDS])
    raw: defaultdict[str, float] = defaultdict(float)
    weighted = (
        (["#" + t.lstrip("#").lower() for t in hashtags if t.strip("# ")], HASHTAG_WEIGHT),
        (_names(title + "\n" + lead), NAME_WEIGHT),
        (content_words(title), TITLE_WEIGHT),
        (content_words(lead), LEAD_WEIGHT),
    )
    for found, weight in weighted:
        for term in found:
            raw[term] += weight
    return StoryFeatures(
        {t: round(1.0 + math.log(w), 4) for t, w in raw.items() if w >= 1.0}, to_utc(published)
    )


def content_words(text: str) -> list[str]:
    """Lower-case words of `text` without stop words, possessives and plural "s"."""
    return [w for w in (_stem(m) for m in _WORD.findall(text.lower())) if w not in _STOPWORDS and len(w) > 2]


def similarity(a: StoryFeatures, b: StoryFeatures, idf: Callable[[str], float] | None = None) -> float:
    """The cosine of the two articles' term vectors (each term times `idf(term)` if given), 0..1."""
    return Scorer(a, idf)._similarity(b)


def best_story(
    new: StoryFeatures,
    candidates: Sequence[tuple[K, StoryFeatures]],
    idf: Callable[[str], float] | None = None,
    window: timedelta = DEFAULT_WINDOW,
) -> tuple[K, float] | None:
    """The story `new` joins and the score that decided it, or None to start a story.

    `candidates` are (key, features) of recent articles, the key naming the story (the engine
    uses (story id, article id), to say which article decided). Each scores its `similarity` to
    `new`, discounted by up to TIME_DECAY as the two are further apart in time (nothing beyond
    `window`); the story of the best one joins if its score reaches STORY_THRESHOLD.
    """
    scorer, best = Scorer(new, idf, window), None
    for story_id, other in candidates:
        score = scorer.score(other)
        if score >= STORY_THRESHOLD and (best is None or score > best[1]):
            best = (story_id, score)
    return best


def discounted_similarity(
    a: StoryFeatures,
    b: StoryFeatures,
    idf: Callable[[str], float] | None = None,
    window: timedelta = DEFAULT_WINDOW,
) -> float:
    """`similarity` times 1 - TIME_DECAY * (time apart / window); 0 beyond the window."""
    return Scorer(a, idf, window).score(b)


class Scorer:
    """`discounted_similarity` of one new article to many candidates (up to hundreds in a busy
    window): the new article's weighted vector and norm are computed once, each term's IDF once,
    and a candidate sharing no term with it scores 0 without more work. Same floats, same
    order of operations as scoring each pair on its own."""

    def __init__(
        self,
        new: StoryFeatures,
        idf: Callable[[str], float] | None = None,
        window: timedelta = DEFAULT_WINDOW,
    ) -> None:
        self.new, self.window = new, window
        self.idf = functools.cache(idf) if idf is not None else None
        self.vector = _weighted(new.terms, self.idf)
        self.square = sum(w * w for w in self.vector.values())

    def score(self, other: StoryFeatures) -> float:
        gap = abs(self.new.published - other.published)
        if gap > self.window:
            return 0.0
        return self._similarity(other) * (1.0 - TIME_DECAY * (gap / self.window if self.window else 0.0))

    def _similarity(self, other: StoryFeatures) -> float:
        if self.vector.keys().isdisjoint(other.terms):
            return 0.0
        vb = _weighted(other.terms, self.idf)
        dot = sum(w * vb[t] for t, w in self.vector.items() if t in vb)
        norm = math.sqrt(self.square * sum(w * w for w in vb.values()))
        return dot / norm if norm else 0.0


def idf_weight(document_frequency: int, documents: int) -> float:
    """The rarity weight of a term found in `document_frequency` of `documents` articles.

    Smoothed, and as if IDF_PRIOR_DOCUMENTS more articles without the term had been seen: in a
    young database (ten articles, four of them on one event) the words of that event are not
    common words yet; with thousands of articles the prior no longer matters."""
    return math.log((1 + documents + IDF_PRIOR_DOCUMENTS) / (1 + document_frequency)) + 1.0


def to_json(f: StoryFeatures) -> str:
    """The features as a JSON object: {"terms": {...}, "published": ISO 8601}."""
    return json.dumps({"terms": f.terms, "published": f.published.isoformat()}, sort_keys=True)


def from_json(s: str) -> StoryFeatures:
    """Features back from `to_json`; a ValueError says what is wrong with a damaged value."""
    try:
        data = json.loads(s)
        terms = {str(k): float(v) for k, v in data["terms"].items()}
        return StoryFeatures(terms, to_utc(datetime.fromisoformat(data["published"])))
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        raise ValueError(f"not stored story features ({e.__class__.__name__}: {e}): {s[:80]!r}") from None


def _names(text: str) -> list[str]:
    """Runs of two or more capitalised words ("Pete Hegseth", "Shangri-La Dialogue"), lower-cased,
    without stop words; a longer run also gives its last two words, the name after a title
    ("Transport Minister Anders Pellow" -> "anders pellow" too). Linear in the text: words of
    64 characters or more are blanked and spaces collapsed (neither changes what a name is:
    `_NAME` joins words across any whitespace), so `_NAME` never scans far from where it starts."""
    found = []
    for m in _NAME.finditer(" ".join(_OVERLONG_WORD.sub(" ", text).split())):
        words = [w for w in m.group(0).lower().split() if w not in _STOPWORDS]
        if len(words) >= 2:
            found.append(" ".join(words))
        if len(words) >= 3:
            found.append(" ".join(words[-2:]))
    return found


def _stem(word: str) -> str:
    """A light stemmer: possessives and plurals ("ferries" -> "ferry", "hits" -> "hit")."""
    word = word.replace("’", "'").removesuffix("'s").strip("'-")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _weighted(terms: Mapping[str, float], idf: Callable[[str], float] | None) -> dict[str, float]:
    return dict(terms) if idf is None else {t: w * idf(t) for t, w in terms.items()}
