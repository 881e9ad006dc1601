"""Search: GET /search?q= (an HTML page) and GET /api/search?q= (JSON). Results are stories, best
match first, each with its matching articles' titles and a snippet, the words found in <mark>.

The highlighter escapes the outlet's text first and only then wraps the matched words, so the
`*_html` strings are safe to insert as markup; nothing else on the page is marked safe."""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from tagwire.app import views
from tagwire.models import Article, Story
from tagwire.serve.api import Now as ApiNow
from tagwire.serve.api import PageNumber, Repo
from tagwire.serve.pages import Feed, Now, render
from tagwire.store import Repository
from tagwire.store.search import SearchSyntaxError, StoryHit, parse, search_stories

MAX_QUERY = 500  # characters
SNIPPET = 240  # characters of summary or text shown around the first match
SUFFIXES = ("ing", "ed", "es", "s")  # cut from query words so "talks" also marks "talk"
QUERY_HELP = 'Words (all must match), "an exact phrase", OR, NOT or -word, #Hashtag, outlet:Name, since:7d'

router = APIRouter()
Q = Annotated[str, Query(max_length=MAX_QUERY, description=QUERY_HELP)]


# highlighting -------------------------------------------------------------------------------


def _stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def highlighter(words: list[str]) -> re.Pattern[str] | None:
    """A pattern for the words a query looks for, at word starts and with their endings, or None."""
    stems = sorted({_stem(w.lower()) for w in words if w.strip("_")}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")\w*", re.I)


def highlight(text: str, pattern: re.Pattern[str] | None) -> str:
    """HTML: `text` escaped, each match of `pattern` wrapped in <mark>."""
    if pattern is None:
        return html.escape(text)
    out, last = [], 0
    for m in pattern.finditer(text):
        out += [html.escape(text[last : m.start()]), "<mark>", html.escape(m.group()), "</mark>"]
        last = m.end()
    return "".join(out) + html.escape(text[last:])


def snippet(text: str, pattern: re.Pattern[str] | None, size: int = SNIPPET) -> str:
    """HTML: about `size` characters of `text` around its first match (else its start), highlighted,
    cut at words, with an ellipsis at each cut."""
    text = " ".join(text.split())
    found = pattern.search(text) if pattern else None
    start = max(0, (found.start() if found else 0) - size // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = start + size
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    body = highlight(text[start:end], pattern)
    return ("…" if start else "") + body + ("…" if end < len(text) else "")


def _best_text(a: Article, pattern: re.Pattern[str] | None) -> str:
    """The summary, unless only the full text has the words."""
    if pattern and a.text and not pattern.search(a.summary) and pattern.search(a.text):
        return a.text
    return a.summary or a.text


# the view ------------------------------------------------------------------------------------


def search_page(
    repo: Repository, q: str, now: datetime, *, page: int = 1, size: int = views.PAGE_SIZE
) -> dict[str, Any]:
    """The stories matching `q`, one page of them, best first. Raises SearchSyntaxError."""
    query = parse(q, now)
    hits = search_stories(repo, query, limit=size + 1, offset=(page - 1) * size)
    shown = {h.story_id: h for h in hits[:size]}
    found = repo.stories(list(shown))
    urls, pattern = views.story_urls(repo, found), highlighter(query.terms())
    return {
        "query": q,
        "heading": f"Search: {q.strip()}",
        "page": page,
        "has_more": len(hits) > size,
        "stories": [_result(s, shown[s.id], now, urls, pattern) for s in found],
    }


def _result(
    story: Story, hit: StoryHit, now: datetime, urls: dict[int, str], pattern: re.Pattern[str] | None
) -> dict[str, Any]:
    """The story as every view shows it, plus `matches`: its matching articles, best first."""
    data = views.story_dict(story, now, urls)
    dicts = {a["id"]: a for a in data["articles"]}
    by_id = {a.id: a for a in story.articles}
    data["matches"] = [
        {
            **dicts[i],
            "title_html": highlight(by_id[i].title, pattern),
            "snippet_html": snippet(_best_text(by_id[i], pattern), pattern),
        }
        for i in hit.article_ids
        if i in by_id
    ]
    return data


# routes --------------------------------------------------------------------------------------


@router.get("/api/search", tags=["api"], summary="Stories matching a search query, best first")
def api_search(repo: Repo, now: ApiNow, q: Q = "", page: PageNumber = 1) -> JSONResponse:
    """400 with {"detail": ...} when the query cannot be searched (empty, unclosed quote, ...)."""
    try:
        return JSONResponse(search_page(repo, q, now, page=page))
    except SearchSyntaxError as e:
        raise HTTPException(400, str(e)) from None


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search(request: Request, repo: Repo, now: Now, q: Q = "", page: PageNumber = 1) -> HTMLResponse:
    """The search form and results; without q, just the form; an unusable q, a 400 saying why."""
    context: dict[str, Any] = {"q": q, "help": QUERY_HELP, "now_raw": now.raw, "page": None, "error": None}
    if not q.strip():
        return render(request, "search.html", now.raw, heading="Search", **context)
    try:
        context["page"] = search_page(repo, q, now.at, page=page)
    except SearchSyntaxError as e:
        context["error"] = str(e)
        return render(request, "search.html", now.raw, code=400, heading="Search", **context)
    heading = context["page"]["heading"]
    feed = Feed("/search", heading, {"q": q})
    return render(request, "search.html", now.raw, heading=heading, feed=feed, **context)
