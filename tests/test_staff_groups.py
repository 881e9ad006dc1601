"""A body's own people act for it (issue 12, group tags an editor would not keep): "U.N.
officials", "NATO troops" make no #UNOfficials or #NATOTroops beside the body's own tag; a place's
officials ("Colorado officials") and a party's lawmakers stay groups; a party named by a people's
word ("Christian Democrats") is its own tag alone. Invented texts."""

from __future__ import annotations

from tagwire.understand import entities
from tagwire.understand.entities import Mention
from tagwire.understand.groups import group_mentions
from tagwire.understand.hashtags import HashtagTagger


def test_an_organisations_officials_are_the_organisation() -> None:
    body = (
        "GENEVA - United Nations officials said on Tuesday that food aid had reached the camps "
        "near the border. The United Nations has asked donors for $40 million, and U.N. officials "
        "expect the number of refugees to double by the end of the month, said Marta Oyelaran, "
        "who leads the agency's team in the region."
    )
    tags = HashtagTagger().tag("U.N. says aid reaches border camps", body)
    assert "UnitedNations" in tags, tags
    assert not any(t.endswith("Officials") for t in tags), tags


def test_a_places_officials_stay_a_group() -> None:
    body = (
        "DENVER - Colorado officials said on Monday that the wildfire had burned 3,000 acres. "
        "Colorado officials ordered the evacuation of two towns, and the governor, Ellen Marquez, "
        "said the state would ask for federal help. The officials expect rain on Thursday."
    )
    tags = HashtagTagger().tag("Wildfire forces evacuations in Colorado", body)
    assert "ColoradoOfficials" in tags, tags


def test_a_partys_lawmakers_stay_a_group() -> None:
    body = (
        "WASHINGTON - Democratic lawmakers said on Wednesday they would block the bill. Democratic "
        "lawmakers want the tax cut paid for, said Senator Ruth Abernathy, and the lawmakers will "
        "meet the Treasury secretary on Friday."
    )
    tags = HashtagTagger().tag("Democrats vow to block tax bill", body)
    assert "DemocraticLawmakers" in tags, tags


def test_a_countrys_troops_are_the_country() -> None:
    """Like "British troops" (a nationality), "UK troops" are the country's: #UnitedKingdom, no
    #UKTroops; a state's officials (above) stay a group."""
    body = (
        "LONDON - UK troops are on standby to evacuate British nationals from the port city, the "
        "defence ministry said on Tuesday. About 200 UK troops were flown to a nearby base, and "
        "the minister, Alan Pryce, said the troops could move within hours."
    )
    tags = HashtagTagger().tag("UK troops on standby for evacuation", body)
    assert "UnitedKingdom" in tags, tags
    assert "UKTroops" not in tags, tags


def test_a_persons_name_before_a_verb_makes_no_group() -> None:
    body = (
        "SEVILLE - Ines Varga of Hungary beat Marta Oyelaran in four sets on Friday. Three times "
        "Varga forces a break point and three times Oyelaran holds. Earlier, Hungary officials "
        "told Varga the team would travel on Sunday, and told Hungary officials the same."
    )
    found = [Mention("Ines Varga", "PERSON", 10), Mention("Varga", "PERSON", body.index("Varga forces"))]
    found += [Mention("Hungary", "GPE", body.index("Hungary officials"))]
    groups = [m.text for m in group_mentions("Varga puts Hungary 1-0 up", body, found, entities.lexicon())]
    assert "Varga forces" not in groups, groups
    assert groups.count("Hungary officials") == 2, groups  # "told Hungary officials the same": a noun


def test_a_unions_officials_are_the_union_even_where_the_model_labels_no_body() -> None:
    """After a name the model did not label (an acronym in the body, a person), "officials" are
    that body's people: #UFWOfficials is no tag; the union's own mentions count."""
    body = (
        "DETROIT - Talks between Kestrel Motors and the United Foundry Workers union broke down at "
        "the weekend, the company said. Kestrel Motors will build its new truck elsewhere, and 900 "
        "jobs at its Harlow plant are at risk.\n\nUFW officials said the company's offer would cut "
        "wages by a fifth. UFW officials will meet members on Tuesday, and the UFW said it would "
        "not sign a contract that cut pay. Kestrel Motors shares fell 4 pct."
    )
    tags = HashtagTagger().tag("Kestrel Motors to move truck plant after union talks fail", body)
    assert not any(t.endswith("Officials") for t in tags), tags
    assert {"UFW", "UnitedFoundryWorkers"} & set(tags), tags


def test_a_citys_officials_stay_a_group_where_only_geonames_knows_the_city() -> None:
    lex = entities.lexicon()
    body = (
        "Water use fell by a tenth. Tucson officials said the drought would last, and Tucson "
        "officials asked for calm."
    )
    found = [Mention("Tucson", "UNK", body.index("Tucson"))]
    assert [m.text for m in group_mentions("Drought", body, found, lex)] == ["Tucson officials"] * 2


def test_a_party_named_by_a_peoples_word_is_one_tag(tagger: HashtagTagger) -> None:
    body = (
        "VARNO, Feb 27 - Leaders of Tarnia's coalition parties will meet today to settle their "
        "differences, which are mainly between Prime Minister Ilse Moravec's Socialist Party and "
        "the Christian Democrats.\n\nThe Christian Democrats demanded the meeting after Moravec "
        "said a pact was unlikely to be kept. The Christian Democrats may leave the coalition."
    )
    tags = tagger.tag("Tarnian coalition meets as crisis looms", body)
    assert "ChristianDemocrats" in tags and "Christians" not in tags and "Democrats" not in tags, tags
    us = (
        "Senate Republicans blocked the bill on Tuesday. Republicans said it cost too much, and "
        "Senate Republicans will offer their own plan next week, Republicans in the House said."
    )
    assert "Republicans" in tagger.tag("Senate Republicans block spending bill", us)


def test_a_party_the_model_reads_as_two_peoples_is_one_name(tagger: HashtagTagger) -> None:
    from tagwire.understand.mentions import _side_by_side

    lex = entities.lexicon()
    doc = tagger.nlp("Political sources said the Christian Democrats are likely to leave the coalition.")
    peoples = [e.text for e in _side_by_side(list(doc.ents), lex) if e.label_ == "NORP"]
    assert peoples == ["Christian Democrats"]
    two = [e for e in doc.ents if e.label_ == "NORP"]
    assert len(two) == 2, [e.text for e in doc.ents]  # the model's reading this test is about
    kurds = tagger.nlp("Iraqi Kurds said Iranian troops had entered northern Iraq on Monday.")
    peoples = [e.text for e in _side_by_side(list(kurds.ents), lex) if e.label_ == "NORP"]
    assert peoples[:2] == ["Iraqi", "Kurds"]
