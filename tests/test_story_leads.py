"""Leads that tell of something else keep two happenings of one saga apart (issue 12): the prime
minister's tour of a flood on Monday and the end of a dock strike on Tuesday share the country,
the ministers, the union and half their paragraphs, but not what their leads say happened. One
event told twice in other words still joins, and so do reports whose leads date the event on one
day. Every name here is invented."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tagwire.understand import stories
from tagwire.understand.stories import StoryFeatures, features, from_json, lead_similarity, to_json
from tests import helpers
from tests.helpers import TermStats, tagwire
from tests.newstexts import T0

FLOOD_TOUR = (
    "Pellow tours flooded Tellick valley",
    "Prime Minister Anders Pellow waded through mud in the flooded villages of the Tellick valley on "
    "Monday, promising farmers who lost their harvest new levees and emergency grants before winter, "
    "as rescue crews pumped water from cellars and schools. Villagers in Brannock said the river rose "
    "two metres in a night. His Labour Alliance government faces a confidence vote in the Valdmere "
    "parliament next week, with the Dorran Dockworkers Union still keeping Kestrel Port shut over pay.",
)
STRIKE_ENDS = (
    "Dockworkers end nine-day strike at Kestrel Port",
    "The Dorran Dockworkers Union voted on Tuesday to end its nine-day strike at Kestrel Port after "
    "accepting a six percent pay rise, and the first container ships were unloaded by evening, the "
    "port authority said. Union leader Mira Soltane called the deal, brokered by Finance Minister "
    "Jonas Edberg, a fair one. Prime Minister Anders Pellow needs a calm port before the "
    "confidence vote he faces in the "
    "Valdmere parliament next week. Opposition leader Karl Vennet said the government had let the "
    "strike run for too long.",
)
STRIKE_ENDS_REWORDED = (
    "Kestrel Port reopens as dockers accept pay deal",
    "Ships are being unloaded again at Kestrel Port after dockworkers accepted a six percent pay rise "
    "and ended a nine-day strike that had left container ships waiting off Dorran, their union said. "
    "Mira Soltane, who leads the Dorran Dockworkers Union, thanked Jonas Edberg, the finance minister, "
    "for staying at the table. The stoppage had become a headache for Anders Pellow, whose Labour "
    "Alliance must win a confidence vote in the Valdmere parliament. Karl Vennet, leading the "
    "opposition, said the dockers had waited too long.",
)


def test_lead_terms_are_the_headline_and_the_first_words() -> None:
    text = "Dockworkers ended their strike. " + " ".join(["filler"] * 60) + " levees"
    lead = stories.lead_terms("Strike ends at port", text)
    assert {"strike", "port", "dockworker", "ended", "filler"} <= lead.keys()
    assert "levee" not in lead and lead["strike"] > lead["port"]  # twice: 1 + ln 2


def test_two_happenings_of_one_saga_are_two_stories() -> None:
    story, reasons = decided(FLOOD_TOUR, STRIKE_ENDS)
    assert story == [0, 1]
    assert "its lead has little in common with the story's" in reasons[1]


def test_without_the_leads_the_saga_would_be_one_story(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixtures are hard: their names, places and background make them one story otherwise."""
    monkeypatch.setattr(stories, "LEAD_FACTOR", 1.0)
    assert decided(FLOOD_TOUR, STRIKE_ENDS)[0] == [0, 0]


def test_one_event_told_in_other_words_is_one_story() -> None:
    """The second report, published the next day, gives no day in its lead and words of its own
    ("reopens", "dockers", "unloaded again"), but what it says happened is the first's: the leads
    are compared and agree enough."""
    first = features(*STRIKE_ENDS, [], T0)
    second = features(*STRIKE_ENDS_REWORDED, [], T0 + timedelta(hours=20))
    assert stories._leads_compared(second, first)
    stats = TermStats()
    stats.add(first)
    stats.add(second)
    assert (lead_similarity(second, first, stats.idf) or 0.0) >= stories.LEAD_AGREEMENT
    story, reasons = decided(STRIKE_ENDS, STRIKE_ENDS_REWORDED, hours=20)
    assert story == [0, 0]
    assert "little in common" not in reasons[1]


def test_leads_are_compared_only_for_reports_of_different_days() -> None:
    """Leads that date the event on one day, or reports published on one day whose leads date
    it on no other, are left to the score and the evidence."""
    tour = features(*FLOOD_TOUR, [], T0)  # dates it Monday
    strike = features(*STRIKE_ENDS, [], T0 + timedelta(hours=24))  # Tuesday
    assert stories._leads_compared(strike, tour)
    same_day = features(*STRIKE_ENDS_REWORDED, [], T0 + timedelta(hours=2))  # no day in its lead
    assert not stories._leads_compared(same_day, tour)
    next_day = features(*STRIKE_ENDS_REWORDED, [], T0 + timedelta(hours=26))
    assert stories._leads_compared(next_day, tour)
    tour_tuesday = features(FLOOD_TOUR[0], FLOOD_TOUR[1].replace("on Monday", "on Tuesday"), [], T0)
    assert not stories._leads_compared(strike, tour_tuesday)  # both date it Tuesday
    assert stories._scored(strike, [(0.25, 0, tour_tuesday)], None)[0][3] is None  # not read


