"""Follows and their deliveries: the SQL behind alerts (app/alerts.py decides what to send).

A follow watches a hashtag or a saved search. Only stories created after it count (its
`after_story` is the newest story id when it was made), and each check looks only at the stories
that articles understood since the previous check touched (`scanned_to`, an article id), so a
check costs what is new, not the whole archive. A delivery row per (follow, story), unique,
records the one POST of that story to that follow's webhook: queued once, claimed before each
attempt (so two processes never send it at once), then delivered or failed, never re-queued.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from tagwire.errors import InputError
from tagwire.models import ArticleStatus
from tagwire.query import parse
from tagwire.store.part import Part, insert_or_skip
from tagwire.store.rows import as_model
from tagwire.store.schema import articles, deliveries, follows, hashtags, stories
from tagwire.store.search import matching_articles

RESCAN = 5000  # ids before the mark looked at again: a concurrent writer commits a fetch's batch
# (up to pipeline.FLUSH_ARTICLES = 2,000 articles) late, with ids below the mark
KINDS = ("tag", "search")


class DuplicateFollow(InputError):
    """The same hashtag or search already goes to the same webhook."""


@dataclass(frozen=True)
class Follow:
    """A hashtag (kind "tag", target without '#') or a search query (kind "search") to watch."""

    id: int
    kind: str
    target: str
    webhook: str
    created_at: datetime
    secret: str = field(repr=False)
    after_story: int = 0
    scanned_to: int = 0

    @property
    def what(self) -> str:
        return "#" + self.target if self.kind == "tag" else self.target


@dataclass(frozen=True)
class FollowStatus:
    """A follow with its deliveries counted by state and the latest error, for `tagwire follows`."""

    follow: Follow
    delivered: int = 0
    pending: int = 0
    failed: int = 0
    last_error: str | None = None


@dataclass(frozen=True)
class Delivery:
    """A queued POST, with what sending it needs."""

    id: int
    follow_id: int
    story_id: int
    attempts: int
    body: str
    webhook: str
    secret: str = field(repr=False)


class FollowsPart(Part):
    """Every read and write of follows and deliveries."""

    # follows ---------------------------------------------------------------------------------

    def add_follow(self, kind: str, target: str, webhook: str, secret: str, *, now: datetime) -> Follow:
        """A new follow that sees only stories made from now on. DuplicateFollow if the same
        hashtag or query already goes to this webhook."""
        assert kind in KINDS
        try:
            with self.engine.begin() as conn:
                after = int(conn.execute(select(func.coalesce(func.max(stories.c.id), 0))).scalar_one())
                new = Follow(0, kind, target, webhook, now, secret, after, _scan_mark(conn))
                values = {k: v for k, v in asdict(new).items() if k != "id"}
                new_id = conn.execute(insert(follows).values(**values)).inserted_primary_key[0]  # type: ignore[index]
        except IntegrityError:
            raise DuplicateFollow(self._duplicate_message(kind, target, webhook)) from None
        return replace(new, id=int(new_id))

    def _duplicate_message(self, kind: str, target: str, webhook: str) -> str:
        q = select(follows.c.id).where(
            follows.c.kind == kind, follows.c.target == target, follows.c.webhook == webhook
        )
        with self.engine.connect() as conn:
            existing = conn.execute(q).scalar()
        return (
            f"follow {existing} already sends this to {webhook}; `tagwire unfollow {existing}` to replace it"
        )

    def remove_follow(self, follow_id: int) -> bool:
        """Stop a follow: it and its deliveries (pending ones included) are deleted. An id no
        database integer can hold names no follow (rather than an overflow from the driver)."""
        if not 0 < follow_id < 2**63:
            return False
        with self.engine.begin() as conn:
            conn.execute(delete(deliveries).where(deliveries.c.follow_id == follow_id))
            return bool(conn.execute(delete(follows).where(follows.c.id == follow_id)).rowcount)

    def follows(self) -> list[Follow]:
        with self.engine.connect() as conn:
            return [as_model(Follow, r) for r in conn.execute(select(follows).order_by(follows.c.id))]

    def follow_statuses(self) -> list[FollowStatus]:
        """Each follow with its delivery counts and its latest error."""
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        by_state = select(deliveries.c.follow_id, deliveries.c.state, func.count().label("n")).group_by(
            deliveries.c.follow_id, deliveries.c.state
        )
        with self.engine.connect() as conn:
            for r in conn.execute(by_state):
                counts[r.follow_id][r.state] = int(r.n)
            errors: dict[int, str] = {r[0]: r[1] for r in conn.execute(_latest_errors())}
        return [FollowStatus(f, **counts.get(f.id, {}), last_error=errors.get(f.id)) for f in self.follows()]

    # finding new stories ---------------------------------------------------------------------

    def alert_scan_mark(self) -> int:
        """The article id up to which every article is understood: a check looks no further."""
        with self.engine.connect() as conn:
            return _scan_mark(conn)

    def new_story_ids(self, follow: Follow, upto: int, now: datetime) -> list[int]:
        """Stories made after the follow, touched by articles in (scanned_to, upto], that match
        it and were never queued for it. Raises SearchSyntaxError for an unreadable query."""
        recent = articles.alias("recent")
        touched = select(recent.c.story_id).where(
            recent.c.id > max(0, follow.scanned_to - RESCAN),
            recent.c.id <= upto,
            recent.c.status == ArticleStatus.DONE,
            recent.c.story_id > follow.after_story,
        )
        queued = select(deliveries.c.story_id).where(deliveries.c.follow_id == follow.id)
        found = self._matching(follow, now).where(articles.c.story_id.in_(touched)).subquery()
        q = select(found.c.story_id).distinct().where(found.c.story_id.not_in(queued))
        with self.engine.connect() as conn:
            return sorted(conn.execute(q).scalars())

    def _matching(self, follow: Follow, now: datetime) -> Select[Any]:
        """Articles (id, story_id, ...) whose story the follow wants."""
        if follow.kind == "search":
            return matching_articles(self.dialect, parse(follow.target, now))
        tagged = hashtags.c.article_id == articles.c.id
        return (
            select(articles.c.id, articles.c.story_id)
            .join(hashtags, tagged)
            .where(func.lower(hashtags.c.tag) == follow.target.lower())
        )

    def enqueue_alerts(self, follow: Follow, bodies: dict[int, str], upto: int, *, now: datetime) -> int:
        """Queue one delivery per story (a story already queued for this follow is skipped, by
        the unique constraint) and move the follow's mark, in one transaction. Returns how many
        were queued."""
        queued = 0
        with self.engine.begin() as conn:
            for story_id, body in bodies.items():
                row = dict(follow_id=follow.id, story_id=story_id, body=body, created_at=now)
                row.update(state="pending", attempts=0, next_attempt=now)
                queued += conn.execute(self._insert_new(row)).first() is not None
            conn.execute(update(follows).where(follows.c.id == follow.id).values(scanned_to=upto))
        return queued

    def _insert_new(self, row: dict[str, Any]) -> Any:
        """INSERT ... ON CONFLICT DO NOTHING RETURNING id (a row back: it was new), in the dialect's words."""
        return insert_or_skip(self.dialect, deliveries).values(**row).returning(deliveries.c.id)

    # delivering ------------------------------------------------------------------------------

    def due_deliveries(self, now: datetime, limit: int = 100) -> list[Delivery]:
        """Pending deliveries whose next attempt has come, oldest first."""
        q = (
            select(deliveries, follows.c.webhook, follows.c.secret)
            .join(follows, follows.c.id == deliveries.c.follow_id)
            .where(deliveries.c.state == "pending", deliveries.c.next_attempt <= now)
            .order_by(deliveries.c.next_attempt, deliveries.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [
                Delivery(r.id, r.follow_id, r.story_id, r.attempts, r.body or "", r.webhook, r.secret)
                for r in conn.execute(q)
            ]

    def claim_delivery(self, d: Delivery, *, until: datetime) -> bool:
        """Take a delivery for one attempt: counts the attempt and holds the row until `until`.
        False when another process took it first (its attempt count moved), so no two send it."""
        q = (
            update(deliveries)
            .where(
                deliveries.c.id == d.id, deliveries.c.state == "pending", deliveries.c.attempts == d.attempts
            )
            .values(attempts=d.attempts + 1, next_attempt=until)
        )
        with self.engine.begin() as conn:
            return conn.execute(q).rowcount == 1

    def mark_delivered(self, delivery_id: int, status: int, *, now: datetime) -> None:
        self._set(
            delivery_id, state="delivered", last_status=status, delivered_at=now, next_attempt=None, body=None
        )

    def retry_delivery(self, delivery_id: int, status: int | None, error: str, *, at: datetime) -> None:
        self._set(delivery_id, last_status=status, last_error=error, next_attempt=at)

    def give_up_delivery(self, delivery_id: int, status: int | None, error: str) -> None:
        self._set(delivery_id, state="failed", last_status=status, last_error=error, next_attempt=None)

    def _set(self, delivery_id: int, **values: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(**values))

    def next_delivery_attempt(self) -> datetime | None:
        """When the earliest pending delivery is due (None when nothing is pending)."""
        q = select(func.min(deliveries.c.next_attempt)).where(deliveries.c.state == "pending")
        with self.engine.connect() as conn:
            value: datetime | None = conn.execute(q).scalar()
        return value


def _scan_mark(conn: Connection) -> int:
    """The newest article id, or just below the oldest pending one: articles past it may still
    change story or hashtags, so they wait for the next check."""
    newest = int(conn.execute(select(func.coalesce(func.max(articles.c.id), 0))).scalar_one())
    pending = conn.execute(
        select(func.min(articles.c.id)).where(articles.c.status == ArticleStatus.PENDING)
    ).scalar()
    return newest if pending is None else min(newest, int(pending) - 1)


def _latest_errors() -> Select[Any]:
    """(follow id, last error) of each follow's newest undelivered delivery that has an error."""
    latest = (
        select(deliveries.c.follow_id, func.max(deliveries.c.id).label("id"))
        .where(deliveries.c.state != "delivered", deliveries.c.last_error.is_not(None))
        .group_by(deliveries.c.follow_id)
        .subquery()
    )
    return select(latest.c.follow_id, deliveries.c.last_error).join(
        deliveries, deliveries.c.id == latest.c.id
    )
