"""The web application's hardening (tagwire.serve.security and the /docs page), tested on the
real app under uvicorn on 127.0.0.1, over a real SQLite store, read with httpx and with Debian's
chromium through Playwright:

- every kind of response (page, API, feed, static file, 404, 405, 413, 500, /docs) carries the
  Content-Security-Policy, nosniff, Referrer-Policy and X-Frame-Options;
- request bodies over TAGWIRE_MAX_REQUEST_BYTES are a 413 that says so, by Content-Length and
  for chunked bodies counted while read;
- every write route goes through api.require_token, and wrong tokens of any length fail;
- /docs renders Swagger UI in chromium from 127.0.0.1 alone, with no CSP violation;
- an article whose title, summary and URL carry <script>, onerror= and javascript: runs nothing."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Dialog, Page, sync_playwright

from tagwire.config import Settings, load
from tagwire.models import Article, Match
from tagwire.serve.app import create_app
from tagwire.store import Repository, open_store
from tests.helpers import CHROMIUM, CHROMIUM_ARGS, MISSING, save_understanding
from tests.webserver import running

NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)
NOW_Q = "2025-06-10T12:00:00Z"
TOKEN = "k3y-0f-16-chars!"
LIMIT = 65536  # settings.max_request_bytes by default
TITLE = '<script>alert("title")</script><img src=x onerror=alert("img")> Pier lights dim'
SUMMARY = (
    "<a href=\"javascript:alert('link')\">details</a> <svg onload=alert('svg')></svg> "
    '<iframe src="javascript:alert(1)"></iframe> Pier lights dimmed overnight.'
)
TAG = "PierLights"
DIRECTIVES = [
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "style-src 'self'",
]
# Records every CSP violation of the page (an init script: it runs before the page's own).
WATCH_CSP = """document.addEventListener("securitypolicyviolation", (e) =>
  (window.__violations = window.__violations || []).push(e.effectiveDirective + " " + e.blockedURI));"""
browser_only = pytest.mark.skipif(MISSING, reason="needs Debian's chromium: apt-get install -y chromium")


def settings_for(db: Path, **extra: str) -> Settings:
    return load({"TAGWIRE_DATABASE": str(db), "TAGWIRE_API_TOKEN": TOKEN, **extra})


def store_hostile(repo: Repository) -> int:
    """A stored, understood article whose title, summary and URL are hostile; its story id."""
    a = Article(
        url="javascript:alert('url')", outlet="Mischief Daily", title=TITLE, published=NOW, summary=SUMMARY
    )
    b = Article(
        url="https://calm.example/pier", outlet="Calm Courier", title="Pier lights dim", published=NOW
    )
    repo.add_articles([a, b], fetched_at=NOW + timedelta(minutes=5))
    a.hashtags, a.match = [TAG], Match("new")
    save_understanding(repo, a, bands=[], signature=b"", features="{}", terms=["pier", "lights", "dim"])
    b.hashtags, b.story_id, b.match = [TAG], a.story_id, Match("story", 0.7, a.id)
    save_understanding(repo, b, bands=[], signature=b"", features="{}", terms=["pier", "lights", "dim"])
    assert a.story_id is not None
    return a.story_id


@dataclass
class Site:
    base: str
    db: Path
    repo: Repository
    story: int


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    db = tmp_path_factory.mktemp("websec") / "tagwire.db"
    repo = open_store(str(db))
    story = store_hostile(repo)
    with running(create_app(settings_for(db), repo)) as base:
        yield Site(base, db, repo, story)
    repo.close()


@pytest.fixture(scope="module")
def http(site: Site) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.base) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def assert_secured(r: httpx.Response) -> str:
    """The four headers on one response; returns its policy for more specific checks."""
    policy = r.headers["content-security-policy"]
    for directive in DIRECTIVES:
        assert directive in policy, (r.url, directive)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "*" not in policy
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-frame-options"] == "DENY"
    return policy


# headers --------------------------------------------------------------------------------------

RESPONSES = [  # (method, path, status, content type)
    ("GET", f"/tag/{TAG}", 200, "text/html"),
    ("GET", "/api/latest", 200, "application/json"),
    ("GET", f"/tag/{TAG}.rss", 200, "application/rss+xml"),
    ("GET", f"/tag/{TAG}.json", 200, "application/feed+json"),
    ("GET", "/static/style.css", 200, "text/css"),
    ("GET", "/static/docs.js", 200, "text/javascript"),
    ("GET", "/docs/assets/swagger-ui-bundle.js", 200, "text/javascript"),
    ("GET", "/openapi.json", 200, "application/json"),
    ("GET", "/no/such/page", 404, "text/html"),
    ("GET", "/api/no/such/route", 404, "application/json"),
    ("GET", "/static/absent.css", 404, "text/html"),
    ("POST", "/sources", 405, "text/html"),
    ("POST", "/api/sources", 401, "application/json"),
]


@pytest.mark.parametrize(
    ("method", "path", "status", "kind"), RESPONSES, ids=[f"{m} {p}" for m, p, *_ in RESPONSES]
)
def test_every_kind_of_response_carries_the_security_headers(
    http: httpx.Client, method: str, path: str, status: int, kind: str
) -> None:
    r = http.request(method, path)
    assert r.status_code == status and r.headers["content-type"].startswith(kind)
    policy = assert_secured(r)
    assert "default-src 'none'" in policy and "script-src" not in policy  # no script at all outside /docs


def test_a_not_modified_feed_carries_them_too(http: httpx.Client) -> None:
    tag = http.get(f"/tag/{TAG}.atom").headers["etag"]
    r = http.get(f"/tag/{TAG}.atom", headers={"If-None-Match": tag})
    assert r.status_code == 304
    assert_secured(r)


def test_docs_policy_allows_scripts_from_this_server_only(http: httpx.Client) -> None:
    r = http.get("/docs")
    assert r.status_code == 200 and "Swagger UI" in r.text
    policy = assert_secured(r)
    assert "script-src 'self';" in policy and "connect-src 'self'" in policy
    assert "<script>" not in r.text and "style=" not in r.text  # every script is a file: no inline code
    assert "//" not in r.text.replace("<!doctype html>", "")  # no address of another host


def test_openapi_json_is_still_served_where_it_was(http: httpx.Client) -> None:
    spec = http.get("/openapi.json").json()
    assert spec["info"]["title"] == "tagwire" and "/api/sources" in spec["paths"]
    assert "/docs" not in spec["paths"]


def test_an_unexpected_failure_is_a_500_with_the_headers(tmp_path: Path) -> None:
    """A real failure: the articles table dropped under a running server."""
    db = tmp_path / "broken.db"
    repo = open_store(str(db))
    store_hostile(repo)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE articles")
    with running(create_app(settings_for(db), repo)) as base:
        # one connection each: after a 500, uvicorn closes the connection (Starlette re-raises to log)
        page, data = httpx.get(base + "/"), httpx.get(base + "/api/latest")
    repo.close()
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert data.status_code == 500 and "server's log" in data.json()["detail"]
    assert_secured(page)
    assert_secured(data)


# request body limit ---------------------------------------------------------------------------


def padded(size: int, url: str = "https://pad.example/feed") -> bytes:
    """A valid POST /api/sources body of exactly `size` bytes (JSON padded with spaces); `anyway`,
    since these addresses do not exist (what is tested here is the body and the token)."""
    body = f'{{"url": "{url}", "anyway": true}}'.encode()
    return body + b" " * (size - len(body))


def chunks(body: bytes, size: int = 8192) -> Iterator[bytes]:
    """`body` as a generator, which httpx sends chunked, with no Content-Length."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


