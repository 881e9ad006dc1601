"""Stories on invented events: two outlets' own reports of one event join, an unrelated article
and a report on the same topic weeks later do not. When ../shared is here, also the replay of
BASIL (100 events, three outlets each) streamed in date order with WikiRef220 as distractors."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tagwire.understand.stories import (
    CONFLICT_THRESHOLD,
    DEFAULT_WINDOW,
    STORY_THRESHOLD,
    StoryFeatures,
    best_story,
    choose,
    content_words,
    discounted_similarity,
    features,
    from_json,
    idf_weight,
    similarity,
    to_json,
)
from tests.helpers import TermStats

SHARED = Path(__file__).resolve().parents[2] / "shared"
T0 = datetime(2025, 6, 3, 6, 30, tzinfo=UTC)

FERRY_A = (
    "Ferry and cargo ship collide in fog off Valdmere, 14 hurt",
    "A passenger ferry and a cargo ship collided in thick fog off the port of Valdmere early on Tuesday, "
    "injuring "
    "14 people and forcing the evacuation of more than 200 passengers, the Lorvanian coast guard said. The "
    "ferry "
    "Northern Lark, operated by Bayline Ferries, struck the stern of the container vessel Kestrel Dawn, "
    "which was "
    "anchored outside the shipping lane. Harbour master Marisol Quenby said visibility had dropped to less "
    "than 50 "
    "meters within minutes. Transport Minister Anders Pellow ordered an inquiry into the ferry's speed.",
    ["Valdmere", "BaylineFerries", "MarisolQuenby", "AndersPellow", "Lorvania"],
)
FERRY_B = (
    "Fourteen injured as Northern Lark ferry hits anchored freighter in Valdmere Bay",
    "Fourteen people were hurt on Tuesday morning when the Northern Lark, a Bayline Ferries vessel, ran "
    "into the "
    "anchored cargo ship Kestrel Dawn in heavy fog at the entrance to Valdmere Bay. Rescue crews took more "
    "than 200 "
    "passengers ashore. Harbour master Marisol Quenby blamed fog that thickened just before dawn, and "
    "transport "
    "minister Anders Pellow promised to investigate whether the ferry's radar had failed.",
    ["Valdmere", "NorthernLark", "KestrelDawn", "AndersPellow"],
)
FERRY_LATER = (
    "Inquiry into Valdmere ferry crash blames speed and fog",
    "An official inquiry into the collision between the Bayline Ferries vessel Northern Lark and the cargo "
    "ship "
    "Kestrel Dawn in Valdmere Bay found that the ferry was travelling too fast in fog. Transport Minister "
    "Anders "
    "Pellow said new speed limits would apply in the bay, and harbour master Marisol Quenby welcomed the "
    "findings.",
    ["Valdmere", "BaylineFerries", "AndersPellow", "MarisolQuenby"],
)
BACKGROUND = [
    (
        "Central bank holds rates as inflation eases",
        "The central bank of Lorvania left its main interest rate unchanged at 3.5 percent on Tuesday, "
        "saying "
        "inflation had eased for a fourth month but wage growth remained strong. Governor Ilse Marrow said "
        "the board "
        "would study household spending before its September meeting.",
        ["IlseMarrow", "Lorvania", "InterestRates"],
    ),
    (
        "Ostrel United win the cup after extra time",
        "Ostrel United beat Sorn Rovers 2-1 after extra time on Tuesday to lift the national cup for the "
        "first time "
        "in 30 years. Striker Paavo Lind scored the winner in the 112th minute in front of 40,000 fans.",
        ["OstrelUnited", "SornRovers", "PaavoLind"],
    ),
    (
        "Parliament approves new budget for schools",
        "Lorvania's parliament approved a budget on Tuesday that raises spending on schools by 8 percent. "
        "Finance "
        "Minister Greta Holm said the money would pay for 2,000 new teachers over three years.",
        ["GretaHolm", "Lorvania", "Budget"],
    ),
    (
        "Heat wave brings record temperatures to the south",
        "Temperatures reached 41 degrees in the southern city of Brask on Tuesday, a record for June, and "
        "the weather "
        "service warned that the heat wave would last until the weekend.",
        ["Brask", "HeatWave"],
    ),
]


def feats(article: tuple[str, str, list[str]], when: datetime) -> StoryFeatures:
    title, text, tags = article
    return features(title, text, tags, when)


@pytest.fixture
def stats() -> TermStats:
    """Document frequencies over the invented articles, as the engine keeps them."""
    s = TermStats()
    for article in [FERRY_A, FERRY_B, FERRY_LATER, *BACKGROUND]:
        s.add(feats(article, T0))
    return s


def test_two_reports_of_one_event_join(stats: TermStats) -> None:
    a, b = feats(FERRY_A, T0), feats(FERRY_B, T0 + timedelta(hours=5))
    found = best_story(b, [(7, a)], stats.idf)
    assert found is not None and found[0] == 7
    assert found[1] >= STORY_THRESHOLD


def test_an_unrelated_article_starts_its_own_story(stats: TermStats) -> None:
    ferry = [(7, feats(FERRY_A, T0)), (7, feats(FERRY_B, T0))]
    for article in BACKGROUND:
        assert best_story(feats(article, T0 + timedelta(hours=2)), ferry, stats.idf) is None


def test_the_same_topic_weeks_later_is_another_story(stats: TermStats) -> None:
    earlier = [(7, feats(FERRY_A, T0)), (7, feats(FERRY_B, T0))]
    later = feats(FERRY_LATER, T0 + timedelta(weeks=3))
    assert best_story(later, earlier, stats.idf) is None
    assert discounted_similarity(later, earlier[0][1], stats.idf) == 0.0
    assert similarity(later, earlier[0][1], stats.idf) >= STORY_THRESHOLD  # the topic alone would have joined


def test_the_best_story_wins(stats: TermStats) -> None:
    new = feats(FERRY_B, T0 + timedelta(hours=1))
    candidates = [(1, feats(BACKGROUND[0], T0)), (2, feats(FERRY_A, T0)), (3, feats(BACKGROUND[1], T0))]
    found = best_story(new, candidates, stats.idf)
    assert found is not None and found[0] == 2
    assert found[1] == pytest.approx(discounted_similarity(new, candidates[1][1], stats.idf))
    assert best_story(new, [], stats.idf) is None


def test_time_apart_discounts_the_score(stats: TermStats) -> None:
    a = feats(FERRY_A, T0)
    scores = [
        discounted_similarity(feats(FERRY_B, T0 + timedelta(hours=h)), a, stats.idf) for h in (0, 24, 48, 72)
    ]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0
    assert (
        discounted_similarity(feats(FERRY_B, T0 + DEFAULT_WINDOW + timedelta(minutes=1)), a, stats.idf) == 0.0
    )
    assert best_story(
        feats(FERRY_B, T0 + timedelta(hours=100)), [(7, a)], stats.idf, window=timedelta(hours=120)
    )


def test_features_weigh_hashtags_names_and_headline() -> None:
    f = feats(FERRY_A, T0)
    assert {
        "#valdmere",
        "#marisolquenby",
        "marisol quenby",
        "anders pellow",
        "ferry",
        "fog",
    } <= f.terms.keys()
    assert f.terms["valdmere"] > f.terms["passenger"]  # headline and lead beat the lead alone
    assert "the" not in f.terms and "said" not in f.terms
    assert features("", "", [], T0).terms == {}
    assert features("Ferry hits freighter", "", ["#Valdmere", " "], T0).terms.keys() == {
        "#valdmere",
        "ferry",
        "hit",
        "freighter",
    }


def test_features_without_hashtags_still_match(stats: TermStats) -> None:
    a = features(FERRY_A[0], FERRY_A[1], [], T0)
    b = features(FERRY_B[0], FERRY_B[1], [], T0)
    assert similarity(a, b, stats.idf) >= STORY_THRESHOLD
    assert (
        max(similarity(a, features(t, x, [], T0), stats.idf) for t, x, _ in BACKGROUND) < STORY_THRESHOLD / 2
    )


def test_similarity_is_a_cosine() -> None:
    a, b = feats(FERRY_A, T0), feats(FERRY_B, T0)
    assert similarity(a, a) == pytest.approx(1.0)
    assert similarity(a, b) == pytest.approx(similarity(b, a))
    assert 0.0 < similarity(a, b) < 1.0
    assert similarity(a, StoryFeatures({}, T0)) == 0.0


def test_content_words() -> None:
    assert content_words("The ferry's captains said they were told of Valdmere's fog") == [
        "ferry",
        "captain",
        "valdmere",
        "fog",
    ]


def test_idf_weighs_rare_terms_more(stats: TermStats) -> None:
    assert stats.idf("#kestreldawn") > stats.idf("#lorvania") > 1.0
    assert stats.idf("never-seen") == idf_weight(0, stats.documents)
    assert idf_weight(3, 4) > idf_weight(3, 10_000) / 3  # a young database keeps its words rare
    assert idf_weight(3_000, 10_000) < idf_weight(30, 10_000)


def test_a_report_dating_the_event_on_another_day_needs_more(stats: TermStats) -> None:
    """Two reports alike in words, one of Tuesday's collision, the other of a Thursday: the
    member's score counts STORY_THRESHOLD / CONFLICT_THRESHOLD of itself, and the reason says why."""
    a = feats(FERRY_A, T0)
    title, text, tags = FERRY_B
    same_day = features(title, text, tags, T0 + timedelta(hours=5))
    other_day = features(title, text.replace("on Tuesday", "on Thursday"), tags, T0 + timedelta(days=2))
    assert (a.day, same_day.day, other_day.day) == ("2025-06-03", "2025-06-03", "2025-06-05")
    joined = choose(same_day, [(7, a)], stats.idf).best
    assert joined is not None and joined.reason.endswith("both leads date it 2025-06-03")
    found = choose(other_day, [(7, a)], stats.idf)
    raw = discounted_similarity(other_day, a, stats.idf)
    factor = STORY_THRESHOLD / CONFLICT_THRESHOLD
    assert found.best is not None and found.best.score == pytest.approx(raw * factor)
    assert raw * factor >= STORY_THRESHOLD
    assert "its lead dates it 2025-06-05, the story's 2025-06-03" in found.best.reason
    assert found.nearest == [7]  # where edited copies are looked for: the score as it is
    undated = replace(other_day, day=None)  # stored before days were kept: as before
    assert choose(undated, [(7, a)], stats.idf).best.score == pytest.approx(raw)  # type: ignore[union-attr]


