"""Alerts: each new story under a followed hashtag or saved search is POSTed once, as JSON, to
the follow's webhook.

    find new stories ─► queue one delivery per (follow, story) ─► send the due ones

The body is fixed when the story is queued (a story that grows later is not sent again). It
comes with `X-Tagwire-Delivery` (the delivery id, the same on every retry: a receiver can drop a
repeat), `X-Tagwire-Timestamp` (Unix seconds of this attempt) and `X-Tagwire-Signature:
sha256=<hex HMAC-SHA256 of "<delivery>.<timestamp>." and the raw body, keyed with the follow's
secret>`. A 2xx answer is delivered; 408, 429, 5xx, connection errors and an attempt longer
than TAGWIRE_ALERT_TIMEOUT (however slowly the answer drips) are retried with an exponential backoff
(TAGWIRE_ALERT_BACKOFF doubled per retry, capped at TAGWIRE_ALERT_BACKOFF_MAX, never before a
Retry-After) up to TAGWIRE_ALERT_ATTEMPTS; any other answer (a 4xx, a redirect) gives up at once,
recorded for `tagwire follows`. Webhook addresses pass the same private-network guard as fetches.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx

from tagwire import __version__
from tagwire.app import views
from tagwire.app.viewmodels import FollowsPage, FollowStatus, FollowView, NewFollow, StoryView
from tagwire.config import Settings
from tagwire.errors import BlockedAddress, FetchError, InputError
from tagwire.ingest.connections import PinnedNetwork, PinnedTransport
from tagwire.ingest.fetch import retry_after
from tagwire.ingest.netguard import HostCache, check_url
from tagwire.query import SearchSyntaxError, parse
from tagwire.store import Repository
from tagwire.store.follows import Delivery, Follow

SIGNATURE_HEADER = "X-Tagwire-Signature"
DELIVERY_HEADER = "X-Tagwire-Delivery"
TIMESTAMP_HEADER = "X-Tagwire-Timestamp"
MIN_SECRET = 16  # characters of a secret the user chooses
CONCURRENCY = 8  # webhook requests at once
RETRYABLE = frozenset({408, 429})
_TAG = re.compile(r"#?(\w+)")
_CAMEL = re.compile(r"[A-Z0-9]\w*")


@dataclass
class AlertReport:
    """What one round did: stories queued, and deliveries sent, put off for a retry, given up."""

    queued: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return (
            f"alerts: {self.queued} queued, {self.delivered} delivered, "
            f"{self.retrying} to retry, {self.failed} given up"
        )

    @property
    def busy(self) -> bool:
        return bool(self.queued or self.delivered or self.retrying or self.failed)


# following ----------------------------------------------------------------------------------


def target_of(what: str, *, search: bool, now: datetime) -> tuple[str, str]:
    """(kind, target) for `tagwire follow WHAT`: "#Tag" or a bare CamelCase word is a hashtag;
    with `search`, WHAT is a query as /search?q= reads it. InputError says what to write."""
    what = what.strip()
    if search:
        try:
            parse(what, now)
        except SearchSyntaxError as e:
            raise InputError(f"the search {what!r} cannot be followed: {e}") from None
        return "search", what
    tag = _TAG.fullmatch(what)
    if tag and (what.startswith("#") or _CAMEL.fullmatch(what)):
        return "tag", tag.group(1)
    raise InputError(
        f"{what!r} is not a hashtag (one word, as #Tag or CamelCase): "
        "add --search to follow it as a search query"
    )


async def check_webhook(url: str, settings: Settings) -> str:
    """The webhook URL, once it is http(s) and (unless allowed) not on a private network."""
    url = url.strip()
    try:
        await check_url(url, settings.allow_private_networks)
    except FetchError as e:
        raise InputError(f"the webhook cannot be used: {e}") from None
    return url


def new_secret(given: str | None) -> str:
    """The secret the webhook's signatures are keyed with: the one given, else a random one."""
    if given is None:
        return secrets.token_urlsafe(32)
    if len(given) < MIN_SECRET:
        raise InputError(f"the secret is too short: use at least {MIN_SECRET} characters, or omit it")
    return given


