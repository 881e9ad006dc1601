"""Hashtags: CamelCase names and topics, best first, on invented articles.

The texts below are written for these tests (invented people and events); the seed check at the
end reads ../shared/seed when it is there and skips otherwise.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tagwire.demo.server import SAMPLE_DIR
from tagwire.ingest.extract import extract_page
from tagwire.understand import entities, groups, mentions
from tagwire.understand.entities import Mention
from tagwire.understand.hashtags import HashtagTagger, camel_tag, prepare, rank
from tagwire.understand.titlecase import TitleCaseReader
from tagwire.understand.topics import topic_scores

SHARED = Path(__file__).resolve().parents[2] / "shared"

SUMMIT = (
    "Kenya and Peru agree to expand coffee trade",
    """NAIROBI -- Kenyan Trade Minister Amina Wanjiru and Peruvian Foreign Minister Mateo Quispe signed a
coffee trade agreement in Nairobi on Tuesday, the first such deal between Kenya and Peru.

Wanjiru said the accord would cut tariffs on roasted beans. Quispe's delegation called it a model
for exporters. Meanwhile, farmers' groups in both countries welcomed the deal.

Afterward, Wanjiru and Quispe visited a cooperative outside Nairobi. Earlier, Quispe had met
officials of the World Bank. According to the ministry, exports to Brazil and Brazil's neighbours
could follow. Separately, the two ministers discussed shipping costs.

Advertisement

Copyright 2025 Example Wire. All rights reserved.""",
)

ALIASES = (
    "U.S. and Britain renew science pact",
    """The United States and the United Kingdom renewed a science agreement on Monday. Officials
from the U.S. said America would fund half of the new laboratories, and the US embassy in London
hosted the signing. Britain's science minister, Harriet Colbourne, said the U.K. would host the
first joint institute. Colbourne added that the United States had been a reliable partner.""",
)

CYBER = (
    "Ransomware gang hits regional hospitals",
    """A ransomware attack disrupted three hospitals in the Dorvale region on Sunday, officials said,
the latest in a wave of cyberattacks on health services. The hackers encrypted patient records and
demanded payment in bitcoin.

Hospital staff switched to paper records. The regional cybersecurity agency said the hacking group
had used a phishing email to get in. It urged other hospitals to patch their systems against
cyber threats.""",
)

NAMES = (
    "Ashford-Lyle Summit opens with climate pledge",
    """Delegates gathered for the Ashford-Lyle Summit in Reykjavik on Wednesday. Siobhan O'Connell,
the summit's chair, opened the meeting. O'Connell said the Ashford-Lyle Summit would publish its
findings in March. Norway's delegation backed the pledge, and Norway's prime minister sent a
message.""",
)

FIRE = (
    "Hundreds flee as grass fire nears Oskarby",
    """OSKARBY, Velmark (Example Wire) -- Tarnia and Velmark sent crews on Sunday as a grass fire spread
toward Oskarby, according to the Tarnian Fire and Rescue Service.

Harbourmaster Ines Varga closed the port. Transport Minister Oskar Lindqvist said mobile networks held up.
Jorun Falk, chief executive of Oskarby Ferries, said sailings were cancelled.

The fire reached the edge of Tarnia's largest forest by evening. Velmarkan volunteers joined the Tarnian
crews, and the Bank of Tarnia opened an emergency fund. Ines Varga said the port would reopen on Monday.
Minister for Rural Transport Edda Holm visited Oskarby. Registrar Thomas Ekholm said the registrar's office
stayed open.""",
)

TRAINS = (
    "Council Votes To End Night Trains In Marwick",
    """The Marwick city council voted on Tuesday to end night trains from March. Supporters of the night
trains said the decision would hurt shift workers.

Councillor Petra Sandvik said night trains cost the city too much. Marta Rice, who runs a bakery, said
she relied on the service. Rice added that her staff start at 4 a.m.

