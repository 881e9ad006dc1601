"""The HTML pages: the views of tagwire.app.views rendered by Jinja2 with autoescaping on, so every
title and summary from an outlet is shown as text, never as markup. No JavaScript; a strict
Content-Security-Policy forbids scripts even if something slipped through."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from tagwire.app import views
from tagwire.app.viewmodels import ArticleView, SearchPage, StoryView, iso
from tagwire.models import MatchKind
from tagwire.query import SearchSyntaxError
from tagwire.serve.api import NOW_HELP, QUERY_HELP, PageNumber, Q, Repo, read_now
from tagwire.serve.languages import by_language

TEMPLATES = Path(__file__).parent / "templates"
EXCERPT = 320  # characters of summary shown per story on list pages
FEED_FORMATS = (
    ("rss", "RSS", "application/rss+xml"),
    ("atom", "Atom", "application/atom+xml"),
    ("json", "JSON Feed", "application/feed+json"),
)

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class When:
    """The moment a page is rendered at, and the `?now=` it came from (carried along in links)."""

    at: datetime
    raw: str | None


def page_now(now: Annotated[str | None, Query(description=NOW_HELP)] = None) -> When:
    return When(read_now(now, 400), now or None)


Now = Annotated[When, Depends(page_now)]


# what a page adds to the views ----------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """An article of a story and, in words, how it relates to the others."""

    article: ArticleView
    relation: str
    detail: str = ""
    copied: bool = False


@dataclass(frozen=True)
class Entry:
    """One story on a list page: its newest article leads, the others are "also in"."""

    story: StoryView
    lead: Report
    others: list[Report] = field(default_factory=list)

    @property
    def headline_link(self) -> str | None:
        """Several reports: the story page compares them. One report: the report itself."""
        return None if self.others else safe_url(self.lead.article.url)


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s), so a javascript: or data: address from a feed is never a link."""
    return url if url and urlsplit(url).scheme.lower() in {"http", "https"} else None


def _outlet_of(url: str, outlets: Mapping[str, str]) -> str:
    return outlets.get(url) or urlsplit(url).hostname or url


def report(article: ArticleView, outlets: Mapping[str, str]) -> Report:
    """How an article came to be in its story: a copy, the same text, or its own report, with the
    similarity score that decided it (`detail`, shown on the story page)."""
    match = article.match
    kind = match.kind if match else None
    of = article.copy_of or (match.of if match else None)
    score = f"score {match.score:.2f}" if match else ""
    if of and (article.copy_of or kind == MatchKind.COPY):
        return Report(article, f"copy of {_outlet_of(of, outlets)}", score, copied=True)
    if of and kind == MatchKind.DUPLICATE:
        return Report(article, f"same text as {_outlet_of(of, outlets)}", score, copied=True)
    return Report(article, "own report", "started the story" if kind == MatchKind.NEW else score)


def reports(story: StoryView) -> list[Report]:
    """The story's articles, newest first, each with how it relates to the others."""
    outlets = {a.url: a.outlet for a in story.articles}
    return [report(a, outlets) for a in story.articles]


def entries(stories: Sequence[StoryView], outlet: str | None = None) -> list[Entry]:
    """List-page entries; a story left without articles has nothing to show and is skipped. On an
    outlet's page (`outlet` given) that outlet's newest article leads its story."""
    found = [(s, lead_first(reports(s), outlet)) for s in stories]
    return [Entry(s, rs[0], rs[1:]) for s, rs in found if rs]


def lead_first(found: list[Report], outlet: str | None) -> list[Report]:
    """The reports with the first one by `outlet` moved to the front (unchanged without one)."""
    mine = next((r for r in found if outlet and r.article.outlet == outlet), None)
    return found if mine is None else [mine, *(r for r in found if r is not mine)]


@dataclass(frozen=True)
class Feed:
    """The feeds mirroring a page: at path + .rss/.atom/.json, with the page's query (search's q)."""

    path: str
    title: str
    query: dict[str, str] = field(default_factory=dict)


def timeline(reports: list[Report]) -> list[Report]:
    """The reports in the order they were published (to the second, as shown), oldest first."""
    return sorted(reports, key=lambda r: (r.article.published.replace(microsecond=0), r.article.outlet))


# rendering ------------------------------------------------------------------------------------


