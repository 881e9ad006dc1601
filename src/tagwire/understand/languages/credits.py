"""Wire origin from the credits and datelines of other languages, where provenance.py (which
reads English and Latin-script datelines such as "SINGAPUR (dpa) -") finds none.

Japanese and Chinese agencies sign by position as the English ones do: a dateline bracket that
opens the text ending in the agency's short name (【シンガポール共同】 is Kyodo's,
【ワシントン時事】 Jiji Press', 【ソウル聯合】 Yonhap's), a credit in brackets closing it
(（共同）, （時事）), or Xinhua's "新华社北京5月31日电" opening line. An agency named inside a sentence
("共同通信によると", according to Kyodo) names no origin.
"""

from __future__ import annotations

import re
from typing import Final

# The short names agencies sign with in Japanese, Chinese and Korean text.
_SIGNATURES: Final = {
    "共同": "Kyodo",
    "共同通信": "Kyodo",
    "時事": "Jiji Press",
    "時事通信": "Jiji Press",
    "聯合": "Yonhap",
    "連合": "Yonhap",
    "新華社": "Xinhua",
    "新华社": "Xinhua",
    "ロイター": "Reuters",
    "路透社": "Reuters",
    "AFP": "AFP",
    "ＡＦＰ": "AFP",
    "AP": "AP",
    "ＡＰ": "AP",
    "中央社": "CNA",
    "연합뉴스": "Yonhap",
}
_NAMES = "|".join(re.escape(s) for s in sorted(_SIGNATURES, key=len, reverse=True))
# 【シンガポール共同】, 【ワシントン時事】, 【北京＝共同】
_BRACKET_DATELINE = re.compile(rf"^\s*[【\[]\s*[^】\]\n]{{0,20}}?[=＝]?({_NAMES})\s*[】\]]")
# 新华社北京5月31日电, 中央社台北31日電
_CHINESE_DATELINE = re.compile(rf"^\s*({_NAMES})[^\n]{{0,20}}?[电電]")
# a closing credit: （共同）, (時事), 【共同】
_TAIL_CREDIT = re.compile(rf"[（(【\[]\s*({_NAMES})\s*[）)】\]]\s*$")


def wire_origin(title: str, text: str) -> str | None:
    """The agency a dateline or closing credit of another script names, else None."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    for line in lines[:2]:
        for pattern in (_BRACKET_DATELINE, _CHINESE_DATELINE):
            m = pattern.match(line[:60])
            if m:
                return _SIGNATURES[m.group(1)]
    m = _TAIL_CREDIT.search(lines[-1][-40:]) or _TAIL_CREDIT.search(title.strip()[-20:])
    return _SIGNATURES[m.group(1)] if m else None
