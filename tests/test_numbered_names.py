"""A name and the small number after it are one name when the text writes them together twice
or more ("Channel 4", "Halo 2", "Radio 4"; issue 12, no fragments: #Channel, #Halo); a score or
a number written once after a name stays apart. Invented texts."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger


def test_a_name_written_with_its_number_twice_is_one_name() -> None:
    body = (
        "Channel 4 has signed the presenter Dana Whitlow for a new Saturday show, the broadcaster "
        "said. Whitlow, who left the BBC last year, will start in March. Channel 4 said the show "
        "would run for ten weeks."
    )
    tags = HashtagTagger().tag("Whitlow joins Channel 4", body)
    assert "Channel4" in tags, tags
    assert "Channel" not in tags, tags


def test_the_headline_takes_the_bodys_numbered_name() -> None:
    body = (
        "Orbit 2 has sold five million copies in its first month, its publisher said. Orbit 2 "
        "is the best-selling game of the year so far. The first Orbit game sold two million."
    )
    tags = HashtagTagger().tag("Orbit 2 sells five million copies", body)
    assert "Orbit2" in tags, tags


def test_a_number_written_once_after_a_name_stays_apart() -> None:
    body = (
        "On Saturday, Velmora beat Harlow by 2 goals to nil. The win leaves Velmora top of the "
        "league, and Harlow 2 points behind them with a game in hand."
    )
    tags = HashtagTagger().tag("Velmora beat Harlow", body)
    assert "Harlow" in tags and not any(t.startswith("Harlow2") for t in tags), tags


def test_a_numbered_name_the_alias_table_knows_takes_its_tag() -> None:
    lead = (
        "The prime minister will set out plans for a new transport budget on Monday, his "
        "officials said, after weeks of argument inside the cabinet over how to pay for it.\n\n"
    )
    body = (
        "The plan was written at Number 10 over the summer, aides said. Ministers were shown it "
        "in September.\n\n"
        '"Number 10 has made its choice," one minister said, and the Treasury was not asked.'
    )
    tags = HashtagTagger().tag("Transport budget to be set out", lead + body)
    assert "DowningStreet" in tags, tags
    assert "Number10" not in tags, tags


def test_a_models_words_after_its_number_are_one_product(tagger: HashtagTagger) -> None:
    """ "Zephyr 7 Pro Max" is one product's name, no #Zephyr7 and a fragment #ProMax; the model's
    words alone later ("the Pro Max") are that product, and a sister model stays its own."""
    body = (
        "Orvane's Zephyr 7 Pro Max lasted nearly 12 hours in our video test, the longest of any "
        "phone this year. The Zephyr 7 Pro Max costs $1,099; the smaller Zephyr 7 Pro starts at "
        "$999. We also tried the Pro Max with the Halden Nova 4 XL, whose camera is weaker at night. "
        "The Pro Max charges in an hour."
    )
    tags = tagger.tag("Zephyr 7 Pro Max review: the battery champion", body, limit=12)
    assert tags[0] == "Zephyr7ProMax", tags
    assert "HaldenNova4XL" in tags and "Zephyr7Pro" in tags, tags
    assert not {"ProMax", "Zephyr7", "Pro", "XL"} & set(tags), tags


def test_model_words_need_the_products_number() -> None:
    """A name and model words read apart join only across the product's number ("Orvane 7
    Air"), never a name a space before a model word ("Orvane Air": its own two names), nor a
    person's name."""
    from tagwire.understand.entities import Mention
    from tagwire.understand.titlecase import _model_lines

    def read(text: str, first: str, label: str = "ORG") -> list[str]:
        at = text.rindex("Air")
        return [m.text for m in _model_lines(text, [Mention(first, label, 0), Mention("Air", "UNK", at)])]

    assert read("Orvane 7 Air", "Orvane") == ["Orvane 7 Air"]
    assert read("Orvane Air", "Orvane") == ["Orvane", "Air"]
    assert read("Ida Lund 7 Air", "Ida Lund", "PERSON") == ["Ida Lund", "Air"]


def test_a_market_index_is_its_tag_even_written_once(tagger: HashtagTagger) -> None:
    """The alias table knows the indexes with their numbers (three digits too): a market report
    names them once each ("FTSE 100", "S&P 500", "Nikkei 225"), no #FTSE fragment."""
    body = (
        "LONDON - Britain's FTSE 100 index closed at a record high on Friday, and the FTSE 250 "
        "added 0.8%. In New York the S&P 500 rose 1.2% and the Nasdaq Composite gained 2%, while "
        "in Tokyo the Nikkei 225 fell 0.5%. Mining shares led the gains in London."
    )
    tags = tagger.tag("FTSE 100 hits record high as miners rally", body, limit=12)
    assert {"FTSE100", "SP500", "Nikkei", "Nasdaq"} <= set(tags), tags
    assert "FTSE" not in tags, tags


def test_an_exchange_written_as_a_tickers_prefix_is_no_tag(tagger: HashtagTagger) -> None:
    body = (
        "Orvane Systems (NASDAQ:ORVN) chief executive Ida Lund sold 1,500 shares of the company "
        "on Monday, a filing showed. Orvane Systems (NASDAQ:ORVN) shares fell 2% on the day. Lund "
        "still holds 90,000 shares."
    )
    tags = tagger.tag("Orvane Systems (NASDAQ:ORVN) CEO sells 1,500 shares", body, limit=12)
    assert "OrvaneSystems" in tags and "Nasdaq" not in tags, tags
