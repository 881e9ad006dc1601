"""Alerts against a real webhook receiver on 127.0.0.1, on SQLite and PostgreSQL: a new story
under a followed hashtag or search is POSTed once, signed, retried with backoff after 5xx, given
up after a 4xx, never sent twice, never for the backlog or for a story that grows; the API and
the CLI that manage follows. Time is moved by handing the delivery round a later `now`, so no
test sleeps or measures time. The outlets and texts are invented."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tagwire.app import alerts, views
from tagwire.config import Settings, load
from tagwire.errors import InputError
from tagwire.models import Article, Match
from tagwire.serve.app import create_app
from tagwire.store import Repository, open_store
from tagwire.store import follows as follows_store
from tagwire.store.follows import DuplicateFollow
from tests.conftest import BACKENDS
from tests.helpers import delivery_states, save_understanding
from tests.webserver import running

both = pytest.mark.parametrize("database", BACKENDS, indirect=True)
TOKEN = "alert-test-token"
PUBLISHED = datetime(2025, 6, 10, 9, 0, tzinfo=UTC)


# a webhook receiver -------------------------------------------------------------------------


@dataclass
class Call:
    headers: dict[str, str]
    raw: bytes

    @property
    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.raw)
        return data


@dataclass
class Receiver:
    """Answers each POST with the next status of `plan` (then 200), recording what came."""

    plan: list[int] = field(default_factory=list)
    retry_after: str = "1"  # sent with 429 and 503
    drip: float = 0.0  # seconds between header lines: a webhook that answers, but never finishes
    calls: list[Call] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # what each call was answered
    url: str = ""

    def accepted(self) -> list[Call]:
        return [c for c, s in zip(self.calls, self.statuses, strict=True) if 200 <= s < 300]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    got = Receiver()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                status = got.plan.pop(0) if got.plan else 200
                got.calls.append(Call({k.lower(): v for k, v in self.headers.items()}, raw))
                got.statuses.append(status)
            if got.drip:
                return self._drip()
            self.send_response(status)
            if status in (429, 503):
                self.send_header("Retry-After", got.retry_after)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def _drip(self) -> None:
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for i in range(int(8 / got.drip)):  # never a pause long enough for a read timeout
                self.wfile.write(b"X-Pad-%d: .\r\n" % i)
                self.wfile.flush()
                time.sleep(got.drip)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    got.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield got
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# stories ------------------------------------------------------------------------------------

_serial = iter(range(10_000))


def story(
    repo: Repository,
    title: str,
    tags: list[str],
    *,
    into: int | None = None,
    outlet: str = "Harbor Ledger",
    text: str = "",
) -> int:
    """An understood article (a new story, or one more report of story `into`); its story id."""
    n = next(_serial)
    a = Article(
        url=f"https://{outlet.lower().replace(' ', '')}.example/{n}",
        outlet=outlet,
        title=title,
        summary=title,
        text=text or title,
        published=PUBLISHED + timedelta(minutes=n),
        content_hash=f"hash-{n}",
    )
    repo.add_articles([a], fetched_at=PUBLISHED)
    a.hashtags, a.story_id, a.match = tags, into, Match("new" if into is None else "story", 0.5)
    save_understanding(repo, a, bands=[], signature=b"", features="{}", terms=[])
    assert a.story_id is not None
    return a.story_id


def signature(secret: str, call: Call) -> str:
    """What a receiver computes to check a call: HMAC-SHA256 of "<delivery>.<timestamp>." + body."""
    signed = (
        f"{call.headers['x-tagwire-delivery']}.{call.headers['x-tagwire-timestamp']}.".encode() + call.raw
    )
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def settings(**values: str) -> Settings:
    env = {"TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1", "TAGWIRE_ALERT_BACKOFF": "60", "TAGWIRE_API_TOKEN": TOKEN}
    return load({**env, **{"TAGWIRE_" + k.upper(): v for k, v in values.items()}})


def follow(repo: Repository, cfg: Settings, what: str, url: str, *, search: bool = False) -> Any:
    kind, target = alerts.target_of(what, search=search, now=datetime.now(UTC))
    return asyncio.run(alerts.follow(repo, cfg, kind, target, url, None))


def round_at(repo: Repository, cfg: Settings, later: timedelta = timedelta(0)) -> alerts.AlertReport:
    """One alert round as if `later` had passed (deliveries due by then are sent)."""
    return alerts.run_alerts_now(repo, cfg, now=datetime.now(UTC) + later)


def states(repo: Repository, follow_id: int) -> list[tuple[int, str, int]]:
    return delivery_states(repo, follow_id)


# delivery -----------------------------------------------------------------------------------


@both
def test_a_new_story_arrives_once_signed_after_two_failures_with_backoff(
    repo: Repository, receiver: Receiver
) -> None:
    cfg = settings()
    backlog = story(repo, "Ferry fees rise", ["HarborFees"])
    f = follow(repo, cfg, "#HarborFees", receiver.url)
    assert round_at(repo, cfg).queued == 0  # the backlog is not sent to a new follower
    fresh = story(repo, "Harbor fees rise again", ["HarborFees", "Shipping"])
    story(repo, "Granary opens", ["Farming"])  # another tag: not for this follow
    story(repo, "Old fees story grows", ["HarborFees"], into=backlog)  # a pre-follow story: not new
    receiver.plan = [500, 500]

    first = round_at(repo, cfg)
    assert (first.queued, first.retrying, len(receiver.calls)) == (1, 1, 1)
    assert round_at(repo, cfg).busy is False and len(receiver.calls) == 1  # waiting out the backoff
    assert round_at(repo, cfg, timedelta(seconds=61)).retrying == 1 and len(receiver.calls) == 2
    # the second wait is twice the first: not due yet a minute on, due two minutes on
    assert len(receiver.calls) == 2 and round_at(repo, cfg, timedelta(seconds=61)).busy is False
    assert round_at(repo, cfg, timedelta(seconds=125)).delivered == 1

    assert [s for _, s in zip(receiver.calls, receiver.statuses, strict=True)] == [500, 500, 200]
    assert states(repo, f.id) == [(fresh, "delivered", 3)]
    [call] = receiver.accepted()
    assert all(c.raw == call.raw for c in receiver.calls)  # every attempt sends the same body
    assert len({c.headers["x-tagwire-delivery"] for c in receiver.calls}) == 1
    assert hmac.compare_digest(call.headers["x-tagwire-signature"], signature(f.secret, call))
    assert call.headers["x-tagwire-timestamp"].isdigit()
    body = call.json
    assert (body["follow"], body["tag"], body["story"]["id"]) == (f.id, "HarborFees", fresh)
    api_shape = views.story_page(repo, fresh, datetime.now(UTC))
    assert api_shape is not None and list(body["story"]) == list(api_shape.model_dump(mode="json"))
    assert body["story"]["headline"] == "Harbor fees rise again"

    for later in (timedelta(0), timedelta(days=2)):  # nothing more, however late
        assert round_at(repo, cfg, later).busy is False
    assert len(receiver.calls) == 3


@both
def test_a_story_that_grows_is_not_sent_again_but_the_next_new_one_is(
    repo: Repository, receiver: Receiver
) -> None:
    cfg = settings()
    f = follow(repo, cfg, "HarborFees", receiver.url)  # a bare CamelCase word is a hashtag
    first = story(repo, "Fees rise", ["HarborFees"])
    assert round_at(repo, cfg).delivered == 1
    story(repo, "Fees rise, a second outlet", ["HarborFees"], into=first, outlet="Lakeside Herald")
    assert round_at(repo, cfg, timedelta(days=1)).busy is False
    second = story(repo, "Dock strike", ["HarborFees"])
    assert round_at(repo, cfg).delivered == 1
    assert [c.json["story"]["id"] for c in receiver.calls] == [first, second]
    assert states(repo, f.id) == [(first, "delivered", 1), (second, "delivered", 1)]


@both
def test_a_story_that_comes_to_match_later_is_sent_then(
    repo: Repository, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new story matches once a later report brings the hashtag: for a hashtag follow, and for
    a search whose words are in the earlier report and whose #Hashtag comes with the later one.
    No rescan margin here: the earlier report is behind the follow's mark."""
    monkeypatch.setattr(follows_store, "RESCAN", 0)
    cfg = settings()
    by_tag = follow(repo, cfg, "#Ferries", receiver.url)
    by_search = follow(repo, cfg, "ferry #Ferries", receiver.url, search=True)
    untagged = story(repo, "Ferry crossing delayed", ["Weather"])
    assert round_at(repo, cfg).queued == 0
    story(repo, "Crossing delayed, boats idle", ["Ferries"], into=untagged, outlet="Lakeside Herald")
    assert round_at(repo, cfg).delivered == 2
    assert sorted(c.json["follow"] for c in receiver.calls) == [by_tag.id, by_search.id]
    assert {c.json["story"]["id"] for c in receiver.calls} == {untagged}


