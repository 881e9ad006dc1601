#!/usr/bin/env python3
"""Hashtags judged by an editor on news never tuned on: bench/data/hashtags_judged_*.json lists,
for real articles of ../shared (by file name, never their text), the key names and topics of
each and the further tags an editor would keep, written before looking at tagwire's output.
Prints the precision of the first 8 hashtags (the share an editor keeps) and the coverage (the
share of key names and topics among them); issue 12 asks for >= 0.90 and >= 0.80.

    python bench/eval_hashtags_judged.py [--show]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from evalkit import CORPORA, analyze, need_shared, report

DATA = Path(__file__).resolve().parent / "data"


def rows(judged: dict[str, Any]) -> list[dict[str, Any]]:
    """The judged articles as `tagwire analyze` rows: headline the first line, body the rest."""
    out = []
    for i, a in enumerate(judged["articles"]):
        path = CORPORA / judged["corpus"] / a["file"]
        lines = [ln.strip() for ln in path.read_text(errors="replace").splitlines() if ln.strip()]
        out.append(
            dict(
                id=f"j{i}",
                url=f"https://judged.example/{i}",
                outlet="Judged",
                title=lines[0][:200],
                text="\n\n".join(lines[1:]),
                published="2015-06-01T12:00:00Z",
                _judged=a,
            )
        )
    return out


def score(tags: list[str], judged: dict[str, Any]) -> tuple[int, int, int, int]:
    """(good tags, tags, key items covered, key items) for one article."""
    key = [{t.lower() for t in alts} for alts in judged["key"]]
    keep = {t.lower() for t in judged["keep"]} | set().union(*key)
    low = [t.lower() for t in tags]
    return sum(t in keep for t in low), len(low), sum(bool(k & set(low)) for k in key), len(key)


def main() -> None:
    need_shared()
    show = "--show" in sys.argv
    good = n = covered = keys = 0
    for f in sorted(DATA.glob("hashtags_judged_*.json")):
        judged = json.loads(f.read_text())
        rs = rows(judged)
        out, _ = analyze(rs)
        for r in rs:
            tags = list(out[r["id"]]["hashtags"][:8])
            g, t, c, k = score(tags, r["_judged"])
            good, n, covered, keys = good + g, n + t, covered + c, keys + k
            if show:
                bad = [x for x in tags if not score([x], r["_judged"])[0]]
                print(f"{r['_judged']['file']}: {' '.join(tags)}  | not kept: {' '.join(bad)}")
    report(
        "hashtags_judged",
        {"precision": good / n, "coverage": covered / keys},
        f"hashtags judged by an editor: first 8 good {good}/{n} = {good / n:.3f}; "
        f"key names and topics covered {covered}/{keys} = {covered / keys:.3f}",
    )


if __name__ == "__main__":
    main()
