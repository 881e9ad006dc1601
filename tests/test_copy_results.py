"""Two reports written on one template with other results ("Halden 96-2 at lunch", "Halden 214-3
at lunch") share nearly every word, and neither is a copy of the other; a carried report with the
same result still is (copies.confirmed, `titles`)."""

from __future__ import annotations

from tagwire.models import MatchKind
from tagwire.store import Repository
from tagwire.understand import copies
from tests.helpers import understood_in_store
from tests.newstexts import article

FIRST_DAY = (
    "STRANDVIK - Halden were 96 for two at lunch on the first day of the second and final test "
    "against Orvik at Strandvik Park on Thursday. The series is level after Orvik won the first "
    "test by seven wickets and the home side lost the toss for the second time."
)
SECOND_DAY = (
    "STRANDVIK - Halden were 214 for three at lunch on the second day of the second and final test "
    "against Orvik at Strandvik Park on Friday. The series is level after Orvik won the first "
    "test by seven wickets and the home side lost the toss for the second time."
)
FIRST_TITLE = "CRICKET - HALDEN 96-2 AT LUNCH ON FIRST DAY OF SECOND TEST"
SECOND_TITLE = "CRICKET - HALDEN 214-3 AT LUNCH ON SECOND DAY OF SECOND TEST"


def test_two_scores_on_one_template_are_no_copy() -> None:
    found = copies.copy_score(FIRST_DAY, SECOND_DAY)
    assert found[0] >= copies.COPY_THRESHOLD  # word for word but the figures, names and days
    verdict = copies.confirmed(FIRST_DAY, SECOND_DAY, found, (FIRST_TITLE, SECOND_TITLE))
    assert verdict.score == 0.0 and not verdict.template
    assert verdict.how.startswith("their results differ (score 96-2 / 214-3")


def test_a_carried_report_with_the_same_score_stays_a_copy() -> None:
    carried = FIRST_DAY.replace("on Thursday", "on Thursday, the first of two games this month")
    found = copies.copy_score(FIRST_DAY, carried)
    title = "Halden 96-2 at lunch in the second test"
    assert copies.confirmed(FIRST_DAY, carried, found, (FIRST_TITLE, title)) == (*found, False)
    assert found[0] >= copies.COPY_THRESHOLD


def test_the_second_day_through_the_engine_is_no_copy(repo: Repository) -> None:
    """The test fails without the rule: the engine took the second day's score for a copy."""
    arts = [
        article(1, "Strandvik Wire", FIRST_TITLE, FIRST_DAY, 0),
        article(2, "Strandvik Wire", SECOND_TITLE, SECOND_DAY, 60 * 24),
    ]
    first, second = understood_in_store(repo, arts)
    assert first.copy_of is None and second.copy_of is None
    assert second.match is None or second.match.kind != MatchKind.COPY