async def follow(
    repo: Repository, settings: Settings, kind: str, target: str, webhook: str, secret: str | None
) -> Follow:
    """A new follow; its secret is in the result, the only time it is shown."""
    url = await check_webhook(webhook, settings)
    return repo.add_follow(kind, target, url, new_secret(secret), now=datetime.now(UTC))


def _what(f: Follow) -> dict[str, str]:
    """What a follow follows, named as its JSON names it: {"tag": ...} or {"query": ...}."""
    return {"query": f.target} if f.kind == "search" else {"tag": f.target}


def follow_view(f: Follow) -> FollowView:
    """A follow as the API shows it, secret left out."""
    return FollowView(id=f.id, **_what(f), webhook=f.webhook, created=f.created_at)


def new_follow_view(f: Follow) -> NewFollow:
    """A follow just made, with its secret: the only time the secret is shown."""
    return NewFollow(**dict(follow_view(f)), secret=f.secret)


def follows_page(repo: Repository) -> FollowsPage:
    """Every follow with its alerts delivered, pending and failed, and the last error."""
    return FollowsPage(
        follows=tuple(
            FollowStatus(
                **dict(follow_view(s.follow)),
                delivered=s.delivered,
                pending=s.pending,
                failed=s.failed,
                last_error=s.last_error,
            )
            for s in repo.follow_statuses()
        )
    )


# finding and queueing -------------------------------------------------------------------------


def queue_new_stories(repo: Repository, now: datetime | None = None) -> int:
    """Queue every new matching story for every follow; returns how many were queued."""
    now, store = now or datetime.now(UTC), repo
    followed = store.follows()
    upto = store.alert_scan_mark() if followed else 0
    new: dict[int, list[int]] = {}  # follow id -> its new stories
    for f in followed:
        try:
            new[f.id] = store.new_story_ids(f, upto, now)
        except SearchSyntaxError:
            continue  # validated when followed; a query this tagwire cannot read is left alone
    stories = views.stories_by_id(repo, sorted({i for ids in new.values() for i in ids}), now)
    queued = 0
    for f in (f for f in followed if f.id in new):
        bodies = {i: body(f, stories[i], now) for i in new[f.id] if i in stories}
        queued += store.enqueue_alerts(f, bodies, upto, now=now)
    return queued


def body(f: Follow, story: StoryView, now: datetime) -> str:
    """The JSON a webhook receives for one story (the story as /api/stories/{id} shows it)."""
    data = {"follow": f.id, **_what(f), "queued": views.iso(now), "story": story.model_dump(mode="json")}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# delivering ---------------------------------------------------------------------------------


def sign(secret: str, raw: bytes, delivery: str, timestamp: str) -> str:
    """The X-Tagwire-Signature value: sha256=<hex HMAC-SHA256 of "<delivery>.<timestamp>." and
    the raw body>, so the delivery id (which receivers drop repeats by) and the time (which they
    may check for freshness) cannot be changed on a captured request."""
    signed = f"{delivery}.{timestamp}.".encode() + raw
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def backoff(attempts: int, settings: Settings, retry_after: float | None = None) -> float:
    """Seconds before the next attempt after `attempts` tries: base, doubled each time, capped;
    never before the receiver's Retry-After (itself capped)."""
    delay = settings.alert_backoff * 2 ** max(0, attempts - 1)
    return float(min(settings.alert_backoff_max, max(delay, retry_after or 0.0)))


async def deliver_due(repo: Repository, settings: Settings, *, now: datetime | None = None) -> AlertReport:
    """Send every delivery whose time has come by `now` (default: the clock), CONCURRENCY at once."""
    report, store = AlertReport(), repo
    due = store.due_deliveries(now or datetime.now(UTC), limit=1000)
    if not due:
        return report
    limit = asyncio.Semaphore(CONCURRENCY)
    timeout = httpx.Timeout(settings.alert_timeout)
    resolver = HostCache()  # the address checked is the address connected to (connections.py)
    network = PinnedNetwork(resolver, settings.allow_private_networks)
    transport = PinnedTransport(network, httpx.create_ssl_context(), httpx.Limits())
    async with httpx.AsyncClient(
        timeout=timeout, follow_redirects=False, trust_env=False, transport=transport
    ) as client:
        sender = _Sender(store, settings, client, report, resolver)

        async def one(d: Delivery) -> None:
            async with limit:
                await sender.attempt(d)

        await asyncio.gather(*(one(d) for d in due))
    return report


