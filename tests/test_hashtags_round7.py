"""Hashtags an editor would keep, seventh round of issue 12: a story's central topic among its
tags. A trigger describing a name supports a topic the text names at least twice otherwise. The
articles are invented for these tests."""

from __future__ import annotations

from tagwire.understand.topics import topic_scores


def test_descriptions_support_a_topic_named_twice_otherwise() -> None:
    body = (
        "Dale Orsk threw for three touchdowns as Harwick State routed Marlow 41-10 on Saturday.\n\n"
        "The win followed a long losing streak that had begun two seasons ago, when the coach left "
        "for a bigger school and took most of his staff with him to a job on the coast.\n\n"
        "Fans stayed to the end on a cold night. A late touchdown sealed it after the break.\n\n"
        "Marlow quarterback Ben Tully was sacked twice, and quarterback Jon Abel came in late."
    )
    names = frozenset({"Ben", "Jon", "Dale"})
    assert "AmericanFootball" in topic_scores("Harwick State rout Marlow", body, names=names)


def test_descriptions_alone_found_no_topic() -> None:
    body = (
        "Adult film star Mira Holt said on Tuesday she had met the senator twice. The senator's "
        "office denied it, and actor Mira Holt repeated the claim on a talk show."
    )
    title = "Porn actor repeats claim about senator"
    assert "Film" not in topic_scores(title, body, names=frozenset({"Mira"}))
