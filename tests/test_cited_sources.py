"""A body named once, only as the source of what the story reports ("told BBC Radio", "the
Financial Times reported"), is no tag shown: the story is not about it (issue 12: tags an editor
would keep). It stays a key among the passing tags. The articles are invented for these tests."""

from __future__ import annotations

import pytest

from tagwire.understand.hashtags import HashtagTagger, Tags

LEAD = (
    "Marvane Foods will close two of its plants in Dorrel next year, putting 400 jobs at risk, "
    "the company said on Tuesday.\n\n"
    "Marvane Foods said sales of its frozen meals fell 12% in the three months to June, and "
    "that it would move their making to its plant in Kessel.\n\n"
)


def _tags(tagger: HashtagTagger, text: str) -> Tags:
    return tagger.tags(tagger.read_many([("Marvane Foods to close two plants", text)])[0], 16)


def test_an_outlet_told_once_is_kept_apart(tagger: HashtagTagger) -> None:
    found = _tags(tagger, LEAD + "Its chief executive told the Financial Times that the decision was hard.")
    assert "FinancialTimes" in found.passing
    assert "FinancialTimes" not in found.shown
    assert "MarvaneFoods" in found.shown


@pytest.mark.parametrize(
    "text, tag",
    [
        (  # a venue told something is where the story happens
            LEAD + "Its chief executive told the Dorrel Assembly that the decision was hard.",
            "DorrelAssembly",
        ),
        (  # the source is the lead's subject: what it reports is the story
            "The Harl Wheat Board reported six ships loading at Dorrel on Friday.\n\n" + LEAD,
            "HarlWheatBoard",
        ),
        (  # cited twice or more: left to the ranking, as before
            LEAD + "The Financial Times reported the closures first. Marvane Foods told the "
            "Financial Times that the decision was hard.",
            "FinancialTimes",
        ),
    ],
)
def test_a_venue_the_leads_subject_or_a_source_cited_twice_is_shown(
    tagger: HashtagTagger, text: str, tag: str
) -> None:
    found = _tags(tagger, text)
    assert tag in found.shown, found
