#!/usr/bin/env python3
"""Pairs of reports, each pair alone in its month: do its two reports make one story?

Graded article pairs (two reports, "same story" or not) are judged one pair at a time: nothing
else of their event is in the store, and the other pair nearest in time is a month away. This
bench builds such pairs from BASIL (100 events, three outlets' own reports each): 40 events give
a pair of their own reports (same story); the 220 reports left are paired across events, most
similar first (TF-IDF cosine of the texts: different stories, and the hardest ones, the same
kind of event and often the same people), no report in two pairs. Every pair gets a month of
its own, its two reports on one day (the hardest case: BASIL's different-event pairs are
mostly weeks apart in fact), all pairs go through one `tagwire analyze`, and a pair is "same
story" when both reports got one story. Prints same-story precision and recall (about one pair
in four is a same-story pair, as in graded sets).

With --reuters, the second pair set instead: Reuters reports of 1996 (the CoNLL-2003 documents
of ../shared/corpora/conllpp), paired by hand in bench/data/story_pairs_reuters.json (the team's
judgements and document ids only: {"pairs": [{"a": "train284", "b": "train301", "same": true},
...]}, ids being the split and the document's index in it; --labels FILE for another such file).
Each pair keeps its two reports' real dates, moved by five weeks a pair (weekdays stay right).

With --reuters87, the third: Reuters wire stories of 1987, paired by hand in
bench/data/story_pairs_reuters87.json (ids, dates and judgements only); their texts stay outside
the project ($TAGWIRE_EXTRA_CORPORA, written by bench/extra_reuters21578.py), so the figures are
printed for confirmation and pinned by no floor; exits 2 when the texts are absent.

    .venv/bin/python bench/eval_pairs.py [--positives 40] [--reuters | --reuters87 | --labels FILE]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

from eval_hashtags_conll import detok
from eval_hashtags_judged import EXTRA
from evalkit import CORPORA, analyze, basil_rows, need_shared, report

Vector = dict[str, float]
_WORD = re.compile(r"[a-z]{3,}")


def vectors(rows: list[dict[str, Any]]) -> dict[str, Vector]:
    """Unit TF-IDF vectors of each report's headline and text."""
    counts = {r["id"]: Counter(_WORD.findall((r["title"] + " " + r["text"]).lower())) for r in rows}
    df = Counter(w for c in counts.values() for w in c)
    n = len(rows)
    out = {}
    for i, c in counts.items():
        v = {w: (1 + math.log(k)) * math.log(n / df[w]) for w, k in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out[i] = {w: x / norm for w, x in v.items()}
    return out


def cosine(a: Vector, b: Vector) -> float:
    small, big = (a, b) if len(a) < len(b) else (b, a)
    return sum(x * big.get(w, 0.0) for w, x in small.items())


def build_pairs(rows: list[dict[str, Any]], positives: int) -> list[tuple[str, str, bool]]:
    """(id, id, same story): the first two reports of `positives` events, then, among all the
    reports left, the most similar two of different events, again and again (the hardest
    different-event pairs first). No report is in two pairs: the same text twice in the store
    would be a copy, which joins its original's story whatever the month."""
    vec = vectors(rows)
    events: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        events[r["_event"]].append(r["id"])
    out: list[tuple[str, str, bool]] = []
    pool: list[str] = []
    for k, (_, ids) in enumerate(sorted(events.items())):
        ids = sorted(ids)
        if k < positives and len(ids) >= 2:
            out.append((ids[0], ids[1], True))
            ids = ids[2:]
        pool += ids
    event = {r["id"]: r["_event"] for r in rows}
    ranked = sorted(
        ((cosine(vec[i], vec[j]), i, j) for i, j in combinations(pool, 2) if event[i] != event[j]),
        reverse=True,
    )
    used: set[str] = set()
    for _, i, j in ranked:
        if i not in used and j not in used:
            used |= {i, j}
            out.append((i, j, False))
    return out


def isolated(rows: list[dict[str, Any]], pairs: list[tuple[str, str, bool]]) -> list[dict[str, Any]]:
    """The pairs' reports, each pair on a day of its own month, with ids of their own (a report
    may be in several pairs)."""
    by_id = {r["id"]: r for r in rows}
    start = datetime(1990, 1, 15, 12, tzinfo=UTC)
    out = []
    for k, (a, b, _) in enumerate(pairs):
        day = (start + timedelta(days=31 * k)).isoformat().replace("+00:00", "Z")
        for side, i in (("a", a), ("b", b)):
            r = by_id[i]
            out.append({**r, "id": f"p{k}{side}", "url": f"{r['url']}#p{k}", "published": day})
    return out


_DATELINE = re.compile(r"(.*?)\s*(\d{4}-\d\d-\d\d)\Z")


def reuters_documents() -> dict[str, dict[str, Any]]:
    """The CoNLL-2003 documents as articles by id ("train284": split and index): the headline,
    the dateline opening the first paragraph ("KIGALI - ..."), a sentence a paragraph, and the
    dateline's date (at noon, UTC) as "published"."""
    out = {}
    for split in ("train", "dev", "test"):
        path = CORPORA / "conllpp" / "data" / f"conllpp_{split}.txt"
        docs: list[list[str]] = []
        sentence: list[str] = []
        for line in [*path.read_text().splitlines(), ""]:
            word = line.split()[0] if line.strip() else ""
            if word == "-DOCSTART-" or not word:
                if sentence:
                    docs[-1].append(detok(sentence))
                sentence = []
                if word:
                    docs.append([])
            else:
                sentence.append(word)
        for n, sentences in enumerate(docs):
            row = _reuters_article(f"{split}{n}", sentences)
            if row is not None:
                out[row["id"]] = row
    return out


def _reuters_article(ident: str, sentences: list[str]) -> dict[str, Any] | None:
    at = next((k for k, s in enumerate(sentences[:4]) if _DATELINE.match(s)), None)
    if at is None or at + 1 >= len(sentences):
        return None
    place, day = _DATELINE.match(sentences[at]).groups()  # type: ignore[union-attr]
    paragraphs = [f"{place} - {sentences[at + 1]}", *sentences[at + 2 :]]
    return dict(
        id=ident,
        url=f"https://reuters.example/{ident}",
        outlet="Reuters",
        title=sentences[0],
        text="\n\n".join(paragraphs),
        published=f"{day}T12:00:00Z",
    )


def labelled(path: str) -> tuple[list[dict[str, Any]], list[tuple[str, str, bool]]]:
    """The hand-paired Reuters reports: rows (pair k's moved 35 k days on, ids p{k}a, p{k}b)
    and the pairs (ids, same story)."""
    pairs = [(p["a"], p["b"], bool(p["same"])) for p in json.loads(Path(path).read_text())["pairs"]]
    return in_their_months(pairs, reuters_documents()), pairs


def in_their_months(
    pairs: list[tuple[str, str, bool]], docs: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The pairs' reports as rows: pair k's two reports (ids p{k}a, p{k}b) at their own times
    moved 35 k days on, so that each pair has a month of its own."""
    rows = []
    for k, (a, b, _) in enumerate(pairs):
        for side, i in (("a", a), ("b", b)):
            r = docs[i]
            day = datetime.fromisoformat(r["published"].replace("Z", "+00:00")) + timedelta(days=35 * k)
            published = day.isoformat().replace("+00:00", "Z")
            rows.append({**r, "id": f"p{k}{side}", "url": f"{r['url']}#p{k}", "published": published})
    return rows


NEAR_COPY = 0.8  # TF-IDF cosine from which two stories are one text reissued


def analyze_apart(
    rows: list[dict[str, Any]], pairs: list[tuple[str, str, bool]]
) -> tuple[dict[str, dict[str, Any]], float]:
    """`analyze` over the pairs' rows (ids p{k}a, p{k}b) in as few runs as keep each story, and
    each story's reissues (NEAR_COPY), to one pair a run: a text met again in one store is a copy,
    which would join its pair to another month's."""
    vec = vectors(rows)
    runs: list[list[int]] = []
    for k in range(len(pairs)):
        mine = (f"p{k}a", f"p{k}b")
        free = (
            run
            for run in runs
            if all(cosine(vec[i], vec[f"p{j}{side}"]) < NEAR_COPY for j in run for side in "ab" for i in mine)
        )
        run = next(free, None)
        if run is None:
            runs.append(run := [])
        run.append(k)
    by_id = {r["id"]: r for r in rows}
    out: dict[str, dict[str, Any]] = {}
    seconds = 0.0
    for n, run in enumerate(runs):
        found, took = analyze([by_id[f"p{k}{side}"] for k in run for side in "ab"])
        out.update({i: {**r, "story": (n, r["story"])} for i, r in found.items()})
        seconds += took
    return out, seconds


def labelled_1987(path: Path) -> tuple[list[dict[str, Any]], list[tuple[str, str, bool]]]:
    """The hand-paired Reuters stories of 1987, read from the extra corpora (exits 2 when they
    are absent): rows as `labelled` makes them (`in_their_months`)."""
    stories = EXTRA / "reuters21578" / "stories"
    if not stories.is_dir():
        print(f"skipped: {stories} is absent (bench/extra_reuters21578.py writes it)", file=sys.stderr)
        sys.exit(2)
    listed = json.loads(path.read_text())["pairs"]
    docs = {}
    for p in listed:
        for side in ("a", "b"):
            text = (stories / f"{p[side]}.txt").read_text()
            lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
            docs[p[side]] = dict(
                id=p[side],
                url=f"https://reuters.example/1987/{p[side]}",
                outlet="Reuters",
                title=lines[0],
                text="\n\n".join(lines[1:]),
                published=p[f"{side}_published"],
            )
    pairs = [(p["a"], p["b"], bool(p["same"])) for p in listed]
    return in_their_months(pairs, docs), pairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--positives", type=int, default=40, help="events that give a same-story pair")
    ap.add_argument("--reuters", action="store_true", help="the hand-paired Reuters reports of bench/data")
    ap.add_argument("--labels", help="another file of hand-paired CoNLL-2003 documents")
    ap.add_argument(
        "--reuters87", action="store_true", help="the hand-paired Reuters stories of 1987 (texts outside)"
    )
    args = ap.parse_args()
    need_shared()
    if args.reuters:
        args.labels = str(Path(__file__).parent / "data" / "story_pairs_reuters.json")
    if args.reuters87:
        rows, pairs = labelled_1987(Path(__file__).parent / "data" / "story_pairs_reuters87.json")
        name, corpus = "pairs_reuters87", "Reuters 1987, paired by hand"
    elif args.labels:
        if not os.path.exists(args.labels):
            print(f"skipped: {args.labels} is absent", file=sys.stderr)
            sys.exit(2)
        rows, pairs = labelled(args.labels)
        name, corpus = "pairs_reuters", "Reuters 1996, paired by hand"
    else:
        basil = basil_rows()
        pairs = build_pairs(basil, args.positives)
        rows, name, corpus = isolated(basil, pairs), "pairs", "BASIL"
    out, seconds = analyze_apart(rows, pairs)
    said = [out[f"p{k}a"]["story"] == out[f"p{k}b"]["story"] for k in range(len(pairs))]
    tp = sum(s and same for s, (_, _, same) in zip(said, pairs, strict=True))
    fp = sum(s and not same for s, (_, _, same) in zip(said, pairs, strict=True))
    positives = sum(same for _, _, same in pairs)
    p, r = tp / max(1, tp + fp), tp / max(1, positives)
    report(
        name,
        {"precision": p, "recall": r},
        f"pairs alone in their month ({corpus}): same-story P={p:.3f} R={r:.3f} "
        f"({tp} right, {fp} of {len(pairs) - positives} different-event pairs merged, "
        f"{positives - tp} same-event pairs apart); {len(pairs)} pairs in {seconds:.1f} s",
    )


if __name__ == "__main__":
    main()
