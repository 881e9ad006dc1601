"""A wire text's closing credit and its desk's sign-off ("-- Athens Newsroom +30 1 331 1812",
"(Reporting by ...; Editing by ...)") tell who filed it, not what happened: two reports of one
desk share them, so they are no marks of an event and name no place of it
(provenance.without_signoff, read by the story features)."""

from __future__ import annotations

from datetime import UTC, datetime

from tagwire.models import Article
from tagwire.understand.hashtags import HashtagTagger
from tagwire.understand.prepare import Prepared, inputs, prepare_many
from tagwire.understand.provenance import without_signoff

DESK = "-- Korvik Newsroom +47 22 42 50 41"


def test_closing_credits_and_a_desks_signoff_are_dropped() -> None:
    body = "KORVIK - The port reopened on Monday."
    assert without_signoff(f"{body}\n\n{DESK}") == body
    assert without_signoff(f"{body}\n\n(Reporting by Ana Lind; Editing by Tom Hale)\n\n© Reuters") == body
    kept = f"{body}\n\nThe mayor said -- in a statement -- that +47 callers were welcome."
    assert without_signoff(kept) == kept


def test_a_desks_signoff_gives_no_mark_and_no_place() -> None:
    text = (
        "HALDEN - Shares of Valdmere Robotics rose 4 percent on Tuesday after the company won an "
        f"order from a grocer.\n\n{DESK}"
    )
    art = Article(
        url="https://wire.example/1",
        outlet="Wire",
        title="Valdmere shares rise on grocer order",
        published=datetime(2026, 3, 3, 12, tzinfo=UTC),
        text=text,
    )
    (found,) = prepare_many(inputs([art]), HashtagTagger())
    assert isinstance(found, Prepared)
    marks = found.features.marks or frozenset()
    assert "@valdmere robotics" in marks  # the marks of the event stay
    assert not {m for m in marks if "korvik" in m or "newsroom" in m} and "=22" not in marks
    assert not any("korvik" in p for p in found.features.places or {})
