"""What understanding works out for each article on its own, before any decision that depends on
other articles: its hashtags, wire origin, language, MinHash signature and bands, and story
features. Pure functions of the article, so a worker process can prepare the next batch
(ahead.py) while this one decides copies and stories for the batch before it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from tagwire.deadline import within
from tagwire.errors import TagwireError
from tagwire.ingest.normalize import choose_language
from tagwire.models import Article
from tagwire.understand import copies, stories
from tagwire.understand.hashtags import HashtagTagger, Read, camel_tag
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


@dataclass(frozen=True)
class Quarantined:
    """An article that could not be prepared: it raised, or took longer than its budget. It is
    set aside with `reason` (status "quarantined"), never retried, and the batch goes on."""

    reason: str


Outcome = Prepared | Quarantined


def prepare_many(items: Sequence[Input], tagger: HashtagTagger, budget: float = 0.0) -> list[Outcome]:
    """Each article prepared, in order; the model reads the batch's texts together. With a
    `budget` (seconds, see deadline.py), each article's own work runs within it, and the model's
    reading of the batch within one budget too; when that reading fails, each article is read
    alone, so that one bad article costs at most twice its budget and only itself."""
    if budget > 0:
        warm_up(tagger)
    try:
        with within(budget, "reading this batch with the language model"):
            reads = tagger.read_many([(i.title, i.text) for i in items])
    except Exception:  # one of them is at fault: find which, each on its own
        return [_guarded(partial(_alone, i, tagger), budget) for i in items]
    return [_guarded(partial(_read, i, tagger, r), budget) for i, r in zip(items, reads, strict=True)]


def warm_up(tagger: HashtagTagger) -> None:
    """Prepare one small article, outside any budget, so that what loads on first use (the
    language model, the name lexicon, the language identifier: a second or more) is never
    charged to the first real article's budget."""
    if not tagger.warm:
        tagger.warm = True
        when = datetime(2000, 1, 1, tzinfo=UTC)
        prepare_many([Input("Warm-up", "A first article, read before any other.", "tagwire", when)], tagger)


def _alone(i: Input, tagger: HashtagTagger) -> Prepared:
    return prepare(i, tagger.tag(i.title, i.text))


def _read(i: Input, tagger: HashtagTagger, read: Read) -> Prepared:
    return prepare(i, tagger.hashtags(read))


def _guarded(work: Callable[[], Prepared], budget: float) -> Outcome:
    """`work()`, or what made it fail, as a Quarantined."""
    try:
        with within(budget, "understanding this article"):
            return work()
    except Exception as error:  # any failure of one article's work is its own
        return Quarantined(_reason(error))


def _reason(error: Exception) -> str:
    if isinstance(error, TagwireError):
        return str(error)
    return f"understanding failed ({type(error).__name__}: {str(error)[:200]})"


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
