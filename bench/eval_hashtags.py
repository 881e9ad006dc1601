#!/usr/bin/env python3
"""Hashtags on BASIL: the share of each article's annotated main entities among its first 8
hashtags (a hashtag matches an entity when it is the entity in CamelCase or contains its last
name). Target 0.90; spaCy small with plain frequency ranking gives 0.77."""

from evalkit import analyze, basil_rows, camel, need_shared, report

need_shared()
rows = basil_rows()
out, seconds = analyze(rows)
hit = total = 0
for r in rows:
    tags = [t.lower() for t in out[r["id"]]["hashtags"][:8]]
    for e in r["_entities"]:
        total += 1
        last = camel(e.split()[-1]).lower() if e.split() else ""
        hit += any(camel(e).lower() == t or (last and last in t) for t in tags)
report(
    "hashtags",
    {"share": hit / total},
    f"hashtags: BASIL main entities in the first 8 hashtags: {hit}/{total} = {hit / total:.3f}; "
    f"{len(rows)} articles in {seconds:.1f} s",
)
