"""Wire origin: which news agency wrote an article, when an outlet carries agency copy.

An agency is named by position, never by mention: the explicit credit (JSON-LD
`sourceOrganization`), the byline, a dateline at the start of the text ("SINGAPORE (Kyodo) --",
"(Reuters) -", "Kyodo -- ", possibly after a photo caption line), a credit line at its end
("© KYODO", "-- AFP", "[Copyright The Jiji Press, Ltd.]", Reuters' "Reporting by ...; Editing
by ..."), or a suffix of the headline ("... (Yonhap)"). "Reuters reported that ..." in the
middle of an outlet's own report names no origin, and neither does "The Associated Press
contributed to this report" (the outlet wrote it) or a photo credit ("Joshua Roberts/Reuters").
An agency outside WIRES counts when two positions agree on it (`unlisted_agency`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

# Canonical agency names, each with the other spellings it is credited under (lower case).
_AGENCIES: dict[str, tuple[str, ...]] = {
    "Kyodo": ("kyodo", "kyodo news", "kyodo news agency", "kyodo news service"),
    "Reuters": ("reuters", "thomson reuters", "reuters staff"),
    "AP": ("ap", "associated press", "the associated press", "ap news"),
    "AFP": ("afp", "agence france-presse", "agence france presse", "afp-jiji", "afp-jiji press"),
    "Jiji Press": ("jiji", "jiji press", "the jiji press", "jiji press, ltd.", "the jiji press, ltd."),
    "Yonhap": ("yonhap", "yonhap news", "yonhap news agency"),
    "dpa": ("dpa", "deutsche presse-agentur", "deutsche presse agentur"),
    "PTI": ("pti", "press trust of india"),
    "Xinhua": ("xinhua", "xinhua news agency", "xinhuanet"),
    "Bloomberg": ("bloomberg", "bloomberg news"),
    "ANSA": ("ansa", "agenzia ansa"),
    "EFE": ("efe", "agencia efe"),
    "UPI": ("upi", "united press international"),
    "IANS": ("ians", "indo-asian news service"),
    "ANI": ("ani", "asian news international"),
    "Bernama": ("bernama",),
    "Antara": ("antara", "antara news"),
    "CNA": ("cna", "central news agency", "focus taiwan"),
    "Anadolu": ("anadolu", "anadolu agency", "anadolu ajansi"),
    "TASS": ("tass", "itar-tass"),
    "RIA Novosti": ("ria novosti", "ria"),
    "Interfax": ("interfax",),
    "AAP": ("aap", "australian associated press"),
    "PA Media": ("pa media", "press association", "the press association"),
    "The Canadian Press": ("the canadian press", "canadian press"),
    "Europa Press": ("europa press",),
    "Lusa": ("lusa",),
    "Prensa Latina": ("prensa latina",),
    "Vietnam News Agency": ("vietnam news agency", "vna"),
    "KUNA": ("kuna", "kuwait news agency"),
    "IRNA": ("irna",),
    "WAM": ("wam", "emirates news agency"),
    "SPA": ("spa", "saudi press agency"),
    "Philippine News Agency": ("philippine news agency", "pna"),
    "NTB": ("ntb",),
    "Ritzau": ("ritzau",),
    "ANP": ("anp",),
    "Belga": ("belga",),
    "APA": ("apa", "austria presse agentur"),
    "PAP": ("pap", "polish press agency"),
    "CTK": ("ctk", "čtk"),
    "MTI": ("mti",),
}

WIRES: tuple[str, ...] = tuple(_AGENCIES)
"""The agencies tagwire recognises, by the name it shows (case as shown)."""

_ALIASES: dict[str, str] = {
    alias: name for name, aliases in _AGENCIES.items() for alias in (*aliases, name.lower())
}
# Longest first, so "Jiji Press" wins over "Jiji" and "AFP-Jiji" over "AFP".
_NAME = "|".join(re.escape(a) for a in sorted(_ALIASES, key=len, reverse=True))
_DASH = r"(?:-{1,2}|—|–|―|:)"

# "SINGAPORE (Kyodo) --", "Singapore, May 31 (Jiji Press)--", "(Reuters) -", "Nov. 11 (Bloomberg) --"
_PAREN_DATELINE = re.compile(rf"^[^\n()]{{0,60}}?\(\s*(?:the\s+)?({_NAME})\s*\)\s*{_DASH}\s*", re.IGNORECASE)
# "Kyodo -- ", "TOKYO, Kyodo -", "Reuters - "
_BARE_DATELINE = re.compile(rf"^(?:[^\n()]{{0,40}},\s*)?(?:the\s+)?({_NAME})\s*{_DASH}\s", re.IGNORECASE)
# "By Reuters", "By The Associated Press", "By KYODO NEWS" on a line of its own
_BY_LINE = re.compile(rf"^by\s+(?:the\s+)?({_NAME})(?:\s+staff)?\s*$", re.IGNORECASE)
# "© KYODO", "(c) 2025 Reuters", "Copyright 2025 The Associated Press. All rights reserved."
_COPYRIGHT = re.compile(
    rf"(?:^|\s)[\[(]?(?:©|\(c\)|copyright)\s*(?:©|\(c\))?\s*(?:\d{{4}}\s*)?(?:the\s+)?({_NAME})\b",
    re.IGNORECASE,
)
# "... said. -- AFP", "... (Kyodo)" at the very end; "(Kyodo)" or "AFP" as the whole last line
_TAIL_CREDIT = re.compile(
    rf"(?:(?:^|\s|[\"'”’.])[-—–]{{1,2}}\s*(?:the\s+)?({_NAME})|\(\s*(?:the\s+)?({_NAME})\s*\)|^\s*({_NAME}))\s*\.?\]?\s*$",
    re.IGNORECASE,
)
_COPYRIGHT_LINE = re.compile(r"^[\[(]?\s*(?:©|\(c\)|copyright\b)", re.IGNORECASE)
_REUTERS_SIGNOFF = re.compile(
    r"\b(?:reporting|writing|additional reporting)\s+by\s+[^\n]{2,300}?\b(?:editing|edited)\s+by\b",
    re.IGNORECASE,
)
_BLOOMBERG_SIGNOFF = re.compile(
    r"\bto contact the (?:reporters?|editors?) (?:on|responsible for) this story\b", re.I
)
# "Seoul hosts talks (Yonhap)", "Fed holds rates | Reuters", "... -- Kyodo"
_TITLE_SUFFIX = re.compile(rf"(?:\(\s*({_NAME})\s*\)|\s(?:[-—–|]{{1,2}})\s*({_NAME}))\s*$", re.IGNORECASE)
# (?<!\s): a split point starts where its whitespace does (as the leftmost match always did),
# so a long run of spaces is read once, not once from each of its characters
_PARTS = re.compile(r"(?<!\s)\s*(?:[,;|/()\[\]]|\band\b|\s[-—–]\s|^by\s)\s*", re.IGNORECASE)
# Any "(Name) --" dateline and "© Name" line, for agencies not in WIRES
_ANY_PAREN_DATELINE = re.compile(rf"^[^\n()]{{0,60}}?\(\s*([A-Z][\w&'. -]{{1,40}}?)\s*\)\s*{_DASH}")
_ANY_COPYRIGHT_LINE = re.compile(
    r"^[\[(]?\s*(?:©|\(c\)|copyright\b)\s*(?:\d{4}\s+)?([^\d\n][^\n]{1,40}?)\.?\s*"
    r"(?:all rights reserved\.?)?\]?$",
    re.IGNORECASE,
)
_PHOTO_CREDIT = re.compile(r"\b(?:photos?|photograph|images?|pictures?|credit|getty)\b", re.IGNORECASE)

_CORPORATE = re.compile(r"(?:,?\s+(?:ltd|inc|l\.?p|co|llc|gmbh|s\.a|plc)\.?)+$")

_LEAD_PARAGRAPHS = 3
_TAIL_PARAGRAPHS = 3
# a desk's sign-off closing a wire text: "-- London Newsroom +44 171 542 7658", "-- Oslo newsroom"
_DESK_SIGNOFF = re.compile(r"(?:--|[—–])[^\n]{0,80}?(?:\bnewsroom\b|\+\d[\d ()-]{6,})", re.IGNORECASE)
_TAIL_CHARS = 400
_PHOTO_REACH = 12
_SHORT = 4  # agency names this short ("AP", "RIA", "ANI") count in text only as written by the agency
_LONGEST_NAME = 200  # characters: no agency's name, corporate suffixes and all, is longer
_TITLE_TAIL = 200  # characters at the end of a headline where an agency suffix can be


def canonical(name: str | None) -> str | None:
    """The canonical agency for a credited name ("The Associated Press" -> "AP"), else None."""
    if not name or len(name) > _LONGEST_NAME:  # (also keeps _CORPORATE's work bounded)
        return None
    key = re.sub(r"\s+", " ", name).strip(" .,:;-—–\t").lower()
    key = re.sub(r"^(?:by|from)\s+", "", key)
    key = _CORPORATE.sub("", key)
    return _ALIASES.get(key)


def wire_origin(title: str, text: str, *, author: str | None = None, credit: str | None = None) -> str | None:
    """The agency whose copy this article is, or None for an outlet's own work: a name from
    WIRES (case as there), or an unlisted agency as `unlisted_agency` finds it.

    Signals in order of trust: the explicit credit, the byline, the dateline at the start of
    the text, a credit line at its end, the headline suffix. The first that names an agency wins.
    """
    checks: tuple[Callable[[], str | None], ...] = (
        lambda: from_byline(credit),
        lambda: from_byline(author),
        lambda: from_lead(text),
        lambda: from_tail(text),
        lambda: from_title(title),
        lambda: unlisted_agency(text, author=author, credit=credit),
    )
    return _first(check() for check in checks)


def unlisted_agency(text: str, *, author: str | None = None, credit: str | None = None) -> str | None:
    """An agency not in WIRES, named twice: by a dateline ("LINDMARK (Meridian Wire) --") and
    again by the credit, the byline or a closing copyright line ("© MERIDIAN WIRE"). A
    dateline alone may name a place's paper, a copyright line alone the outlet itself."""
    named = _dateline_name(text)
    if named is None:
        return None
    others = [v for v in (credit, author, *_PARTS.split(author or ""), _copyright_name(text)) if v]
    agreeing = [v.strip() for v in others if _key(v) == _key(named)]
    if not agreeing:
        return None
    written = next((v for v in (named, *agreeing) if not v.isupper()), None)
    return written or (named if len(named) <= _SHORT + 1 else named.title())


