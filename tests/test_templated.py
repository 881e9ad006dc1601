"""One template, two events (understand/templated.py): an earthquake bulletin or a results table
filled with another event's names and figures shares nearly every word with the first, and is
no copy of it; a wire report updated with a new toll, or edited with common words swapped, is."""

from __future__ import annotations

import pytest

from tagwire.models import MatchKind
from tagwire.store import Repository
from tagwire.understand import alignment, copies, templated
from tests.helpers import understood_in_store
from tests.newstexts import article

BULLETIN = (
    "A magnitude {m} earthquake struck {d} miles from {town} on Tuesday morning, according to the "
    "Geological Survey. The temblor occurred at {t} a.m. local time at a depth of {k} miles.\n\n"
    "According to the Survey, the epicenter was {d} miles from {town}, {r} miles from {near} and "
    "{u} miles from {far}. In the past 10 days, there have been {n} earthquakes of magnitude 3.0 "
    "or greater centered nearby.\n\n"
    "An average of 25 earthquakes with magnitudes between 4.0 and 5.0 occur per year in the region, "
    "according to a recent three-year sample. Did you feel this earthquake? Consider reporting what "
    "you felt to the Survey. This report was generated automatically from the Survey's data."
)
FIRST = BULLETIN.format(
    m="4.6",
    d="12",
    town="Harlow Springs",
    t="6:12",
    k="5.2",
    r="24",
    near="Bracken",
    u="40",
    far="Olvera",
    n="3",
)
SECOND = BULLETIN.format(
    m="3.8", d="7", town="Marrick", t="9:40", k="11.3", r="19", near="Fenwold", u="31", far="Eastcombe", n="0"
)

TABLE = (
    "Results of Valdmere first division soccer matches played on {day}:\n\n"
    "{a} {x} {b} {y} (halftime 1-0)\n\n{c} {z} {d} 1 (halftime 0-0)\n\n"
    "Standings after the games played on {day} (tabulated under won, drawn, lost, goals for, "
    "goals against, points):\n\n{a} 3 1 0 {s} 10\n\n{c} 2 1 1 9 7\n\n{b} 1 2 1 5 5\n\n{d} 0 1 3 2 1"
)
SATURDAY = TABLE.format(day="Saturday", a="Orvik", b="Halden", c="Strand", d="Norberg", x=3, y=0, z=2, s=8)
SUNDAY = TABLE.format(day="Sunday", a="Brekke", b="Lunde", c="Askvoll", d="Tovik", x=1, y=1, z=4, s=6)

WIRE = (
    "VALDMERE (Reuters) - A ferry carrying 212 passengers ran aground off the island of Skarvik on "
    "Monday, and {toll} people were taken to hospital, the coast guard said.\n\n"
    "The coast guard said the ferry, operated by Nordline, struck rocks in heavy fog about two "
    "miles from the harbour. All passengers were brought ashore by lifeboats by midday, and {toll} "
    "of them were being treated for cold and minor injuries.\n\n"
    "Nordline said it had suspended its Skarvik service while inspectors examined the hull. The "
    "company's chief executive, Maren Holt, said the crew had followed every procedure.\n\n"
    "Fog has closed the island's airport twice this week, and the harbour master said visibility "
    "on Monday morning was under 100 metres."
)


def test_a_bulletin_filled_with_another_quake_is_one_template_and_no_copy() -> None:
    assert copies.copy_score(FIRST, FIRST.replace("Tuesday", "Tuesday local"))[0] >= copies.COPY_THRESHOLD
    found = templated.swaps(FIRST, SECOND)
    assert found.template and found.facts >= templated.TEMPLATE_FACTS
    assert copies.copy_score(FIRST, SECOND)[0] >= copies.COPY_THRESHOLD  # nearly every word alike
    verdict = copies.confirmed(FIRST, SECOND, copies.copy_score(FIRST, SECOND))
    assert verdict.score == 0.0 and verdict.template and verdict.how.startswith("one template, two events")


def test_a_results_table_of_another_day_is_no_copy() -> None:
    assert templated.swaps(SATURDAY, SUNDAY).template
    found = copies.copy_score(SATURDAY, SUNDAY, edited=True)
    assert copies.confirmed(SATURDAY, SUNDAY, found).score < copies.COPY_THRESHOLD


