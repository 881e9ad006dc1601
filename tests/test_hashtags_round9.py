"""Hashtags an editor would keep, ninth round of issue 12 (coverage of a wire story's key
names): a match's score is no word of a team's name, and a country opening two sentences is a
name. The articles are invented for these tests."""

from __future__ import annotations

from tagwire.understand.entities import Mention, _name_bounds, _score_words, lexicon
from tagwire.understand.hashtags import Candidate, HashtagTagger, _scored


def test_a_score_is_no_word_of_a_name() -> None:
    lex = lexicon()
    assert _score_words(["Latvia", "3", "-", "1"]) == 3
    assert _score_words(["Latvia", "3-1"]) == 1
    assert _score_words(["Boeing", "747"]) == 0  # a model's number stays
    assert _score_words(["Flight", "93"]) == 0
    assert _name_bounds(["Latvia", "3", "-", "1"], "ORG", lex, frozenset()) == (0, 1)
    assert _name_bounds(["Galaxy", "S5"], "PRODUCT", lex, frozenset()) == (0, 2)


def test_a_team_named_before_its_score_is_a_tag(tagger: HashtagTagger) -> None:
    body = (
        "Portugal beat Latvia 3-1 (halftime 1-0) in a friendly international in Braga on Wednesday.\n\n"
        "Scorers: Tiago Marvela (12th, 70th), Rui Castanho (55th); Andris Kalnietis (80th).\n\n"
        "Attendance: 11,000"
    )
    tags = tagger.tag("SOCCER - PORTUGAL BEAT LATVIA 3-1 IN FRIENDLY.", body)
    assert "Latvia" in tags[:8] and "Portugal" in tags[:8]
    assert not any(t.startswith("Latvia3") for t in tags)


def _candidate(text: str, starts: list[bool]) -> Candidate:
    c = Candidate(first=0)
    for k, opens in enumerate(starts):
        c.add(Mention(text, "UNK", 100 * k, 1.0, None, opens), 1.0)
    return c


def test_a_country_opening_two_sentences_is_a_name() -> None:
    assert "Singapore" in lexicon().countries
    assert _candidate("Singapore", [True, True]).credible()
    assert not _candidate("Singapore", [True]).credible()  # once: not enough
    assert not _candidate("Meanwhile", [True, True]).credible()  # an ordinary opener stays out
    assert _candidate("Tarvolo", [True, False]).credible()


def _named(label: str, places: list[float]) -> Candidate:
    c = Candidate(first=0)
    for k, place in enumerate(places):
        c.add(Mention("Harwick Grain Board", label, 100 * k if place < 6.0 else -1), place)
    return c


def test_a_body_named_once_in_the_lead_comes_after_the_names_repeated() -> None:
    assert _named("ORG", [2.0]).once()  # once, in the lead: a detail
    assert _named("GPE", [2.0]).once()
    assert not _named("ORG", [2.0, 1.0]).once()  # named again
    assert not _named("ORG", [6.0]).once()  # in the headline
    assert not _named("PERSON", [2.0]).once()  # the lead names who did what
    assert not _named("GROUP", [2.0]).once()  # a group is then called by its bare noun
    assert not _named("ORG", [1.0]).once()  # past the lead: scored as it is


def test_a_name_repeated_past_the_lead_outranks_a_body_named_once_in_it() -> None:
    once_in_lead = _named("ORG", [2.0])
    repeated = _named("PHRASE", [1.0, 1.0])  # an unknown two-word name, written twice later on
    person_once = _named("PERSON", [2.0])
    assert _scored(repeated)[0] > _scored(once_in_lead)[0]
    assert _scored(person_once)[0] > _scored(repeated)[0]
