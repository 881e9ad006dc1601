"""The press or the police as a report's source is no evidence that the story is about them
(issue 12: wire copy cites a newspaper in most foreign reports and the police in most accident
reports, and each gave #Media or #Police). Invented texts."""

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


def test_police_as_the_source_of_an_accident_report() -> None:
    body = (
        "SARVO - Nine people died when a bus fell into a river near Sarvo on Sunday, police said. "
        "The bus was carrying 40 passengers to the coast, a police spokesman said. Police said the "
        "driver had lost control on a bend. Rescue teams pulled 31 survivors from the water."
    )
    assert "Police" not in topic_scores("Nine die as bus falls into river", body)


def test_police_who_act_in_the_headline_stay_a_topic() -> None:
    body = (
        "PORTO ALTO - Police found two tonnes of cannabis hidden in a cargo ship's hold, police "
        "said on Friday. The crew of twelve were detained."
    )
    assert "Police" in topic_scores("Police find two tonnes of cannabis on ship", body)
