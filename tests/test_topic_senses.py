"""Topic words of two senses (issue 12, no topic fired by a word of another sense): a tremor of
the hand is no earthquake, a shortage of skills no supply chain. Invented texts."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger


def test_a_tremor_of_the_hand_is_no_earthquake(tagger: HashtagTagger) -> None:
    body = (
        "A computer mouse that smooths out the shaking of users with a tremor has gone on sale. "
        "People with essential tremor, which makes the hands shake, find it hard to click. The "
        "makers said the tremor filter would help thousands of people use a computer."
    )
    assert "Earthquakes" not in tagger.tag("Anti-tremor mouse steadies clicks", body)
    quake = "An earth tremor shook the town of Varno on Monday, and a second earth tremor followed."
    assert "Earthquakes" in tagger.tag("Earth tremor shakes Varno", quake)


def test_a_shortage_of_skills_is_no_supply_chain(tagger: HashtagTagger) -> None:
    body = (
        "Universities face shortages of statisticians and economists, a committee of MPs said. "
        "The shortages would grow as staff retire, it said, and called for a fund to train more."
    )
    assert "SupplyChain" not in tagger.tag("Skills shortages ahead in social science", body)
    chips = "Car makers cut output as supply shortages of chips spread, and supply shortages may last."
    assert "SupplyChain" in tagger.tag("Supply shortages hit car makers", chips)
