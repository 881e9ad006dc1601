"""A genre written with a capital is no name (issue 12, glued tags): "R&B" was #RB; it is
evidence of #Music. Invented text."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger


def test_r_and_b_is_music_not_a_tag() -> None:
    body = (
        "Singer Dana Whitlow leads the nominations for the Velmora music awards, with her R&B "
        "album Harbour Lights up for three prizes. The R&B star said she was proud, and her "
        "label said the album had sold a million copies."
    )
    tags = HashtagTagger().tag("Whitlow leads awards nominations", body)
    assert "RB" not in tags, tags
    assert "Music" in tags, tags
