"""A local web server for tagwire's demo world, and for tests that need outlets on loopback.

It serves a directory laid out like the seed corpus: `feeds/NAME` at `BASE/feeds/NAME`, and
every file under `site/` at `BASE/<path under site/>` (a directory answers with its
`index.html`). `BASE/sources.opml` lists every feed, so one `tagwire add` follows them all.
By default it serves the built-in sample (`SAMPLE_DIR`): five invented outlets, one feed format
each, with the wire copy, the relisting and the second report that `sample/expected.json`
describes. Point `root` at any other directory (a test's fixture tree, a broken feed) and it
serves that instead, byte for byte apart from the two placeholders below.

Placeholders, replaced in every response (bytes in, bytes out, so any encoding survives):

- `{{BASE}}` becomes the server's address, e.g. `http://127.0.0.1:41873`.
- `{{DATE:OFFSET}}`, `{{DATE:OFFSET|FORMAT}}` or `{{DATE:OFFSET|FORMAT|ZONE}}` becomes the moment
  `DEMO_NOW + OFFSET + shift`. OFFSET is signed days/hours/minutes (`-26h`, `-72h30m`, `-1d2h`).
  FORMAT is `iso` (default, `2025-09-17T10:00:00Z`), `rfc822` (`Wed, 17 Sep 2025 10:00:00 +0000`,
  for RSS), `day` (`2025-09-17`) or `long` (`Wednesday 17 September 2025, 10:00`). ZONE is `Z`
  (default), `UTC`, `GMT` or `+HH:MM`: the same moment written in that offset. A placeholder
  that does not parse is served as it is, so a mistake shows instead of vanishing.

Dates are stored as offsets rather than as real dates rewritten on the fly because an offset
cannot be missed by a rewriting pattern and reads the same in RSS, Atom, RDF, JSON and HTML.
`shift` is zero unless the server is given `now`: then it is `now - DEMO_NOW` rounded to whole
minutes, so the demo's articles look as recent against the real clock as they are against
`DEMO_NOW`, and `expected.json`'s times move by exactly `shift`.

Every answer carries an ETag (a hash of the rendered body) and Last-Modified (the newest date
rendered in the body, else the file's mtime); `If-None-Match` or `If-Modified-Since` that match
get a 304. Anything else, and any path that leaves the served directories, gets a 404.
`hits` counts requests per path (query string removed), so a test can prove what was fetched.

`python -m tagwire.demo.server [--root DIR] [--port N] [--now ISO|real]` prints
`BASE http://127.0.0.1:PORT` on its first line and serves until interrupted.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import socket
import sys
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import quote, unquote, urlsplit

from tagwire.errors import InputError

DEMO_NOW = datetime(2025, 9, 18, 12, 0, tzinfo=UTC)
SAMPLE_DIR = Path(__file__).resolve().parent / "sample"

_DATE = re.compile(rb"\{\{DATE:([+-]?(?:\d+[dhm])+)(?:\|([a-z0-9]+))?(?:\|(Z|UTC|GMT|[+-]\d\d:\d\d))?\}\}")
_UNIT = re.compile(r"(\d+)([dhm])")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")  # fmt: skip
_TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml",
    ".xml": "application/xml",
    ".opml": "text/x-opml",
    ".html": "text/html",
    ".htm": "text/html",
    ".txt": "text/plain",
    ".css": "text/css",
    ".json": "application/json",
}


def demo_shift(now: datetime | None) -> timedelta:
    """How far to move every demo date so that `DEMO_NOW` lands on `now` (whole minutes)."""
    if now is None:
        return timedelta(0)
    if now.tzinfo is None:
        raise InputError(f"the demo's `now` must carry a time zone, not {now.isoformat()}")
    return timedelta(minutes=round((now - DEMO_NOW).total_seconds() / 60))


def parse_offset(text: str) -> timedelta:
    """`-72h30m` -> timedelta(hours=-72, minutes=-30); units d, h, m, sign optional."""
    sign = -1 if text.startswith("-") else 1
    sizes = {"d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1)}
    return sign * sum((int(n) * sizes[unit] for n, unit in _UNIT.findall(text)), timedelta(0))


def _zone(name: str) -> timezone:
    if name in ("", "Z", "UTC", "GMT"):
        return UTC
    hours, minutes = int(name[1:3]), int(name[4:6])
    sign = -1 if name[0] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def format_date(moment: datetime, fmt: str = "iso", zone: str = "Z") -> str | None:
    """`moment` written in `fmt` at `zone` (see the module docstring); None for an unknown format."""
    local = moment.astimezone(_zone(zone)).replace(microsecond=0)
    if fmt == "iso":
        text = local.isoformat()
        return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
    if fmt == "rfc822":
        return format_datetime(local, usegmt=zone == "GMT")
    if fmt == "day":
        return local.strftime("%Y-%m-%d")
    if fmt == "long":
        month = _MONTHS[local.month - 1]
        return f"{_DAYS[local.weekday()]} {local.day} {month} {local.year}, {local:%H:%M}"
    return None


def render(body: bytes, base: str, anchor: datetime) -> tuple[bytes, datetime | None]:
    """Fill `{{BASE}}` and every `{{DATE:...}}` (relative to `anchor`); also the newest date filled."""
    found: list[datetime] = []

    def fill(m: re.Match[bytes]) -> bytes:
        moment = anchor + parse_offset(m.group(1).decode())
        text = format_date(moment, (m.group(2) or b"iso").decode(), (m.group(3) or b"Z").decode())
        if text is None:
            return m.group(0)
        found.append(moment)
        return text.encode()

    out = _DATE.sub(fill, body.replace(b"{{BASE}}", base.encode()))
    return out, max(found, default=None)


def locate(root: Path, url_path: str) -> Path | None:
    """The file a URL path names under `root` (feeds/ or site/), or None if it names nothing
    servable: missing, a directory without index.html, or outside the served directories."""
    path = unquote(urlsplit(url_path).path)
    parts = [p for p in path.split("/") if p]
    if "\x00" in path or any(p in (".", "..") or "\\" in p for p in parts):
        return None
    top = root / "feeds" if parts[:1] == ["feeds"] else root / "site"
    rel = parts[1:] if parts[:1] == ["feeds"] else parts
    target = top.joinpath(*rel)
    if target.is_dir():
        target = target / "index.html"
    try:
        target.resolve().relative_to(top.resolve())
    except ValueError:
        return None
    return target if target.is_file() else None


def content_type(path: Path, body: bytes, is_feed: bool = False) -> str:
    """The Content-Type an outlet's server would send: feed types by suffix, a charset on text
    only when the body really is UTF-8 (XML keeps the encoding its prolog declares)."""
    suffix = path.suffix.lower()
    kind = "application/feed+json" if is_feed and suffix == ".json" else _TYPES.get(suffix)
    if kind is None:
        return "application/octet-stream"
    if "xml" in kind or "opml" in kind:
        return kind
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return kind
    return kind + "; charset=utf-8"


def opml(root: Path, base: str) -> bytes:
    """An OPML list of every feed in `root/feeds`, for `tagwire add BASE/sources.opml`."""
    outlines = "\n".join(
        f'<outline type="rss" text="{escape(f.stem)}" xmlUrl="{escape(u)}"/>'
        for f, u in zip(feed_files(root), feed_urls_for(root, base), strict=True)
    )
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">'
    head += "<head><title>tagwire demo feeds</title></head>"
    return f"{head}\n<body>\n{outlines}\n</body></opml>\n".encode()


def feed_files(root: Path) -> list[Path]:
    folder = root / "feeds"
    if not folder.is_dir():
        return []
    return sorted(f for f in folder.iterdir() if f.is_file() and not f.name.startswith("."))


def feed_urls_for(root: Path, base: str) -> list[str]:
    return [f"{base}/feeds/{quote(f.name)}" for f in feed_files(root)]


@dataclass(frozen=True)
class Reply:
    """One HTTP answer, decided without touching the socket."""

    status: int
    headers: Mapping[str, str]
    body: bytes = b""


def _not_modified(etag: str, modified: datetime, request: Mapping[str, str]) -> bool:
    """RFC 9110: If-None-Match decides when present; otherwise If-Modified-Since."""
    if_none = request.get("If-None-Match")
    if if_none is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none.split(",")]
        return "*" in tags or etag in tags
    since = request.get("If-Modified-Since")
    if since is None:
        return False
    try:
        when = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    return when.tzinfo is not None and modified.replace(microsecond=0) <= when


def reply_for(
    path: Path | None,
    body: bytes | None,
    modified: datetime,
    request: Mapping[str, str],
    is_feed: bool = False,
) -> Reply:
    """200 with validators, 304 when the client's copy is current, 404 when there is nothing."""
    if path is None or body is None:
        return Reply(404, {"Content-Type": "text/plain; charset=utf-8"}, b"404 not found\n")
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    headers = {"ETag": etag, "Last-Modified": format_datetime(modified.astimezone(UTC), usegmt=True)}
    if _not_modified(etag, modified, request):
        return Reply(304, headers)
    return Reply(200, {**headers, "Content-Type": content_type(path, body, is_feed)}, body)


