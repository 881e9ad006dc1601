"""The numbers a report gives, comparable across languages: "6.4", "6,4" and "６．４" are 6.4;
"12,000", "12.000" and "１万２０００" are 12000.

A separator followed by exactly three digits groups thousands ("12.000", "12,000"), any other is
a decimal point ("4,25", "4.25"). Small whole numbers (up to 31: days, counts of ministers) and
years say little about which event a report is about, and are left out.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,\s ]\d{3})+|\d+)(?:[.,](\d+))?(?![\d])(?:万(\d{1,4}))?")
SMALL: Final = 31
_YEARS: Final = range(1900, 2101)
MAX_CHARS: Final = 4_000
_LONGEST: Final = 20  # characters of a number's whole part read at all


def numbers(text: str) -> frozenset[str]:
    """The telling numbers of `text` (its first MAX_CHARS characters), as canonical strings."""
    found = set()
    for m in _NUMBER.finditer(unicodedata.normalize("NFKC", text[:MAX_CHARS])):
        whole, decimals, man = m.group(1), m.group(2), m.group(3)
        if len(whole) > _LONGEST:  # no count or amount in a report is written that long
            continue
        value = float(re.sub(r"[.,\s ]", "", whole))
        if decimals is not None and man is None:
            value += float("0." + decimals)
        if m.group(0).find("万") >= 0:
            value = value * 10_000 + float(man or 0)
        if value.is_integer() and (value <= SMALL or int(value) in _YEARS):
            continue
        found.add(f"{value:g}" if value < 1e6 else str(int(value)))
    return frozenset(found)
