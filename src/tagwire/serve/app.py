"""The web application: the JSON API (api.py) and the HTML pages (pages.py) over one repository,
with errors answered in the caller's language (JSON under /api, an HTML page elsewhere), the
security headers and the request body limit of security.py on every response, the API docs
served from this server alone, and `serve`, which runs it under uvicorn for `tagwire serve`."""

from __future__ import annotations

import errno
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from importlib import resources
from pathlib import Path

import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from tagwire import __version__
from tagwire.config import Settings
from tagwire.errors import CannotListen
from tagwire.serve import api, feeds, pages, security
from tagwire.store import Repository, open_store

STATIC = Path(__file__).parent / "static"
# Swagger UI's files (swagger-ui-bundle.js, swagger-ui.css) as the fastapi-offline package ships them
DOCS_ASSETS = Path(str(resources.files("fastapi_offline") / "static"))


def create_app(settings: Settings, repo: Repository | None = None) -> FastAPI:
    """The app over `repo`, or over the store at settings.database (opened now, so a bad
    database is reported before serving, and closed when the app shuts down)."""
    store = repo if repo is not None else open_store(settings.database)
    app = FastAPI(
        title="tagwire",
        version=__version__,
        summary="A news wire organised by hashtags",
        lifespan=None if repo is not None else _closing(store),
        docs_url=None,  # FastAPI's own /docs loads Swagger UI from a CDN with an inline script
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.repo, app.state.settings = store, settings
    app.add_middleware(security.BodyLimit, limit=settings.max_request_bytes)
    app.add_middleware(security.SecurityHeaders)  # added last: outermost, so the 413 gets them too
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid_request)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _server_error)
    app.include_router(api.router)
    app.add_api_route("/docs", api_docs, include_in_schema=False, response_class=HTMLResponse)
    app.include_router(feeds.router)  # before pages, whose /tag/{tag} would take "Tag.rss" for a tag
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/docs/assets", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")
    return app


def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI over /openapi.json, every file from this server (it works offline) and started
    by static/docs.js rather than an inline script (it runs under security.DOCS_POLICY)."""
    openapi = str(request.app.openapi_url)
    return pages.render(request, "docs.html", None, title=request.app.title, openapi=openapi)


def _closing(repo: Repository) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            repo.close()

    return lifespan


def _is_api(request: Request) -> bool:
    path = security.route_path(request.scope)
    return path == "/api" or path.startswith("/api/")


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """{"detail": ...} for the API; for the pages, an HTML page with the same status and words."""
    if _is_api(request):
        return await http_exception_handler(request, exc)
    return pages.error_page(request, exc.status_code, str(exc.detail), exc.headers)


async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
    """FastAPI's 422 for the API; a 400 page naming each bad parameter for the pages."""
    if _is_api(request):
        return await request_validation_exception_handler(request, exc)
    problems = "; ".join(f"{err['loc'][-1]}: {err['msg']}" for err in exc.errors())
    return pages.error_page(request, 400, f"This address has a parameter tagwire cannot use ({problems}).")


async def _server_error(request: Request, exc: Exception) -> Response:
    """The 500 of an unexpected failure, in the caller's language and with the security headers
    (Starlette sends it from outside the middlewares); the traceback goes to the server's log."""
    message = "tagwire failed to answer this request; the server's log says why"
    if _is_api(request):
        return security.secure(JSONResponse({"detail": message}, 500), request.scope)
    try:
        return security.secure(pages.error_page(request, 500, message + "."), request.scope)
    except Exception:  # the page itself cannot be rendered: plain words still can
        return security.secure(PlainTextResponse(message, 500), request.scope)


def server_config(app: FastAPI, host: str, port: int) -> uvicorn.Config:
    """How tagwire runs under uvicorn (the tests start their servers from this too)."""
    return uvicorn.Config(app, host=host, port=port, log_level="warning", ws="none", lifespan="on")


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on host:port, for the server to take over: binding first turns a port
    in use into one clear error (CannotListen naming --port) before anything is printed."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # not past a listener: Linux refuses
    # No Nagle delay on replies: asyncio sets TCP_NODELAY only on sockets it knows to be TCP
    # (proto IPPROTO_TCP), and `--workers` hands the socket over as a file descriptor, so it is
    # set here, on the listener, which accepted connections inherit (Linux). Without it a reply
    # on a kept-alive connection waited for the client's delayed ACK: 40 ms on every page.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as error:
        sock.close()
        raise CannotListen(_listen_problem(host, port, error)) from None
    sock.set_inheritable(True)
    return sock


def _listen_problem(host: str, port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"port {port} is in use on {host} (another program listens on it): choose another with --port"
    hint = "choose another with --port"
    if error.errno == errno.EACCES:
        return f"cannot listen on port {port}: permission denied (ports below 1024 need privileges); {hint}"
    if isinstance(error, socket.gaierror) or error.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {host}: not an address of this machine (see --host)"
    return f"cannot listen on {host}:{port}: {error.strerror or error} (see --host and --port)"


def address(sock: socket.socket) -> str:
    """The http:// address a listening socket answers on."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class AnnouncingServer(uvicorn.Server):
    """uvicorn, calling `ready(address)` once it accepts connections."""

    def __init__(self, config: uvicorn.Config, ready: Callable[[], None] | None = None) -> None:
        super().__init__(config)
        self._ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and self._ready is not None:
            self._ready()


def serve(
    settings: Settings,
    host: str,
    port: int,
    workers: int = 1,
    *,
    sock: socket.socket | None = None,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the pages and the API on host:port (or on `sock`, already listening) until
    interrupted; `ready` is told the address once the server answers. With `workers` above 1,
    in that many processes sharing the socket (uvicorn's supervisor starts them, and starts one
    again when it dies), each with its own connections to the store. Raises CannotListen."""
    sock = sock or listen(host, port)
    shown = address(sock)
    if workers > 1:
        if ready is not None:
            ready(shown)  # the socket listens already: connections wait for the first process
        _serve_processes(sock, workers)
        return
    server = AnnouncingServer(server_config(create_app(settings), host, port), lambda: ready and ready(shown))
    server.run(sockets=[sock])


def _serve_processes(sock: socket.socket, workers: int) -> None:
    uvicorn.run(
        "tagwire.serve.app:app_from_environment",
        factory=True,
        fd=sock.fileno(),
        workers=workers,
        log_level="warning",
        ws="none",
        lifespan="on",
    )


def app_from_environment() -> FastAPI:
    """The app over the store the environment names (TAGWIRE_DATABASE): what each process of
    `tagwire serve --workers N` serves."""
    from tagwire import config

    return create_app(config.load())
