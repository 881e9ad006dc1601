"""The JSON API under /api: the very views of tagwire.app.views (so `tagwire page TAG --json`, the API
and the HTML pages cannot disagree), each route declaring its view's model so that /openapi.json
describes every field; and the routes that write, POST /api/sources and /api/follows (GET and
DELETE too: follows show webhooks), which need `Authorization: Bearer <TAGWIRE_API_TOKEN>` and are
refused outright while no token is set."""

from __future__ import annotations

import hmac
import re
from datetime import UTC, datetime
from typing import Annotated, TypeVar
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from tagwire.app import alerts, views
from tagwire.app.viewmodels import (
    FollowRemoved,
    FollowsPage,
    LatestPage,
    NewFollow,
    OutletPage,
    RemoveResult,
    SearchPage,
    SourceAdded,
    SourcesPage,
    StoryView,
    TagPage,
    TrendingPage,
)
from tagwire.config import Settings
from tagwire.errors import InputError
from tagwire.query import SearchSyntaxError
from tagwire.store import Repository
from tagwire.store.follows import DuplicateFollow
from tagwire.store.ranking import CANDIDATES

MAX_PAGE = 10_000  # keeps OFFSET within what every database accepts
NOW_HELP = "Render ages as of this ISO 8601 time (e.g. 2025-06-03T16:00:00Z) instead of the clock"
_SPACED_OFFSET = re.compile(r" (\d\d(?::?\d\d)?)$")  # "+00:00" whose "+" a query string turned into " "

MAX_QUERY = 500  # characters
QUERY_HELP = (
    'Words (all must match), "an exact phrase", OR, NOT or -word, #Hashtag, outlet:Name, since:7d.'
    f" Best matches first, among the newest {CANDIDATES:,} matching articles"
    f" (for a phrase: among the newest {CANDIDATES:,} with all of its words)."
)

router = APIRouter(prefix="/api", tags=["api"])
Body = TypeVar("Body", bound=BaseModel)
bearer = HTTPBearer(auto_error=False, description="The value of TAGWIRE_API_TOKEN")


def repo_of(request: Request) -> Repository:
    """The repository the app was created with."""
    repo: Repository = request.app.state.repo
    return repo


