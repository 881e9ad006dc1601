#!/usr/bin/env python3
"""Look-alike events side by side: BASIL (100 events, three outlets' own reports each) and
WikiRef220 as in eval_stories.py, but every article published on one day, so that events of one
kind (two immigration rulings, two shootings) are candidates of each other, through `tagwire
analyze`: B-cubed P/R/F1 on BASIL and the stories that mix events. Before issue 12: P 0.863."""

from evalkit import analyze, basil_rows, need_shared, report, story_figures, wikiref_rows

need_shared()
basil = basil_rows()
rows = sorted(basil + wikiref_rows(), key=lambda r: r["id"])
for r in rows:
    r["published"] = "2016-06-01T12:00:00Z"
out, seconds = analyze(rows)
p, r, f1, mixed = story_figures(rows, basil, out)
report(
    "lookalike",
    {"precision": p, "f1": f1, "mixed": mixed},
    f"look-alikes (BASIL on one day): B-cubed P={p:.3f} R={r:.3f} F1={f1:.3f}; stories mixing events: "
    f"{mixed}; {len(rows)} articles in {seconds:.1f} s",
)
