"""Hashtags an editor would keep, fourth round of issue 12: a site's notice to its reader is not
read, text a page gives twice is read once, and a topic needs evidence of its own (not a word
describing a name, not the head of another topic's compound, not one trigger alone outside the
headline and lead; a wire slug names the story's topic); a participle after "the" stays in its
name, a nationality word of any ending counts toward its place, "League" ends a body's name,
and a place named once past the lead comes last like a person named in passing. The articles are invented
for these tests."""

from __future__ import annotations

import pytest

from tagwire.understand.hashtags import Candidate, HashtagTagger, prepare
from tagwire.understand.topics import topic_scores

STORY = "Velmora's council approved the new tram line on Monday after a long debate."


def test_a_notice_with_the_sites_address_is_not_read() -> None:
    notice = (
        "Please share this story with the link below. See our Ts&Cs. Email sales@harlow.example for rights."
    )
    body = prepare(f"{STORY}\n\n{notice}")
    assert "Ts&Cs" not in body and "tram line" in body


def test_a_paragraph_repeated_with_another_link_is_read_once() -> None:
    notice = "Quality news needs investment: share the story, do not copy it. More at"
    body = prepare(f"{notice} http://harlow.example/a4411\n\n{STORY}\n\n{notice} http://harlow.example/b9921")
    assert body.count("investment") == 1 and "tram line" in body


def test_text_the_page_gives_twice_is_read_once() -> None:
    second = "Ines Varga, who chairs the transport committee, said the first trams would run next year."
    body = prepare(f"{STORY}\n\n{second}\n\nMenu\n\n{STORY}\n\n{second}")
    assert body.count("tram line") == 1 and body.count("Ines Varga") == 1


def test_a_trigger_describing_a_named_person_is_no_topic() -> None:
    body = (
        "Adult film star Mira Holt said on Tuesday she had met the senator twice. The senator's "
        "office denied it. Porn actor Mira Holt repeated the claim on a talk show."
    )
    assert "Film" not in topic_scores(
        "Porn actor Mira Holt repeats claim about senator", body, names=frozenset({"Mira"})
    )


def test_a_name_stays_evidence_before_a_person() -> None:
    body = "Talks between NFL commissioner Bo Lind and the players' union went on. NFL owners met too."
    assert "AmericanFootball" in topic_scores("How the NFL's owners met", body, names=frozenset({"Bo"}))


def test_the_head_of_another_topics_compound_is_no_evidence() -> None:
    body = (
        "Police found a cannabis farm in a house in Harlow. The cannabis farmers had been "
        "trafficked, officers said, and the cannabis was worth a million."
    )
    found = topic_scores("Life on a cannabis farm", body)
    assert "Drugs" in found and "Agriculture" not in found


def test_one_trigger_alone_past_the_lead_is_a_detail() -> None:
    lead = (
        "The search for the missing airliner moved south on Friday, officials of three countries said. " * 4
    )
    body = lead + " ".join(["New satellite images showed objects in the ocean."] * 6)
    assert "SpaceExploration" not in topic_scores("Search for airliner moves south", body)


def test_a_wire_slug_names_the_topic() -> None:
    body = "Former goalkeeper Ines Varga was named coach of Harlow on Friday, the club said."
    assert "Soccer" in topic_scores("SOCCER - VARGA TO COACH HARLOW", body, names=frozenset({"Ines"}))
    assert "Boxing" in topic_scores("BOXING: LIND RETIRES", "Bo Lind retired on Friday.")


@pytest.mark.parametrize(
    ("title", "body", "kept", "not_kept"),
    [
        (  # a participle after "the" stays in the name
            "Band to return to Velmora park",
            "The Rolling Stones will play in Velmora's park in July, the band said on Monday. "
            "The Stones last played there in 1969.",
            "RollingStones",
            "Stones",
        ),
        (  # a nationality word of any ending counts toward its place
            "President asks for inquiry into loans",
            "The Cypriot president asked for an inquiry on Tuesday into loans written off by banks. "
            "Cyprus agreed a rescue last month. Cypriot newspapers said the loans were large.",
            "Cyprus",
            "Cypriot",
        ),
        (  # "League" ends a body's name
            "Harlow Media Group buys Premier League rights",
            "The Premier League has sold its broadcasting rights in Velmora to Harlow Media Group "
            "for six seasons. The Premier League said the deal was its largest abroad.",
            "PremierLeague",
            "League",
        ),
    ],
)
def test_one_tag_for_the_whole_name(
    tagger: HashtagTagger, title: str, body: str, kept: str, not_kept: str
) -> None:
    tags = tagger.tag(title, body)
    assert kept in tags and not_kept not in tags


def test_a_place_named_once_past_the_lead_is_named_in_passing() -> None:
    assert Candidate(first=0, count=1, placed=1.0, labels={"GPE": 1}).in_passing()
    assert not Candidate(first=0, count=1, placed=2.0, labels={"GPE": 1}).in_passing()
    assert not Candidate(first=0, count=2, placed=1.0, labels={"GPE": 2}).in_passing()
    assert not Candidate(first=0, count=1, placed=1.0, labels={"ORG": 1}).in_passing()


def test_prof_and_mp_are_titles(tagger: HashtagTagger) -> None:
    body = (
        "Prof Ines Varga, one of Velmora's leading physicists, warned on Tuesday that the new "
        "reactor was unsafe. Conservative MP Bo Lind asked for an inquiry. Prof Varga said "
        "the reactor should close, and Conservative MP Bo Lind agreed."
    )
    tags = tagger.tag("Physicist warns on Velmora reactor", body)
    assert {"InesVarga", "BoLind"} <= set(tags) and not {"ProfVarga", "ConservativeMP"} & set(tags)
