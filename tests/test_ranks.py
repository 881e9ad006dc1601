"""Military ranks before a name, and a table's column heads (issue 12, full names and no
fragments): "General Antoine Lahd" is #AntoineLahd and "General Baril", after "Lieutenant-General
Maurice Baril", is #MauriceBaril, while "General Electric" stays a company; "W L T GF GA Pts"
above a league's standings is no name. Invented texts."""

from __future__ import annotations

from tagwire.understand import entities, mentions
from tagwire.understand.hashtags import HashtagTagger


def test_a_rank_before_a_given_name_is_a_title(tagger: HashtagTagger) -> None:
    body = (
        "ORVANE, May 4 - A military court on Friday sentenced General Teodor Vasquil, head of the "
        "northern militia, to ten years in prison for treason.\n\nVasquil, who was not in court, "
        "said through his lawyer that he would appeal. Brigadier General Ilse Moravec, who led "
        "the inquiry, said the verdict was fair, and Moravec said more charges could follow."
    )
    tags = tagger.tag("Court sentences militia chief", body)
    assert "TeodorVasquil" in tags and "IlseMoravec" in tags, tags
    assert not [t for t in tags if t.startswith(("General", "Brigadier"))], tags


def test_a_rank_and_a_surname_are_the_person_named_in_full(tagger: HashtagTagger) -> None:
    body = (
        "Lieutenant-General Maurice Oduya told a news conference in Kerrin that his force would "
        "fly food to the refugees in the hills.\n\nThe rebels say the crisis is over. Aid groups "
        "say 150,000 people are still adrift.\n\nGeneral Oduya met the rebel leader, Anton Kaspari, "
        "on Tuesday, and General Oduya will meet him again next week."
    )
    tags = tagger.tag("Force commander to fly food to refugees", body)
    assert "MauriceOduya" in tags and "GeneralOduya" not in tags, tags
    assert not [t for t in tags if t.startswith("Lieutenant")], tags
    found = [  # past the head the model reads, the reader has only the words
        mentions.Mention("Maurice Oduya", "PERSON", 0),
        mentions.Mention("General Oduya", "PERSON", body.index("General Oduya")),
    ]
    linked = mentions.link_names(found, entities.lexicon(), body)
    assert [m.text for m in linked] == ["Maurice Oduya", "Maurice Oduya"]


def test_a_rank_that_opens_a_company_name_is_no_title(tagger: HashtagTagger) -> None:
    body = (
        "General Electric said on Monday it would cut 2,000 jobs at its lighting plants. General "
        "Electric chairman Jan Corvel said the cuts would save 90 million dollars a year, and "
        "General Motors, a customer, said it was not affected."
    )
    tags = tagger.tag("General Electric to cut 2,000 jobs", body)
    assert "GeneralElectric" in tags and "Electric" not in tags, tags
    found = [
        mentions.Mention("General Electric", "ORG", 0),
        mentions.Mention("Jan Corvel", "PERSON", body.index("Jan")),
        mentions.Mention("General Corvel", "PERSON", len(body)),
    ]
    linked = mentions.link_names(found, entities.lexicon(), body + " General Corvel")
    assert [m.text for m in linked] == ["General Electric", "Jan Corvel", "Jan Corvel"]


def test_a_tables_column_heads_are_no_name(tagger: HashtagTagger) -> None:
    body = (
        "NEW YORK, Dec 6 - Standings of the Northern Hockey League after games played on Thursday "
        "(won, lost, tied, goals for, against, points):\n\nEASTERN DIVISION\n\nW L T GF GA Pts\n\n"
        "HALIFAX 14 4 2 70 51 30\n\nPORTLAND 10 6 3 61 55 23\n\nWESTERN DIVISION\n\nW L T GF GA Pts\n\n"
        "CALGARY 12 5 1 66 49 25\n\nDENVER 9 8 2 58 60 20"
    )
    tags = tagger.tag("ICE HOCKEY - STANDINGS AFTER THURSDAY'S GAMES", body)
    assert not [t for t in tags if t.startswith(("WLT", "LT", "GFGA"))], tags
    lex = entities.lexicon()
    assert not entities.worth_a_tag(mentions.Mention("W L T GF GA Pts", "ORG", 0), lex, frozenset())
    assert entities.worth_a_tag(mentions.Mention("Ho Chi Minh", "GPE", 0), lex, frozenset())


def test_a_body_opening_with_a_rank_keeps_its_short_form() -> None:
    body = "The General Assembly voted on Monday. The Assembly meets again in May."
    found = [
        mentions.Mention("General Assembly", "ORG", body.index("General")),
        mentions.Mention("Assembly", "ORG", body.index("Assembly meets")),
    ]
    linked = mentions.link_names(found, entities.lexicon(), body)
    assert [m.text for m in linked] == ["General Assembly", "General Assembly"]
