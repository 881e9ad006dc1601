"""What the pages, the feeds, the API, alerts and `tagwire page` show: one function per view, each
returning a typed view (app/viewmodels.py) built from the store, so the CLI, the JSON API and the
HTML pages can never disagree. Times stay `datetime`s; JSON is written by the faces."""

from __future__ import annotations

import difflib
import re
from datetime import UTC, datetime
from weakref import WeakKeyDictionary

from tagwire.app.highlight import best_text, highlight, highlighter, needs_text, snippet
from tagwire.app.viewmodels import (
    ArticleView,
    LatestPage,
    MatchView,
    NativeForm,
    OutletPage,
    Problem,
    SearchMatch,
    SearchPage,
    SearchStory,
    SourceCounts,
    SourcesPage,
    SourceView,
    StoryView,
    TagPage,
    TagsPage,
    TagUse,
    Trend,
    TrendingPage,
)
from tagwire.app.viewmodels import iso as iso  # the views' time format, for the faces that write JSON
from tagwire.models import Article, Source, SourceStatus, Story
from tagwire.query import parse
from tagwire.store import Repository
from tagwire.store.search import StoryHit
from tagwire.store.stories import BASELINE, WINDOW, TagCounts

PAGE_SIZE = 30
TRENDING = 12  # hashtags shown as trending
PRIOR = 2.0  # stories added to both sides of a rise, so one story of a new tag is no trend
MIN_RECENT = 2  # stories in the window before a hashtag can trend at all
MEMO_SIZE = 16  # trending results kept per store (per minute and data version)
PROBLEMS_SHOWN = 100  # quarantined articles listed on /sources (`tagwire problems` lists all)
SUGGESTED = 5  # near hashtags suggested for an unknown one
SPELLING_POOL = 5000  # most used hashtags compared for spelling
POPULAR = 12  # most used hashtags linked from the home page
_NOT_WORD = re.compile(r"\W+")
_POPULAR: WeakKeyDictionary[Repository, dict[tuple[object, ...], tuple[TagUse, ...]]] = WeakKeyDictionary()
_TRENDS: WeakKeyDictionary[Repository, dict[tuple[object, ...], TrendingPage]] = WeakKeyDictionary()


def age(published: datetime, now: datetime) -> str:
    """ "N minutes/hours/days ago" within 7 days of now, else the date as DD-MM-YYYY."""
    seconds = (now - published).total_seconds()
    if seconds < 0 or seconds >= 7 * 86400:
        at = published.astimezone(UTC)
        return f"{at:%d-%m}-{at.year:04d}"  # (%Y does not pad years before 1000)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        n = int(seconds // size)
        if n >= 1:
            return f"{n} {unit}{'s' if n > 1 else ''} ago"
    return "just now"


def parse_now(value: str | None) -> datetime:
    """The `now` a page is rendered at: an ISO 8601 time (reproducible pages), else the clock."""
    return from_iso(value.strip()) if value else datetime.now(UTC)


def from_iso(text: str) -> datetime:
    """An ISO 8601 time (as the views write them, "...Z") as an aware UTC datetime; a time
    without an offset is taken to be UTC."""
    dt = datetime.fromisoformat(text)
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def clean_tag(tag: str) -> str:
    return tag.strip().lstrip("#")


def tag_key(tag: str) -> str:
    """A hashtag as typed, without what its spelling may vary by: '#', spaces, punctuation
    ("state of the union" -> "stateoftheunion"; the case is ignored by the store)."""
    return _NOT_WORD.sub("", clean_tag(tag))


def as_hashtag(tag: str) -> str:
    """A tag as typed, written as a hashtag: words run together, each capitalised when it was
    typed with spaces or punctuation ("state of the union" -> "StateOfTheUnion")."""
    words = [w for w in _NOT_WORD.split(clean_tag(tag)) if w]
    if len(words) < 2:
        return "".join(words)
    return "".join(w[:1].upper() + w[1:] for w in words)


def find_tag(repo: Repository, tag: str) -> str | None:
    """The stored spelling of a hashtag given in any case or spacing, or None when no article
    carries it (#Aldoria for "aldoria", #StateOfTheUnion for "state of the union")."""
    key = tag_key(tag)
    return repo.canonical_tag(key) if key else None


