"""Look-alike events on one day (tests/lookalikes.py: two shootings, two earthquakes, two
factory fires, each pair told by two outlets) must give one story per event: the reports of an
event join, the look-alike never does, whatever their shared vocabulary of the kind. Also an
article whose first line is a URL, very short and very long texts; the decision's reason; and
the whole through the engine on a real store and through `tagwire analyze`."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from tagwire.models import Article, MatchKind
from tagwire.store import Repository
from tagwire.understand import evidence, stories
from tagwire.understand.stories import choose, features
from tests.helpers import TermStats, tagwire, understood_in_store
from tests.lookalikes import REPORTS, SHORT, URL_FIRST, Report, long_report
from tests.newstexts import T0, article

# the first report of every event, then the second of each: look-alikes side by side
INTERLEAVED = [REPORTS[i] for i in (0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11)]


def stream(reports: list[Report]) -> tuple[list[int], list[str]]:
    """Each report's story (as the position of the report that started it) and the reason
    given, streamed ten minutes apart with document frequencies growing as the engine's do."""
    stats, seen, story, reasons = TermStats(), [], [], []
    for i, r in enumerate(reports):
        f = features(r.title, r.text, [], T0 + timedelta(minutes=10 * i))
        stats.add(f)
        best, why, _ = choose(f, seen, stats.idf)
        story.append(best.key if best else i)
        reasons.append(best.reason if best else why)
        seen.append((story[-1], f))
    return story, reasons


def events_of(reports: list[Report], story: list[int]) -> dict[int, set[str]]:
    found: defaultdict[int, set[str]] = defaultdict(set)
    for r, s in zip(reports, story, strict=True):
        found[s].add(r.event)
    return found


def test_look_alike_events_of_one_day_stay_apart_and_reports_of_one_event_join() -> None:
    story, _ = stream(INTERLEAVED)
    by_story = events_of(INTERLEAVED, story)
    assert all(len(events) == 1 for events in by_story.values())  # no story mixes two events
    assert len(by_story) == 6  # and each event is one story


def test_the_reason_names_what_the_reports_share() -> None:
    story, reasons = stream(INTERLEAVED)
    joined = INTERLEAVED.index(REPORTS[5])  # the second report of the Kestany quake
    assert story[joined] == INTERLEAVED.index(REPORTS[4])
    assert "similar" in reasons[joined] and "6.4" in reasons[joined] and "danko" in reasons[joined]
    varos = INTERLEAVED.index(REPORTS[6])  # the Varos quake, after the Kestany one
    assert story[varos] == varos and "under" in reasons[varos]