def from_byline(value: str | None) -> str | None:
    """An agency named as a whole part of a byline or credit: "Kyodo", "Jane Doe, Associated Press",
    "AFP-JIJI", "Reuters Staff"; a person's name that contains one ("Michael Bloomberg") is not."""
    if not value:
        return None
    return _first(_as_written(part) for part in (value, *_PARTS.split(value)) if part)


def from_lead(text: str) -> str | None:
    """An agency in a dateline or byline line that opens one of the first paragraphs (the first
    may be a photo caption)."""
    for para in _paragraphs(text)[:_LEAD_PARAGRAPHS]:
        head = para[:160]
        for pattern in (_PAREN_DATELINE, _BARE_DATELINE, _BY_LINE):
            found = _agency(pattern.match(head))
            if found:
                return found
    return None


def from_tail(text: str) -> str | None:
    """An agency in a credit line closing the text: "-- AFP", "(Kyodo)", a copyright line, or
    the sign-off formats of Reuters and Bloomberg."""
    tail = _paragraphs(text)[-_TAIL_PARAGRAPHS:]
    if not tail:
        return None
    found = _agency(_TAIL_CREDIT.search(tail[-1][-_TAIL_CHARS:]))
    for para in reversed(tail):
        found = found or _agency(_COPYRIGHT.search(para[-_TAIL_CHARS:]))
    return found or _from_signoff("\n".join(tail)[-_TAIL_CHARS * 2 :])


