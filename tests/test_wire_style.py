"""The wire's own writing (issue 12, wire stories judged by an editor): headlines in capitals
with the wire's abbreviations of units ("310 MLN DLRS"), a treasurer's title before the name.
Invented texts."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger


def test_units_in_a_capitals_headline_are_no_tag(tagger: HashtagTagger) -> None:
    body = (
        "WASHINGTON, March 4 - Velmoran banks' discount window borrowings averaged 310 mln dlrs a "
        "day in the week to Wednesday, the central bank said. Oil output rose to 3.5 mln bpd, and "
        "the FOB premium was 13.50 dlrs a tonne, up 2.50 dlrs, the Velmora Trade Board said."
    )
    tags = tagger.tag("VELMORA BANK BORROWINGS 310 MLN DLRS, OUTPUT 3.5 MLN BPD", body)
    assert not {"MlnDlrs", "MlnBpd", "Mln", "Dlrs", "FOB"} & set(tags), tags


def test_a_treasurers_title_is_no_part_of_the_name(tagger: HashtagTagger) -> None:
    body = (
        "CANBERRA, March 4 - Treasurer Hollis Brant cut the forecast for growth to 2.25 pct "
        "from 3.0 pct on Wednesday. Brant said the trade deficit would narrow in the second half."
    )
    tags = tagger.tag("Brant cuts growth forecast", body)
    assert "HollisBrant" in tags and "TreasurerHollisBrant" not in tags, tags
