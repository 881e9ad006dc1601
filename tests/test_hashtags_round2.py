"""Hashtags an editor would keep, second round of issue 12: a feed's "Continue reading..." is
no name, a word only ever written as the end of "X of the Y" is no name of its own, a name the
model labelled a body whose last word it read as a person is the person's full name, and
coordinated modifiers make one group each ("Nebraska and Oklahoma officials"). The articles are
invented for these tests."""

from __future__ import annotations

import pytest

from tagwire.understand import entities, groups, mentions
from tagwire.understand.entities import Mention
from tagwire.understand.hashtags import HashtagTagger, camel_tag, prepare


@pytest.mark.parametrize(
    "trailer", ["Continue reading...", "Continue reading…", "Read more »", "Keep reading"]
)
def test_a_feeds_read_on_link_is_removed(trailer: str) -> None:
    assert prepare(f"Ferries to Velmora stop on Monday. {trailer}") == "Ferries to Velmora stop on Monday."


def test_read_on_words_inside_a_sentence_stay() -> None:
    text = "Readers continue reading the paper on Sundays, the survey found."
    assert prepare(text) == text


def test_a_word_that_only_ends_an_of_name_is_no_name() -> None:
    title = "Premier Ostrava gives State of the Nation speech"
    body = "Premier Ostrava gave the State of the Nation speech on Monday. The State of the Nation was long."
    found = [Mention("Nation", "UNK", -1), Mention("Nation", "UNK", body.index("Nation"))]
    assert mentions.without_fragments(found, title, body) == []


def test_a_word_also_written_alone_stays_a_name() -> None:
    body = "The Board of Governors met. Governors from six teams voted, and Governors left early."
    found = [Mention("Governors", "UNK", body.index("Governors"))]
    assert mentions.without_fragments(found, "Draft lottery changes", body) == found


def test_a_body_named_like_a_person_is_the_person(tagger: HashtagTagger) -> None:
    found = [
        Mention("Velda Marrow", "ORG", -1),
        Mention("Marrow", "PERSON", 10),
        Mention("Marrow", "PERSON", 80),
    ]
    linked = mentions.link_names(found, entities.lexicon())
    assert {(m.text, m.label) for m in linked} == {("Velda Marrow", "PERSON")}


def test_a_body_stays_a_body_without_the_person() -> None:
    found = [Mention("Harwick Eagles", "ORG", -1), Mention("Eagles", "ORG", 10)]
    linked = mentions.link_names(found, entities.lexicon())
    assert ("Harwick Eagles", "ORG") in {(m.text, m.label) for m in linked}


def test_coordinated_modifiers_make_a_group_each() -> None:
    body = (
        "Nebraska and Oklahoma officials sued. Democratic and Republican lawmakers met, and "
        "Marwick or Aldoria officials spoke; Smith and Aldoria officials left."
    )
    found = [Mention(p, "GPE", body.index(p)) for p in ("Nebraska", "Oklahoma", "Marwick", "Aldoria")]
    named = [camel_tag(m.text) for m in groups.group_mentions("Lawsuit", body, found, entities.lexicon())]
    assert named == [
        "NebraskaOfficials",
        "OklahomaOfficials",
        "DemocraticLawmakers",
        "RepublicanLawmakers",
        "MarwickOfficials",
        "AldoriaOfficials",
        "AldoriaOfficials",
    ]


def test_state_of_the_union_headline_makes_no_union_tag(tagger: HashtagTagger) -> None:
    tags = tagger.tag(
        "Ostrava State of the Union speech promised unity",
        "President Lena Ostrava promised unity in a State of the Union speech on Tuesday that "
        "divided the chamber. Critics said the State of the Union had little new. Continue reading...",
    )
    assert "Union" not in tags and "Continue" not in tags
    assert "LenaOstrava" in tags


def test_a_person_and_a_group_are_not_two_groups() -> None:
    body = "President Ostrava and Democratic lawmakers agreed, as did Aldoria and Republican voters."
    found = [
        Mention("Ostrava", "PERSON", body.index("Ostrava")),
        Mention("Aldoria", "GPE", body.index("Aldoria")),
    ]
    named = [camel_tag(m.text) for m in groups.group_mentions("Deal", body, found, entities.lexicon())]
    assert named == ["DemocraticLawmakers", "RepublicanVoters"]


def test_a_place_and_the_unknown_word_after_it_written_twice_are_one_name() -> None:
    title = "How the Velmora Rovers won the cup"
    body = "Velmora Rovers beat Harwick 2-1. In Velmora, fans said the Velmora Rovers deserved it."
    found = [
        Mention("Velmora", "GPE", -1),
        Mention("Rovers", "UNK", -1),
        Mention("Velmora", "GPE", 0),
        Mention("Rovers", "UNK", 8),
        Mention("Velmora", "GPE", body.index("Velmora,")),
        Mention("Velmora", "GPE", body.index("Velmora Rovers d")),
        Mention("Rovers", "UNK", body.index("Rovers d")),
    ]
    joined = [(m.text, m.label, m.start) for m in mentions.join_place_names(found, title, body)]
    assert joined == [
        ("Velmora Rovers", "ORG", -1),
        ("Velmora Rovers", "ORG", 0),
        ("Velmora", "GPE", body.index("Velmora,")),
        ("Velmora Rovers", "ORG", body.index("Velmora Rovers d")),
    ]


def test_a_place_and_a_word_written_together_once_stay_apart() -> None:
    body = "Velmora Rovers beat Harwick. Rovers fans in Velmora cheered."
    found = [Mention("Velmora", "GPE", 0), Mention("Rovers", "UNK", 8)]
    assert mentions.join_place_names(found, "Cup final", body) == found
