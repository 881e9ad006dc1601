"""Who a person named once is, by the words the text describes them with.

A person named once, past the headline and the lead, is most often a voice quoted about the
story ("said Ray Neidl, an analyst at Calyon Securities", "Ladbrokes spokesman Warren Lush"), or
someone met in passing ("Matthew Pinsent's rowing victory"): no subject of the story, no tag shown
(issue 12: "people named once in passing not among the first 8"). But the one who holds an office
in it is: the chief executive who announced the results, the minister who decided, the judge who
ruled ("said GM chief executive Rick Waggoner", "Zhang Hemin, director of the Wolong Nature
Reserve"). `holds_office` tells them apart by the role words nearest the name: before it in its
sentence, or in the apposition after it.
"""

from __future__ import annotations

import re
from typing import Final

#: Role words of an office: who decides, rules, leads or speaks as the head of a body.
_OFFICE_WORDS = """
    president vice-president president-elect chairman chairwoman chairperson chair chief ceo cfo
    coo executive director minister secretary secretary-general governor mayor senator sen.
    congressman congresswoman representative rep. premier chancellor leader boss head manager
    coach judge justice commissioner ambassador envoy founder co-founder owner king queen prince
    princess pope general commander admiral prosecutor sheriff speaker mp mep lawmaker councillor
    councilor board trustee captain chairs heads founded owns nominee candidate
"""
OFFICES: Final = frozenset(_OFFICE_WORDS.split())
#: Role words of a voice: someone quoted about the story, not acting in it.
_VOICE_WORDS = """
    analyst analysts economist strategist expert specialist consultant commentator professor
    lecturer academic researcher scientist spokesman spokeswoman spokesperson aide adviser
    advisor lawyer attorney solicitor editor writer author columnist reporter correspondent
    blogger witness resident neighbour neighbor fan student member observer dealer dealers trader
    traders broker brokers
"""
VOICES: Final = frozenset(_VOICE_WORDS.split())
#: A voice's word that is an office's title when capitalised ("U.S. Attorney James Kennedy").
_TITLED: Final = frozenset({"attorney"})
#: Two words of an office whose last alone is a voice's ("board member").
_OFFICE_PAIRS: Final = frozenset({("board", "member")})
#: Words between a voice's word and a name that make the name whom the voice speaks for ("a
#: spokesman for Michael Howard", "an aide to the senator", "lawyer of ...").
_PRINCIPAL_BEFORE: Final = frozenset({"for", "to", "of"})
#: Small words inside a title ("chief of staff", "head of the ...").
_TITLE_WORDS: Final = frozenset({"of", "the", "and", "&", "for"})
#: Words after which an apposition names what a role is of, no role ("director of ...", "a fan
#: from ...", "an analyst at ...").
_OBJECT_WORDS: Final = frozenset({"of", "at", "from", "for", "with", "in", "to"})
#: Words before a name and in the apposition after it that are read for a role.
BEFORE_WORDS: Final = 5
BEFORE_CHARS: Final = 120  # characters before a name read for those words (a line may be long)
AFTER_WORDS: Final = 8

_APPOSITION = re.compile(r"[ \t]*+,[ \t]++(?:(?:the|a|an|who|now|then|former)[ \t]++)?+")
_WORD_IN = re.compile(r"[ \t]*+([^\s,;:()\"“”]++)")  # the next word of a clause, spaces before it
_SENTENCE_END = re.compile(r"[.!?;:\"“”]['’\"”)]*+\Z")
_END_CHARS = 8  # a word's last characters that say whether it ends a sentence
_INITIALS = re.compile(r"(?:[A-Za-z]\.)++\Z")  # "U.S.": no sentence's end


def holds_office(body: str, start: int, text: str) -> bool:
    """Whether the person named `text` at offset `start` of `body` is described there as holding
    an office: the role word nearest the name, before it in its sentence or in the apposition after
    it, is an office's (OFFICES), not a voice's (VOICES). No role word: no office."""
    return role_at(body, start, text) == "office"