def excerpt(text: str | None, limit: int = EXCERPT) -> str:
    """At most `limit` characters of plain text, cut at a word, with an ellipsis when cut."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rfind(" ")  # a text without spaces (Japanese, Chinese) is cut at the limit
    return text[: cut if cut > 0.4 * limit else limit - 1].rstrip(",;:.") + "…"


def clock(when: datetime) -> str:
    """A time for people, in UTC: "31 May 2025, 10:15 UTC"."""
    dt = when.astimezone(UTC)
    return f"{dt.day} {dt:%b %Y, %H:%M} UTC"


@functools.lru_cache(maxsize=4096)  # the same hashtags and outlets recur on every page
def tag_path(tag: str) -> str:
    return "/tag/" + quote(tag, safe="")


@functools.lru_cache(maxsize=1024)
def outlet_path(outlet: str) -> str:
    """/outlet/{name}, the name percent-encoded ("Japan Today" -> Japan%20Today)."""
    return "/outlet/" + quote(outlet, safe="")


def relative(when: datetime | None, now: datetime) -> str:
    """A stored time in words from `now`: "3 hours ago", "in 20 minutes", "now", or "never"."""
    if when is None:
        return "never"
    dt = when.astimezone(UTC).replace(microsecond=0)  # to the second, as the page shows times
    if dt <= now:
        return views.age(dt, now)
    if dt - now >= timedelta(days=7):
        return "on " + dt.strftime("%d-%m-%Y")
    ahead = views.age(now, dt + timedelta(seconds=59))  # rounded up: "in 1 minute", not "just now"
    return "in " + ahead.removesuffix(" ago")


def due(when: datetime, now: datetime) -> str:
    """When a check comes: "in 20 minutes", or "due now" once its time has passed."""
    return "due now" if when.astimezone(UTC).replace(microsecond=0) <= now else relative(when, now)


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)
    env.trim_blocks = env.lstrip_blocks = True
    env.filters.update(excerpt=excerpt, clock=clock, safe_url=safe_url, relative=relative, due=due, iso=iso)
    env.globals.update(tag_path=tag_path, outlet_path=outlet_path, feed_formats=FEED_FORMATS)
    env.filters["by_language"] = by_language  # [languages] a story's reports grouped by language
    return env


ENV = _environment()


def linker(request: Request, now: str | None) -> Callable[..., str]:
    """url(path, **query): a link inside the site that keeps the page's ?now= and the root path."""
    root = str(request.scope.get("root_path", "")).rstrip("/")
    plain = "?" + urlencode({"now": now}) if now is not None else ""  # a page has hundreds of links

    def url(path: str, **query: object) -> str:
        if not query:
            return root + path + plain
        params = {"now": now, **query}
        kept = {k: v for k, v in params.items() if v is not None}
        return root + path + ("?" + urlencode(kept) if kept else "")

    return url


def render(
    request: Request, name: str, now: str | None, *, code: int = 200, **context: object
) -> HTMLResponse:
    """The template `name` filled with `context`, as a response (serve/security.py adds the
    security headers to every response)."""
    context.setdefault("feed", None)
    html = ENV.get_template(name).render(url=linker(request, now), **context)
    return HTMLResponse(html, status_code=code)


def error_page(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> HTMLResponse:
    """The HTML answer to an error (404, 400, ...): the status and the message, and a way home."""
    response = render(request, "error.html", None, code=status, status=status, message=message)
    response.headers.update(headers or {})
    return response


# routes ---------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def home(request: Request, repo: Repo, now: Now, page: PageNumber = 1) -> HTMLResponse:
    data = views.latest(repo, now.at, page=page)
    trend, popular = views.trending(repo, now.at), views.popular_tags(repo)
    found = entries(data.stories)
    return render(
        request, "index.html", now.raw, page=data, entries=found, trend=trend, popular=popular, path="/"
    )


@router.get("/tag/{tag}", response_class=HTMLResponse, response_model=None)
def tag(
    request: Request, tag: str, repo: Repo, now: Now, page: PageNumber = 1
) -> HTMLResponse | RedirectResponse:
    """A hashtag's page; a tag given in another case or spacing redirects to its stored spelling."""
    data = views.tag_page(repo, tag, now.at, page=page)
    if data.stories and data.tag != tag:
        query, root = request.url.query, str(request.scope.get("root_path", "")).rstrip("/")
        return RedirectResponse(root + tag_path(data.tag) + ("?" + query if query else ""), status_code=308)
    found, path = entries(data.stories), tag_path(data.tag)
    feed = Feed(path, data.heading)
    return render(request, "tag.html", now.raw, page=data, entries=found, path=path, feed=feed)


@router.get("/story/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: int, repo: Repo, now: Now) -> HTMLResponse:
    data = views.story_page(repo, story_id, now.at)
    if data is None:
        raise HTTPException(404, f"There is no story {story_id}.")
    found, feed = reports(data), Feed(f"/story/{story_id}", f"Reports of: {data.headline}")
    return render(
        request, "story.html", now.raw, story=data, reports=found, timeline=timeline(found), feed=feed
    )


@router.get("/outlet/{outlet:path}", response_class=HTMLResponse)
def outlet(request: Request, outlet: str, repo: Repo, now: Now, page: PageNumber = 1) -> HTMLResponse:
    data = views.outlet_page(repo, outlet, now.at, page=page)
    if data is None:
        raise HTTPException(404, f"No article from an outlet named {outlet!r} is stored.")
    found, path = entries(data.stories, outlet), outlet_path(outlet)
    return render(request, "outlet.html", now.raw, page=data, entries=found, path=path)


@router.get("/sources", response_class=HTMLResponse)
def sources(request: Request, repo: Repo, now: Now) -> HTMLResponse:
    return render(request, "sources.html", now.raw, page=views.sources_page(repo, now.at), at=now.at)


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search(request: Request, repo: Repo, now: Now, q: Q = "", page: PageNumber = 1) -> HTMLResponse:
    """The search form and results; without q, just the form; an unusable q, a 400 saying why."""
    if not q.strip():
        return _page(request, now, q)
    try:
        found = views.search_page(repo, q, now.at, page=page)
    except SearchSyntaxError as e:
        return _page(request, now, q, error=str(e), code=400)
    return _page(request, now, q, found=found)


def _page(
    request: Request,
    now: When,
    q: str,
    *,
    found: SearchPage | None = None,
    error: str | None = None,
    code: int = 200,
) -> HTMLResponse:
    """The search page: the form with `q`, then the results `found` or the `error`."""
    heading, feed = (found.heading, Feed("/search", found.heading, {"q": q})) if found else ("Search", None)
    return render(
        request,
        "search.html",
        now.raw,
        code=code,
        heading=heading,
        feed=feed,
        q=q,
        help=QUERY_HELP,
        now_raw=now.raw,
        page=found,
        error=error,
    )
