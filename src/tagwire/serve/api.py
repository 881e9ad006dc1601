"""The JSON API under /api: the very dicts of tagwire.views (so `tagwire page TAG --json`, the API
and the HTML pages cannot disagree), and one write route, POST /api/sources, which needs
`Authorization: Bearer <TAGWIRE_API_TOKEN>` and is refused outright while no token is set."""

from __future__ import annotations

import hmac
import re
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, ValidationError, field_validator

from tagwire import views
from tagwire.config import Settings
from tagwire.store import Repository

MAX_PAGE = 10_000  # keeps OFFSET within what every database accepts
NOW_HELP = "Render ages as of this ISO 8601 time (e.g. 2025-06-03T16:00:00Z) instead of the clock"
_SPACED_OFFSET = re.compile(r" (\d\d(?::?\d\d)?)$")  # "+00:00" whose "+" a query string turned into " "

router = APIRouter(prefix="/api", tags=["api"])
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


@router.get("/tags/{tag}", summary="Latest news with #tag: stories newest first")
def tag_page(tag: str, repo: Repo, now: Now, page: PageNumber = 1) -> JSONResponse:
    """Exactly what `tagwire page TAG --json` prints."""
    return JSONResponse(views.tag_page(repo, tag, now, page=page))


@router.get("/latest", summary="Latest stories of every hashtag")
def latest(repo: Repo, now: Now, page: PageNumber = 1) -> JSONResponse:
    return JSONResponse(views.latest(repo, now, page=page))


@router.get("/stories/{story_id}", summary="One story with every article that reports it")
def story(story_id: int, repo: Repo, now: Now) -> JSONResponse:
    found = views.story_page(repo, story_id, now)
    if found is None:
        raise HTTPException(404, f"there is no story {story_id}")
    return JSONResponse(found)


# writing --------------------------------------------------------------------------------------


class SourceIn(BaseModel):
    """A source to follow: a feed, a site's homepage or an OPML file, by its http(s) address."""

    url: str = Field(max_length=2048, examples=["https://example.org/feed.xml"])

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
            raise ValueError("url must be an http:// or https:// address, e.g. https://example.org/feed.xml")
        return value


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
    try:
        return SourceIn.model_validate_json(await request.body())
    except ValidationError as e:
        errors = e.errors(include_url=False, include_context=False, include_input=False)
        raise RequestValidationError([{**err, "loc": ("body", *err["loc"])} for err in errors]) from None


_SOURCE_BODY: dict[str, Any] = {
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
    responses={200: {"description": "Already followed"}, 401: {}, 403: {}, 422: {}},
)
def add_source(body: Annotated[SourceIn, Depends(source_body)], repo: Repo) -> JSONResponse:
    """201 with the new source, or 200 with the one already followed at that address."""
    source, created = repo.add_source(body.url, now=datetime.now(UTC))
    payload = {"id": source.id, "url": source.url, "created": created}
    return JSONResponse(payload, status_code=201 if created else 200)
