"""The day a report's lead dates its event (when.py), and how two reports' days compare."""

from __future__ import annotations

from datetime import UTC, datetime

from tagwire.understand.when import LEAD_WORDS, NONE_FOUND, event_day, relation

WEDNESDAY = datetime(1996, 8, 28, 12, tzinfo=UTC)


def test_a_weekday_is_the_last_such_day_up_to_publication() -> None:
    assert event_day("KIGALI - Rwanda said on Saturday that Zaire expelled 28.", WEDNESDAY) == "1996-08-24"
    assert event_day("The council met on Wednesday.", WEDNESDAY) == "1996-08-28"
    assert event_day("Talks resume on Tuesday; a vote is due on Friday.", WEDNESDAY) == "1996-08-27"


def test_today_yesterday_and_dates() -> None:
    assert event_day("The minister resigned today.", WEDNESDAY) == "1996-08-28"
    assert event_day("He was arrested yesterday in Lyon.", WEDNESDAY) == "1996-08-27"
    assert event_day("Kohl plans a trip to Moscow on Sept. 7, Interfax said.", WEDNESDAY) == "1996-09-07"
    assert event_day("The treaty signed on December 21 took effect.", WEDNESDAY) == "1995-12-21"
    assert event_day("Filed on Aug 22, 1996 by the court.", WEDNESDAY) == "1996-08-22"


def test_no_day_in_the_lead() -> None:
    assert event_day("Prices may 5 percent rise, traders said.", WEDNESDAY) == NONE_FOUND  # "may", a verb
    assert event_day("A report dated Feb 30 was false.", WEDNESDAY) == NONE_FOUND
    late = " ".join(["word"] * LEAD_WORDS) + " on Monday"
    assert event_day(late, WEDNESDAY) == NONE_FOUND
    assert event_day("", WEDNESDAY) == NONE_FOUND


def test_relation() -> None:
    assert relation("1996-08-27", "1996-08-27") == "agree"
    assert relation("1996-08-27", "1996-08-29") == "conflict"
    assert relation("1996-08-27", NONE_FOUND) == "none"
    assert relation(None, "1996-08-27") == relation("1996-08-27", None) == "unknown"
