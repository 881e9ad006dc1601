"""A topic's word is no evidence in a form that means something else (issue 12, topics fired by
another word): "putting" is the verb to put, not golf; police "stormed" a building, no storm; a
soccer "striker" is no strike; "blue chips" are shares, not semiconductors; a "concerted" effort
is no concert; a "meteoric" rise no meteor. Invented texts."""

from __future__ import annotations

from tagwire.understand.topics import topic_scores


def test_putting_and_stormed_are_verbs() -> None:
    body = (
        "ORLAN - The minister said the government was putting the plan to parliament on Monday. "
        "Police stormed the offices of the opposition party overnight, putting four officials in "
        "custody. The party said it would keep putting pressure on the government. Officers "
        "stormed two more buildings after midnight."
    )
    scores = topic_scores("Police storm opposition offices", body)
    assert "Golf" not in scores and "NaturalDisasters" not in scores


def test_a_putt_and_a_storm_still_count() -> None:
    golf = (
        "Mara Lind holed a 20-foot putt on the last green to win by one stroke. She missed two "
        "short putts on the front nine before a birdie at the 12th."
    )
    assert "Golf" in topic_scores("Lind wins with last-green putt", golf)
    storm = (
        "A storm brought winds of 120 km/h to the coast, and a second storm is expected on Friday. "
        "Storms of this strength are rare in spring, forecasters said."
    )
    assert "NaturalDisasters" in topic_scores("Storm lashes coast", storm)


def test_a_striker_and_blue_chips() -> None:
    soccer = (
        "Verano signed the striker from Rosental on a three-year deal. The striker scored 19 goals "
        "last season. Strikers are the hardest players to find, the coach said."
    )
    assert "LaborUnions" not in topic_scores("Verano sign Rosental striker", soccer)
    stocks = (
        "Blue chips led the market higher on Tuesday as investors bought banks. Blue-chip shares "
        "rose 1.2 percent, and dealers said blue chips would lead again tomorrow."
    )
    scores = topic_scores("Blue chips lead market higher", stocks)
    assert "Semiconductors" not in scores and "Markets" in scores


def test_concerted_and_meteoric_are_no_concert_or_meteor() -> None:
    body = (
        "The union called for a concerted campaign against the plan. Its meteoric rise in "
        "membership made a concerted response possible, and the meteoric growth went on."
    )
    scores = topic_scores("Union calls for concerted campaign", body)
    assert "Music" not in scores and "Astronomy" not in scores


def test_going_to_the_polls_is_an_election() -> None:
    """Voters "went to the polls" in "statewide races" for "gubernatorial" seats: an election
    report that never says "election" but once (a judged key missed)."""
    body = (
        "Americans went to the polls on Tuesday in three statewide races. In Kentucky the "
        "gubernatorial contest was close, and in Virginia voters chose the state legislature. "
        "Both parties claimed the results as a sign for next year."
    )
    assert "Elections" in topic_scores("Three states vote in off-year races", body)


def test_fish_stocks_are_no_shares() -> None:
    body = (
        "Nets handed out against malaria are being used to catch fish along the lake, a survey "
        "found, and fish stocks there have fallen by half. The scientists said fish stocks would "
        "not recover while the nets stayed in the water."
    )
    scores = topic_scores("Malaria nets used for fishing threaten lake", body)
    assert "Markets" not in scores and "Fishing" in scores, scores
