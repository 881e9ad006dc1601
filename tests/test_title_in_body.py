"""A person's title that the model reads into a body's name is the person's (issue 12, glued
tags): "Bank of Eldmoor Governor ..." is the bank, then the governor; "European Trade
Commissioner ..." no #EuropeanTrade. A place keeps its "State" before a title. Invented texts."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger


def tags(text: str) -> list[str]:
    return HashtagTagger().tag("Rates stay on hold", text)


def test_a_governor_is_not_glued_to_his_bank() -> None:
    body = (
        "LONDON - Bank of England Governor Eddie George said on Tuesday that rates would stay on "
        "hold. Bank of England Governor Eddie George told a committee that inflation was falling."
    )
    found = tags(body)
    assert "BankOfEngland" in found and "EddieGeorge" in found
    assert not any("Governor" in t for t in found)


def test_a_commissioners_portfolio_is_no_body() -> None:
    body = (
        "BRUSSELS - European Trade Commissioner Leon Brittan met Japanese officials on Monday. "
        "European Trade Commissioner Leon Brittan said the talks on car imports had gone well."
    )
    found = tags(body)
    assert "LeonBrittan" in found and "EuropeanTrade" not in found


def test_a_state_keeps_its_name_before_a_title() -> None:
    body = (
        "ALBANY - The office of the New York State Attorney General opened an inquiry on Monday. "
        "The New York State Attorney General said the company had cooperated."
    )
    assert "NewYorkState" in tags(body)


def test_an_opening_in_capitals_is_no_part_of_the_name_after_it() -> None:
    body = (
        "KOREAN ELECTRONICS CONGLOMERATE Samsung has launched a new phone. Samsung said it would "
        "sell well, and the phone from Samsung costs less than last year's."
    )
    found = tags(body)
    assert "Samsung" in found and not any("Samsung" in t and t != "Samsung" for t in found)
    assert not any("ELECTRONICS" in t.upper() for t in found)
