#!/usr/bin/env python3
"""Speed of the understanding stages (hashtags, wire origin, copies, stories, storing them) on
one core, for ~700-word articles made from BASIL texts, through the same `analyze` code that
`tagwire analyze` runs. Prints articles/s after the model is loaded (loading is reported apart).
Target: >= 55 articles/s on one core (issue 12).

    python bench/understand_speed.py [--articles 300] [--words 700]
"""

from __future__ import annotations

import argparse
import sys

from evalkit import analyze_on_one_core, basil_rows, need_shared


def articles(n: int, words: int) -> list[dict[str, object]]:
    rows = basil_rows()
    out = []
    for i in range(n):
        base = rows[i % len(rows)]
        text, k = str(base["text"]), 1
        while len(text.split()) < words:  # pad with the next articles' paragraphs
            text += "\n\n" + str(rows[(i + k) % len(rows)]["text"])
            k += 1
        out.append(
            {
                **base,
                "id": f"a{i}",
                "url": f"https://bench.example/{i}",
                "text": " ".join(text.split(" ")[:words]),
            }
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--words", type=int, default=700)
    args = ap.parse_args()
    need_shared()

    def warm_up() -> None:
        from tagwire.understand.hashtags import HashtagTagger
        from tagwire.understand.prepare import warm_up as worker_warm_up

        # what a worker loads before its first article: the language model, the name lexicon,
        # the language identifier, the places' tables (the analysis shares them: per process)
        worker_warm_up(HashtagTagger())

    n, seconds, loaded = analyze_on_one_core(articles(args.articles, args.words), warm_up, "tagwire-speed-")
    print(
        f"understanding on one core: {n} articles of {args.words} words in {seconds:.1f} s "
        f"= {n / seconds:.1f} articles/s "
        f"(model load {loaded:.1f} s, not counted)",
        file=sys.stdout,
    )


if __name__ == "__main__":
    main()
