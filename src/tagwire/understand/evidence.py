"""Evidence that two reports tell of the same event: the names, places and numbers they mention.

Two shootings on one day share the words of a shooting (gunman, police, wounded) and often
nothing else; two reports of one shooting share the town, the names of the people, the number
of the dead. `marks` lists what an article's headline and lead name: "@" and a proper name or
place as written with capitals ("@valdmere", "@marisol quenby", and each of its words), "=" and
a number ("=14", "=6.1"; years and single digits say too little and are left out). A story
match needs enough of them in common (`shared`), each weighed by its rarity, so that a name
every article mentions ("@u.s.") counts for little.

Figures say which event too, when two reports give different ones for the same thing: the
fourth stage and the third ("kilometre"), a 4-1 win and a 2-0 one ("score"), a 100 metres and
a 200 metres race. `figures` lists what a headline and lead count ("metre:100", "score:4-1":
a number and the word after it, and results such as 4-1), and `disagree` the things both
count with no figure in common, when they are more than those with one (stories.choose counts
such a member for less).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Final

from tagwire.understand import when
from tagwire.understand.stoplist import ORDINAL_WORDS, STOPWORDS

NAME_PREFIX: Final = "@"
NUMBER_PREFIX: Final = "="

_TOKEN = re.compile(r"\S+")
_CAPITALISED = re.compile(r"^[\"“‘'(\[]*([A-Z][\w'’.&-]*[\w])[\"”’')\],;:]*[.!?]?[\"”’')]*$")
_SENTENCE_END = re.compile(r"[.!?:\"”—–-]$|^[\"“—–-]$")
_RUN_END = re.compile(r"[,;()\[\]]\W*$")
_NUMBER = re.compile(r"(?<![\w.,/:-])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w/:]|[.,]\d)")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
#: A number and the word it counts ("4 minutes", "100-metre", "three stages"): figure and unit.
_COUNTED = re.compile(
    r"(?<![\w.,/:-])(\d+(?:[.,]\d+)*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"(?:-|\s+)([A-Za-z]{2,})\b",
    re.IGNORECASE,
)
#: An ordinal before a part of a competition that only one day holds: "the fourth stage", "the
#: third round", "the second Test", "the first leg" (not "the first half" or "the second set":
#: two reports of different matches both tell of a match's halves and sets).
_NTH = re.compile(
    rf"\b({'|'.join(ORDINAL_WORDS[:10])}|\d{{1,2}}(?:st|nd|rd|th))(?:-|\s+)(stage|round|leg|test)s?\b",
    re.IGNORECASE,
)
#: A result: "4-1", "225-5" (not a range of years or a date: both sides of at most three digits).
_RESULT = re.compile(r"(?<![\w.,/:-])(\d{1,3})-(\d{1,3})(?![\w/:-]|[.,]\d)")
#: Units that say nothing of which event: durations and times of day (a saga's "third day"),
#: shares and scales that every market or poll report gives, and the tolls of a disaster, which
#: grow from report to report of one event (12 dead at noon, 15 by evening).
_NOT_UNITS: Final = frozenset(
    [
        "hour",
        "minute",
        "pct",
        "million",
        "billion",
        "trillion",
        "am",
        "pm",
        "gmt",
        "edt",
        "est",
        "bst",
        "cet",
        "dead",
        "death",
        "killed",
        "injured",
        "wounded",
        "hurt",
        "victim",
        "casualty",
        "missing",
        "body",
        "survivor",
        "hostage",
        "arrested",
        "evacuated",
        "homeless",
        "displaced",
    ]
)
FIGURE_WORDS: Final = 100
"""Words of the text whose figures are read (after the headline): the lead and what follows it.
Chosen on the hand-paired Reuters reports (at 45 and 60 words two pairs of one event disagree,
a vote's and a race's reports giving few figures and other ones; none from 100 to 200 words,
where 6, 7 and 8 different-event pairs do), confirmed on BASIL's own reports: none of one event
disagree at 100, one streamed pair does from 150 ("three-term" and "two-term"), see
docs/stories.md."""
_OVERLONG: Final = 64
#: Titles and offices: a word every report of its kind has ("Governor", "Police"), no mark alone.
_TITLES: Final = frozenset(
    [
        "president",
        "minister",
        "prime",
        "interior",
        "foreign",
        "finance",
        "governor",
        "mayor",
        "chief",
        "police",
        "sheriff",
        "officer",
        "senator",
        "rep",
        "sen",
        "gov",
        "secretary",
        "general",
        "director",
        "spokesman",
        "spokeswoman",
        "commander",
        "judge",
        "king",
        "queen",
        "prince",
        "department",
        "ministry",
        "office",
        "agency",
        "national",
        "state",
        "federal",
        "city",
        "county",
        "university",
    ]
)


#: A day of a month ("Feb 26", "26 February", "MARCH 3"; `when`'s month names, in any case):
#: when a report was filed or its event happened, which `when` reads; no mark of which event
#: ("CHICAGO, Feb 26 -" opens every report filed there that day).
_DAY = re.compile(
    rf"(?i)\b(?:{when.MONTH_NAMES})\.?[ \t]+\d{{1,2}}\b(?![.,]\d)|\b\d{{1,2}}[ \t]+(?:{when.MONTH_NAMES})\b"
)
#: Month and weekday names (`when.CALENDAR_WORDS`) say when, not what: no name marks.
_CALENDAR: Final = when.CALENDAR_WORDS
_NOT_NAMES: Final = _TITLES | _CALENDAR


def marks(text: str) -> frozenset[str]:
    """The names and numbers `text` mentions, as marks (see the module's docstring); its dates
    are none (`_DAY`, `_CALENDAR`)."""
    text = _DAY.sub(" ", text)
    return frozenset([*_names(text), *_numbers(text)])


def figures(headline: str, text: str) -> frozenset[str]:
    """What the headline and the first FIGURE_WORDS words of `text` count, as "unit:figure"
    ("metre:100", "score:4-1"), and which part of a competition it tells of ("stage:4" for "the
    fourth stage", "round:3", "test:2"; `_NTH`)."""
    lead = headline + "\n" + " ".join(text.split()[:FIGURE_WORDS])
    found = set()
    for m in _COUNTED.finditer(lead):
        unit = _unit(m.group(2))
        if unit and not _YEAR.match(m.group(1)):  # "the 2016 election": a year, not a count
            found.add(f"{unit}:{m.group(1).lower().replace(',', '')}")
    for m in _RESULT.finditer(lead):
        found.add(f"score:{int(m.group(1))}-{int(m.group(2))}")
    for m in _NTH.finditer(lead):
        found.add(f"{m.group(2).lower()}:{_ordinal(m.group(1).lower())}")
    return frozenset(found)


def _ordinal(word: str) -> int:
    """The number of an ordinal: "fourth" -> 4, "4th" -> 4."""
    return ORDINAL_WORDS.index(word) + 1 if word in ORDINAL_WORDS else int(word[:-2])


def disagree(a: Iterable[str], b: Iterable[str]) -> list[str]:
    """The units both `figures` count with no figure in common, each with the figures of both
    ("score 4-1 / 2-0"), sorted; none unless they outnumber the units both count with a figure
    in common (two reports of one vote may count its abstentions differently, 11 and 12, and
    agree on its votes for and against)."""
    mine, theirs = _by_unit(a), _by_unit(b)
    both = mine.keys() & theirs.keys()
    differ = sorted(unit for unit in both if not mine[unit] & theirs[unit])
    if 2 * len(differ) <= len(both):
        return []
    return [f"{unit} {', '.join(sorted(mine[unit]))} / {', '.join(sorted(theirs[unit]))}" for unit in differ]


def _by_unit(found: Iterable[str]) -> dict[str, set[str]]:
    units: dict[str, set[str]] = {}
    for f in found:
        unit, _, figure = f.partition(":")
        units.setdefault(unit, set()).add(figure)
    return units


def _unit(word: str) -> str:
    """A counted word as a unit: lower-case, singular ("metres" -> "metre"); "" for a word that
    counts nothing of an event (stop words, durations)."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    return "" if w in STOPWORDS or w in _NOT_UNITS or w + "s" in STOPWORDS else w


def title_case(headline: str) -> bool:
    """Whether most words of a headline are capitalised ("Trump Declares National Emergency"),
    so that its capitals say nothing of names."""
    words = [w for w in _TOKEN.findall(headline) if len(w) > 3]
    return bool(words) and sum(w[:1].isupper() for w in words) / len(words) > 0.6


def shared(new: Iterable[str], story: Iterable[str], idf: Callable[[str], float]) -> tuple[float, list[str]]:
    """The marks `new` has in common with a story (the union of its members' marks), the rarest
    first, and their weight: the sum of their IDFs."""
    common = sorted(set(new) & set(story), key=lambda m: (-idf(m), m))
    return sum(idf(m) for m in common), common


def region_marks(common: Iterable[str], is_region: Callable[[str], bool]) -> set[str]:
    """The marks of `common` that name a country or a state (`is_region`: "@taiwan", "@south
    korea" with its words "@south" and "@korea"), and no more."""
    names = [m[len(NAME_PREFIX) :] for m in common if m.startswith(NAME_PREFIX)]
    found = {n for n in names if is_region(n)}
    words = {w for n in found for w in n.split()}
    return {NAME_PREFIX + n for n in names if n in found or (" " not in n and n in words)}


def _names(text: str) -> list[str]:
    """Runs of capitalised words; a run of one word at the start of a sentence is no name (any
    word is capitalised there), and stop words at a run's start are dropped ("The Hague" ->
    "hague"). Each run gives itself and each of its words."""
    found: list[str] = []
    run: list[str] = []
    initial = run_initial = True  # at the start of a sentence; where the current run started
    for token in _TOKEN.findall(text):
        m = _CAPITALISED.match(token) if len(token) < _OVERLONG else None
        if m:
            run_initial = initial if not run else run_initial
            run.append(m.group(1))
        ends = bool(_SENTENCE_END.search(token))
        if run and (not m or ends or _RUN_END.search(token)):
            found += _run_marks(run, run_initial)
            run = []
        initial = ends
    return found + _run_marks(run, run_initial)


def _run_marks(run: list[str], initial: bool) -> list[str]:
    words = [w.lower().rstrip(".").removesuffix("'s").removesuffix("’s") for w in run]
    while words and words[0] in STOPWORDS:
        words, initial = words[1:], False
    if not words or (initial and len(words) == 1):
        return []
    singles = [w for w in words if len(w) > 2 and w not in STOPWORDS and w not in _NOT_NAMES]
    runs = [" ".join(words)] if len(words) > 1 and not set(words) <= _CALENDAR else []
    if len(words) > 2:  # "Police Chief Greg Allen": "greg allen" too
        runs.append(" ".join(words[-2:]))
    return [NAME_PREFIX + w for w in [*singles, *runs]]


def _numbers(text: str) -> list[str]:
    found = []
    for m in _NUMBER.finditer(text):
        whole, fraction = m.group(1).replace(",", ""), m.group(2)
        if fraction is None and (len(whole) < 2 or _YEAR.match(whole)):
            continue
        found.append(NUMBER_PREFIX + whole.lstrip("0") + ("." + fraction if fraction else ""))
    return found
