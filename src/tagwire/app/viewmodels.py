"""The views as types: what pages, feeds, the CLI, alerts and the JSON API show, built by
app/views.py. Frozen pydantic models with real `datetime`s inside, so a face formats times as it
needs (a clock, "3 hours ago", RFC 822) without parsing strings back; JSON is written only at the
edges (FastAPI, `model_dump(mode="json")`), with the keys in the order declared here, times as
ISO 8601 UTC to the second ("2025-06-10T12:00:00Z") and enums as their strings. FastAPI reads
these models for /openapi.json, so every JSON route is described field by field."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from tagwire.models import MatchKind, SourceStatus


def iso(dt: datetime) -> str:
    """ISO 8601 in UTC with a Z, to the second."""
    at = dt.astimezone(UTC)
    return f"{at.year:04d}-{at:%m-%dT%H:%M:%SZ}"  # (%Y does not pad years before 1000)


Time = Annotated[
    datetime,
    PlainSerializer(iso, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time", "examples": ["2025-06-10T12:00:00Z"]}),
]


class View(BaseModel):
    """A view's data: immutable (a memoised view can be handed to every caller) and closed (an
    unknown field is an error, and the schema says so)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _absent(value: object) -> bool:
    return value is None


# stories ----------------------------------------------------------------------------------------


class MatchView(View):
    """Why an article joined its story: `kind`, the similarity `score` that decided it and the URL
    of the article it was matched against (`of`)."""

    kind: MatchKind
    score: float
    of: str | None


class ArticleView(View):
    """One report of a story."""

    id: int | None
    outlet: str
    title: str
    url: str
    category: str | None = Field(description="The outlet's section")
    published: Time
    age: str = Field(description='"N minutes/hours/days ago" within 7 days, else DD-MM-YYYY')
    wire_origin: str | None = Field(description="The agency the text comes from, when it says so")
    copy_of: str | None = Field(description="URL of the article this one is a syndicated copy of")
    hashtags: tuple[str, ...]
    summary: str
    language: str | None
    match: MatchView | None


class StoryView(View):
    """Reports of one event, newest article first; `published` is the newest article's time."""

    id: int
    headline: str
    published: Time
    first_published: Time
    age: str
    first_publisher: str | None
    hashtags: tuple[str, ...]
    articles: tuple[ArticleView, ...]


class NativeForm(View):
    """How articles in another language write a hashtag: #GenNakatani is 中谷元 in Japanese."""

    form: str
    language: str = Field(description="The language of the first article that wrote it (ja, de...)")


class TagPage(View):
    """ "Latest news with #Tag" (the tag without '#'), newest story first; `has_more` when there is
    a next page; `native_forms`, how articles in other languages write the tag."""

    tag: str
    heading: str
    native_forms: tuple[NativeForm, ...] = Field(
        default=(), description="How articles in other languages write this hashtag (中谷元 for #GenNakatani)"
    )
    page: int
    has_more: bool
    stories: tuple[StoryView, ...]
    suggestions: tuple[str, ...] = Field(
        (), description="Near hashtags that exist, when no article carries this one"
    )


class TagUse(View):
    """A hashtag, the stories carrying it and when an article last carried it."""

    tag: str
    stories: int
    last_used: Time


class TagsPage(View):
    """Hashtags by the number of stories carrying them, most first."""

    heading: str
    tags: tuple[TagUse, ...]


class LatestPage(View):
    """The latest stories of every hashtag, newest first."""

    heading: str
    page: int
    has_more: bool
    stories: tuple[StoryView, ...]


# sources ----------------------------------------------------------------------------------------


class SourceView(View):
    """A followed source and its state: new (never checked), ok, error (its last check failed),
    degraded (its feed is read, but none of its article pages: `page_error` says why) or held
    (the server asked us to wait until `hold_until`). `outlet` is the outlet's name as its
    latest article gives it (the pages' name for it), when it has articles."""

    id: int | None
    url: str
    title: str | None
    outlet: str | None
    site_url: str | None
    kind: str
    status: SourceStatus
    last_error: str | None
    page_error: str | None = Field(
        description="Why none of the article pages of its last fetch could be read (status degraded)"
    )
    error_count: int
    last_status: int | None
    items_seen: int
    quarantined: int = Field(description="Its articles that understanding set aside")
    last_checked: Time | None
    next_check: Time | None
    hold_until: Time | None


