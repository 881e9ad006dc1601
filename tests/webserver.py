"""Real servers for the tests, on free loopback ports: the app under uvicorn (`running`), and a small
HTTP server whose routes a test fills in and which records every request (`Server`, the `server`
fixture in conftest.py)."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI

from tagwire import config
from tagwire.serve.app import server_config


@contextmanager
def running(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn on a free loopback port, in a thread; yields the base URL."""
    server = uvicorn.Server(server_config(app, "127.0.0.1", 0))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


Route = Callable[["Handler"], None]


class Handler(http.server.BaseHTTPRequestHandler):
    """Answers each GET with the route registered for its path (query string ignored)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else each reply waits ~40 ms for a delayed ACK
    server: Server

    def do_GET(self) -> None:
        self.server.record(self)
        route = self.server.routes.get(self.path.split("?", 1)[0])
        if route is None:
            self.reply(404, b"no such route")
        else:
            route(self)

    def reply(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class Server(http.server.ThreadingHTTPServer):
    """A local server whose routes a test fills in; it records every request it receives."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.peers: set[int] = set()  # client ports: one per TCP connection
        self.release = threading.Event()  # set at teardown: stalled handlers give up
        self.lock = threading.Lock()

    def record(self, handler: Handler) -> None:
        with self.lock:
            self.requests.append((handler.path, dict(handler.headers.items())))
            self.peers.add(handler.client_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


def settings(**changes: Any) -> config.Settings:
    """Default settings, loopback allowed (the test servers live there), then `changes`."""
    return config.load({}).replace(**{"allow_private_networks": True, **changes})


FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>Harbour Gazette</title></channel></rss>"


ETAG = '"v1-harbour"'


MODIFIED = "Sat, 31 May 2025 11:08:00 GMT"


def feed_route(handler: Handler) -> None:
    """A feed that honours If-None-Match and If-Modified-Since, as well-run servers do."""
    if handler.headers.get("If-None-Match") == ETAG or handler.headers.get("If-Modified-Since") == MODIFIED:
        handler.reply(304, ETag=ETAG)
        return
    headers = {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": ETAG, "Last-Modified": MODIFIED}
    handler.reply(200, FEED, X_Outlet_Name="Harbour", **headers)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
