"""Katakana readings in Latin letters (modified Hepburn), and a sound key that lets a name heard
in Japanese ("ヘグセス", read "hegusesu") meet the same name written in English ("Hegseth").

Readings come from the Japanese dictionary (japanese.py gives every word's reading in katakana),
so romanizing is a table look-up: `hepburn("ナカタニ")` is "nakatani", `hepburn("ヘグセス")` is
"hegusesu". Japanese writes a foreign name by sound, with a vowel after every consonant but "n";
`sound_key` keeps the consonants only, merged where Japanese cannot tell them apart (l and r,
b and v, s and th), so that "hegusesu" and "Hegseth" both give "hgss".
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

_DIGRAPHS: Final = {
    "キャ": "kya", "キュ": "kyu", "キョ": "kyo", "シャ": "sha", "シュ": "shu", "ショ": "sho",
    "チャ": "cha", "チュ": "chu", "チョ": "cho", "ニャ": "nya", "ニュ": "nyu", "ニョ": "nyo",
    "ヒャ": "hya", "ヒュ": "hyu", "ヒョ": "hyo", "ミャ": "mya", "ミュ": "myu", "ミョ": "myo",
    "リャ": "rya", "リュ": "ryu", "リョ": "ryo", "ギャ": "gya", "ギュ": "gyu", "ギョ": "gyo",
    "ジャ": "ja", "ジュ": "ju", "ジョ": "jo", "ビャ": "bya", "ビュ": "byu", "ビョ": "byo",
    "ピャ": "pya", "ピュ": "pyu", "ピョ": "pyo", "ファ": "fa", "フィ": "fi", "フェ": "fe",
    "フォ": "fo", "ティ": "ti", "ディ": "di", "デュ": "dyu", "ウィ": "wi", "ウェ": "we",
    "ウォ": "wo", "ヴァ": "va", "ヴィ": "vi", "ヴェ": "ve", "ヴォ": "vo", "シェ": "she",
    "ジェ": "je", "チェ": "che", "ツァ": "tsa", "トゥ": "tu", "ドゥ": "du",
}  # fmt: skip
_ROWS: Final = (
    ("アイウエオ", ("a", "i", "u", "e", "o")),
    ("カキクケコ", ("ka", "ki", "ku", "ke", "ko")),
    ("サシスセソ", ("sa", "shi", "su", "se", "so")),
    ("タチツテト", ("ta", "chi", "tsu", "te", "to")),
    ("ナニヌネノ", ("na", "ni", "nu", "ne", "no")),
    ("ハヒフヘホ", ("ha", "hi", "fu", "he", "ho")),
    ("マミムメモ", ("ma", "mi", "mu", "me", "mo")),
    ("ヤユヨ", ("ya", "yu", "yo")),
    ("ラリルレロ", ("ra", "ri", "ru", "re", "ro")),
    ("ワヲ", ("wa", "o")),
    ("ガギグゲゴ", ("ga", "gi", "gu", "ge", "go")),
    ("ザジズゼゾ", ("za", "ji", "zu", "ze", "zo")),
    ("ダヂヅデド", ("da", "ji", "zu", "de", "do")),
    ("バビブベボ", ("ba", "bi", "bu", "be", "bo")),
    ("パピプペポ", ("pa", "pi", "pu", "pe", "po")),
    ("ァィゥェォ", ("a", "i", "u", "e", "o")),
    ("ャュョ", ("ya", "yu", "yo")),
    ("ヴン", ("vu", "n")),
)
_SINGLE: Final = {k: v for kana, sounds in _ROWS for k, v in zip(kana, sounds, strict=True)}
_LONG_VOWELS: Final = re.compile(r"(?:ou|uu|oo)(?=[^aiueo]|$)")


def is_katakana(text: str) -> bool:
    """Whether `text` is written in katakana alone (with the long-vowel mark and middle dot)."""
    return bool(text) and all("゠" <= c <= "ヿ" for c in text)


def hepburn(kana: str) -> str:
    """A katakana (or hiragana) reading in modified Hepburn, long vowels simplified as names are
    written in English ("トウキョウ" -> "tokyo", "オオタニ" -> "otani"); characters that are not
    kana are dropped."""
    kana = "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in kana)
    out: list[str] = []
    i, double = 0, False
    while i < len(kana):
        pair, one = kana[i : i + 2], kana[i]
        sound = _DIGRAPHS.get(pair)
        i += 2 if sound else 1
        sound = sound or _SINGLE.get(one, "")
        if one == "ッ":
            double = True
            continue
        if one == "ー" and out:
            continue  # a long vowel, written short in names
        if double and sound:
            sound = ("t" if sound.startswith("ch") else sound[0]) + sound
        double = False
        out.append(sound)
    return _LONG_VOWELS.sub(lambda m: m.group()[0], "".join(out))


_LATIN_SOUNDS: Final = (
    ("tch", "s"), ("sch", "s"), ("th", "s"), ("ph", "f"), ("ck", "k"), ("gh", ""), ("sh", "s"),
    ("ch", "s"), ("ts", "s"), ("x", "ks"), ("q", "k"), ("c", "k"), ("z", "s"), ("j", "s"),
    ("v", "b"), ("l", "r"),
)  # fmt: skip


def sound_key(word: str) -> str:
    """The consonants of a name as Japanese hears them: "Hegseth" and "hegusesu" -> "hgss",
    "Trump" and "toranpu" -> "trnp". Letters folded to ASCII, h kept only at the start, y and
    w dropped, doubled consonants single, "m" before "b"/"p" as "n" (Japanese writes both ン)."""
    w = _ascii(word.lower())
    w = re.sub(r"c(?=[eiy])", "s", w)
    for written, heard in _LATIN_SOUNDS:
        w = w.replace(written, heard)
    w = re.sub(r"m(?=[bp])", "n", w)
    w = re.sub(r"(.)\1+", r"\1", w[:1] + re.sub(r"[hyw]", "", w[1:]))
    return re.sub(r"[^a-z]|[aeiou]", "", w)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
