"""Feeds read off the event loop (app/reading.py): what a worker process reads is what a thread
reads; a worker killed in the middle of a run costs a new pool, not the feeds it held."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime

import pytest

from tagwire.app.reading import WORKER_DIED, FeedReaders, Plan, ReadFeed, make_article, read_feed
from tagwire.errors import ParseError
from tagwire.ingest.limits import Limits

T0 = datetime(2025, 6, 3, 16, 0, tzinfo=UTC)
URL = "https://quay.example/rss"


def body(n: int, *, extra: str = "") -> bytes:
    items = "".join(
        f"<item><title>Harbour notice {i}</title><link>https://quay.example/news/{i}?utm_source=rss</link>"
        f"<description>The harbour office posted notice {i} about the north quay.</description></item>"
        for i in range(n)
    )
    return f"<rss version='2.0'><channel><title>Quay Times</title>{items}{extra}</channel></rss>".encode()


def plan(*, articles: bool = False) -> Plan:
    return Plan(7, "Old title", URL, T0, Limits(url=60), articles=articles)


def test_a_read_feed_has_each_items_keys_and_with_the_plan_its_article() -> None:
    long_link = "<item><title>Long</title><link>https://quay.example/" + "x" * 80 + "</link></item>"
    read = read_feed(body(2, extra=long_link), URL, None, plan(articles=True))
    assert len(read.feed.items) == 3 and len(read.entries) == 2  # the URL over the cap is left out
    first = read.entries[0]
    assert first.keys == {"https://quay.example/news/0?utm_source=rss", "https://quay.example/news/0"}
    assert first.article == make_article(first, None, plan(), source_title="Quay Times")
    assert first.article.source_id == 7 and first.article.content_hash
    assert all(e.article is None for e in read_feed(body(2), URL, None, plan()).entries)


def test_workers_read_what_a_thread_reads_and_a_killed_worker_is_replaced() -> None:
    bodies = [body(n + 1) for n in range(FeedReaders.START_AFTER + 3)]
    expected = [read_feed(b, URL, None, plan(articles=True)) for b in bodies]

    async def run() -> list[ReadFeed]:
        readers = FeedReaders(1)
        try:
            got = [await readers.read(b, URL, None, plan(articles=True)) for b in bodies[:-2]]
            assert readers._starting is not None  # started after START_AFTER bodies, in a thread
            await readers._starting
            got.append(await readers.read(bodies[-2], URL, None, plan(articles=True)))
            pool = readers._pool
            assert pool is not None  # that one was read by a worker
            for pid in list(pool._processes):  # as the kernel's OOM killer would
                os.kill(pid, signal.SIGKILL)
            got.append(await readers.read(bodies[-1], URL, None, plan(articles=True)))
            assert readers._pool is not None and readers._pool is not pool
            return got
        finally:
            await readers.aclose()

    assert asyncio.run(run()) == expected


def test_without_processes_every_body_is_read_in_a_thread() -> None:
    async def run() -> FeedReaders:
        readers = FeedReaders(0)
        for n in range(FeedReaders.START_AFTER + 2):
            assert await readers.read(body(n + 1), URL, None, plan()) == read_feed(
                body(n + 1), URL, None, plan()
            )
        await readers.aclose()
        return readers

    readers = asyncio.run(run())
    assert readers._starting is None and readers._pool is None


KILLER = b"<rss>a body that kills the process reading it</rss>"


def dies_on_the_killer(body: bytes, url: str, content_type: str | None, p: Plan) -> ReadFeed:
    """read_feed, except that the killer body ends the worker at once (a crash in C code)."""
    if body == KILLER:
        os._exit(1)
    return read_feed(body, url, content_type, p)


def test_a_body_that_kills_its_worker_fails_alone_and_the_others_are_read() -> None:
    """The bodies handed to a pool that breaks are read once more, one at a time, on a new pool:
    the killer fails its own source; the others, handed over with it, are read."""
    bodies = [body(n + 1) for n in range(8)]

    async def run() -> list[ReadFeed | BaseException]:
        readers = FeedReaders(2, dies_on_the_killer)
        try:
            first = [await readers.read(b, URL, None, plan()) for b in bodies[: FeedReaders.START_AFTER + 1]]
            rest = bodies[FeedReaders.START_AFTER + 1 :]
            together = [readers.read(b, URL, None, plan()) for b in [*rest[:2], KILLER, *rest[2:]]]
            return [*first, *await asyncio.gather(*together, return_exceptions=True)]
        finally:
            await readers.aclose()

    got = asyncio.run(run())
    died = got.pop(FeedReaders.START_AFTER + 3)
    assert isinstance(died, ParseError) and str(died) == WORKER_DIED
    assert got == [read_feed(b, URL, None, plan()) for b in bodies]


def test_processes_per_core_by_default_a_thread_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    from tagwire.app import reading
    from tagwire.config import Settings

    monkeypatch.setattr(reading, "usable_cores", lambda: 4)
    assert FeedReaders.per_setting(Settings().read_processes).processes == 4  # the default: per core
    assert FeedReaders.per_setting(0).processes == 0  # a thread
    assert FeedReaders.per_setting(3).processes == 3
    monkeypatch.setattr(reading, "usable_cores", lambda: 1)
    assert FeedReaders.per_setting(-1).processes == 0  # one core: a worker could only add work
