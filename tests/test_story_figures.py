"""Figures that disagree keep look-alike happenings of one topic apart (issue 12): two stages of
one race on consecutive days, two matches of one team in one tournament, two quakes of one
region. Their reports share the race, the team, the riders, the region: everything but the
figures (another stage's kilometres, another score, another magnitude). Two outlets' reports of
one stage give the same figures and still join. Every name here is invented."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from tagwire.understand import evidence, stories
from tagwire.understand.stories import StoryFeatures, features, from_json, to_json
from tests import helpers
from tests.helpers import tagwire
from tests.newstexts import T0

STAGE_3 = (
    "Orlen takes third stage of Tour of Valdmere",
    "Pieter Orlen of Team Kestrel won the 187 km third stage of the Tour of Valdmere from Brannock to "
    "Tellick on Tuesday, beating Marco Vantelli and Jens Aalto in a sprint finish. Vantelli kept the "
    "leader's yellow jersey, 12 seconds ahead of Aalto, with three stages of the Tour of Valdmere left. "
    "Team Kestrel rode at the front for the last 40 km.",
)
STAGE_3_OTHER = (
    "Sprint win for Orlen in Tellick",
    "Pieter Orlen sprinted to victory on the 187 km third stage of the Tour of Valdmere into Tellick "
    "on Tuesday, ahead of Marco Vantelli and Jens Aalto. Vantelli, 12 seconds clear of Aalto, stays in "
    "yellow. Orlen's Team Kestrel controlled the race in the last 40 km of the Tour of Valdmere.",
)
STAGE_4 = (
    "Aalto wins fourth stage of Tour of Valdmere, takes lead",
    "Jens Aalto won the 203 km fourth stage of the Tour of Valdmere from Tellick to Dorran on Wednesday "
    "and took the leader's yellow jersey from Marco Vantelli, who finished 31 seconds behind him. Pieter "
    "Orlen of Team Kestrel was third in the Tour of Valdmere stage. Aalto attacked on the final climb, "
    "8 km from the finish.",
)
MATCH_1 = (
    "Harrow Rovers beat Castlemere 3-1 in Lisden Cup",
    "Harrow Rovers beat Castlemere 3-1 in the Lisden Cup group stage at the Corran Stadium on "
    "Saturday, with two goals from striker Emil Haskard. Rovers coach Tobias Wren said his side were "
    "ready for the quarter-finals. Castlemere had led through Ivo Brandt after 20 minutes.",
)
MATCH_2 = (
    "Harrow Rovers held 1-1 by Dunmore in Lisden Cup",
    "Harrow Rovers were held 1-1 by Dunmore in the Lisden Cup group stage at the Corran Stadium on "
    "Sunday, Emil Haskard scoring for Rovers before Dunmore equalised late. Rovers coach Tobias Wren "
    "said his side were still ready for the quarter-finals. Ivo Brandt watched from the stands.",
)


def test_figures_are_counted_things() -> None:
    found = evidence.figures(
        "Rovers beat Castlemere 3-1",
        "A 100-metre race, 203 km, three stages, 1,500 fans, magnitude 5.8; talks lasted 90 minutes "
        "on day 3 in 2019, 40 percent.",
    )
    assert {"score:3-1", "metre:100", "km:203", "stage:three", "fan:1500"} <= found
    assert not {f for f in found if f.split(":")[0] in {"minute", "day", "percent", "in"}}
    assert evidence.figures("", "the 2016 election") == frozenset()  # a year counts nothing


def test_ordinals_of_a_competitions_parts_are_figures() -> None:
    """A race's "fourth stage" and "third stage" are two days: figures that differ.
    A match's halves and sets are in every match report: no figures."""
    found = evidence.figures(
        "Aalto wins fourth stage", "after the 2nd round and the third Test, in the first half"
    )
    assert {"stage:4", "round:2", "test:3"} <= found
    assert not {f for f in found if f.startswith(("half", "set"))}
    third = evidence.figures("Orlen takes third stage of Tour of Valdmere", "")
    assert evidence.disagree(found, third) == ["stage 4 / 3"]


def test_disagree_needs_a_unit_both_count_with_no_figure_in_common() -> None:
    assert evidence.disagree({"km:187", "second:12"}, {"km:203", "second:31"}) == [
        "km 187 / 203",
        "second 12 / 31",
    ]
    assert evidence.disagree({"km:187", "km:40"}, {"km:187"}) == []  # one figure shared
    # as many things counted alike as differently (a vote's abstentions 11 and 12, its votes 68)
    assert evidence.disagree({"abstention:11", "vote:68"}, {"abstention:12", "vote:68"}) == []
    assert evidence.disagree({"km:187", "second:12", "stage:three"}, {"km:203", "second:12", "stage:two"})
    assert evidence.disagree({"km:187"}, {"goal:2"}) == []  # nothing both count
    assert evidence.disagree({"score:3-1"}, {"score:1-1"}) == ["score 3-1 / 1-1"]


def test_two_stages_of_one_race_are_two_stories() -> None:
    story, reasons = decided(STAGE_3, STAGE_4)
    assert story == [0, 1]
    assert "km 187 / 203" in reasons[1] or "under" in reasons[1]


def test_two_outlets_on_one_stage_are_one_story_whatever_the_next_stage() -> None:
    story, reasons = decided(STAGE_3, STAGE_3_OTHER, STAGE_4, hours=8)
    assert story == [0, 0, 2]
    assert "shared names" in reasons[1] and "figures differ" not in reasons[1]


