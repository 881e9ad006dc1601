"""The wire's own writing (issue 12, wire stories judged by an editor): headlines in capitals
with the wire's abbreviations of units ("310 MLN DLRS"; no key phrase holds one, "MLN BALES"), a
treasurer's title before the name. Invented texts."""

from __future__ import annotations

from tagwire.understand import entities, mentions
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


def test_a_wire_unit_or_a_single_letter_makes_no_key_phrase() -> None:
    lex = entities.lexicon()
    body = (
        "KARACHI, March 2 - Tarnia's cotton output reached 7.7 mln bales this season, up from "
        "7.1 mln bales, the farm ministry said. Exports may reach 3.1 mln bales."
    )
    found = mentions.key_phrases("TARNIA COTTON OUTPUT REACHES 7.7 MLN BALES", body, lex)
    assert not [m for m in found if "MLN" in m.text.upper()], found
    broken = "The First Lady\ufffds roots reach back to 1850; the First Lady\ufffds roots are told here."
    assert not mentions.key_phrases("In First Lady\ufffds Roots, a Path", broken, lex)  # no "S Roots"


def test_a_central_bank_and_its_initials_are_one_tag(tagger: HashtagTagger) -> None:
    body = (
        "TOKYO, Dec 6 - The Bank of Japan bought dollars in the market on Friday to stop the yen's "
        "rise, dealers said. The BOJ also said it would keep its discount rate unchanged, and "
        "the BOJ's governor said the economy was recovering.\n\nThe Swiss National Bank left its "
        "rates unchanged, and the SNB said the franc was too strong."
    )
    tags = tagger.tag("BOJ buys dollars to stem yen rise", body)
    assert "BankOfJapan" in tags and "BOJ" not in tags, tags
    assert "SwissNationalBank" in tags and "SNB" not in tags and "NationalBank" not in tags, tags


def test_a_tournaments_nickname_is_its_tag(tagger: HashtagTagger) -> None:
    body = (
        "Kim Varga says she could be fit to play in the Aussie Open next month. The Belgian has "
        "not played since October, but the Australian Open's director said she would be welcome, "
        "and Varga said the Aussie Open was her favourite tournament."
    )
    tags = tagger.tag("Varga could play Aussie Open", body)
    assert "AustralianOpen" in tags and "AussieOpen" not in tags, tags
