"""Social platforms: a tag where the story is about the platform, none where it is a medium."""

from __future__ import annotations

import pytest

from tagwire.understand.hashtags import HashtagTagger
from tagwire.understand.platforms import channel

BANS = (
    "Facebook is banning adverts for cryptocurrencies, the social network said on Tuesday, because "
    "so many of them are scams.\n\n"
    "Facebook said the ban would cover Instagram too while it worked on better ways to detect "
    "deceptive promotions. Regulators in Ostland have warned investors about such schemes.\n\n"
    "Bitcoin fell after the announcement."
)

FEUD = (
    "Mayor Lena Ardvik attacked the harbour board on Twitter on Sunday, calling its plan a "
    "disgrace in a series of posts.\n\n"
    '"The board has failed this town," Ardvik wrote on Twitter. The board chair, Tomas Veld, '
    "replied in a Facebook post of his own, and supporters of both took to Twitter and Instagram.\n\n"
    "The harbour board meets again on Thursday to vote on the plan, which Veld defended in a "
    "YouTube video. Ardvik's office shared the video on Facebook and Twitter."
)


def test_a_platform_that_acts_is_a_tag(tagger: HashtagTagger) -> None:
    tags = tagger.tag("Facebook bans cryptocurrency adverts because so many are scams", BANS, limit=8)
    assert tags[0] == "Facebook"


def test_a_platform_used_as_a_medium_is_no_tag(tagger: HashtagTagger) -> None:
    tags = tagger.tag("Mayor attacks harbour board on Twitter", FEUD, limit=12)
    assert "LenaArdvik" in tags and "TomasVeld" in tags
    assert not {"Twitter", "Facebook", "Instagram", "YouTube"} & set(tags)


def test_a_platform_named_once_in_a_list_is_no_tag(tagger: HashtagTagger) -> None:
    body = (
        "Ostland's parliament passed a law on Monday that makes online platforms remove hate speech "
        "within a day. Companies such as Google, Facebook and Snapchat will face fines.\n\n"
        "The justice minister, Ilse Marten, said the law would be enforced from March."
    )
    assert "Facebook" not in tagger.tag("Ostland passes online hate speech law", body, limit=12)


@pytest.mark.parametrize(
    "text",
    [
        "He wrote on Twitter that",
        "she said via Instagram",
        "posted to YouTube last Friday",
        "people took to Twitter to",
        "in a Facebook post on Friday",
        "his Twitter account was",
        "the company's Facebook or Twitter accounts",
        "shared on Facebook and Twitter",
        "a Twitter feud with",
        "Trump uses Twitter daily",
        "the YouTube star Lia Norr",
    ],
)
def test_a_medium(text: str) -> None:
    for name in ("Twitter", "Instagram", "YouTube", "Facebook"):
        at = text.find(name)
        if at >= 0:
            assert channel(text, at, at + len(name)), (text, name)


@pytest.mark.parametrize(
    "text",
    [
        "Facebook bans adverts",
        "Twitter, which does not comment on accounts,",
        "Facebook's users are the company's",
        "access to Facebook servers",
        "a hearing on Facebook's privacy rules",
    ],
)
def test_not_a_medium(text: str) -> None:
    for name in ("Twitter", "Facebook"):
        at = text.find(name)
        if at >= 0:
            assert not channel(text, at, at + len(name)), (text, name)
