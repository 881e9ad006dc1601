"""A company named in full and then by its first words (issue 12, one tag per entity): "Kestrel
Airways Ltd" and then "Kestrel" is #KestrelAirways alone; a brand of that word named before the
company ("Kestrel lager") stays apart, and a country's airline does not swallow the country.
A body of "X of Y" named again as X ("the Central Bank") and a name written with and without its
small words are one tag too. (A headline's opening words are test_company_short_forms.py's.)
Invented texts."""

from __future__ import annotations

from tagwire.understand import entities, mentions
from tagwire.understand.hashtags import HashtagTagger


def test_a_company_and_its_short_form_are_one_tag(tagger: HashtagTagger) -> None:
    body = (
        "SYDNEY, March 2 - Kestrel Airways Ltd has ordered four long-range jets from Harlow "
        "Aircraft Corp, chairman Jim Oyelaran said. Kestrel said the jets would fly its routes to "
        "Asia from 1989.\n\nKestrel is talking to three engine makers, Oyelaran said, and Kestrel "
        "will choose one later this year."
    )
    tags = tagger.tag("KESTREL TO BUY FOUR JETS", body)
    assert "KestrelAirways" in tags and "Kestrel" not in tags, tags


def test_a_brand_named_before_the_company_stays_apart(tagger: HashtagTagger) -> None:
    body = (
        "Marlow Breweries will sell Kestrel lager in twelve more states, it said on Monday. "
        "Kestrel has a fifth of the beer market, and Kestrel sales rose by a tenth last year.\n\n"
        "The brewer's chairman, Ines Varga, also owns Kestrel Airways, which flies to Dubai."
    )
    found = [mentions.Mention("Kestrel", "ORG", body.index("Kestrel lager"))]
    found += [mentions.Mention("Kestrel Airways", "ORG", body.index("Kestrel Airways"))]
    linked = mentions.link_names(found, entities.lexicon(), body)
    assert [m.text for m in linked] == ["Kestrel", "Kestrel Airways"]
    assert "Kestrel" in tagger.tag("Marlow widens Kestrel lager sales", body)


def test_a_countrys_airline_is_no_short_form_of_the_country(tagger: HashtagTagger) -> None:
    body = (
        "Singapore Airlines will add four flights a week to London, it said. Singapore is the "
        "airline's home, and the government of Singapore owns a majority of its shares."
    )
    found = [mentions.Mention("Singapore Airlines", "ORG", 0)]
    found += [mentions.Mention("Singapore", "GPE", body.index("Singapore is"))]
    linked = mentions.link_names(found, entities.lexicon(), body)
    assert [m.text for m in linked] == ["Singapore Airlines", "Singapore"]


def test_a_company_named_again_without_its_legal_form_is_no_nationality(tagger: HashtagTagger) -> None:
    """ "American Express Co" read by the model, then "American Express" past the model's head:
    the company again, not a nationality word ("American", #UnitedStates) and another word."""
    body = (
        "NEW YORK, Feb 26 - American Express Co remained silent on market rumours that it would "
        "sell part of its brokerage unit, analysts said.\\n\\n" + "An analyst said the unit made a fifth of "
        "the group's profit last year, and that the board saw the stock as undervalued. "
        * 6
        + "\\n\\nAmerican Express stock rose 4 dlrs on heavy volume. American Express would not "
        "comment. Some analysts said American Express did not need the cash."
    )
    tags = tagger.tag("American Express silent on unit sale rumour", body)
    assert "AmericanExpress" in tags and "UnitedStates" not in tags, tags


def test_a_body_of_x_of_y_is_one_tag_with_x(tagger: HashtagTagger) -> None:
    body = (
        "VARNO, March 2 - The Central Bank of Tarnia raised its main rate on Monday, its governor "
        "Ilse Moravec said.\n\nThe Central Bank said inflation would slow this year. Economists "
        "said the Central Bank had acted late, and Moravec said more rises could follow."
    )
    tags = tagger.tag("Tarnian central bank raises rate", body)
    assert "CentralBankOfTarnia" in tags and "CentralBank" not in tags, tags


def test_a_bodys_name_without_its_small_words_is_the_same_body(tagger: HashtagTagger) -> None:
    body = (
        "A committee of MPs criticised the spending plans of the Science Policy Research Council on "
        "Tuesday.\n\nThe committee said the Science and Policy Research Council had too few staff. "
        "It asked whether the Science and Policy Research Council could fill the posts by 2010."
    )
    tags = tagger.tag("MPs criticise research council", body)
    assert "ScienceAndPolicyResearchCouncil" in tags and "SciencePolicyResearchCouncil" not in tags, tags
