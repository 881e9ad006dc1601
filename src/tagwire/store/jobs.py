"""The cluster's job queue, as the store sees it (PostgreSQL only). The queue is procrastinate's
(app/jobs.py defines the jobs, app/cluster.py runs the workers); its tables live in tagwire's own
database, so a job can be written in the same transaction as the data it continues: the due
sources claimed and their fetch jobs, an article stored and the job that understands it.

Deferring inside our transaction calls procrastinate's own SQL function (procrastinate_defer_jobs_v1,
the one its `defer` calls; procrastinate is pinned, so the function is the one its schema created).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, or_, select, text, update

from tagwire.errors import ConfigError
from tagwire.store.part import Part
from tagwire.store.schema import job_errors, sources

QUEUE_SCHEMA_LOCK = 0x7461677775  # pg advisory lock key while the queue's schema is created


@dataclass(frozen=True)
class JobRequest:
    """One job to defer: a task's name, its keyword arguments, and procrastinate's options."""

    task: str
    args: dict[str, Any]
    queue: str
    lock: str | None = None
    queueing_lock: str | None = None
    priority: int = 0


@dataclass(frozen=True)
class ParkedJob:
    """A job that failed every attempt, kept in the queue for a person to look at."""

    id: int
    task: str
    args: dict[str, Any]
    attempts: int
    failed_at: datetime | None
    error: str | None = None  # its last try's error, in a line


@dataclass(frozen=True)
class QueueCounts:
    by_status: dict[str, int] = field(default_factory=dict)
    workers: int = 0


def defer_in(conn: Connection, jobs: Sequence[JobRequest]) -> None:
    """Insert `jobs` into procrastinate's queue within the caller's transaction (its insert
    trigger notifies the listening workers when the transaction commits)."""
    if not jobs:
        return
    rows = ", ".join(
        f"ROW(:q{i}, :t{i}, :p{i}, :l{i}, :ql{i}, CAST(:a{i} AS jsonb), NULL)::procrastinate_job_to_defer_v1"
        for i in range(len(jobs))
    )
    params: dict[str, Any] = {}
    for i, j in enumerate(jobs):
        params |= {
            f"q{i}": j.queue, f"t{i}": j.task, f"p{i}": j.priority, f"l{i}": j.lock,
            f"ql{i}": j.queueing_lock, f"a{i}": json.dumps(j.args),
        }  # fmt: skip
    conn.execute(text(f"SELECT procrastinate_defer_jobs_v1(ARRAY[{rows}])"), params)


class JobsPart(Part):
    def _postgres_only(self) -> None:
        if self.dialect != "postgresql":
            raise ConfigError(
                "a cluster of workers needs PostgreSQL: set TAGWIRE_DATABASE to a postgresql:// URL"
            )

    def ensure_job_queue(self, schema_sql: str) -> bool:
        """Create the queue's tables and functions (`schema_sql`, procrastinate's) unless they
        exist; under an advisory lock, so that workers starting together create them once.
        Returns whether they were created."""
        self._postgres_only()
        with self.engine.begin() as conn:
            conn.execute(select(func.pg_advisory_xact_lock(QUEUE_SCHEMA_LOCK)))
            if conn.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is not None:
                return False
            conn.exec_driver_sql(schema_sql.replace("%", "%%"))  # no parameters: % is itself
            return True

    def claim_due_sources(
        self, now: datetime, *, until: datetime, job_for: Callable[[int], JobRequest], limit: int = 500
    ) -> list[int]:
        """The sources due now (not held back by a Retry-After), claimed: each one's next check
        moves to `until` (so the next look does not claim it again; should its job be lost, it is
        due again then) and its fetch job is deferred, in one transaction. Rows another worker is
        claiming at this moment are skipped, so no source is claimed twice."""
        self._postgres_only()
        due = (
            select(sources.c.id)
            .where(or_(sources.c.hold_until.is_(None), sources.c.hold_until <= now))
            .where(or_(sources.c.next_check.is_(None), sources.c.next_check <= now))
            .order_by(sources.c.next_check.nulls_first(), sources.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        with self.engine.begin() as conn:
            ids = [int(i) for i in conn.execute(due).scalars()]
            if ids:
                claim = update(sources).where(sources.c.id.in_(bindparam("ids", expanding=True)))
                conn.execute(claim.values(next_check=until), {"ids": ids})
                defer_in(conn, [job_for(i) for i in ids])
            return ids

    def queue_counts(self) -> QueueCounts:
        """How many jobs are in each state, and how many workers sent a heartbeat lately."""
        self._postgres_only()
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT status::text, count(*) FROM procrastinate_jobs GROUP BY 1"))
            counts = {str(s): int(n) for s, n in rows}
            workers = conn.execute(
                text(
                    "SELECT count(*) FROM procrastinate_workers "
                    "WHERE last_heartbeat > now() - interval '1 minute'"
                )
            ).scalar()
        return QueueCounts(counts, int(workers or 0))

    def parked_jobs(self, limit: int = 1000) -> list[ParkedJob]:
        """Jobs that failed every attempt (procrastinate's status "failed"), newest first."""
        self._postgres_only()
        q = text(
            "SELECT j.id, j.task_name, j.args, j.attempts, x.error, "
            "(SELECT max(e.at) FROM procrastinate_events e WHERE e.job_id = j.id) AS at "
            "FROM procrastinate_jobs j LEFT JOIN job_errors x ON x.job_id = j.id "
            "WHERE j.status = 'failed' ORDER BY j.id DESC LIMIT :n"
        )
        with self.engine.connect() as conn:
            return [
                ParkedJob(int(r.id), str(r.task_name), dict(r.args), int(r.attempts), r.at, r.error)
                for r in conn.execute(q, {"n": limit})
            ]

    def note_job_error(self, job_id: int, error: str, at: datetime) -> None:
        """Keep `error` (one line) as the last error of job `job_id`."""
        from sqlalchemy.dialects.postgresql import insert  # the queue is PostgreSQL's only

        kept = {"error": error[:1000], "at": at}
        upsert = insert(job_errors).values(job_id=job_id, **kept)
        upsert = upsert.on_conflict_do_update(index_elements=["job_id"], set_=kept)
        with self.engine.begin() as conn:
            conn.execute(upsert)

    def forget_job_error(self, job_id: int) -> None:
        """The job succeeded after all: its earlier error is no longer news."""
        with self.engine.begin() as conn:
            conn.execute(delete(job_errors).where(job_errors.c.job_id == job_id))