def role_at(body: str, start: int, text: str) -> str | None:
    """The role the words nearest the person named `text` at offset `start` of `body` give
    them: "office" or "voice" (see `holds_office`), None without a role word."""
    if start < 0 or body[start : start + len(text)] != text:
        return None
    role = _role_before(body, start)
    if role is None:
        role = _role_after(body, start + len(text))
    return role


def _role_before(body: str, start: int) -> str | None:
    """The role of the nearest role word among BEFORE_WORDS words before `start`, in the name's
    sentence and line, when it is the name's title: no word between them but names, role words
    and a title's own small words, or the words after its "of" ("Wasps director of rugby Warren
    Gatland", not "the first President to do so since Herbert Hoover")."""
    window = body[max(0, start - BEFORE_CHARS) : start]
    cut = start > BEFORE_CHARS and "\n" not in window  # then the window's first word may be cut
    written = window[window.rfind("\n") + 1 :].split()[int(cut) :][-BEFORE_WORDS:]
    words = [w.strip(",'’\"“”()") for w in written]
    for k in range(len(words) - 1, -1, -1):
        if k < len(words) - 1 and _ends_sentence(written[k]):
            return None  # the sentence before the name's
        role = _role(words[k])
        if role is None:
            continue
        if not _title_between(words[k + 1 :]):
            return None
        if role == "voice" and words[-1].lower() in _PRINCIPAL_BEFORE:
            return None  # "a spokesman for Michael Howard": he is whom the voice speaks for
        if role == "voice" and k and (words[k - 1].lower(), words[k].lower()) in _OFFICE_PAIRS:
            return "office"
        return role
    return None


def _title_between(words: list[str]) -> bool:
    """Whether the words between a role word and the name may be part of its title."""
    for word in words:
        if word.lower() == "of":
            return True  # "director of commercial planning"
        if not (word[:1].isupper() or word.lower() in _TITLE_WORDS or _role(word) is not None):
            return False
    return True


def _role_after(body: str, end: int) -> str | None:
    """The role of the first role word of the apposition after a name ("Zhang Hemin, director of
    ..."), within AFTER_WORDS words and before its clause ends."""
    opened = _APPOSITION.match(body, end)
    if opened is None:
        return None
    at = opened.end()
    for _ in range(AFTER_WORDS):
        word = _WORD_IN.match(body, at)
        if word is None:
            return None
        if word[1].lower() in _OBJECT_WORDS:
            return None  # a role is named before what it is of: "from the group Fathers 4 Justice"
        role, at = _role(word[1].rstrip(".'’")), word.end()
        if role == "office" and not _ends_sentence(word[1]) and _voice_next(body, at, word[1]):
            return "voice"  # "chief economist", "chief UK economist", not "board member"
        if role is not None or _ends_sentence(word[1]):
            return role
    return None


def _voice_next(body: str, at: int, office: str) -> bool:
    """Whether one of the two words after an office's word (`office`) is a voice's that makes no
    office with it ("chief UK economist", not "board member")."""
    for _ in range(2):
        word = _WORD_IN.match(body, at)
        if word is None:
            return False
        after = word[1].rstrip(".'’")
        if _role(after) == "voice":
            return (office.lower(), after.lower()) not in _OFFICE_PAIRS
        at = word.end()
    return False


def _ends_sentence(word: str) -> bool:
    """Whether a word ends its sentence ("said.", "so:", 'way."'), not initials ("U.S.")."""
    return bool(_SENTENCE_END.search(word[-_END_CHARS:])) and not _INITIALS.match(word)


def _role(word: str) -> str | None:
    lower = word.lower()
    if lower in _TITLED and word[:1].isupper():
        return "office"
    if lower in VOICES:
        return "voice"
    return "office" if lower in OFFICES else None
