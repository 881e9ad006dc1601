"""The understanding's reads and writes for one batch of articles, on one connection and in one
transaction (Repository.understanding opens it).

One transaction per batch instead of one per article: a crash mid-batch rolls the whole batch
back, so its articles are still pending and the next run understands them again; and every
read goes through the same connection, so each article sees the decisions taken for the
articles before it in the batch, as it did when each was committed on its own. What only the
end of the batch needs is kept in memory and written once by `flush`: the term counts (which
`document_frequencies` adds to what the store holds), the stories' growth, and each understood
article's row, hashtags and copy bands (store/unwritten.py; the batch's reads see them there, but
`same_headline` for a title starting with a letter with case beyond ASCII, which writes them first).
What the batch's articles share with stored ones (carriers of their texts, copy bands, rows with
their headlines' starts) is read once for the batch.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Connection,
    Integer,
    Row,
    Select,
    Table,
    Text,
    any_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    literal_column,
    select,
    union,
    update,
)
from sqlalchemy.exc import (
    DBAPIError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
)

from tagwire.errors import StoreError
from tagwire.models import Article, ArticleStatus, Match, MatchKind
from tagwire.store.batch import CHUNK, chunks, insert_rows
from tagwire.store.part import insert_or_skip
from tagwire.store.schema import articles, copy_bands, hashtags, passing_tags, stories, tag_forms, term_stats
from tagwire.store.unwritten import Saved, Unwritten, ascii_lower, cased_beyond_ascii, repointed

DOC_COUNT = ""  # the term_stats row that counts documents
FORM_CHARS = 200  # tag_forms.form holds at most this many characters


def environmental(error: BaseException) -> bool:
    """Whether `error` comes from the database or its surroundings (disk full, locked, connection
    lost, a schema that is not what this tagwire expects), not from the article being written
    (a value the database refuses: DataError, IntegrityError; or any error outside the
    database): the batch is then left pending for a later run instead of setting an article aside."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, (*_ENVIRONMENTAL, StoreError))  # StoreError: DiskFull


_ENVIRONMENTAL = (OperationalError, InterfaceError, ProgrammingError, InternalError, NotSupportedError)


@dataclass
class _Headlines:
    """The understood articles published in [since, until] whose title starts as one of
    `prefixes` does, by their title's start as the database lowers it."""

    prefixes: set[str]
    since: datetime
    until: datetime
    by_start: dict[str, list[Article]]