@both
def test_a_4xx_gives_up_at_once_and_is_recorded(repo: Repository, receiver: Receiver) -> None:
    cfg = settings()
    f = follow(repo, cfg, "#Granary", receiver.url)
    sid = story(repo, "Granary opens", ["Granary"])
    receiver.plan = [404]
    assert round_at(repo, cfg).failed == 1
    assert round_at(repo, cfg, timedelta(days=30)).busy is False
    assert len(receiver.calls) == 1 and states(repo, f.id) == [(sid, "failed", 1)]
    [status] = repo.follow_statuses()
    assert (status.delivered, status.pending, status.failed) == (0, 0, 1)
    assert status.last_error is not None and "HTTP 404" in status.last_error


@both
def test_429_is_retried_and_attempts_are_capped(repo: Repository, receiver: Receiver) -> None:
    cfg = settings(alert_attempts="2")
    f = follow(repo, cfg, "#Granary", receiver.url)
    retried = story(repo, "Granary opens", ["Granary"])
    receiver.plan = [429]
    assert round_at(repo, cfg).retrying == 1
    assert round_at(repo, cfg, timedelta(minutes=5)).delivered == 1
    capped = story(repo, "Granary closes", ["Granary"])
    receiver.plan = [500, 503, 500]
    assert round_at(repo, cfg).retrying == 1
    assert round_at(repo, cfg, timedelta(minutes=5)).failed == 1
    assert round_at(repo, cfg, timedelta(days=1)).busy is False
    assert states(repo, f.id) == [(retried, "delivered", 2), (capped, "failed", 2)]
    [status] = repo.follow_statuses()
    assert status.last_error is not None and "gave up after 2 attempts" in status.last_error
    assert "HTTP 503" in status.last_error