@dataclass
class _Sender:
    """One attempt at one delivery: claim it, POST it, record what came of it."""

    store: Repository
    settings: Settings
    client: httpx.AsyncClient
    report: AlertReport
    resolver: HostCache

    async def attempt(self, d: Delivery) -> None:
        lease = timedelta(seconds=2 * self.settings.alert_timeout + 60)  # past any send in flight
        if not self.store.claim_delivery(d, until=datetime.now(UTC) + lease):
            return  # another process has it
        try:
            status, wait = await self._post(d)
        except BlockedAddress as e:
            return self._give_up(d, None, f"the webhook cannot be used: {e}")
        except TimeoutError:  # the whole attempt, however slowly the webhook drips its answer
            return self._retry(d, None, "the webhook did not answer in time", None)
        except (FetchError, httpx.HTTPError) as e:
            return self._retry(d, None, _transport_message(e), None)
        except Exception as e:  # the boundary: one odd webhook must not abort the whole round
            return self._retry(d, None, f"the alert could not be sent: {e or type(e).__name__}", None)
        self._outcome(d, status, wait)

    async def _post(self, d: Delivery) -> tuple[int, float | None]:
        await check_url(d.webhook, self.settings.allow_private_networks, resolve=self.resolver)
        raw, delivery, timestamp = d.body.encode(), str(d.id), str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"tagwire/{__version__} (webhook)",
            SIGNATURE_HEADER: sign(d.secret, raw, delivery, timestamp),
            DELIVERY_HEADER: delivery,
            TIMESTAMP_HEADER: timestamp,
        }
        async with (
            asyncio.timeout(self.settings.alert_timeout),
            self.client.stream("POST", d.webhook, content=raw, headers=headers) as r,
        ):
            return r.status_code, retry_after(r.headers.get("retry-after"))  # the body is never read

    def _outcome(self, d: Delivery, status: int, retry_after: float | None) -> None:
        if 200 <= status < 300:
            self.store.mark_delivered(d.id, status, now=datetime.now(UTC))
            self.report.delivered += 1
        elif status >= 500 or status in RETRYABLE:
            self._retry(d, status, f"the webhook answered HTTP {status}", retry_after)
        elif 300 <= status < 400:
            self._give_up(
                d,
                status,
                f"the webhook answered HTTP {status} (a redirect, not followed): "
                "follow again with the final address",
            )
        else:
            self._give_up(d, status, f"the webhook answered HTTP {status}: not retried")

    def _retry(self, d: Delivery, status: int | None, error: str, retry_after: float | None) -> None:
        tries = d.attempts + 1
        if tries >= max(1, self.settings.alert_attempts):
            return self._give_up(d, status, f"gave up after {tries} attempts; last: {error}")
        wait = backoff(tries, self.settings, retry_after)
        self.store.retry_delivery(d.id, status, error, at=datetime.now(UTC) + timedelta(seconds=wait))
        self.report.retrying += 1

    def _give_up(self, d: Delivery, status: int | None, error: str) -> None:
        self.store.give_up_delivery(d.id, status, error)
        self.report.failed += 1


def _transport_message(error: Exception) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "the webhook did not answer in time"
    return f"the webhook could not be reached: {error or type(error).__name__}"


# one round ------------------------------------------------------------------------------------


async def run_alerts(repo: Repository, settings: Settings, *, now: datetime | None = None) -> AlertReport:
    """Queue what is new, then send what is due by `now` (retries included)."""
    queued = await asyncio.to_thread(queue_new_stories, repo, now)
    report = await deliver_due(repo, settings, now=now)
    report.queued = queued
    return report


def run_alerts_now(repo: Repository, settings: Settings, *, now: datetime | None = None) -> AlertReport:
    """run_alerts for synchronous callers (the CLI)."""
    return asyncio.run(run_alerts(repo, settings, now=now))


def next_attempt(repo: Repository) -> datetime | None:
    """When the earliest pending delivery is due, for the scheduler's sleep."""
    return repo.next_delivery_attempt()
