"""The web application's hardening, as two pure ASGI middlewares (not BaseHTTPMiddleware, so
streamed responses and the feeds' 304s pass through untouched):

- `SecurityHeaders` puts the security headers on every response the app sends: pages, API,
  feeds, static files, errors and /docs. The policy is set here and nowhere else, so no route
  can forget it.
- `BodyLimit` refuses a request body larger than `settings.max_request_bytes` with a 413, by its
  Content-Length before the app runs, and for a chunked body (no Content-Length) while it is
  read, so a client cannot make the server buffer an unbounded body.

The headers, and why:
- Content-Security-Policy. The pages have no JavaScript at all, so their policy allows none
  (`default-src 'none'` with no script-src): a title that slipped past escaping still cannot
  run. /docs (Swagger UI) is the one page with scripts; its policy allows scripts from this
  origin only (`script-src 'self'`, never 'unsafe-inline' or 'unsafe-eval'), the JSON it
  fetches (`connect-src 'self'`) and the data: icons of its stylesheet. No page has an inline
  style, so `style-src 'self'` everywhere. Both forbid plugins, <base>, framing and forms that
  post elsewhere.
- X-Content-Type-Options: nosniff, so a feed or a JSON answer is never run as a script or
  rendered as HTML by a browser that guesses types.
- Referrer-Policy: no-referrer. Links lead to outlets; with the default, each outlet would learn
  the address of this (often internal) server, and the page's search query or tag, from every
  click. tagwire itself reads no Referer (no CSRF check relies on it), so nothing is lost.
- X-Frame-Options: DENY, for browsers that predate `frame-ancestors` (clickjacking).
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_ALWAYS = "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
PAGE_POLICY = f"default-src 'none'; style-src 'self'; img-src 'self'; {_ALWAYS}"
DOCS_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    f"connect-src 'self'; {_ALWAYS}"
)
POLICIES = {"/docs": DOCS_POLICY}  # paths (below the root path) whose policy is not PAGE_POLICY
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
LIMIT_SETTING = "TAGWIRE_MAX_REQUEST_BYTES"


def route_path(scope: Scope) -> str:
    """The request's path below the app's root path (what the routes see)."""
    path, root = str(scope.get("path", "")), str(scope.get("root_path", ""))
    return path[len(root) :] if root and path.startswith(root) else path


def headers_for(path: str) -> dict[str, str]:
    """Every security header of a response to `path`."""
    return {"Content-Security-Policy": POLICIES.get(path, PAGE_POLICY), **HEADERS}


class SecurityHeaders:
    """Sets the headers of `headers_for` on every HTTP response, replacing any a route set."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = headers_for(route_path(scope))

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(wanted)
            await send(message)

        await self.app(scope, receive, send_secured)


def too_large(limit: int) -> str:
    """What a client whose body is over the limit reads: the limit and how to raise it."""
    return f"the request body is larger than {limit} bytes, the most this server accepts ({LIMIT_SETTING})"


class BodyLimit:
    """Refuses request bodies over `limit` bytes with 413 and {"detail": too_large(limit)}."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _declared_length(scope) > self.limit:  # refused before the app or the body is read
            answer = JSONResponse({"detail": too_large(self.limit)}, 413, headers={"Connection": "close"})
            await answer(scope, receive, send)
            return
        await self.app(scope, self._counting(receive), send)

    def _counting(self, receive: Receive) -> Receive:
        """`receive` that counts the body's bytes as they arrive and raises 413 past the limit
        (an HTTPException, so the app answers it in its own words: JSON under /api)."""
        seen = 0

        async def receive_counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(413, too_large(self.limit))
            return message

        return receive_counted


def _declared_length(scope: Scope) -> int:
    """The request's Content-Length, or 0 without one (a chunked body is counted as it comes)."""
    value = Headers(scope=scope).get("content-length", "")
    return int(value) if value.isdigit() else 0


def secure(response: Response, scope: Scope) -> Response:
    """`response` with the security headers, for one built outside the middleware: the answer
    to an unhandled error, which Starlette sends from outside every user middleware."""
    response.headers.update(headers_for(route_path(scope)))
    return response
