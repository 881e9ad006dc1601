"""Articles in other languages than English: each stage of understanding dispatches here on the
article's language (hook points marked "[languages]" in prepare.py and engine.py).

- names and hashtags: japanese.py (SudachiPy) for Japanese, latin.py (a fallback that never
  takes a common noun for a name) for other languages in Latin letters, the alias table for
  Chinese and Korean; known.py makes one tag per person across languages;
- wire origin: credits.py (【シンガポール共同】, （時事）, 新华社...), after provenance.py;
- copies: `copy_text` cuts Japanese into words (and Chinese and Korean into characters) for the
  shingles; a translation is never a copy (`may_copy`);
- stories: matching.py.
English articles never come here: their understanding is what it was.
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from typing import Final

from tagwire.ingest.normalize import to_utc
from tagwire.understand import stories
from tagwire.understand.languages import credits, japanese, latin, matching
from tagwire.understand.languages.known import KnownNames as KnownNames
from tagwire.understand.languages.known import hashtags as ranked
from tagwire.understand.languages.names import Kind, Name, gather

JAPANESE: Final = "ja"
_CJK: Final = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff01-\uff5e]")
#: Hashtags read from the store (those on most stories) before a process decides its first article
#: in another language: the names it matches those articles' names with (known.py).
KNOWN_FROM_STORE: Final = 50_000
#: Languages written without spaces, for which tagwire has no tokenizer: read character by character.
CHARACTERS: Final = frozenset({"zh", "ko", "th", "lo", "km", "my"})


@functools.cache
def stopwords() -> frozenset[str]:
    """data/stopwords.txt: function words of other languages, left out of story terms."""
    text = (resources.files("tagwire.understand.languages") / "data" / "stopwords.txt").read_text("utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


def own_reading(language: str | None) -> bool:
    """Whether an article in `language` is read here (any known language but English)."""
    return language is not None and language != "en"


def for_model(title: str, text: str) -> tuple[str, str]:
    """What the English model reads of an article: nothing of a text mostly in Japanese, Chinese
    or Korean script (read here; the model's reading of it would be thrown away), else all."""
    head = text[:200]
    if len(_CJK.findall(head)) * 2 > len(head) > 0:
        return "", ""
    return title, text


def may_copy(language: str | None, other: str | None) -> bool:
    """Copies are found within one language only: a translation is its own report."""
    return language is None or other is None or language == other


def copy_text(text: str, language: str | None) -> str:
    """The text as copies.py shingles it: Japanese cut into words, Chinese and others written
    without spaces cut into characters; any other text as it is."""
    if language == JAPANESE:
        return japanese.spaced(text)
    if language in CHARACTERS:
        return " ".join(c for c in text[: japanese.MAX_CHARS] if not c.isspace())
    return text


@dataclass(frozen=True)
class Reading:
    """What preparing reads of an article in another language, to be decided with the names
    known then (known.py): its names, and its story terms without hashtags."""

    language: str
    names: tuple[Name, ...]
    terms: tuple[tuple[str, float], ...]


def read(title: str, text: str, language: str) -> Reading:
    if language == JAPANESE:
        names = japanese.read_names(title, text)
        terms = _japanese_terms(title, japanese.strip_dateline(text))
    elif language in CHARACTERS:
        names, terms = _characters_names(title, text), {}
    else:
        names = latin.read_names(title, text, language)
        terms = _latin_terms(title, latin.strip_dateline(text))
    return Reading(language, tuple(names), tuple(sorted(matching.marked(terms, language).items())))


def hashtags(reading: Reading, known: KnownNames, limit: int = 12) -> tuple[list[str], dict[str, str]]:
    """The article's hashtags, best first, and how it writes those it writes otherwise
    (known.hashtags: "GenNakatani" -> "中谷元"), for the tag page."""
    return ranked(reading.names, known, limit)


def features(reading: Reading, tags: list[str], published: datetime) -> stories.StoryFeatures:
    """Story features: the reading's terms and the hashtags (weighted as stories.features does)."""
    terms = dict(reading.terms)
    for t in tags:
        if t.strip("# "):
            terms["#" + t.lstrip("#").lower()] = 1.0
    return stories.StoryFeatures(terms, to_utc(published))


def wire_origin(title: str, text: str) -> str | None:
    return credits.wire_origin(title, text)


def _weighted(raw: dict[str, float]) -> dict[str, float]:
    return {t: round(1.0 + math.log(w), 4) for t, w in raw.items() if w >= 1.0}


def _japanese_terms(title: str, body: str) -> dict[str, float]:
    raw: defaultdict[str, float] = defaultdict(float)
    for word in japanese.content_words(title, 300):
        raw[word] += stories.TITLE_WEIGHT
    for word in japanese.content_words(body, 400):
        raw[word] += stories.LEAD_WEIGHT
    return _weighted(raw)


def _latin_terms(title: str, body: str) -> dict[str, float]:
    lead = " ".join(body.split()[: stories.LEAD_WORDS])
    raw: defaultdict[str, float] = defaultdict(float)
    for found, weight in (
        (stories.content_words(title), stories.TITLE_WEIGHT),
        (stories.content_words(lead), 1.0),
    ):
        for word in found:
            if word not in stopwords():
                raw[word] += weight
    return _weighted(raw)


def _characters_names(title: str, text: str) -> list[Name]:
    """Chinese, Korean and others without a tokenizer: the alias table's forms found in the text."""
    from tagwire.understand.languages import aliases

    found: list[tuple[str, Kind, str, str | None, int]] = []
    for form, (tag, kind) in aliases.table().items():
        if len(form) >= 2 and not form.isascii():
            found += [(form, kind, "", tag, -1)] * title.count(form)
            at = text.find(form)
            while at >= 0:
                found.append((form, kind, "", tag, at))
                at = text.find(form, at + len(form))
    return gather(sorted(found, key=lambda f: f[4]), 300)
