"""People on first-name terms are no tags (issue 12, half names): a podcast's notes ("Jeff, Brad
and Ryan talk about...") call their hosts by given names alone, and #Jeff names nobody; a lone
given name in news is most often a thing named after one ("the Oscar race", "Kent"), which stays.
A full name the model labelled a work of art is a person's when the text calls that person by the
surname alone ("Ms Druyun"). Invented texts."""

from __future__ import annotations

from tagwire.understand.entities import Mention, lexicon
from tagwire.understand.hashtags import HashtagTagger
from tagwire.understand.mentions import link_names

PODCAST = (
    "Jeff and Brad are back from the Tarnhollow Game Expo, and Ryan joins them to talk about "
    "Skyreach Legends, the new Velmora racing game and why Jeff still refuses to play it. Brad has "
    "a theory about the expo's lunch lines, and Ryan has a story about a broken controller."
)


def test_a_cast_on_first_name_terms_gets_no_tags() -> None:
    tags = HashtagTagger().tag("Expo Podcast 112: Lunch Lines", PODCAST)
    assert not {"Jeff", "Brad", "Ryan"} & set(tags), tags


def test_one_given_name_alone_stays() -> None:
    """One lone given name is no cast: the word may be an award, a county or a mononym."""
    body = (
        "Velmora Pictures said on Monday its drama Harbour Lights was its best hope for an Oscar "
        "this year. The studio will spend more on the Oscar campaign than on any film before, and "
        "its chief, Dana Whitlow, said the film's reviews had surprised her."
    )
    tags = HashtagTagger().tag("Velmora pins Oscar hopes on Harbour Lights", body)
    assert "Oscars" in tags or "Oscar" in tags, tags


def test_the_oscars_are_one_tag_by_each_of_their_names() -> None:
    body = (
        "The Academy Awards will be held in March, the academy said on Tuesday. The Oscars will "
        "have a new host, and the nominations for the Academy Award for best picture come out in "
        "January. Dana Whitlow of Velmora Pictures said the Oscars needed a younger audience."
    )
    tags = HashtagTagger().tag("Oscars to name new host", body)
    assert "Oscars" in tags, tags
    assert not {"AcademyAwards", "AcademyAward"} & set(tags), tags


def test_a_full_name_read_as_a_work_is_the_persons_whose_surname_stands_alone() -> None:
    lex = lexicon()
    found = [
        Mention("Darleen Pruvik", "WORK_OF_ART", 100),
        Mention("Pruvik", "PERSON", 300),
        Mention("Pruvik", "PERSON", 400),
    ]
    linked = link_names(found, lex, "x" * 500)
    assert {(m.text, m.label) for m in linked} == {("Darleen Pruvik", "PERSON")}, linked


def test_a_work_of_art_no_person_is_named_after_stays_a_work() -> None:
    lex = lexicon()
    found = [Mention("Harbour Lights", "WORK_OF_ART", 100), Mention("Dana Whitlow", "PERSON", 300)]
    linked = link_names(found, lex, "x" * 500)
    assert ("Harbour Lights", "WORK_OF_ART") in {(m.text, m.label) for m in linked}, linked


def test_an_awards_show_is_one_tag_by_each_of_its_names() -> None:
    body = (
        "Dana Whitlow won two Golden Globe awards on Sunday. The Golden Globes are seen as a guide "
        "to the Oscars, and Whitlow's film also leads the Grammy Awards shortlist for its songs. "
        "Whitlow said the Golden Globe Awards night had been the best of her life."
    )
    tags = HashtagTagger().tag("Whitlow wins two Golden Globes", body)
    assert "GoldenGlobes" in tags, tags
    assert not {"GoldenGlobe", "GoldenGlobeAwards", "GrammyAwards"} & set(tags), tags