def settings_of(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def read_now(value: str | None, status: int) -> datetime:
    """The `?now=` of a request as a UTC time (the clock when absent); an unreadable value is an
    HTTP error with `status` (422 for the API, 400 for pages) that says what to send."""
    try:
        return views.parse_now(_SPACED_OFFSET.sub(r"+\1", value) if value else value)
    except ValueError:
        message = f"now={value!r} is not an ISO 8601 time; use e.g. 2025-06-03T16:00:00Z"
        raise HTTPException(status, message) from None


def api_now(now: Annotated[str | None, Query(description=NOW_HELP)] = None) -> datetime:
    return read_now(now, 422)


Repo = Annotated[Repository, Depends(repo_of)]
Now = Annotated[datetime, Depends(api_now)]
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page of results, from 1")]
Q = Annotated[str, Query(max_length=MAX_QUERY, description=QUERY_HELP)]


NOT_FOUND: dict[int | str, dict[str, object]] = {404: {"description": "Not found; `detail` says what"}}


@router.get("/tags/{tag}", summary="Latest news with #tag: stories newest first")
def tag_page(tag: str, repo: Repo, now: Now, page: PageNumber = 1) -> TagPage:
    """Exactly what `tagwire page TAG --json` prints."""
    return views.tag_page(repo, tag, now, page=page)


@router.get("/latest", summary="Latest stories of every hashtag")
def latest(repo: Repo, now: Now, page: PageNumber = 1) -> LatestPage:
    return views.latest(repo, now, page=page)


@router.get(
    "/stories/{story_id}", summary="One story with every article that reports it", responses=NOT_FOUND
)
def story(story_id: int, repo: Repo, now: Now) -> StoryView:
    """The story as a webhook receives it when an alert is sent."""
    found = views.story_page(repo, story_id, now)
    if found is None:
        raise HTTPException(404, f"there is no story {story_id}")
    return found


@router.get("/trending", summary="Hashtags rising against their own past week, most risen first")
def trending(repo: Repo, now: Now) -> TrendingPage:
    """What the home page shows: stories per hashtag in the last 24 h against its daily average
    over the 7 days before (`rise` is "new" or "+300%"); steady or single-story tags are left out."""
    return views.trending(repo, now)


@router.get(
    "/outlets/{outlet:path}", summary="An outlet's latest stories and its sources", responses=NOT_FOUND
)
def outlet(outlet: str, repo: Repo, now: Now, page: PageNumber = 1) -> OutletPage:
    found = views.outlet_page(repo, outlet, now, page=page)
    if found is None:
        raise HTTPException(404, f"no stored article is from an outlet named {outlet!r}")
    return found


@router.get("/sources", summary="Every source: status (ok, error, held, new), last error, checks")
def sources(repo: Repo, now: Now) -> SourcesPage:
    """As the /sources page and `tagwire sources` show them, with the latest quarantined articles."""
    return views.sources_page(repo, now)


@router.get(
    "/search",
    summary="Stories matching a search query, best first",
    responses={400: {"description": "The query cannot be searched; `detail` says why"}},
)
def api_search(repo: Repo, now: Now, q: Q = "", page: PageNumber = 1) -> SearchPage:
    """400 with {"detail": ...} when the query cannot be searched (empty, unclosed quote, ...)."""
    try:
        return views.search_page(repo, q, now, page=page)
    except SearchSyntaxError as e:
        raise HTTPException(400, str(e)) from None


# writing --------------------------------------------------------------------------------------


def _http_url(value: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ValueError("url must be an http:// or https:// address, e.g. https://example.org/feed.xml")
    return value


class SourceIn(BaseModel):
    """A source to follow: a feed, a site's homepage or an OPML file, by its http(s) address,
    checked first as `tagwire add` checks it (`anyway`: followed even when the check fails)."""

    url: str = Field(max_length=2048, examples=["https://example.org/feed.xml"])
    anyway: bool = Field(default=False, description="Follow it even if it does not answer as a feed now")

    _check_url = field_validator("url")(_http_url)


def require_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    """Let a request write only with the right bearer token; with no token set, nobody writes."""
    token = settings_of(request).api_token
    if not token:
        raise HTTPException(403, "writing is disabled on this server: set TAGWIRE_API_TOKEN to enable it")
    if credentials is None:
        raise _unauthorized("send the header `Authorization: Bearer <TAGWIRE_API_TOKEN>` to write")
    if not hmac.compare_digest(credentials.credentials.encode(), token.encode()):
        raise _unauthorized("the bearer token is wrong")


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(401, message, headers={"WWW-Authenticate": "Bearer"})


async def source_body(request: Request) -> SourceIn:
    """The JSON body of POST /api/sources, read only once the token is checked (the route's
    dependencies run first), so strangers' bodies are never parsed."""
    return _validated(SourceIn, await request.body())


def _validated(model: type[Body], raw: bytes) -> Body:
    """`raw` as `model`, or FastAPI's 422 naming each field that is wrong."""
    try:
        return model.model_validate_json(raw)
    except ValidationError as e:
        errors = e.errors(include_url=False, include_context=False, include_input=False)
        raise RequestValidationError([{**err, "loc": ("body", *err["loc"])} for err in errors]) from None


_SOURCE_BODY: dict[str, object] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": SourceIn.model_json_schema()}},
    }
}


@router.post(
    "/sources",
    summary="Follow a source (needs the bearer token)",
    status_code=201,
    dependencies=[Depends(require_token)],
    openapi_extra=_SOURCE_BODY,
    responses={
        200: {"description": "Already followed", "model": SourceAdded},
        401: {},
        403: {},
        422: {"description": "A malformed body, or an address that is no feed and names none (why)"},
    },
)
def add_source(
    body: Annotated[SourceIn, Depends(source_body)], repo: Repo, request: Request, response: Response
) -> SourceAdded:
    """201 with the new source, 200 with the one already followed at that address, or 422 with
    the reason the address cannot be followed (a 404, a host that does not resolve, a page that
    is no feed and names none), unless `anyway`."""
    from tagwire.app.sources import add_targets

    report = add_targets(repo, settings_of(request), [body.url], now=datetime.now(UTC), anyway=body.anyway)
    followed = [r for r in report.results if r.state != "refused"]
    if not followed:
        reason = next((r.note for r in report.results if r.note), None) or "nothing there can be followed"
        raise HTTPException(422, f"{body.url}: {reason}")
    first = followed[0]
    response.status_code = 201 if report.added else 200
    return SourceAdded(
        id=first.source_id,
        url=first.url,
        created=first.state == "added",
        title=first.title,
        note=first.note,
        feeds=report.results,
    )