def assert_too_large(r: httpx.Response, limit: int = LIMIT) -> None:
    assert r.status_code == 413 and r.headers["content-type"] == "application/json"
    detail = r.json()["detail"]
    assert f"larger than {limit} bytes" in detail and "TAGWIRE_MAX_REQUEST_BYTES" in detail
    assert_secured(r)


def test_a_body_over_the_limit_by_content_length_is_413(http: httpx.Client) -> None:
    assert_too_large(http.post("/api/sources", content=padded(LIMIT + 1), headers=bearer(TOKEN)))
    assert_too_large(http.post("/api/follows", content=padded(10 * LIMIT), headers=bearer("no token")))


def test_a_chunked_body_over_the_limit_is_413_counted_while_read(http: httpx.Client) -> None:
    r = http.post("/api/sources", content=chunks(padded(LIMIT + 1)), headers=bearer(TOKEN))
    assert "content-length" not in r.request.headers and r.request.headers["transfer-encoding"] == "chunked"
    assert_too_large(r)


def test_a_body_of_exactly_the_limit_is_read(http: httpx.Client) -> None:
    sized = http.post("/api/sources", content=padded(LIMIT, "https://a.example/feed"), headers=bearer(TOKEN))
    chunked = http.post(
        "/api/sources", content=chunks(padded(LIMIT, "https://b.example/feed")), headers=bearer(TOKEN)
    )
    assert (sized.status_code, chunked.status_code) == (201, 201)


