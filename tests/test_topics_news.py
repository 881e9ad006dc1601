"""Topics every wire carries and the lexicon lacked (issue 12, key topics of a story): an armed
conflict told without the word "war", an earthquake written "quake", a derailment, an advertising
deal, human trafficking, a sky event; the wire's economic releases (consumer prices, money supply), a tender
offer, a bond issue, a singles chart. Invented texts."""

from __future__ import annotations

from tagwire.understand.topics import topic_scores


def test_a_conflict_is_read_in_its_ceasefire_shelling_and_guerrillas() -> None:
    body = (
        "DARVAL - Government forces and guerrillas exchanged artillery fire overnight despite a "
        "ceasefire agreed last week, residents said. The shelling of two villages near the "
        "frontline killed four people. Peace talks between the two sides are due to resume in "
        "Oslo on Monday, a mediator said."
    )
    assert "War" in topic_scores("Shelling breaks Darval ceasefire", body)


def test_war_said_of_terror_is_no_conflict() -> None:
    body = (
        "VELMONT - The president said the country was at war after gunmen attacked a concert hall, "
        "and promised to hunt down those who planned the attacks. Police searched homes in three "
        "towns. The president said the war against the attackers would be merciless."
    )
    assert "War" not in topic_scores("President says country is at war after attacks", body)


def test_a_quake_is_an_earthquake() -> None:
    body = (
        "CARTAGO - A quake of magnitude 5.8 shook the south of the country on Tuesday, cracking "
        "walls and cutting power to two towns. The quake was followed by three aftershocks, the "
        "seismological institute said. No deaths were reported."
    )
    scores = topic_scores("Quake shakes southern towns", body)
    assert "Earthquakes" in scores and "NaturalDisasters" not in scores


def test_a_derailment_is_an_accident() -> None:
    body = (
        "HOLLIS - A passenger train derailed after hitting a truck at a crossing on Friday, injuring "
        "eleven people, officials said. Two carriages of the derailed train overturned. The line "
        "will stay closed while investigators examine the track."
    )
    assert "Accidents" in topic_scores("Passenger train derails at crossing, 11 hurt", body)


def test_an_advertising_deal_and_trafficking_victims() -> None:
    ads = (
        "The retailer hired Marrow & Pike to run its advertising, ending a ten-year relationship "
        "with its old agency. The new ad campaign starts in spring; advertising spending will rise."
    )
    assert "Advertising" in topic_scores("Retailer moves its ad account", ads)
    trafficked = (
        "Police freed twelve men who had been trafficked from abroad and forced to work on farms. "
        "Charities said modern slavery was growing, and that victims of human trafficking rarely "
        "came forward."
    )
    assert "HumanTrafficking" in topic_scores("Twelve trafficked workers freed", trafficked)


def test_a_sport_of_its_own_is_its_topic_and_another_sports_word_is_not() -> None:
    body = (
        "VALDORA - Ines Marek won the women's World Cup downhill on Saturday, her second win of the "
        "season, ahead of two skiers from the home team. The giant slalom on Sunday was moved to "
        "a lower course because of fog."
    )
    scores = topic_scores("SKIING - MAREK WINS WORLD CUP DOWNHILL", body)
    assert "Skiing" in scores and "Swimming" not in scores
    aerials = "Freestyle skiing aerials: Tomas Berg won the freestyle event, skiing his best jump."
    assert "Swimming" not in topic_scores("Freestyle skiing results", aerials)


def test_jailed_is_a_sentence_not_a_story_about_prisons() -> None:
    body = (
        "BRELL - A court jailed a former mayor for six years on Tuesday for taking bribes, and "
        "jailed his deputy for four. The judge said both would serve their terms in prison."
    )
    assert "Prisons" not in topic_scores("Former mayor jailed for six years", body)
    riot = (
        "Inmates set fire to two wings of the Harrow Hill penitentiary on Monday. Prison guards "
        "regained control after six hours; the prison population had doubled in a decade and "
        "inmates complained of overcrowded cells."
    )
    assert "Prisons" in topic_scores("Inmates riot at Harrow Hill penitentiary", riot)


def test_power_cuts_are_energy_news() -> None:
    body = (
        "Millions of homes faced rolling power cuts on Monday after two plants shut down, and the "
        "grid operator warned of further power outages through the week as demand outstripped "
        "power supply."
    )
    assert "Energy" in topic_scores("Country faces power cuts as plants shut", body)


def test_words_said_in_passing_of_other_things_are_no_topic() -> None:
    soccer = (
        "Halden's equaliser came from a penalty after a handball by Orvik's captain. The referee "
        "ruled it a handball although replays suggested the ball struck his chest."
    )
    assert "Handball" not in topic_scores("Late penalty for handball rescues Halden", soccer)
    schools = (
        "School administrators met parents on Monday. The administrators said the new timetable "
        "would start in spring, in a timely fashion, and that fashion was no reason to change uniforms."
    )
    scores = topic_scores("Administrators defend school timetable", schools)
    assert "Bankruptcy" not in scores and "Fashion" not in scores
    economy = "Economists warned of depression as anxiety gripped markets; the depression could last years."
    assert "MentalHealth" not in topic_scores("Fears of depression grow", economy)


