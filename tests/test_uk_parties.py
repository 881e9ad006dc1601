"""Britain's Liberal Democrats are one party, #LiberalDemocrats, however the text writes them
("the Liberal Democrat leader", "the Lib Dems"): the party word "Democrat" made them the American
#Democrats, and "Liberal" a tag of its own. Invented text."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger


def test_the_lib_dems_are_the_liberal_democrats() -> None:
    body = (
        "LONDON - The Liberal Democrat leader will visit a school in Leeds on Friday. The Lib Dems "
        "say they will spend more on teachers, and a Lib Dem spokesman said the plan was costed."
    )
    tags = HashtagTagger().tag("Lib Dems pledge more teachers", body)
    assert "LiberalDemocrats" in tags
    assert "Democrats" not in tags and "Liberal" not in tags and "Lib" not in tags
