"""Names in languages written in Latin letters that tagwire has no named-entity model for
(German, French, Spanish, Polish, ...): a fallback that never takes a common noun for a name.

Capitals alone are no evidence where a language capitalises its nouns (German: "Treffen",
"Vertrag"), so a run of capitalised words is only a candidate (`Kind.MAYBE`), a hashtag only when
it is a name tagwire already knows (known.py). Evidence that stands on its own:
- a form of the alias table (aliases.tsv: "Japon", "Japans", "US-" in "US-Verteidigungsminister");
- a known given name followed by a capitalised word ("Pete Hegseth", "Jonathan Tah");
- in languages that write common nouns in lower case (French, Spanish, ...): two or more
  capitalised words in a row inside a sentence ("Gen Nakatani"), or one mentioned twice.
The dateline ("SINGAPUR (dpa) -") is read by credits.py, not here.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from importlib import resources
from typing import Final

from tagwire.understand import entities
from tagwire.understand.languages import aliases, models
from tagwire.understand.languages.names import Kind, Name, gather

#: Languages that capitalise every noun: there capitals say nothing.
NOUNS_CAPITALISED: Final = frozenset({"de", "lb"})
#: Small words inside a name ("Junta de Castilla y León", "Ursula von der Leyen").
_PARTICLES: Final = frozenset(
    {"de", "del", "della", "der", "di", "du", "la", "le", "van", "von", "da", "dos"}
)
#: Articles that open a sentence before a name ("La Banque", "El Gobierno", "Der FC"): not part of it.
_DETERMINERS: Final = frozenset(
    {"la", "le", "les", "l", "el", "los", "las", "lo", "un", "une", "una", "uno", "il", "gli"}
    | {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einer"}
)
MAX_CHARS: Final = 6_000
_DATELINE = re.compile(r"^\s*[^\W\d_][^\n()]{0,40}?\([^()\n]{1,40}\)\s*(?:--|[-—–―])\s*")
_WORD = re.compile(r"[^\W\d_][\w'’]*(?:-[\w'’]+)*")
_SENTENCE_END = re.compile(r"[.!?:;»“\"]\s+|\n")
_MAX_RUN: Final = 4  # words of a name at most


@functools.cache
def given_names() -> frozenset[str]:
    """English given names (../data) and those of other languages (data/given_names.txt)."""
    own = (resources.files("tagwire.understand.languages") / "data" / "given_names.txt").read_text("utf-8")
    lines = [*entities.data_lines("given_names.txt"), *(x for x in own.splitlines() if not x.startswith("#"))]
    return frozenset(w for line in lines for w in line.split())


def strip_dateline(text: str) -> str:
    return _DATELINE.sub("", text, count=1)


def read_names(title: str, text: str, language: str) -> list[Name]:
    """The names of an article (see the module's docstring); mentions weighted as in hashtags."""
    body = strip_dateline(text)[:MAX_CHARS]
    first = body.find("\n")
    lead = max(300, min(800, len(body) if first < 0 else first))
    nouns = language in NOUNS_CAPITALISED
    if models.has_model(language):  # the model reads the headline and the head, the fallback the rest
        head = models.HEAD_CHARS
        rest = [(*f[:4], f[4] + head) for f in _names(body[head:], nouns, None)]
        found = [*_model_names(title, language, -1), *_model_names(body, language, None), *rest]
    else:
        found = [*_names(title, nouns, -1), *_names(body, nouns, None)]
    return gather(sorted(found, key=lambda f: f[4]), lead)  # in the order written


_MODEL_KINDS: Final = {"PERSON": Kind.PERSON, "PLACE": Kind.PLACE, "ORG": Kind.ORG}


def _model_names(
    text: str, language: str, at: int | None
) -> Iterator[tuple[str, Kind, str, str | None, int]]:
    """The model's entities, as names: an alias's tag where the table has one, a person of one
    word as a family name (linked to the full name by known.py)."""
    for written, label, start in models.entities(language, text):
        words = written.split()
        while words and words[0].lower().rstrip("'’") in _DETERMINERS:
            words = words[1:]
        native = " ".join(words)
        if not native[:1].isupper():  # "ministre de l'Économie": a name starts with a capital
            continue
        where = start if at is None else at
        alias = aliases.lookup(native)
        if alias is not None:
            yield native, alias[1], native.lower(), alias[0], where
        elif label == "PERSON" and len(words) == 1:
            yield native, Kind.SURNAME, native.lower(), None, where
        else:
            yield native, _MODEL_KINDS.get(label, Kind.OTHER), native.lower(), None, where


def _names(text: str, nouns: bool, at: int | None) -> Iterator[tuple[str, Kind, str, str | None, int]]:
    for m in _alias_phrases().finditer(text):  # "Banque d'Angleterre", "Weißes Haus"
        found = aliases.lookup(m.group())
        if found is not None:
            yield m.group(), found[1], m.group().lower(), found[0], m.start() if at is None else at
    text = _alias_phrases().sub(lambda m: " " * len(m.group()), text)
    for run, sentence_start in _runs(text):
        for native, kind, tag, start in _run_names(run, sentence_start, nouns):
            yield native, kind, native.lower(), tag, start if at is None else at


def _runs(text: str) -> Iterator[tuple[list[re.Match[str]], bool]]:
    """Runs of capitalised words (with particles between them), each with whether it opens a
    sentence."""
    run: list[re.Match[str]] = []
    start_of_sentence, last_end = True, 0
    for m in _WORD.finditer(text):
        gap = text[last_end : m.start()]
        ends = bool(_SENTENCE_END.search(gap)) or last_end == 0
        joined = run and not ends and gap.strip() == "" and _joins(m, run)
        if not joined:
            if run:
                yield _trimmed(run), start_of_sentence
            run, start_of_sentence = [], ends
        if m.group()[0].isupper() or (run and m.group() in _PARTICLES):
            run.append(m)
        else:
            if run:
                yield _trimmed(run), start_of_sentence
            run, start_of_sentence = [], False
        last_end = m.end()
    if run:
        yield _trimmed(run), start_of_sentence


@functools.cache
def _alias_phrases() -> re.Pattern[str]:
    forms = "|".join(re.escape(f) for f in aliases.latin_forms())
    return re.compile(rf"(?<!\w)(?:{forms})(?!\w)", re.IGNORECASE)


def _joins(m: re.Match[str], run: list[re.Match[str]]) -> bool:
    return m.group()[0].isupper() or m.group() in _PARTICLES


def _trimmed(run: list[re.Match[str]]) -> list[re.Match[str]]:
    while run and run[0].group().lower() in _DETERMINERS:
        run = run[1:]
    while run and run[-1].group() in _PARTICLES:
        run = run[:-1]
    return run


def _run_names(
    run: list[re.Match[str]], sentence_start: bool, nouns: bool
) -> Iterator[tuple[str, Kind, str | None, int]]:
    """The names of one run: aliases and given-name people first, the rest as the language allows."""
    words = [m.group() for m in run]
    taken = [False] * len(words)
    yield from _aliases(run, words, taken)
    yield from _people(run, words, taken)
    for group in _contiguous([i for i in range(len(words)) if not taken[i]]):
        while group and words[group[0]] in _PARTICLES:
            group = group[1:]
        while group and words[group[-1]] in _PARTICLES:
            group = group[:-1]
        if not group:
            continue
        names = [words[i] for i in group if words[i] not in _PARTICLES]
        group = [i for i in group if words[i] not in _PARTICLES]
        native = " ".join(words[group[0] : group[-1] + 1])
        start = run[group[0]].start()
        opens = sentence_start and group[0] == 0
        if not nouns and len(names) >= 2 and len(names) <= _MAX_RUN:
            yield native, Kind.PERSON if names[0] in given_names() else Kind.OTHER, None, start
        elif not nouns and len(names) == 1 and not opens:
            yield native, Kind.OTHER, None, start
        else:  # a candidate only: a known name, or nothing
            yield from ((w, Kind.MAYBE, None, run[i].start()) for i, w in zip(group, names, strict=True))
            for a, b in itertools.pairwise(group):
                yield f"{words[a]} {words[b]}", Kind.MAYBE, None, run[a].start()


def _aliases(
    run: list[re.Match[str]], words: list[str], taken: list[bool]
) -> Iterator[tuple[str, Kind, str | None, int]]:
    for size in range(min(_MAX_RUN, len(words)), 0, -1):
        for i in range(len(words) - size + 1):
            if any(taken[i : i + size]):
                continue
            phrase = " ".join(words[i : i + size])
            found = aliases.lookup(phrase) or (aliases.lookup(phrase.split("-")[0]) if size == 1 else None)
            if found is not None:
                taken[i : i + size] = [True] * size
                yield phrase, found[1], found[0], run[i].start()


def _people(
    run: list[re.Match[str]], words: list[str], taken: list[bool]
) -> Iterator[tuple[str, Kind, str | None, int]]:
    """A known given name and the capitalised word after it ("Pete Hegseth")."""
    for i in range(len(words) - 1):
        if taken[i] or taken[i + 1] or words[i] not in given_names() or words[i + 1] in _PARTICLES:
            continue
        taken[i] = taken[i + 1] = True
        yield f"{words[i]} {words[i + 1]}", Kind.PERSON, None, run[i].start()


def _contiguous(indexes: list[int]) -> Iterator[list[int]]:
    group: list[int] = []
    for i in indexes:
        if group and i != group[-1] + 1:
            yield group
            group = []
        group.append(i)
    if group:
        yield group
