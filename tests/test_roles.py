"""People named once in passing (issue 12): a voice quoted about the story is no tag shown, the
holder of an office in it is; a voice named twice past the lead is in passing too, and whom a
spokesman speaks for is no voice. The articles are invented for these tests."""

from __future__ import annotations

import pytest

from tagwire.understand import roles
from tagwire.understand.hashtags import HashtagTagger


def _office(text: str, name: str) -> bool:
    return roles.holds_office(text, text.index(name), name)


@pytest.mark.parametrize(
    "text, name",
    [
        ("The plan works, said Marvane chief executive Ilse Toller on Monday.", "Ilse Toller"),
        ("Finance Minister Oskar Pell said the budget was balanced.", "Oskar Pell"),
        ("said Ruth Amsel, director of the Corbel Nature Reserve.", "Ruth Amsel"),
        ("said the firm's director of commercial planning, Ruth Amsel.", "Ruth Amsel"),
        ("Corbel Football League Chief Executive, Ruth Amsel, said so.", "Ruth Amsel"),
        ("Mr. Lee Harrow, board member of Tessel Media, also said so.", "Lee Harrow"),
        ("Dana Fisk, the U.S. Attorney for the Northern District, said so.", "Dana Fisk"),
        ("Tomas Berg, who chairs the transport committee, said so.", "Tomas Berg"),
        ("Vera Lind, the presumptive Liberal nominee, called it a disgrace.", "Vera Lind"),
        ("said Republican candidate Vera Lind on Monday.", "Vera Lind"),
    ],
)
def test_an_office_before_the_name_or_in_its_apposition(text: str, name: str) -> None:
    assert _office(text, name)


@pytest.mark.parametrize(
    "text, name",
    [
        ('"It was weak," said Pia Lund, an analyst at Harl Securities.', "Pia Lund"),
        ("said Harl Securities economist Pia Lund.", "Pia Lund"),
        ("said Pia Lund, chief UK economist at Harl Securities.", "Pia Lund"),
        ("Ladbrokes spokesman Arno Vell said the odds had shortened.", "Arno Vell"),
        ("Arno Vell, from the campaign group Parents for Justice, said so.", "Arno Vell"),
        ("the first President to win twice since Arno Vell.", "Arno Vell"),
        ("The goal came from Arno Vell in the 80th minute.", "Arno Vell"),
        ("The mayor resigned. Arno Vell said it was overdue.", "Arno Vell"),
    ],
)
def test_a_voice_or_no_role_is_no_office(text: str, name: str) -> None:
    assert not _office(text, name)


LEAD = (
    "Marvane Foods cut its profit forecast on Tuesday after a cold spring hurt sales of its ice "
    "cream, and its shares fell 9%.\n\n"
)
BODY = (
    "Marvane Foods said sales fell 12% in the three months to June. Marvane Foods will close two "
    "plants in Dorrel.\n\n"
    "Marvane Foods chief executive Ilse Toller said the company would cut costs.\n\n"
    '"The weather is not the whole story," said Pia Lund, an analyst at Harl Securities.\n\n'
    "Marvane Foods will report its full results in September."
)


def test_a_voice_named_once_is_kept_apart_and_an_office_holder_shown(tagger: HashtagTagger) -> None:
    found = tagger.tags(tagger.read_many([("Marvane Foods cuts forecast", LEAD + BODY)])[0])
    assert "IlseToller" in found.shown
    assert "PiaLund" in found.passing and "PiaLund" not in found.shown
    twice = BODY + "\n\nPia Lund expects a better winter."
    assert "PiaLund" not in tagger.tag("Marvane Foods cuts forecast", LEAD + twice)  # a voice still
    thrice = twice + " Lund said the summer had been the coldest in years."
    assert "PiaLund" in tagger.tag("Marvane Foods cuts forecast", LEAD + thrice)  # more: shown


def test_a_voice_named_twice_past_the_lead_is_no_tag_shown(tagger: HashtagTagger) -> None:
    body = (
        "WASHINGTON, March 2 - Orders for new factory equipment fell 4 pct in January, the "
        "Commerce Department said on Monday, a sign that companies are spending less on plants "
        "and machines as the economy slows.\n\nOrders for aircraft and parts fell 9 pct, and "
        "orders for computers fell 3 pct, the department said.\n\n"
        "The fall was larger than expected, said Pia Lundqvist, an economist at Harl Securities. "
        '"Companies are holding back," Lundqvist said.\n\nThe Federal Reserve meets next week, '
        "and Treasury Secretary Oskar Pellinger said the economy would grow this year. Pellinger "
        "added that the tax bill would help."
    )
    tags = tagger.tag("U.S. factory orders fall 4 pct", body)
    assert "PiaLundqvist" not in tags, tags
    assert "OskarPellinger" in tags, tags  # an office, named twice past the lead


def test_whom_a_voice_speaks_for_is_no_voice() -> None:
    text = "A spokesman for Michael Hartwell said Mr Jackson's views were his own."
    name = "Michael Hartwell"
    assert roles.role_at(text, text.index(name), name) is None
    text = "said Vera Lind, a spokeswoman for the party."
    assert roles.role_at(text, text.index("Vera Lind"), "Vera Lind") == "voice"


def test_a_dealer_quoted_twice_is_a_voice(tagger: HashtagTagger) -> None:
    body = (
        "TOKYO, Dec 6 - Varno's finance ministry wants to stop the yen's fall, officials said on "
        "Friday, and the central bank bought yen in the market for the first time this year, "
        "dealers said.\n\nThe yen rose to 112 to the dollar after the purchases, its highest in "
        "three months, and shares in exporters fell on the Varno stock exchange.\n\n"
        '"They mean it this time," said Hiro Tanabe, chief dealer at Marvane Bank. The bank\'s '
        "Tanabe said the yen could rise further next week."
    )
    assert "HiroTanabe" not in tagger.tag("Varno seen seeking to rein in dollar", body)
