#!/usr/bin/env python3
"""Article text on the 181 pages of the article-extraction benchmark (scrapinghub-aeb), through
`tagwire extract --jsonl`: word 4-gram P/R/F1 per page, averaged. Target F1 >= 0.965."""

import gzip
import json
import time

from evalkit import CORPORA, extract, need_shared, report, scratch, word_f1

need_shared()
root = CORPORA / "scrapinghub-aeb"
gold = json.loads((root / "ground-truth.json").read_text())
d = scratch("tagwire-eval-aeb-")
files = []
for key in gold:
    f = d / f"{key}.html"
    with gzip.open(root / "html" / f"{key}.html.gz") as packed:
        f.write_bytes(packed.read())
    files.append(f)
start = time.perf_counter()
rows = extract(files)
seconds = time.perf_counter() - start
scores = [word_f1(row.get("text") or "", gold[k]["articleBody"]) for row, k in zip(rows, gold, strict=True)]
p, r, f1 = (sum(s[i] for s in scores) / len(scores) for i in range(3))
report(
    "extraction",
    {"f1": f1},
    f"extraction: {len(rows)} pages P={p:.3f} R={r:.3f} F1={f1:.3f}; "
    f"{seconds:.1f} s ({1000 * seconds / len(rows):.0f} ms/page)",
)
