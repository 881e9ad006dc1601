#!/usr/bin/env python3
"""Writes the Reuters wire stories of 1987 that bench/data/hashtags_blind_reuters.json judges, as
text files, from Reuters-21578's first file (reut2-000.sgm, as the public repository
shaefeli/NLP_training keeps it at commit a417604): one file per story with a headline, a body
of 150 words or more (its dateline counted) and no table, named by the story's NEWID; the
headline first, then the dateline opening the first paragraph ("TOKYO, March 3 - ...") as on
the wire, then the paragraphs. The texts are Reuters' and stay outside the project, in $TAGWIRE_EXTRA_CORPORA
(default ../extra-corpora beside the checkout)/reuters21578/stories.

    python bench/extra_reuters21578.py PATH/TO/reut2-000.sgm
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from eval_hashtags_judged import EXTRA

MIN_WORDS = 150
_STORY = re.compile(r'<REUTERS[^>]*NEWID="(\d+)">(.*?)</REUTERS>', re.S)
_COLUMNS = re.compile(r"\S {4,}\S")  # a table's columns


def _field(name: str, raw: str) -> str | None:
    found = re.search(rf"<{name}>(.*?)</{name}>", raw, re.S)
    return html.unescape(found.group(1)) if found else None


def _paragraphs(body: str) -> list[str]:
    """The wire indents each paragraph's first line."""
    paras: list[str] = []
    lines: list[str] = []
    for line in body.splitlines():
        if line.startswith("    ") and lines:
            paras.append(" ".join(lines))
            lines = []
        if line.strip():
            lines.append(line.strip())
    return [*paras, " ".join(lines)] if lines else paras


def stories(sgm: str) -> Iterator[tuple[str, str]]:
    """(NEWID, text file's content) of each story kept."""
    for newid, raw in _STORY.findall(sgm):
        title, body, dateline = _field("TITLE", raw), _field("BODY", raw), _field("DATELINE", raw)
        if title is None or body is None:
            continue
        body = body.replace("\x03", "").strip()
        if _COLUMNS.search(body):
            continue
        if dateline:
            body = " ".join(dateline.split()).rstrip(" -") + " - " + body
        lines = [line for line in body.splitlines() if line.strip()]
        if len(body.split()) < MIN_WORDS or sum(" vs " in line for line in lines) > len(lines) / 10:
            continue  # short, or a results table ("Shr 10 cts vs 5 cts")
        yield newid, title.strip() + "\n\n" + "\n\n".join(_paragraphs(body)) + "\n"


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = EXTRA / "reuters21578" / "stories"
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for newid, text in stories(Path(sys.argv[1]).read_text(errors="replace")):
        (out / f"{newid}.txt").write_text(text)
        n += 1
    print(f"{n} stories written to {out}")


if __name__ == "__main__":
    main()
