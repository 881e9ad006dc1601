#!/usr/bin/env python3
"""Stories on BASIL (100 events, three outlets' own reports each) with WikiRef220 mixed in as
distractors, streamed in date order through `tagwire analyze`: B-cubed P/R/F1 on BASIL and the
number of stories that join articles of different events. Target F1 >= 0.97, 0 mixed."""

from evalkit import analyze, basil_rows, bcubed, need_shared, report, wikiref_rows

need_shared()
basil = basil_rows()
rows = sorted(basil + wikiref_rows(), key=lambda r: r["published"])
out, seconds = analyze(rows)
p, r, f1 = bcubed({x["id"]: out[x["id"]]["story"] for x in basil}, {x["id"]: x["_event"] for x in basil})
events: dict[object, set[str]] = {}
for x in rows:
    events.setdefault(out[x["id"]]["story"], set()).add(x["_event"] or "wikiref")
mixed = sum(1 for ev in events.values() if len(ev) > 1)
report(
    "stories",
    {"f1": f1, "mixed": mixed},
    f"stories: BASIL B-cubed P={p:.3f} R={r:.3f} F1={f1:.3f}; stories mixing events: {mixed}; "
    f"{len(rows)} articles in {seconds:.1f} s ({len(rows) / seconds:.1f}/s, process start included)",
)