def from_title(title: str) -> str | None:
    """An agency appended to the headline: "Talks resume (Yonhap)", "Fed holds rates - Reuters"."""
    return _agency(_TITLE_SUFFIX.search(title.strip()[-_TITLE_TAIL:]))


def dateline_end(paragraph: str) -> int:
    """Where an agency dateline that opens `paragraph` ends ("Kyodo -- ", "TOKYO (AP) — "), or 0."""
    for pattern in (_PAREN_DATELINE, _BARE_DATELINE):
        m = pattern.match(paragraph)
        if _agency(m) and m is not None:
            return m.end()
    return 0


def is_credit_line(paragraph: str) -> bool:
    """Whether a whole (closing) paragraph is a credit line: "© KYODO", "-- AFP", "(Kyodo)",
    "[Copyright The Jiji Press, Ltd.]", "Reporting by ...; Editing by ..."."""
    line = paragraph.strip()
    if len(line) > _TAIL_CHARS:
        return False
    if _COPYRIGHT_LINE.match(line) or _REUTERS_SIGNOFF.match(line):
        return True
    return _agency(_TAIL_CREDIT.fullmatch(line)) is not None


def without_signoff(text: str) -> str:
    """`text` without the credit and contact lines that close it (`is_credit_line`, and a desk's
    sign-off: "-- London Newsroom +44 171 542 7658"): they tell who filed it, not what happened,
    and two reports by one desk or reporter share them. Only its last _TAIL_PARAGRAPHS lines."""
    lines = text.rstrip().split("\n")
    dropped = 0
    while lines and dropped < _TAIL_PARAGRAPHS:
        last = lines[-1].strip()
        if last and not _signoff(last):
            break
        lines.pop()
        dropped += bool(last)
    return "\n".join(lines) if dropped else text


