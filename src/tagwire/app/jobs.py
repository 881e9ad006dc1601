"""The cluster's jobs, as procrastinate tasks (app/cluster.py runs the workers that take them):

    tick             every 2 s, on whichever worker takes it: claims the due sources and defers
                     their fetch jobs (one transaction), takes up the jobs of workers that died,
                     and sweeps up articles left pending (see below)
    fetch_source     one source: its feed, its new items' pages, stored as pending with the
                     understand_batch jobs that continue them (one transaction)
    understand_batch one batch of new articles: prepared here, in parallel with other workers,
                     then decided under the store's deciding lock, one batch at a time over the
                     whole cluster (store/articles.py `understanding`)
    send_alerts      every 10 s: new stories to the webhooks of follows, retries come due
    understand_rest  every article still pending a while after it was stored (fetched by
                     `tagwire fetch --no-understand`, or its job parked), in publication order

A job that raises is tried again (RETRY) and then parked: status "failed" in the queue, listed by
`tagwire jobs` with the error of its last try (kept in the store's job_errors as it raises). A
worker killed mid-job leaves its job "doing"; once the worker's heartbeat is STALLED seconds
old, the next tick puts the job back in the queue. Every job is safe to run
again: fetching skips what is stored, and understanding claims only articles still pending.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from procrastinate import App, JobContext, PsycopgConnector, RetryStrategy
from procrastinate.exceptions import AlreadyEnqueued, ConnectorException
from sqlalchemy.exc import SQLAlchemyError

from tagwire.app import alerts
from tagwire.app.fetching import Fetching
from tagwire.config import Settings
from tagwire.ingest.robots import RobotsCache
from tagwire.ingest.workers import Extractors
from tagwire.mainthread import MainThread
from tagwire.models import ArticleStatus
from tagwire.store import Repository
from tagwire.store.batch import chunks
from tagwire.store.jobs import JobRequest
from tagwire.understand.engine import BATCH, Understander
from tagwire.understand.prepare import warm_up

QUEUE = "tagwire"
RETRY = RetryStrategy(max_attempts=3, exponential_wait=2)  # the defaults; `retries` sets the user's
LEASE = timedelta(minutes=10)  # a claimed source is due again after this, should its job be lost
STALLED = 10.0  # seconds without a heartbeat after which a worker's jobs are taken up again
HEARTBEAT = 2.0  # seconds between a worker's heartbeats
LEFT_PENDING = timedelta(minutes=2)  # pending for longer than this: understand_rest takes it

log = logging.getLogger("tagwire.worker")
# the tasks are registered here; app/cluster.py gives the app its database (replace_connector)
queue = App(connector=PsycopgConnector())


@dataclass
class WorkerState:
    """What one worker process keeps from job to job: the store, the extraction processes, the
    robots.txt rules, and one understander (its language model in a preparing process, and its
    caches): one job decides while the next one's batch is being prepared."""

    repo: Repository
    settings: Settings
    extractors: Extractors
    robots: RobotsCache
    understander: Understander
    deciding: threading.Lock = field(default_factory=threading.Lock)  # the understander's caches
    submitting: threading.Lock = field(default_factory=threading.Lock)  # its preparing process starts once

    @classmethod
    def start(cls, repo: Repository, settings: Settings, main: MainThread | None = None) -> WorkerState:
        """With `main`, a worker preparing its batches itself (no preparing process) hands them
        to its main thread, where their budget holds; its model is loaded here and now."""
        extractors = Extractors.per_setting(settings.extract_processes, settings.extract_budget)
        understander = Understander(repo, settings, main=main)
        if understander.preparers.main is not None:
            warm_up(understander.tagger)
        return cls(repo, settings, extractors, RobotsCache(), understander)

    def close(self) -> None:
        self.extractors.close()
        self.understander.close()


_state: list[WorkerState] = []  # this process's, set by app/cluster.py while its worker runs


def retries(settings: Settings) -> None:
    """Each job tried TAGWIRE_JOB_ATTEMPTS times, then parked (procrastinate's status "failed");
    the waits before the next tries are TAGWIRE_JOB_RETRY_WAIT seconds to the power 1, 2, 3..."""
    retried = settings.job_attempts - 1  # procrastinate counts the tries after the first
    base = max(1, settings.job_retry_wait)
    strategy = RetryStrategy(max_attempts=retried, exponential_wait=base) if retried > 0 else None
    for task in queue.tasks.values():
        if task.name != "tick":
            task.retry_strategy = strategy


def state() -> WorkerState:
    if not _state:
        raise RuntimeError("a tagwire job runs in a worker started by `tagwire worker`")
    return _state[0]


