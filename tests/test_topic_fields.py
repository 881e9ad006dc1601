"""Narrower topics of a broader field (issue 12, the central topic of a wire story): a report of
soybean crushing is #Soybeans, and still #Agriculture, as it was when "soybean" was only a word of
the field; a commodity's name in another sense (a gold medal) is no commodity. Invented texts."""

from __future__ import annotations

import pytest

from tagwire.understand.topics import parse_lexicon, topic_scores


def test_a_commodity_is_its_own_topic_and_its_fields() -> None:
    body = (
        "CHICAGO, March 4 - Soybean processors cut their crush this week as margins fell below the "
        "cost of production, dealers said. Soybean meal futures fell to a contract low, and the "
        "weekly soybean crush came to 21 mln bushels, down from 22 mln. Dealers said demand for "
        "soymeal from livestock feeders was light after a mild winter."
    )
    scores = topic_scores("Soybean processors cut crush as margins fall", body)
    assert {"Soybeans", "Agriculture"} <= scores.keys(), scores
    assert scores["Agriculture"] >= scores["Soybeans"], scores


def test_a_gold_medal_is_no_gold() -> None:
    body = (
        "Marta Oyelaran won gold in the 400 metres on Friday, her second gold of the championships, "
        "and said she would race the relay on Sunday. The gold medal was the team's first in the "
        "event since 1996."
    )
    assert "Gold" not in topic_scores("Oyelaran takes second gold", body)


def test_a_field_that_is_no_topic_is_an_error() -> None:
    with pytest.raises(ValueError, match="Agricultur"):
        parse_lexicon(["Agriculture: farm*", "Soybeans < Agricultur: soybean*"])
    assert parse_lexicon(["Agriculture: farm*", "Soybeans < Agriculture: soybean*"]).fields == {
        "Soybeans": "Agriculture"
    }