def test_the_limit_is_the_setting(site: Site) -> None:
    settings = settings_for(site.db, TAGWIRE_MAX_REQUEST_BYTES="100")
    with running(create_app(settings, site.repo)) as base, httpx.Client(base_url=base) as client:
        assert_too_large(client.post("/api/sources", content=padded(101), headers=bearer(TOKEN)), 100)
        assert_too_large(
            client.post("/api/sources", content=chunks(padded(101), 40), headers=bearer(TOKEN)), 100
        )
        assert (
            client.post(
                "/api/sources", content=padded(100, "https://c.example/f"), headers=bearer(TOKEN)
            ).status_code
            == 201
        )


# the token ------------------------------------------------------------------------------------


def writing_operations(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """(method, path) of each documented API operation that changes something, and of those
    that show follows (their webhooks), path parameters filled in."""
    found = [
        (method.upper(), re.sub(r"\{[^}]+\}", "1", path))
        for path, operations in spec["paths"].items()
        for method in operations
        if path.startswith("/api/") and (method != "get" or path.startswith("/api/follows"))
    ]
    return sorted(found)


def test_every_write_route_goes_through_require_token(http: httpx.Client) -> None:
    """Each answers a wrong token with require_token's own words, before reading any body."""
    found = writing_operations(http.get("/openapi.json").json())
    assert {("POST", "/api/sources"), ("POST", "/api/follows"), ("DELETE", "/api/follows/1")} <= set(found)
    for method, path in found:
        r = http.request(method, path, headers=bearer(TOKEN[::-1]))
        assert (r.status_code, r.json()["detail"]) == (401, "the bearer token is wrong"), (method, path)


@pytest.mark.parametrize(
    "token",
    [TOKEN[:-1] + "?", "x" * len(TOKEN), TOKEN[:-1], TOKEN + "!", TOKEN.upper(), "é" * len(TOKEN)],
    ids=["last char", "same length", "shorter", "longer", "case", "non-ascii"],
)
def test_a_wrong_token_of_any_length_is_refused(http: httpx.Client, token: str) -> None:
    assert token != TOKEN
    sent = {b"Authorization": b"Bearer " + token.encode(), b"Content-Type": b"application/json"}  # é: UTF-8
    r = http.post("/api/sources", content=padded(60, "https://wrong.example/f"), headers=sent)
    assert r.status_code == 401 and r.json()["detail"] == "the bearer token is wrong"
    assert http.get("/api/follows", headers=sent).status_code == 401


def test_the_right_token_writes(http: httpx.Client) -> None:
    r = http.post("/api/sources", content=padded(60, "https://right.example/f"), headers=bearer(TOKEN))
    assert r.status_code == 201 and http.get("/api/follows", headers=bearer(TOKEN)).status_code == 200


# in chromium ----------------------------------------------------------------------------------


@dataclass
class Tab:
    """A browser page with what it asked for, said in its console, and tried to open."""

    page: Page
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        found: list[str] | None = self.page.evaluate("window.__violations || null")
        return found or []


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser: Browser) -> Iterator[Tab]:
    context = browser.new_context()
    t = Tab(context.new_page())
    t.page.add_init_script(WATCH_CSP)
    t.page.on("request", lambda r: t.requests.append(r.url))
    t.page.on("console", lambda m: t.console.append(f"{m.type}: {m.text}"))
    t.page.on("pageerror", lambda e: t.console.append(f"pageerror: {e}"))

    def on_dialog(dialog: Dialog) -> None:
        t.dialogs.append(dialog.message)
        dialog.dismiss()

    t.page.on("dialog", on_dialog)
    yield t
    context.close()


