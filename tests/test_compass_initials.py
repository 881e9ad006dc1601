"""Wire headlines write the compass by its initial ("N. Korea", "S. Korea", "S. African",
"N. Ireland"): one tag with the place's full name, never #NKorea or #SAfrican beside it (issue
12, aliases merged; aliases.tsv and demonyms.tsv). Invented texts."""

from __future__ import annotations

import pytest

from tagwire.understand.hashtags import HashtagTagger


@pytest.mark.parametrize(
    ("title", "body", "tag"),
    [
        (
            "N. Korea urges S. Korea to return fishermen",
            "SEOUL - North Korea on Tuesday urged South Korea to return six fishermen whose boat "
            "drifted across the sea border. South Korea said it would consider the request.",
            {"NorthKorea", "SouthKorea"},
        ),
        (
            "S. African miners end strike",
            "JOHANNESBURG - Miners at a platinum mine in South Africa went back to work on Monday "
            "after a two-week strike. The union said it had won a pay rise.",
            {"SouthAfrica"},
        ),
        (
            "Police find arms cache in N. Ireland",
            "BELFAST - Police in Northern Ireland found rifles and explosives in a farm building on "
            "Sunday. Two men were arrested in Northern Ireland later that day.",
            {"NorthernIreland"},
        ),
    ],
)
def test_compass_initials_are_the_full_place(title: str, body: str, tag: set[str]) -> None:
    tags = HashtagTagger().tag(title, body)
    assert tag <= set(tags), tags
    assert not {"NKorea", "SKorea", "SAfrican", "NIreland"} & set(tags), tags