def test_json_round_trip() -> None:
    f = feats(FERRY_A, T0)
    assert f.day == "2025-06-03" and from_json(to_json(f)) == f
    undated = replace(f, day=None)
    assert from_json(to_json(undated)) == undated and '"day"' not in to_json(undated)
    naive = features("Ferry hits freighter", "", [], datetime(2025, 6, 3, 6, 30))
    assert naive.published == T0 and from_json(to_json(naive)).published == T0
    for bad in ["", "{}", '{"terms": [], "published": "2025-06-03"}', '{"terms": {}, "published": "June"}']:
        with pytest.raises(ValueError, match="story features"):
            from_json(bad)


# --- BASIL with WikiRef220 distractors, when ../shared is here -----------------------------------


def corpus() -> list[tuple[str, str, datetime, str | None]]:
    """(title, text, published, event) of BASIL and WikiRef220 as the acceptance check streams them."""
    basil, wikiref = SHARED / "corpora" / "basil" / "articles", SHARED / "corpora" / "wikiref220"
    if not basil.exists() or not wikiref.exists():
        pytest.skip("../shared/corpora is not here")
    rows = []
    for f in sorted(basil.glob("*/*.json")):
        d = json.loads(f.read_text())
        body = "\n\n".join(" ".join(p) for p in d["body-paragraphs"])
        rows.append(
            (d["title"], body, datetime.fromisoformat(d["date"] + "T12:00:00+00:00"), d["triplet-uuid"])
        )
    for f in sorted(wikiref.rglob("*.txt")):
        lines = [line.strip() for line in f.read_text(errors="replace").splitlines() if line.strip()]
        if f.name != "readme.txt" and len(lines) > 3:
            rows.append((lines[0][:120], "\n\n".join(lines[1:]), datetime(2015, 6, 1, 12, tzinfo=UTC), None))
    return sorted(rows, key=lambda r: r[2])


def test_basil_streamed_with_distractors(monkeypatch: pytest.MonkeyPatch) -> None:
    rows, stats = corpus(), TermStats()
    monkeypatch.syspath_prepend(str(SHARED / "acceptance"))
    from textscore import bcubed  # type: ignore[import-not-found]

    seen: list[tuple[int, StoryFeatures]] = []
    story: list[int] = []
    for title, text, published, _ in rows:
        f = features(title, text, [], published)
        stats.add(f)
        recent = [(s, g) for s, g in seen if abs(g.published - published) <= DEFAULT_WINDOW]
        found = best_story(f, recent, stats.idf)
        story.append(found[0] if found else len(story))
        seen.append((story[-1], f))
    events = [e for *_, e in rows]
    basil = [i for i, e in enumerate(events) if e]
    _, _, f1 = bcubed({i: story[i] for i in basil}, {i: events[i] for i in basil})
    mixed = [
        s for s in set(story) if len({events[i] or "wikiref" for i, t in enumerate(story) if t == s}) > 1
    ]
    assert f1 >= 0.97
    assert mixed == []
