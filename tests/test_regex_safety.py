"""Every regular expression of tagwire runs in time linear in its input, on any input.

A pattern with nested or overlapping quantifiers can take the square (or worse) of its input's
length to fail: one feed item whose title was a megabyte of capitals once held understanding
for hours in `stories._NAME`. This test finds every compiled pattern in the package (and those
built at run time), and runs each, the way the code uses it, on adversarial strings of
ADVERSARIAL_CHARS characters: runs of each character and pair that could make it backtrack,
with and without a final character that makes it fail. A linear pattern needs milliseconds; a
quadratic one, many seconds. The bound (SECONDS) only catches that difference: it is no speed
test.

A pattern that is only ever given short inputs is tested at that length instead, in USE, with
the reason; a new pattern is tested as `finditer` on any input until listed there.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import FrameType

import pytest

import tagwire

ADVERSARIAL_CHARS = 100_000
SECONDS = 3.0


@dataclass(frozen=True)
class Use:
    """How the code applies a pattern: `mode` (finditer, match, fullmatch), on inputs of at
    most `longest` characters (None: any length), and why."""

    mode: str = "finditer"
    longest: int | None = None
    why: str = ""


USE: dict[str, Use] = {
    "tagwire.understand.hashtags._NAME_AFTER": Use("match", None, "matched where a place mention ends"),
    "tagwire.understand.hashtags._CITED_AFTER": Use("match", 40, "matched in the CITE_CHARS after a mention"),
    "tagwire.understand.hashtags._WORD_AFTER": Use("match", None, "matched where a place mention ends"),
    "tagwire.understand.mentions._TO_AFTER": Use("match", None, "matched where an unknown name ends"),
    "tagwire.understand.mentions._TO_BEFORE": Use(
        "finditer", 40, "searched in the 40 characters before an unknown name"
    ),
    "tagwire.understand.mentions._CAP_AFTER": Use("match", None, "matched where an unknown word ends"),
    "tagwire.understand.mentions._OF_AFTER": Use("match", None, "matched where an unknown word ends"),
    "tagwire.understand.mentions._CAPITAL_SMALL_BEFORE": Use(
        "finditer", 40, "searched in the 40 characters before an unknown word"
    ),
    "tagwire.understand.groups._OBJECT_AFTER": Use("match", None, "matched where a group noun ends"),
    "tagwire.understand.mentions._POSSESSED": Use("match", None, 'matched where an "\'s" ends'),
    "tagwire.understand.mentions._OWNER": Use("finditer", 60, "searched in the 60 characters before it"),
    "tagwire.understand.titlecase._MODEL_NUMBER": Use("match", None, "matched where a run ends"),
    "tagwire.understand.titlecase._INITIALISM_AFTER": Use("match", None, "matched where a name ends"),
    "tagwire.understand.titlecase._GOES_ON": Use("match", None, "matched where a run ends"),
    "tagwire.understand.titlecase._BODY_KIND": Use("finditer", 16, "searched in 16 characters before a run"),
    "tagwire.understand.topics._SLUG": Use("match", None, "matched at a headline's start"),
    "tagwire.understand.platforms._CHANNEL_AFTER": Use(
        "match", 60, "matched in the _AFTER_CHARS after a platform's name"
    ),
    "tagwire.understand.topics._SOURCE_AFTER": Use("match", None, "matched where a trigger ends"),
    "tagwire.understand.topics._SOURCE_BEFORE": Use(
        "finditer", 80, "searched in the SOURCE_CHARS before a trigger"
    ),
    "tagwire.ingest.excerpt._READ_ON": Use("finditer", 400, "searched in an excerpt's last TAIL characters"),
    "tagwire.ingest.excerpt._CUT_MARK": Use("finditer", 20, "searched in an excerpt's last 20 characters"),
    "tagwire.ingest.parse._TAG": Use("finditer", 2048, "applied to a content's first _SYNTH_SCAN characters"),
    "tagwire.ingest.markup._ADDRESS_IN_PARENS": Use("match", None, "matched against an author field"),
    "tagwire.understand.mentions._WORD_BEFORE": Use(
        "finditer", 40, "searched in the 40 characters before a nationality word"
    ),
    "tagwire.understand.mentions._WORD_AFTER": Use("match", None, "matched where a nationality word ends"),
    "tagwire.understand.mentions._PEOPLE_NOUN": Use("match", None, "matched against one word"),
    "tagwire.understand.mentions._OF_BEFORE": Use(
        "finditer", 40, "searched in the 40 characters before a word"
    ),
    "tagwire.understand.groups._COORDINATED": Use(
        "finditer", 40, "searched in the 40 characters before a group's modifier"
    ),
    "tagwire.understand.titlecase._WORD_BEFORE": Use(
        "finditer", 40, "searched in the 40 characters before a name"
    ),
    "tagwire.understand.titlecase._SAYS": Use("match", None, "matched where a name ends"),
    "tagwire.understand.titlecase._CAPITALISED_BEFORE": Use(
        "finditer", 30, "searched in the 30 characters before a word"
    ),
    "tagwire.understand.mentions._ACRONYM": Use("match", None, "matched against one word"),
    "tagwire.understand.titlecase._LIST_BEFORE": Use(
        "finditer", 80, "searched in the LIST_CHARS before a name"
    ),
    "tagwire.understand.mentions._VERB_AFTER": Use(
        "finditer", None, "searched through a body, matched where a name ends"
    ),
    "tagwire.understand.titlecase._GROUPS": Use("match", None, "matched where a run ends"),
    "tagwire.understand.titlecase._APPOSITION": Use("match", None, "matched where a name ends"),
    "tagwire.understand.entities._NAME_SHAPE": Use("match", None, "matched against one name"),
    "tagwire.understand.roles._APPOSITION": Use("match", None, "matched where a person's name ends"),
    "tagwire.understand.roles._WORD_IN": Use("match", None, "matched at a word of an apposition"),
    "tagwire.understand.roles._INITIALS": Use("match", None, "matched against one word"),
    "tagwire.understand.roles._SENTENCE_END": Use("finditer", 8, "searched in a word's last _END_CHARS"),
    "tagwire.understand.entities.INITIAL": Use("match", None, "matched against one word"),
    "tagwire.understand.entities.SCORE": Use("match", None, "matched against one word of a name"),
    "tagwire.understand.stories._NAME": Use(
        "finditer", None, "run by stories._names, which blanks overlong words first (tested through it)"
    ),
    "tagwire.understand.provenance._CORPORATE": Use(
        "finditer", 200, "run on agency names, which `canonical` and `_key` cut to 200 characters"
    ),
    "tagwire.understand.provenance._TITLE_SUFFIX": Use(
        "finditer", 200, "run on a headline's last 200 characters"
    ),
    "tagwire.understand.provenance._TAIL_CREDIT": Use("finditer", 400, "run on a text's last 400 characters"),
    "tagwire.understand.provenance._PAREN_DATELINE": Use("match", None, "matched at a paragraph's start"),
    "tagwire.understand.provenance._BARE_DATELINE": Use("match", None, "matched at a paragraph's start"),
    "tagwire.understand.provenance._ANY_PAREN_DATELINE": Use("match", 160, "matched at a paragraph's start"),
    "tagwire.understand.provenance._ANY_COPYRIGHT_LINE": Use("match", 200, "matched on short paragraphs"),
    "tagwire.understand.provenance._COPYRIGHT": Use(
        "finditer", 400, "run on a paragraph's last 400 characters"
    ),
    "tagwire.understand.provenance._REUTERS_SIGNOFF": Use(
        "finditer", 800, "run on the text's last 800 characters"
    ),
}

_GENERIC = [
    "A", "a", "Aa", "aA", " ", "A ", "a ", "-", "<", "&", "'", "\n", "A.", "a.", "(", ")", "A-", "Ab ",
    "AB ", "of ", "A of ", ", a ", "1", "é", "#", "]", "[", "\\", '"', "A'", "a'", ".", ",", ", ", "\t",
    "©", "Ab, ", "Ab and ", "( ", "(A", "(Ab) -- ", "a-", "[©", "<a ", "<!--", "&#", "http://", "@",
]  # fmt: skip


def _units(pattern: re.Pattern[str] | re.Pattern[bytes]) -> list[str]:
    """Strings whose repetition might make `pattern` backtrack: generic ones, and the
    literal words of the pattern itself with what may stand around them."""
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")
    words = sorted(set(re.findall(r"[A-Za-z©&;!<>?-]{2,}", re.sub(r"\\[bswdSWD]", " ", source))))[:15]
    return _GENERIC + [
        a.format(f) for w in words for f in (w, w.upper()) for a in ("{} ", "({}", "[{}", "{}!")
    ]


def _patterns() -> Iterator[tuple[str, re.Pattern[str] | re.Pattern[bytes]]]:
    for info in pkgutil.walk_packages(tagwire.__path__, "tagwire."):
        if ".demo" in info.name or ".migrations" in info.name or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and getattr(module, "__name__", "") == info.name:
                yield f"{info.name}.{name}", value
    from tagwire.understand import entities

    token, runs = entities.lexicon().patterns
    yield "tagwire.understand.entities.Lexicon.token", token
    yield "tagwire.understand.entities.Lexicon.runs", runs


PATTERNS = dict(_patterns())


class TooSlow(Exception):
    pass


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise TooSlow


def _apply(pattern: re.Pattern[str] | re.Pattern[bytes], mode: str) -> Callable[[str], object]:
    def run(text: str) -> object:
        subject = text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text
        if mode == "finditer":
            return sum(1 for _ in pattern.finditer(subject))  # type: ignore[arg-type]
        return getattr(pattern, mode)(subject)

    return run


def _worst(run: Callable[[str], object], units: list[str], length: int) -> tuple[str, bool]:
    """The first unit on which `run` exceeds SECONDS, or ("", True)."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for unit in units:
            text = (unit * (length // len(unit) + 1))[:length]
            for subject in (text, text + "!"):
                signal.setitimer(signal.ITIMER_REAL, SECONDS)
                try:
                    run(subject)
                except TooSlow:
                    return unit, False
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return "", True


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_each_pattern_is_linear_where_it_is_used(name: str) -> None:
    pattern, use = PATTERNS[name], USE.get(name, Use())
    if name == "tagwire.understand.stories._NAME":
        from tagwire.understand.stories import _names

        run: Callable[[str], object] = _names
    else:
        run = _apply(pattern, use.mode)
    unit, ok = _worst(run, _units(pattern), use.longest or ADVERSARIAL_CHARS)
    assert ok, f"{name} took over {SECONDS} s on a run of {unit!r}: make it linear, or bound its input"


def test_every_listed_use_names_a_pattern_that_exists() -> None:
    assert set(USE) <= set(PATTERNS)