def test_a_story_of_several_members_is_not_read_for_leads() -> None:
    tour = features(*FLOOD_TOUR, [], T0)
    strike = features(*STRIKE_ENDS, [], T0 + timedelta(hours=24))
    two = stories._scored(strike, [(0.25, 0, tour), (0.25, 1, tour)], None)
    assert [lead for _, _, _, lead in two] == [None, None]
    assert stories._scored(strike, [(0.25, 0, tour)], None)[0][3] == 0.0


def test_leads_stored_before_they_were_kept_match_as_before() -> None:
    new = features(*STRIKE_ENDS, [], T0 + timedelta(hours=24))
    old = features(*FLOOD_TOUR, [], T0)
    stored_before = StoryFeatures(old.terms, old.published, old.marks, old.day, old.figures)
    assert lead_similarity(new, stored_before) is None
    score = 0.25 * stories._factor(new, old)  # the days' factor only
    assert stories._scored(new, [(0.25, 0, stored_before)], None) == [(score, 0, stored_before, None)]
    back = from_json(to_json(new))
    assert back.lead == new.lead and back.lead
    assert from_json(to_json(StoryFeatures(new.terms, new.published, new.marks))).lead is None


def test_analyze_says_the_leads_differ(tmp_path: Path) -> None:
    """Through `tagwire analyze` (the engine on a store): the tour and the strike's end are two
    stories, and the second's reason says why; the reworded report joins the strike's end."""
    reports = [FLOOD_TOUR, STRIKE_ENDS, STRIKE_ENDS_REWORDED]
    hours = [0, 24, 27]
    lines = [
        {"id": f"r{i}", "title": t, "text": x, "outlet": f"Outlet {i}", "url": f"https://x.example/{i}"}
        | {"published": (T0 + timedelta(hours=hours[i])).isoformat()}
        for i, (t, x) in enumerate(reports)
    ]
    rows, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    rows.write_text("".join(json.dumps(x) + "\n" for x in lines))
    result = tagwire(
        "analyze", str(rows), "--out", str(out), env={"TAGWIRE_DATABASE": str(tmp_path / "t.db")}
    )
    assert result.returncode == 0, result.stderr
    got = {d["id"]: d for d in map(json.loads, out.read_text().splitlines())}
    assert got["r0"]["story"] != got["r1"]["story"] == got["r2"]["story"]
    assert got["r1"]["match"]["kind"] == "new" and "little in common" in got["r1"]["match"]["reason"]


OTHER_PORT_STRIKE = (
    "Dockers walk out at Harlow Bay",
    "Dockworkers at Harlow Bay walked out on Tuesday over night shifts, leaving grain ships idle at "
    "the Saltmere terminal, the Harlow Bay Stevedores Guild said. Guild secretary Odile Fenwick said "
    "the walkout would last until the Saltmere Terminal Company dropped its new rota. Harbour master "
    "Tomas Reyl said twelve ships were waiting.",
)


def test_two_strikes_at_two_ports_on_one_day_are_two_stories() -> None:
    """Look-alike happenings on one day (two ports, two unions, dockworkers and ships in both):
    their leads are not compared, and their texts score far under the bar, as before the
    rule (a guard against the rule joining what the score parts, not a test of the rule)."""
    story, reasons = decided(STRIKE_ENDS, OTHER_PORT_STRIKE, hours=2)
    assert story == [0, 1]
    assert "little in common" not in reasons[1]


def test_lead_terms_of_odd_texts() -> None:
    """No text, a text opening on an address, a very long text: the lead is what is there, read
    from the first words only; no words at all give no lead, and nothing is compared."""
    assert stories.lead_terms("", "") == {}
    assert lead_similarity(features("", "", [], T0), features(*STRIKE_ENDS, [], T0)) is None
    assert stories.lead_terms("Port reopens", "") == {"port": 1.0, "reopen": 1.0}
    url_first = stories.lead_terms("Port reopens", "https://news.example/kestrel\n\n" + STRIKE_ENDS[1])
    assert {"port", "reopen", "dockworker"} <= url_first.keys()
    long = stories.lead_terms("Port reopens", STRIKE_ENDS[1] + " levees" * 200_000)
    assert "levee" not in long


def decided(*reports: tuple[str, str], hours: int = 24) -> tuple[list[int], list[str]]:
    return helpers.decided(*reports, start=T0, hours=hours)


def test_reports_minutes_apart_across_midnight_are_of_one_day() -> None:
    """Different days are a gap of hours, not the calendar: two reports twenty minutes apart
    across midnight UTC, whose leads date nothing, are not asked whether their leads agree."""
    late = datetime(2025, 6, 2, 23, 50, tzinfo=UTC)
    reaction = ("Union leaders welcome the vote", "Union leaders welcomed the result and thanked members.")
    first = stories.features(*STRIKE_ENDS_REWORDED, [], late)
    second = stories.features(*reaction, [], late + timedelta(minutes=20))
    assert first.published.date() != second.published.date()
    assert not stories._leads_compared(second, first)
    assert stories._leads_compared(second, replace(first, published=late - timedelta(hours=12)))
