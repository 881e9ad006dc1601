"""Shared pieces of the evaluation scripts: where the corpora are, running `tagwire analyze` and
`tagwire extract` as a user would, and the scores (word 4-gram F1, B-cubed, pairwise P/R).
The corpora live in ../shared (never copied into the project); without it the scripts exit 2."""

from __future__ import annotations

import ast
import atexit
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"
NEWSWORLD = SHARED / "newsworld" / "newsworld.py"
OUTLETS = {"nyt": "The New York Times", "fox": "Fox News", "hpo": "HuffPost"}


def need_shared() -> None:
    if not CORPORA.exists():
        print(f"skipped: {CORPORA} is absent", file=sys.stderr)
        sys.exit(2)


def tagwire() -> list[str]:
    explicit = os.environ.get("TAGWIRE")
    if explicit:
        return explicit.split()
    local = ROOT / ".venv" / "bin" / "tagwire"
    return [str(local)] if local.exists() else [shutil.which("tagwire") or "tagwire"]


def scratch(prefix: str) -> Path:
    """A temporary folder removed when the evaluation exits, however it exits (the quality gate
    runs every evaluation in CI: a world or a database left in /tmp is tens of MB a run)."""
    d = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, d, ignore_errors=True)
    return d


def analyze(rows: list[dict[str, Any]]) -> tuple[dict[str, dict[str, Any]], float]:
    """Run `tagwire analyze` on rows (keys starting with '_' are answers, kept here); returns the
    decisions by id and the seconds it took."""
    d = scratch("tagwire-eval-")
    inp, out = d / "in.jsonl", d / "out.jsonl"
    with inp.open("w") as f:
        for r in rows:
            f.write(json.dumps({k: v for k, v in r.items() if not k.startswith("_")}) + "\n")
    env = dict(os.environ, TAGWIRE_DATABASE=str(d / "tw.db"))
    start = time.perf_counter()
    p = subprocess.run(
        [*tagwire(), "analyze", str(inp), "--out", str(out)], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if p.returncode:
        sys.exit(f"tagwire analyze failed ({p.returncode}): {p.stderr[-800:]}")
    decisions = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    shutil.rmtree(d, ignore_errors=True)  # now: an evaluation may analyze several sets
    return decisions, seconds


def extract(files: list[Path]) -> list[dict[str, Any]]:
    p = subprocess.run([*tagwire(), "extract", "--jsonl", *map(str, files)], capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"tagwire extract failed ({p.returncode}): {p.stderr[-800:]}")
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]


def basil_rows() -> list[dict[str, Any]]:
    rows = []
    for f in sorted((CORPORA / "basil" / "articles").glob("*/*.json")):
        d = json.loads(f.read_text())
        paras = d["body-paragraphs"]
        paras = ast.literal_eval(paras) if isinstance(paras, str) else paras
        ents = d["main-entities"]
        rows.append(
            dict(
                id=f.stem,
                url=d["url"],
                outlet=OUTLETS[d["source"].lower()],
                title=d["title"],
                text="\n\n".join(" ".join(p) for p in paras),
                published=d["date"] + "T12:00:00Z",
                _event=d["triplet-uuid"],
                _entities=ast.literal_eval(ents) if isinstance(ents, str) else ents,
            )
        )
    return sorted(rows, key=lambda r: (r["published"], r["id"]))


def wikiref_rows() -> list[dict[str, Any]]:
    rows = []
    for i, f in enumerate(sorted((CORPORA / "wikiref220").rglob("*.txt"))):
        lines = [ln.strip() for ln in f.read_text(errors="replace").splitlines() if ln.strip()]
        if f.name != "readme.txt" and len(lines) > 3:
            rows.append(
                dict(
                    id=f"wr{i}",
                    url=f"https://wikiref.example/{i}",
                    outlet="WikiRef",
                    title=lines[0][:120],
                    text="\n\n".join(lines[1:]),
                    published="2015-06-01T12:00:00Z",
                    _event=None,
                )
            )
    return rows


def word_f1(pred: str, gold: str, n: int = 4) -> tuple[float, float, float]:
    def grams(text: str) -> Counter[tuple[str, ...]]:
        toks = re.findall(r"\w+", (text or "").lower())
        return Counter(tuple(toks[i : i + n]) for i in range(max(0, len(toks) - n + 1)))

    p, g = grams(pred), grams(gold)
    if not g:
        return (1.0, 1.0, 1.0) if not p else (0.0, 1.0, 0.0)
    if not p:
        return 0.0, 0.0, 0.0
    common = sum((p & g).values())
    prec, rec = common / sum(p.values()), common / sum(g.values())
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def bcubed(pred: dict[str, Any], gold: dict[str, Any]) -> tuple[float, float, float]:
    items = [i for i in gold if i in pred]
    pc: dict[Any, set[str]] = defaultdict(set)
    gc: dict[Any, set[str]] = defaultdict(set)
    for i in items:
        pc[pred[i]].add(i)
        gc[gold[i]].add(i)
    p = sum(len(pc[pred[i]] & gc[gold[i]]) / len(pc[pred[i]]) for i in items) / len(items)
    r = sum(len(pc[pred[i]] & gc[gold[i]]) / len(gc[gold[i]]) for i in items) / len(items)
    return p, r, 2 * p * r / (p + r)