class SampleServer:
    """Serves a corpus directory on loopback in a daemon thread (a context manager).

    `root` defaults to the built-in sample; `now` shifts every date placeholder so that
    `DEMO_NOW` becomes `now` (see the module docstring). `hits` counts requests per path.
    """

    def __init__(self, root: Path | None = None, *, host: str = "127.0.0.1", port: int = 0,
                 now: datetime | None = None) -> None:  # fmt: skip
        self.root = Path(root) if root is not None else SAMPLE_DIR
        if not (self.root / "feeds").is_dir() and not (self.root / "site").is_dir():
            raise InputError(f"{self.root} has neither a feeds/ nor a site/ directory: nothing to serve")
        self.host, self.port = host, port
        self.shift = demo_shift(now)
        self.now = DEMO_NOW + self.shift
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, int]] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._base = ""

    @property
    def base(self) -> str:
        """`http://HOST:PORT`, the address every `{{BASE}}` becomes; set by start()."""
        if not self._base:
            raise RuntimeError("SampleServer.base is known only once the server has started")
        return self._base

    def start(self) -> SampleServer:
        """Listen (port 0 picks a free one) and serve in a daemon thread; returns self."""
        if self._httpd is not None:
            return self
        try:
            self._httpd = _Listener((self.host, self.port), _handler_for(self))
        except OSError as e:
            raise InputError(f"cannot listen on {self.host}:{self.port}: {e.strerror or e}") from None
        shown = f"[{self.host}]" if ":" in self.host else self.host
        self._base = f"http://{shown}:{self._httpd.server_port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="tagwire-demo", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket; safe to call twice."""
        httpd, thread = self._httpd, self._thread
        self._httpd = self._thread = None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> SampleServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:  # fmt: skip
        self.stop()

    def feed_urls(self) -> list[str]:
        """Every feed under `root/feeds`, as URLs on this server, sorted by file name."""
        return feed_urls_for(self.root, self.base)

    def respond(self, url_path: str, request: Mapping[str, str]) -> Reply:
        """The answer to GET `url_path` with the request's headers; also counts the hit."""
        clean = urlsplit(url_path).path
        if clean == "/sources.opml":
            path: Path | None = Path("sources.opml")
            body: bytes | None = opml(self.root, self.base)
            modified = self.now
        else:
            path = locate(self.root, url_path)
            body, modified = self._read(path)
        reply = reply_for(path, body, modified, request, is_feed=clean.startswith("/feeds/"))
        with self._lock:
            self.hits[clean] += 1
            self.requests.append((url_path, reply.status))
        return reply

    def _read(self, path: Path | None) -> tuple[bytes | None, datetime]:
        if path is None:
            return None, self.now
        try:
            raw = path.read_bytes()
        except OSError:
            return None, self.now
        body, newest = render(raw, self.base, self.now)
        if newest is not None:
            return body, newest
        mtime = datetime.fromtimestamp(int(path.stat().st_mtime), UTC)
        return body, min(mtime, datetime.now(UTC))


