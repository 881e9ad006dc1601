"""A name cut after a connector is no tag (issue 12, fragments): "Office of the" (of "Office of
the Deputy Prime Minister") and "Association of" (of "Association of Chief Police Officers") were
tags; a body whose name holds a title after "of" keeps it whole. Invented texts."""

from __future__ import annotations

from tagwire.understand import entities
from tagwire.understand.entities import Mention
from tagwire.understand.hashtags import HashtagTagger


def test_a_name_ending_in_a_connector_is_no_tag() -> None:
    lex = entities.lexicon()
    assert not entities.worth_a_tag(Mention("Office of the", "ORG", 0), lex, frozenset())
    assert not entities.worth_a_tag(Mention("Department for", "ORG", 0), lex, frozenset())
    assert entities.worth_a_tag(Mention("Lady Di", "PERSON", 0), lex, frozenset())


def test_a_title_after_of_is_the_bodys_own() -> None:
    body = (
        "The Association of Chief Police Officers said on Monday that the power to close pubs "
        "for a day was too weak. Its president, Morag Keir, said landlords ignored it."
    )
    tags = HashtagTagger().tag("Police chiefs want longer pub closures", body)
    assert "AssociationOfChiefPoliceOfficers" in tags, tags
    assert "AssociationOf" not in tags, tags


def test_a_title_word_inside_a_networks_name_cuts_nothing() -> None:
    body = (
        "The United Nations has been urged by the Fair Justice Network to lead a global effort "
        "against offshore tax evasion. Its chief executive, Morag Keir, said big financial centres "
        "had proven unwilling to reform."
    )
    tags = HashtagTagger().tag("UN urged to act on offshore tax evasion", body)
    assert "FairJusticeNetwork" in tags, tags
    assert "Network" not in tags, tags
