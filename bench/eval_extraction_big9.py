#!/usr/bin/env python3
"""Article text on the extraction sets of Utomo and Leu ("Subject-Assisted Extraction"): Big9,
360 news pages of nine news sites (Ars Technica, BBC, CNN, Forbes, Fox News, LA Times, NY Mag,
NY Post, Yahoo News) saved in 2005, 2009, 2013 and 2017, and Chaos, 360 pages of about 240 sites
that Google returned for 36 queries in 2017; the article text of each written down by people.
The gold keeps the headline. Figures are given for each set and for both together.

The corpus is not in the project (research use only; cite the authors). Get it from
https://github.com/MSVCode/ir-research-data (folder Extraction/, with big5-05, big5-09, big5-13,
big5-17 and chaos-all, each holding html/ and gold/) and pass that Extraction folder, or set
TAGWIRE_BIG9:

    .venv/bin/python bench/eval_extraction_big9.py /work/scratch/extract-data/Extraction [--baselines]
"""

from pathlib import Path

from eval_extraction_kit import Page, body_holds_gold, corpus_path, evaluate

SETS = {"Big9": ("big5-05", "big5-09", "big5-13", "big5-17"), "Chaos": ("chaos-all",)}


def _pages(root: Path, folder: str) -> list[Page]:
    pages: list[Page] = []
    for i, f in enumerate(sorted((root / folder / "html").glob("*.htm*"))):
        gold = root / folder / "gold" / f"{f.stem}.txt"
        if gold.exists():
            text = gold.read_text(encoding="utf-8", errors="replace")
            pages.append((f"{folder}-{i:03d}", f.read_bytes(), text))
    return pages


root = corpus_path("TAGWIRE_BIG9", "https://github.com/MSVCode/ir-research-data")
both: dict[str, list[float]] = {}
for name, folders in SETS.items():
    pages = [p for folder in folders for p in _pages(root, folder)]
    kept = [p for p in pages if body_holds_gold(p[1], p[2])]
    for label, f1 in evaluate(name, kept, len(pages) - len(kept)).items():
        both.setdefault(label, []).extend([f1] * len(kept))
print("Big9 and Chaos together (per page, averaged):")
for label, f1s in both.items():
    print(f"  {label:28} F1={sum(f1s) / len(f1s):.4f}")
