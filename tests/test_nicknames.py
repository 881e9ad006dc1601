"""A nickname in quotes between a given name and a surname is no part of the person's tag:
Roberto "Hands of Stone" Duran is #RobertoDuran, not #Roberto and #Duran (issue 12: full
names, no fragments). The articles are invented for these tests."""

from __future__ import annotations

import pytest

from tagwire.understand.hashtags import HashtagTagger

LEAD = (
    "PANAMA CITY - The veteran boxer will fight again on Saturday in another attempt to extend a "
    "career that began three decades ago, his promoters said on Friday.\n\n"
)


@pytest.mark.parametrize(
    "body, person, parts",
    [
        (
            'The champion, Carlos "Hands of Iron" Velarde, takes on a little-known rival. Velarde, '
            "45, said he felt good. Velarde has won titles at four weights.",
            "CarlosVelarde",
            {"Carlos", "Velarde", "HandsOfIron"},
        ),
        (
            "His trainer, Danny 'the Fox' O'Dowell, said the camp had gone well. O'Dowell has "
            "trained him for ten years. O'Dowell's gym is in Colon.",
            "DannyODowell",
            {"Danny", "ODowell"},
        ),
    ],
)
def test_a_nickname_between_given_name_and_surname_is_left_out(
    tagger: HashtagTagger, body: str, person: str, parts: set[str]
) -> None:
    tags = tagger.tag("Veteran boxer fights again", LEAD + body, limit=16)
    assert person in tags, tags
    assert not parts & set(tags), tags


def test_quoted_words_after_a_word_that_is_no_given_name_join_nothing(tagger: HashtagTagger) -> None:
    tags = tagger.tag(
        "Veteran boxer fights again",
        LEAD + 'Posters across the city say Velarde "is back" Saturday. Velarde has won titles at '
        "four weights.",
        limit=16,
    )
    assert "VelardeSaturday" not in tags, tags