def story_figures(
    rows: list[dict[str, Any]], basil: list[dict[str, Any]], out: dict[str, dict[str, Any]]
) -> tuple[float, float, float, int]:
    """B-cubed P, R, F1 of the stories `analyze` gave the BASIL rows, and how many stories mix
    events (two BASIL events, or a BASIL event and a WikiRef220 article)."""
    p, r, f1 = bcubed({x["id"]: out[x["id"]]["story"] for x in basil}, {x["id"]: x["_event"] for x in basil})
    events: dict[object, set[str]] = {}
    for x in rows:
        events.setdefault(out[x["id"]]["story"], set()).add(x["_event"] or "wikiref")
    return p, r, f1, sum(1 for ev in events.values() if len(ev) > 1)


_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def newsworld_page(page: str) -> tuple[dict[str, Any], str]:
    """A newsworld article page's JSON-LD and its text (its paragraphs)."""
    found = _LD.search(page)
    ld = json.loads(found.group(1)) if found else {}
    return ld, "\n\n".join(html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", page))


def newsworld_rows(
    out: Path, outlets: int, seed: int, synthetic: int, *, relistings: bool, with_html: bool
) -> list[dict[str, Any]]:
    """Build a newsworld world in out and return its articles as analyze rows in publication order,
    ids n<line of truth.jsonl>, with the answers (_article, _story, _copy:
    a carried copy, not its original; _wire); relistings (an article listed again) and the page's HTML
    (analyze then reads the page, not the text) only when asked."""
    build = [
        sys.executable,
        str(NEWSWORLD),
        "build",
        str(out),
        "--outlets",
        str(outlets),
        "--seed",
        str(seed),
    ]
    subprocess.run([*build, "--synthetic", str(synthetic)], check=True, capture_output=True)
    rows = []
    for i, line in enumerate((out / "truth.jsonl").read_text().splitlines()):
        t = json.loads(line)
        if t["relisting"] and not relistings:
            continue
        page = (
            (out / "site" / t["url"].split("?")[0])
            .read_text()
            .replace("{{BASE}}", "https://newsworld.example")
        )
        ld, text = newsworld_page(page)
        rows.append(
            dict(
                id=f"n{i}",
                url="https://newsworld.example/" + t["url"],
                outlet=t["outlet"],
                title=ld["headline"],
                text=text,
                published=ld["datePublished"],
                **({"html": page} if with_html else {}),
                _article=t["article"],
                _story=t["story"],
                _copy=not t["url"].split("?")[0].endswith("-0.html"),
                _wire=t["wire"],
            )
        )
    return sorted(rows, key=lambda r: r["published"])


def groups_by_links(ids: Iterable[str], link: dict[str, str | None]) -> dict[str, str]:
    """Union-find over links (id -> id): id -> its group's representative."""
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i in list(parent):
        j = link.get(i)
        if j in parent:
            parent[find(i)] = find(j)  # type: ignore[index]
    return {i: find(i) for i in parent}


def pairs(groups: dict[str, Any]) -> set[frozenset[str]]:
    members: dict[Any, list[str]] = defaultdict(list)
    for i, g in groups.items():
        members[g].append(i)
    return {frozenset(p) for m in members.values() for p in combinations(sorted(m), 2)}


def camel(s: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", s))


def report(name: str, figures: dict[str, float], line: str) -> None:
    """Print the figure line, and the figures as JSON for the quality gate."""
    print(line)
    print("FIGURES " + json.dumps({name: figures}))


def analyze_on_one_core(rows: list[dict[str, Any]], warm_up: Any, prefix: str) -> tuple[int, float, float]:
    """`analyze` (the code `tagwire analyze` runs) on `rows`, pinned to one core, in a fresh store:
    (articles understood, seconds, seconds `warm_up()` took to load the models, not counted)."""
    import io

    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    os.environ["TAGWIRE_DATABASE"] = str(scratch(prefix) / "tw.db")
    from tagwire import config
    from tagwire.app.analysing import analyze as analyzing
    from tagwire.store import open_store

    start = time.perf_counter()
    warm_up()
    loaded = time.perf_counter() - start
    repo, settings = open_store(os.environ["TAGWIRE_DATABASE"]), config.load()
    start = time.perf_counter()
    n = analyzing(iter(rows), io.StringIO(), repo, settings)
    return n, time.perf_counter() - start, loaded