def test_topic_words_alone_do_not_join(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Varos quake told with the Kestany quake's words (magnitude, depth, injured, power,
    rescue) but its own places and numbers is still another event."""
    kestany = REPORTS[4]
    varos = Report(
        "quake-varos",
        "Echo",
        "Magnitude 5.8 earthquake strikes Varos highlands",
        "A magnitude 5.8 earthquake struck the Varos highlands early on Saturday, shaking buildings in "
        "the village of Tellick and cutting power to homes, the national seismology institute said. The "
        "quake hit at a depth of 9 kilometres. Two people were injured by falling debris. Interior Minister "
        "Sabin Horak said rescue teams had been sent to Tellick.",
    )
    story, reasons = stream([kestany, varos])
    assert story == [0, 1]
    # its own magnitude and depth part it first (test_story_figures.py); the marks would too
    assert "figures differ from the story's (earthquake 5.8 / 6.4; kilometre 9 / 22)" in reasons[1]
    monkeypatch.setattr(stories, "FIGURES_FACTOR", 1.0)
    story, reasons = stream([kestany, varos])
    assert story == [0, 1]
    assert "shares names, places and numbers of weight" in reasons[1]


def test_an_article_whose_first_line_is_a_url_joins_its_event() -> None:
    reports = [*INTERLEAVED, URL_FIRST]
    story, _ = stream(reports)
    assert story[-1] == INTERLEAVED.index(REPORTS[0])


def test_very_short_texts_never_join_a_look_alike() -> None:
    reports = [*INTERLEAVED, *SHORT]
    story, _ = stream(reports)
    assert all(len(events) == 1 for events in events_of(reports, story).values())


def test_a_very_long_text_joins_its_event_and_no_other() -> None:
    reports = [*INTERLEAVED, long_report()]
    story, _ = stream(reports)
    assert story[-1] == INTERLEAVED.index(REPORTS[2])
    assert all(len(events) == 1 for events in events_of(reports, story).values())


def test_marks_name_names_places_and_numbers_not_sentence_starts() -> None:
    found = evidence.marks(
        "Police said a gunman killed 14 people in El Paso, Texas. The attack in 2019 wounded 26, "
        "Chief Greg Allen's office said. Magnitude 6.1 and $1,200 too."
    )
    assert {"@el paso", "@texas", "@greg allen", "@allen", "=14", "=26", "=6.1", "=1200"} <= found
    assert not found & {"@police", "@the", "=2019", "@magnitude"}


def as_articles(reports: list[Report]) -> list[Article]:
    return [article(i, r.outlet, r.title, r.text, 10 * i) for i, r in enumerate(reports)]


def test_the_engine_on_a_real_store_keeps_look_alikes_apart(repo: Repository) -> None:
    reports = [*INTERLEAVED, URL_FIRST, *SHORT, long_report()]
    arts = as_articles(reports)
    story = [a.story_id or 0 for a in understood_in_store(repo, arts)]
    assert all(len(events) == 1 for events in events_of(reports, story).values())
    assert len(set(story[:12])) == 6
    joined = [a.match for a in arts[6:12]]
    assert all(m is not None and m.kind == MatchKind.STORY and "shared names" in m.reason for m in joined)


def test_analyze_gives_each_decision_its_reason(tmp_path: Path) -> None:
    rows = tmp_path / "in.jsonl"
    lines = [
        {"id": f"r{i}", "title": r.title, "text": r.text, "outlet": r.outlet, "url": f"https://x.example/{i}"}
        | {"published": (T0 + timedelta(minutes=10 * i)).isoformat()}
        for i, r in enumerate(INTERLEAVED)
    ]
    rows.write_text("".join(json.dumps(x) + "\n" for x in lines))
    out = tmp_path / "out.jsonl"
    result = tagwire(
        "analyze", str(rows), "--out", str(out), env={"TAGWIRE_DATABASE": str(tmp_path / "t.db")}
    )
    assert result.returncode == 0, result.stderr
    decided = {d["id"]: d for d in map(json.loads, out.read_text().splitlines())}
    assert all(decided[f"r{i}"]["match"]["reason"] for i in range(12))
    stories = defaultdict(set)
    for i, r in enumerate(INTERLEAVED):
        stories[decided[f"r{i}"]["story"]].add(r.event)
    assert len(stories) == 6 and all(len(e) == 1 for e in stories.values())


@pytest.mark.parametrize("text", ["", "https://only.example/a-url", "Quake.", "x" * 5000])
def test_degenerate_texts_give_features_and_a_decision(text: str) -> None:
    f = features("", text, [], T0)
    best, why, _ = choose(f, [(1, features("Quake hits", "Magnitude 6.4 quake.", [], T0))], None)
    assert best is None and why


# Two wire reports filed from one country's capital the same day, of two events: all they share
# is the country and the dateline's date (issue 12: a country holds many events a day).
TARIFFS = Report(
    "taiwan-tariffs",
    "Wire",
    "TAIWAN PLANS NEW TARIFF CUTS",
    "TAIPEI, March 2 - Taiwan plans to cut import tariffs on 50 farm and industrial products to ease "
    "trade friction with its partners, the Finance Ministry said. The cuts, of up to half the "
    "present duties, would take effect in April. Economists said the cuts would trim Taiwan's "
    "trade surplus, which rose to a record last year, and help the economy adjust.",
)
DEBT = Report(
    "taiwan-power-debt",
    "Wire",
    "TAIWAN POWER FIRM PLANS MORE FOREIGN DEBT CUTS",
    "TAIPEI, March 2 - State-owned Taiwan Power Co plans to repay 800 mln dlrs of foreign debt "
    "early this year, a company spokesman said. The utility repaid 1.2 billion dlrs last year as "
    "the economy grew and its trade surplus kept the local dollar firm, and it will fund new "
    "plants from domestic loans, he said.",
)
DEBT_AGAIN = Report(
    "taiwan-power-debt",
    "Other wire",
    "Taiwan Power to repay 800 mln dlrs of foreign loans early",
    "TAIPEI, March 2 - Taiwan Power Co will repay 800 mln dlrs of its foreign loans ahead of "
    "schedule this year, the state utility said, after repaying 1.2 billion dlrs in 1986. The "
    "company will borrow at home for its new plants, a spokesman said.",
)


def test_one_country_and_one_date_alone_do_not_join() -> None:
    story, reasons = stream([TARIFFS, DEBT, DEBT_AGAIN])
    assert story == [0, 1, 1], reasons


def test_a_dateline_date_is_no_mark() -> None:
    assert not {"=2", "@march"} & evidence.marks(DEBT.text)
    assert not {"=26", "@feb"} & evidence.marks("CHICAGO, Feb 26 - Dean Foods Co expects earnings to rise.")


def test_a_country_alone_is_no_evidence_however_rare() -> None:
    """In a store where the country is rare (its mark weighs 6, over the threshold by itself), the
    two Taiwan reports still share nothing else; a state company's name and figures join."""
    tariffs, debt, again = (features(r.title, r.text, [], T0) for r in (TARIFFS, DEBT, DEBT_AGAIN))
    assert evidence.region_marks(
        ["@taiwan", "@south korea", "@south", "@korea", "@power"], lambda n: n in ("taiwan", "south korea")
    ) == {"@taiwan", "@south korea", "@south", "@korea"}
    best, why, _ = choose(debt, [("tariffs", tariffs)], lambda _: 6.0)
    assert best is None and "taiwan" in why, why
    best, why, _ = choose(again, [("debt", debt)], lambda _: 6.0)
    assert best is not None and best.key == "debt", why


def test_a_story_stored_before_marks_were_kept_is_joined_as_before() -> None:
    """Members stored before issue 12 kept no marks: their evidence is taken as enough, the
    country rule included (a story of them stays joinable)."""
    debt, again = (features(r.title, r.text, [], T0) for r in (DEBT, DEBT_AGAIN))
    best, why, _ = choose(again, [("debt", replace(debt, marks=None))], lambda _: 6.0)
    assert best is not None and best.key == "debt", why
