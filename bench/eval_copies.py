#!/usr/bin/env python3
"""Syndicated copies and wire origin in a newsworld world (seed 7, 60 outlets, 400 synthetic
stories), each article with its page HTML, through `tagwire analyze` in publication order:
pairwise P/R of copy groups, independent reports of one event wrongly joined as copies, wire
origin accuracy. Targets P >= 0.99, R >= 0.98, 0 wrong, wire >= 0.98."""

import json
import subprocess
import sys

from evalkit import NEWSWORLD, analyze, groups_by_links, need_shared, newsworld_page, pairs, report, scratch

need_shared()
d = scratch("tagwire-eval-nw-")
build = [
    sys.executable,
    str(NEWSWORLD),
    "build",
    str(d),
    "--outlets",
    "60",
    "--seed",
    "7",
    "--synthetic",
    "400",
]
subprocess.run(build, check=True, capture_output=True)
truth = [json.loads(line) for line in (d / "truth.jsonl").read_text().splitlines()]
rows = []
for i, t in enumerate(truth):
    page = (d / "site" / t["url"].split("?")[0]).read_text().replace("{{BASE}}", "https://newsworld.example")
    ld, text = newsworld_page(page)
    rows.append(
        dict(
            id=f"n{i}",
            url="https://newsworld.example/" + t["url"],
            outlet=t["outlet"],
            title=ld["headline"],
            text=text,
            published=ld["datePublished"],
            html=page,
        )
    )
rows.sort(key=lambda r: r["published"])
out, seconds = analyze(rows)
ids = [f"n{i}" for i in range(len(truth))]
pred = pairs(groups_by_links(ids, {i: out[i]["copy_of"] for i in ids}))
gold = pairs({f"n{i}": t["article"] for i, t in enumerate(truth)})
story = {f"n{i}": t["story"] for i, t in enumerate(truth)}
tp = len(pred & gold)
precision, recall = (tp / len(pred) if pred else 0.0), (tp / len(gold) if gold else 1.0)
wrong = sum(1 for p in pred - gold if len({story[x] for x in p}) == 1)
wire = sum(
    (out[f"n{i}"]["wire_origin"] or "").lower() == (t["wire"] or "").lower() for i, t in enumerate(truth)
) / len(truth)
report(
    "copies",
    {"precision": precision, "recall": recall, "wrong": wrong, "wire": wire},
    f"copies: pairwise P={precision:.3f} R={recall:.3f} over {len(gold)} gold pairs; "
    f"independent reports as copies: {wrong}; wire origin accuracy {wire:.3f}; "
    f"{len(rows)} articles in {seconds:.1f} s ({len(rows) / seconds:.1f}/s)",
)
