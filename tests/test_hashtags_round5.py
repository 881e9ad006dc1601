"""Hashtags an editor would keep, fifth round of issue 12: a word of the compass before a known
place makes another place ("North America" is no #UnitedStates); a name never opens inside a
word ("iPod Touch" is no #PodTouch); kinship words are no names; a place named once before a
title ("the US president") is no tag, a nationality word stays; a site's links to its own
stories are not read and the outlet a writer works for is cited; pieces of titles of works and
of longer names are no names; a model number ends a product's name; an acronym trigger names
its topic. The articles are invented for these tests."""

from __future__ import annotations

from tagwire.understand import mentions
from tagwire.understand.entities import Mention
from tagwire.understand.hashtags import HashtagTagger, camel_tag, prepare


def test_a_compass_word_makes_another_place(tagger: HashtagTagger) -> None:
    body = (
        "A storm off Velmora is heading for the coast of North America, forecasters said on "
        "Monday. South America will see less of it, and Velmora's ports have closed."
    )
    tags = tagger.tag("Storm closes Velmora's ports", body)
    assert {"NorthAmerica", "SouthAmerica"} <= set(tags) and "UnitedStates" not in tags


def test_a_name_opens_no_word_in_its_middle(tagger: HashtagTagger) -> None:
    body = (
        "Harlow Audio released a music app for the iPod Touch on Tuesday. The iPod Touch "
        "version is free, Harlow Audio said."
    )
    tags = tagger.tag("Harlow Audio app for the iPod Touch", body)
    assert "iPodTouch" in tags and "PodTouch" not in tags


def test_a_brand_written_in_its_own_case() -> None:
    assert camel_tag("iPod Touch") == "iPodTouch" and camel_tag("eBay") == "eBay"
    assert camel_tag("pete hegseth") == "PeteHegseth"


def test_kinship_words_are_no_names(tagger: HashtagTagger) -> None:
    body = (
        "Ines Varga, the mayor of Velmora, wrote about her family on Sunday. When she is away, "
        "her daughters know that if Mommy and Daddy can't be there, they have Grandma. Grandma "
        "reads to them, and Mommy calls every night, Ines Varga wrote."
    )
    tags = tagger.tag("Velmora mayor writes about her family", body)
    assert "InesVarga" in tags and not {"Mommy", "Daddy", "Grandma"} & set(tags)


def test_a_place_named_once_before_a_title_is_no_tag(tagger: HashtagTagger) -> None:
    body = (
        "Ines Varga said on Monday that the US president had called her twice. Ines Varga, "
        "who runs Harlow Media Group, would not say what was discussed."
    )
    tags = tagger.tag("Ines Varga says she spoke to president", body)
    assert "InesVarga" in tags and "UnitedStates" not in tags


def test_a_nationality_word_once_is_still_a_tag(tagger: HashtagTagger) -> None:
    body = (
        "Norwegian skier Ines Varga won the downhill race in Velmora on Sunday. Ines Varga "
        "finished two seconds ahead of the field, and Velmora's crowd cheered her."
    )
    assert "Norway" in tagger.tag("Varga wins in Velmora", body)


def test_a_sites_links_to_its_own_stories_are_not_read() -> None:
    body = prepare(
        "Ines Varga opened the tram line on Monday, said the council. More from Harlow News: "
        "Five Velmora Cafes You Must Visit This Winter"
    )
    assert "tram line" in body and "Harlow" not in body and "Cafes" not in body


def test_the_outlet_a_writer_works_for_is_cited(tagger: HashtagTagger) -> None:
    body = (
        "Velmora Audio will release a music app next month. As first revealed by Harlow Daily "
        "writer Bo Lind on his blog, the app will be free. Velmora Audio said the app would "
        "reach Velmora's schools first, and Velmora Audio would not comment further."
    )
    found = tagger.tags(tagger.read_many([("Velmora Audio to release free app", body)])[0])
    ranked = found.ranked
    assert ranked.index("HarlowDaily") > ranked.index("BoLind") > ranked.index("VelmoraAudio")
    assert "HarlowDaily" in found.passing  # named once, only as the source: kept apart


