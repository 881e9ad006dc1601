"""Hashtags an editor would keep, seventh round of issue 12: a story's central topic among its
tags. A trigger describing a name supports a topic the text names at least twice otherwise. The
articles are invented for these tests."""

from __future__ import annotations

from tagwire.understand.entities import Mention
from tagwire.understand.hashtags import ranked
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


def test_a_hockey_story_that_never_says_hockey() -> None:
    body = (
        "Lina Marsh scored twice as the Harwick Owls beat the Marlow Foxes 4-1 on Tuesday night.\n\n"
        "Her first goal came on the power play late in the first period, and the Owls never looked "
        "back. Coach Ned Ray said the team had found its legs after a slow start to the season, "
        "and that the win would help them climb the standings before the holiday break.\n\n"
        "Defenseman Ari Lund added an empty-net goal, and goaltender Sam Oka stopped 30 shots."
    )
    assert "IceHockey" in topic_scores("Marsh scores twice as Owls beat Foxes", body)


def test_a_music_story_read_in_several_cue_words() -> None:
    body = (
        "A dispute over who owns the recordings of a star's early records reached court on "
        "Monday, when her former label asked a judge to stop her from performing them on tour. "
        "The case has drawn attention to how catalogs are bought and sold.\n\n"
        "Owning music catalogs has become a lucrative business with the rise of streaming, "
        "analysts said. The label said it had paid for the music and owned it.\n\n"
        "She has said she will record her old songs again and release them next year."
    )
    assert "Music" in topic_scores("Former label takes star to court", body)


def test_the_best_topic_is_among_the_first_eight_of_a_story_of_many_names() -> None:
    people = [
        "Ada Lind",
        "Bo Ek",
        "Cy Moss",
        "Di Roe",
        "Ed Finch",
        "Fay Holm",
        "Gus Bell",
        "Hal Orr",
        "Ivy Nash",
    ]
    body = " ".join(f"{p} met the others on Monday." for p in people) + "\n\n"
    body += " ".join(f"{p} spoke again." for p in people)
    body += " The election is in May. Voters will choose a mayor. " + " ".join(f"{p} left." for p in people)
    body += " The election will be close, and voters are tired."
    mentions = [
        Mention(p, "PERSON", start)
        for p in people
        for start in (i for i in range(len(body)) if body.startswith(p, i))
    ]
    assert "Elections" in ranked("Nine meet in town hall", body, mentions, 12).shown[:8]


def test_an_award_named_whole_is_evidence_of_its_field() -> None:
    body = "The drama won six Emmys on Sunday night. Its star won the Emmy Award for best actress."
    assert "Television" in topic_scores("Harbour Lights sweeps the Emmys", body)


def test_a_common_noun_written_as_an_acronym_is_no_tag() -> None:
    from tagwire.understand.hashtags import HashtagTagger

    body = (
        "Velmora Labs released Clipwise 3 on Monday, a video editor that renders on the GPU as "
        "well as the CPU. The GPU path is twice as fast, Velmora Labs said, and the CPU path "
        "stays for older laptops. Clipwise 3 also exports HDR video."
    )
    tags = HashtagTagger().tag("Velmora Labs ships Clipwise 3 with GPU rendering", body)
    assert {"CPU", "GPU", "HDR"}.isdisjoint(tags) and "VelmoraLabs" in tags


def test_a_word_two_sports_share_is_no_evidence_of_either() -> None:
    body = (
        "Harwick beat Marlow by an innings and 40 runs on Monday. Their first innings total of 500 "
        "was enough, and Marlow's second innings ended before tea with a batting average of 12."
    )
    assert "Baseball" not in topic_scores("Harwick win by an innings", body)
