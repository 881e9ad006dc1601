"""A word describing a person that opens a sentence is no part of the person's name where the
model read it as one ("Broadcaster Chris Evans has begun ...": #BroadcasterChrisEvans, as the
Title Case pass already read "Striker Tomas Ribeiro said"; issue 12, no glued words). A given
name opening the name stays ("Alexa Ray Corriea"). Invented texts."""

from __future__ import annotations

import pytest

from tagwire.understand.hashtags import HashtagTagger


@pytest.mark.parametrize(
    ("opening", "tag"),
    [
        ("Broadcaster Dana Whitlow", "DanaWhitlow"),
        ("Olympian Andy Tern", "AndyTern"),
        ("Outspoken Andrei Medvin", "AndreiMedvin"),
    ],
)
def test_a_description_opening_the_sentence_is_no_part_of_the_name(opening: str, tag: str) -> None:
    body = (
        f"{opening} has begun selling thousands of her possessions from a stall in Camden "
        "Market, London. She sat on a stool as shoppers wandered around the open-fronted shop."
    )
    tags = HashtagTagger().tag("Star sells her furniture at a market stall", body)
    assert tags[0] == tag, tags


def test_a_given_name_opening_the_name_stays() -> None:
    body = (
        "Alexa Ray Corriea has begun selling thousands of her possessions from a stall in Camden "
        "Market, London. She sat on a stool as shoppers wandered around the open-fronted shop."
    )
    tags = HashtagTagger().tag("Star sells her furniture at a market stall", body)
    assert tags[0] == "AlexaRayCorriea", tags
