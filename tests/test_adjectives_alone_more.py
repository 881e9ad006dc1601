"""Adjectives alone are no tags (issue 12, no fragments): a compass word before one ("West
African", "North African"), a faith's ("Islamic"), one people's word for two countries
("Korean"); "Yugoslav" counts toward Yugoslavia and the BBC's "S Korean" toward South Korea.
Invented texts."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger


def test_adjectives_alone_are_no_tags() -> None:
    body = (
        "CONAKRY - Guinea's president called two days of prayer for peace on Friday. West African "
        "leaders will meet next week, and Islamic and Christian leaders backed the call. A Korean "
        "aid group and North African envoys said they would attend. Guinea's president said the "
        "prayers would begin on Sunday."
    )
    tags = HashtagTagger().tag("Guinea calls two days of prayer", body)
    assert "Guinea" in tags, tags
    assert not {"WestAfrican", "Islamic", "Korean", "NorthAfrican"} & set(tags), tags


def test_yugoslav_and_s_korean_count_toward_their_country() -> None:
    tags = HashtagTagger().tag(
        "S Korean director wins film award",
        "A S Korean director won the top award of a film festival in Berlin on Sunday. The Yugoslav "
        "jury chairman praised the film, which was shot in Seoul.",
    )
    assert "SouthKorea" in tags, tags
    assert not {"SKorean", "Korean", "Yugoslav"} & set(tags), tags
