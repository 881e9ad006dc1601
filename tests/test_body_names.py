"""Bodies named whole (issue 12, aliases merged into one tag, no fragments): the wire's British
spelling of a known body is that body ("World Trade Organisation" is #WTO), and a foreign party
whose name ends in a known party's name is its own ("Kurdistan Democratic Party", not the
Democrats). Invented texts."""

from __future__ import annotations

from tagwire.understand import entities
from tagwire.understand.hashtags import HashtagTagger


def test_british_spelling_is_the_same_body() -> None:
    names = entities.lexicon().names
    assert names["world trade organisation"][2] == names["world trade organization"][2] == "WTO"
    body = (
        "GENEVA - Ruritania applied on Monday to join the World Trade Organisation, its trade "
        "minister, Petra Halvorsen, said. Talks with the WTO could take three years, and the "
        "World Trade Organisation's members must agree to the terms. Halvorsen said Ruritania "
        "would cut its tariffs on grain by half."
    )
    tags = HashtagTagger().tag("Ruritania applies to join trade body", body)
    assert "WTO" in tags, tags
    assert "WorldTradeOrganisation" not in tags, tags


def test_a_foreign_party_named_after_a_known_one_is_its_own() -> None:
    body = (
        "ARBIL, Iraq - Fighting broke out on Saturday between rival factions near the city, a "
        "spokesman for the regional government said. He said no troops had entered the city.\n\n"
        "Witnesses said the clashes began at dawn and went on until noon, when a truce was "
        "agreed by elders of both sides, who met at a school on the road to the airport.\n\n"
        "Later on Saturday, a leader of the Kurdistan Democratic Party (KDP) said its forces "
        "held the road. The Kurdistan Democratic Party has controlled the region since 1992."
    )
    tags = HashtagTagger().tag("Factions clash near Arbil", body)
    assert "KurdistanDemocraticParty" in tags, tags
    assert "Democrats" not in tags, tags
