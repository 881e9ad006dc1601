#!/usr/bin/env python3
"""Copies under heavy editing. A newsworld world (../shared/newsworld, seed 7, 60 outlets, 400
synthetic stories, as eval_copies.py builds it) with every syndicated copy edited harder than
newsworld edits it, deterministically (a generator seeded by the copy's URL): the headline
rewritten, the dateline and credit line removed, paragraphs split, merged and reordered, a
local paragraph of the carrier's own inserted, common words swapped. Then, on the world as
built ("plain") and as edited ("edited"): copies pairwise P/R and independent reports of one
event taken for copies ("wrong"), for `tagwire analyze` and for a plain MinHash baseline
(datasketch, word 3-shingles, LSH at Jaccard 0.3, the best earlier candidate from 0.3), and
how much of its original's word 3-grams an edited copy keeps.

`--profile harder` edits harder still, another way (to confirm what was chosen on the first):
sentences also cut in two at a comma and shuffled within their paragraph, a paragraph from the
middle dropped, three local paragraphs instead of two.

    .venv/bin/python bench/editing.py [--seed 7] [--outlets 60] [--synthetic 400] [--profile hard|harder]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evalkit import analyze, groups_by_links, need_shared, newsworld_rows, pairs

Row = dict[str, Any]

SWAPS = [
    ("said", "stated"), ("people", "residents"), ("about", "around"), ("after", "following"),
    ("more than", "over"), ("also", "as well"), ("but", "however"), ("because", "as"),
    ("officials", "authorities"), ("government", "administration"), ("new", "fresh"),
    ("told", "informed"), ("many", "numerous"), ("before", "prior to"), ("help", "assist"),
    ("show", "indicate"), ("big", "large"), ("start", "begin"), ("need", "require"), ("week", "seven days"),
    ("and", "as well as"), ("in", "within"), ("on", "upon"), ("was", "had been"), ("were", "had been"),
    ("will", "is to"), ("has", "had"), ("that", "which"), ("for", "toward"), ("with", "alongside"),
    ("by", "through"), ("at", "in"), ("from", "out of"), ("is", "remains"), ("are", "remain"),
]  # fmt: skip
SWAP_SHARE = 0.9  # of the occurrences of a swapped word
LOCAL = [
    "Readers in our area can follow updates on this story on our website and in tomorrow's print edition.",
    "Local leaders contacted by this newspaper on Monday said they were watching the situation closely and "
    "would brief residents at the next council meeting.",
    "This report was prepared with additional material from our newsroom; our regional desk will add local "
    "reaction as it comes in.",
]
HEADLINE_STARTS = ["What we know:", "Explainer:", "Update:", "In brief:", "Latest:"]
_SENTENCE = re.compile(r"(?<=[a-z0-9][.!?])\s+(?=[A-Z])")
_DATELINE = re.compile(r"^\(?[A-Z][\w. ]{1,20}\)?\s*--\s*")
_CREDIT = re.compile(r"^©\s*\S+")


def world(out: Path, seed: int, outlets: int, synthetic: int) -> list[Row]:
    """The world's listed articles (relistings left out) in publication order, with answers."""
    return newsworld_rows(out, outlets, seed, synthetic, relistings=False, with_html=False)


def heavy(row: Row, profile: str = "hard") -> Row:
    """A copy as an outlet edits it hard (or `harder`); an original as it is."""
    if not row["_copy"]:
        return row
    rng = random.Random(row["url"])
    paras = [p for p in row["text"].split("\n\n") if p.strip()]
    paras = [_DATELINE.sub("", p) for p in paras if not _CREDIT.match(p.strip())]
    paras = [p for p in paras if not p.startswith("File photo shows")]
    if profile == "harder":
        paras = [_cut_and_shuffle(rng, p) for p in paras]
    paras = _split(rng, paras)
    paras = _merge(rng, paras)
    paras = _reorder(rng, paras)
    if len(paras) > 4:  # the ending trimmed
        paras = paras[:-1]
    if profile == "harder" and len(paras) > 5:  # a paragraph from the middle dropped
        del paras[rng.randint(2, len(paras) - 2)]
    for local in rng.sample(LOCAL, 3 if profile == "harder" else 2):
        paras.insert(rng.randint(1, max(1, len(paras))), local)
    text = _swapped(rng, "\n\n".join(paras))
    words = re.findall(r"[\w'-]+", paras[min(1, len(paras) - 1)])[:9]
    title = f"{rng.choice(HEADLINE_STARTS)} {' '.join(words)}"
    return row | {"title": title, "text": text}


def _split(rng: random.Random, paras: list[str]) -> list[str]:
    out = []
    for p in paras:
        parts = _SENTENCE.split(p)
        if len(parts) > 1 and rng.random() < 0.5:
            cut = rng.randint(1, len(parts) - 1)
            out += [" ".join(parts[:cut]), " ".join(parts[cut:])]
        else:
            out.append(p)
    return out


