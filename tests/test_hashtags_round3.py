"""Hashtags an editor would keep, third round of issue 12: a paper cited only as the source of a
report is no subject of the story, "the" before an unlabelled phrase makes it a body (no person
whose first word would stand for it), and a handle or a web address is no evidence that a name
is an ordinary word. The articles are invented for these tests."""

from __future__ import annotations

import pytest

from tagwire.understand import entities, hashtags, mentions
from tagwire.understand.entities import Mention
from tagwire.understand.hashtags import HashtagTagger, rank_names


def _cited(body: str, name: str) -> bool:
    return hashtags._cited(body, Mention(name, "ORG", body.index(name)))


@pytest.mark.parametrize(
    "body",
    [
        "The mayor resigned, according to the Harlow Ledger.",
        "The mayor told The Harlow Ledger that she would resign.",
        "Harlow Ledger reported on Monday that the mayor would resign.",
        "The Harlow Ledger now reports that the mayor has resigned.",
        "Harlow Ledger was first to report the resignation.",
        "Emails obtained by the Harlow Ledger show the mayor resigned.",
    ],
)
def test_a_name_cited_as_a_source(body: str) -> None:
    assert _cited(body, "Harlow Ledger")


@pytest.mark.parametrize(
    "body",
    [
        "The Harlow Ledger was sold to a bank on Monday.",
        "Staff at the Harlow Ledger went on strike.",
        "The mayor said in Harlow Ledger offices that she would resign.",
    ],
)
def test_a_name_not_cited(body: str) -> None:
    assert not _cited(body, "Harlow Ledger")


def test_a_person_is_never_only_a_source() -> None:
    body = "The plan failed, according to Ines Varga. Ines Varga reported the loss."
    found = [Mention("Ines Varga", "PERSON", body.index("Ines")), Mention("Ines Varga", "PERSON", 43)]
    ranked = rank_names(found, 10, body)
    assert ranked and all(score > 0 for score, _, _ in ranked)


def test_a_paper_cited_as_the_source_comes_after_the_story(tagger: HashtagTagger) -> None:
    body = (
        "Velmora's council approved a new tram line on Monday, the Harlow Ledger reported. Mayor "
        "Ines Varga said the line would open in 2028.\n\n"
        "The Velmora Transit Agency will run the tram, according to the Harlow Ledger. Varga said "
        "the agency would hire 200 drivers, and the council will vote on fares in May."
    )
    tags = tagger.tag("Velmora approves tram line", body)
    assert "HarlowLedger" in tags
    assert tags.index("HarlowLedger") > max(tags.index("InesVarga"), tags.index("VelmoraTransitAgency"))


def test_a_paper_in_the_headline_stays_a_subject(tagger: HashtagTagger) -> None:
    body = (
        "The Harlow Ledger was sold to a bank on Monday, the Harlow Ledger reported. The paper's "
        "owner, Ines Varga, said the sale would keep the Harlow Ledger printing daily."
    )
    tags = tagger.tag("Harlow Ledger sold to a bank", body)
    assert tags[:2].count("HarlowLedger") == 1


def test_a_phrase_after_the_is_a_body_not_a_person() -> None:
    body = "The mayor told The Velmora Star on Monday. Crowds filled Velmora on Sunday, and Velmora cheered."
    found = [
        Mention("Velmora Star", "PHRASE", body.index("Velmora Star")),
        Mention("Velmora", "UNK", body.index("Velmora on")),
        Mention("Velmora", "UNK", body.index("Velmora cheered")),
    ]
    linked = mentions.link_names(found, entities.lexicon(), body)
    assert [m.text for m in linked] == ["Velmora Star", "Velmora", "Velmora"]


def test_a_phrase_shaped_like_a_person_still_links_its_surname() -> None:
    body = "Councillor Tomas Berg voted against. Berg said the cost was too high."
    found = [
        Mention("Tomas Berg", "PHRASE", body.index("Tomas")),
        Mention("Berg", "UNK", body.index("Berg said")),
    ]
    linked = mentions.link_names(found, entities.lexicon(), body)
    assert [m.text for m in linked] == ["Tomas Berg", "Tomas Berg"]


def test_handles_and_addresses_are_no_lower_case_evidence() -> None:
    words = entities.lower_words("messages with @velmoraleaks, #tramnow and velmora.org/fares went out.")
    assert not {"velmoraleaks", "tramnow", "velmora"} & words
    assert {"messages", "with", "and", "went", "out"} <= words


def test_an_ordinal_alone_is_the_name_it_opens(tagger: HashtagTagger) -> None:
    body = (
        "Ines Varga, a former tax official, will invoke the Ninth Charter at a hearing in Velmora. "
        "She will plead the Ninth, her lawyer said.\n\nPleading the Ninth, he said, was her right."
    )
    tags = tagger.tag("Tax official to invoke Ninth Charter", body)
    assert "NinthCharter" in tags and "Ninth" not in tags


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Two Velmora Navy ships joined the search.", "Velmora", True),
        ("She joined the Writers Guild of Velmora last year.", "Velmora", True),
        ("Ships sailed from Velmora on Monday.", "Velmora", False),
        ("Talks between Velmora and Harlow failed.", "Velmora", False),
    ],
)
def test_a_place_as_a_modifier(text: str, name: str, expected: bool) -> None:
    assert hashtags._modifier(text, Mention(name, "GPE", text.index(name))) is expected


def test_a_nationality_word_is_a_modifier() -> None:
    text = "The Velmoran passenger was found."
    m = Mention("Velmora", "GPE", text.index("Velmoran"), entities.DEMONYM_WEIGHT)
    assert hashtags._modifier(text, m)


def test_a_place_named_only_as_a_modifier_comes_after_the_story() -> None:
    body = (
        "Ines Varga met Tomas Berg. The Velmora Navy searched the bay, and Velmora Coast Guard ships helped."
    )
    found = [
        Mention("Ines Varga", "PERSON", body.index("Ines")),
        Mention("Tomas Berg", "PERSON", body.index("Tomas")),
        Mention("Velmora", "GPE", body.index("Velmora Navy")),
        Mention("Velmora", "GPE", body.index("Velmora Coast")),
    ]
    ranked = {tag: score for score, _, tag in rank_names(found, len(body), body)}
    assert ranked["Velmora"] < 0 < min(ranked["InesVarga"], ranked["TomasBerg"])
    named = body + " Ships sailed from Velmora."
    found.append(Mention("Velmora", "GPE", named.index("Velmora.")))
    assert {tag: score for score, _, tag in rank_names(found, len(body), named)}["Velmora"] > 0


def test_a_place_in_the_headline_is_never_only_a_modifier() -> None:
    body = "The Velmora Navy searched the bay."
    found = [Mention("Velmora", "GPE", -1), Mention("Velmora", "GPE", body.index("Velmora"))]
    assert all(score > 0 for score, _, _ in rank_names(found, 10, body))


def test_a_source_cited_at_the_start_of_the_text() -> None:
    assert _cited("Told Harlow Ledger: the mayor resigned.", "Harlow Ledger")
    assert not _cited("Ines Varga told\nHarlow Ledger staff to leave.", "Harlow Ledger")
