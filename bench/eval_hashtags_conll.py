#!/usr/bin/env python3
"""Hashtags on CoNLL++ (Reuters news of 1996 with people's corrections of its gold entities), a
second corpus beside BASIL: each document's headline, dateline and sentences are given to
`tagwire analyze` as an article (a sentence a paragraph, the dateline opening the first one as
on the wire: "LONDON 1996-08-30 - ..."). Prints, over the first 8 hashtags of each article:
- name precision: the share of the hashtags that are not topics which are a gold entity of the
  document, written out (CamelCase of a gold mention, without its legal form or not, or the
  alias-table tag of one): a fragment
  ("Moi"), a glued word ("FollowingAli") or a dateline ("NEWYork") is none;
- coverage: the share of key entities (people, organisations, places in the headline or named
  twice past the dateline; a person also by surname) that a hashtag names (CamelCase equal, or
  containing the last word, as the BASIL check counts; an acronym also by the name it stands
  for, when that is a gold entity of the document whose initials it is or which the text
  defines it for in brackets; a name also by its alias table's tag; a company also without its
  legal form).

    python bench/eval_hashtags_conll.py [--split test|dev] [--show]
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from typing import Any

from evalkit import CORPORA, analyze, camel, need_shared, report

from tagwire.understand import entities
from tagwire.understand.topics import topic_lexicon

KEY_LABELS = ("PER", "ORG", "LOC")
_DATE = re.compile(r"\d{4}-\d\d-\d\d\Z")


def documents(split: str) -> list[list[list[tuple[str, str]]]]:
    """The documents of a split: sentences of (token, gold IOB label)."""
    docs: list[list[list[tuple[str, str]]]] = []
    sent: list[tuple[str, str]] = []
    for line in (CORPORA / "conllpp" / "data" / f"conllpp_{split}.txt").read_text().splitlines():
        parts = line.split()
        if not parts or parts[0] == "-DOCSTART-":
            if sent:
                docs[-1].append(sent)
            sent = []
            if parts:
                docs.append([])
            continue
        sent.append((parts[0], parts[-1]))
    if sent:
        docs[-1].append(sent)
    return [d for d in docs if len(d) >= 4]


def detok(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r" ([,.;:!?%)])", r"\1", text)
    text = re.sub(r"([($]) ", r"\1", text)
    text = re.sub(r" (['’]s|n't)\b", r"\1", text)
    return re.sub(r'" (.*?) "', r'"\1"', text)


def spans(sent: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(entity text, label) of a sentence's gold entities."""
    out: list[tuple[str, str]] = []
    cur: list[str] = []
    label = ""
    for tok, tag in [*sent, ("", "O")]:
        if cur and not (tag.startswith("I-") and tag[2:] == label):
            out.append((detok(cur), label))
            cur = []
        if tag != "O":
            if not cur:
                label = tag[2:]
            cur.append(tok)
    return out


def article(i: int, doc: list[list[tuple[str, str]]]) -> dict[str, Any]:
    """A document as an analyze row, with its gold entities and key entities as answers."""
    title = detok([t for t, _ in doc[0]])
    rest = doc[1:]
    dateline = next((k for k, s in enumerate(rest[:3]) if s and _DATE.match(s[-1][0])), None)
    paras = [detok([t for t, _ in s]) for s in rest]
    body_from = 0
    if dateline is not None and dateline + 1 < len(paras):
        paras[dateline : dateline + 2] = [paras[dateline] + " - " + paras[dateline + 1]]
        body_from = dateline + 1
    gold = [e for s in doc for e in spans(s)]
    counts: Counter[str] = Counter()
    for s in [doc[0], *rest[body_from:]]:
        for text, label in spans(s):
            if label in KEY_LABELS:
                counts[text] += 1
    in_title = {t for t, label in spans(doc[0]) if label in KEY_LABELS}
    key = _key_entities(counts, in_title, {t for t, label in gold if label == "PER"})
    return dict(
        id=f"c{i}",
        url=f"https://conll.example/{i}",
        outlet="Reuters",
        title=title,
        text="\n\n".join(paras),
        published="1996-08-30T12:00:00Z",
        _gold={text for text, _ in gold},
        _key=key,
    )


