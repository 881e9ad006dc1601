"""A name written right after the kind of body it is ("the advocacy group Safe Scotland Now")
is that body's one name, though a place stands inside it and the text writes the place alone
too (issue 12: no fragments). The articles are invented for these tests; the names stand past
the head of the body, which the language model reads."""

from __future__ import annotations

import pytest

from tagwire.understand.hashtags import HashtagTagger

LEAD = (
    "A television advertisement attacking the transport plan began airing across the region on "
    "Tuesday, weeks before the council votes on it. The plan would close two rail lines and "
    "spend the savings on buses, which its backers say would reach more towns.\n\n"
)


def _tags(tagger: HashtagTagger, body: str) -> list[str]:
    return tagger.tag("Attack advertisement airs before council vote", LEAD + body, limit=16)


def test_a_body_of_the_named_kind_is_one_name_each_time_it_is_written(tagger: HashtagTagger) -> None:
    body = (
        "The advertisement, paid for by the advocacy group Safe Scotland Now, calls the plan a "
        "waste of money.\n\n"
        '"Voters deserve to know the cost," said Moira Telfer, a board member of Safe Scotland '
        "Now.\n\n"
        "The group that made the advertisement, Safe Scotland Now, was founded last year. It "
        "will run the advertisement across Scotland until the vote."
    )
    tags = _tags(tagger, body)
    assert "SafeScotlandNow" in tags
    assert "Safe" not in tags and "Now" not in tags


@pytest.mark.parametrize(
    "body, whole",
    [
        (  # two bodies joined by "and"
            "The research firm Halden and Mercer said the plan would cost more than planned.",
            "HaldenAndMercer",
        ),
        (  # the name goes on past the run: not cut at "Rights"
            "The rights group Human Rights in Lurovia said it would take the plan to court.",
            "HumanRights",
        ),
    ],
)
def test_no_one_name_of_two_bodies_or_of_half_a_name(tagger: HashtagTagger, body: str, whole: str) -> None:
    assert whole not in _tags(tagger, body)
