"""Social platforms: a medium in most reports, the subject of some.

"Trump attacked Comey on Twitter", "in a Facebook post", "a YouTube video": the platform is where
something was said, and the story is not about it (its topic, #SocialMedia, reads the same words).
"Facebook bans cryptocurrency adverts", "Twitter suspended the accounts": the platform acts, and
the story is about it; a reader following #Facebook expects it there. So a platform's name is a
name like any other, except where the text uses it as a channel: those mentions are dropped
before ranking (`without_channels`), and a platform only ever used so gets no tag.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Final

from tagwire.understand.entities import Mention

#: The platforms whose names news uses as a medium (a name alone; "Facebook Live", "YouTube
#: Music" are names of their own). "X" is left out: one capital letter is no name to read.
PLATFORMS: Final = frozenset(
    {"facebook", "twitter", "instagram", "tiktok", "youtube", "whatsapp", "linkedin"}
)
_NAME = f"(?:{'|'.join(sorted(PLATFORMS))})"  # the patterns ignore case
#: Before a platform: "on Twitter", "via Instagram", "over Twitter", "posted to YouTube", "took to
#: Facebook", "used Twitter to", "on Facebook and Twitter" (each of a list).
_CHANNEL_BEFORE: Final = re.compile(
    r"(?:\b(?:on|via|onto|over|through|across|(?:post(?:s|ed|ing)?|upload(?:s|ed|ing)?|took|tak(?:e|es|en|ing)"
    r"|went|go(?:es|ne|ing)?|turn(?:s|ed|ing)?|return(?:s|ed|ing)?)\s++to|use[sd]?|using|use\s++of)\s++"
    rf"(?:{_NAME}\s*+(?:,|and|or|&)\s++)*+)\Z",
    re.I,
)
#: After a platform: what is posted, kept or fought there, and who is known for it ("a Facebook
#: post", "his Twitter account", "Instagram followers", "a Twitter feud", "a TikTok star"), also
#: of a list ("the company's Facebook or Twitter accounts"); not after a possessive ("Facebook's
#: users" are the company's).
_CHANNEL_AFTER: Final = re.compile(
    rf"(?:\s*+(?:,|and|or|&)\s++{_NAME})*+\s++(?:posts?|posted|postings?|pages?|accounts?|feeds?|videos?"
    r"|livestreams?|messages?|status|updates?|profiles?|users?|followers?|fans|friends|handles?"
    r"|stor(?:y|ies)|chats?|groups?|channels?|threads?|comments?|photos?|clips?|live|feuds?|wars?"
    r"|spats?|rants?|tirades?|storms?|outbursts?|sprees?|stars?|influencers?|creators?|personalit(?:y|ies)"
    r"|sensations?|celebrit(?:y|ies))\b",
    re.I,
)
#: Characters read before and after a platform's name for those patterns (a list of four).
_BEFORE_CHARS: Final = 60
_AFTER_CHARS: Final = 60


def channel(text: str, start: int, end: int) -> bool:
    """Whether the platform named at text[start:end] is used as a medium there; never in the
    possessive ("a hearing on Facebook's privacy rules": the company's)."""
    if text[end : end + 2] in ("'s", "’s"):
        return False
    return bool(
        _CHANNEL_BEFORE.search(text[max(0, start - _BEFORE_CHARS) : start])
        or _CHANNEL_AFTER.match(text, end, end + _AFTER_CHARS)
    )


def without_channels(found: list[Mention], title: str, body: str) -> list[Mention]:
    """`found` without the mentions of a platform used as a medium (`channel`), and without a
    platform left with one mention past the headline: one of a list ("Facebook, Twitter,
    LinkedIn, etc."), a comparison ("what Facebook was to Snapchat"), a medium the patterns do
    not read ("as well as Facebook, to help organize"). In the headline (offset -1), a platform
    counts as a medium when the headline uses it so wherever it names it."""
    headline = {name: _headline_channel(name, title) for name in _platforms(m for m in found if m.start < 0)}
    kept = [m for m in found if not _as_channel(m, body, headline)]
    acts = Counter(m.text.lower() for m in kept if m.text.lower() in PLATFORMS)
    heads = {m.text.lower() for m in kept if m.start < 0}
    lone = {name for name, n in acts.items() if n == 1 and name not in heads}
    return [m for m in kept if m.text.lower() not in lone]


def _platforms(found: Iterable[Mention]) -> set[str]:
    return {m.text.lower() for m in found} & PLATFORMS


def _headline_channel(name: str, title: str) -> bool:
    """Whether the headline uses platform `name` as a medium wherever it names it."""
    spots = [h.span() for h in re.finditer(rf"\b{re.escape(name)}\b", title, re.I)]
    return bool(spots) and all(channel(title, s, e) for s, e in spots)


def _as_channel(m: Mention, body: str, headline: dict[str, bool]) -> bool:
    """Whether mention `m` names a platform used as a medium (`headline`: each platform the
    headline names, and whether it uses it so)."""
    name = m.text.lower()
    if name not in PLATFORMS:
        return False
    if m.start < 0:
        return headline[name]
    end = m.start + len(m.text)
    return body[m.start : end].lower() == name and channel(body, m.start, end)
