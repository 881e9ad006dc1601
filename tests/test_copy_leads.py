"""A copy keeps its news first (copies.LEAD_FOUND): two press releases of one company share their
closing boilerplate, often most of their words, and neither is a copy of the other; a carried
text with a paragraph of the carrier's own above its lead, or trimmed to its first paragraphs,
still is."""

from __future__ import annotations

from tagwire.models import MatchKind
from tagwire.store import Repository
from tagwire.understand import alignment, copies
from tests.helpers import understood_in_store
from tests.newstexts import article

ABOUT = (
    "About Valdmere Robotics\n\n"
    "Valdmere Robotics designs and manufactures autonomous warehouse robots for retailers, grocers "
    "and logistics companies in North America and Europe. Founded in 2009 and headquartered in Harlow "
    "Springs, the company employs more than 1,200 people and serves over 300 customers, including "
    "several of the largest grocers in the world. Its robots picked more than two billion items last "
    "year.\n\n"
    "Forward-Looking Statements\n\n"
    "This press release contains forward-looking statements within the meaning of the Private "
    "Securities Litigation Reform Act of 1995, including statements about the company's expected "
    "revenue, product launches, customer demand and the expected benefits of its partnerships. These "
    "statements are based on current expectations and are subject to risks and uncertainties that "
    "could cause actual results to differ materially, including the risks described under Risk "
    "Factors in the company's most recent annual report on Form 10-K and its quarterly reports on "
    "Form 10-Q. The company undertakes no obligation to update any forward-looking statement, except "
    "as required by law.\n\n"
    "Media contact: Anna Berg, press@valdmere.example"
)
PARTNERSHIP = (
    "HARLOW SPRINGS, Ore., March 3 -- Valdmere Robotics today announced a partnership with Northway "
    "Grocers to deploy 120 picking robots in four distribution centers by the end of the year. The "
    "deployment is the largest in the grocer's history and follows a six-month pilot in its Tacoma "
    "facility, where robots handled chilled and frozen goods. \"Northway's customers expect their "
    'orders to be right and on time," said chief executive Lena Moss.\n\n' + ABOUT
)
RESULTS = (
    "HARLOW SPRINGS, Ore., April 14 -- Valdmere Robotics today reported first-quarter revenue of "
    "$84.2 million, up 31 percent from a year earlier, and raised its full-year outlook to between "
    "$360 million and $375 million. Net loss narrowed to $6.1 million. The company said bookings "
    "were strong in Europe, where it opened a new office in Rotterdam.\n\n" + ABOUT
)
LOCAL = (
    "Readers in the valley can follow updates on this story on our website and in tomorrow's print "
    "edition, where our business desk will add reaction from local suppliers and the port.\n\n"
)


def test_two_press_releases_sharing_their_boilerplate_are_no_copies() -> None:
    found = copies.copy_score(PARTNERSHIP, RESULTS, edited=True)
    assert found[0] >= copies.COPY_THRESHOLD  # most of their words are the boilerplate
    lead = alignment.lead_found(PARTNERSHIP, RESULTS)
    assert lead is not None and lead < copies.LEAD_FOUND
    verdict = copies.confirmed(PARTNERSHIP, RESULTS, found)
    assert verdict.score == 0.0 and not verdict.template
    assert verdict.how.startswith("neither lead is in the other text")


def test_a_copy_with_its_carriers_paragraph_first_or_trimmed_keeps_its_lead() -> None:
    above = LOCAL + PARTNERSHIP.split(" -- ", 1)[1]
    trimmed = PARTNERSHIP.split("\n\nForward-Looking")[0]
    for copy in (above, trimmed):
        found = copies.copy_score(PARTNERSHIP, copy, edited=True)
        assert (alignment.lead_found(PARTNERSHIP, copy) or 0.0) >= copies.LEAD_FOUND
        assert copies.confirmed(PARTNERSHIP, copy, found) == (*found, False)
        assert found[0] >= copies.COPY_THRESHOLD


def test_a_text_of_figures_has_no_lead_to_compare() -> None:
    table = "Orvik 3 Halden 0\n\nStrand 2 Norberg 1"
    assert alignment.lead_found(table, PARTNERSHIP) is None


def test_the_second_release_through_the_engine_is_no_copy(repo: Repository) -> None:
    """The test fails without the rule: the engine took the results for a copy of the partnership."""
    arts = [
        article(1, "Valdmere Newsroom", "Valdmere Robotics and Northway Grocers partner", PARTNERSHIP, 0),
        article(2, "Valdmere Newsroom", "Valdmere Robotics reports first-quarter results", RESULTS, 60),
    ]
    partnership, results = understood_in_store(repo, arts)
    assert results.copy_of is None and partnership.copy_of is None
    assert results.match is None or results.match.kind != MatchKind.COPY
