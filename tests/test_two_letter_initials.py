"""Two capitals that spell out one name of the article are that name (issue 12, aliases and
abbreviations merged): "Electronic Arts" once, then "EA" a dozen times, was ranked as if the
company were named once. Two capitals alone stay no tag. Invented texts."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger

BODY = (
    "Games publisher Velmora Games Inc has hired a film producer to run a new studio in Ostrin. "
    "VG said the studio would make films of its best-selling games, starting next year. "
    "VG has sold more than ten million copies of its racing game, and VG shares rose 4% on the "
    "news. Dana Whitlow, who ran the Harbour Lights studio, will lead it. VG said more hires would "
    "follow, and analysts said VG needed a hit after a weak year."
)


def test_two_capitals_spelling_one_name_count_as_it() -> None:
    tags = HashtagTagger().tag("Games firm to make films of its hits", BODY)
    assert tags[0] == "VelmoraGames", tags
    assert "VG" not in tags, tags


def test_two_capitals_of_no_name_are_no_tag() -> None:
    body = BODY.replace("Games publisher Velmora Games Inc has", "A games publisher has")
    tags = HashtagTagger().tag("Games firm to make films of its hits", body)
    assert "VG" not in tags, tags
