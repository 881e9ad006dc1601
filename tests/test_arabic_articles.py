"""A name joined to its Arabic article by a hyphen is one name (issue 12, half names): "Bashar
al-Assad" is one person, "Assad" later the same; "al-Tanf" is a place of its own, no "Tanf".
Invented texts around real names' shapes."""

from __future__ import annotations

from tagwire.understand.entities import surname
from tagwire.understand.hashtags import HashtagTagger


def test_a_president_and_his_surname_are_one_tag() -> None:
    body = (
        "DAMASCUS - President Bashar al-Assad met the envoy on Monday. Assad said the talks had "
        "been useful, and Assad's office said a second meeting would follow."
    )
    tags = HashtagTagger().tag("Assad meets envoy", body)
    assert "BasharAlAssad" in tags and "Assad" not in tags and "Bashar" not in tags


def test_a_place_named_with_its_article() -> None:
    body = (
        "Officials spoke for an hour before the vote on the budget and the new roads plan. "
        "Then they turned to the border. U.S. forces at al-Tanf were accused of blocking aid. "
        "The al-Tanf base lies near the border, and the U.S. will keep it, officials said. "
        "Aid convoys have not reached al-Tanf since March."
    )
    tags = HashtagTagger().tag("Aid blocked near base", body)
    assert "AlTanf" in tags and "Tanf" not in tags


def test_a_surname_without_its_article() -> None:
    assert surname("Bashar al-Assad") == "Assad"
    assert surname("Abdel Fattah el-Sisi") == "Sisi"
    assert surname("Martin Luther King Jr.") == "King"
