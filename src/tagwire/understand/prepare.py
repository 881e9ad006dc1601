"""What understanding works out for each article on its own, before any decision that depends on
other articles: its hashtags, wire origin, language, MinHash signature and bands, and story
features. Pure functions of the article, so a worker process can prepare the next batch
(ahead.py) while this one decides copies and stories for the batch before it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tagwire.ingest.normalize import choose_language
from tagwire.models import Article
from tagwire.understand import copies, stories
from tagwire.understand.hashtags import HashtagTagger, camel_tag
from tagwire.understand.provenance import wire_origin


@dataclass(frozen=True)
class Input:
    """What preparing reads of an article (what a worker is sent, not the whole Article)."""

    title: str
    text: str
    outlet: str
    published: datetime
    author: str | None = None
    credit: str | None = None
    language: str | None = None

    @classmethod
    def of(cls, a: Article) -> Input:
        return cls(a.title, a.text, a.outlet, a.published, a.author, a.credit, a.language)


@dataclass(frozen=True)
class Prepared:
    hashtags: list[str]
    wire_origin: str | None
    language: str | None
    signature: bytes
    bands: list[int]
    features: stories.StoryFeatures
    features_json: str  # as stored, and as candidates bring it back


def inputs(batch: Sequence[Article]) -> list[Input]:
    return [Input.of(a) for a in batch]


def prepare_many(items: Sequence[Input], tagger: HashtagTagger) -> list[Prepared]:
    """Each article prepared, in order; the model reads the batch's texts together."""
    found = tagger.tag_many([(i.title, i.text) for i in items])
    return [prepare(i, tags) for i, tags in zip(items, found, strict=True)]


def prepare(i: Input, tags: Sequence[str]) -> Prepared:
    own = camel_tag(i.outlet).lower()  # an outlet naming itself is no topic
    hashtags = [t for t in tags if t.lower() != own]
    sig = copies.signature(i.text)
    feats = stories.features(i.title, i.text, hashtags, i.published)
    return Prepared(
        hashtags=hashtags,
        wire_origin=wire_origin(i.title, i.text, author=i.author, credit=i.credit),
        language=choose_language(i.language, i.text),
        signature=copies.to_bytes(sig),
        bands=list(copies.band_keys(sig)),
        features=feats,
        features_json=stories.to_json(feats),
    )
