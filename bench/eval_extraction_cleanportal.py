#!/usr/bin/env python3
"""Article text on CleanPortalEval (Endrédy and Novák, Polibits 48, 2013): 71 pages of news
and blog portals of 2013 (bbc.co.uk news, tv.msnbc.com, two washingtonpost.com blogs,
blogs.wsj.com), the main text marked by hand in the CleanEval format. The gold is that text
without its <p>, <h> and <l> marks (headline included, as CleanEval keeps it).

The corpus is not in the project (research data, no licence stated; cite the paper). Get it from
https://github.com/ppke-nlpg/CleanPortalEval (input/ and GoldStandard/; the same files are in
the CleanPortalEval-master folder of https://github.com/j-szulc/html-cleaning-dataset-merged)
and pass that folder, or set TAGWIRE_CLEANPORTAL:

    .venv/bin/python bench/eval_extraction_cleanportal.py /work/scratch/extract-data/cleanportal [--baselines]
"""

import html
import re

from eval_extraction_kit import Page, body_holds_gold, corpus_path, evaluate

_MARK = re.compile(r"<[phl]>")


def gold_text(raw: str) -> str:
    """The text of a CleanEval gold file: its "URL:" line dropped, block marks removed."""
    lines = raw.strip().splitlines()
    if lines and lines[0].startswith("URL:"):
        lines = lines[1:]
    return html.unescape(_MARK.sub("\n", "\n".join(lines)))


root = corpus_path("TAGWIRE_CLEANPORTAL", "https://github.com/ppke-nlpg/CleanPortalEval")
pages: list[Page] = []
for f in sorted((root / "input").glob("*.html")):
    gold = root / "GoldStandard" / f"{f.stem}.txt"
    if gold.exists():
        pages.append((f.stem, f.read_bytes(), gold_text(gold.read_text(encoding="utf-8", errors="replace"))))
kept = [p for p in pages if body_holds_gold(p[1], p[2])]
evaluate("CleanPortalEval", kept, len(pages) - len(kept))