def suggest_tags(repo: Repository, tag: str, limit: int = SUGGESTED) -> tuple[str, ...]:
    """Hashtags near an unknown one: those containing it, then those spelled alike among the
    most used."""
    key = tag_key(tag)
    if not key:
        return ()
    found = dict.fromkeys(repo.tags_containing(key, limit=limit) if len(key) >= 3 else [])
    common = {t.lower(): t for t, _ in repo.top_tags(limit=SPELLING_POOL)}
    for near in difflib.get_close_matches(key.lower(), list(common), n=limit, cutoff=0.75):
        found.setdefault(common[near])
    return tuple(found)[:limit]


def popular_tags(repo: Repository, limit: int = POPULAR) -> tuple[TagUse, ...]:
    """The most used hashtags (by stories), for the home page; kept until the data changes."""
    key = ("popular", limit, *repo.data_version())
    memo = _POPULAR.setdefault(repo, {})
    found = memo.get(key)
    if found is None:
        memo.clear()
        found = memo[key] = tags_page(repo, limit).tags
    return found


def tags_page(repo: Repository, top: int | None = None) -> TagsPage:
    """Every hashtag (or the `top` most used) with its stories and last use, most used first."""
    uses = tuple(TagUse(tag=u.tag, stories=u.stories, last_used=u.last_used) for u in repo.tag_uses(top))
    return TagsPage(heading="Hashtags", tags=uses)


# stories --------------------------------------------------------------------------------------


def article_view(a: Article, now: datetime, urls: dict[int, str]) -> ArticleView:
    match = a.match
    return ArticleView(
        id=a.id,
        outlet=a.outlet,
        title=a.title,
        url=a.url,
        category=a.section,
        published=a.published,
        age=age(a.published, now),
        wire_origin=a.wire_origin,
        copy_of=urls.get(a.copy_of) if a.copy_of else None,
        hashtags=tuple(a.hashtags),
        summary=a.summary,
        language=a.language,
        match=MatchView(
            kind=match.kind, score=round(match.score, 3), of=urls.get(match.of) if match.of else None
        )
        if match
        else None,
    )


def story_view(s: Story, now: datetime, urls: dict[int, str]) -> StoryView:
    first = min(s.articles, key=lambda a: (a.published, a.id or 0)) if s.articles else None
    return StoryView(
        id=s.id,
        headline=s.headline,
        published=s.last_published,
        first_published=s.first_published,
        age=age(s.last_published, now),
        first_publisher=first.outlet if first else None,
        hashtags=tuple(s.hashtags),
        articles=tuple(article_view(a, now, urls) for a in s.articles),
    )


def story_urls(repo: Repository, found: list[Story]) -> dict[int, str]:
    """The URLs of the articles these stories' articles are copies of or matched against."""
    refs = [r for s in found for a in s.articles for r in (a.copy_of, a.match.of if a.match else None) if r]
    return repo.urls_of(refs)


def _stories(repo: Repository, ids: list[int], now: datetime) -> tuple[StoryView, ...]:
    found = repo.stories(ids, texts=False)
    urls = story_urls(repo, found)
    return tuple(story_view(s, now, urls) for s in found)


def stories_by_id(repo: Repository, ids: list[int], now: datetime) -> dict[int, StoryView]:
    """Many stories (each as /api/stories/{id} shows it), in two queries."""
    return {s.id: s for s in _stories(repo, ids, now)}


def tag_page(
    repo: Repository, tag: str, now: datetime, *, page: int = 1, size: int = PAGE_SIZE, suggest: bool = True
) -> TagPage:
    """ "Latest news with #Tag": the stories with an article carrying the tag, newest first.
    The tag is found in any case or spacing (the page names its stored spelling); one no
    article carries has no stories and the near hashtags as suggestions."""
    found = find_tag(repo, tag)
    if found is None:
        shown = as_hashtag(tag)
        return TagPage(
            tag=shown,
            heading=f"Latest news with #{shown}",
            page=page,
            has_more=False,
            stories=(),
            suggestions=suggest_tags(repo, tag) if suggest else (),
        )
    ids = repo.story_ids_for_tag(found, limit=size + 1, offset=(page - 1) * size)
    return TagPage(
        tag=found,
        heading=f"Latest news with #{found}",
        native_forms=tuple(NativeForm(form=f, language=lang) for f, lang in repo.native_forms(found)),
        page=page,
        has_more=len(ids) > size,
        stories=_stories(repo, ids[:size], now),
        suggestions=(),
    )


