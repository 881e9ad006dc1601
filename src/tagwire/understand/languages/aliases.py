"""Countries and big organisations across languages (data/aliases.tsv): "Japon", "Japans" and
日本 are #Japan, 日銀 and "Banque du Japon" #BankOfJapan, as an English article tags them."""

from __future__ import annotations

import functools
import re
from importlib import resources

from tagwire.understand.languages.names import Kind

_KINDS = {"place": Kind.PLACE, "org": Kind.ORG, "event": Kind.EVENT}


@functools.cache
def table() -> dict[str, tuple[str, Kind]]:
    """Each form (as `key` folds it) -> (tag, kind)."""
    text = (resources.files("tagwire.understand.languages") / "data" / "aliases.tsv").read_text("utf-8")
    found: dict[str, tuple[str, Kind]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        tag, kind, forms = line.split("\t")
        for form in forms.split("|"):
            found[key(form)] = (tag, _KINDS[kind])
    return found


@functools.cache
def first_characters() -> frozenset[str]:
    """The first character of every form, in either case (a word starting otherwise is none)."""
    return frozenset(c for form in table() for c in (form[:1], form[:1].upper()))


@functools.cache
def tags() -> frozenset[str]:
    """Every tag the table gives."""
    return frozenset(tag for tag, _ in table().values())


@functools.cache
def places() -> frozenset[str]:
    """The tags of countries, cities and regions: shared, they say little about the event."""
    return frozenset(tag for tag, kind in table().values() if kind is Kind.PLACE)


def key(form: str) -> str:
    """A form as looked up: all-capital forms as written ("US" is not "us"), others folded."""
    form = " ".join(form.split())
    return form if form.isupper() and len(form) <= 5 else form.casefold()


def lookup(form: str) -> tuple[str, Kind] | None:
    """(tag, kind) for a form of the table, else None; a German genitive ("Japans", "Chinas")
    is its country."""
    found = table().get(key(form))
    if found is None and len(form) > 4 and form.endswith("s") and not form.isupper():
        found = table().get(key(form[:-1]))
    return found


_LATIN_FORM = re.compile(r"[A-Za-zÀ-ÿ]")


@functools.cache
def latin_forms() -> tuple[str, ...]:
    """The table's forms in Latin script of several words, longest first (for phrase search)."""
    text = (resources.files("tagwire.understand.languages") / "data" / "aliases.tsv").read_text("utf-8")
    forms = {
        f
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
        for f in line.split("\t")[2].split("|")
        if " " in f and _LATIN_FORM.search(f)
    }
    return tuple(sorted(forms, key=len, reverse=True))
