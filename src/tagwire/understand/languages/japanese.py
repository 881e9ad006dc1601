"""Japanese, read with SudachiPy and its small dictionary (sudachidict-small): words, where
Japanese writes none apart, and the names among them.

The dictionary knows family and given names (中谷: 名詞,固有名詞,人名,姓; 和男: 人名,名), places
(シンガポール: 地名,国) and some organisations (日銀), each with its reading in katakana. It is a
dictionary, not a trained named-entity model: a name it does not list (ヘグセス, a foreign name
written by its sound) is a common noun to it, so a katakana word it does not know is kept as a
`SOUNDED` name, which becomes a hashtag only when it sounds like a name tagwire already knows
(known.py). The dateline (【シンガポール共同】) is read by credits.py, not here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from tagwire.errors import TagwireError
from tagwire.understand.languages import aliases
from tagwire.understand.languages.models import unbudgeted
from tagwire.understand.languages.names import Kind, Name, gather
from tagwire.understand.languages.romaji import hepburn, is_katakana

MAX_CHARS: Final = 20_000  # characters of a text read at all (copies and stories need no more)
NAME_CHARS: Final = 4_000  # characters read for names (past that, hashtags would not change)
_CHUNK: Final = 2_000  # characters given to the tokenizer at once (it refuses very long input)
_NO_WORD: Final = frozenset({"補助記号", "空白"})
_DATELINE: Final = re.compile(r"^\s*【[^】\n]{1,30}】")
_MIN_SOUNDED: Final = 3  # katakana characters of a foreign name at least (no "ミス")
_ALIAS_SPAN: Final = 4  # tokens an alias can span (日本 + 銀行)
#: Titles written after a person's name: a katakana word the dictionary does not know is taken for
#: a foreign name only when one follows within _TITLE_REACH words (ヘグセス米国防長官).
_TITLES: Final = frozenset(
    [
        "氏",
        "さん",
        "長官",
        "大統領",
        "首相",
        "外相",
        "国防相",
        "防衛相",
        "大臣",
        "議員",
        "総裁",
        "会長",
        "社長",
        "報道官",
        "知事",
        "市長",
        "監督",
        "選手",
        "代表",
        "議長",
        "司令官",
        "被告",
        "容疑者",
        "元首",
        "国王",
        "首席",
        "委員長",
        "書記長",
        "総書記",
        "候補",
        "最高経営責任者",
        "CEO",
        "教授",
        "博士",
    ]
)
_TITLE_REACH: Final = 3


@dataclass(frozen=True)
class Token:
    surface: str
    pos: tuple[str, ...]
    reading: str
    at: int  # offset in the text read


@functools.cache
def tokenizer() -> Any:
    """SudachiPy's tokenizer on the small dictionary, mode B (middle-sized words: 中谷 / 元 /
    防衛相), loaded once per process (a few hundredths of a second)."""
    try:
        from sudachipy import Dictionary, SplitMode
    except ImportError:  # pragma: no cover - part of the default install
        raise TagwireError(
            "Japanese needs SudachiPy: `pip install sudachipy sudachidict-small` (see README)"
        ) from None
    with unbudgeted():
        return Dictionary(dict="small").tokenizer(SplitMode.B)


def tokens(text: str, limit: int = MAX_CHARS) -> list[Token]:
    """The words of `text` (its first `limit` characters), in order, with offsets."""
    out: list[Token] = []
    for start, chunk in _chunks(text[:limit]):
        for m in tokenizer().tokenize(chunk):
            surface = m.surface()
            if surface.strip():
                out.append(Token(surface, tuple(m.part_of_speech()[:4]), m.reading_form(), start + m.begin()))
    return out


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Pieces of at most _CHUNK characters, cut after a full stop or a line where there is one."""
    start = 0
    while start < len(text):
        end = min(len(text), start + _CHUNK)
        if end < len(text):
            cut = max(text.rfind("。", start, end), text.rfind("\n", start, end))
            end = cut + 1 if cut > start else end
        yield start, text[start:end]
        start = end