def _key_entities(counts: Counter[str], in_title: set[str], people: set[str]) -> list[str]:
    """Entities in the headline or named twice; a person's surname counts for the full name."""
    merged: Counter[str] = Counter()
    for text, n in counts.items():
        longer = [p for p in people if p != text and p.split()[-1] == text.split()[-1] and " " in p]
        merged[max(longer, key=len) if text in people and longer else text] += n
    titled = {t.lower() for t in in_title}
    return [e for e, n in merged.items() if n >= 2 or e.lower() in titled or e.split()[-1].lower() in titled]


LEGAL_FORMS = ("Inc", "Co", "Corp", "Ltd", "LLC", "PLC", "Plc", "SA", "AG", "NV", "LP", "GmbH", "Bhd")


def grounded(tag: str, gold: set[str], lex: entities.Lexicon) -> bool:
    """Whether a tag writes out a gold entity (its legal form may go: "MagnaInternational")."""
    bare = {
        " ".join(e.split()[:-1])
        for e in gold
        if len(e.split()) > 1 and e.split()[-1].strip(".") in LEGAL_FORMS
    }
    forms = {camel(e).lower() for e in gold | bare}
    forms |= {lex.names[k][2].lower() for e in gold if (k := entities.lookup_key(e)) in lex.names}
    return tag.lower() in forms


def names(entity: str, tag: str) -> bool:
    words = re.findall(r"[A-Za-z0-9]+", entity)
    return bool(words) and (camel(entity).lower() == tag.lower() or words[-1].lower() in tag.lower())


def is_covered(entity: str, tags: list[str], gold: set[str], text: str = "") -> bool:
    """Whether a tag names the entity, or, for an acronym, the gold name it abbreviates ("NFL"
    by NationalFootballLeague: one entity, one tag) or that the text defines it for in brackets
    ("Kurdistan Workers Party (PKK)": the letters of a name in its own language), or is the alias
    table's tag of the entity ("Britain" by UnitedKingdom, "Burma" by Myanmar), as `grounded`
    counts it."""
    spelled = [
        g
        for g in gold
        if entity.isupper() and len(entity) >= 2 and (initials(g) == entity or f"{g} ({entity})" in text)
    ]
    alias = entities.lexicon().names.get(entities.lookup_key(entity))
    if alias is not None and alias[1] != "DEMONYM" and alias[2].lower() in {t.lower() for t in tags}:
        return True
    return any(names(e, t) for e in [entity, *spelled, *_bare(entity)] for t in tags)


def _bare(entity: str) -> list[str]:
    """The entity without its legal form ("Aw Computer Systems" of "... Inc"), as `grounded`
    counts it: a tag without the legal form names the company."""
    words = entity.split()
    return [" ".join(words[:-1])] if len(words) > 1 and words[-1].strip(".") in LEGAL_FORMS else []


def initials(name: str) -> str:
    words = [w for w in name.split() if w.lower() not in ("of", "the", "and", "for", "&", "on", "de")]
    return "".join(w[0] for w in words).upper() if len(words) > 1 else ""


def main() -> None:
    need_shared()
    split = sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else "test"
    rows = [article(i, d) for i, d in enumerate(documents(split))]
    out, seconds = analyze(rows)
    lex = entities.lexicon()
    topics = {t.lower() for t in topic_lexicon().topics}
    good = n = covered = keys = 0
    for r in rows:
        tags = list(out[r["id"]]["hashtags"][:8])
        named = [t for t in tags if t.lower() not in topics]
        ok = [grounded(t, r["_gold"], lex) for t in named]
        hit = [e for e in r["_key"] if is_covered(e, tags, r["_gold"], r["text"])]
        good, n, covered, keys = good + sum(ok), n + len(named), covered + len(hit), keys + len(r["_key"])
        if "--show" in sys.argv:
            bad = [t for t, g in zip(named, ok, strict=True) if not g]
            miss = [e for e in r["_key"] if e not in hit]
            print(f"{r['title'][:60]}: {' '.join(tags)} | not gold: {' '.join(bad)} | missed: {miss}")
    report(
        "hashtags_conll",
        {"precision": good / n, "coverage": covered / keys, "wrong_per_article": (n - good) / len(rows)},
        f"hashtags on CoNLL++ {split}: first 8 name tags that are gold entities {good}/{n} = "
        f"{good / n:.3f} ({(n - good) / len(rows):.2f} wrong an article); "
        f"key entities named {covered}/{keys} = {covered / keys:.3f}; "
        f"{len(rows)} articles in {seconds:.1f} s",
    )


if __name__ == "__main__":
    main()