def test_two_matches_of_one_team_in_one_cup_are_two_stories() -> None:
    story, reasons = decided(MATCH_1, MATCH_2)
    assert story == [0, 1]
    assert "score" in reasons[1]


def test_without_the_figures_the_two_matches_would_join(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixtures are hard: everything else makes the two matches one story."""
    monkeypatch.setattr(stories, "FIGURES_FACTOR", 1.0)
    assert decided(MATCH_1, MATCH_2)[0] == [0, 0]
    assert decided(STAGE_3, STAGE_4)[0] == [0, 0]


def test_features_stored_before_figures_were_kept_match_as_before() -> None:
    old = features(*MATCH_1, [], T0)
    old = StoryFeatures(old.terms, old.published, old.marks, old.day)  # no figures
    new = features(*MATCH_2, [], T0 + timedelta(hours=24))
    assert stories._disagree(new, old) == []
    back = from_json(to_json(new))
    assert back.figures == new.figures and back.figures
    assert from_json(to_json(old)).figures is None


def test_a_toll_that_grows_from_report_to_report_is_one_event() -> None:
    early = (
        "Quake in Varos highlands kills 12",
        "A magnitude 5.8 earthquake struck the Varos highlands near Tellick on Saturday, killing 12 "
        "people and injuring 40, Interior Minister Sabin Horak said. Rescue teams from Dorran searched "
        "collapsed homes in Tellick through the night.",
    )
    later = (
        "Varos quake toll rises to 15",
        "The toll of Saturday's magnitude 5.8 earthquake in the Varos highlands rose to 15 dead and 52 "
        "injured, Interior Minister Sabin Horak said, as rescue teams from Dorran cleared rubble in "
        "Tellick.",
    )
    assert evidence.disagree(evidence.figures(*early), evidence.figures(*later)) == []
    assert decided(early, later, hours=6)[0] == [0, 0]


LEAGUE_A = (
    "Harrow Rovers go top of Lisden League with 3-1 win",
    "Harrow Rovers went top of the Lisden League with a 3-1 win over Castlemere at the Corran Stadium "
    "on Saturday. Emil Haskard scored twice for Rovers, whose coach Tobias Wren praised a young side. "
    "Castlemere stay ninth in the Lisden League.",
)
LEAGUE_A_OTHER = (
    "Haskard double for Rovers",
    "Emil Haskard scored twice as Harrow Rovers beat Castlemere 3-1 at the Corran Stadium on Saturday "
    "to lead the Lisden League. Coach Tobias Wren said the young side had earned it. Castlemere "
    "remain ninth.",
)
LEAGUE_B = (
    "Dunmore beat Pellsworth 2-0 in Lisden League",
    "Dunmore beat Pellsworth 2-0 at Brannock Park on Saturday to stay second in the Lisden League, "
    "a point behind Harrow Rovers. Goals from Ivo Brandt and Luka Sorrel settled it. Pellsworth coach "
    "Tobias Wren's brother Anton said his side lacked ideas.",
)


def test_two_matches_of_one_league_on_one_day_are_two_stories() -> None:
    """Same league, same day, a team and a coach's name in both: only the scores tell them apart;
    the second report of the first match still joins it."""
    story, reasons = decided(LEAGUE_A, LEAGUE_B, LEAGUE_A_OTHER, hours=1)
    assert story == [0, 1, 0]
    assert "figures differ" not in reasons[2]


def test_analyze_says_the_figures_differ(tmp_path: Path) -> None:
    """Through `tagwire analyze` (the engine on a store): two stages are two stories, two
    outlets' reports of one stage one, and the decision's reason names the figures."""
    reports = [STAGE_3, STAGE_3_OTHER, STAGE_4]
    lines = [
        {"id": f"r{i}", "title": t, "text": x, "outlet": f"Outlet {i}", "url": f"https://x.example/{i}"}
        | {"published": (T0 + timedelta(hours=8 * i)).isoformat()}
        for i, (t, x) in enumerate(reports)
    ]
    rows, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    rows.write_text("".join(json.dumps(x) + "\n" for x in lines))
    result = tagwire(
        "analyze", str(rows), "--out", str(out), env={"TAGWIRE_DATABASE": str(tmp_path / "t.db")}
    )
    assert result.returncode == 0, result.stderr
    got = {d["id"]: d for d in map(json.loads, out.read_text().splitlines())}
    assert got["r0"]["story"] == got["r1"]["story"] != got["r2"]["story"]
    reason = got["r2"]["match"]["reason"]
    assert (
        got["r2"]["match"]["kind"] == "new" and "figures differ" in reason and "km 203, 8 / 187, 40" in reason
    )


def test_features_read_the_figures_of_the_texts_first_words() -> None:
    """features() hands figures its lead: the lead must hold the words figures reads."""
    assert evidence.FIGURE_WORDS <= stories.LEAD_WORDS
    text = " ".join(["filler"] * 95) + " a 203 km stage " + " ".join(["more"] * 300) + " 999 km"
    f = features("Stage", text, [], T0)
    assert f.figures == evidence.figures("Stage", text) == frozenset({"km:203"})


def decided(*reports: tuple[str, str], hours: int = 24) -> tuple[list[int], list[str]]:
    return helpers.decided(*reports, start=T0, hours=hours)