class OutletPage(View):
    """An outlet's stories, newest first, and the sources that bring its articles."""

    outlet: str
    heading: str
    page: int
    has_more: bool
    sources: tuple[SourceView, ...]
    stories: tuple[StoryView, ...]


class SourceCounts(View):
    """How many sources are in each state."""

    error: int
    degraded: int
    held: int
    new: int
    ok: int


class Problem(View):
    """An article understanding gave up on (quarantined), and why."""

    id: int | None
    url: str
    outlet: str
    title: str
    published: Time
    source_id: int | None
    reason: str | None


class SourcesPage(View):
    """Every source, failing ones first, and the latest quarantined articles."""

    heading: str
    now: Time
    counts: SourceCounts
    sources: tuple[SourceView, ...]
    problems: tuple[Problem, ...]


class AddResult(View):
    """What `tagwire add` did with one feed: added, already followed, or refused (and why)."""

    target: str = Field(description="The argument it came from (a URL or an OPML file)")
    url: str
    state: str = Field(description='"added", "already followed" or "refused"')
    title: str | None
    source_id: int | None
    note: str | None = Field(description="Why it was refused, or what to know about it")


class AddReport(View):
    """Every feed of every argument of `tagwire add`, in order, and the counts."""

    results: tuple[AddResult, ...]
    added: int
    already: int
    refused: int

    @property
    def line(self) -> str:
        """The one-line summary."""
        return f"{self.added} added, {self.already} already followed, {self.refused} refused"


class RemoveResult(View):
    """What `tagwire remove` did with one argument (a source's URL or id)."""

    ref: str
    found: bool
    source_id: int | None = None
    url: str | None = None
    title: str | None = None
    kept: int = Field(default=0, description="Its articles kept (no longer fetched, still shown)")
    purged: int = Field(default=0, description="Its articles removed (--purge)")
    stories_purged: int = Field(default=0, description="Stories only its articles made, removed with them")


# trending ---------------------------------------------------------------------------------------


class Trend(View):
    """A hashtag's stories in the window against its average per window over the baseline."""

    tag: str
    stories: int
    baseline_per_window: float
    rise: str = Field(description='"new" (nothing in the baseline) or the change, e.g. "+300%"')
    score: float


class TrendingPage(View):
    """Hashtags rising against their own recent past, most risen first."""

    heading: str
    now: Time
    window_hours: int
    baseline_days: int
    tags: tuple[Trend, ...]


# search -----------------------------------------------------------------------------------------


class SearchMatch(ArticleView):
    """An article that matches the query; `title_html` and `snippet_html` are escaped text with
    the words found in <mark>, safe to insert as markup."""

    title_html: str
    snippet_html: str


class SearchStory(StoryView):
    """A story that matches, with its matching articles (`matches`), best first."""

    matches: tuple[SearchMatch, ...]


class SearchPage(View):
    """The stories matching `query`, best first."""

    query: str
    heading: str
    page: int
    has_more: bool
    stories: tuple[SearchStory, ...]


# follows (alerts) -------------------------------------------------------------------------------


class FollowView(View):
    """A followed hashtag (`tag`) or search (`query`): only the one it follows is present."""

    id: int
    tag: str | None = Field(None, exclude_if=_absent)
    query: str | None = Field(None, exclude_if=_absent)
    webhook: str
    created: Time


class NewFollow(FollowView):
    """A follow just made, with the secret its webhook's signatures are keyed with (shown once)."""

    secret: str


class FollowStatus(FollowView):
    """A follow and what became of its alerts."""

    delivered: int
    pending: int
    failed: int
    last_error: str | None


class FollowsPage(View):
    follows: tuple[FollowStatus, ...]


class FollowRemoved(View):
    id: int
    deleted: bool


class SourceAdded(View):
    """The source followed at that address (the first feed, when a site's page named several);
    `created` is false when it was followed already; `feeds`: every feed the address gave, as
    `tagwire add` reports them."""

    id: int | None
    url: str
    created: bool
    title: str | None = None
    note: str | None = Field(default=None, description="What to know about it (an outlet down right now...)")
    feeds: tuple[AddResult, ...] = ()
