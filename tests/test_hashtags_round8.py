"""Hashtags an editor would keep, eighth round of issue 12: a description before a name opens no
name, a short given name joins the full name, "Ventures" ends a body's name, and "Flight" before
a flight's number is no part of the tag. The articles are invented for these tests."""

from __future__ import annotations

from tagwire.understand.entities import Mention, flight_number, lexicon, nicknames
from tagwire.understand.hashtags import HashtagTagger, _model_initials
from tagwire.understand.mentions import described_acronyms, link_names


def test_a_description_opening_a_sentence_opens_no_name(tagger: HashtagTagger) -> None:
    body = (
        "Shares of Tarnwell Foods fell 4% on Tuesday after the grocer cut its forecast for the year.\n\n"
        "Rival Brockmere Markets was also lower in early trading. Fellow grocer Calder Fresh held "
        "steady. Brockmere Markets reports its own results next week."
    )
    tags = tagger.tag("Tarnwell Foods cuts its forecast", body)
    assert "RivalBrockmereMarkets" not in tags and "FellowGrocerCalderFresh" not in tags
    assert "BrockmereMarkets" in tags
    assert {"rival", "fellow", "incumbent"} <= lexicon().openers


def test_a_short_given_name_joins_the_full_name() -> None:
    found = [
        Mention("Patrick Velloway Jr.", "PERSON", 0),
        Mention("Pat Velloway", "PERSON", 120),
        Mention("Velloway", "PERSON", 200),
        Mention("William Oduya", "PERSON", 260),
        Mention("Bill Oduya", "PERSON", 300),
        Mention("Bill Harrow", "PERSON", 340),
    ]
    texts = [m.text for m in link_names(found, lexicon())]
    assert texts == [
        "Patrick Velloway Jr.",
        "Patrick Velloway Jr.",
        "Patrick Velloway Jr.",
        "William Oduya",
        "William Oduya",
        "Bill Harrow",  # no William Harrow in the article: a name of its own
    ]
    assert "Pat" in nicknames()["Patrick"] and "Bill" in nicknames()["William"]


def test_a_short_given_name_of_two_people_stays(tagger: HashtagTagger) -> None:
    found = [
        Mention("Robert Kessane", "PERSON", 0),
        Mention("Roberta Kessane", "PERSON", 60),
        Mention("Rob Kessane", "PERSON", 120),
    ]
    texts = [m.text for m in link_names(found, lexicon())]
    assert texts[2] == "Robert Kessane"  # "Rob" is short for Robert only
    found = [Mention("Michael Dunmore", "PERSON", 0), Mention("Mitchell Dunmore", "PERSON", 50)]
    assert [m.text for m in link_names(found, lexicon())] == ["Michael Dunmore", "Mitchell Dunmore"]


def test_ventures_ends_a_body_name(tagger: HashtagTagger) -> None:
    body = (
        "Quillon, a start-up that checks invoices, raised $12 million in a round led by Harlow "
        "Ventures. Harlow Ventures and Osprey Partners had backed its first round too."
    )
    assert "HarlowVentures" in tagger.tag("Quillon raises $12 million", body)


def test_flight_before_a_flight_number_is_the_noun() -> None:
    assert flight_number(["Flight", "ZX418"]) and flight_number(["Flight", "QK9"])
    assert not flight_number(["Flight", "93"])  # "Flight 93" is a name of its own
    assert not flight_number(["Flight", "Centre"])
    assert flight_number(["Norvesta", "Air", "Flight", "ZX418"])


def test_a_flight_number_is_the_tag(tagger: HashtagTagger) -> None:
    body = (
        "Searchers found debris on Monday that may come from Norvesta Air Flight ZX418, which "
        "vanished over the sea last week with 140 people on board.\n\n"
        "The flight left Velmora at dawn. Families of those on board Flight ZX418 met officials."
    )
    tags = tagger.tag("Debris may be from missing plane", body)
    assert "ZX418" in tags and "FlightZX418" not in tags and "Flight" not in tags


def test_a_model_name_abbreviated_with_its_number() -> None:
    assert _model_initials("Corvo X7") == {"CX7"}
    assert _model_initials("Kestrel Flight Simulator IV") == {"KFSIV", "KFS"}
    assert _model_initials("World War II") == {"WWII"}  # "WW" is too short to be its name
    assert _model_initials("Bank of Tarnia") == frozenset()  # no number: the usual initials


def test_an_abbreviated_model_name_is_one_tag(tagger: HashtagTagger) -> None:
    body = (
        "Tarnwell unveiled the Halden S8 on Monday, its first phone with a curved screen.\n\n"
        "The HS8 goes on sale in May. Reviewers said the Halden S8 was fast, and that the HS8 "
        "battery lasted two days."
    )
    tags = tagger.tag("Tarnwell unveils a new phone", body)
    assert "HaldenS8" in tags and "HS8" not in tags


def test_a_body_named_alone_takes_no_first_name(tagger: HashtagTagger) -> None:
    body = (
        "Tarnwell may replace the head of its phone business after weak sales of its new phones "
        "and tablets, people familiar with the matter said on Tuesday, a week after the company "
        "reported its first fall in profit in three years. Tarnwell shares fell 2 percent in "
        "Velmora, while rivals rose. Analysts had expected the change for months, and the board "
        "meets next week to decide.\n\n"
        "Officials told the Velmora Herald Tarnwell would not leave the market. Tarnwell declined "
        "to comment."
    )
    tags = tagger.tag("Shake-up possible at Tarnwell", body)
    assert "Tarnwell" in tags and "HeraldTarnwell" not in tags  # past the model's head


def test_a_name_of_a_capital_and_a_digit(tagger: HashtagTagger) -> None:
    body = (
        "The band K9 will play a free concert in Velmora in June, its first at home in ten years.\n\n"
        "K9 sold out two arenas last year. Its singer said K9 would give the money to a hospital."
    )
    assert "K9" in tagger.tag("K9 to play free concert at home", body)
    results = "Tarnwell reported H1 results on Monday. H1 sales rose 4%, and Q3 orders were higher."
    tags = tagger.tag("Tarnwell H1 sales rise", results)
    assert "H1" not in tags and "Q3" not in tags


def test_a_word_describing_an_acronym_is_no_part_of_it(tagger: HashtagTagger) -> None:
    body = (
        "The conservatives won 30% of the vote in Velmora on Sunday, and the socialists of KDV "
        "came third. KDV leader Ivo Marent said his party would talk to all sides.\n\n"
        "A coalition needs KDV, analysts said. Socialist KDV deputies met on Monday evening."
    )
    tags = tagger.tag("Conservatives win Velmora vote", body)
    assert "KDV" in tags and "SocialistKDV" not in tags


def test_described_acronyms_needs_the_acronym_alone_twice() -> None:
    found = [Mention("Socialist KDV", "PHRASE", 10), Mention("KDV", "UNK", 40), Mention("KDV", "UNK", 70)]
    assert [m.text for m in described_acronyms(found)] == ["KDV", "KDV", "KDV"]
    assert described_acronyms(found)[0].start == 20
    once = [Mention("Socialist KDV", "PHRASE", 10), Mention("KDV", "UNK", 40)]
    assert [m.text for m in described_acronyms(once)] == ["Socialist KDV", "KDV"]
