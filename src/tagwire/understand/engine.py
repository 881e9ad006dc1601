"""Understanding, run against the store: hashtags, wire origin, copies, stories.

The same code serves `tagwire fetch` (pending articles after ingest) and `tagwire analyze`
(a stream of articles from a file): both store articles, then call `Understander.understand`
on batches in publication order. What each article gives on its own (hashtags, with entities
found for a whole batch at once by spaCy's nlp.pipe; signature; story features) is prepared
first, for the next batch in a worker process while this one is decided (prepare.py, ahead.py);
the decisions that depend on earlier articles (copy of what, which story) are taken one article
at a time, each seen by the next (kept in memory and written at the batch's end, store/
unwritten.py), all of a batch in one transaction (Repository.understanding): a crash mid-batch
leaves the whole batch pending.

One article never holds the others: preparing it runs within its time budget (prepare.py), and
an article that fails to prepare, or whose decision raises, is quarantined with the reason
(status "quarantined", `tagwire problems`) while the rest of its batch is understood. Failures
of the database itself (disk full, connection lost) quarantine nothing: the batch stays pending.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from tagwire.config import Settings
from tagwire.mainthread import MainThread
from tagwire.models import Article, Match, MatchKind
from tagwire.store import Repository
from tagwire.store.decisions import Decisions, environmental
from tagwire.understand import copies, languages, prepare, stories
from tagwire.understand.hashtags import HashtagTagger
from tagwire.understand.prepare import Outcome, Prepared, Preparers, Quarantined, inputs, prepare_many

BATCH = 64
Ahead = deque[tuple[list[Article], Future[list[Outcome]]]]  # batches whose preparing has started
FEATURES_KEPT = 4_000  # parsed story features kept between articles (~10 KB each in memory)
DF_KEPT = 200_000  # document frequencies kept between batches (~100 bytes each)


@dataclass(frozen=True)
class CopyFound:
    original: Article
    score: float
    how: str = "the same text"


class Understander:
    def __init__(
        self,
        repo: Repository,
        settings: Settings,
        tagger: HashtagTagger | None = None,
        main: MainThread | None = None,
    ) -> None:
        self.repo = repo
        self.window = timedelta(hours=settings.story_window_hours)
        self.tagger = tagger or HashtagTagger()
        # a tagger passed in is used as it is, in this process; workers load their own
        processes = settings.understand_processes if tagger is None else 0
        self.budget = settings.understand_budget
        self.preparers = Preparers.per_setting(processes, self.tagger, self.budget, main)
        self.quarantined = 0  # articles set aside by this understander
        self._df: dict[str, int] = {}  # document frequencies read from the store, kept exact below
        self._df_read = 0  # how many times _df was dropped and read afresh
        self._docs: int | None = None
        self._features: dict[str, stories.StoryFeatures] = {}
        # stored features whose terms all have their counts in _df since its reading `_complete_read`
        self._complete: set[str] = set()
        self._complete_read = 0
        self.known = languages.KnownNames()  # [languages] names tagged so far, for other languages
        self._store_names_known = False
        # headline keys that articles copies of none have, for this batch (see _headlines_alone)
        self._alone: set[str] = set()

    def run_pending(
        self, progress: Callable[[int], None] | None = None, stop: Callable[[], bool] | None = None
    ) -> int:
        """Understand every pending article, oldest first, a batch at a time (each batch saved
        in one transaction), until none is left or `stop()` says so; returns how many. The next
        batches are prepared (by worker processes, see ahead.py) while one is decided."""
        done, queue = 0, self._ahead(deque(), None)
        while queue and not (stop and stop()):
            batch, ready = queue.popleft()
            self._ahead(queue, queue[-1][0][-1] if queue else batch[-1])
            understood = len(self.understand(batch, self.prepared(ready, batch)))
            if not understood:  # another process holds this batch; what is left is its work
                break
            done += understood
            if progress:
                progress(understood)
            if not queue:  # the end: what was stored meanwhile, earlier in the order
                self._ahead(queue, None)
        for _, ready in queue:
            ready.cancel()
        return done

    def _ahead(self, queue: Ahead, after: Article | None) -> Ahead:
        """Queue the next pending batches (after `after` in publication order), one per worker,
        each being prepared: by the workers, except a first batch (after None), prepared here
        (one small batch, as when fetches trickle in, never starts a worker)."""
        while len(queue) < max(1, self.preparers.processes):
            batch = self.repo.pending(limit=BATCH, after=after)
            if not batch:
                break
            queue.append((batch, self.prepare_ahead(batch, here=after is None)))
            after = batch[-1]
        return queue

    def prepare_ahead(self, batch: Sequence[Article], *, here: bool = False) -> Future[list[Outcome]]:
        """Start preparing `batch` in a worker (here, at once, with `here`); `prepared` waits."""
        return self.preparers.ahead(inputs(batch), here=here)

    def prepared(self, ready: Future[list[Outcome]], batch: Sequence[Article]) -> list[Outcome]:
        return self.preparers.prepared(ready, inputs(batch))

    def understand(
        self, batch: Sequence[Article], prepared: Sequence[Outcome] | None = None
    ) -> list[Article]:
        """Decide hashtags, wire origin, copy and story for each article and save them
        (`prepared`: the batch prepared already, else it is prepared here). When deciding
        raises, the batch is rolled back and decided again one article at a time: the article
        that raises alone is quarantined, the others are understood."""
        if prepared is None:
            prepared = prepare_many(inputs(batch), self.tagger, self.budget)  # before the transaction
        try:
            return self._understand(batch, prepared)
        except Exception as error:
            if environmental(error):
                raise
            if len(batch) > 1:
                return [
                    a for one in zip(batch, prepared, strict=True) for a in self.understand(*_single(one))
                ]
            return self._understand(batch, [Quarantined(_failure(error))])

    def _understand(self, batch: Sequence[Article], prepared: Sequence[Outcome]) -> list[Article]:
        self._know_names(prepared)  # [languages]
        try:
            with self.repo.understanding() as tx:
                mine = tx.claim([a.id for a in batch if a.id is not None])  # another process may be first
                if self._docs is None or tx.document_count() != self._docs:
                    self._drop_counts()  # another process has counted since: read afresh
                chosen = [(a, p) for a, p in zip(batch, prepared, strict=True) if a.id in mine]
                # the document frequencies of the batch's own terms in one read, not one per article
                self._idf([t for _, p in chosen if isinstance(p, Prepared) for t in p.features.counted()], tx)
                tx.know_texts(a.content_hash for a, _ in chosen)  # and the earlier carriers of their texts
                tx.know_bands(k for _, p in chosen if isinstance(p, Prepared) for k in p.bands)  # and bands
                self._alone = self._headlines_alone([a for a, _ in chosen], tx)
                # [languages] the English names of the batch are known before any article is decided
                english = [p for _, p in chosen if isinstance(p, Prepared) and p.reading is None]
                self.known.learn(t for p in english for t in p.finding_tags())
                for article, p in chosen:
                    if isinstance(p, Quarantined):
                        tx.quarantine(article, p.reason)
                    else:
                        self._decide(article, p, tx)
        except BaseException:
            self._drop_counts()  # counted up for saves that were rolled back
            raise
        self.quarantined += sum(isinstance(p, Quarantined) for _, p in chosen)
        return [a for a, _ in chosen]

    def _know_names(self, prepared: Sequence[Outcome]) -> None:
        """[languages] Before the first article in another language, the names the store has tagged
        most (KNOWN_FROM_STORE) become known, so that a new process tags 中谷 as #GenNakatani too."""
        if not self._store_names_known and any(isinstance(p, Prepared) and p.reading for p in prepared):
            self.known.learn(tag for tag, _ in self.repo.top_tags(limit=languages.KNOWN_FROM_STORE))
            self._store_names_known = True

    def close(self) -> None:
        """Stop the preparing workers (a new run starts them again)."""
        self.preparers.close()

    def _decide(self, a: Article, p: Prepared, tx: Decisions) -> None:
        if p.reading is not None:  # [languages] another language: its names matched with known ones
            p = prepare.resolved(p, self.known, a.outlet)
            self.known.learn(p.hashtags)
        a.hashtags, a.wire_origin, a.language = p.hashtags, p.wire_origin, p.language
        # as later candidates bring it back: its terms in the stored (sorted) order, so that sums
        # over them give the very floats that reading it back would
        self._remember(p.features_json, replace(p.features, terms=dict(sorted(p.features.terms.items()))))
        found, decision = self._copy_or_story(a, p, tx)
        late_original: Article | None = None
        if found is not None:
            late_original = self._join_copy(a, found)
        elif decision is not None:
            self._join_story(a, decision)
        counted = p.features.counted()
        tx.save(
            a, bands=p.bands, signature=p.signature, features=p.features_json, terms=counted, native=p.native
        )  # [languages] native: the tags' forms in the article's language
        tx.keep_passing(a, p.passing)
        self._counted(counted)
        if a.copy_of is None:
            self._alone.add(copies.headline_key(a.title))
        if late_original is not None and a.id is not None:
            tx.repoint_copies(late_original.id or 0, a.id)

    def _copy_or_story(
        self, a: Article, p: Prepared, tx: Decisions
    ) -> tuple[CopyFound | None, stories.Decision[tuple[int, int]] | None]:
        """The original `a` copies, else its story (and then a copy edited hard among the story's
        nearest reports). A text of one template filled with another event's facts (templated.py)
        is no copy, and its story is not a's."""
        twins: list[Article] = []
        found = self._find_copy(a, p.bands, tx, twins)
        if found is not None:
            return found, None
        decision = self._story_decision(a, p.finding_tags(), p.features, tx, twins)
        seen = len(twins)
        found = self._find_edited_copy(a, [i for _, i in decision.nearest], tx, twins)
        if found is None and len(twins) > seen:  # the story chosen holds another event's bulletin
            decision = self._story_decision(a, p.finding_tags(), p.features, tx, twins)
        if twins:
            decision = decision._replace(why=_twins_told(decision.why, twins))
        return found, decision

    # copies ------------------------------------------------------------------------------------

    def _find_copy(
        self, a: Article, bands: Sequence[int], tx: Decisions, twins: list[Article]
    ) -> CopyFound | None:
        """The original `a` copies: by its text; a thin text (a feed's summary) by its headline,
        and the thin copies of a text by theirs (see copies.py). Texts of one template filled with
        other facts are added to `twins`."""
        if copies.thin(a.text):
            return self._by_headline(a, tx)
        return self._with_thin_copies(a, self._by_text(a, bands, tx, twins), tx)

    def _by_text(
        self, a: Article, bands: Sequence[int], tx: Decisions, twins: list[Article]
    ) -> CopyFound | None:
        assert a.id is not None
        exact = tx.first_with_text(a.content_hash, a.id)
        if exact is not None:
            return CopyFound(self._root(exact, tx), 1.0)
        return self._best_copy(a, tx.band_articles(bands, a.id, limit=50), tx, twins)

    def _find_edited_copy(
        self, a: Article, nearest: Sequence[int], tx: Decisions, twins: list[Article]
    ) -> CopyFound | None:
        """A copy among the articles nearest in story terms (reports of the same event): a text
        edited too hard for the signatures to meet (paragraphs reordered, words swapped) is
        still among the event's closest reports; here sentences aligned order-free count too
        (copy_score's `edited`), where a text that only reuses sentences of another, on another
        event, is never looked at. The candidates are read in one query."""
        read = tx.articles_by_id(i for i in nearest if i != a.id) if nearest else {}
        return self._best_copy(a, [read[i] for i in nearest if i in read], tx, twins, edited=True)

    def _best_copy(
        self,
        a: Article,
        others: Iterable[Article],
        tx: Decisions,
        twins: list[Article],
        *,
        edited: bool = False,
    ) -> CopyFound | None:
        """The best copy among `others`, the best first; those that are one template filled with
        other facts (`copies.confirmed`) are added to `twins` instead."""
        found: list[tuple[float, str, Article, str]] = []
        text = languages.copy_text(a.text, a.language)  # [languages] cut into words where it has no spaces
        for other in others:
            if not languages.may_copy(a.language, other.language):  # [languages] a translation is no copy
                continue
            other_text = languages.copy_text(other.text, other.language)
            score, how = copies.copy_score(text, other_text, edited=edited)
            if score >= copies.COPY_THRESHOLD:
                found.append((score, how, other, other_text))
        for score, how, other, theirs in sorted(found, key=lambda f: -f[0]):  # the best first
            verdict = copies.confirmed(text, theirs, (score, how), (a.title, other.title))
            if verdict.score >= copies.COPY_THRESHOLD:
                return CopyFound(self._root(other, tx), verdict.score, verdict.how)
            if verdict.template:
                twins.append(other)
        return None

    def _same_headline(self, a: Article, tx: Decisions) -> list[Article]:
        """Understood articles near in time, sharing a hashtag and a's headline, oldest first."""
        key, window = copies.headline_key(a.title), timedelta(hours=copies.HEADLINE_WINDOW_HOURS)
        if not key or a.id is None:
            return []
        found = tx.same_headline(a.title, a.published - window, a.published + window, a.id)
        return [c for c in found if copies.headline_key(c.title) == key]

    def _by_headline(self, a: Article, tx: Decisions) -> CopyFound | None:
        """A thin article's original: that of the article with its headline (a full text first)."""
        same = self._same_headline(a, tx)
        if not same:
            return None
        best = min(same, key=lambda c: (copies.thin(c.text), c.published, c.id or 0))
        return CopyFound(self._root(best, tx), copies.HEADLINE_SCORE)

    def _with_thin_copies(self, a: Article, found: CopyFound | None, tx: Decisions) -> CopyFound | None:
        """A full text joins the thin article with its headline that stands alone (decided before
        any full text of it): into its group, the earlier published being the original. Only when an
        article copy of none has the headline (`_headlines_alone`): most have none."""
        if copies.headline_key(a.title) not in self._alone:
            return found
        alone = [c for c in self._same_headline(a, tx) if copies.thin(c.text) and c.copy_of is None]
        if not alone:
            return found
        thin = alone[0]
        if found is None:
            return CopyFound(thin, copies.HEADLINE_SCORE)
        root = found.original
        if thin.id == root.id or thin.id is None or root.id is None:
            return found
        if thin.published < root.published:
            tx.repoint_copies(root.id, thin.id)
            return CopyFound(thin, found.score)
        tx.repoint_copies(thin.id, root.id)
        return found

    def _headlines_alone(self, batch: Sequence[Article], tx: Decisions) -> set[str]:
        """The headline keys that understood articles copies of none, published within
        HEADLINE_WINDOW_HOURS of the batch, share with the batch's articles: read in one query
        for the batch (those decided in it are added as they are saved). An article without a
        date or title is left out here: deciding it fails, and it alone is quarantined."""
        ok = [a for a in batch if isinstance(a.published, datetime) and isinstance(a.title, str)]
        if not ok:
            return set()
        window = timedelta(hours=copies.HEADLINE_WINDOW_HOURS)
        since, until = min(a.published for a in ok) - window, max(a.published for a in ok) + window
        return {copies.headline_key(t) for t in tx.titles_alone([a.title for a in ok], since, until)}

    def _root(self, other: Article, tx: Decisions) -> Article:
        """The original a copy points to: copies of copies point to the first publisher."""
        if other.copy_of is None:
            return other
        return tx.article(other.copy_of) or other

    def _join_copy(self, a: Article, found: CopyFound) -> Article | None:
        """Link a to the original; when a was published earlier, a becomes the original and the
        old original (returned) is re-pointed to it after a is saved."""
        original = found.original
        a.story_id = original.story_id
        if a.published < original.published:
            a.copy_of = None
            a.match = Match(MatchKind.ORIGINAL, found.score, original.id, f"published first; {found.how}")
            return original
        a.copy_of = original.id
        a.match = Match(MatchKind.COPY, found.score, original.id, found.how)
        return None

    # stories -----------------------------------------------------------------------------------

    def _story_decision(
        self,
        a: Article,
        keys: Sequence[str],
        feats: stories.StoryFeatures,
        tx: Decisions,
        twins: Sequence[Article] = (),
    ) -> stories.Decision[tuple[int, int]]:
        """The story of `a` among the reports sharing one of its `keys` (tags shown and passing),
        but the stories of its `twins` (one template, another event's facts: another event)."""
        since, until = a.published - self.window, a.published + self.window
        apart = {t.story_id for t in twins}
        found = [
            (i, s, f) for i, s, f in tx.story_candidates(keys, since, until) if i != a.id and s not in apart
        ]
        cands = [((s, i), self._parsed(f)) for i, s, f in found]
        idf = self._candidates_idf(feats, cands, [f for _, _, f in found], tx)
        return languages.matching.choose(  # [languages] across languages, numbers read from texts
            feats,
            cands,
            idf,
            self.window,
            a.text,
            lambda k: getattr(tx.article(k[1]), "text", None),
            story_of=_story_of,
        )

    def _join_story(self, a: Article, decision: stories.Decision[tuple[int, int]]) -> None:
        if decision.best is None:
            a.story_id, a.match = None, Match(MatchKind.NEW, 0.0, None, decision.why)
        else:
            (story_id, article_id), score, why = decision.best
            a.story_id, a.match = story_id, Match(MatchKind.STORY, score, article_id, why)

    def _parsed(self, stored: str) -> stories.StoryFeatures:
        """Stored features, parsed once: a busy window gives the same candidates to article after
        article. Keyed by the stored text itself, so a changed value is parsed anew."""
        found = self._features.get(stored)
        return found if found is not None else self._remember(stored, stories.from_json(stored))

    def _remember(self, stored: str, feats: stories.StoryFeatures) -> stories.StoryFeatures:
        if len(self._features) >= FEATURES_KEPT:
            self._features.clear()
        self._features[stored] = feats
        return feats

    def _candidates_idf(
        self,
        feats: stories.StoryFeatures,
        cands: Sequence[tuple[object, stories.StoryFeatures]],
        stored: Sequence[str],
        tx: Decisions,
    ) -> Callable[[str], float]:
        """`_idf` for the new article's terms and its candidates': the terms of a candidate whose
        counts were all read already (`_complete`, as long as those counts are kept) are not
        gathered again; when the counts are read afresh, every candidate's terms are read."""
        if self._complete_read != self._df_read or len(self._complete) >= FEATURES_KEPT:
            self._complete, self._complete_read = set(), self._df_read
        fresh = [f for (_, f), s in zip(cands, stored, strict=True) if s not in self._complete]
        idf = self._idf([t for f in fresh for t in f.counted()] + feats.counted(), tx)
        if self._complete_read != self._df_read:  # read afresh: the others' terms too
            idf = self._idf([t for _, f in cands for t in f.counted()] + feats.counted(), tx)
            self._complete, self._complete_read = set(), self._df_read
        self._complete.update(stored)
        return idf

    def _idf(self, terms: Sequence[str], tx: Decisions) -> Callable[[str], float]:
        """IDF from the store's document frequencies. What was read is kept from batch to batch
        (and counted up as this process saves articles), so candidates' terms are not read
        again; it is read afresh whenever the store's document count shows that another
        process has counted since, and dropped past DF_KEPT terms."""
        if len(self._df) >= DF_KEPT:
            self._drop_counts(keep_docs=True)
        wanted = set(terms)
        missing = [t for t in wanted if t not in self._df]
        if missing or self._docs is None:
            n, found = tx.document_frequencies(missing)
            if self._docs is not None and n != self._docs:  # another process committed meanwhile
                self._drop_counts(keep_docs=True)
                missing = list(wanted)
                n, found = tx.document_frequencies(missing)
            self._docs = n
            self._df.update({t: found.get(t, 0) for t in missing})
        df, n = self._df, self._docs
        by_count: dict[int, float] = {}  # most terms share a few small counts: each weighed once

        def idf(term: str) -> float:
            count = df.get(term, 0)
            weight = by_count.get(count)
            if weight is None:
                weight = by_count[count] = stories.idf_weight(count, n)
            return weight

        return idf

    def _drop_counts(self, *, keep_docs: bool = False) -> None:
        """Forget the document frequencies read (and, unless `keep_docs`, the document count):
        they are read afresh, and the features whose terms were complete are no longer."""
        self._df, self._df_read = {}, self._df_read + 1
        if not keep_docs:
            self._docs = None

    def _counted(self, terms: Iterable[str]) -> None:
        """Mirror what saving added to the counts (the batch's, until its transaction flushes them)."""
        if self._docs is not None:
            self._docs += 1
        for t in set(terms):
            if t in self._df:
                self._df[t] += 1


def _twins_told(why: str, twins: Sequence[Article]) -> str:
    """Why a story was not chosen, and which reports are one template with other facts."""
    told = ", ".join(f"#{t.id}" for t in twins[:3])
    twin = f"one template filled with another event's names and figures as {told}: not of its story"
    return f"{why}; {twin}" if why else twin


def _story_of(key: tuple[int, int]) -> int:
    return key[0]


def _single(one: tuple[Article, Outcome]) -> tuple[list[Article], list[Outcome]]:
    return [one[0]], [one[1]]


def _failure(error: Exception) -> str:
    """Why deciding an article failed, in a line."""
    return f"deciding its copy and story failed ({type(error).__name__}: {str(error)[:200]})"