def test_a_disease_weather_and_a_sell_off_of_the_state() -> None:
    beef = (
        "Farmers blocked roads with tractors on Tuesday to protest against the cull of cattle "
        "ordered over mad cow disease. The government says the cull is the only way to end the "
        "beef ban imposed by its neighbours."
    )
    assert "MadCowDisease" in topic_scores("Farmers protest against mad cow cull", beef)
    exchange = "Shares on the BSE fell 2 percent. The BSE index closed at its lowest since May."
    assert "MadCowDisease" not in topic_scores("BSE index falls", exchange)
    storm = "Gale-force winds and heavy rain swept the coast; forecasters expect more heavy rain on Sunday."
    assert "Weather" in topic_scores("Heavy rain batters the coast", storm)
    sale = (
        "Unions vowed to fight the privatisation of the steel maker; the privatisation law passes next week."
    )
    assert "Privatization" in topic_scores("Unions fight steel privatisation", sale)


def test_a_hunger_strike_is_a_protest_not_a_food_crisis() -> None:
    body = (
        "ARDEN - A former intelligence officer held at a detention centre has been on hunger "
        "strike for three weeks, his lawyer said on Monday. He began the hunger strike to protest "
        "against his deportation, and has lost 10kg, the lawyer said. The interior ministry said "
        "doctors were checking on him daily."
    )
    scores = topic_scores("Former officer on hunger strike", body)
    assert "Protests" in scores and "FoodSecurity" not in scores


def test_an_outbreak_is_tagged_with_its_disease() -> None:
    """A disease the wires report by name is the story's topic: bird flu among poultry is no
    seasonal flu, and cholera no pandemic."""
    body = (
        "HALDEN - Authorities culled 40,000 chickens on three farms after the H5N1 bird flu virus "
        "was found there, the agriculture ministry said on Tuesday. No human case of bird flu has "
        "been confirmed, and the ministry said the risk to people was low."
    )
    scores = topic_scores("Bird flu found on three poultry farms", body)
    assert "BirdFlu" in scores and "Influenza" not in scores
    body = (
        "TARNO - A cholera outbreak has killed five people in two northern villages, health "
        "officials said on Monday. Thirty people have been treated for cholera since last week, "
        "and the outbreak was traced to a well."
    )
    assert "Cholera" in topic_scores("Cholera outbreak kills five", body)


def test_a_countrys_debt_talks_are_debt() -> None:
    body = (
        "CARACAS, May 6 - Velmora and its bank advisory committee agreed in principle on a debt "
        "rescheduling package of 9 billion dlrs, bankers said. Velmora asked its creditor banks "
        "for easier terms after a drop in oil income, and wants lower interest on its foreign debt."
    )
    assert "Debt" in topic_scores("Bankers report breakthrough on Velmora debt talks", body)


def test_a_current_account_deficit_is_trade_not_the_budget() -> None:
    body = (
        "WELLINGTON, March 3 - The country's current account deficit narrowed to 567 mln dlrs in "
        "the December quarter from 738 mln in the September quarter, the statistics department "
        "said. Exports were 2.8 billion dlrs and imports 2.6 billion. The current account deficit "
        "for the year narrowed to 2.75 billion dlrs."
    )
    scores = topic_scores("Quarterly current account deficit narrows", body)
    assert "Trade" in scores and "Budget" not in scores, scores


def test_steel_and_mining_are_topics_of_their_own() -> None:
    steel = (
        "BRUSSELS, March 3 - The European Commission proposed cutting 30 mln tonnes of steel "
        "capacity by 1990 to save the steel industry, and said steelworkers who lose their jobs "
        "would get help from a regional fund."
    )
    mines = (
        "JOHANNESBURG, March 3 - Black miners at two gold mines stopped work on Tuesday, the "
        "mineworkers' union said, and the mining company said talks on wages would resume. The "
        "miners want a rise of 30 pct."
    )
    assert "Steel" in topic_scores("Commission gives plan to save steel industry", steel)
    assert "Mining" in topic_scores("Black miners seek wage rise", mines)


WIRE_RELEASES = [
    (
        "Inflation",
        "VARNO CONSUMER PRICES FALL 0.4 PCT IN JANUARY",
        "VARNO, Feb 27 - Varno's consumer price index fell 0.4 pct in January from December, the "
        "statistics office said. The index was down 1.1 pct from a year earlier, with lower "
        "prices for clothing and fuel.",
    ),
    (
        "Economy",
        "TARNIA MONEY SUPPLY RISES 3.6 PCT IN DECEMBER",
        "TARNIA, Feb 27 - Tarnia's broad money supply rose 3.6 pct in December, the central "
        "statistics office said. Money supply had risen 2.1 pct in November.",
    ),
    (
        "Mergers",
        "KESTREL SAYS IT MAKING TENDER OFFER FOR HARLOW",
        "LONDON, March 2 - Kestrel Holdings said it would make a tender offer for all of Harlow "
        "Gas Co's shares at 600 pence each. The tender offer values Harlow at 1.2 billion stg.",
    ),
    (
        "Markets",
        "HARLOW ISSUES 100 MLN STG CONVERTIBLE BOND",
        "LONDON, March 2 - Harlow Stores Plc is issuing a 100 mln stg convertible bond due 2002, "
        "lead manager Varno Securities said. The bond issue is convertible into Harlow shares.",
    ),
    (
        "Music",
        "Kestrel single tops the charts",
        "The band Kestrel went straight to number one in the UK singles chart on Sunday. Its "
        "first single sold 90,000 copies, and it stays on the singles chart for a second week.",
    ),
]


def test_the_wires_economic_releases_and_deals_have_their_topic() -> None:
    for topic, title, body in WIRE_RELEASES:
        assert topic in topic_scores(title, body), (topic, title)