def _cut_and_shuffle(rng: random.Random, para: str) -> str:
    """A paragraph's sentences, a long one cut in two at a comma, in another order (the first
    kept first)."""
    out = []
    for s in _SENTENCE.split(para):
        head, comma, tail = s.partition(", ")
        if comma and len(head.split()) > 5 and len(tail.split()) > 5 and rng.random() < 0.5:
            out += [head + ".", tail[:1].upper() + tail[1:]]
        else:
            out.append(s)
    rest = out[1:]
    rng.shuffle(rest)
    return " ".join(out[:1] + rest)


def _merge(rng: random.Random, paras: list[str]) -> list[str]:
    out: list[str] = []
    for p in paras:
        if out and rng.random() < 0.3:
            out[-1] += " " + p
        else:
            out.append(p)
    return out


def _reorder(rng: random.Random, paras: list[str]) -> list[str]:
    """The lead stays first; two paragraphs after it swap, and a block moves to the end."""
    if len(paras) > 3:
        i, j = rng.sample(range(1, len(paras)), 2)
        paras[i], paras[j] = paras[j], paras[i]
        k = rng.randint(1, len(paras) - 2)
        paras = paras[:k] + paras[k + 1 :] + [paras[k]]
    return paras


def _swapped(rng: random.Random, text: str) -> str:
    """Each word of SWAPS replaced at SWAP_SHARE of its occurrences (chosen by `rng`)."""
    for a, b in SWAPS:
        for old, new in ((a, b), (a.capitalize(), b.capitalize())):
            text = re.sub(
                rf"\b{old}\b", lambda m, new=new: new if rng.random() < SWAP_SHARE else m.group(0), text
            )
    return text


def figures(rows: list[Row], link: dict[str, str | None]) -> tuple[float, float, int]:
    """Pairwise P/R of the copy groups that `link` makes, and same-story non-copies linked."""
    ids = [r["id"] for r in rows]
    pred = pairs(groups_by_links(ids, link))
    gold = pairs({r["id"]: r["_article"] for r in rows})
    story = {r["id"]: r["_story"] for r in rows}
    tp = len(pred & gold)
    wrong = sum(1 for p in pred - gold if len({story[x] for x in p}) == 1)
    return (tp / len(pred) if pred else 0.0), (tp / len(gold) if gold else 1.0), wrong


def trigrams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def kept(rows: list[Row], edited: list[Row]) -> list[float]:
    """For each edited copy, the share of its original's word 3-grams it still has."""
    original = {r["_article"]: r["text"] for r in rows if not r["_copy"]}
    shares = []
    for r in edited:
        if r["_copy"] and r["_article"] in original:
            a, b = trigrams(original[r["_article"]]), trigrams(r["text"])
            shares.append(len(a & b) / len(a | b) if a | b else 1.0)
    return shares


def minhash_links(rows: list[Row], threshold: float = 0.3) -> dict[str, str | None] | None:
    """The baseline: datasketch MinHash of word 3-shingles; each article linked to the earlier
    LSH candidate of highest estimated Jaccard, from `threshold`. None without datasketch."""
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        return None
    lsh, hashes, link = MinHashLSH(threshold=threshold, num_perm=128), {}, {}
    for r in rows:
        m = MinHash(num_perm=128, seed=1)
        m.update_batch([" ".join(g).encode() for g in trigrams(r["text"])])
        scored = [(hashes[c].jaccard(m), c) for c in lsh.query(m)]
        best = max((s for s in scored if s[0] >= threshold), default=None)
        link[r["id"]] = best[1] if best else None
        lsh.insert(r["id"], m)
        hashes[r["id"]] = m
    return link


def tagwire_links(rows: list[Row]) -> tuple[dict[str, str | None], float]:
    out, seconds = analyze(rows)
    return {i: d["copy_of"] for i, d in out.items()}, seconds


def line(name: str, rows: list[Row], find: Callable[[list[Row]], dict[str, str | None] | None]) -> str:
    link = find(rows)
    if link is None:
        return f"  {name:<22} datasketch is not installed: no baseline"
    p, r, wrong = figures(rows, link)
    return f"  {name:<22} P={p:.3f} R={r:.3f} independent reports as copies: {wrong}"


def main() -> None:
    need_shared()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--outlets", type=int, default=60)
    ap.add_argument("--synthetic", type=int, default=400)
    ap.add_argument("--profile", choices=("hard", "harder"), default="hard")
    ap.add_argument("--no-tagwire", action="store_true", help="the baseline and the edits only")
    args = ap.parse_args()
    rows = world(Path(tempfile.mkdtemp(prefix="tagwire-editing-")), args.seed, args.outlets, args.synthetic)
    edited = [heavy(r, args.profile) for r in rows]
    shares = kept(rows, edited)
    median, tenth = statistics.median(shares), statistics.quantiles(shares, n=10)[0]
    print(
        f"world seed {args.seed}, {args.profile} edits: {len(rows)} articles, "
        f"{sum(r['_copy'] for r in rows)} copies; an edited copy keeps a median {median:.2f} "
        f"(10th percentile {tenth:.2f}) of the Jaccard of its original's word 3-grams"
    )
    for label, world_rows in (("plain", rows), ("edited", edited)):
        print(f"{label}:")
        if not args.no_tagwire:
            print(line("tagwire analyze", world_rows, lambda x: tagwire_links(x)[0]))
        print(line("MinHash baseline", world_rows, minhash_links))


if __name__ == "__main__":
    main()
