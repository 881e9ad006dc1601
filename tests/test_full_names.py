"""A person's tag is the full name once the text gives it (issue 12, half names): a given name
the text also uses alone or in a nickname is the first name of the surname right after it, and
the part of the text the model reads never ends on a middle initial. Invented texts."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger, head_end


def test_a_given_name_read_alone_elsewhere_still_opens_the_full_name() -> None:
    body = (
        "WASHINGTON \u2014 The senator made his first \u201cCrooked Margaret\u201d post of the year "
        "on Tuesday, accusing a former Pettifer aide of \u201cdisregarding basic rules,\u201d and "
        "calling the party\u2019s own lawyers a \u201cdisgrace.\u201d\n\n"
        "Attacking Margaret Pettifer, his opponent in the last race, struck familiar tones. "
        "Pettifer did not answer, and Pettifer's aides said the post was false."
    )
    tags = HashtagTagger().tag("Senator accuses former Pettifer aide", body)
    assert "MargaretPettifer" in tags, tags
    assert "Margaret" not in tags and "Pettifer" not in tags, tags


def test_the_model_reads_on_past_a_middle_initial() -> None:
    words = " ".join(["word"] * 29)
    body = f"The {words} kept on scoffing at Representative Paul D. Ryan, his opponent. Ryan answered calmly."
    end = head_end(body)
    assert body[:end].endswith("opponent."), body[:end][-30:]


def test_a_place_before_a_persons_name_is_no_part_of_it() -> None:
    body = (
        "WASHINGTON - The former U.S. ambassador to the Ukraine Marie Delacroix testified before "
        "a House committee on Friday. Delacroix said she had been recalled without reason, and "
        "Delacroix told the committee that she had received no explanation from the department."
    )
    tags = HashtagTagger().tag("Former envoy testifies before House panel", body)
    assert "MarieDelacroix" in tags, tags
    assert "UkraineMarieDelacroix" not in tags, tags
