"""A batch's decisions not yet written (store/decisions.py keeps them): each understood article's
row, hashtags and copy bands wait in memory for the end of the batch, then go to the database in a
few statements, where writing them one article at a time cost three statements an article. The
reads of the batch's later articles (story candidates, articles sharing bands, articles by id) see
them here, as they would see them in the database: the same rows, the same order."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from tagwire.models import Article, ArticleStatus, Match, MatchKind


@dataclass
class Saved:
    """One understood article as it will be written: its row (as reading it back gives it), its
    hashtags, copy bands, signature and story features, and the places it names in passing
    (`passing`: never shown, they find candidates as its hashtags do)."""

    article: Article
    tags: list[str]
    bands: list[int]
    signature: bytes
    features: str
    passing: list[str] = field(default_factory=list)


class Unwritten:
    def __init__(self) -> None:
        self.saved: dict[int, Saved] = {}  # by article id, in the order saved
        self._banded: dict[int, list[int]] = {}  # band key -> ids of the saved articles with it

    def __bool__(self) -> bool:
        return bool(self.saved)

    def add(self, a: Article, bands: Sequence[int], signature: bytes, features: str) -> None:
        assert a.id is not None
        self.saved[a.id] = Saved(as_stored(a), list(a.hashtags), list(bands), signature, features)
        for k in bands:
            self._banded.setdefault(k, []).append(a.id)

    def keep_passing(self, article_id: int, tags: list[str]) -> None:
        self.saved[article_id].passing = tags

    def article(self, article_id: int) -> Article | None:
        found = self.saved.get(article_id)
        return None if found is None else found.article

    def story_candidates(
        self, tags: Sequence[str], since: datetime, until: datetime
    ) -> list[tuple[datetime, int, int, str]]:
        """(published, id, story, features) of the saved articles published in [since, until]
        that carry one of `tags` (shown or passing), as Decisions.story_candidates reads them from
        the database."""
        wanted = set(tags)
        return [
            (s.article.published, i, s.article.story_id, s.features)
            for i, s in self.saved.items()
            if s.article.story_id is not None
            and since <= s.article.published <= until
            and not (wanted.isdisjoint(s.tags) and wanted.isdisjoint(s.passing))
        ]

    def banded(self, keys: Sequence[int], exclude: int) -> list[tuple[int, int]]:
        """(band rows whose key is among `keys`, id) of the saved articles with any, but `exclude`,
        as the database counts them (a key twice in an article's bands is two rows)."""
        shared: Counter[int] = Counter()
        for k in set(keys):
            shared.update(self._banded.get(k, ()))
        return [(n, i) for i, n in shared.items() if i != exclude]

    def same_headline(
        self, prefix: str, chars: int, since: datetime, until: datetime, exclude: int
    ) -> list[Article] | None:
        """The saved articles published in [since, until], but `exclude`, whose title's first
        `chars` characters are `prefix`, case aside, as Decisions.same_headline compares them in
        SQL: SQLite lowers A-Z only, PostgreSQL every letter as its locale says; the two agree
        unless a title compared has a letter with case beyond ASCII (or the database's locale is
        a Turkish one, where I lowers to ı), and then this says None (the database is to compare
        them)."""
        if cased_beyond_ascii(prefix):
            return None
        wanted, found = ascii_lower(prefix), []
        for i, s in self.saved.items():
            a = s.article
            if i == exclude or not since <= a.published <= until:
                continue
            start = a.title[:chars]
            if cased_beyond_ascii(start):
                return None
            if ascii_lower(start) == wanted:
                found.append(a)
        return found

    def repoint(self, old: int, new: int) -> None:
        """Decisions.repoint_copies on the saved articles."""
        for s in self.saved.values():
            s.article = repointed(s.article, old, new)

    def take(self) -> list[Saved]:
        """What is to be written, in the order saved; none is kept."""
        saved, self.saved, self._banded = list(self.saved.values()), {}, {}
        return saved


def repointed(a: Article, old: int, new: int) -> Article:
    """The article after Decisions.repoint_copies(old, new): the copies of `old`, and `old`, now
    point to `new` (`a` itself is left as it was)."""
    if a.id == old:
        score = a.match.score if a.match else 0.0
        return replace(a, copy_of=new, match=Match(MatchKind.COPY, score, new))
    if a.copy_of == old:  # a match not stored (no kind) stays so
        return replace(a, copy_of=new, match=a.match and Match(a.match.kind, a.match.score, new))
    return a


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)


def cased_beyond_ascii(text: str) -> bool:
    return not text.isascii() and any(ord(c) > 127 and c.lower() + c.upper() != c + c for c in text)


def as_stored(a: Article) -> Article:
    """The article as reading its row back after the save gives it (as_article): understood,
    its match without the reason, its time in UTC, no hashtags (they are rows of their own)."""
    m = a.match or Match(MatchKind.NEW)
    published = a.published.replace(tzinfo=UTC) if a.published.tzinfo is None else a.published.astimezone(UTC)
    return replace(
        a,
        status=ArticleStatus.DONE,
        match=Match(m.kind, m.score or 0.0, m.of),
        published=published,
        hashtags=[],
    )
