"""Groups of people named by who they are: "Democratic lawmakers", "GOP leaders" ->
RepublicanLeaders, "Colorado officials", "Nebraska and Oklahoma officials" (two groups). A group
is a plural noun of data/groups.txt after a party word or a name; later bare uses of the noun
("the lawmakers") count toward the nearest group before it.
"""

from __future__ import annotations

import functools
import re
from collections import ChainMap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from tagwire.understand import entities
from tagwire.understand.entities import Lexicon, Mention, lookup_key
from tagwire.understand.mentions import (
    _PLACE_LABELS,
    PLACE_OR_PEOPLE,
    REFERENCE_WEIGHT,
    _endings,
    _is_person,
    place_of,
    place_or_people,
)

#: One to three capitalised words right before a group noun: the group's modifier.
_MODIFIER = re.compile(r"(?<![\w.&'’-])(?:[A-Z][\w.&-]*[ \t]+){1,3}\Z")
#: What follows a verb after a person's name, not a plural noun: "Nadal forces a break point"
#: (a noun may have it too: "told Labour members the Tories...").
_OBJECT_AFTER = re.compile(r"[ \t]+(?:a|an|the|his|her|its|their|him|them|us|me)\b")
#: A capitalised word and "and" (or "or", or a comma) before a group's modifier.
_COORDINATED = re.compile(r"(?<![\w.&'’-])([A-Z][\w.&-]*),?[ \t]+(?:and|or)[ \t]+\Z")


@dataclass(frozen=True)
class Groups:
    """data/groups.txt: the party words (lookup key -> the form the tag writes: "GOP" ->
    "Republican") and the pattern that finds the plural nouns a group is named by, in lower
    case or capitalised ("Senate Republicans")."""

    party: dict[str, str]
    nouns: re.Pattern[str]
    staff: frozenset[str]  # a body's own people: "officials", "employees", "troops"


@functools.cache
def groups() -> Groups:
    """Load data/groups.txt once per process."""
    nouns: set[str] = set()
    staff: set[str] = set()
    party: dict[str, str] = {}
    for line in entities.data_lines("groups.txt"):
        kind, rest = (part.strip() for part in line.split(":", 1))
        if kind in ("noun", "staff"):
            nouns.update(w.lower() for w in rest.split())
            staff.update(w.lower() for w in rest.split() if kind == "staff")
        else:
            canonical, words = (part.strip() for part in rest.split("=", 1))
            party.update((lookup_key(w), canonical) for w in words.split())
    forms = "|".join(sorted(nouns | {n.capitalize() for n in nouns}))
    return Groups(party, re.compile(rf"\b(?:{forms})\b"), frozenset(staff))


def group_mentions(title: str, body: str, found: Iterable[Mention], lex: Lexicon) -> list[Mention]:
    """Mentions of groups named by who they are: a plural noun of data/groups.txt after a
    party word, a name of the alias or demonym table, or a name this article mentions
    ("Democratic lawmakers", "GOP leaders" -> RepublicanLeaders, "Colorado officials"; not
    "Other lawmakers", nor "French officials", counted toward France by the demonym). In the
    body the noun is in lower case, or a party's ("Senate Republicans"; "Israel Defense
    Forces" is a name). Later bare uses of the noun in lower case ("the lawmakers") count, at
    REFERENCE_WEIGHT, toward the nearest group before them."""
    g, found = groups(), list(found)
    places = {m.text: m for m in found if m.label in _PLACE_LABELS and " " not in m.text}
    article = {lookup_key(m.text): m.text for m in found if _named(m)}
    names = ChainMap(_long_forms(found, lex), lex.written, article)  # the first that knows a key
    people = {lookup_key(w) for m in found if m.label == "PERSON" for w in (m.text, m.text.split()[-1])}
    read = {lookup_key(m.text): True for m in found if m.label in PLACE_OR_PEOPLE}
    read |= {lookup_key(m.text): False for m in found if m.label == "ORG"}  # a body read so wins
    named: list[Mention] = []
    last: dict[str, Mention] = {}
    refs: list[Mention] = []
    for where, text in ((-1, title), (0, body)):
        for hit in g.nouns.finditer(text):
            if where == 0 and not hit.group().islower() and lookup_key(hit.group()) not in g.party:
                continue  # "Israel Defense Forces" is a name; "Senate Republicans" a group
            mods = _modifiers(text, hit.start(), names, g, lex, people)
            if any(_nationality(mod, lex, places) for mod in mods):
                continue  # "French officials" are France's, counted by the demonym
            if hit.group().lower() in g.staff:  # a place's or a party's, not the U.N.'s or UAW's
                mods = [mod for mod in mods if mod in g.party.values() or place_or_people(mod, lex, read)]
            if _OBJECT_AFTER.match(text, hit.end()):  # "Nadal forces a break point": a verb
                mods = [mod for mod in mods if lookup_key(mod) not in people]
            noun = hit.group().lower()
            for mod in mods:
                last[noun] = Mention(f"{mod} {hit.group()}", "GROUP", hit.start() if where == 0 else -1)
                named.append(last[noun])
            if not mods and where == 0 and noun in last and hit.group().islower():
                refs.append(replace(last[noun], start=hit.start(), weight=REFERENCE_WEIGHT))
    return named + refs