class _Listener(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)


def _handler_for(server: SampleServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stall

        def do_GET(self) -> None:
            self._answer(send_body=True)

        def do_HEAD(self) -> None:
            self._answer(send_body=False)

        def _answer(self, send_body: bool) -> None:
            reply = server.respond(self.path, {k.title(): v for k, v in self.headers.items()})
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.status != 304:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if send_body and reply.status != 304:
                self.wfile.write(reply.body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: tests and the demo read `hits`, not a log on stderr."""

    return Handler


def _parse_now(text: str | None) -> datetime | None:
    if text is None:
        return None
    if text == "real":
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--now {text!r} is neither 'real' nor an ISO 8601 time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until interrupted; the first line printed is `BASE http://HOST:PORT`."""
    ap = argparse.ArgumentParser(
        prog="python -m tagwire.demo.server", description="Serve tagwire's demo world."
    )
    ap.add_argument(
        "--root", type=Path, default=None, help="directory with feeds/ and site/ (default: the sample)"
    )
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port")
    ap.add_argument("--now", default=None, help="'real' or an ISO time: shift the demo's dates to it")
    args = ap.parse_args(argv)
    try:
        server = SampleServer(args.root, host=args.host, port=args.port, now=_parse_now(args.now)).start()
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print("BASE", server.base, flush=True)
    print("NOW", format_date(server.now), flush=True)
    for url in server.feed_urls():
        print("FEED", url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
