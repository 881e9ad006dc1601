#!/usr/bin/env python3
"""Articles in other languages on tagwire's own multilingual fixtures (tests/fixtures/multilingual:
reports of invented events in English, Japanese, German, French and Spanish, with answers):
language, wire origin, pairwise same-story precision and recall (all pairs, and pairs across
languages), and the range of the cross-language hashtag score (languages/matching.py) for pairs of
one event and pairs of two events. Thresholds are chosen on calibration.jsonl and confirmed on
confirmation.jsonl.

    python bench/multilingual_pairs.py [FILE.jsonl ...]
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import sys
import tempfile
from itertools import combinations
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests/fixtures/multilingual"


def run(path: Path) -> None:
    os.environ["TAGWIRE_DATABASE"] = db = str(Path(tempfile.mkdtemp(prefix="tagwire-ml-")) / "tw.db")
    from tagwire import config
    from tagwire.app.analysing import analyze
    from tagwire.store import open_store

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = io.StringIO()
    analyze(
        iter([{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]),
        out,
        open_store(db),
        config.load(),
    )
    got = {r["id"]: r for r in map(json.loads, out.getvalue().splitlines())}
    lang = sum(got[r["id"]]["language"] == r["_language"] for r in rows)
    wire = sum(got[r["id"]]["wire_origin"] == r["_wire"] for r in rows)
    n = len(rows)
    print(f"{path.name}: {n} articles; language right {lang}/{n}, wire origin right {wire}/{n}")
    kinds = (
        ("all pairs", lambda a, b: True),
        ("pairs across languages", lambda a, b: a != b),
        ("German-English pairs", lambda a, b: {a, b} == {"de", "en"}),
        ("pairs in one language but English", lambda a, b: a == b != "en"),
    )
    for name, keep in kinds:
        p, r = _pairs(rows, got, keep)
        print(f"  same story, {name}: precision {p:.2f} recall {r:.2f}")
    same, other = _cross_scores(db, rows)
    print(
        f"  cross-language hashtag score: same event {_range([s for s in same if s > 0])} "
        f"(and {sum(s == 0 for s in same)} pairs sharing no name); two events sharing a name {_range(other)}"
    )


def _pairs(
    rows: list[dict[str, object]], got: dict[str, dict[str, object]], keep: object
) -> tuple[float, float]:
    tp = fp = fn = 0
    for a, b in combinations(rows, 2):
        if not keep(a["_language"], b["_language"]):  # type: ignore[operator]
            continue
        gold = a["_event"] is not None and a["_event"] == b["_event"]
        pred = got[str(a["id"])]["story"] == got[str(b["id"])]["story"]
        tp, fp, fn = tp + (gold and pred), fp + (pred and not gold), fn + (gold and not pred)
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def _cross_scores(db: str, rows: list[dict[str, object]]) -> tuple[list[float], list[float]]:
    from tagwire.understand import stories
    from tagwire.understand.languages import matching

    event = {f"https://{r['_language']}.fixture.example/{r['id']}": r for r in rows}
    with sqlite3.connect(db) as conn:
        feats = {u: stories.from_json(f) for u, f in conn.execute("SELECT url, features FROM articles")}
    df: dict[str, int] = {}
    for f in feats.values():
        for t in f.terms:
            df[t] = df.get(t, 0) + 1

    def idf(t: str) -> float:
        return stories.idf_weight(df.get(t, 0), len(feats))

    same, other = [], []
    for (ua, fa), (ub, fb) in combinations(feats.items(), 2):
        ra, rb = event[ua], event[ub]
        if ra["_language"] == rb["_language"]:
            continue
        score = matching.cross_score(matching._tags(fa.terms, idf), matching._tags(fb.terms, idf), fa, fb)
        if ra["_event"] is not None and ra["_event"] == rb["_event"]:
            same.append(score)
        elif score > 0:
            other.append(score)
    return same, other


def _range(scores: list[float]) -> str:
    if not scores:
        return "none"
    return f"{min(scores):.2f}-{max(scores):.2f} ({len(scores)} pairs)"


if __name__ == "__main__":
    for name in sys.argv[1:] or ["calibration.jsonl", "confirmation.jsonl"]:
        path = Path(name) if Path(name).exists() else FIXTURES / name
        run(path)