def test_a_retry_after_that_is_no_number_is_retried_not_fatal(repo: Repository, receiver: Receiver) -> None:
    """ "²" passes str.isdigit() but not float(): the round must go on, the alert be retried."""
    cfg = settings()
    f = follow(repo, cfg, "#Granary", receiver.url)
    story(repo, "Granary opens", ["Granary"])
    receiver.plan, receiver.retry_after = [503], "\u00b2"
    assert round_at(repo, cfg).retrying == 1
    assert round_at(repo, cfg, timedelta(minutes=5)).delivered == 1
    assert [s for _, s, _ in states(repo, f.id)] == ["delivered"]


def test_a_webhook_that_drips_its_answer_is_cut_off_and_retried(repo: Repository, receiver: Receiver) -> None:
    """httpx's timeout is per read; the whole attempt is bounded by TAGWIRE_ALERT_TIMEOUT."""
    cfg = settings(alert_timeout="1")
    f = follow(repo, cfg, "#Granary", receiver.url)
    story(repo, "Granary opens", ["Granary"])
    receiver.drip = 0.3
    report = round_at(repo, cfg)
    assert report.retrying == 1 and states(repo, f.id)[0][1:] == ("pending", 1)
    [status] = repo.follow_statuses()
    assert status.last_error is not None and "did not answer in time" in status.last_error


@both
def test_an_unreachable_webhook_is_retried(repo: Repository) -> None:
    cfg = settings()
    from tests.webserver import free_port

    f = follow(repo, cfg, "#Granary", f"http://127.0.0.1:{free_port()}/hook")  # nobody listens there
    story(repo, "Granary opens", ["Granary"])
    assert round_at(repo, cfg).retrying == 1
    [status] = repo.follow_statuses()
    assert (
        status.pending == 1 and status.last_error is not None and "could not be reached" in status.last_error
    )
    assert states(repo, f.id)[0][1:] == ("pending", 1)


@both
def test_unfollow_stops_alerts_and_drops_pending_ones(repo: Repository, receiver: Receiver) -> None:
    cfg = settings()
    f = follow(repo, cfg, "#Granary", receiver.url)
    story(repo, "Granary opens", ["Granary"])
    receiver.plan = [500]
    assert round_at(repo, cfg).retrying == 1
    assert repo.remove_follow(f.id) is True
    story(repo, "Granary closes", ["Granary"])
    assert round_at(repo, cfg, timedelta(days=1)).busy is False
    assert len(receiver.calls) == 1 and repo.follow_statuses() == []
    assert repo.remove_follow(f.id) is False


