"""Stories: which articles report the same event.

Each article is reduced once to `StoryFeatures`: weighted key terms (its hashtags and the
names in it weigh most, then the content words of its headline, then those of its lead) and
its publication time. Two articles are reports of one event when they are close in time and
the cosine of their term vectors, each term weighted by its rarity (an IDF the engine keeps
from the articles it has seen), is high. A new article joins the story whose recent members it
is most similar to on average (from STORY_THRESHOLD) and with which it shares enough names,
places and numbers (`marks`, see evidence.py; EVIDENCE_THRESHOLD), or starts its own; `choose`
says why, in words (docs/stories.md). A member whose lead dates the event on another day counts
a little less (CONFLICT_THRESHOLD), one that counts a thing with other figures (another score,
another stage's kilometres: `evidence.disagree`) a quarter (FIGURES_FACTOR), and a story
with one candidate report (the only one in the window sharing a tag: most often a story of one
report) told of another day whose lead says little of what the new report's says (`lead_similarity`)
less again (LEAD_FACTOR), and one told of another place (`places.apart`: two shootings in two
states) half (PLACES_FACTOR).
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final, Generic, NamedTuple, TypeVar

from tagwire.ingest.normalize import to_utc
from tagwire.understand import evidence, places, when
from tagwire.understand.places import Located, Regions
from tagwire.understand.stoplist import STOPWORDS

K = TypeVar("K")

STORY_THRESHOLD: Final = 0.19
"""Time-discounted similarity from which two articles are reports of one event. Calibrated by
streaming BASIL (100 events, three outlets' own reports each) in date order with WikiRef220 as
distractors and a growing IDF: no story mixes two events from 0.18 to 0.23; B-cubed F1 is 0.98
at 0.20 and 0.96-0.97 at 0.22 (tests/test_stories.py replays it when ../shared is there).
Since issue 12 it applies to the average over a story's recent members (see `best_story`);
the same replay with every article published on one day (look-alike events side by side) chose
0.20 again, confirmed on the invented look-alikes of tests/test_lookalike.py."""

CONFLICT_THRESHOLD: Final = 0.20
"""The score a report needs to join another when their leads date the event on different days
(`when.relation` "conflict"), where STORY_THRESHOLD holds otherwise: two events of one saga
(same people, same place) are mostly told on different days. Applied as a factor on the
member's score (STORY_THRESHOLD / this), so that a story's average mixes members of each kind.
Chosen on the BASIL pairs (each pair alone in its month: the highest that keeps every same-event
pair BASIL's floor needs), confirmed on hand-paired Reuters reports of 1996; stronger settings
cost the streamed BASIL's recall (docs/stories.md)."""

FIGURES_FACTOR: Final = 0.25
"""What a member's score counts for when the two reports count things with other figures
(`evidence.disagree`: another score, another race distance, another stage's kilometres, more
of them than the things counted alike), as the reports of two matches of one league or two
stages of one race do: a report then needs four times the score, which only a near copy has.
Chosen on the hand-paired Reuters reports (0.25 and below part all 6 different-event pairs that
disagree, 0.35-0.5 five; no pair of one event disagrees), confirmed on BASIL's own reports (none
of one event disagree, paired or streamed), newsworld seed 7 (B-cubed P 0.9421 -> 0.9424, R kept) and
the invented stages and matches of tests/test_story_figures.py (0.5 parts neither)."""

LEAD_WORDS_READ: Final = 45
"""Words of the text whose content words, with the headline's, are a report's lead terms
(`lead_similarity`): the lead that says what happened, as when.LEAD_WORDS reads its day."""

LEAD_AGREEMENT: Final = 0.15
"""Lead similarity (`lead_similarity`: the IDF-weighted cosine of two reports' headline and lead
words) under which two leads tell of something else. See LEAD_FACTOR for where it was chosen."""

APART: Final = timedelta(hours=12)
"""Two reports published this far apart tell of different days for the lead rule (a gap, not
the calendar: two reports twenty minutes apart across midnight UTC are of one day)."""

LEAD_FACTOR: Final = 0.7
"""What the score of a story's one candidate report counts for when its report and the new one tell of
different days (`_leads_compared`) and their leads have less than LEAD_AGREEMENT in common: two
happenings of one saga or of the same people (a visit and a strike, two days of one crisis)
share the names and words of their texts more than those of their leads. Chosen on the
hand-paired Reuters reports, each pair alone in its month: 0.15 and 0.7 part 5 of the 47
different-event pairs merged and no same-event pair (0.1: 2; 0.2: 7, but BASIL's look-alikes
then lose reports of their events, F1 0.952 -> 0.950; 0.25: 14, but the streamed BASIL loses
its floor, F1 0.975). Confirmed on BASIL streamed and on one day (unchanged), the BASIL pairs
(unchanged) and newsworld seeds 7 and 11 (B-cubed precision 0.942 -> 0.949 and 0.940 -> 0.946,
recall kept; docs/stories.md), and tests/test_story_leads.py."""

PLACES_FACTOR: Final = 0.5
"""What a member's score counts for when the two reports tell of different places
(`places.apart`: each names where its event is, and neither names the other's place or one
compatible with it anywhere): two shootings in two states, two earthquakes in two countries. A
report then needs twice the score. Chosen on BASIL with every report on one day (look-alikes
side by side: 0.3, 0.5 and 0.7 part the same reports, 0.5 the middle), confirmed on BASIL
streamed and paired, the hand-paired Reuters reports and tests/test_story_places.py
(docs/stories.md, fifth pass)."""


EVIDENCE_THRESHOLD: Final = 5.0
"""Weight of shared marks (names, places, numbers; `evidence.shared`, a sum of IDFs) a story
match needs: topic words alone never join two reports; and so much again without the countries
and states they name (`_beyond_regions`): a country alone never joins two reports either. See
docs/stories.md for where it was chosen and confirmed (the countries: issue 12, seventh pass)."""

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
_STOPWORDS: Final = STOPWORDS


@dataclass(frozen=True)
class StoryFeatures:
    """What story matching needs of one article, built once and stored as JSON: its weighted
    terms, its publication time, and its `marks` (see `marks`), the evidence of which event."""

    terms: dict[str, float]
    published: datetime
    marks: frozenset[str] | None = None  # None: stored before marks were kept (issue 12)
    day: str | None = None  # when.event_day; None: not sought (stored before, other languages)
    figures: frozenset[str] | None = None  # evidence.figures; None: stored before they were kept
    lead: dict[str, float] | None = None  # lead_terms; None: stored before they were kept
    where: Mapping[str, Regions] | None = None  # places.resolved; None: not kept then
    places: Mapping[str, Regions] | None = None  # every place named, `where` too
    located: tuple[Located, Located] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """`where` and `places` indexed once (`places.located`): candidates are compared with
        report after report."""
        found = None
        if self.where is not None and self.places is not None:
            found = (places.located(self.where), places.located(self.places))
        object.__setattr__(self, "located", found)

    def counted(self) -> list[str]:
        """What the engine counts document frequencies of: the terms and the marks."""
        return [*self.terms, *(self.marks or ())]


def features(
    title: str,
    text: str,
    hashtags: Sequence[str],
    published: datetime,
    where: Mapping[str, Regions] | None = None,
    named: Mapping[str, Regions] | None = None,
) -> StoryFeatures:
    """The weighted key terms of an article: its hashtags ("#petehegseth"), the names in its
    headline and lead ("pete hegseth"), and the content words of both, the headline's heavier.
    Each term's weight is 1 + ln(sum of its weighted occurrences). A naive `published` is UTC.
    `where` and `named` (`places.resolved`) are where its event is and every place it names."""
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
        {t: round(1.0 + math.log(w), 4) for t, w in raw.items() if w >= 1.0},
        to_utc(published),
        evidence.marks(lead if evidence.title_case(title) else title + "\n" + lead),
        when.event_day(text, published),
        evidence.figures(title, lead),  # its first FIGURE_WORDS words are the text's
        lead_terms(title, text),
        where,
        named,
    )


def lead_terms(title: str, text: str) -> dict[str, float]:
    """The content words of the headline and the first LEAD_WORDS_READ words of the text, each
    weighted 1 + ln(its occurrences)."""
    found: defaultdict[str, int] = defaultdict(int)
    for w in content_words(title + "\n" + " ".join(text.split(maxsplit=LEAD_WORDS_READ)[:LEAD_WORDS_READ])):
        found[w] += 1
    return {w: round(1.0 + math.log(n), 4) for w, n in sorted(found.items())}


def lead_similarity(
    a: StoryFeatures, b: StoryFeatures, idf: Callable[[str], float] | None = None
) -> float | None:
    """The cosine of two reports' `lead_terms`, each term times `idf(term)` if given; None when
    either has none kept (features stored before they were)."""
    if not a.lead or not b.lead:
        return None
    va = _weighted(a.lead, idf)
    return _weighted_cosine(va, sum(w * w for w in va.values()), b.lead, idf)


def _cosine(va: Mapping[str, float], square_a: float, vb: Mapping[str, float]) -> float:
    """The cosine of two weighted term vectors (`square_a`: the first's squared norm, which a
    Scorer computes once for all the candidates it is compared with)."""
    dot = sum(w * vb[t] for t, w in va.items() if t in vb)
    norm = math.sqrt(square_a * sum(w * w for w in vb.values()))
    return dot / norm if norm else 0.0


def _weighted_cosine(
    va: Mapping[str, float], square_a: float, terms: Mapping[str, float], idf: Callable[[str], float] | None
) -> float:
    """`_cosine(va, square_a, _weighted(terms, idf))` without building the second vector (a
    story's candidates are scored by the hundred thousand): the same products, summed in the same
    order, so the same float."""
    if idf is None:
        return _cosine(va, square_a, terms)
    dot = sum(w * (terms[t] * idf(t)) for t, w in va.items() if t in terms)
    norm = math.sqrt(square_a * sum(x * x for x in (w * idf(t) for t, w in terms.items())))
    return dot / norm if norm else 0.0


def content_words(text: str) -> list[str]:
    """Lower-case words of `text` without stop words, possessives and plural "s"."""
    return [w for w in (_stem(m) for m in _WORD.findall(text.lower())) if w not in _STOPWORDS and len(w) > 2]


def similarity(a: StoryFeatures, b: StoryFeatures, idf: Callable[[str], float] | None = None) -> float:
    """The cosine of the two articles' term vectors (each term times `idf(term)` if given), 0..1."""
    return Scorer(a, idf)._similarity(b)


class Decision(NamedTuple, Generic[K]):
    """What `choose` found: the story chosen (or None), why none was (or ""), and the keys of
    the NEAREST candidates that scored highest, from STORY_THRESHOLD, best first (reports of the
    same event, where the engine looks for copies edited too hard for their signatures to meet)."""

    best: StoryChoice[K] | None
    why: str
    nearest: list[K]


NEAREST: Final = 3


class StoryChoice(NamedTuple, Generic[K]):
    """The story chosen: `key` of its member that scored best, the `score` that decided it (the
    average over the story's members), and the `reason`, in words."""

    key: K
    score: float
    reason: str


def best_story(
    new: StoryFeatures,
    candidates: Sequence[tuple[K, StoryFeatures]],
    idf: Callable[[str], float] | None = None,
    window: timedelta = DEFAULT_WINDOW,
    story_of: Callable[[K], Hashable] | None = None,
) -> StoryChoice[K] | None:
    """The story `new` joins, or None to start a story.

    `candidates` are (key, features) of recent articles; `story_of(key)` names the story of
    each (the key itself by default; the engine's keys are (story id, article id)). Each scores
    its `discounted_similarity` to `new`. A story scores the average over its members (average
    linkage: a report like one member but unlike the rest is not of its event, where the best
    single member chained look-alike events together), and may be joined when that reaches
    STORY_THRESHOLD and the marks `new` shares with its members weigh EVIDENCE_THRESHOLD; the
    best such story wins.
    """
    return choose(new, candidates, idf, window, story_of).best


def choose(
    new: StoryFeatures,
    candidates: Sequence[tuple[K, StoryFeatures]],
    idf: Callable[[str], float] | None = None,
    window: timedelta = DEFAULT_WINDOW,
    story_of: Callable[[K], Hashable] | None = None,
) -> Decision[K]:
    """`best_story`; when it is None, why `new` starts a story of its own, in words; and the
    NEAREST candidates."""
    scorer, weigh = Scorer(new, idf, window), idf if idf is not None else _flat
    best: StoryChoice[K] | None = None
    closest, why = 0.0, "no recent article shares a hashtag with it"
    ranked: list[tuple[float, int, K]] = []
    for members in _grouped(candidates, story_of).values():
        raw = [(scorer.score(f), key, f) for key, f in members]
        ranked += [
            (score, len(ranked) + n, key) for n, (score, key, _) in enumerate(raw) if score >= STORY_THRESHOLD
        ]
        scored = _scored(new, raw, scorer.idf)
        average = _linkage([s for s, _, _, _ in scored])
        top = max(scored, key=lambda x: x[0])
        if best is None and average >= closest:
            closest = average
            why = f"the closest story scores {average:.3f} on average, under {STORY_THRESHOLD}" + _days(
                new, top[2], top[3]
            )
        if average < STORY_THRESHOLD or (best is not None and average <= best.score):
            continue
        weight, beyond, common = _evidence(new, [f for _, _, f, _ in scored], weigh)
        if min(weight, beyond) >= EVIDENCE_THRESHOLD:
            best = StoryChoice(
                top[1], average, _reason(average, len(scored), weight, common) + _days(new, top[2], top[3])
            )
        elif average >= closest:
            why = (
                f"the closest story scores {average:.3f} on average but shares "
                + (
                    f"names, places and numbers of weight {weight:.1f} only, under {EVIDENCE_THRESHOLD}"
                    if weight < EVIDENCE_THRESHOLD
                    else f"{beyond:.1f} only beyond countries and states, under {EVIDENCE_THRESHOLD}"
                )
                + f" ({_listed(common)})"
            )
    nearest = [key for _, _, key in sorted(ranked, key=lambda x: (-x[0], x[1]))[:NEAREST]]
    return Decision(best, "" if best is not None else why, nearest)


def _scored(
    new: StoryFeatures, raw: Sequence[tuple[float, K, StoryFeatures]], idf: Callable[[str], float] | None
) -> list[tuple[float, K, StoryFeatures, float | None]]:
    """Each member's score as it counts (`_factor`), with its `lead_similarity` to `new` when the
    story has one candidate report, whose leads are compared (`_leads_compared`), else None; read only
    when the score reaches STORY_THRESHOLD without it (the leads can only lower it)."""
    scored = [(score * _factor(new, f), key, f) for score, key, f in raw]
    if len(scored) != 1 or scored[0][0] < STORY_THRESHOLD or not _leads_compared(new, scored[0][2]):
        return [(s, key, f, None) for s, key, f in scored]
    (score, key, f), lead = scored[0], lead_similarity(new, scored[0][2], idf)
    return [(score * _lead_factor(lead), key, f, lead)]


def _leads_compared(new: StoryFeatures, member: StoryFeatures) -> bool:
    """Whether the leads of `new` and a story's one candidate report tell of one happening is asked when
    the two tell of different days: their leads date the event on different days, or they were
    published APART or more apart and their leads do not date it on one. Reports of one day (and
    reports of one event told from other angles on one day: the reaction, the analysis) are
    left to the score and the evidence, and so are stories with several candidate reports
    (their average is evidence enough)."""
    relation = when.relation(new.day, member.day)
    if relation == "agree":
        return False
    return relation == "conflict" or abs(new.published - member.published) >= APART


def _lead_factor(similar: float | None) -> float:
    """LEAD_FACTOR when two leads have less than LEAD_AGREEMENT in common (1 when not read)."""
    return LEAD_FACTOR if similar is not None and similar < LEAD_AGREEMENT else 1.0


def _factor(new: StoryFeatures, member: StoryFeatures) -> float:
    """What a member's score counts for: all of it, less when the two leads date the event on
    different days, less again when the two count one thing with different figures, and when
    they tell of different places."""
    figures = FIGURES_FACTOR if _disagree(new, member) else 1.0
    return _day_factor(new, member) * figures * (PLACES_FACTOR if _apart(new, member) else 1.0)


def _apart(new: StoryFeatures, member: StoryFeatures) -> bool:
    if new.located is None or member.located is None:
        return False
    return places.apart(*new.located, *member.located)


def _day_factor(new: StoryFeatures, member: StoryFeatures) -> float:
    conflict = when.relation(new.day, member.day) == "conflict"
    return STORY_THRESHOLD / CONFLICT_THRESHOLD if conflict else 1.0


def _disagree(new: StoryFeatures, member: StoryFeatures) -> list[str]:
    if new.figures is None or member.figures is None:
        return []
    return evidence.disagree(new.figures, member.figures)


def _days(new: StoryFeatures, member: StoryFeatures, lead: float | None = None) -> str:
    """The reason's words on the event days, the figures and the leads (`lead`: their
    similarity, if read) of `new` and the member that scored best."""
    rel, words = when.relation(new.day, member.day), ""
    if rel == "agree":
        words = f"; both leads date it {new.day}"
    elif rel == "conflict":
        words = f"; its lead dates it {new.day}, the story's {member.day}"
    differ = _disagree(new, member)
    if differ:
        words += f"; its figures differ from the story's ({_listed_figures(differ)})"
    if _apart(new, member):
        mine, theirs = places.listed(new.where or {}), places.listed(member.where or {})
        words += f"; it tells of {mine}, the story of {theirs}"
    if lead is not None and _lead_factor(lead) != 1.0:
        words += f"; its lead has little in common with the story's ({lead:.2f}, under {LEAD_AGREEMENT})"
    factor = _factor(new, member) * _lead_factor(lead)
    return words + (f" (scores count {factor:.2f})" if factor != 1.0 else "")


def _listed_figures(differ: Sequence[str], most: int = 3) -> str:
    return "; ".join(differ[:most]) + (f" and {len(differ) - most} more" if len(differ) > most else "")


def _linkage(scores: Sequence[float]) -> float:
    """A story's score: the average of its members' (`best_story`)."""
    return sum(scores) / len(scores)


def _evidence(
    new: StoryFeatures, members: Sequence[StoryFeatures], idf: Callable[[str], float]
) -> tuple[float, float, list[str]]:
    """`evidence.shared` of `new` and the story's members: the weight of the marks they share,
    that weight without the countries and states they name (`_beyond_regions`), and the marks;
    a story whose members were all stored before marks were kept is taken as sharing enough, as
    before issue 12."""
    if all(f.marks is None for f in members):
        return math.inf, math.inf, []
    weight, common = evidence.shared(new.marks or (), {m for f in members for m in f.marks or ()}, idf)
    return weight, _beyond_regions(common, idf), common


def _beyond_regions(common: Sequence[str], idf: Callable[[str], float]) -> float:
    """The weight of shared marks without the countries and states they name: a country holds
    many events a day ("Taiwan plans tariff cuts", "Taiwan power firm plans debt cuts"), so
    naming one is no evidence of one event by itself (EVIDENCE_THRESHOLD)."""
    regions = evidence.region_marks(common, places.country_or_state)
    return sum(idf(m) for m in common if m not in regions)


def _grouped(
    candidates: Sequence[tuple[K, StoryFeatures]], story_of: Callable[[K], Hashable] | None
) -> dict[Hashable, list[tuple[K, StoryFeatures]]]:
    groups: dict[Hashable, list[tuple[K, StoryFeatures]]] = defaultdict(list)
    for key, f in candidates:
        groups[story_of(key) if story_of is not None else key].append((key, f))
    return groups


def _reason(average: float, members: int, weight: float, common: Sequence[str]) -> str:
    return (
        f"similar {average:.3f} on average to {members} report{'s' if members > 1 else ''} of the story; "
        f"shared names, places and numbers (weight {weight:.1f}): {_listed(common)}"
    )


def _listed(marks: Sequence[str], most: int = 6) -> str:
    shown = [m[1:] for m in marks[:most]]
    return (
        ", ".join(shown) + (f" and {len(marks) - most} more" if len(marks) > most else "")
        if shown
        else "none"
    )


def _flat(_: str) -> float:
    return 1.0


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
        return _weighted_cosine(self.vector, self.square, other.terms, self.idf)


def idf_weight(document_frequency: int, documents: int) -> float:
    """The rarity weight of a term found in `document_frequency` of `documents` articles.

    Smoothed, and as if IDF_PRIOR_DOCUMENTS more articles without the term had been seen: in a
    young database (ten articles, four of them on one event) the words of that event are not
    common words yet; with thousands of articles the prior no longer matters."""
    return math.log((1 + documents + IDF_PRIOR_DOCUMENTS) / (1 + document_frequency)) + 1.0


def to_json(f: StoryFeatures) -> str:
    """The features as a JSON object: {"terms": {...}, "published": ISO 8601, "marks": [...],
    "day": ISO date or "", "figures": [...], "lead": {...}, "where": {place: [region, ...]},
    "places": {...}}."""
    found: dict[str, object] = {
        "terms": f.terms,
        "published": f.published.isoformat(),
        "marks": sorted(f.marks or ()),
    }
    if f.day is not None:
        found["day"] = f.day
    if f.figures is not None:
        found["figures"] = sorted(f.figures)
    if f.lead is not None:
        found["lead"] = f.lead
    if f.where is not None and f.places is not None:
        found["where"] = {k: list(v) for k, v in f.where.items()}
        found["places"] = {k: list(v) for k, v in f.places.items()}
    return json.dumps(found, sort_keys=True)


def from_json(s: str) -> StoryFeatures:
    """Features back from `to_json`; a ValueError says what is wrong with a damaged value."""
    try:
        data = json.loads(s)
        terms = {str(k): float(v) for k, v in data["terms"].items()}
        stored = data.get("marks")  # features stored before issue 12 have none
        marks = None if stored is None else frozenset(str(m) for m in stored)
        day = data.get("day")  # features stored before issue 12's days have none
        kept = data.get("figures")  # nor those stored before figures were kept
        figures = None if kept is None else frozenset(str(f) for f in kept)
        kept_lead = data.get("lead")  # nor those stored before leads were kept
        lead = None if kept_lead is None else {str(k): float(v) for k, v in kept_lead.items()}
        where, named = _places(data.get("where")), _places(data.get("places"))  # nor places
        published = to_utc(datetime.fromisoformat(data["published"]))
        return StoryFeatures(
            terms, published, marks, None if day is None else str(day), figures, lead, where, named
        )
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        raise ValueError(f"not stored story features ({e.__class__.__name__}: {e}): {s[:80]!r}") from None


def _places(kept: object) -> dict[str, Regions] | None:
    if kept is None:
        return None
    if not isinstance(kept, dict):
        raise TypeError(f"places are an object of names, not {type(kept).__name__}")
    return {str(k): tuple(str(r) for r in v) for k, v in kept.items()}


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
