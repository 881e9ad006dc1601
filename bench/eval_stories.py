#!/usr/bin/env python3
"""Stories on BASIL (100 events, three outlets' own reports each) with WikiRef220 mixed in as
distractors, streamed in date order through `tagwire analyze`: B-cubed P/R/F1 on BASIL and the
number of stories that join articles of different events. Target F1 >= 0.97, 0 mixed."""

from evalkit import analyze, basil_rows, need_shared, report, story_figures, wikiref_rows

need_shared()
basil = basil_rows()
rows = sorted(basil + wikiref_rows(), key=lambda r: r["published"])
out, seconds = analyze(rows)
p, r, f1, mixed = story_figures(rows, basil, out)
report(
    "stories",
    {"f1": f1, "mixed": mixed},
    f"stories: BASIL B-cubed P={p:.3f} R={r:.3f} F1={f1:.3f}; stories mixing events: {mixed}; "
    f"{len(rows)} articles in {seconds:.1f} s ({len(rows) / seconds:.1f}/s, process start included)",
)