class Decisions:
    def __init__(self, conn: Connection, to_article: Callable[[Row[Any]], Article]) -> None:
        self.conn = conn
        self._article = to_article  # the repository's row -> Article
        self._terms: Counter[str] = Counter()  # counted in this batch, not yet in term_stats
        self._grown: dict[int, tuple[int, datetime, datetime]] = {}  # story -> (added, first, last)
        self._texts: dict[str, list[tuple[datetime, int]]] = {}  # content hash -> understood (published, id)
        self._unwritten = Unwritten()  # the batch's understood articles, until `flush`
        self._read: dict[int, Article] = {}  # rows read in this batch, until one is changed
        self._bands: dict[int, list[tuple[int, bool]]] = {}  # band key -> (article, has a signature)
        self._bands_read: set[int] = set()  # the keys whose stored bands are all in _bands
        self._headlines: _Headlines | None = None  # what titles_alone read, for same_headline

    def claim(self, ids: Sequence[int]) -> set[int]:
        """Which of `ids` are still pending, held by this transaction until it ends, so that two
        processes understanding at once never decide one article twice. PostgreSQL locks the
        rows and skips those another transaction holds; SQLite's first write takes the
        database's write lock, and the pending rows are then read under it."""
        still = articles.c.id.in_(list(ids)) & (articles.c.status == ArticleStatus.PENDING)
        if self.conn.dialect.name == "postgresql":
            return set(
                self.conn.execute(
                    select(articles.c.id).where(still).with_for_update(skip_locked=True)
                ).scalars()
            )
        self.conn.execute(
            update(articles).where(still).values(status=ArticleStatus.PENDING)
        )  # the lock, no change
        return set(self.conn.execute(select(articles.c.id).where(still)).scalars())

    # reads -------------------------------------------------------------------------------------

    def article(self, article_id: int) -> Article | None:
        """The article as stored, or as this batch decided it; a row read once is kept for the
        batch (only this transaction writes while it decides, and `repoint_copies` drops them)."""
        found = self._unwritten.article(article_id) or self._read.get(article_id)
        if found is None:
            row = self.conn.execute(_BY_ID, {"id": article_id}).first()
            found = None if row is None else self._kept(self._article(row))
        return found

    def articles_by_id(self, ids: Iterable[int]) -> dict[int, Article]:
        found: dict[int, Article] = {}
        missing = []
        for i in set(ids):
            known = self._unwritten.article(i) or self._read.get(i)
            if known is not None:
                found[i] = known
            else:
                missing.append(i)
        for chunk in chunks(missing):
            for r in self.conn.execute(_BY_IDS, {"ids": chunk}):
                found[r.id] = self._kept(self._article(r))
        return found

    def _kept(self, a: Article) -> Article:
        if a.id is not None:
            self._read[a.id] = a
        return a

    def know_texts(self, hashes: Iterable[str]) -> None:
        """Read at once which understood articles carry each of these content hashes (a batch's),
        for `first_with_text`; the batch's own articles are added as they are saved."""
        wanted = sorted({h for h in hashes if h} - self._texts.keys())
        for h in wanted:
            self._texts[h] = []
        for chunk in chunks(wanted):
            for r in self.conn.execute(_SAME_TEXTS, {"hashes": chunk}):
                if r.status == ArticleStatus.DONE:
                    self._texts[r.content_hash].append((r.published, r.id))

    def first_with_text(self, content_hash: str, exclude: int) -> Article | None:
        """The earliest understood article with this content hash (a wire story carried by many
        outlets has many: their ids and dates are read, and one whole row); a hash the batch's
        `know_texts` did not read is read here, and kept as the batch's are."""
        if content_hash not in self._texts:
            self.know_texts([content_hash])
        done = [(published, i) for published, i in self._texts.get(content_hash, []) if i != exclude]
        if not done:
            return None
        return self.article(min(done)[1])

    def know_bands(self, keys: Iterable[int]) -> None:
        """Read at once the copy bands of stored articles with any of these LSH band keys (a
        batch's), for `band_articles`: most articles share none, and need no query of their own."""
        wanted = sorted(set(keys) - self._bands_read)
        self._bands_read.update(wanted)
        postgresql = self.conn.dialect.name == "postgresql"  # an array: one statement, one parameter
        for chunk in chunks(wanted, _ARRAY_CHUNK if postgresql else CHUNK):
            query = _BAND_ROWS_ARRAY if postgresql else _BAND_ROWS
            for r in self.conn.execute(query, {"keys": list(chunk)}):
                self._bands.setdefault(r.key, []).append((r.article_id, bool(r.signed)))

    def band_articles(self, keys: Sequence[int], exclude: int, limit: int = 50) -> list[Article]:
        """The `limit` articles sharing most of these LSH band keys (a copy shares many; then the
        oldest id), those with a signature, oldest id first: counted from the bands `know_bands`
        read (and the batch's own), or else in one query."""
        shared: Counter[int] = Counter()
        signed: dict[int, bool] = {}
        if self._bands_read.issuperset(keys):
            for k in set(keys):
                for i, has in self._bands.get(k, ()):
                    shared[i] += 1
                    signed[i] = has
        else:
            for r in self.conn.execute(_banded_articles(limit), {"keys": list(keys), "exclude": exclude}):
                shared[r.id], signed[r.id] = int(r.shared), r.signature is not None
                self._kept(self._article(r))  # read: articles_by_id below finds it kept
        return self._ranked_band_articles(shared, signed, keys, exclude, limit)

    def _ranked_band_articles(
        self, shared: Counter[int], signed: dict[int, bool], keys: Sequence[int], exclude: int, limit: int
    ) -> list[Article]:
        """The `limit` stored (`shared`) and batch articles sharing most keys, those signed."""
        shared.pop(exclude, None)
        mine = self._unwritten.banded(keys, exclude)
        ranked = sorted([(-n, i) for i, n in shared.items()] + [(-n, i) for n, i in mine])[:limit]
        ids = [i for _, i in ranked if signed.get(i, True)]
        read = self.articles_by_id(ids) if ids else {}
        return sorted((read[i] for i in ids if i in read), key=lambda a: a.id or 0)

    def story_candidates(
        self, tags: Sequence[str], since: datetime, until: datetime, limit: int = 400
    ) -> list[tuple[int, int, str]]:
        """Understood articles published in [since, until] sharing a tag, shown or passing (read
        from both tables), the `limit` latest (then the highest id): (id, story, features). The
        batch's own are read from memory."""
        if not tags:
            return []
        params = {"tags": list(tags), "since": since, "until": until}
        found = [
            (r.published, r.id, r.story_id, r.features or "{}")
            for r in self.conn.execute(_story_query(limit), params)
        ]
        mine = self._unwritten.story_candidates(tags, since, until)
        if mine:
            found = sorted(found + mine, key=lambda c: (c[0], c[1]), reverse=True)[:limit]
        return [(i, story, features) for _, i, story, features in found]

    def same_headline(self, title: str, since: datetime, until: datetime, exclude: int) -> list[Article]:
        """Understood articles published in [since, until] whose title starts as `title` does
        (HEADLINE_PREFIX characters, case aside), oldest first: the candidates for a copy by
        headline, read from the index on (headline start, published)."""
        if not title.strip():
            return []
        prefix = title[:HEADLINE_PREFIX]
        mine = self._unwritten.same_headline(prefix, HEADLINE_PREFIX, since, until, exclude)
        if mine is None:  # a letter whose case the database may lower otherwise: the rows go there first
            self._write()
            mine = []
        found = self._known_headline(prefix, since, until, exclude)
        if found is None:
            params = dict(prefix=prefix, since=since, until=until, exclude=exclude)
            found = [self._kept(self._article(r)) for r in self.conn.execute(_SAME_HEADLINE, params)]
        if mine:
            found = sorted(found + mine, key=lambda c: (c.published, c.id or 0))[:_SAME_HEADLINE_LIMIT]
        return found

    def _known_headline(
        self, prefix: str, since: datetime, until: datetime, exclude: int
    ) -> list[Article] | None:
        """`same_headline` from the rows `titles_alone` read for the batch, or None when they do
        not answer it (another start or window; a letter with case beyond ASCII, which the
        database may lower otherwise; the batch's rows written since)."""
        known = self._headlines
        if known is None or prefix not in known.prefixes or cased_beyond_ascii(prefix):
            return None
        if not (known.since <= since and until <= known.until):
            return None
        found = [
            a
            for a in known.by_start.get(ascii_lower(prefix), ())
            if a.id != exclude and since <= a.published <= until
        ]
        return sorted(found, key=lambda c: (c.published, c.id or 0))[:_SAME_HEADLINE_LIMIT]

    def titles_alone(self, titles: Sequence[str], since: datetime, until: datetime) -> list[str]:
        """The titles of understood articles published in [since, until], copies of none, whose
        title starts as one of `titles` does (as `same_headline` compares them), in one query
        for a batch: a headline no such article has needs no `same_headline` for its thin copies.
        The rows read (copies too) are kept for the batch's `same_headline`."""
        starts = sorted({t[:HEADLINE_PREFIX] for t in titles if t.strip()})
        if not starts:
            return []
        query = (
            select(articles, _HEADLINE_START.label("start"))
            .where(_HEADLINE_START.in_([func.lower(literal(s, Text)) for s in starts]))
            .where(articles.c.published.between(since, until))
            .where(articles.c.status == ArticleStatus.DONE)
        )
        known = _Headlines(set(starts), since, until, {})
        for r in self.conn.execute(query):
            known.by_start.setdefault(r.start, []).append(self._article(r))
        self._headlines = known
        return [a.title for found in known.by_start.values() for a in found if a.copy_of is None]

    def document_count(self) -> int:
        """How many understood documents the counts cover (the store's and this batch's)."""
        return self.document_frequencies(())[0]

    def document_frequencies(self, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        """How many understood documents there are, and in how many each term occurs (the
        store's counts plus this batch's, not yet flushed)."""
        wanted = [t for t in set(terms) if t] + [DOC_COUNT]
        df: dict[str, int] = {}
        for chunk in chunks(wanted):
            df.update((r.term, r.df) for r in self.conn.execute(_TERM_COUNTS, {"terms": list(chunk)}))
        for t in wanted:
            if self._terms[t]:
                df[t] = df.get(t, 0) + self._terms[t]
        return df.pop(DOC_COUNT, 0), df

    # writes ------------------------------------------------------------------------------------

    def forget(self, ids: Sequence[int]) -> None:
        """Drop what an earlier understanding of these articles left (hashtags, passing tags, copy
        bands), before they are understood again; in three statements for a batch."""
        for chunk in chunks(list(ids)):
            self.conn.execute(delete(hashtags).where(hashtags.c.article_id.in_(chunk)))
            self.conn.execute(delete(passing_tags).where(passing_tags.c.article_id.in_(chunk)))
            self.conn.execute(delete(copy_bands).where(copy_bands.c.article_id.in_(chunk)))

    def save(
        self,
        a: Article,
        *,
        bands: Sequence[int],
        signature: bytes,
        features: str,
        terms: Iterable[str],
        native: Mapping[str, str] | None = None,
    ) -> None:
        """Record what understanding decided for one article (`forget` it first when it may have
        been understood before). A new story is created when a.story_id is None; a story's
        growth, the term counts, and the article's row, hashtags and bands wait for `flush`.
        `native`: how the article writes some of its hashtags in its own language (tag -> form),
        kept as the tags' native forms."""
        assert a.id is not None
        if a.story_id is None:
            a.story_id = self._new_story(a)
        else:
            self._grow(a.story_id, a.published)
        self._unwritten.add(a, bands, signature, features)
        self._terms.update({*terms, DOC_COUNT})
        if a.content_hash in self._texts:
            self._texts[a.content_hash].append((a.published, a.id))
        if native and a.language:
            self._add_forms(native, a.language)

    def keep_passing(self, a: Article, tags: Sequence[str]) -> None:
        """Record the places article `a` (saved) names in passing: never shown, they find its
        reports as its hashtags do (`story_candidates`); written with its hashtags."""
        assert a.id is not None
        self._unwritten.keep_passing(a.id, list(dict.fromkeys(tags)))

    def _add_forms(self, native: Mapping[str, str], language: str) -> None:
        """Keep each (tag, form) once: a form already known stays with its first language. A
        form longer than the column (no name is) is left out rather than refused."""
        rows = [
            {"tag": t, "form": f, "language": language[:16]}
            for t, f in sorted(native.items())
            if 0 < len(f) <= FORM_CHARS and len(t) <= FORM_CHARS
        ]
        if rows:
            self.conn.execute(insert_or_skip(self.conn.dialect.name, tag_forms), rows)

    def quarantine(self, a: Article, reason: str) -> None:
        """Set `a` aside: understanding gave up on it (`reason`), it is never picked up again and
        shows in `tagwire problems`; a problem the page already had is kept after the reason."""
        assert a.id is not None
        a.status = ArticleStatus.QUARANTINED
        a.problem = f"{reason}; {a.problem}" if a.problem else reason
        self.conn.execute(
            update(articles)
            .where(articles.c.id == a.id)
            .values(status=ArticleStatus.QUARANTINED, problem=a.problem)
        )

    def repoint_copies(self, old: int, new: int) -> None:
        """An earlier-published copy arrived late: the copies of `old` (and `old`) now point to `new`."""
        self._unwritten.repoint(old, new)
        self._read.clear()
        if self._headlines is not None:
            for found in self._headlines.by_start.values():
                found[:] = [repointed(a, old, new) for a in found]
        self.conn.execute(update(articles).where(articles.c.copy_of == old).values(copy_of=new, match_of=new))
        self.conn.execute(
            update(articles)
            .where(articles.c.id == old)
            .values(copy_of=new, match_kind=MatchKind.COPY, match_of=new)
        )

    def flush(self) -> None:
        """Write what was kept for the end of the batch: the articles' rows, hashtags and bands,
        the stories' growth, the term counts."""
        self._write(at_end=True)
        self._flush_stories()
        self._flush_terms()

    def _write(self, *, at_end: bool = False) -> None:
        """Write the understood articles kept so far: their hashtags, their bands and their rows,
        each kind in one statement for all of them (an executemany of the driver, or arrays)."""
        saved = self._unwritten.take()
        if not saved:
            return
        self._headlines = None  # rows of the batch now stored: same_headline reads them there
        for s in saved:
            self._read.pop(s.article.id or 0, None)
            for k in () if at_end else s.bands:  # from now on stored bands
                if k in self._bands_read:
                    self._bands.setdefault(k, []).append((s.article.id or 0, True))
        self._insert(hashtags, [row for s in saved for row in _hashtag_rows(s)])
        self._insert(passing_tags, [row for s in saved for row in _passing_rows(s)])
        self._write_bands(saved)
        rows = [
            {"article_id": s.article.id, **_understood_values(s.article, s.signature, s.features)}
            for s in saved
        ]
        self.conn.execute(_UNDERSTOOD, rows)

    def _insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """Rows into `table` in one statement (the driver's executemany on SQLite)."""
        if self.conn.dialect.name != "postgresql":
            insert_rows(self.conn, table, rows)
        elif rows:  # SQLAlchemy sends many rows an INSERT
            self.conn.execute(insert(table), rows)

    def _write_bands(self, saved: Sequence[Saved]) -> None:
        keys = [k for s in saved for k in s.bands]
        ids = [s.article.id for s in saved for _ in s.bands]
        if not keys:
            return
        if self.conn.dialect.name == "postgresql":  # one statement over two arrays, not one per band
            for start in range(0, len(keys), _ARRAY_CHUNK):
                window = slice(start, start + _ARRAY_CHUNK)
                self.conn.execute(_ADD_BANDS_ARRAY, {"keys": keys[window], "ids": ids[window]})
        else:
            rows = [{"key": k, "article_id": i} for k, i in zip(keys, ids, strict=True)]
            insert_rows(self.conn, copy_bands, rows)

    def _new_story(self, a: Article) -> int:
        values = dict(
            headline=a.title, first_published=a.published, last_published=a.published, article_count=1
        )
        return int(self.conn.execute(_NEW_STORY, values).inserted_primary_key[0])  # type: ignore[index]

    def _grow(self, story_id: int, published: datetime) -> None:
        added, first, last = self._grown.get(story_id, (0, published, published))
        self._grown[story_id] = (added + 1, min(first, published), max(last, published))

    def _flush_stories(self) -> None:
        """Grow each story in SQL (count + added, earliest and latest date), so two processes
        understanding at once never lose each other's articles; rows are locked in id order."""
        grown, self._grown = self._grown, {}
        for story_id in sorted(grown):
            added, first, last = grown[story_id]
            values = dict(
                article_count=stories.c.article_count + added,
                first_published=_earlier(stories.c.first_published, first),
                last_published=_later(stories.c.last_published, last),
            )
            self.conn.execute(update(stories).where(stories.c.id == story_id).values(**values))

    def _flush_terms(self) -> None:
        """Add this batch's counts to term_stats in one upsert (a term new to the store is inserted,
        a known one counted up): on PostgreSQL one statement over two arrays, on SQLite one
        executemany in the process. Deciding is exclusive (Repository.understanding), so no two
        batches upsert at once."""
        counts, self._terms = self._terms, Counter()
        wanted = sorted(t for t, n in counts.items() if n)
        if not wanted:
            return
        if self.conn.dialect.name == "postgresql":
            for chunk in chunks(wanted, _ARRAY_CHUNK):
                self.conn.execute(
                    _upsert_terms("postgresql"), {"terms": chunk, "dfs": [counts[t] for t in chunk]}
                )
        else:
            rows = [{"term": t, "df": counts[t]} for t in wanted]
            insert_rows(self.conn, term_stats, rows, _upsert_terms("sqlite"))


_UNDERSTOOD_COLUMNS = (
    "status", "wire_origin", "copy_of", "story_id", "language", "match_kind", "match_score", "match_of",
    "features", "signature",
)  # fmt: skip
_UNDERSTOOD = (
    update(articles)
    .where(articles.c.id == bindparam("article_id"))
    .values({c: bindparam("new_" + c, type_=articles.c[c].type) for c in _UNDERSTOOD_COLUMNS})
)


def _hashtag_rows(s: Saved) -> list[dict[str, Any]]:
    a = s.article
    return [{"article_id": a.id, "tag": t, "rank": i, "published": a.published} for i, t in enumerate(s.tags)]


def _passing_rows(s: Saved) -> list[dict[str, Any]]:
    a = s.article
    return [{"article_id": a.id, "tag": t, "published": a.published} for t in s.passing]


def _understood_values(a: Article, signature: bytes, features: str) -> dict[str, Any]:
    """The parameters of _UNDERSTOOD for an article."""
    m = a.match or Match(MatchKind.NEW)
    values = dict(
        status=ArticleStatus.DONE,
        wire_origin=a.wire_origin,
        copy_of=a.copy_of,
        story_id=a.story_id,
        language=a.language,
        match_kind=m.kind,
        match_score=m.score,
        match_of=m.of,
        features=features,
        signature=signature,
    )
    return {"new_" + k: v for k, v in values.items()}


# The per-article reads, built once with bound parameters: building a statement costs more than
# running it on SQLite.
_BY_ID = select(articles).where(articles.c.id == bindparam("id"))
_BY_IDS = select(articles).where(articles.c.id.in_(bindparam("ids", expanding=True)))  # built once
_NEW_STORY = insert(stories)
# PostgreSQL runs an executemany as one INSERT per row (58 bands an article): arrays instead
_ADD_BANDS_ARRAY = insert(copy_bands).from_select(
    ["key", "article_id"],
    select(
        func.unnest(bindparam("keys", type_=ARRAY(BigInteger))),
        func.unnest(bindparam("ids", type_=ARRAY(Integer))),
    ),
)
_BANDS_OF = select(
    copy_bands.c.key, copy_bands.c.article_id, articles.c.signature.is_not(None).label("signed")
).join(articles, articles.c.id == copy_bands.c.article_id)
_BAND_ROWS = _BANDS_OF.where(copy_bands.c.key.in_(bindparam("keys", expanding=True)))
_BAND_ROWS_ARRAY = _BANDS_OF.where(copy_bands.c.key == any_(bindparam("keys", type_=ARRAY(BigInteger))))
# _SAME_TEXTS reads narrow rows by the content-hash index and leaves status and order to Python:
# with either in SQL, SQLite walks every understood article by date instead
_SAME_TEXTS = select(articles.c.id, articles.c.published, articles.c.status, articles.c.content_hash).where(
    articles.c.content_hash.in_(bindparam("hashes", expanding=True))
)
_TERM_COUNTS = select(term_stats).where(term_stats.c.term.in_(bindparam("terms", expanding=True)))
_ARRAY_CHUNK = 20_000  # terms of one upsert on PostgreSQL (a batch counts a few thousand)


@functools.cache
def _upsert_terms(dialect: str) -> Any:
    """Count terms up in term_stats, inserting those new to it: on PostgreSQL from two arrays
    (terms, dfs) in one statement, on SQLite row by row (an executemany in the process). Built on
    first use: PostgreSQL's dialect module loads only where PostgreSQL is used."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        counted = select(
            func.unnest(bindparam("terms", type_=ARRAY(Text))),
            func.unnest(bindparam("dfs", type_=ARRAY(Integer))),
        )
        pg = postgresql.insert(term_stats).from_select(["term", "df"], counted)
        return pg.on_conflict_do_update(
            index_elements=[term_stats.c.term], set_={"df": term_stats.c.df + pg.excluded.df}
        )
    from sqlalchemy.dialects import sqlite

    lite = sqlite.insert(term_stats)
    return lite.on_conflict_do_update(
        index_elements=[term_stats.c.term], set_={"df": term_stats.c.df + lite.excluded.df}
    )


@functools.cache
def _banded(limit: int) -> Select[tuple[int, int]]:
    """Articles sharing at least one of the band keys, most shared first (then oldest id)."""
    shared = func.count().label("shared")
    return (
        select(copy_bands.c.article_id, shared)
        .where(copy_bands.c.key.in_(bindparam("keys", expanding=True)))
        .where(copy_bands.c.article_id != bindparam("exclude"))
        .group_by(copy_bands.c.article_id)
        .order_by(shared.desc(), copy_bands.c.article_id)
        .limit(limit)
    )


@functools.cache
def _banded_articles(limit: int) -> Select[Any]:
    """The rows of _banded's articles, with how many keys each shares (those without a signature
    are left out after the batch's own are ranked with them)."""
    best = _banded(limit).subquery()
    return select(articles, best.c.shared).join(best, articles.c.id == best.c.article_id)


@functools.cache
def _story_query(limit: int) -> Select[Any]:
    """Understood articles in the window that carry one of the tags, shown or passing, newest
    first. Read from the two tag indexes (tag, published): they hold just the window's articles
    of each tag, so the cost follows the tags' use in the window, not the window's size or the
    store's."""
    tagged = union(*(_in_window(t) for t in (hashtags, passing_tags))).subquery()
    return (
        select(articles.c.published, articles.c.id, articles.c.story_id, articles.c.features)
        .select_from(tagged.join(articles, articles.c.id == tagged.c.article_id))
        .where(articles.c.status == ArticleStatus.DONE, articles.c.story_id.is_not(None))
        .order_by(articles.c.published.desc(), articles.c.id.desc())
        .limit(limit)
    )


def _in_window(table: Any) -> Select[tuple[int]]:
    """The articles of `table` (hashtags, passing_tags) with one of the tags in the window."""
    return select(table.c.article_id).where(
        table.c.tag.in_(bindparam("tags", expanding=True)),
        table.c.published.between(bindparam("since"), bindparam("until")),
    )


HEADLINE_PREFIX = 24  # characters of a title compared in SQL (the whole key is compared after)
_SAME_HEADLINE_LIMIT = 20


_HEADLINE_START = func.lower(
    func.substr(articles.c.title, literal_column("1"), literal_column(str(HEADLINE_PREFIX)))
)  # as the index ix_articles_headline has it (literal numbers: a bound one would not match it)
_SAME_HEADLINE = (
    select(articles)
    .where(func.lower(bindparam("prefix", type_=Text)) == _HEADLINE_START)
    .where(articles.c.published.between(bindparam("since"), bindparam("until")))
    .where(articles.c.status == ArticleStatus.DONE, articles.c.id != bindparam("exclude"))
    .order_by(articles.c.published, articles.c.id)
    .limit(_SAME_HEADLINE_LIMIT)
)


def _earlier(column: Any, moment: datetime) -> Any:
    """SQL for the earlier of a stored time and `moment` (bound as the column's own type)."""
    value = literal(moment, column.type)
    return case((column > value, value), else_=column)


def _later(column: Any, moment: datetime) -> Any:
    value = literal(moment, column.type)
    return case((column < value, value), else_=column)
