""" "Olympic" alone is an adjective of the Games, no tag (issue 12, no fragments: #Olympic in
16 reports, as "European" alone before it); names that hold it keep it. Invented texts."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger

BODY = (
    "Sprinter Dana Whitlow won the 60m at the national indoor championships in Ostrin on Sunday. "
    "The Olympic champion clocked 7.02 seconds, the fastest time in the world this year. Whitlow, "
    'who won Olympic gold in 2021, said she was pleased. "The Olympic final is still my aim," '
    "she said. Whitlow beat Mara Lindqvist into second place."
)


def test_olympic_alone_is_no_tag() -> None:
    tags = HashtagTagger().tag("Whitlow wins indoor sprint title", BODY)
    assert "DanaWhitlow" in tags, tags
    assert "Olympic" not in tags, tags


def test_a_name_holding_it_keeps_it() -> None:
    body = BODY + " The International Olympic Committee said it would review the result."
    tags = HashtagTagger().tag("Whitlow wins indoor sprint title", body)
    assert "InternationalOlympicCommittee" in tags, tags
