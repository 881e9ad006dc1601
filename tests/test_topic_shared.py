"""A trigger of two fields counts for the one the text gives other evidence of (issue 12, topics
fired by another word): a computer virus is no #Pandemic. Invented texts."""

from __future__ import annotations

from tagwire.understand.topics import topic_scores


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


def test_every_shared_trigger_and_source_topic_is_in_the_lexicon() -> None:
    """SHARED and SOURCE_TOPICS name topics and triggers of data/topics.txt: an entry that no
    longer matches the lexicon would silently do nothing."""
    from tagwire.understand.topics import SHARED, SOURCE_TOPICS, topic_lexicon

    lex = topic_lexicon()
    triggers = {
        (tag, " ".join(w for w, _ in trig))
        for table in (lex.exact, lex.prefix)
        for entries in table.values()
        for trig, tag in entries
    }
    topics = {tag for tag, _ in triggers}
    for (first, trigger), second in SHARED.items():
        assert (first, trigger) in triggers, (first, trigger)
        assert second in topics, second
    assert SOURCE_TOPICS.issubset(topics)
