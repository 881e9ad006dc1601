"""When the event an English report tells of happened, as its lead says.

A wire lead dates its event: "Rwanda said on Saturday that...", "...arrested on Aug. 22",
"...said today". `event_day` reads the first such mention among the first LEAD_WORDS words of
the text and resolves it against the publication date: a weekday to the last such day on or
before it, "today" to that day, "yesterday" to the day before, a month and day to that date
(the year before when it would lie more than 60 days ahead). Two reports of one event give one
day; two events of one saga (the indictment, then the court hearing; the third stage, then
the fourth) mostly give two (`relation`, used by stories.choose).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Final, Literal

LEAD_WORDS: Final = 45
"""Words of the text looked at: a wire lead's first sentence and most of the second. Chosen
on the BASIL pairs (30 lost same-event pairs whose day comes late; 60 no better), see
docs/stories.md."""

NOT_SOUGHT: Final = None
NONE_FOUND: Final = ""

_WEEKDAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS: Final = {
    m: n
    for n, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sept", "Sep"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for m in names
}
#: The month names and abbreviations as one alternation, the longest first ("June" before "Jun").
MONTH_NAMES: Final = "|".join(sorted(_MONTHS, key=len, reverse=True))
#: Weekday and month names and abbreviations, in lower case: words that say when.
CALENDAR_WORDS: Final = frozenset(w.lower() for w in (*_WEEKDAYS, *_MONTHS))
_MENTION = re.compile(
    r"\b(?:(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b"
    r"|(?P<relative>today|tonight|yesterday)\b"
    r"|(?P<month>" + MONTH_NAMES + r")\.? (?P<day>\d{1,2})\b(?![,.]?\d))"
)
_AHEAD: Final = timedelta(days=60)

Relation = Literal["agree", "conflict", "none", "unknown"]


def event_day(text: str, published: datetime) -> str:
    """The ISO date of the first day the lead mentions, or NONE_FOUND ("")."""
    lead = " ".join(text.split()[:LEAD_WORDS])
    today = published.date()
    for m in _MENTION.finditer(lead):
        found = _resolved(m, today)
        if found is not None:
            return found.isoformat()
    return NONE_FOUND


def _resolved(m: re.Match[str], today: date) -> date | None:
    if m.group("weekday"):
        return today - timedelta(days=(today.weekday() - _WEEKDAYS.index(m.group("weekday"))) % 7)
    if m.group("relative"):
        return today - timedelta(days=1 if m.group("relative") == "yesterday" else 0)
    month, number = _MONTHS[m.group("month")], int(m.group("day"))
    for year in (today.year, today.year - 1):
        try:
            day = date(year, month, number)
        except ValueError:  # "Feb 30", "May 0"
            return None
        if day <= today + _AHEAD:
            return day
    return None


def relation(a: str | None, b: str | None) -> Relation:
    """How two reports' event days compare: "unknown" when either was not sought (features
    stored before, or another language), "none" when either lead gives none."""
    if a is NOT_SOUGHT or b is NOT_SOUGHT:
        return "unknown"
    if a == NONE_FOUND or b == NONE_FOUND:
        return "none"
    return "agree" if a == b else "conflict"
