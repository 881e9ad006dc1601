"""Following and unfollowing sources, the use cases of `tagwire add`, `tagwire remove` and
`DELETE /api/sources/{id}`: each argument checked on its own (ingest/subscribe.py), what
passed followed, and a report of every feed, refused ones with their reason."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

from tagwire.app.viewmodels import AddReport, AddResult, RemoveResult
from tagwire.config import Settings
from tagwire.ingest.subscribe import Found, Refused, resolve
from tagwire.store import Repository


def add_targets(
    repo: Repository, settings: Settings, targets: Sequence[str], *, now: datetime, anyway: bool = False
) -> AddReport:
    """Check and follow each target (a feed or site URL, a news sitemap, an OPML file), one
    after the other; a target that fails never stops the next."""
    results = [r for target in targets for r in _add_one(repo, settings, target, now=now, anyway=anyway)]
    return AddReport(
        results=tuple(results),
        added=sum(r.state == "added" for r in results),
        already=sum(r.state == "already followed" for r in results),
        refused=sum(r.state == "refused" for r in results),
    )


def _add_one(
    repo: Repository, settings: Settings, target: str, *, now: datetime, anyway: bool
) -> list[AddResult]:
    results = []
    for checked in asyncio.run(resolve(target, settings, anyway=anyway)):
        if isinstance(checked, Refused):
            results.append(
                AddResult(
                    target=target,
                    url=checked.url,
                    state="refused",
                    title=None,
                    source_id=None,
                    note=checked.reason,
                )
            )
            continue
        results.append(_follow(repo, target, checked, now))
    return results


def _follow(repo: Repository, target: str, found: Found, now: datetime) -> AddResult:
    source, created = repo.add_source(found.url, kind=found.kind, title=found.title, now=now)
    return AddResult(
        target=target,
        url=found.url,
        state="added" if created else "already followed",
        title=source.title,
        source_id=source.id,
        note=found.note,
    )


def remove_sources(repo: Repository, refs: Sequence[str], *, purge: bool = False) -> list[RemoveResult]:
    """Stop following each source named by its URL or id; its articles stay unless `purge`."""
    return [remove_source(repo, ref, purge=purge) for ref in refs]


def remove_source(repo: Repository, ref: str | int, *, purge: bool = False) -> RemoveResult:
    """One source, by its URL or id as typed (a string), or by its id (an int: the API)."""
    source = repo.get_source(ref) if isinstance(ref, int) else repo.find_source(ref)
    ref = str(ref)
    if source is None or source.id is None:
        return RemoveResult(ref=ref, found=False)
    done = repo.remove_source(source.id, purge=purge)
    return RemoveResult(ref=ref, source_id=source.id, url=source.url, title=source.title, **asdict(done))