def test_an_updated_toll_and_common_words_swapped_leave_a_copy() -> None:
    first, updated = WIRE.format(toll="14"), WIRE.format(toll="17").replace("Monday,", "Tuesday,", 1)
    edited = first.replace(" said ", " stated ").replace("about two", "around two").replace("while", "as")
    for other in (updated, edited):
        assert not templated.swaps(first, other).template
        found = copies.copy_score(first, other, edited=True)
        assert copies.confirmed(first, other, found) == (*found, False)
        assert found[0] >= copies.COPY_THRESHOLD


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("The ferry of Nordline left. Nordline said so.", {"nordline"}),
        ("Fog came. The Fog Office said the fog would stay.", {"office"}),  # "fog" is also lower case
        ("Results on Sunday and again on Sunday.", {"sunday"}),
    ],
)
def test_a_name_is_capitalised_inside_a_sentence_and_never_in_lower_case(text: str, names: set[str]) -> None:
    assert templated._names(text) == names


def test_two_bulletins_through_the_engine_are_two_stories_not_a_copy(repo: Repository) -> None:
    """Their words are alike enough for a copy and for one story (the test fails without the rule)."""
    arts = [
        article(1, "QuakeDesk", "Magnitude 4.6 earthquake near Harlow Springs", FIRST, 0),
        article(2, "Coast Daily", "Magnitude 3.8 earthquake near Marrick", SECOND, 30),
        article(3, "Valley Post", "Magnitude 4.6 quake strikes near Harlow Springs", FIRST, 45),
    ]
    first, second, carried = understood_in_store(repo, arts)
    assert second.copy_of is None and second.story_id != first.story_id  # another quake
    decided = arts[1].match  # as decided in this process, with its reason (the store keeps none)
    assert decided is not None and decided.kind == MatchKind.NEW
    assert f"one template filled with another event's names and figures as #{first.id}" in decided.reason
    assert carried.copy_of == first.id and carried.story_id == first.story_id  # carried again: a copy


SCOTTISH = (
    "GLASGOW - Result of a Valdmere premier division soccer match on Sunday:\n\n"
    "Orvik 4 Halden 0\n\n"
    "Standings (tabulated under played, won, drawn, lost, goals for, against, points):\n\n"
    "Orvik 4 3 1 0 11 2 10\n\nStrand 4 2 1 1 7 5 7\n\nHalden 4 1 1 2 4 9 4\n\nNorberg 4 0 1 3 2 8 1\n\n"
    "Brekke 4 0 0 4 1 10 0\n\nVestby 4 2 0 2 6 6 6\n\nAurland 4 1 2 1 5 5 5\n\nBygland 4 1 0 3 3 7 3\n\n"
    "Dalen 4 3 0 1 9 4 9"
)
ENGLISH = (
    "LONDON - Results of Eastmark league soccer matches on Sunday:\n\n"
    "Lunde 2 Askvoll 2\n\nTovik 1 Skarvik 3\n\n"
    "Standings (tabulated under played, won, drawn, lost, goals for, against, points):\n\n"
    "Skarvik 5 4 1 0 12 3 13\n\nLunde 5 3 2 0 9 4 11\n\nAskvoll 5 2 2 1 8 6 8\n\nTovik 5 1 0 4 5 11 3\n\n"
    "Marrow 5 0 1 4 2 12 1\n\nHolm 5 2 1 2 7 7 7\n\nRysstad 5 1 3 1 6 6 6\n\nValle 5 1 1 3 4 8 4\n\n"
    "Ose 5 3 1 1 10 5 10"
)


def test_two_tables_are_not_aligned_as_prose() -> None:
    """Sentence alignment reads sentences: two leagues' tables share their header sentences only,
    and would be one text edited hard (the test fails without alignment.PROSE)."""
    assert alignment.prose(SCOTTISH) < alignment.PROSE and alignment.prose(FIRST) >= alignment.PROSE
    assert copies.aligned_score(SCOTTISH, ENGLISH)[0] >= copies.COPY_THRESHOLD  # headers alike
    assert min(len(SCOTTISH.split()), len(ENGLISH.split())) >= copies.EDITED_MIN_WORDS  # aligned if prose
    assert copies.copy_score(SCOTTISH, ENGLISH, edited=True)[0] < copies.COPY_THRESHOLD
