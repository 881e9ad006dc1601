"""The web application: the JSON API (api.py) and the HTML pages (pages.py) over one repository,
with errors answered in the caller's language (JSON under /api, an HTML page elsewhere), and
`serve`, which runs it under uvicorn for `tagwire serve`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from tagwire import __version__
from tagwire.config import Settings
from tagwire.serve import api, feeds, pages, search
from tagwire.store import Repository, open_store

STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings, repo: Repository | None = None) -> FastAPI:
    """The app over `repo`, or over the store at settings.database (opened now, so a bad
    database is reported before serving, and closed when the app shuts down)."""
    store = repo if repo is not None else open_store(settings.database)
    app = FastAPI(
        title="tagwire",
        version=__version__,
        summary="A news wire organised by hashtags",
        lifespan=None if repo is not None else _closing(store),
    )
    app.state.repo, app.state.settings = store, settings
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid_request)  # type: ignore[arg-type]
    app.include_router(api.router)
    app.include_router(search.router)
    app.include_router(feeds.router)  # before pages, whose /tag/{tag} would take "Tag.rss" for a tag
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _closing(repo: Repository) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            repo.close()

    return lifespan


def _is_api(request: Request) -> bool:
    path, root = request.url.path, str(request.scope.get("root_path", ""))
    path = path[len(root) :] if root and path.startswith(root) else path
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


def server_config(app: FastAPI, host: str, port: int) -> uvicorn.Config:
    """How tagwire runs under uvicorn (the tests start their servers from this too)."""
    return uvicorn.Config(app, host=host, port=port, log_level="warning", ws="none", lifespan="on")


def serve(settings: Settings, host: str, port: int) -> None:
    """Serve the pages and the API on host:port until interrupted."""
    uvicorn.Server(server_config(create_app(settings), host, port)).run()
