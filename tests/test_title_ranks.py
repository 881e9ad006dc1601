"""A rank before a name is a title (data/titles.txt; issue 12, glued tags): "Principal Kim
Sims", "Inspector Paul Miller", "FBI Agent Peter Strzok" were #PrincipalKimSims,
#InspectorPaulMiller and #AgentStrzok. Invented texts."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger


def test_a_rank_before_a_name_is_a_title() -> None:
    body = (  # past the head the model reads: the Title Case pass reads the titles
        "The school in the valley will reopen next week after the flood that closed it, the "
        "county said on Monday, and buses will run again from Wednesday on the upper road. "
        "Principal Ilse Brandvold said the ground floor had dried. Inspector Tomas Reyes of the "
        "county police said the roads were clear, and FBI Agent Dana Whitlock said no one had "
        "been hurt. Brandvold thanked the parents, and Reyes thanked the volunteers."
    )
    tags = HashtagTagger().tag("School to reopen after flood", body)
    assert {"IlseBrandvold", "TomasReyes", "DanaWhitlock"} <= set(tags), tags
    assert not any(t.startswith(("Principal", "Inspector", "Agent")) for t in tags), tags


def test_a_trade_before_a_name_is_a_title() -> None:
    body = (
        "The record company said on Monday that the album would be out in March, a year later "
        "than planned, and that the tour would start in Glasgow. Rapper Kwesi Mbeki recorded "
        "most of it in Accra. Sprinter Ilse Brandvold sings on two songs. Mbeki said the delay "
        "was his, and Brandvold said she had enjoyed it."
    )
    tags = HashtagTagger().tag("Album delayed to March", body)
    assert {"KwesiMbeki", "IlseBrandvold"} <= set(tags), tags
    assert not any(t.startswith(("Rapper", "Sprinter")) for t in tags), tags


def test_a_players_position_and_a_managers_rank_are_titles() -> None:
    """A position or a rank: "Striker Nicolas Anelka", "Keeper Petr Cech" and "Boss Graeme
    Souness" were glued tags; a country before the position stays its own tag ("Republic of
    Ireland striker")."""
    body = (
        "Striker Tomas Reyes wants to leave Harwick Rovers, his agent said on Monday. Reyes "
        "joined Rovers in 2022. Boss Ilse Brandvold said the club had not been asked. Republic "
        "of Ireland striker Kwesi Mbeki may replace him, and Keeper Dana Whitlock is fit again. "
        "Brandvold said Mbeki and Whitlock would play on Saturday against Ireland's champions."
    )
    tags = HashtagTagger().tag("Reyes eyes Rovers exit", body)
    assert {"TomasReyes", "IlseBrandvold", "KwesiMbeki", "DanaWhitlock", "Ireland"} <= set(tags), tags
    assert not any(t.startswith(("Striker", "Boss", "Keeper")) for t in tags), tags
