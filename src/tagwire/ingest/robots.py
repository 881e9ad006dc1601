"""robots.txt for article pages: may tagwire read this page, and how slowly?

Feeds are not checked: a feed URL was given by the user on purpose. The pages a feed links to
are read by a program, so the outlet's robots.txt decides (RFC 9309), for the `tagwire` group
when there is one, else for `*`.

One robots.txt fetch per origin (scheme, host, port), shared by every caller that asks while it
is under way, its verdict cached for `ttl` seconds: across runs too, when the caller keeps the
cache (`tagwire run` does; each run hands it its Fetcher with `use`). The fetch goes through the
run's Fetcher, so it obeys the same timeout, body cap, address guard and per-origin limits as any
request: a slow robots.txt costs one `fetch_timeout` per origin, and never more.

What the answer means (RFC 9309 section 2.3.1):
- 2xx: the rules in it; an empty or unparsable file allows everything.
- 4xx (404, 410, 401, 403...) but 429: "unavailable", everything is allowed.
- 5xx, 429, a network failure, a redirect loop, a body over the cap: "unreachable". The RFC says
  a crawler MUST then assume complete disallow, as Google does; so do we, with two reliefs:
  rules read earlier for that origin stay in force instead, and the verdict is kept only for
  UNREACHABLE_TTL seconds, so the next run asks again. It also spares the run: when robots.txt
  just timed out, each page of that origin would most likely time out too. `allow_unreachable`
  turns this into "allowed, with a note" for whoever prefers it.
- An address the guard refuses: allowed, so that the page fetch reports the guard's own message.

Parsing is Protego (Scrapy's parser): unlike urllib.robotparser it implements RFC 9309 matching,
the `*` and `$` wildcards ("Disallow: /*?", "/*.pdf$", common on news sites, which
urllib.robotparser reads literally, matching nothing, so allowing what is forbidden) and
longest-match precedence between Allow and Disallow (urllib.robotparser takes the first rule).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import httpx
from protego import Protego

from tagwire.errors import BlockedAddress, ConnectionLost, FetchError, HTTPStatusError
from tagwire.ingest.fetch import Fetcher, Response

ROBOTS_ACCEPT = "text/plain, */*;q=0.5"
UNREACHABLE_TTL = 600.0  # seconds an unreachable robots.txt is trusted before it is asked again
PRUNE_AT = 4096  # cached origins before the expired ones are dropped
DISALLOWED = "page not read: robots.txt disallows it"
MAX_CRAWL_DELAY = 30.0  # seconds: a longer Crawl-delay would hold a run for hours


@dataclass(frozen=True)
class Policy:
    """What one origin's robots.txt says: its rules, or allow/deny all when there are none.
    `note` says why, when robots.txt could not be read (None when it was read or is absent)."""

    rules: Protego | None
    allow_all: bool = True
    note: str | None = None
    cause: str | None = None  # the failure's kind when robots.txt could not be read ("DNS", "HTTP 503")

    def allows(self, url: str, agent: str) -> bool:
        if self.rules is None:
            return self.allow_all
        return bool(self.rules.can_fetch(url, agent))

    def delay(self, agent: str) -> float | None:
        """Crawl-delay in seconds, else the interval a Request-rate asks for, else None."""
        if self.rules is None:
            return None
        delay = self.rules.crawl_delay(agent)
        if delay is not None:
            return float(delay)
        rate = self.rules.request_rate(agent)
        return rate.seconds / rate.requests if rate is not None and rate.requests > 0 else None


@dataclass(frozen=True)
class _Entry:
    policy: Policy
    expires: float  # time.monotonic()


class RobotsCache:
    """robots.txt verdicts per origin; use `await allowed(url)` before a page. Requests go
    through the Fetcher given, or, for a cache kept across runs, the one of the run (`for_run`)."""

    def __init__(
        self,
        fetcher: Fetcher | None = None,
        user_agent_token: str = "tagwire",
        ttl: float = 3600,
        *,
        allow_unreachable: bool = False,
    ) -> None:
        self._fetcher = fetcher
        self._agent = user_agent_token
        self._ttl = float(ttl)
        self._allow_unreachable = allow_unreachable
        self._entries: dict[str, _Entry] = {}
        self._pending: dict[str, asyncio.Task[Policy]] = {}
        self._spaced: set[str] = set()  # origins whose Crawl-delay the Fetcher was told

    def for_run(self, fetcher: Fetcher) -> RobotsCache:
        """A cache for one run, sending its requests through `fetcher` (the run's): the rules
        read so far are shared both ways, and their Crawl-delays are told to `fetcher` as their
        origins come up. Runs at once (a worker's concurrent jobs) each have their own: one
        run's closed Fetcher never serves another's requests."""
        run = RobotsCache(fetcher, self._agent, self._ttl, allow_unreachable=self._allow_unreachable)
        run._entries = self._entries
        return run

    async def allowed(self, url: str) -> bool:
        """True when the origin's robots.txt lets tagwire read `url` (fetching it if needed).
        A URL that is not http(s) is allowed here: the page fetch reports what is wrong with it."""
        key = robots_url(url)
        return True if key is None else (await self._policy(key)).allows(url, self._agent)

    def crawl_delay(self, url: str) -> float | None:
        """The Crawl-delay (or Request-rate interval) for tagwire at `url`'s origin, in seconds,
        as last read; None when robots.txt sets none or has not been read yet."""
        entry = self._cached(url)
        return None if entry is None else entry.policy.delay(self._agent)

    def note(self, url: str) -> str | None:
        """Why `url`'s origin is allowed or refused wholesale when its robots.txt could not be
        read (e.g. "robots.txt of https://example.com could not be read: ... answered 503"), else None."""
        entry = self._cached(url)
        return None if entry is None else entry.policy.note

    def refusal(self, url: str) -> str:
        """The problem to record on an article whose page `allowed` refused."""
        note = self.note(url)
        return f"page not read: {note}" if note else DISALLOWED

    def refusal_cause(self, url: str) -> str:
        """Why `allowed` refused `url`, in a word or two: "robots.txt rule", or the failure that
        kept robots.txt from being read ("DNS", "connection refused", "HTTP 503", ...)."""
        entry = self._cached(url)
        return entry.policy.cause if entry is not None and entry.policy.cause else "robots.txt rule"

    def _cached(self, url: str) -> _Entry | None:
        key = robots_url(url)
        return None if key is None else self._entries.get(key)

    async def _policy(self, key: str) -> Policy:
        """The cached policy while fresh; else one fetch, awaited by every caller meanwhile."""
        entry = self._entries.get(key)
        if entry is not None and entry.expires > _now():
            self._space(key, entry.policy)
            return entry.policy
        task = self._pending.get(key)
        if task is None:
            task = asyncio.create_task(self._load(key, entry))
            pending = self._pending[key] = task
            waiting = self._pending  # this run's: a task of an earlier run never pops a later one's
            task.add_done_callback(lambda _: waiting.pop(key) if waiting.get(key) is pending else None)
        return await asyncio.shield(task)  # a cancelled caller does not cancel the others' fetch

    async def _load(self, key: str, stale: _Entry | None) -> Policy:
        policy, ttl = await self._read(key)
        if policy.note is not None and stale is not None and stale.policy.note is None:
            policy = stale.policy  # unreachable now: the rules read before stay in force
        self._store(key, _Entry(policy, _now() + ttl))
        self._space(key, policy)
        return policy

    def _space(self, key: str, policy: Policy) -> None:
        """The origin's Crawl-delay spaces every later request of this Fetcher to it (up to
        MAX_CRAWL_DELAY); told once per Fetcher."""
        if key in self._spaced or self._fetcher is None:
            return
        self._spaced.add(key)
        delay = policy.delay(self._agent)
        if delay:
            self._fetcher.set_origin_gap(key, min(delay, MAX_CRAWL_DELAY))

    async def _read(self, key: str) -> tuple[Policy, float]:
        """Fetch and interpret `key` (a robots.txt URL): the policy and how long to keep it."""
        if self._fetcher is None:
            raise RuntimeError("RobotsCache.for_run(fetcher) must come before the first request")
        try:
            response = await self._get(key)
        except BlockedAddress:
            return Policy(None), self._ttl
        except HTTPStatusError as error:
            if 400 <= error.status < 500 and error.status != 429:
                return Policy(None), self._ttl
            return self._unreachable(key, error), min(self._ttl, UNREACHABLE_TTL)
        except FetchError as error:
            return self._unreachable(key, error), min(self._ttl, UNREACHABLE_TTL)
        return Policy(Protego.parse(response.body.decode("utf-8", errors="replace"))), self._ttl

    async def _get(self, key: str) -> Response:
        """robots.txt, asked once more when the connection was lost on the way (a kept-alive
        connection the server had just closed): one such loss must not hold back an origin's pages
        for UNREACHABLE_TTL."""
        try:
            return await self._fetcher_().get(key, accept=ROBOTS_ACCEPT)
        except ConnectionLost:
            return await self._fetcher_().get(key, accept=ROBOTS_ACCEPT)

    def _fetcher_(self) -> Fetcher:
        assert self._fetcher is not None
        return self._fetcher

    def _unreachable(self, key: str, error: FetchError) -> Policy:
        origin = key.removesuffix("/robots.txt")
        verdict = "pages are read anyway" if self._allow_unreachable else "no page is read until it can be"
        note = f"robots.txt of {origin} could not be read ({error}); {verdict}"
        return Policy(None, allow_all=self._allow_unreachable, note=note, cause=error.cause)

    def _store(self, key: str, entry: _Entry) -> None:
        if len(self._entries) >= PRUNE_AT:
            now = _now()
            self._entries = {k: e for k, e in self._entries.items() if e.expires > now}
        self._entries[key] = entry


def robots_url(url: str) -> str | None:
    """scheme://host[:port]/robots.txt for `url` (default port, userinfo and query dropped),
    or None for a URL that is malformed or not http(s)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        return None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        return None
    return str(parsed.copy_with(raw_path=b"/robots.txt", fragment=None, userinfo=b""))


def _now() -> float:
    return time.monotonic()  # not the loop's clock: a cache kept by `tagwire run` outlives loops
