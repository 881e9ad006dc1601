#!/usr/bin/env python3
"""Hashtags judged by an editor on news never tuned on: bench/data/hashtags_judged_*.json lists,
for real articles of ../shared (by file name, never their text), the key names and topics of
each and the further tags an editor would keep, written before looking at tagwire's output.
Prints the precision of the first 8 hashtags (the share an editor keeps) and the coverage (the
share of key names and topics among them); issue 12 asks for >= 0.90 and >= 0.80.

bench/data/hashtags_blind_*.json are samples kept for confirmation only (never tuned on): their
texts, whose licence is unclear, stay outside the project, in $TAGWIRE_EXTRA_CORPORA (default
../extra-corpora beside the checkout); each is reported on its own line when its texts are there,
and counts in no pinned figure.

    python bench/eval_hashtags_judged.py [--show]
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from evalkit import CORPORA, ROOT, analyze, need_shared, report

DATA = Path(__file__).resolve().parent / "data"
EXTRA = Path(os.environ.get("TAGWIRE_EXTRA_CORPORA", ROOT.parent / "extra-corpora"))


def corpus(judged: dict[str, Any]) -> Path:
    """Where a sample's texts are: ../shared/corpora, or the extra corpora kept outside."""
    return (EXTRA if judged.get("root") == "extra" else CORPORA) / judged["corpus"]


def rows(judged: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The judged articles as `tagwire analyze` rows: of a text file, headline the first line
    and body the rest; of an RSS feed, an item's title and the text of its description."""
    items = feed_items(corpus(judged)) if judged.get("kind") == "rss" else {}
    truth = (
        json.loads((corpus(judged) / "ground-truth.json").read_text()) if judged.get("kind") == "aeb" else {}
    )
    out = []
    for i, a in enumerate(judged["articles"]):
        if "guid" in a:
            title, text = items[a["guid"]]
        elif "page" in a:
            title, text = (
                page_title(corpus(judged) / "html" / f"{a['page']}.html.gz"),
                truth[a["page"]]["articleBody"],
            )
        else:
            path = corpus(judged) / a["file"]
            lines = [ln.strip() for ln in path.read_text(errors="replace").splitlines() if ln.strip()]
            title, text = lines[0][:200], "\n\n".join(lines[1:])
        out.append(
            dict(
                id=f"{name}{i}",
                url=f"https://judged.example/{name}/{i}",
                outlet="Judged",
                title=title,
                text=text,
                published="2015-06-01T12:00:00Z",
                _judged=a,
            )
        )
    return out


def feed_items(path: Path) -> dict[str, tuple[str, str]]:
    """guid -> (title, description as plain text) of each item of an RSS file."""
    out = {}
    for item in re.findall(r"<item>(.*?)</item>", path.read_text(errors="replace"), re.S):
        fields = {
            k: re.search(rf"<{k}[^>]*>(.*?)</{k}>", item, re.S) for k in ("guid", "title", "description")
        }
        text = {k: html.unescape(html.unescape(_uncdata(m.group(1)))) if m else "" for k, m in fields.items()}
        plain = " ".join(re.sub(r"<[^>]+>", " ", text["description"]).split())
        out[text["guid"].strip()] = (text["title"].strip(), plain)
    return out


def page_title(path: Path) -> str:
    """A page's headline as a feed reader gets it: its og:title (else <title>), without the
    site's name after " | " or a last " - Word" ("... | Al Bawaba", "... - CNN")."""

    class Title(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.og, self.title, self._in = "", "", False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            if tag == "meta" and a.get("property") == "og:title" and not self.og:
                self.og = a.get("content") or ""
            self._in = tag == "title" and not self.title

        def handle_data(self, data: str) -> None:
            if self._in:
                self.title += data

        def handle_endtag(self, tag: str) -> None:
            self._in = False

    parser = Title()
    parser.feed(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
    title = " ".join((parser.og or parser.title).split())
    title = max(title.split(" | "), key=len)
    return re.sub(r" - [A-Z]\w+$", "", title).strip()


def _uncdata(raw: str) -> str:
    """A field's text without its CDATA wrappers (<![CDATA[...]]>), as a feed parser reads it."""
    return re.sub(r"<!\[CDATA\[(.*?)\]\]>", r"\1", raw, flags=re.S)


def score(tags: list[str], judged: dict[str, Any]) -> tuple[int, int, int, int]:
    """(good tags, tags, key items covered, key items) for one article."""
    key = [{t.lower() for t in alts} for alts in judged["key"]]
    keep = {t.lower() for t in judged["keep"]} | set().union(*key)
    low = [t.lower() for t in tags]
    return sum(t in keep for t in low), len(low), sum(bool(k & set(low)) for k in key), len(key)


def run_sample(f: Path, show: bool) -> list[int]:
    """(good, tags, covered, keys) of one judged sample, its lines printed with `show`."""
    judged = json.loads(f.read_text())
    rs = rows(judged, f.stem.rsplit("_", 1)[-1])
    out, _ = analyze(rs)
    sample = [0, 0, 0, 0]
    for r in rs:
        tags = list(out[r["id"]]["hashtags"][:8])
        sample = [a + b for a, b in zip(sample, score(tags, r["_judged"]), strict=True)]
        if show:
            bad = [x for x in tags if not score([x], r["_judged"])[0]]
            a = r["_judged"]
            name = a.get("file") or a.get("page", "")[:12] or a["guid"].rsplit("/", 1)[-1]
            low = {x.lower() for x in tags}
            missed = [alts[0] for alts in a["key"] if not {t.lower() for t in alts} & low]
            print(f"{name}: {' '.join(tags)}  | not kept: {' '.join(bad)} | key missed: {' '.join(missed)}")
    return sample


def line(name: str, articles: int, figures: list[int]) -> str:
    g, t, c, k = figures
    return f"  {name} ({articles} articles): first 8 good {g}/{t} = {g / t:.3f}; key {c}/{k} = {c / k:.3f}"


def main() -> None:
    need_shared()
    show = "--show" in sys.argv
    samples = [(f, run_sample(f, show)) for f in sorted(DATA.glob("hashtags_judged_*.json"))]
    good, n, covered, keys = (sum(s[i] for _, s in samples) for i in range(4))
    report(
        "hashtags_judged",
        {"precision": good / n, "coverage": covered / keys},
        f"hashtags judged by an editor: first 8 good {good}/{n} = {good / n:.3f}; "
        f"key names and topics covered {covered}/{keys} = {covered / keys:.3f}",
    )
    for f, figures in samples:
        print(line(f.name, len(json.loads(f.read_text())["articles"]), figures))
    for f in sorted(DATA.glob("hashtags_blind_*.json")):
        judged = json.loads(f.read_text())
        if not corpus(judged).exists():
            print(f"  {f.name}: skipped, {corpus(judged)} is absent")
            continue
        shown = show and judged.get("show", True)  # a part kept for confirmation is never shown
        print(line(f.name, len(judged["articles"]), run_sample(f, shown)) + " (confirmation only, unpinned)")


if __name__ == "__main__":
    main()
