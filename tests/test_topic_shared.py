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
