#!/usr/bin/env python3
"""Article text on the Dragnet data (Peters and Lecocq, WWW 2013; Moz): 1,381 pages of news
sites and blogs collected in 2012 with their article text corrected by hand. The gold is the
text before the comments mark.

The corpus is not in the project (AGPL data). Get it from https://github.com/seomoz/dragnet_data
(HTML/ and Corrected/ after untarring) or its mirror in
https://github.com/j-szulc/html-cleaning-dataset-merged (dragnet_data/input/ and GoldStandard/),
and pass that folder, or set TAGWIRE_DRAGNET:

    .venv/bin/python bench/eval_extraction_dragnet.py /work/scratch/extract-data/dragnet_data [--baselines]
"""

from pathlib import Path

from eval_extraction_kit import Page, body_holds_gold, corpus_path, evaluate

_COMMENTS = "!@#$%^&*()  COMMENTS"


def _gold(html: Path, root: Path) -> Path | None:
    official = root / "Corrected" / f"{html.name}.corrected.txt"
    for gold in (official, root / "GoldStandard" / f"{html.stem}.txt"):
        if gold.exists():
            return gold
    return None


root = corpus_path("TAGWIRE_DRAGNET", "https://github.com/seomoz/dragnet_data")
pages: list[Page] = []
for folder in (root / "HTML", root / "input"):
    for f in sorted(folder.glob("*.html")):
        gold = _gold(f, root)
        if gold is not None:
            text = gold.read_text(encoding="utf-8", errors="replace").split(_COMMENTS)[0]
            pages.append((f.stem, f.read_bytes(), text))
kept = [p for p in pages if body_holds_gold(p[1], p[2])]
evaluate("Dragnet", kept, len(pages) - len(kept))
