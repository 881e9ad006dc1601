"""A hostile outlet on 127.0.0.1: the fixtures of tests/fixtures/hostile/ served as feeds, the big
and binary ones generated here (never committed), and the addresses they point at (article pages,
the external entities that must never be requested, redirects to other schemes).

Each fixture carries its expectation: a file's in a comment (`Expect: {...}` in XML) or in the
`_expect` extension key of a JSON Feed; a generated one's in `GENERATED` below. The keys:

    status    "ok" (read, perhaps with a problem noted) or "error" (recorded on the source)
    error     words the source's error message contains
    articles  how many articles the source stores in one `tagwire fetch`
    paths     the stored articles' URLs (after BASE), when they matter
    absent    text that must never be stored anywhere in the database
    max_title the longest title stored (the max_title_chars cap)

`{{BASE}}` in a fixture is replaced by the server's address when served. tests/test_hostile.py
fetches them with the real CLI; bench/hostile.py serves thousands of variants of them.
"""

from __future__ import annotations

import functools
import http.server
import json
import random
import re
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tagwire.config import load

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"
CAPS = load({})
"""The default settings, whose caps (max_title_chars, max_items_per_feed) the expectations use."""
MiB = 1 << 20
PASSWD_MARKERS = ("root:x:0:0", "/bin/bash", "/usr/sbin/nologin", "daemon:x:")
"""What /etc/passwd holds on any Linux machine: none of it may ever be stored."""
LEAK = "XXE-LEAK-7f3a"
"""What the server answers at the addresses external entities name: never requested, never stored."""
TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml",
    ".json": "application/feed+json",
    ".xml": "application/xml",
    ".html": "text/html; charset=utf-8",
}
_EXPECT = re.compile(rb"Expect:\s*(\{.*?\})\s*-->", re.S)


@dataclass(frozen=True)
class Reply:
    """What one path answers."""

    body: bytes = b""
    content_type: str = "application/rss+xml"
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Fixture:
    """A feed to follow, where it is served, and what must hold once it is fetched."""

    name: str
    path: str
    expect: dict[str, Any]
    kind: str = "feed"


# ── generated bodies ──────────────────────────────────────────────────────────────────────────


def rss(items: str, title: str = "Hostile Outlet", prolog: str = "") -> bytes:
    head = f'<?xml version="1.0" encoding="utf-8"?>{prolog}<rss version="2.0"><channel><title>{title}</title>'
    return (head + items + "</channel></rss>").encode()


def item(base: str, slug: str, title: str, summary: str = "A report.") -> str:
    return (
        f"<item><title>{title}</title><link>{base}/page/{slug}</link>"
        f"<description>{summary}</description><pubDate>Sun, 01 Jun 2025 10:00:00 GMT</pubDate></item>"
    )


