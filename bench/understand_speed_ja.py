#!/usr/bin/env python3
"""Speed of understanding Japanese articles on one core (SudachiPy's words and names, hashtags
matched with known names, copies over words, stories), through the same `analyze` code that
`tagwire analyze` runs. Articles of about `--chars` characters are put together from the
sentences of the project's own Japanese fixtures (tests/fixtures/multilingual), each a different
choice and order of sentences: far more alike than real articles are (a few dozen sentences in
all), so copies' checks of candidates cost more here than they would in a real wire. Prints
articles/s after the dictionary is loaded.

    python bench/understand_speed_ja.py [--articles 300] [--chars 1400]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from evalkit import analyze_on_one_core

FIXTURES = Path(__file__).resolve().parent.parent / "tests/fixtures/multilingual"


def paragraphs() -> list[str]:
    found = []
    for path in sorted(FIXTURES.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["_language"] == "ja":
                found += [s + "。" for s in row["text"].replace("\n", "").split("。") if s.strip()]
    return found


def articles(n: int, chars: int) -> list[dict[str, object]]:
    pool, rng, out = paragraphs(), random.Random(20250531), []
    for i in range(n):
        text = ""
        while len(text) < chars:
            text += rng.choice(pool) + ("\n\n" if rng.random() < 0.3 else "")
        out.append(
            {
                "id": f"j{i}",
                "url": f"https://bench.example/ja/{i}",
                "outlet": "ベンチ新聞",
                "title": text.split("。")[0][:40],
                "text": text.strip(),
                "published": f"2025-05-{1 + i % 28:02d}T{i % 24:02d}:00:00Z",
            }
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--chars", type=int, default=1400)
    args = ap.parse_args()

    def warm_up() -> None:
        from tagwire.understand.hashtags import HashtagTagger
        from tagwire.understand.languages import japanese

        HashtagTagger().tag("Warm up", "The model loads on first use.")
        japanese.tokens("辞書を読み込む。")

    rows = articles(args.articles, args.chars)
    n, seconds, loaded = analyze_on_one_core(rows, warm_up, "tagwire-speed-ja-")
    print(
        f"understanding Japanese on one core: {n} articles of ~{args.chars} characters in {seconds:.1f} s "
        f"= {n / seconds:.1f} articles/s (models load {loaded:.1f} s, not counted)"
    )
    print(
        "preparing alone (words, names, signature, features; no store, no decisions): "
        f"{_preparing(rows):.1f} articles/s"
    )


def _preparing(rows: list[dict[str, object]]) -> float:
    """Articles/s of prepare_many alone (no store, no copy or story decisions)."""
    from datetime import datetime

    from tagwire.understand.hashtags import HashtagTagger
    from tagwire.understand.prepare import Input, prepare_many

    items = [
        Input(str(r["title"]), str(r["text"]), str(r["outlet"]), datetime.fromisoformat(str(r["published"])))
        for r in rows
    ]
    start = time.perf_counter()
    prepare_many(items, HashtagTagger())
    return len(items) / (time.perf_counter() - start)


if __name__ == "__main__":
    main()
