#!/usr/bin/env python3
"""Look-alike events side by side: BASIL (100 events, three outlets' own reports each) and
WikiRef220 as in eval_stories.py, but every article published on one day, so that events of one
kind (two immigration rulings, two shootings) are candidates of each other, through `tagwire
analyze`: B-cubed P/R/F1 on BASIL and the stories that mix events. Before issue 12: P 0.863."""

from evalkit import analyze, basil_rows, bcubed, need_shared, report, wikiref_rows

need_shared()
basil = basil_rows()
rows = sorted(basil + wikiref_rows(), key=lambda r: r["id"])
for r in rows:
    r["published"] = "2016-06-01T12:00:00Z"
out, seconds = analyze(rows)
p, r, f1 = bcubed({x["id"]: out[x["id"]]["story"] for x in basil}, {x["id"]: x["_event"] for x in basil})
events: dict[object, set[str]] = {}
for x in rows:
    events.setdefault(out[x["id"]]["story"], set()).add(x["_event"] or "wikiref")
mixed = sum(1 for ev in events.values() if len(ev) > 1)
report(
    "lookalike",
    {"precision": p, "f1": f1, "mixed": mixed},
    f"look-alikes (BASIL on one day): B-cubed P={p:.3f} R={r:.3f} F1={f1:.3f}; stories mixing events: "
    f"{mixed}; {len(rows)} articles in {seconds:.1f} s",
)