def latest(repo: Repository, now: datetime, *, page: int = 1, size: int = PAGE_SIZE) -> LatestPage:
    ids = repo.latest_story_ids(limit=size + 1, offset=(page - 1) * size)
    return LatestPage(
        heading="Latest news", page=page, has_more=len(ids) > size, stories=_stories(repo, ids[:size], now)
    )


def story_page(repo: Repository, story_id: int, now: datetime) -> StoryView | None:
    found = _stories(repo, [story_id], now)
    return found[0] if found else None


def outlet_page(
    repo: Repository, outlet: str, now: datetime, *, page: int = 1, size: int = PAGE_SIZE
) -> OutletPage | None:
    """An outlet's stories, newest first (as on a hashtag page), and the sources that bring its
    articles; None when no article names this outlet."""
    if not repo.outlet_known(outlet):
        return None
    ids = repo.outlet_story_ids(outlet, limit=size + 1, offset=(page - 1) * size)
    return OutletPage(
        outlet=outlet,
        heading=f"Latest news from {outlet}",
        page=page,
        has_more=len(ids) > size,
        sources=tuple(source_view(s, now, outlet=outlet) for s in repo.outlet_sources(outlet)),
        stories=_stories(repo, ids[:size], now),
    )


# search ---------------------------------------------------------------------------------------


def search_page(
    repo: Repository, q: str, now: datetime, *, page: int = 1, size: int = PAGE_SIZE
) -> SearchPage:
    """The stories matching `q`, one page of them, best first. Raises SearchSyntaxError."""
    query = parse(q, now)
    hits = repo.search_stories(query, limit=size + 1, offset=(page - 1) * size)
    shown = {h.story_id: h for h in hits[:size]}
    found = repo.stories(list(shown), texts=False)
    urls, pattern = story_urls(repo, found), highlighter(query.terms())
    with_texts(repo, found, shown, pattern)
    return SearchPage(
        query=q,
        heading=f"Search: {q.strip()}",
        page=page,
        has_more=len(hits) > size,
        stories=tuple(_result(s, shown[s.id], now, urls, pattern) for s in found),
    )


def with_texts(
    repo: Repository, found: list[Story], hits: dict[int, StoryHit], pattern: re.Pattern[str] | None
) -> None:
    """The full texts of the matching articles whose snippet comes from it (highlight.best_text:
    their summary is empty or lacks every searched word), read for those articles only."""
    matched = {i for hit in hits.values() for i in hit.article_ids}
    wanted = [a for s in found for a in s.articles if a.id in matched and needs_text(a.summary, pattern)]
    texts = repo.texts_of(a.id for a in wanted)
    for a in wanted:
        a.text = texts.get(a.id or 0, "")


def _result(
    story: Story, hit: StoryHit, now: datetime, urls: dict[int, str], pattern: re.Pattern[str] | None
) -> SearchStory:
    """The story as every view shows it, plus `matches`: its matching articles, best first."""
    view = story_view(story, now, urls)
    shown = {a.id: a for a in view.articles}
    by_id = {a.id: a for a in story.articles}
    matches = tuple(
        SearchMatch(
            **dict(shown[i]),
            title_html=highlight(by_id[i].title, pattern),
            snippet_html=snippet(best_text(by_id[i], pattern), pattern),
        )
        for i in hit.article_ids
        if i in by_id
    )
    return SearchStory(**dict(view), matches=matches)


# trending -------------------------------------------------------------------------------------


def rise(c: TagCounts, days: float) -> float:
    """How far a hashtag is above its usual level: recent stories over the baseline's average for a
    period as long as the window, both smoothed by PRIOR stories so small counts cannot dominate."""
    return (c.recent + PRIOR) / (c.before / days + PRIOR)


def rise_label(c: TagCounts, days: float) -> str:
    """The rise in words: "new" (nothing in the baseline) or the raw change, "+300%"."""
    if c.before == 0:
        return "new"
    return f"{round((c.recent / (c.before / days) - 1) * 100):+d}%"