@functools.lru_cache(maxsize=1024)
def spaced(text: str) -> str:
    """The words of `text` (its first MAX_CHARS characters) with spaces between them: what
    copies.py shingles. Remembered: deciding copies compares a text with many candidates, and
    the same candidates come back for article after article."""
    words = []
    for _, chunk in _chunks(text[:MAX_CHARS]):
        words += [m.surface() for m in tokenizer().tokenize(chunk) if m.part_of_speech()[0] not in _NO_WORD]
    return " ".join(w for w in words if w.strip())


def strip_dateline(text: str) -> str:
    return _DATELINE.sub("", text, count=1)


def content_words(text: str, limit: int) -> list[str]:
    """Nouns of two characters or more (or one kanji): the words story matching compares."""
    return [
        t.surface
        for t in tokens(text, limit)
        if t.pos[0] == "名詞" and t.pos[1] in ("普通名詞", "固有名詞") and _content(t.surface)
    ]


def _titled(toks: list[Token], j: int) -> bool:
    """Whether a person's title follows toks[j - 1] within _TITLE_REACH words."""
    return any(t.surface in _TITLES or t.surface.endswith("長官") for t in toks[j : j + _TITLE_REACH])


def _content(word: str) -> bool:
    return len(word) >= 2 or "一" <= word <= "鿿"


def read_names(title: str, text: str) -> list[Name]:
    """The names of an article: people (family name, given name, or both), places, organisations,
    aliases of countries and big organisations (aliases.tsv), and katakana words the dictionary
    does not know (SOUNDED)."""
    body = strip_dateline(text)
    lead = body.find("\n")
    lead = 300 if lead < 0 else max(lead, 100)
    found = [*_names(tokens(title, 500), -1), *_names(tokens(body, NAME_CHARS), None)]
    return gather(found, lead)


def _names(toks: list[Token], at: int | None) -> Iterator[tuple[str, Kind, str, str | None, int]]:
    i = 0
    while i < len(toks):
        where = toks[i].at if at is None else at
        alias = _alias(toks, i)
        if alias is not None:
            span, tag, kind = alias
            yield "".join(t.surface for t in toks[i : i + span]), kind, "", tag, where
            i += span
            continue
        name, span = _name(toks, i)
        if name is not None:
            yield (*name, None, where)
        i += span


def _alias(toks: list[Token], i: int) -> tuple[int, str, Kind] | None:
    if toks[i].surface[:1] not in aliases.first_characters():
        return None
    for span in range(min(_ALIAS_SPAN, len(toks) - i), 0, -1):
        found = aliases.lookup("".join(t.surface for t in toks[i : i + span]))
        if found is not None:
            return span, *found
    return None


def _name(toks: list[Token], i: int) -> tuple[tuple[str, Kind, str] | None, int]:
    """The name that starts at toks[i] (or None) and how many tokens it spans."""
    t = toks[i]
    pos = t.pos
    if pos[1] == "固有名詞" and pos[2] == "人名":
        if pos[3] == "姓":
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is not None and nxt.pos[2:4] == ("人名", "名"):
                reading = f"{hepburn(t.reading)} {hepburn(nxt.reading)}"
                return (t.surface + nxt.surface, Kind.PERSON, reading), 2
            return (t.surface, Kind.SURNAME, hepburn(t.reading)), 1
        if pos[3] == "名":
            return None, 1
        kind = Kind.SOUNDED if is_katakana(t.surface) else Kind.PERSON
        return (t.surface, kind, hepburn(t.reading)), 1
    if pos[1] == "固有名詞":
        kind = Kind.PLACE if pos[2] == "地名" else Kind.ORG
        return (t.surface, kind, hepburn(t.reading)), 1
    if pos[0] == "名詞" and is_katakana(t.surface):
        span = 1
        while (
            i + span < len(toks) and toks[i + span].pos[0] == "名詞" and is_katakana(toks[i + span].surface)
        ):
            span += 1
        word = "".join(x.surface for x in toks[i : i + span])
        if len(word.replace("ー", "")) >= _MIN_SOUNDED and _titled(toks, i + span):
            return (word, Kind.SOUNDED, hepburn(word)), span
        return None, span
    return None, 1
