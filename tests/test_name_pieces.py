"""Names the model or the Title Case pass cut in two (issue 12, fragments): "the Six Nations"
was #Nations, "Reporters Without Borders" #Borders, "The Muslim Council of Britain"
#CouncilOfBritain (the model read "The Muslim" and "Council of Britain" side by side). Invented
texts; the model's entities are set by hand on a real spaCy document."""

from __future__ import annotations

from spacy.tokens import Span

from tagwire.understand import entities, mentions
from tagwire.understand.entities import Mention
from tagwire.understand.hashtags import HashtagTagger


def _entities(text: str, spans: list[tuple[str, str]]) -> list[Span]:
    doc = HashtagTagger().nlp.make_doc(text)
    out = []
    for words, label in spans:
        at = text.index(words)
        span = doc.char_span(at, at + len(words), label=label)
        assert span is not None
        out.append(span)
    doc.ents = out
    return list(doc.ents)


def test_a_count_in_capitals_after_the_opens_the_name() -> None:
    text = "Wales won the Six Nations on Saturday."
    (span,) = _entities(text, [("the Six Nations", "EVENT")])
    found = entities.from_span(span, entities.lexicon(), frozenset())
    assert found is not None and found[0].text == "Six Nations"
    text = "Six Nations wait for the verdict."  # a count opening a sentence is no name's word
    (span,) = _entities(text, [("Six Nations", "ORG")])
    found = entities.from_span(span, entities.lexicon(), frozenset())
    assert found is not None and found[0].text == "Nations"


def test_a_body_read_as_two_side_by_side_is_one() -> None:
    text = "The Talvern Council of Lawyers said the ruling was wrong, and Halden Airways Boeing 747s flew on."
    ents = _entities(
        text,
        [("The Talvern", "ORG"), ("Council of Lawyers", "ORG"), ("Halden Airways", "ORG"), ("Boeing", "ORG")],
    )
    joined = mentions._side_by_side(ents, entities.lexicon())
    assert [e.text for e in joined] == ["The Talvern Council of Lawyers", "Halden Airways", "Boeing"]
    text = "Members of the UK Fishing Party met."  # one word before a name ending in a head
    joined = mentions._side_by_side(
        _entities(text, [("UK", "ORG"), ("Fishing Party", "ORG")]), entities.lexicon()
    )
    assert [e.text for e in joined] == ["UK Fishing Party"]


def test_a_word_after_a_capitalised_small_word_is_a_piece() -> None:
    body = (
        "The sentence was criticised by the watchdog Reporters Without Borders on Monday. "
        "Reporters Without Borders said bloggers faced jail. Borders of the region stayed shut."
    )
    found = [
        Mention("Borders", "UNK", body.index("Borders")),
        Mention("Borders", "UNK", body.rindex("Borders")),
    ]
    assert mentions.without_fragments(found, "Blogger jailed", body) == found  # once alone: a name
    body = body.replace(" Borders of the region stayed shut.", "")
    found = [m for m in found if m.start < len(body)]
    assert mentions.without_fragments(found, "Blogger jailed", body) == []


def test_a_count_in_capitals_inside_a_sentence_opens_the_name() -> None:
    """The model reads "Six" as a number where no "the" comes before ("Saturday's Six Nations",
    "their first Six Nations win"): a count inside a sentence is written small, so in capitals
    it is the name's first word. A count opening a sentence stays out."""
    body = (
        "Wales coach Tomas Reyes believes Saturday's Six Nations match in Ostrin will be close. "
        "Wales have not won there since they joined the championship, and their first Six Nations "
        "away win came only last year. Reyes said the Six Nations was the hardest it had been."
    )
    tags = HashtagTagger().tag("Reyes predicts close contest", body)
    assert "SixNations" in tags, tags
    assert "Nations" not in tags, tags


def test_an_ing_word_inside_a_sentence_opens_a_name() -> None:
    """A capitalised "-ing" word opening a sentence is a verb ("Following Reyes's win, ..."), one
    after a word inside a sentence a name's first word: "Wednesday's Carling Cup tie" was #Cup
    and #Carling, "a Downing Street spokesman" #Street."""
    body = (
        "Following Reyes's win, the club said Wednesday's Velling Cup tie would go ahead. A "
        "Downing Street spokesman said the Velling Cup final would be shown on television, and "
        "Tomas Reyes said he was proud."
    )
    tags = HashtagTagger().tag("Cup tie to go ahead", body)
    assert {"VellingCup", "DowningStreet", "TomasReyes"} <= set(tags), tags
    assert not {"Cup", "Street", "FollowingReyes"} & set(tags), tags