@both
def test_a_saved_search_is_followed(repo: Repository, receiver: Receiver) -> None:
    cfg = settings()
    f = follow(repo, cfg, 'ferry outlet:"Harbor Ledger"', receiver.url, search=True)
    wanted = story(repo, "Ferry timetable changes", ["Transport"], text="The ferry leaves at nine.")
    story(repo, "Ferry timetable changes", ["Transport"], outlet="Lakeside Herald")  # another outlet
    story(repo, "Granary opens", ["Farming"])
    assert round_at(repo, cfg).delivered == 1
    body = receiver.calls[0].json
    assert (body["follow"], body["query"], body["story"]["id"]) == (
        f.id,
        'ferry outlet:"Harbor Ledger"',
        wanted,
    )
    assert "tag" not in body


@both
def test_two_follows_of_one_story_each_get_it(repo: Repository, receiver: Receiver) -> None:
    cfg = settings()
    by_tag = follow(repo, cfg, "#Ferries", receiver.url)
    by_search = follow(repo, cfg, "ferry", receiver.url, search=True)
    sid = story(repo, "Ferry fares cut", ["Ferries"])
    assert round_at(repo, cfg).delivered == 2
    assert sorted(c.json["follow"] for c in receiver.calls) == sorted([by_tag.id, by_search.id])
    assert {c.json["story"]["id"] for c in receiver.calls} == {sid}
    signatures = {c.headers["x-tagwire-signature"] for c in receiver.calls}
    assert len(signatures) == 2  # each follow signs with its own secret


@both
def test_the_same_follow_twice_is_refused(repo: Repository, receiver: Receiver) -> None:
    cfg = settings()
    first = follow(repo, cfg, "#Ferries", receiver.url)
    with pytest.raises(DuplicateFollow, match=f"follow {first.id} already"):
        follow(repo, cfg, "Ferries", receiver.url)


@both
def test_private_webhooks_are_refused_unless_allowed(repo: Repository, receiver: Receiver) -> None:
    strict = settings(allow_private_networks="0")
    with pytest.raises(InputError, match="TAGWIRE_ALLOW_PRIVATE_NETWORKS"):
        follow(repo, strict, "#Ferries", receiver.url)
    f = follow(repo, settings(), "#Ferries", receiver.url)  # allowed then, refused when sending
    sid = story(repo, "Ferry fares cut", ["Ferries"])
    assert round_at(repo, strict).failed == 1
    assert receiver.calls == [] and states(repo, f.id) == [(sid, "failed", 1)]
    [status] = repo.follow_statuses()
    assert status.last_error is not None and "loopback" in status.last_error


# pure parts ---------------------------------------------------------------------------------


def test_backoff_doubles_is_capped_and_respects_retry_after() -> None:
    cfg = settings(alert_backoff="30", alert_backoff_max="200")
    assert [alerts.backoff(n, cfg) for n in (1, 2, 3, 4, 5)] == [30, 60, 120, 200, 200]
    assert alerts.backoff(1, cfg, retry_after=90) == 90
    assert alerts.backoff(1, cfg, retry_after=10_000) == 200


def test_what_a_follow_can_name() -> None:
    now = datetime.now(UTC)
    assert alerts.target_of("#flood", search=False, now=now) == ("tag", "flood")
    assert alerts.target_of("PeteHegseth", search=False, now=now) == ("tag", "PeteHegseth")
    assert alerts.target_of('"defense strategy" -draft', search=True, now=now)[0] == "search"
    for bad in ("flood", "two words", "#not a tag"):
        with pytest.raises(InputError, match="--search"):
            alerts.target_of(bad, search=False, now=now)
    with pytest.raises(InputError, match="quote is not closed"):
        alerts.target_of('"open quote', search=True, now=now)


def test_secrets_are_random_or_long_enough() -> None:
    assert alerts.new_secret(None) != alerts.new_secret(None)
    assert len(alerts.new_secret(None)) >= 32
    with pytest.raises(InputError, match="too short"):
        alerts.new_secret("short")


# the API ------------------------------------------------------------------------------------


