"""A name in capitals that the tables know opens a body's name of two words (issue 12, names cut
in two): "the US Open" was #UnitedStates and #Open (the stop word "us" opens no name), "US
Airways" #Airways; "Open" ends an event's name ("the French Open"). Before a longer name the
place stays apart ("the US Department of Energy"), and an acronym the tables do not know opens
nothing ("1500 GMT Carnival shares"). Invented texts."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger


def test_the_us_open_is_one_event() -> None:
    body = (
        "Ilse Brandvold won the US Open on Sunday, a year after she lost in the first round of the "
        "French Open. Brandvold, 24, said the US Open crowd had carried her through the final set. "
        "She will play the Australian Open in January."
    )
    tags = HashtagTagger().tag("Brandvold takes first major title", body)
    assert {"USOpen", "FrenchOpen"} <= set(tags), tags
    assert "Open" not in tags and "UnitedStates" not in tags, tags


def test_an_airline_named_after_its_country_is_one_name() -> None:
    body = (
        "Pilots at US Airways have agreed to a pay cut, the airline said on Friday. US Airways "
        "said the deal would save it $300m a year, and that flights would run as planned."
    )
    tags = HashtagTagger().tag("Airline pilots agree to pay cut", body)
    assert "USAirways" in tags, tags
    assert "Airways" not in tags, tags


def test_a_longer_body_keeps_its_place_apart() -> None:
    body = (
        "The US Department of Energy said on Monday it would fund two new reactors in Ostrin. The "
        "US Department of Energy said the money would come from this year's budget. Shares in "
        "Velmora Power rose 4% by 1500 GMT Carnival shares fell."
    )
    tags = HashtagTagger().tag("Energy department funds reactors", body)
    assert "DepartmentOfEnergy" in tags, tags
    assert not any(t.startswith(("USDepartment", "GMT")) for t in tags), tags
