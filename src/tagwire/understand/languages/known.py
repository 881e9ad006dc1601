"""One hashtag per person in every language: an article's names (names.Name) matched with the
names tagwire already knows, then ranked into hashtags.

Known names are the hashtags tagwire has given: those of the articles of the batch being
understood (all of them, English ones included, before any is decided) and of every article this
process has understood before. A person's tag of two or three words ("PeteHegseth") is known by
its last word ("hegseth") and by that word's sound as Japanese writes it (romaji.sound_key).

How a name becomes a tag:
- a form of the alias table: its tag (日本 and "Japon" -> #Japan);
- a full name: given name first, in Latin letters (植田和男 -> #KazuoUeda, read by the dictionary
  family name first); the spelling known already wins;
- a family name alone (中谷; "Tah" after "Jonathan Tah"): the one known person of that family
  name, in the article itself or already known (中谷 -> #GenNakatani); none or several: the family
  name romanized (#Nakatani);
- a foreign name written in katakana (ヘグセス): the one known person whose family name sounds
  the same (#PeteHegseth); none or several: no tag (a katakana word is as often a common noun);
- a candidate where capitals say nothing (German): a known name, else no tag;
- any other proper noun: as written (Japanese: in its own script, #シャングリラ), when the
  dictionary calls it one or, in Latin script, when it is mentioned twice or written as several
  capitalised words inside a sentence.

Each tag's native form, where the article writes it otherwise (`shows`: 石破茂 for #ShigeruIshiba,
ヘグセス for #PeteHegseth, "Japon" for #Japan), is kept with the article's decision (the store's
tag_forms) and shown on the tag page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from tagwire.understand.languages import aliases
from tagwire.understand.languages.names import Kind, Name
from tagwire.understand.languages.romaji import sound_key

MAX_KNOWN: Final = 200_000  # tags remembered at most (then forgotten, and learnt again)
MIN_SOUND: Final = 2  # consonants a sound key needs ("Modi": md; a title must follow the name too)
_CAMEL = re.compile(r"[A-Z][a-z]+")


def person_words(tag: str) -> list[str] | None:
    """The words of a tag shaped like a person's name ("PeteHegseth" -> ["Pete", "Hegseth"]), else None."""
    words = _CAMEL.findall(tag)
    return words if 2 <= len(words) <= 3 and "".join(words) == tag else None


def western(reading: str) -> str:
    """A Japanese reading, family name first ("ueda kazuo"), as a tag: "KazuoUeda"."""
    parts = reading.split()
    return "".join(p.capitalize() for p in reversed(parts))


def camel(text: str) -> str:
    from tagwire.understand.hashtags import camel_tag

    return camel_tag(text)


@dataclass
class KnownNames:
    """The tags known so far, looked up by their whole (lower case) spelling, by a person's
    family name, and by its sound."""

    spelling: dict[str, str] = field(default_factory=dict)
    by_surname: dict[str, set[str]] = field(default_factory=dict)
    by_sound: dict[str, set[str]] = field(default_factory=dict)

    def learn(self, tags: Iterable[str]) -> None:
        for tag in tags:
            if len(self.spelling) >= MAX_KNOWN:
                self.spelling, self.by_surname, self.by_sound = {}, {}, {}
            if tag.lower() in self.spelling:
                continue
            self.spelling[tag.lower()] = tag
            words = person_words(tag)
            if words is not None:
                self.by_surname.setdefault(words[-1].lower(), set()).add(tag)
                key = sound_key(words[-1])
                if len(key) >= MIN_SOUND:
                    self.by_sound.setdefault(key, set()).add(tag)


