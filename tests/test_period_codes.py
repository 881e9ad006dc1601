"""A half or a quarter of a year ("H1", "Q3") ends a company's name in a results headline, and a
range of months ("January-July") is no tag (issue 12, no glued words: #DeutscheBahnH1,
#JanuaryJuly). Invented texts."""

from __future__ import annotations

from tagwire.understand import entities
from tagwire.understand.hashtags import HashtagTagger


def test_a_period_code_ends_a_name() -> None:
    body = (
        "FRANKFURT - Germany's state railway Velmora Bahn AG said its first-half pre-tax profit "
        "rose 17.5 percent to 120 million marks. Turnover rose 2.1 percent in the period."
    )
    tags = HashtagTagger().tag("Velmora Bahn H1 pre-tax profit up 17.5 pct.", body)
    assert "VelmoraBahn" in tags, tags
    assert "VelmoraBahnH1" not in tags, tags


def test_a_range_of_months_is_no_tag() -> None:
    body = (
        "WIESBADEN - Air cargo flown from Aldorian airports rose 3.8 percent in the first seven "
        "months of the year, the airports association ADV said on Monday."
    )
    tags = HashtagTagger().tag("Aldorian flown cargo January-July rise 3.8 percent.", body)
    assert "JanuaryJuly" not in tags, tags


def test_calendar_words() -> None:
    assert all(entities.calendar_word(w) for w in ("H1", "Q4", "FY", "January-July", "Apr-Jul", "Monday"))
    assert not any(entities.calendar_word(w) for w in ("H10", "Q5", "Hewlett-Packard", "Rolls-Royce", "May"))