def without_party_words(found: list[Mention], named: list[Mention], lex: Lexicon) -> list[Mention]:
    """`found` without the peoples read inside a party's name: "Christian" (#Christians) and
    "Democrats" (#Democrats) of "Christian Democrats", a group whose noun is a party's, written
    capitalised, after a people's word that is no nationality (the group is the party; "Senate
    Republicans", "House Democrats" and "Jewish leaders" keep their words' tags)."""
    g = groups()
    inside: set[int] = set()
    for m in named:
        mod, _, noun = m.text.rpartition(" ")
        people = lex.names.get(lookup_key(mod), ("", "", ""))[1] == "NORP"
        if m.start >= 0 and noun[:1].isupper() and lookup_key(noun) in g.party and people:
            inside |= {m.start, m.start - len(mod) - 1}
    return [m for m in found if not (m.label == "NORP" and m.start in inside)]


def _modifiers(
    text: str, at: int, names: Mapping[str, str], g: Groups, lex: Lexicon, people: set[str]
) -> list[str]:
    """The names that a group noun at `at` is of: the modifier right before it, and one of the
    same kind coordinated with it ("Nebraska and Oklahoma officials", "Democratic and
    Republican lawmakers": two groups, as English distributes the noun over both; not "Obama
    and Democratic lawmakers", a person and a group); none without a modifier."""
    before = _MODIFIER.search(text, max(0, at - 80), at)
    modifier = _group_modifier(before.group().split(), names, g, lex) if before else None
    if before is None or modifier is None:
        return []
    other = _COORDINATED.search(text, max(0, before.start() - 40), before.start())
    also = _group_modifier([other[1]], names, g, lex) if other else None
    parties = set(g.party.values())
    if (
        also is None
        or also == modifier
        or lookup_key(also) in people
        or (also in parties) != (modifier in parties)
    ):
        return [modifier]
    return [also, modifier]


def _nationality(modifier: str, lex: Lexicon, places: dict[str, Mention]) -> bool:
    """Whether a group's modifier is a nationality word, of the demonym table ("French",
    "Malaysian") or of a place of the article ("Zairean" beside "Zaire"), or a country's name
    ("U.S.", "UK"): such a group ("French officials", "U.S. troops") is the country's, and its
    hashtag the country's. A state's or a city's ("Colorado officials") stays a group."""
    hit = lex.names.get(lookup_key(modifier))
    if hit is not None:
        return hit[1] == "DEMONYM" or hit[2] in lex.countries
    return " " not in modifier and place_of(modifier, places) is not None


def _named(m: Mention) -> bool:
    """Whether a mention is a name that can name a group: one the model or the tables know,
    or a capitalised word met inside a sentence of the body ("Internet"; not "Elected"
    opening one, nor a word of a Title Case headline)."""
    return m.label not in ("UNK", "PHRASE") or (m.start >= 0 and not m.sentence_start)


def _long_forms(found: list[Mention], lex: Lexicon) -> dict[str, str]:
    """The full name of a body for each shorter form of it ("intelligence committee" -> "House
    Intelligence Committee"), as `link_names` links them: one group tag per body."""
    return {
        lookup_key(short): m.text
        for m in found
        if " " in m.text and m.tag is None and not _is_person(m, lex)
        for short in _endings(m.text, lex)
    }


def _group_modifier(words: list[str], names: Mapping[str, str], g: Groups, lex: Lexicon) -> str | None:
    """The name that the words before a group noun end with (the longest), as the tag writes
    it; None when they end with no name ("Other", "Senior") or with a possessive."""
    if entities.possessive(words[-1]) is not None:
        return None
    for k in range(len(words)):
        text = " ".join(words[k:])
        key = lookup_key(text)
        if key in g.party:
            return g.party[key]
        if key in names and text.lower() not in lex.stop:
            return names[key] if " " in names[key] and names[key].endswith(text) else text
    return None
