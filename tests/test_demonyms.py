"""Nationality words count toward their country (data/demonyms.tsv), and adjectives of a
continent, a people or a language alone make no tag (issue 12: #Angolan, #Malagasy, #European,
#English were tags of their own). Invented texts."""

from __future__ import annotations

from tagwire.understand import entities
from tagwire.understand.entities import Mention
from tagwire.understand.hashtags import HashtagTagger


def test_every_country_of_the_table_is_reached_by_its_demonym() -> None:
    lex = entities.lexicon()
    for demonym, country in (("Angolan", "Angola"), ("Malagasy", "Madagascar"), ("Soviet", "SovietUnion")):
        assert lex.names[demonym.lower()] == (demonym, "DEMONYM", country)
    assert lex.names["costa rican"][2] == "CostaRica"


def test_a_demonym_alone_counts_toward_its_country() -> None:
    body = (
        "LUANDA - Angolan police said on Tuesday they had arrested eleven men over the theft of "
        "diesel from a state depot. The Angolan interior ministry said the fuel had been sold "
        "across the border, and Angolan officials promised more checks at the port."
    )
    tags = HashtagTagger().tag("Police hold eleven over fuel theft", body)
    assert "Angola" in tags, tags
    assert "Angolan" not in tags, tags


def test_an_adjective_of_a_continent_or_language_is_no_tag_alone() -> None:
    lex = entities.lexicon()
    for word in ("European", "English", "Asian"):
        assert not entities.worth_a_tag(Mention(word, "UNK", 40), lex, frozenset())
    assert entities.worth_a_tag(Mention("European Commission", "ORG", 40), lex, frozenset())
    assert entities.worth_a_tag(Mention("English National Opera", "ORG", 40), lex, frozenset())