@both
def test_api_follows_need_the_token_and_valid_input(repo: Repository, receiver: Receiver) -> None:
    good = {"tag": "#Ferries", "webhook": receiver.url}
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with running(create_app(settings(), repo)) as base, httpx.Client(base_url=base) as http:
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            for r in (
                http.post("/api/follows", json=good, headers=headers),
                http.get("/api/follows", headers=headers),
            ):
                assert r.status_code == 401 and "detail" in r.json()
            assert http.delete("/api/follows/1", headers=headers).status_code == 401
        for bad in (
            {"webhook": receiver.url},
            {"tag": "Ferries", "query": "ferry", "webhook": receiver.url},
            {"tag": "two words", "webhook": receiver.url},
            {"tag": "Ferries", "webhook": "ftp://example.org/x"},
            {"query": '"open quote', "webhook": receiver.url},
            {"tag": "Ferries", "webhook": receiver.url, "secret": "short"},
        ):
            r = http.post("/api/follows", json=bad, headers=auth)
            assert r.status_code == 422 and r.json()["detail"], bad
        assert http.post("/api/follows", content=b"{not json", headers=auth).status_code == 422

        made = http.post("/api/follows", json=good, headers=auth)
        assert made.status_code == 201
        created = made.json()
        assert created["tag"] == "Ferries" and len(created["secret"]) >= 32
        assert http.post("/api/follows", json=good, headers=auth).status_code == 409
        search = http.post(
            "/api/follows", json={"query": "ferry", "webhook": receiver.url, "secret": "s" * 20}, headers=auth
        ).json()
        assert search["secret"] == "s" * 20

        listed = http.get("/api/follows", headers=auth).json()["follows"]
        assert [(f["id"], f.get("tag"), f.get("query")) for f in listed] == [
            (created["id"], "Ferries", None),
            (search["id"], None, "ferry"),
        ]
        assert all("secret" not in f for f in listed) and created["secret"] not in json.dumps(listed)
        assert listed[0]["pending"] == 0 and listed[0]["last_error"] is None

        assert http.delete(f"/api/follows/{created['id']}", headers=auth).status_code == 200
        assert http.delete(f"/api/follows/{created['id']}", headers=auth).status_code == 404
        assert len(http.get("/api/follows", headers=auth).json()["follows"]) == 1


