"""Search: GET /search?q= (an HTML page) and GET /api/search?q= (JSON), both the search view of
tagwire.app.views: stories, best match first, each with its matching articles' titles and a
snippet, the words found in <mark> (escaped first by tagwire.app.highlight, so the `*_html`
strings are safe to insert as markup; nothing else on the page is marked safe)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from tagwire.app import views
from tagwire.app.viewmodels import SearchPage
from tagwire.serve.api import Now as ApiNow
from tagwire.serve.api import PageNumber, Repo
from tagwire.serve.pages import Feed, Now, When, render
from tagwire.store.search import SearchSyntaxError

MAX_QUERY = 500  # characters
QUERY_HELP = 'Words (all must match), "an exact phrase", OR, NOT or -word, #Hashtag, outlet:Name, since:7d'

router = APIRouter()
Q = Annotated[str, Query(max_length=MAX_QUERY, description=QUERY_HELP)]


@router.get(
    "/api/search",
    tags=["api"],
    summary="Stories matching a search query, best first",
    responses={400: {"description": "The query cannot be searched; `detail` says why"}},
)
def api_search(repo: Repo, now: ApiNow, q: Q = "", page: PageNumber = 1) -> SearchPage:
    """400 with {"detail": ...} when the query cannot be searched (empty, unclosed quote, ...)."""
    try:
        return views.search_page(repo, q, now, page=page)
    except SearchSyntaxError as e:
        raise HTTPException(400, str(e)) from None


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
