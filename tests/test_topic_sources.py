"""The press as a report's source is no evidence that the story is about the press (issue 12:
wire copy cites a newspaper in most foreign reports, and each gave #Media). Invented texts."""

from __future__ import annotations

from tagwire.understand.topics import cites_source, topic_scores


def test_a_report_citing_newspapers_is_not_about_the_press() -> None:
    body = (
        "VARNA - Police arrested six men suspected of smuggling cigarettes across the border, the "
        "state newspaper Dnevno Slovo said on Tuesday. The men were held in a raid near the port, "
        "according to the newspaper. Two other newspapers reported that the ring had operated for "
        "years. The police chief told reporters the investigation would go on."
    )
    assert "Media" not in topic_scores("Six held in cigarette smuggling raid", body)


def test_a_story_about_a_newspaper_is_about_the_press() -> None:
    body = (
        "VARNA - Police closed the opposition newspaper Glas on Tuesday and detained two of its "
        "journalists. The newspaper had published a report on a minister's property. Journalists "
        "from other newspapers protested outside the ministry."
    )
    assert "Media" in topic_scores("Police close opposition newspaper", body)


def test_what_reads_as_a_source() -> None:
    def at(text: str, word: str) -> bool:
        start = text.index(word)
        return cites_source(text, start, start + len(word))

    assert at("the China Daily newspaper said on Monday", "newspaper")
    assert at("he told reporters on Monday", "reporters")
    assert at("according to an article published in the newspaper", "newspaper")
    assert at("Newspapers reported that the talks failed", "Newspapers")
    assert not at("the newspaper was closed by police", "newspaper")
    assert not at("two journalists were arrested", "journalists")