def hashtags(names: Sequence[Name], known: KnownNames, limit: int = 12) -> tuple[list[str], dict[str, str]]:
    """The article's hashtags, best first, and each tag's native form where the article writes
    one (`shows`): the longest it writes (a headline's 石破 and the text's 石破茂: "石破茂")."""
    own = KnownNames()
    own.learn(_own_people(names, known))
    scores: dict[str, tuple[float, int]] = {}
    native: dict[str, str] = {}
    for name in names:
        tag = _tag(name, known, own)
        if tag is None:
            continue
        weight, first = scores.get(tag, (0.0, name.first))
        scores[tag] = (weight + name.weight, min(first, name.first))
        if shows(name.native, tag) and len(name.native) > len(native.get(tag, "")):
            native[tag] = name.native  # the fullest form written: 石破茂 rather than 石破
    ranked = sorted(scores.items(), key=lambda s: (-s[1][0], s[1][1]))
    tags = [t for t, _ in ranked[: max(limit, 0)]]
    return tags, {t: native[t] for t in tags if t in native}


def shows(form: str, tag: str) -> bool:
    """Whether `form` tells a reader of #tag how another language writes it: any form in another
    script (中谷, ヘグセス, 米国) but the tag itself (#シャングリラ); in Latin letters, only a form
    the alias table gives for this very tag ("Japon", "Tokio"), not the tag's own words ("Bank
    of England"), a family name alone ("Trump"), a declined or compound word ("Japans",
    "US-Präsident") or a name in another order ("Markus Söder" for #SöderMarkus)."""
    if form.replace(" ", "") == tag:
        return False
    if not _latin(form):
        return True
    if "".join(c for c in form.casefold() if c.isalnum()) == tag.casefold():
        return False
    return aliases.table().get(aliases.key(form), ("", None))[0] == tag


def _own_people(names: Sequence[Name], known: KnownNames) -> list[str]:
    """The full names of people the article itself writes out."""
    return [t for n in names if n.kind is Kind.PERSON and (t := _person(n, known)) is not None]


def _person(name: Name, known: KnownNames) -> str | None:
    tag = western(name.reading) if name.reading and not name.native.isascii() else camel(name.native)
    return known.spelling.get(tag.lower(), tag) if tag else None


def _tag(name: Name, known: KnownNames, own: KnownNames) -> str | None:
    if name.tag is not None:
        return name.tag
    if name.kind is Kind.PERSON:
        return _person(name, known)
    if name.kind is Kind.SURNAME:
        found = _one(name.reading, own.by_surname, known.by_surname)
        if found is None and len(name.native) == 1:  # 李, 習: a Korean or Chinese name, read in Japanese
            return name.native
        return found or camel(name.native if _latin(name.native) else name.reading)
    if name.kind is Kind.SOUNDED:
        key = sound_key(name.reading)
        return _one(key, own.by_sound, known.by_sound) if len(key) >= MIN_SOUND else None
    if name.kind is Kind.MAYBE:
        spelled = known.spelling.get(camel(name.native).lower()) or own.spelling.get(
            camel(name.native).lower()
        )
        if spelled is not None or " " in name.native:
            return spelled
        return _one(name.native.lower(), own.by_surname, known.by_surname)
    return _proper(name, known, own)


def _proper(name: Name, known: KnownNames, own: KnownNames) -> str | None:
    """Any other proper noun, when the evidence says it is one (see the module's docstring)."""
    if not name.native.isascii() and not _latin(name.native):
        # the dictionary's own proper noun: as known in Latin letters (桜島 -> Sakurajima), else as written
        read = camel(name.reading).lower() if name.reading else ""
        return known.spelling.get(read) or own.spelling.get(read) or name.native
    tag = camel(name.native)
    if not tag:
        return None
    if tag.lower() in known.spelling:
        return known.spelling[tag.lower()]
    return tag if name.mentions >= 2 or " " in name.native or name.kind is not Kind.OTHER else None


def _latin(text: str) -> bool:
    return all(c.isascii() or "À" <= c <= "ɏ" or not c.isalpha() for c in text)


def _one(key: str, *tables: dict[str, set[str]]) -> str | None:
    """The one tag `key` finds: in the first table that has any; none when it finds several."""
    for table in tables:
        found = table.get(key)
        if found:
            return next(iter(found)) if len(found) == 1 else None
    return None
