"""An "and" between two bodies' names joins no name (issue 12, no glued words): "Varnel and
Ostrin Motors" where the model read each carmaker alone, "OPX and Baltic Post" after an
initialism; a body whose name holds an "and" stays whole (where the model cut it after the
"and", "the Securities and" beside "Exchange Commission" is read as one name again). Invented
texts."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger

CARS = (
    "Varnel and Ostrin Motors have until midnight to settle a dispute over their joint venture. "
    "Varnel wants Ostrin Motors to buy the rest of its car business, which lost money last year. "
    "Ostrin Motors says the deal made in 2000 is void. Varnel said talks went on, and Ostrin "
    "Motors said it would not pay. Analysts expect Varnel to take the dispute to court."
)


def test_and_between_two_carmakers_the_model_read_joins_nothing() -> None:
    tags = HashtagTagger().tag("Deadline nears for carmakers' deal", CARS)
    assert "VarnelAndOstrinMotors" not in tags, tags
    assert {"Varnel", "OstrinMotors"} <= set(tags), tags


PARCELS = (
    "Shares in the logistics group Kestrel rose 9% on Tuesday on talk of a bid. The US carrier "
    "Orion Parcel Express (OPX) was said to be interested. Kestrel declined to comment. Traders "
    "said the shares would stay high while talk went on. One analyst said OPX and Baltic Post "
    "were the most likely bidders for Kestrel, whose profits rose last year."
)


def test_and_after_an_initialism_joins_nothing() -> None:
    tags = HashtagTagger().tag("Takeover talk lifts Kestrel shares", PARCELS)
    assert not any(t.startswith("OPXAnd") for t in tags), tags


REGULATOR = (
    "The Nasdaq stock market plans to raise $100m by selling shares, according to a filing with "
    "the Securities and Exchange Commission on Friday. The exchange said it would use the money "
    "to pay debt. Nasdaq has been losing business to rival trading systems, and its chief said "
    "the sale would help it compete."
)


def test_a_body_named_with_an_and_stays_whole() -> None:
    tags = HashtagTagger().tag("Nasdaq plans $100m share sale", REGULATOR)
    assert "SecuritiesAndExchangeCommission" in tags, tags
    assert "Securities" not in tags, tags
