"""A field's own competition, named ("the Champions League", "the Six Nations"), is stronger
evidence of its topic than a common word; British "football" is soccer when the text says whose
football it is (issue 12: short British sport reports named their competition and clubs, never
"soccer", and got no topic). Invented texts."""

from __future__ import annotations

from tagwire.understand.topics import topic_scores


def test_a_named_competition_twice_is_the_story_s_sport() -> None:
    body = (
        "Tomas Vell wants to leave Harbury Town in search of Champions League nights. Vell, "
        "26, joined the club two years ago and has scored 31 goals for them. His contract runs "
        "until next summer, and the club has turned down two offers for him this month, the "
        "chairman told a meeting of supporters on Thursday evening. He said: "
        '"I love the club and the fans, but I want to play at the highest level. I won it '
        'before and I miss the Champions League."'
    )
    assert "Soccer" in topic_scores("Vell eyes Harbury exit", body)


def test_words_always_capitalised_are_no_names_of_a_field() -> None:
    body = (
        "The mayor met Muslim and Christian community leaders on Tuesday to discuss the new "
        "housing plan. The Muslim council welcomed the plan, and residents will vote on it "
        "next month."
    )
    assert "Religion" not in topic_scores("Mayor meets community leaders on housing plan", body)


def test_english_football_is_soccer() -> None:
    body = (
        "Arlen Voss has been appointed chief executive of the Football Association, the governing "
        "body of English football. Voss said English football needed more young coaches and "
        "promised to review the academy system."
    )
    assert "Soccer" in topic_scores("Voss named FA chief", body)


def test_a_sport_s_own_words_name_it() -> None:
    rugby = (
        "Harbury fly-half Owen Drax kicked four penalties as Harbury beat Tolve 19-13 on Saturday. "
        "Drax, who missed two lineouts in the first half, said the fly-half's job was to keep the "
        "scoreboard moving."
    )
    assert "Rugby" in topic_scores("Drax kicks Harbury to win", rugby)
    tennis = (
        "Top seed Lena Marsh beat Ida Kohl in straight sets to reach the final on Friday. Marsh "
        "hit 31 winners, most of them with her forehand, and served only one double fault."
    )
    assert "Tennis" in topic_scores("Marsh into final", tennis)


def test_profits_and_house_prices_are_their_topics() -> None:
    profits = (
        "Harlow Foods said on Tuesday that pre-tax profit rose 12% to 310m euros in 2004, helped by "
        "sales in Asia. Profits at its drinks arm fell, the company said."
    )
    assert "Earnings" in topic_scores("Harlow Foods profits rise 12%", profits)
    houses = (
        "House prices fell 0.4% in December, the third monthly fall, a lender said. First-time "
        "buyers are being priced out, and the property market will stay slow in 2005, it said."
    )
    assert "Housing" in topic_scores("House prices fall again", houses)


def test_factory_output_and_car_makers_are_their_topics() -> None:
    economy = (
        "Industrial output rose 0.3% in November, the central bank said, and consumer spending "
        "grew for a third month. Factory output was lifted by exports of machinery."
    )
    assert "Economy" in topic_scores("Factory output rises", economy)
    cars = (
        "Car demand rose 14% in January as new cars got cheaper, the car makers' association said. "
        "Two car plants will add a night shift to meet it."
    )
    assert "AutoIndustry" in topic_scores("Car demand surges", cars)