@functools.cache
def gzip_bomb(prefix: bytes = b"", size: int = 1 << 30) -> bytes:
    """`prefix` then `size` spaces, gzip-compressed (1 GiB makes about 4.7 MB, in about a second)."""
    packer = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk, parts = b" " * MiB, [packer.compress(prefix)]
    parts += [packer.compress(chunk) for _ in range(size // MiB)]
    return b"".join(parts) + packer.flush()


def png() -> bytes:
    """A real 1x1 PNG, served as if it were a feed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\0\0\0"))
        + chunk(b"IEND", b"")
    )


def random_bytes(seed: int, size: int = 64 * 1024) -> bytes:
    return random.Random(seed).randbytes(size)


def deep_xml(base: str, depth: int = 100_000) -> bytes:
    """An item whose description nests `depth` elements (raw XML), and one that is plain."""
    nested = "<x>" * depth + "deep" + "</x>" * depth
    return rss(
        f"<item><title>Deep</title><link>{base}/page/deep</link><description>{nested}</description></item>"
    )


def deep_html(base: str, depth: int = 100_000) -> bytes:
    """An item whose escaped HTML summary nests `depth` divs (never closed)."""
    return rss(item(base, "deep-html", "Deep HTML", "&lt;div&gt;" * depth + "text"))


def megabyte_title(base: str) -> bytes:
    """One item whose title is a megabyte of capitalised words: the input that held understanding
    for more than ten minutes (stories._NAME) before the caps and budgets."""
    words = "ABCDEFGHIJ " * (MiB // 11)
    return rss(item(base, "megabyte-title", words, "A story with a very long headline."))


def megabyte_author(base: str) -> bytes:
    """A broken feed (so feedparser salvages it) whose item names a megabyte-long author: its
    e-mail regular expression takes the square of that length (an hour)."""
    author = f"<author>{'a' * MiB}</author>"
    return rss(item(base, "megabyte-author", "Long author").replace("</item>", f"{author}<x></item>"))


def many_items(base: str, count: int = 40_000) -> bytes:
    return rss("".join(item(base, f"bulk-{i}", headline(f"bulk-{i}")) for i in range(count)))


def _word(pick: random.Random) -> str:
    return "".join(pick.choice(_SYLLABLES) for _ in range(pick.randint(2, 4)))


def headline(seed: str) -> str:
    """A headline of invented words, its own for each seed (no two items are one story)."""
    pick = random.Random(seed)
    return " ".join(_word(pick) for _ in range(6)).capitalize()


def prose(seed: str) -> str:
    """An article's text: invented words, and two people and a place from a pool of invented
    names (so hashtags and stories form, as they do over real news)."""
    pick = random.Random(seed)
    names = [_name(random.Random(pick.randrange(300))) for _ in range(2)]
    place = _word(random.Random(pick.randrange(60))).capitalize() + " " + _word(pick).capitalize()
    sentences = [
        " ".join(_word(pick) for _ in range(18)).capitalize() + f", {names[i % 2]} said." for i in range(8)
    ]
    return f"{names[0]} and {names[1]} spoke in {place} on Sunday. " + " ".join(sentences)


def _name(pick: random.Random) -> str:
    return f"{_word(pick).capitalize()} {_word(pick).capitalize()}"


_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "te", "vi", "do", "ga", "he", "ri", "po", "lu", "ma", "ve")


def nul_late(base: str) -> bytes:
    """NUL bytes after the first 4 KB (which sniffing checks): in a title and a summary."""
    pad = "<!-- " + "padding " * 600 + " -->"
    return rss(
        pad + item(base, "nul-1", "Before\x00after", "Nul\x00in the summary") + item(base, "nul-2", "Clean")
    )


def invalid_utf8(base: str) -> bytes:
    """A feed that declares UTF-8 and holds bytes that are not UTF-8 in a title."""
    return rss(item(base, "bad-bytes", "Caf\xe9 PLACEHOLDER")).replace(b"PLACEHOLDER", b"\xff\xfe\xc3(")


def nul_early() -> bytes:
    return b'<?xml version="1.0"?>\x00<rss version="2.0"><channel><title>x</title></channel></rss>'


Gen = Callable[[str], Reply]


def _feed(make: Callable[[str], bytes], content_type: str = "application/rss+xml") -> Gen:
    return lambda base: Reply(make(base), content_type)


def _redirect(location: str) -> Gen:
    return lambda base: Reply(b"", "text/plain", 302, (("Location", location),))


GENERATED: dict[str, tuple[Gen, dict[str, Any]]] = {
    "deep-xml": (_feed(deep_xml), {"status": "ok", "articles": 1}),
    "deep-html": (_feed(deep_html), {"status": "ok", "articles": 1}),
    "megabyte-title": (
        _feed(megabyte_title),
        {"status": "ok", "articles": 1, "max_title": CAPS.max_title_chars},
    ),
    "megabyte-author": (_feed(megabyte_author), {"status": "ok", "articles": 1}),
    "many-items": (_feed(many_items), {"status": "ok", "articles": CAPS.max_items_per_feed}),
    "nul-late": (_feed(nul_late), {"status": "ok", "articles": 2}),
    "nul-early": (_feed(lambda base: nul_early()), {"status": "error", "error": ["binary"]}),
    "invalid-utf8": (_feed(invalid_utf8), {"status": "ok", "articles": 1}),
    "png": (_feed(lambda base: png(), "image/png"), {"status": "error", "error": ["not a feed"]}),
    "random-bytes": (_feed(lambda base: random_bytes(10)), {"status": "error", "error": ["not a feed"]}),
    "gzip-bomb-encoded": (
        lambda base: Reply(gzip_bomb(b"<rss>"), "application/rss+xml", 200, (("Content-Encoding", "gzip"),)),
        {"status": "error", "error": ["too large"]},
    ),
    "gzip-bomb-body": (
        _feed(lambda base: gzip_bomb(b"<rss>"), "application/gzip"),
        {"status": "error", "error": ["gzip"]},
    ),
    "redirect-file": (_redirect("file:///etc/passwd"), {"status": "error", "error": ["file"]}),
    "redirect-ftp": (_redirect("ftp://127.0.0.1/feed.rss"), {"status": "error", "error": ["ftp"]}),
    "redirect-data": (
        _redirect("data:application/rss+xml;base64,PHJzcy8+"),
        {"status": "error", "error": ["data"]},
    ),
    "redirect-javascript": (_redirect("javascript:alert(1)"), {"status": "error", "error": ["javascript"]}),
}
"""Generated fixtures (big, binary, or answers rather than bodies), served at /gen/NAME."""

SITEMAP_BOMB = "sitemap-bomb.xml.gz"
"""A news sitemap that inflates to 1 GiB, followed as a sitemap source (kind "sitemap")."""
SITEMAP_BOMB_EXPECT = {"status": "error", "error": ["too large"]}


def sitemap_bomb() -> Reply:
    head = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    return Reply(gzip_bomb(head), "application/gzip")


# ── the article pages items link to ───────────────────────────────────────────────────────────


def article_page(base: str, slug: str) -> bytes:
    """An article page that tries every way to smuggle script or a foreign address through
    extraction: canonical and og:url to javascript:, markup in the site name and JSON-LD."""
    ld = json.dumps(
        {
            "@type": "NewsArticle",
            "headline": "<script>alert('ld')</script> Harbour report",
            "mainEntityOfPage": "javascript:alert('ld')",
            "publisher": {"@type": "Organization", "name": "<img src=x onerror=alert(1)>Outlet"},
        }
    )
    body = prose(slug)
    stated = "0202-06-01T00:00:00Z" if "date-" in slug else "2025-06-01T09:00:00Z"  # odd-dates.rss
    return (
        "<!doctype html><html lang='en'><head><title>Harbour report</title>"
        "<link rel='canonical' href='javascript:alert(1)'>"
        "<meta property='og:url' content='data:text/html,<script>alert(1)</script>'>"
        "<meta property='og:site_name' content='&lt;script&gt;alert(1)&lt;/script&gt;Outlet'>"
        f"<meta property='article:published_time' content='{stated}'>"
        f"<script type='application/ld+json'>{ld}</script><script>alert('page')</script></head>"
        f"<body onload=alert(1)><article><h1>Harbour report {slug}</h1>"
        f"<p onclick=alert(1)>{body} <a href='javascript:alert(2)'>more</a></p>"
        f"<p>{body}</p><iframe src='javascript:alert(3)'></iframe></article></body></html>"
    ).encode()


# ── the server ────────────────────────────────────────────────────────────────────────────────


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: HostileServer

    def do_GET(self) -> None:
        self.server.record(self.path)
        base = f"http://{self.headers.get('Host') or self.server.host_port}"
        reply = self.server.answer(self.path.split("?", 1)[0].split("#", 1)[0], base)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers:
            self.send_header(name, value)
        if not any(name.lower() == "content-length" for name, _ in reply.headers):
            self.send_header("Content-Length", str(len(reply.body)))
        else:  # a length that lies: send what there is and hang up
            self.close_connection = True
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Routes:
    """Path -> answer (given the base URL the request came to); files are read once."""

    extra: dict[str, Callable[[str], Reply]] = field(default_factory=dict)

    def answer(self, path: str, base: str) -> Reply:
        if path in self.extra:
            return self.extra[path](base)
        if path.startswith("/f/") and (FIXTURES / path[3:]).is_file() and "/" not in path[3:]:
            return file_reply(path[3:], base)
        if path.startswith("/gen/") and path[5:] in GENERATED:
            return GENERATED[path[5:]][0](base)
        if path == "/" + SITEMAP_BOMB:
            return sitemap_bomb()
        if path.startswith("/page/"):
            return Reply(article_page(base, path[6:]), "text/html; charset=utf-8")
        if path.startswith("/xxe"):
            return Reply(LEAK.encode(), "text/plain")
        return Reply(b"no such page", "text/plain", 404)


def file_reply(name: str, base: str) -> Reply:
    body = _file_bytes(name).replace(b"{{BASE}}", base.encode())
    return Reply(body, TYPES.get(Path(name).suffix, "application/octet-stream"))


@functools.cache
def _file_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class HostileServer(http.server.ThreadingHTTPServer):
    """Serves `Routes` on 127.0.0.1 and records every path requested."""

    daemon_threads = True
    request_queue_size = 256

    def __init__(self, routes: Routes | None = None, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.routes = routes or Routes()
        self.paths: list[str] = []
        self.lock = threading.Lock()

    @property
    def host_port(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"

    @property
    def base(self) -> str:
        return f"http://{self.host_port}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up (tagwire stops reading a body over its cap) is no error here."""

    def record(self, path: str) -> None:
        with self.lock:
            self.paths.append(path)

    def answer(self, path: str, base: str) -> Reply:
        return self.routes.answer(path, base)


@contextmanager
def serving(routes: Routes | None = None) -> Iterator[HostileServer]:
    server = HostileServer(routes)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


# ── the catalogue ─────────────────────────────────────────────────────────────────────────────


def expectation(name: str) -> dict[str, Any]:
    """A fixture file's expectation: its `_expect` key (JSON Feed) or its `Expect:` comment."""
    data = _file_bytes(name)
    if name.endswith(".json"):
        expect: dict[str, Any] = json.loads(data)["_expect"]
        return expect
    found = _EXPECT.search(data)
    assert found, f"{name} states no Expect: comment"
    parsed: dict[str, Any] = json.loads(found.group(1))
    return parsed


def fixtures() -> list[Fixture]:
    """Every fixture: the files, the generated ones, and the sitemap bomb."""
    files = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in TYPES and p.is_file())
    found = [Fixture(name, f"/f/{name}", expectation(name)) for name in files]
    found += [Fixture(name, f"/gen/{name}", expect) for name, (_, expect) in GENERATED.items()]
    return [*found, Fixture(SITEMAP_BOMB, "/" + SITEMAP_BOMB, SITEMAP_BOMB_EXPECT, kind="sitemap")]


def opml(urls: list[str]) -> str:
    outlines = "".join(f'<outline type="rss" xmlUrl="{u}"/>' for u in urls)
    return f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'


_GAP = r"[\s\x00]*"  # browsers skip whitespace and NUL inside a scheme: "java\tscript:"
_LIVE_URL = re.compile(rf"^[\x00-\x20]*(?:{_GAP.join('javascript')}|vbscript|data){_GAP}:", re.I)
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "poster"})


def live_script(page: str) -> list[str]:
    """What in a served page could run script: a <script> not loaded from /static/, an event
    handler attribute (on*=), a javascript:, vbscript: or data: address in a link or source.
    Read with lxml's HTML parser, as a browser would see the elements (escaped text is text)."""
    from lxml import html as lxml_html  # type: ignore[import-untyped]

    found: list[str] = []
    for element in lxml_html.document_fromstring(page or "<html></html>").iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "script" and not str(element.get("src") or "").startswith("/static/"):
            found.append(f"<script> {(element.text or element.get('src') or '')[:80]!r}")
        for name, value in element.attrib.items():
            handler = name.lower().startswith("on")
            if handler or (name.lower() in _URL_ATTRIBUTES and _LIVE_URL.match(value)):
                found.append(f"<{element.tag} {name}={value[:60]!r}>")
    return found
