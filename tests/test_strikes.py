"""A strike in a war is no labour dispute (issue 12, topics fired by a word meaning something
else): "Israeli strikes kill 20 in Gaza" had #LaborUnions first. Where the text gives a war's
own evidence (an air strike, a ceasefire, shelling), "strikes" counts toward #War; where it
gives only armed forces' own (missiles, warships), toward #Defense ("US strikes rebel targets"
had #LaborUnions); a walkout stays #LaborUnions. Invented texts."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger

WAR = (
    "VALDMERE - Air strikes killed at least 20 people in the border villages overnight, health "
    "officials said on Tuesday. The strikes hit houses in Korvel and Ostrin, and the army said it "
    "had targeted rebel fighters. Their leaders said the strikes broke the ceasefire."
)
MISSILES = (
    "WASHINGTON - The United States struck radar and missile sites in the Valdmere hills "
    "overnight, the Pentagon said on Friday. The strikes followed attacks on shipping in the "
    "strait, and officials said more strikes were possible. A warship and fighter jets took part."
)
WALKOUT = (
    "OSTRIN - Train drivers will strike for three days next week, their union said on Monday, "
    "after talks over pay broke down. The strikes will halt most services in the north, and the "
    "operator said it would run buses where it could. A frontline manager said staff were tired."
)


def test_strikes_in_a_war_are_the_war() -> None:
    tags = HashtagTagger().tag("Strikes kill 20 in border villages", WAR)
    assert "War" in tags, tags
    assert "LaborUnions" not in tags, tags


def test_a_walkout_is_a_labour_dispute() -> None:
    tags = HashtagTagger().tag("Train drivers to strike over pay", WALKOUT)
    assert "LaborUnions" in tags, tags
    assert "War" not in tags, tags


def test_strikes_by_armed_forces_are_defense() -> None:
    tags = HashtagTagger().tag("US strikes targets in Valdmere", MISSILES)
    assert "Defense" in tags, tags
    assert "LaborUnions" not in tags, tags


def test_a_war_with_missiles_is_still_the_war() -> None:
    """Both fields have their own evidence: the first written, #War, takes the strikes."""
    text = WAR + " Missile fragments were found in Ostrin."
    tags = HashtagTagger().tag("Strikes kill 20 in border villages", text)
    assert "War" in tags, tags
    assert "Defense" not in tags or tags.index("War") < tags.index("Defense"), tags
    assert "LaborUnions" not in tags, tags