The Marwick Transit Act requires a public hearing, and the act gives residents 30 days to object.""",
)


# --- without the model --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "tag"),
    [
        ("Pete Hegseth", "PeteHegseth"),
        ("Shangri-La Dialogue", "ShangriLaDialogue"),
        ("Siobhan O'Connell", "SiobhanOConnell"),
        ("McDonald's", "McDonalds"),
        ("national defense strategy", "NationalDefenseStrategy"),
        ("São Paulo", "SãoPaulo"),
        ("NATO", "NATO"),
        ("NAACP", "NAACP"),
        ("LINDMARK", "Lindmark"),
        ("USA TODAY", "USAToday"),
        ("  ", ""),
    ],
)
def test_camel_tag(phrase: str, tag: str) -> None:
    assert camel_tag(phrase) == tag


def test_prepare_drops_boilerplate_datelines_and_headlines() -> None:
    text = (
        "Kenya and Peru agree to expand coffee trade\n"
        "NAIROBI (Example Wire) -- The deal was signed.\n"
        "Advertisement\n"
        "Related Stories On Coffee Prices\n"
        "Exports should rise. © EXAMPLE WIRE\n"
        "Copyright 2025 Example Wire. All rights reserved."
    )
    body = prepare(text, "Kenya and Peru agree to expand coffee trade")
    assert body == "The deal was signed.\n\nExports should rise."


def test_prepare_joins_hard_wrapped_lines() -> None:
    text = "Trade Minister Amina Wanjiru and Foreign Minister Mateo Quispe signed a\ncoffee deal."
    assert prepare(text) == text.replace("\n", " ")


def test_prepare_caps_length() -> None:
    body = prepare(" ".join(["word"] * 5000), max_words=100)
    assert body.count("word") == 100


def test_topic_needs_enough_evidence() -> None:
    assert "Cybersecurity" in topic_scores(*CYBER)
    assert "Cybersecurity" not in topic_scores("Bakery opens", "The bakery, a hacker's favourite, opened.")


def test_rank_of_nothing_is_empty() -> None:
    assert rank("", "", [], 12) == []


def test_prepare_drops_dateline_with_region_and_keeps_names_apart() -> None:
    body = prepare("OSKARBY, Velmark (Example Wire) -- Tarnia and Velmark signed.")
    assert body == "Tarnia and Velmark signed."
    body = prepare("Filed from Velmark (Example Wire) -- Tarnia agreed.")
    assert "Velmark Tarnia" not in body and "Velmark -- Tarnia" in " ".join(body.split())


@pytest.mark.parametrize(
    ("words", "name"),
    [
        ("Harbourmaster Ines Varga", "Ines Varga"),
        ("Digital Affairs Minister Oskar Lind", "Oskar Lind"),
        ("Minister for Rural Transport Edda Holm", "Edda Holm"),
        ("Secretary of State Varga", "Varga"),
        ("Attorney General Petra Valk", "Petra Valk"),
        ("Senate President Pro Tem Alma Steen", "Alma Steen"),
        ("Chief Executive Jorun Falk", "Jorun Falk"),
        ("Registrar Thomas Ekholm", "Thomas Ekholm"),
        ("Justice Department", "Justice Department"),
        ("Port Sennet Terminals", "Port Sennet Terminals"),
        ("Amber Coast Chamber", "Amber Coast Chamber"),
    ],
)
def test_titles_are_stripped_from_names(words: str, name: str) -> None:
    lex = entities.lexicon()
    split = words.split()
    lower = entities.lower_words("the registrar's office and the port of the coast")
    assert " ".join(split[entities.strip_title(split, lex, lower) :]) == name


def _read(text: str, lower: str = "") -> list[tuple[str, str]]:
    """The mentions the Title Case pass finds in `text`, without the model, as (text, label)."""
    lex = entities.lexicon()
    reader = TitleCaseReader(dict(lex.names), {}, lex, entities.lower_words(lower or text))
    return [(m.text, m.label) for m in reader.read(text, bytearray(len(text) + 1))]


def test_connectors_join_only_names_of_bodies() -> None:
    found = _read(
        "Crews of the Tarnian Fire and Rescue Service came. The Bank of Tarnia and the Centre for "
        "Coastal Studies helped. Ines Varga and Oskar Lind met Senator Olaf Reid of Nevada. The "
        "Flynt Data Group LLC and Flynt Data Group Inc. were named."
    )
    names = [text for text, _ in found]
    assert {"Tarnian Fire and Rescue Service", "Bank of Tarnia", "Centre for Coastal Studies"} <= set(names)
    assert {"Ines Varga", "Oskar Lind", "Olaf Reid", "Nevada"} <= set(names)
    assert {"Flynt Data Group LLC", "Flynt Data Group Inc."} <= set(names)
    assert not [n for n in names if " and " in n and "Rescue" not in n]


def test_titles_make_people_and_are_stripped_after_and() -> None:
    found = dict(_read("Later Mr. Brandt and Senator Alma Steen spoke, and Jorun Falk said no."))
    assert found == {"Brandt": "PERSON", "Alma Steen": "PERSON", "Jorun Falk": "PERSON"}


def test_person_known_by_the_words_around_it() -> None:
    assert dict(_read("It was Jorun Falk, chief executive of the firm."))["Jorun Falk"] == "PERSON"
    assert dict(_read("Then came Quay Street, the main road."))["Quay Street"] == "PHRASE"


def test_demonym_counts_toward_the_place_of_the_same_article() -> None:
    found = mentions.link_demonyms(
        [
            Mention("Aldoria", "UNK", 10),
            Mention("Aldorian", "NORP", 40),
            Mention("Aldorian Fire and Rescue Service", "ORG", 80),
            Mention("Norvestan", "NORP", 120),
            Mention("Julian Marsh", "PERSON", 160),
        ]
    )
    texts = [(m.text, m.label) for m in found]
    assert texts.count(("Aldoria", "GPE")) == 3
    assert ("Aldorian Fire and Rescue Service", "ORG") in texts and ("Julian Marsh", "PERSON") in texts
    assert not [t for t, _ in texts if t in ("Aldorian", "Norvestan")]  # never tags of their own


@pytest.mark.parametrize(
    ("word", "place"),
    [("Aldorian", "Aldoria"), ("Norvestan", "Norvesta"), ("Kelvese", "Kelva"), ("Ostrish", "Ostrey")],
)
def test_demonym_suffix_rule(word: str, place: str) -> None:
    places = {p: Mention(p, "GPE", 0) for p in ("Aldoria", "Norvesta", "Kelva", "Ostrey", "Iraq")}
    found = mentions.place_of(word, places)
    assert found is not None and found.text == place
    assert mentions.place_of("Iran", places) is None


def test_key_phrases_of_a_title_case_headline() -> None:
    found = mentions.key_phrases(*TRAINS, entities.lexicon())
    assert {m.text for m in found} == {"Night Trains"}
    assert len(found) == 4 and found[0].start == -1  # the headline and three times in the body
    assert mentions.key_phrases("Second Day Of Talks", "a second day, a second day", entities.lexicon()) == []


def test_the_act_counts_for_the_act_named_before() -> None:
    body = "The Marwick Transit Act passed. Critics of the act said the act was rushed."
    act = Mention("Marwick Transit Act", "LAW", 0)
    found = mentions.link_references([act], body, entities.lexicon())
    assert [m.text for m in found] == ["Marwick Transit Act"] * 3
    assert found[1].weight == mentions.REFERENCE_WEIGHT


def test_topics_are_not_read_in_peoples_names() -> None:
    body = "Marta Rice opened a bakery. Rice said bread sold well, and Rice hired staff. " * 3
    people = [Mention("Marta Rice", "PERSON", 0), Mention("Marta Rice", "PERSON", 28)]
    assert "Agriculture" in topic_scores("Marta Rice opens bakery", body)
    assert "Agriculture" not in rank("Marta Rice opens bakery", body, people, 12)


def test_groups_named_by_party_place_or_body() -> None:
    body = (
        "Democratic lawmakers met Senate Republicans and GOP leaders. Other lawmakers stayed "
        "away, Aldoria officials said. The lawmakers voted. The Israel Defense Forces moved."
    )
    found = [Mention("Aldoria", "GPE", body.index("Aldoria")), Mention("Senate", "ORG", 26)]
    named = groups.group_mentions("Budget vote", body, found, entities.lexicon())
    tags = [camel_tag(m.text) for m in named]
    assert tags == [
        "DemocraticLawmakers",
        "SenateRepublicans",
        "RepublicanLeaders",
        "AldoriaOfficials",
        "DemocraticLawmakers",  # "Other lawmakers", "The lawmakers": the group named before
        "DemocraticLawmakers",
    ]
    assert [m.weight for m in named][-2:] == [mentions.REFERENCE_WEIGHT] * 2


def test_groups_need_a_name_before_the_noun() -> None:
    body = "Senior officials said state officials and Elected officials agreed. Obama's officials left."
    found = [Mention("Elected", "UNK", body.index("Elected"), sentence_start=True)]
    assert groups.group_mentions("Talks", body, found, entities.lexicon()) == []


def test_group_in_a_title_case_headline() -> None:
    found = groups.group_mentions("Democratic Lawmakers Push Budget", "", [], entities.lexicon())
    assert [(m.text, m.start) for m in found] == [("Democratic Lawmakers", -1)]


def test_middle_initial_stays_with_the_first_name() -> None:
    text = "The builders cheered, and Governor Tomas J. Brandt said so. Later, Kester J. Brandt spoke."
    lex = entities.lexicon()
    gaz = {**lex.names, "brandt": ("Brandt", "PERSON", "")}  # the surname, known from the head
    found = TitleCaseReader(gaz, {}, lex, entities.lower_words(text)).read(text, bytearray(len(text) + 1))
    assert [(m.text, m.label) for m in found] == [
        ("Tomas J. Brandt", "PERSON"),
        ("Kester J. Brandt", "PERSON"),
    ]


def test_body_named_after_a_person_is_one_name() -> None:
    text = "The builders cheered, and the Brandt Family Foundation paid. Later, Brandt Intel Group LLC spoke."
    lex = entities.lexicon()
    gaz = {**lex.names, "brandt": ("Brandt", "PERSON", "")}
    found = TitleCaseReader(gaz, {}, lex, entities.lower_words(text)).read(text, bytearray(len(text) + 1))
    assert [(m.text, m.label) for m in found] == [
        ("Brandt Family Foundation", "ORG"),
        ("Brandt Intel Group LLC", "ORG"),
    ]


@pytest.mark.parametrize(("word", "kept"), [("Wednedsay", False), ("Feburary", False), ("Dynamo", True)])
def test_misspelt_calendar_word_is_no_tag(word: str, kept: bool) -> None:
    assert entities.worth_a_tag(Mention(word, "UNK", 10), entities.lexicon(), frozenset()) is kept


def test_key_phrases_of_a_sentence_case_headline(tagger: HashtagTagger) -> None:
    body = (
        "Ministers will decide on night trains next week. Night trains cost the city too much, "
        "the council said, and night trains carry few people. Tessa Marwick said night trains "
        "were a lifeline for shift workers."
    )
    found = mentions.key_phrases("Marwick to end night trains", body, entities.lexicon(), cased=True)
    assert {m.text for m in found} == {"night trains"}
    twice = body.replace("and night trains carry", "and they carry").replace("said night trains", "said they")
    assert mentions.key_phrases("Marwick to end night trains", twice, entities.lexicon(), cased=True) == []
    # a topic's own name is the topic's tag already
    ai = "artificial intelligence " * 4
    lex = entities.lexicon()
    assert not mentions.key_phrases("Firms bet on artificial intelligence", ai, lex, cased=True)
    assert "NightTrains" in tagger.tag("Marwick to end night trains", body)


def test_a_sentence_case_phrase_ranks_after_the_places_the_story_goes_on_with(tagger: HashtagTagger) -> None:
    body = (
        "The mayor of Velmora defended the city's tram plan on Monday after challenges from "
        "neighbouring towns, which say the line to Tarnia will draw shoppers away from them.\n\n"
        "The neighbouring towns would gain riders too, the mayor said. Two of the neighbouring towns "
        "have asked a court in Tarnia to stop the work. Trains to Tarnia run hourly.\n\n"
        "The neighbouring towns' councils meet in Tarnia on Friday."
    )
    tags = tagger.tag("Velmora mayor defends tram plan after challenges from neighbouring towns", body)
    assert tags.index("Velmora") < tags.index("Tarnia") < tags.index("NeighbouringTowns"), tags


def test_key_phrases_never_end_in_a_connector() -> None:
    body = "the reading of the charter, the reading of the charter, the reading of the charter"
    found = mentions.key_phrases("Reading Of The Charter Begins", body, entities.lexicon())
    assert not [m for m in found if m.text.split()[-1].lower() == "of"]


# --- with the model -----------------------------------------------------------------------------


@pytest.mark.slow
def test_aliases_merge_into_one_tag(tagger: HashtagTagger) -> None:
    tags = tagger.tag(*ALIASES)
    assert "UnitedStates" in tags and "UnitedKingdom" in tags
    assert not {"US", "USA", "America", "Britain", "UK", "U.K."} & set(tags)


@pytest.mark.slow
def test_surname_links_to_full_name_and_titles_are_stripped(tagger: HashtagTagger) -> None:
    tags = tagger.tag(*SUMMIT)
    assert {"AminaWanjiru", "MateoQuispe"} <= set(tags)
    assert not {"Wanjiru", "Quispe"} & set(tags)
    assert not [t for t in tags if re.search("Minister|Trade(?!$)", t)]


@pytest.mark.slow
def test_no_weekday_boilerplate_or_sentence_adverb(tagger: HashtagTagger) -> None:
    tags = set(tagger.tag(*SUMMIT)) | set(tagger.tag(*ALIASES)) | set(tagger.tag(*NAMES))
    never = {"Tuesday", "Monday", "Wednesday", "March", "Meanwhile", "Afterward", "Earlier", "According"}
    never |= {"Separately", "Advertisement", "Copyright", "ExampleWire", "Officials", "Delegates"}
    assert not tags & never


@pytest.mark.slow
def test_possessive_counts_for_the_name(tagger: HashtagTagger) -> None:
    summit, names = tagger.tag(*SUMMIT), tagger.tag(*NAMES)
    assert "Brazil" in summit and "Norway" in names
    assert not [
        t for t in summit + names if t.endswith(("s'", "S")) and t[:-1] in ("Brazil", "Norway", "Quispe")
    ]


@pytest.mark.slow
def test_demonym_counts_for_its_country(tagger: HashtagTagger) -> None:
    tags = tagger.tag(*SUMMIT)
    assert {"Kenya", "Peru"} <= set(tags)
    assert not {"Kenyan", "Peruvian"} & set(tags)


@pytest.mark.slow
def test_topic_tag_from_key_phrases(tagger: HashtagTagger) -> None:
    assert "Cybersecurity" in tagger.tag(*CYBER)
    assert "Cybersecurity" not in tagger.tag(*SUMMIT)


@pytest.mark.slow
def test_hyphen_and_apostrophe_names(tagger: HashtagTagger) -> None:
    tags = tagger.tag(*NAMES)
    assert "AshfordLyleSummit" in tags and "SiobhanOConnell" in tags
    assert "OConnell" not in tags


@pytest.mark.slow
def test_title_entities_rank_first(tagger: HashtagTagger) -> None:
    tags = tagger.tag(*SUMMIT)
    assert set(tags[:2]) == {"Kenya", "Peru"}
    assert tags.index("Peru") < tags.index("Brazil") and tags.index("Kenya") < tags.index("WorldBank")


@pytest.mark.slow
def test_title_case_headline_words_are_not_names(tagger: HashtagTagger) -> None:
    title = "Kenya And Peru Vow To Expand Coffee Trade Despite Drought"
    tags = tagger.tag(title, SUMMIT[1])
    assert {"Kenya", "Peru"} <= set(tags[:4])
    assert not [t for t in tags if re.search("Vow|Expand|Despite|Drought|Coffee", t) and t != "Coffee"]
    # #Coffee is the story's commodity, a topic of the body's words, not a name of the headline's
    assert "Coffee" in topic_scores(title, SUMMIT[1]) or "Coffee" not in tags


@pytest.mark.slow
def test_limit_and_empty_input(tagger: HashtagTagger) -> None:
    assert len(tagger.tag(*SUMMIT, limit=3)) == 3
    assert tagger.tag("", "") == []
    assert tagger.tag_many([]) == []


@pytest.mark.slow
def test_tag_many_equals_tag(tagger: HashtagTagger) -> None:
    docs = [SUMMIT, ALIASES, CYBER, NAMES, ("", ""), ("Short note", "Nothing much happened.")]
    assert tagger.tag_many(docs) == [tagger.tag(title, text) for title, text in docs]


@pytest.mark.slow
def test_names_with_connectors_titles_and_demonyms(tagger: HashtagTagger) -> None:
    found = tagger.tags(tagger.read_many([FIRE])[0], limit=20)
    tags = found.ranked  # the registrar, named once in passing, is ranked but not shown (roles.py)
    assert {"TarnianFireAndRescueService", "Tarnia", "Velmark", "BankOfTarnia"} <= set(tags)
    assert {"InesVarga", "OskarLindqvist", "JorunFalk", "EddaHolm", "ThomasEkholm"} <= set(tags)
    assert found.passing == {"ThomasEkholm"}
    assert not {"TarnianFire", "RescueService", "Tarnian", "Velmarkan", "VelmarkTarnia"} & set(tags)
    assert not [t for t in tags if re.search("Harbourmaster|Minister|Registrar|Transport", t)]
    assert not [t for t in tags if t.isupper() and len(t) > 5]


@pytest.mark.slow
def test_headline_phrase_becomes_a_topic(tagger: HashtagTagger) -> None:
    tags = tagger.tag(*TRAINS)
    assert tags[0] == "NightTrains" and {"Marwick", "PetraSandvik", "MarwickTransitAct"} <= set(tags)
    assert "Agriculture" not in tags and "CouncillorPetraSandvik" not in tags


@pytest.mark.slow
def test_demo_sample_hashtags(tagger: HashtagTagger) -> None:
    expected = json.loads((SAMPLE_DIR / "expected.json").read_text())
    pages = [
        p
        for p in sorted((SAMPLE_DIR / "site").rglob("*.html"))
        if p.name != "index.html" or "articles" in str(p)
    ]
    infos = [extract_page(p.read_text(encoding="utf-8")) for p in pages]
    tags = [set(t) for t in tagger.tag_many([(i.title or "", i.text) for i in infos])]
    union = set().union(*tags)
    assert not union & set(expected["hashtags_forbidden"])
    assert not [t for t in union if t.isupper() and len(t) > 5]
    for story in ("fire_story", "strike_story", "pact_story"):
        assert set(expected["hashtags_expected"][story]) <= union, story
    for found in tags:
        if "LuciaFerrand" in found:
            assert "Aldoria" in found


# --- the seed, when ../shared is there ------------------------------------------------------------


@pytest.mark.slow
def test_seed_hashtags(tagger: HashtagTagger) -> None:
    pages = sorted((SHARED / "seed/corpus/site").glob("*/*/*/*/*.html"))
    if not pages:
        pytest.skip("../shared/seed is not here")
    tags: dict[str, set[str]] = {}
    for page in pages:
        info = extract_page(page.read_text(encoding="utf-8"))
        tags[str(page)] = set(tagger.tag(info.title or "", info.text))
    for found in tags.values():
        assert {"NationalDefenseStrategy", "PeteHegseth"} <= found
        assert not found & {"Saturday", "Afterward", "Earlier", "Meanwhile", "According", "News", "Copyright"}
    cyber = set().union(*(t for p, t in tags.items() if "cyber" in p))
    assert {"GenNakatani", "Japan", "UnitedStates", "Cybersecurity"} <= cyber
    for p, found in tags.items():
        if "japantoday" in p or "mainichi" in p:
            assert "ShangriLaDialogue" in found
        if "nikkei" in p:
            assert {"Taiwan", "DonaldTrump", "Pentagon"} <= found


@pytest.mark.slow
def test_group_hashtag_ranks_with_names(tagger: HashtagTagger) -> None:
    tags = tagger.tag(
        "Budget stalls in Aldoria's parliament",
        "Aldoria's budget stalled on Monday as Democratic lawmakers walked out of parliament. "
        "Finance Minister Petra Voss said the lawmakers would return. Voss met the lawmakers "
        "again on Tuesday, and the lawmakers said they wanted more money for schools.",
    )
    assert "DemocraticLawmakers" in tags[:4] and "PetraVoss" in tags


@pytest.mark.slow
def test_short_party_names_merge(tagger: HashtagTagger) -> None:
    tags = tagger.tag(
        "Dems block the bill", "The Democrats blocked the bill. Dems said the Democrats would not move."
    )
    assert "Democrats" in tags and "Dems" not in tags


@pytest.mark.slow
def test_name_only_in_a_sentence_case_headline(tagger: HashtagTagger) -> None:
    body = "Mayor Ilse Brandt opened the bridge on Monday. Brandt thanked the builders; the bridge opened."
    assert tagger.tag("Bridge opens in Varna", body)[:2] == ["IlseBrandt", "Varna"]
    assert "Bridge" not in tagger.tag("Bridge opens in Varna", body)
