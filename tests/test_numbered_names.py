"""A name and the small number after it are one name when the text writes them together twice
or more ("Channel 4", "Halo 2", "Radio 4"; issue 12, no fragments: #Channel, #Halo); a score or
a number written once after a name stays apart. Invented texts."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger


def test_a_name_written_with_its_number_twice_is_one_name() -> None:
    body = (
        "Channel 4 has signed the presenter Dana Whitlow for a new Saturday show, the broadcaster "
        "said. Whitlow, who left the BBC last year, will start in March. Channel 4 said the show "
        "would run for ten weeks."
    )
    tags = HashtagTagger().tag("Whitlow joins Channel 4", body)
    assert "Channel4" in tags, tags
    assert "Channel" not in tags, tags


def test_the_headline_takes_the_bodys_numbered_name() -> None:
    body = (
        "Orbit 2 has sold five million copies in its first month, its publisher said. Orbit 2 "
        "is the best-selling game of the year so far. The first Orbit game sold two million."
    )
    tags = HashtagTagger().tag("Orbit 2 sells five million copies", body)
    assert "Orbit2" in tags, tags


def test_a_number_written_once_after_a_name_stays_apart() -> None:
    body = (
        "On Saturday, Velmora beat Harlow by 2 goals to nil. The win leaves Velmora top of the "
        "league, and Harlow 2 points behind them with a game in hand."
    )
    tags = HashtagTagger().tag("Velmora beat Harlow", body)
    assert "Harlow" in tags and not any(t.startswith("Harlow2") for t in tags), tags


def test_a_numbered_name_the_alias_table_knows_takes_its_tag() -> None:
    lead = (
        "The prime minister will set out plans for a new transport budget on Monday, his "
        "officials said, after weeks of argument inside the cabinet over how to pay for it.\n\n"
    )
    body = (
        "The plan was written at Number 10 over the summer, aides said. Ministers were shown it "
        "in September.\n\n"
        '"Number 10 has made its choice," one minister said, and the Treasury was not asked.'
    )
    tags = HashtagTagger().tag("Transport budget to be set out", lead + body)
    assert "DowningStreet" in tags, tags
    assert "Number10" not in tags, tags