@both
def test_api_refuses_a_private_webhook_with_422(repo: Repository, receiver: Receiver) -> None:
    app = create_app(settings(allow_private_networks="0"), repo)
    with running(app) as base:
        r = httpx.post(
            base + "/api/follows",
            json={"tag": "Ferries", "webhook": receiver.url},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    assert r.status_code == 422 and "loopback" in json.dumps(r.json())


# the CLI ------------------------------------------------------------------------------------


def tagwire(database: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "TAGWIRE_DATABASE": database, "TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1", **env}
    return subprocess.run(
        [sys.executable, "-m", "tagwire", *args], capture_output=True, text=True, env=full, timeout=120
    )


def failed_with(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert all(w in lines[0] for w in words), lines[0]


@both
def test_cli_follow_deliver_follows_unfollow(database: str, repo: Repository, receiver: Receiver) -> None:
    made = tagwire(database, "follow", "#Ferries", "--webhook", receiver.url)
    assert made.returncode == 0, made.stderr
    follow_id = made.stdout.split()[1].rstrip(":")
    secret = made.stdout.split("secret: ")[1].strip()
    assert len(secret) >= 32
    assert tagwire(database, "follow", "ferry OR boat", "--search", "--webhook", receiver.url).returncode == 0

    sid = story(repo, "Ferry fares cut", ["Ferries"])
    receiver.plan = [500]
    sent = tagwire(database, "deliver", TAGWIRE_ALERT_BACKOFF="0")
    assert sent.returncode == 0 and "1 delivered, 1 to retry" in sent.stderr, sent.stderr
    assert "2 queued" in sent.stderr
    assert "1 delivered, 0 to retry" in tagwire(database, "deliver", TAGWIRE_ALERT_BACKOFF="0").stderr
    by_tag = [c for c in receiver.accepted() if c.json.get("tag") == "Ferries"]
    assert len(by_tag) == 1 and by_tag[0].json["story"]["id"] == sid
    assert by_tag[0].headers["x-tagwire-signature"] == signature(secret, by_tag[0])

    rows = [line.split("\t") for line in tagwire(database, "follows").stdout.splitlines()]
    assert rows[0][:3] == [follow_id, "#Ferries", receiver.url]
    assert rows[1][1] == "ferry OR boat"
    assert [r[4:7] for r in rows] == [["1", "0", "0"], ["1", "0", "0"]]  # delivered, pending, failed
    assert secret not in json.dumps(rows)

    assert tagwire(database, "unfollow", follow_id).returncode == 0
    assert len(tagwire(database, "follows").stdout.splitlines()) == 1
    failed_with(tagwire(database, "unfollow", follow_id), "no follow")


def test_cli_refuses_what_it_cannot_follow(tmp_path: Any) -> None:
    db = str(tmp_path / "tw.db")
    failed_with(tagwire(db, "follow", "flood", "--webhook", "http://127.0.0.1:9/"), "--search")
    failed_with(tagwire(db, "follow", '"open', "--search", "--webhook", "http://127.0.0.1:9/"), "quote")
    failed_with(
        tagwire(
            db, "follow", "#Flood", "--webhook", "http://127.0.0.1:9/", TAGWIRE_ALLOW_PRIVATE_NETWORKS="0"
        ),
        "TAGWIRE_ALLOW_PRIVATE_NETWORKS",
    )
    failed_with(tagwire(db, "follow", "#Flood", "--webhook", "mailto:me@example.org"), "http")
    failed_with(
        tagwire(db, "follow", "#Flood", "--webhook", "http://127.0.0.1:9/", "--secret", "abc"), "short"
    )


@both
def test_a_delivery_is_claimed_by_one_sender_only(repo: Repository, receiver: Receiver) -> None:
    """Two processes that both saw a delivery due: only the first to claim it may send it."""
    cfg, store = settings(), repo
    follow(repo, cfg, "#Granary", receiver.url)
    story(repo, "Granary opens", ["Granary"])
    alerts.queue_new_stories(repo)
    [seen_by_one] = store.due_deliveries(datetime.now(UTC))
    [seen_by_other] = store.due_deliveries(datetime.now(UTC))
    later = datetime.now(UTC) + timedelta(minutes=2)
    assert store.claim_delivery(seen_by_one, until=later) is True
    assert store.claim_delivery(seen_by_other, until=later) is False
    assert store.due_deliveries(datetime.now(UTC)) == []  # held while the first sender is at it


# the hooks: `tagwire fetch` and `tagwire run` send alerts after understanding -------------------


@pytest.mark.slow
@both
def test_understanding_then_fetch_send_each_new_story_once(
    database: str, repo: Repository, receiver: Receiver
) -> None:
    from tagwire.demo.server import SampleServer

    assert tagwire(database, "follow", "#LuciaFerrand", "--webhook", receiver.url).returncode == 0
    with SampleServer() as sample:
        for url in sample.feed_urls():
            repo.add_source(url, now=datetime.now(UTC))
        stored = tagwire(database, "fetch", "--no-understand")
        understood = tagwire(database, "understand")
        again = tagwire(database, "fetch")
    assert "alerts:" not in stored.stderr + again.stderr  # nothing understood, then nothing new
    wanted = tag_story_ids(repo)
    assert len(wanted) >= 2, "the demo has several stories about Lucia Ferrand"
    assert f"{len(wanted)} queued, {len(wanted)} delivered" in understood.stderr, understood.stderr
    assert sorted(c.json["story"]["id"] for c in receiver.calls) == sorted(wanted)
    assert all("LuciaFerrand" in c.json["story"]["hashtags"] for c in receiver.calls)


def tag_story_ids(repo: Repository) -> list[int]:
    return [s.id for s in views.tag_page(repo, "LuciaFerrand", datetime.now(UTC)).stories]


@pytest.mark.slow
def test_run_sends_alerts_as_stories_arrive(tmp_path: Any, receiver: Receiver) -> None:
    from tagwire.demo.server import SampleServer
    from tests.webserver import free_port

    db = str(tmp_path / "tw.db")
    assert tagwire(db, "follow", "#LuciaFerrand", "--webhook", receiver.url).returncode == 0
    env = {**os.environ, "TAGWIRE_DATABASE": db, "TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1"}
    repo = open_store(db)
    with SampleServer() as sample:
        for url in sample.feed_urls():
            repo.add_source(url, now=datetime.now(UTC))
        command = [sys.executable, "-m", "tagwire", "run", "--port", str(free_port())]
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wait_until(lambda: bool(receiver.calls) and len(receiver.calls) == len(tag_story_ids(repo)))
        finally:
            proc.send_signal(signal.SIGTERM)
            _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "stopped cleanly" in err, err
    assert "delivered" in err
    assert sorted(c.json["story"]["id"] for c in receiver.calls) == sorted(tag_story_ids(repo))
    repo.close()


def wait_until(done: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 120
    while not done():
        assert time.monotonic() < deadline, "no alert arrived in time"
        time.sleep(0.2)
