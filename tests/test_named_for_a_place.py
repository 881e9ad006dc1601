"""A capitalised word before a one-word place that the text never writes alone makes one
body's name of it (issue 12, no fragments: #Real and #Madrid for Real Madrid, "Tate Britain",
"Universities UK"). Not a word opening a sentence, a people's word, a title, a given name or an
initial, nor in Title Case. Invented texts; the place is known as the model's head would make
it known."""

from __future__ import annotations

import pytest

from tagwire.understand import entities
from tagwire.understand.titlecase import TitleCaseReader

CLUB = (
    "The midfielder says he has no plans to leave Racing Lyon next summer. He joined Racing Lyon "
    "in 2019 and wants to win the league with them, he said."
)


def _read(text: str, cased: bool = True) -> list[tuple[str, str]]:
    lex = entities.lexicon()
    gaz = {**lex.names, "lyon": ("Lyon", "GPE", "")}  # the place, known from the head
    reader = TitleCaseReader(gaz, {}, lex, entities.lower_words(text))
    return [(m.text, m.label) for m in reader.read(text, bytearray(len(text) + 1), cased=cased)]


def test_a_word_before_a_place_never_written_alone_is_one_name() -> None:
    assert _read(CLUB) == [("Racing Lyon", "ORG"), ("Racing Lyon", "ORG")]


def test_a_place_written_alone_too_stays_a_place() -> None:
    found = _read(CLUB + " His children go to school in Lyon.")
    assert ("Racing Lyon", "ORG") not in found
    assert ("Lyon", "GPE") in found


@pytest.mark.parametrize(
    "text",
    [
        "Missing Lyon girl found at a campsite, police say.",  # opening a sentence
        "The builders cheered when President Lyon spoke.",  # a title (read apart before)
        "The builders cheered when Jack Lyon spoke.",  # a given name
        "The builders cheered when S Lyon spoke.",  # an initial
    ],
)
def test_no_name_of_an_opener_a_title_a_given_name_or_an_initial(text: str) -> None:
    assert not [m for m in _read(text) if m[1] == "ORG" and m[0].endswith(" Lyon")]


def test_no_name_in_title_case() -> None:
    found = _read("Fans Hail Racing Lyon", cased=False)
    assert ("Racing Lyon", "ORG") not in found, found