def test_words_of_a_title_of_a_work_are_no_names() -> None:
    body = (
        "Harlow Pictures released a trailer for the film Long Walk to Freedom on Monday, and "
        "Harlow Pictures said Long Walk to Freedom opens in May."
    )
    found = [
        Mention("Harlow Pictures", "ORG", 0),
        Mention("Long Walk", "PHRASE", 48),
        Mention("Freedom", "UNK", 61),
        Mention("Harlow Pictures", "ORG", 84),
        Mention("Long Walk", "PHRASE", 105),
        Mention("Freedom", "UNK", 118),
    ]
    assert all(body[m.start :].startswith(m.text) for m in found)
    kept = mentions.without_fragments(found, "Trailer out", body)
    assert {m.text for m in kept} == {"Harlow Pictures"}


def test_a_word_always_before_another_capitalised_word_is_a_piece() -> None:
    body = "Ines Varga presented Best Picture on Sunday, and Bo Lind won Best Picture."
    found = [
        Mention("Ines Varga", "PERSON", 0),
        Mention("Best", "UNK", 21),
        Mention("Bo Lind", "PERSON", 49),
        Mention("Best", "UNK", 61),
    ]
    assert all(body[m.start :].startswith(m.text) for m in found)
    kept = mentions.without_fragments(found, "Varga presents award", body)
    assert [m.text for m in kept] == ["Ines Varga", "Bo Lind"]


def test_a_word_before_a_name_of_its_own_stays() -> None:
    body = "Social Democrats won the vote, and Social Democrats will lead the new government."
    found = [
        Mention("Social", "UNK", 0),
        Mention("Democrats", "ORG", 7),
        Mention("Social", "UNK", 35),
        Mention("Democrats", "ORG", 42),
    ]
    assert mentions.without_fragments(found, "", body) == found


def test_a_model_number_ends_a_products_name(tagger: HashtagTagger) -> None:
    body = (
        "The Harlow Galaxy S 5 has a bigger battery than the Harlow Galaxy S 4, Velmora Labs "
        "said on Monday. The Harlow Galaxy S 5 lasted nine hours in its tests."
    )
    tags = tagger.tag("Velmora Labs tests the Harlow Galaxy S 5", body)
    assert "HarlowGalaxyS5" in tags and "HarlowGalaxyS" not in tags


def test_initials_with_a_digit_are_a_short_form() -> None:
    from tagwire.understand.hashtags import Candidate, merge_short_forms

    full, short = Candidate(first=0), Candidate(first=1)
    full.add(Mention("Harlow Galaxy S 5", "PHRASE", 0), 1.0)
    short.add(Mention("HGS5", "UNK", 40), 1.0)
    merged = merge_short_forms({"harlowgalaxys5": full, "hgs5": short})
    assert list(merged) == ["harlowgalaxys5"] and merged["harlowgalaxys5"].count == 2


def test_a_word_always_before_of_is_a_piece() -> None:
    body = "The Board of Governors met on Monday, and the Board of Governors voted for Ines Varga."
    found = [
        Mention("Board", "UNK", 4),
        Mention("Board", "UNK", 46),
        Mention("Ines Varga", "PERSON", 75),
    ]
    assert all(body[m.start :].startswith(m.text) for m in found)
    assert [m.text for m in mentions.without_fragments(found, "", body)] == ["Ines Varga"]


def test_an_acronym_trigger_alone_names_the_topic() -> None:
    from tagwire.understand.topics import topic_scores

    lead = "The draft lottery has changed many times since it began, and teams still argue about it. " * 4
    body = lead + "The NBA changed it in 1987. The NBA changed it in 1990, the NBA in 1994, the NBA in 2005."
    assert "Basketball" in topic_scores("How the draft lottery changed", body)
    words = body.replace("NBA", "satellite")
    assert "Basketball" not in topic_scores("How the draft lottery changed", words)


def test_an_acronym_is_no_word_of_a_persons_name() -> None:
    from tagwire.understand.hashtags import people_words

    found = [Mention("NBA Draft", "PERSON", 0), Mention("Patrick Ewing", "PERSON", 20)]
    assert people_words(found) == {"Draft", "Patrick", "Ewing"}
