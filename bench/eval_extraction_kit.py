"""Shared part of the extraction evaluations on public corpora kept outside the project
(eval_extraction_l3s.py, eval_extraction_dragnet.py, eval_extraction_cleanportal.py): tagwire's
text through `tagwire extract --jsonl`, trafilatura alone (the same version, in this process) in
its three settings, and word 4-gram P/R/F1 per page, averaged, as eval_extraction.py scores the
AEB pages."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from evalkit import extract, scratch, word_f1
from lxml import html as lxml_html

Page = tuple[str, bytes, str]  # key, HTML bytes, gold article text
TRAFILATURA_SETTINGS: dict[str, dict[str, bool]] = {
    "trafilatura": {},
    "trafilatura favor_precision": {"favor_precision": True},
    "trafilatura favor_recall": {"favor_recall": True},
}


def corpus_path(env: str, hint: str) -> Path:
    """The corpus folder: the first argument, else $`env`; exits 2 saying how to get it."""
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    given = args[0] if args else os.environ.get(env, "")
    if not given or not Path(given).is_dir():
        print(f"skipped: corpus absent (pass its folder or set {env}); {hint}", file=sys.stderr)
        sys.exit(2)
    return Path(given)


def body_holds_gold(html: bytes, gold: str) -> bool:
    """Whether the page's <body> holds at least half of the gold text's word 4-grams: a page
    damaged when the set was made (its body cut, an unclosed <title> swallowing it) measures
    nothing about an extractor and is left out."""
    try:
        tree = lxml_html.document_fromstring(html.decode("utf-8", errors="replace"))
    except (ValueError, TypeError):
        return False
    for el in tree.xpath("//script|//style"):
        el.drop_tree()
    body = tree.find(".//body")
    return body is not None and word_f1(str(body.text_content()), gold)[1] >= 0.5


def _scores(texts: list[str], pages: list[Page]) -> list[tuple[float, float, float]]:
    return [word_f1(text, gold) for text, (_, _, gold) in zip(texts, pages, strict=True)]


def _worst(scores: list[tuple[float, float, float]], pages: list[Page]) -> None:
    """With --worst=N, the N pages of lowest F1 (key, P, R, F1), to read them."""
    n = next((int(a.split("=")[1]) for a in sys.argv if a.startswith("--worst=")), 0)
    for s, (key, _, _) in sorted(zip(scores, pages, strict=True), key=lambda x: x[0][2])[:n]:
        print(f"    {key:40} P={s[0]:.3f} R={s[1]:.3f} F1={s[2]:.3f}")


def _tagwire(pages: list[Page]) -> tuple[list[str], float]:
    d = scratch("tagwire-eval-extract-")
    files = []
    for key, html, _ in pages:
        f = d / f"{key}.html"
        f.write_bytes(html)
        files.append(f)
    start = time.perf_counter()
    rows = extract(files)
    return [row.get("text") or "" for row in rows], time.perf_counter() - start


def _trafilatura(pages: list[Page], settings: dict[str, bool]) -> tuple[list[str], float]:
    import trafilatura

    from tagwire.ingest.extract import decode_html

    start = time.perf_counter()
    texts: list[str | None] = []
    for _, html, _ in pages:
        texts.append(trafilatura.extract(decode_html(html), include_comments=False, **settings))
    return [t or "" for t in texts], time.perf_counter() - start


def evaluate(name: str, pages: list[Page], left_out: int) -> dict[str, float]:
    """Print tagwire's figures on the pages (and, with --baselines, trafilatura's alone);
    returns F1 by label."""
    print(f"{name}: {len(pages)} pages ({left_out} left out: their body does not hold the gold text)")
    runs = [("tagwire", lambda: _tagwire(pages))]
    if "--baselines" in sys.argv:
        runs += [(label, lambda s=s: _trafilatura(pages, s)) for label, s in TRAFILATURA_SETTINGS.items()]
    f1s: dict[str, float] = {}
    for label, run in runs:
        texts, seconds = run()
        scores = _scores(texts, pages)
        p, r, f1 = (sum(s[i] for s in scores) / len(scores) for i in range(3))
        print(f"  {label:28} P={p:.3f} R={r:.3f} F1={f1:.4f}  {1000 * seconds / len(pages):.0f} ms/page")
        if label == "tagwire":
            _worst(scores, pages)
        f1s[label] = f1
    return f1s