def _signoff(line: str) -> bool:
    """A closing credit, in parentheses or not ("(Reporting by ...; Editing by ...)"), or a desk's."""
    return is_credit_line(line.strip("()")) or (len(line) <= _TAIL_CHARS and bool(_DESK_SIGNOFF.match(line)))


def _agency(m: re.Match[str] | None) -> str | None:
    """The agency a pattern matched, unless it credits a photo ("Photo -- AFP")."""
    if m is None or _PHOTO_CREDIT.search(m.string[max(0, m.start() - _PHOTO_REACH) : m.end()]):
        return None
    return _as_written(_first(m.groups()))


def _as_written(written: str | None) -> str | None:
    """The agency `written` names; a short one only in the agency's own case ("ANI", "dpa";
    "Ani" and "Ria" are people's names)."""
    name = canonical(written)
    if name is None or written is None:
        return None
    short = len(written.strip()) <= _SHORT
    return None if short and written.strip() not in (written.strip().upper(), name) else name


def _dateline_name(text: str) -> str | None:
    for para in _paragraphs(text)[:_LEAD_PARAGRAPHS]:
        m = _ANY_PAREN_DATELINE.match(para[:160])
        if m and not _PHOTO_CREDIT.search(m.group(0)):
            return m.group(1).strip()
    return None


def _copyright_name(text: str) -> str | None:
    for para in reversed(_paragraphs(text)[-_TAIL_PARAGRAPHS:]):
        m = _ANY_COPYRIGHT_LINE.match(para) if len(para) <= _LONGEST_NAME else None  # a line, short
        if m:
            return m.group(1)
    return None


def _key(name: str) -> str:
    name = name[:_LONGEST_NAME]
    key = re.sub(r"\s+", " ", name).strip(" .,:;-—–[]()").lower()
    return _CORPORATE.sub("", re.sub(r"^(?:by|the)\s+", "", key))


def _from_signoff(tail: str) -> str | None:
    if _REUTERS_SIGNOFF.search(tail):
        return "Reuters"
    if _BLOOMBERG_SIGNOFF.search(tail):
        return "Bloomberg"
    return None


@functools.lru_cache(maxsize=8)
def _paragraphs(text: str) -> tuple[str, ...]:
    """The non-empty lines of `text`; remembered, as wire_origin reads one text several ways."""
    return tuple(p.strip() for p in text.splitlines() if p.strip())


def _first(values: Iterable[str | None]) -> str | None:
    return next((v for v in values if v), None)
