"""A trigger of two fields counts for the one the text gives other evidence of (issue 12, topics
fired by another word): a computer virus is no #Pandemic. Invented texts."""

from __future__ import annotations

import pytest

from tagwire.understand.topics import parse_lexicon, topic_lexicon, topic_scores


def test_a_computer_virus_is_cybersecurity() -> None:
    body = (
        "A virus that poses as a holiday greeting is spreading by e-mail, anti-virus firms said on "
        "Tuesday. The virus infects PCs running Windows when the attachment is opened, and "
        "infected machines send it on to every address they hold. Hackers wrote it to steal "
        "passwords, one analyst said."
    )
    scores = topic_scores("E-mail virus poses as greeting", body)
    assert "Cybersecurity" in scores and "Pandemic" not in scores


def test_a_virus_outbreak_is_still_an_epidemic() -> None:
    body = (
        "An outbreak of a new virus has killed 12 people in the north of the country, health "
        "officials said on Tuesday. The virus spreads through contaminated water, and 140 people "
        "were infected in three villages. The infection can be treated if caught early."
    )
    scores = topic_scores("Virus outbreak kills 12", body)
    assert "Pandemic" in scores and "Cybersecurity" not in scores


def test_a_rugby_grand_slam_is_rugby() -> None:
    body = (
        "Wales are one win from a first Grand Slam since 1978 after beating France 24-18 in the "
        "Six Nations. The fly-half kicked three penalties, and the coach said a Grand Slam was "
        "not yet in his mind. Wales meet Ireland in Cardiff on Saturday."
    )
    scores = topic_scores("Wales one win from Grand Slam", body)
    assert "Rugby" in scores and "Tennis" not in scores


def test_a_cricket_world_series_is_cricket() -> None:
    body = (
        "Australia beat West Indies by five wickets in the World Series one-day match on Sunday. "
        "The batsmen reached the target with four overs left, and Australia lead the World Series "
        "table by two points."
    )
    scores = topic_scores("Australia beat West Indies by five wickets", body)
    assert "Cricket" in scores and "Baseball" not in scores


def test_the_lexicon_reads_its_marks() -> None:
    """topics.txt's marks: "(source)" after a topic, "[Second]" after a trigger of two fields."""
    lex = topic_lexicon()
    assert lex.shared[("Pandemic", "virus")] == ("Cybersecurity",)
    assert lex.shared[("Tennis", "grand slam")] == ("Rugby",)
    assert lex.shared[("LaborUnions", "strike")] == ("War", "Defense")
    assert lex.sources == {"Media", "Police"}
    assert "Police" in lex.topics and "Police (source)" not in lex.topics


def test_a_second_field_that_is_no_topic_is_an_error() -> None:
    """A mark naming no topic (a typo, a renamed topic) would silently do nothing: loading fails."""
    lines = ["Pandemic: epidemic*, virus* [Cybersecurty]", "Cybersecurity: hacker*"]
    with pytest.raises(ValueError, match="Cybersecurty"):
        parse_lexicon(lines)
    renamed = parse_lexicon([lines[0], "Cybersecurty: hacker*"])
    assert renamed.shared == {("Pandemic", "virus"): ("Cybersecurty",)}
    with pytest.raises(ValueError, match="Defence"):
        parse_lexicon(["War: ceasefire*", "LaborUnions: strike+ [War|Defence]"])


def test_fields_are_tried_in_the_order_written() -> None:
    """A mark "[War|Defense]": the first field the text gives its own evidence of takes the trigger."""
    lines = ["LaborUnions: strike+ [War|Defense]", "War: ceasefire*", "Defense: missile*"]
    lex = parse_lexicon(lines)
    assert lex.shared[("LaborUnions", "strike")] == ("War", "Defense")
    reversed_lex = parse_lexicon(["LaborUnions: strike+ [Defense|War]", *lines[1:]])
    assert reversed_lex.shared[("LaborUnions", "strike")] == ("Defense", "War")
