"""What an article in another language names, before it is matched with the names tagwire knows:
`Name` is one name as written there, with how much the article makes of it.

A reader (japanese.py, latin.py) gives each name found its kind, its weighted mentions
(headline, lead, rest, as the English hashtags count them) and, for Japanese, its reading in
Latin letters. known.py turns them into hashtags.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

#: What one mention counts in the headline and the lead against 1.0 later (as in hashtags.py).
TITLE_WEIGHT: Final = 6.0
LEAD_WEIGHT: Final = 2.0
LEAD_CHARS: Final = 300  # the lead of a text without paragraphs: about its first 300 characters


class Kind(StrEnum):
    PERSON = "person"  # a full name: given and family name ("Gen Nakatani"; 植田和男)
    SURNAME = "surname"  # a family name alone (中谷; "Nakatani" after "Gen Nakatani")
    SOUNDED = "sounded"  # a foreign name written by its sound, in katakana (ヘグセス): known names only
    PLACE = "place"
    ORG = "org"
    EVENT = "event"
    OTHER = "other"  # a proper noun of no known kind
    MAYBE = "maybe"  # capitalised where nouns are too (German): a name only if already known


#: What one mention counts by kind (people and organisations are what stories are about).
KIND_WEIGHT: Final = {
    Kind.PERSON: 1.0,
    Kind.SURNAME: 1.0,
    Kind.SOUNDED: 1.0,
    Kind.ORG: 1.0,
    Kind.EVENT: 1.3,
    Kind.PLACE: 0.8,
    Kind.OTHER: 0.6,
    Kind.MAYBE: 0.8,
}


@dataclass(frozen=True)
class Name:
    """One name of an article: as written (`native`), its kind, its reading in Latin letters
    ("nakatani"; for a full Japanese name family name first, "ueda kazuo"), the tag the alias
    table gives it (or None), its weighted mentions and the order it was first met in."""

    native: str
    kind: Kind
    reading: str = ""
    tag: str | None = None
    weight: float = 0.0
    mentions: int = 0
    first: int = 0


def position_weight(at: int, lead: int) -> float:
    """What a mention counts where it stands: -1 is the headline."""
    if at < 0:
        return TITLE_WEIGHT
    return LEAD_WEIGHT if at < lead else 1.0


def gather(found: list[tuple[str, Kind, str, str | None, int]], lead: int) -> list[Name]:
    """Mentions (native, kind, reading, alias tag, offset; -1 for the headline) summed per name,
    in the order first met."""
    names: dict[tuple[str, Kind], Name] = {}
    for native, kind, reading, tag, at in found:
        key = (native, kind)
        old = names.get(key) or Name(native, kind, reading, tag, first=len(names))
        names[key] = Name(
            native,
            kind,
            old.reading,
            old.tag,
            old.weight + position_weight(at, lead) * KIND_WEIGHT[kind],
            old.mentions + 1,
            old.first,
        )
    return list(names.values())