@router.delete(
    "/sources/{source_id}",
    summary="Stop following a source (needs the bearer token)",
    dependencies=[Depends(require_token)],
    responses={**NOT_FOUND, 401: {}, 403: {}},
)
def remove_source(
    source_id: int,
    repo: Repo,
    purge: Annotated[
        bool, Query(description="Delete its articles too, and the stories only they made")
    ] = False,
) -> RemoveResult:
    """The source is no longer fetched or listed; its articles stay (`kept`) unless `purge`."""
    from tagwire.app.sources import remove_source as remove

    done = remove(repo, source_id, purge=purge)
    if not done.found:
        raise HTTPException(404, f"there is no source {source_id}")
    return done


# follows (alerts) ---------------------------------------------------------------------------


class FollowIn(BaseModel):
    """A hashtag or a search query to follow; each new story is POSTed, signed, to `webhook`."""

    tag: str | None = Field(None, max_length=200, pattern=r"^#?\w+$", examples=["Cybersecurity"])
    query: str | None = Field(None, max_length=500, examples=['"defense strategy" outlet:Reuters'])
    webhook: str = Field(max_length=2048, examples=["https://hooks.example.org/tagwire"])
    secret: str | None = Field(
        None, min_length=alerts.MIN_SECRET, max_length=200, description="Default: a random one"
    )

    _check_webhook = field_validator("webhook")(_http_url)

    @model_validator(mode="after")
    def _one_target(self) -> FollowIn:
        if (self.tag is None) == (self.query is None):
            raise ValueError("give either tag or query, not both and not neither")
        if self.query is not None:
            self.query = alerts.target_of(self.query, search=True, now=datetime.now(UTC))[1]
        return self


async def follow_body(request: Request) -> FollowIn:
    """The body of POST /api/follows, parsed after the token check (see source_body)."""
    try:
        return _validated(FollowIn, await request.body())
    except InputError as e:  # an unreadable search query
        raise RequestValidationError([_problem(("body", "query"), str(e))]) from None


def _problem(loc: tuple[str, ...], message: str) -> dict[str, object]:
    return {"type": "value_error", "loc": loc, "msg": message}


_FOLLOW_BODY: dict[str, object] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": FollowIn.model_json_schema()}},
    }
}
Token = [Depends(require_token)]


@router.post(
    "/follows",
    summary="Follow a hashtag or a search (needs the bearer token)",
    status_code=201,
    dependencies=Token,
    openapi_extra=_FOLLOW_BODY,
    responses={401: {}, 403: {}, 409: {"description": "Already followed to this webhook"}, 422: {}},
)
async def add_follow(body: Annotated[FollowIn, Depends(follow_body)], request: Request) -> NewFollow:
    """201 with the follow and its `secret`, shown this once: keep it to check signatures."""
    kind, target = ("search", body.query) if body.query is not None else ("tag", (body.tag or "").lstrip("#"))
    try:
        made = await alerts.follow(
            repo_of(request), settings_of(request), kind, target or "", body.webhook, body.secret
        )
    except DuplicateFollow as e:
        raise HTTPException(409, str(e)) from None
    except InputError as e:  # the webhook is on a private network, or its host is unknown
        raise RequestValidationError([_problem(("body", "webhook"), str(e))]) from None
    return alerts.new_follow_view(made)


@router.get("/follows", summary="Every follow and its alerts (needs the bearer token)", dependencies=Token)
def list_follows(repo: Repo) -> FollowsPage:
    """Follows with delivered/pending/failed counts and the last error; never their secrets."""
    return alerts.follows_page(repo)


@router.delete(
    "/follows/{follow_id}",
    summary="Stop a follow (needs the bearer token)",
    dependencies=Token,
    responses=NOT_FOUND,
)
def remove_follow(follow_id: int, repo: Repo) -> FollowRemoved:
    if not repo.remove_follow(follow_id):
        raise HTTPException(404, f"there is no follow {follow_id}")
    return FollowRemoved(id=follow_id, deleted=True)