def one_line(error: BaseException) -> str:
    """An exception as its type and the first line of its message."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


@contextlib.contextmanager
def errors_kept(context: JobContext) -> Iterator[None]:
    """Keep the error of a job's try that raises (the store's job_errors), so that a parked job
    says why; forget it when a later try succeeds. Failing to keep it never hides the error."""
    job = context.job
    try:
        yield
    except Exception as error:
        if job.id is not None:
            with contextlib.suppress(SQLAlchemyError):  # the database itself may be what failed
                state().repo.note_job_error(job.id, one_line(error), datetime.now(UTC))
        raise
    if job.id is not None and job.attempts > 0:
        with contextlib.suppress(SQLAlchemyError):
            state().repo.forget_job_error(job.id)


def fetch_job(source_id: int) -> JobRequest:
    """The job that fetches one source; its lock keeps two workers from fetching it at once."""
    return JobRequest(
        "fetch_source", {"source_id": source_id}, QUEUE, lock=f"source-{source_id}", queueing_lock=None
    )


def understand_jobs(ids: list[int]) -> list[JobRequest]:
    """The jobs that understand new articles, a batch each."""
    return [JobRequest("understand_batch", {"ids": list(chunk)}, QUEUE) for chunk in chunks(ids, BATCH)]


@queue.periodic(cron="* * * * * */2", periodic_id="tick")
@queue.task(name="tick", queue=QUEUE, pass_context=True, priority=10)
async def tick(context: JobContext, timestamp: int) -> None:
    """Claim due sources, take up stalled jobs, sweep up articles left pending."""
    w, now = state(), datetime.now(UTC)
    claimed = await asyncio.to_thread(w.repo.claim_due_sources, now, until=now + LEASE, job_for=fetch_job)
    if claimed:
        log.info("%d sources due: fetch jobs queued", len(claimed))
    manager = context.app.job_manager
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED):
        try:
            await manager.retry_job(job)
        except ConnectorException:  # another worker's tick took it up first: it is no longer "doing"
            continue
        log.info("took up job %s of a worker that stopped answering", job.call_string)
    left = await asyncio.to_thread(w.repo.count_pending, now - LEFT_PENDING)
    if left:
        with contextlib.suppress(AlreadyEnqueued):  # one is waiting already
            await understand_rest.defer_async()


@queue.periodic(cron="* * * * * */10", periodic_id="alerts")
@queue.task(name="send_alerts", queue=QUEUE, lock="alerts", priority=5, pass_context=True)
async def send_alerts(context: JobContext, timestamp: int) -> None:
    """New stories to the webhooks of follows, and retries come due (one worker at a time; each
    delivery is claimed with a lease besides, see store/follows.py)."""
    with errors_kept(context):
        sent = await alerts.run_alerts(state().repo, state().settings)
    if sent.busy:
        log.info("%s", sent)


@queue.task(name="fetch_source", queue=QUEUE, retry=RETRY, pass_context=True)
async def fetch_source(context: JobContext, source_id: int) -> None:
    """Fetch one source; its new articles are stored with the jobs that understand them."""
    with errors_kept(context):
        await _fetch_source(source_id)


async def _fetch_source(source_id: int) -> None:
    w = state()
    source = await asyncio.to_thread(w.repo.source, source_id)
    if source is None:  # removed since it was claimed
        return
    fetching = Fetching(
        w.repo, w.settings, extractors=w.extractors, robots=w.robots, follow_up=understand_jobs
    )
    summary = await fetching.fetch([source])
    if summary.errors:
        log.info("%s: %s", source.url, summary.errors[0][1])
    log.info("%s: %d new articles", source.url, summary.new_articles)


@queue.task(name="understand_batch", queue=QUEUE, retry=RETRY, pass_context=True)
def understand_batch(context: JobContext, ids: list[int]) -> None:
    """Understand these articles (those still pending), oldest first: prepared in this worker's
    preparing process, decided under the store's deciding lock."""
    with errors_kept(context):
        _understand_batch(ids)


def _understand_batch(ids: list[int]) -> None:
    w = state()
    found = w.repo.articles_by_id(ids)
    pending = [a for a in found.values() if a.status == ArticleStatus.PENDING]
    batch = sorted(pending, key=lambda a: (a.published, a.id or 0))
    if not batch:
        return
    u = w.understander
    with w.submitting:
        ready = u.prepare_ahead(batch)
    prepared = u.prepared(ready, batch)  # meanwhile, another job of this worker may decide
    with w.deciding:
        done = u.understand(batch, prepared)
    log.info("understood %d articles", len(done))


@queue.task(
    name="understand_rest",
    queue=QUEUE,
    retry=RETRY,
    queueing_lock="understand_rest",
    lock="rest",
    pass_context=True,
)
def understand_rest(context: JobContext) -> None:
    """Understand every article still pending, in publication order."""
    w = state()
    with errors_kept(context), w.deciding:
        n = w.understander.run_pending()
    if n:
        log.info("understood %d articles left pending", n)