def csp_messages(console: list[str]) -> list[str]:
    return [m for m in console if "Content Security Policy" in m]


@browser_only
def test_docs_render_swagger_ui_from_this_server_alone(site: Site, tab: Tab) -> None:
    page = tab.page
    page.goto(f"{site.base}/docs")
    page.locator(".swagger-ui .info .title").filter(has_text="tagwire").wait_for(timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/sources" in paths and "/api/latest" in paths
    # "Try it out" on /api/latest: Swagger UI's own request to the API, allowed by connect-src 'self'
    block = page.locator(".opblock").filter(has=page.locator(".opblock-summary-path", has_text="/api/latest"))
    block.locator(".opblock-summary").click()
    block.get_by_role("button", name="Try it out").click()
    block.get_by_role("button", name="Execute").click()
    block.locator(".live-responses-table tbody .response-col_status").filter(has_text="200").wait_for()
    hosts = {
        urlsplit(u).hostname for u in tab.requests if urlsplit(u).scheme in {"http", "https", "ws", "wss"}
    }
    assert hosts == {"127.0.0.1"}, tab.requests
    assert all(urlsplit(u).scheme in {"http", "data"} for u in tab.requests), tab.requests
    assert any(u.endswith("/openapi.json") for u in tab.requests)
    assert tab.violations() == [] and csp_messages(tab.console) == [], tab.console
    assert not [m for m in tab.console if m.startswith(("error", "pageerror"))], tab.console


HOSTILE_PAGES = [
    ("home", "/"),
    ("tag", f"/tag/{TAG}"),
    ("story", "/story/{story}"),
    ("search", "/search?q=dimmed+overnight"),
]


@browser_only
@pytest.mark.parametrize(("name", "path"), HOSTILE_PAGES, ids=[n for n, _ in HOSTILE_PAGES])
def test_hostile_article_runs_nothing(site: Site, tab: Tab, name: str, path: str) -> None:
    page = tab.page
    answer = page.goto(
        site.base + path.format(story=site.story) + ("&" if "?" in path else "?") + f"now={quote(NOW_Q)}"
    )
    assert answer is not None and answer.status == 200
    assert page.get_by_text('<script>alert("title")</script>').first.is_visible(), name  # shown as text
    made = page.evaluate("document.querySelectorAll('main script, main img, main svg, main iframe').length")
    links = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    assert made == 0 and not [h for h in links if h.strip().lower().startswith(("javascript:", "data:"))]
    assert tab.dialogs == [] and tab.violations() == [] and csp_messages(tab.console) == [], tab.console


@browser_only
def test_the_policy_stops_script_that_got_into_a_page(site: Site, tab: Tab) -> None:
    """Defence in depth: were escaping ever to fail, the served policy still runs no script.
    Markup is injected into a served page the way a broken template would put it there."""
    page = tab.page
    page.goto(f"{site.base}/tag/{TAG}")
    page.evaluate(
        """() => {
        const img = '<img src="/static/none.png" onerror="window.__ran = 1">';
        document.body.insertAdjacentHTML("beforeend", img);
        const s = document.createElement("script");
        s.textContent = "window.__ran = 2";
        document.body.append(s);
        document.body.insertAdjacentHTML("beforeend", '<a id="js" href="javascript:window.__ran = 3">x</a>');
        }"""
    )
    page.locator("#js").click()
    for _ in range(50):  # the img's error event comes once its request failed: up to 5 s, a generous bound
        if len(tab.violations()) >= 3:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.__ran === undefined")
    assert tab.dialogs == []
    assert all(v.startswith("script-src") for v in tab.violations()), tab.violations()
