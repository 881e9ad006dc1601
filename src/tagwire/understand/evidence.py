"""Evidence that two reports tell of the same event: the names, places and numbers they mention.

Two shootings on one day share the words of a shooting (gunman, police, wounded) and often
nothing else; two reports of one shooting share the town, the names of the people, the number
of the dead. `marks` lists what an article's headline and lead name: "@" and a proper name or
place as written with capitals ("@valdmere", "@marisol quenby", and each of its words), "=" and
a number ("=14", "=6.1"; years and single digits say too little and are left out). A story
match needs enough of them in common (`shared`), each weighed by its rarity, so that a name
every article mentions ("@u.s.") counts for little.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Final

from tagwire.understand.stoplist import STOPWORDS

NAME_PREFIX: Final = "@"
NUMBER_PREFIX: Final = "="

_TOKEN = re.compile(r"\S+")
_CAPITALISED = re.compile(r"^[\"“‘'(\[]*([A-Z][\w'’.&-]*[\w])[\"”’')\],;:]*[.!?]?[\"”’')]*$")
_SENTENCE_END = re.compile(r"[.!?:\"”—–-]$|^[\"“—–-]$")
_RUN_END = re.compile(r"[,;()\[\]]\W*$")
_NUMBER = re.compile(r"(?<![\w.,/:-])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w/:]|[.,]\d)")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
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


def marks(text: str) -> frozenset[str]:
    """The names and numbers `text` mentions, as marks (see the module's docstring)."""
    return frozenset([*_names(text), *_numbers(text)])


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
    singles = [w for w in words if len(w) > 2 and w not in STOPWORDS and w not in _TITLES]
    runs = [" ".join(words)] if len(words) > 1 else []
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