def trending(repo: Repository, now: datetime) -> TrendingPage:
    """Hashtags rising against their own recent past: stories carrying each in the last 24 hours
    against its average per 24 hours over the 7 days before, most risen first. Frequent but steady
    hashtags are left out; so is a tag with a single story, however new.

    Computed as of the minute, and kept until that minute or the store's data changes: on a busy
    store the counting takes a few hundred milliseconds, and the home page asks for it every time.
    The view is immutable, so every caller can be handed the one kept."""
    at = now.replace(second=0, microsecond=0)
    key = (at, *repo.data_version())
    memo = _TRENDS.setdefault(repo, {})
    found = memo.get(key)  # one read: another request thread may clear the memo meanwhile
    if found is None:
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        found = memo[key] = _trending(repo, at, TRENDING)
    return found


def _trending(repo: Repository, now: datetime, limit: int) -> TrendingPage:
    days = BASELINE / WINDOW
    rising = [c for c in repo.tag_counts(now) if c.recent >= MIN_RECENT and rise(c, days) > 1]
    rising.sort(key=lambda c: (-rise(c, days), -c.recent, c.tag.lower()))
    return TrendingPage(
        heading="Trending hashtags",
        now=now,
        window_hours=round(WINDOW.total_seconds() / 3600),
        baseline_days=round(BASELINE.total_seconds() / 86400),
        tags=tuple(_trend(c, days) for c in rising[:limit]),
    )


def _trend(c: TagCounts, days: float) -> Trend:
    return Trend(
        tag=c.tag,
        stories=c.recent,
        baseline_per_window=round(c.before / days, 2),
        rise=rise_label(c, days),
        score=round(rise(c, days), 3),
    )


# sources --------------------------------------------------------------------------------------


def source_status(s: Source, now: datetime) -> SourceStatus:
    """ok, error (its last check failed), held (the server asked us to wait), degraded (its feed
    is read but none of its article pages could be) or new (never checked)."""
    if s.hold_until is not None and s.hold_until > now:
        return SourceStatus.HELD
    if s.error_count:
        return SourceStatus.ERROR
    if s.page_error:
        return SourceStatus.DEGRADED
    return SourceStatus.OK if s.last_checked is not None else SourceStatus.NEW


def source_view(s: Source, now: datetime, quarantined: int = 0, outlet: str | None = None) -> SourceView:
    return SourceView(
        id=s.id,
        url=s.url,
        title=s.title,
        outlet=outlet,
        site_url=s.site_url,
        kind=s.kind,
        status=source_status(s, now),
        last_error=s.last_error,
        page_error=s.page_error,
        error_count=s.error_count,
        last_status=s.last_status,
        items_seen=s.items_seen,
        quarantined=quarantined,
        last_checked=s.last_checked,
        next_check=s.next_check,
        hold_until=s.hold_until,
    )


def source_views(repo: Repository, now: datetime) -> list[SourceView]:
    """Every followed source with its state, in the order they were added (`tagwire sources`)."""
    set_aside, outlets = repo.quarantined_by_source(), repo.source_outlets()
    return [source_view(s, now, set_aside.get(s.id or 0, 0), outlets.get(s.id or 0)) for s in repo.sources()]


_ORDER = (
    SourceStatus.ERROR,
    SourceStatus.DEGRADED,
    SourceStatus.HELD,
    SourceStatus.NEW,
    SourceStatus.OK,
)  # as /sources lists them


def sources_page(repo: Repository, now: datetime) -> SourcesPage:
    """Every followed source with its state, failing ones first, then by name."""
    found = source_views(repo, now)
    found.sort(key=lambda v: (_ORDER.index(v.status), (v.outlet or v.title or v.url).lower()))
    counts = SourceCounts(**{k.value: sum(v.status == k for v in found) for k in _ORDER})
    problems = tuple(problem_view(a) for a in repo.quarantined(limit=PROBLEMS_SHOWN))
    return SourcesPage(heading="Sources", now=now, counts=counts, sources=tuple(found), problems=problems)


def problem_view(a: Article) -> Problem:
    """An article understanding gave up on, and why."""
    return Problem(
        id=a.id,
        url=a.url,
        outlet=a.outlet,
        title=a.title,
        published=a.published,
        source_id=a.source_id,
        reason=a.problem,
    )
