"""A title inside a body's name the model read, before a given name it cut from the surname
after it ("U.S. President Bill" as a law, then "Varner"), is a person's title (issue 12, no
fragments: #USPresidentBill, and the headline's #KeyVarner for want of the full name).
Invented text."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger

BODY = (
    "CHICAGO - Tom Reddick, the political consultant who reshaped U.S. President Bill Varner's "
    "reelection campaign, has resigned, a television network reported. Reddick said he quit to "
    "spare the president. Varner thanked him."
)


def test_a_given_name_cut_from_its_surname_after_a_title_is_the_persons() -> None:
    tags = HashtagTagger().tag("Key Varner aide resigns", BODY)
    assert "BillVarner" in tags, tags
    assert "USPresidentBill" not in tags and "KeyVarner" not in tags, tags
