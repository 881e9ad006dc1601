"""Hashtags an editor would keep, sixth round of issue 12. Places named in passing: a place
named once past the lead is no hashtag shown (not on the article, its story, a tag page nor in a
count of tags), yet it is kept apart (`passing_tags`) and finds the article's other reports as a
hashtag does, so that a copy edited too hard for its LSH bands is still found among them. And a
place before a title that opens with "first", "former"... ("U.S. first lady") names the title.
Texts written for these tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from tagwire import config
from tagwire.store import Repository, open_store
from tagwire.store.db import make_engine, migrations_head, schema_revision
from tagwire.store.purge import purge_articles
from tagwire.store.schema import hashtags, passing_tags
from tagwire.understand import copies
from tagwire.understand.engine import Understander
from tagwire.understand.hashtags import HashtagTagger, Read, Tags
from tests.conftest import BACKENDS
from tests.helpers import downgrade
from tests.newstexts import T0, article

both = pytest.mark.parametrize("database", BACKENDS, indirect=True)


LEAD = (
    "Ines Varga, the mayor of Velmora, opened the new harbour bridge on Monday after four years "
    "of building. Ines Varga said the bridge would cut the drive to the port by half an hour.\n"
    "The bridge cost Velmora's council more than it had planned, and the opposition asked why.\n"
)
REST = (
    "The harbour office said lorries would use the bridge from next week.\n"
    "Engineers first drew the bridge after a visit to the Netherlands, where a similar span opened in "
    "2019. Ines Varga thanked the workers and the harbour office.\nThe opposition said it would "
    "ask the council for the final accounts of the bridge next month."
)


def test_a_place_named_once_past_the_lead_is_kept_apart_not_shown(tagger: HashtagTagger) -> None:
    read = tagger.read_many([("Velmora opens its harbour bridge", LEAD + REST)])[0]
    found = tagger.tags(read)
    assert {"InesVarga", "Velmora"} <= set(found.shown)
    assert found.passing == {"Netherlands"} and "Netherlands" in found.ranked
    assert "Netherlands" not in found.shown
    assert tagger.tag("Velmora opens its harbour bridge", LEAD + REST) == found.shown
    twice = REST.replace("The opposition said", "The Netherlands sent two engineers. The opposition said")
    assert "Netherlands" in tagger.tag("Velmora opens its harbour bridge", LEAD + twice)  # twice: shown


# --- the store: a reprint edited too hard for its bands, found through a passing place ---

PARAGRAPHS = [
    "Storm Idrun closed the coastal railway between Pellan and Orvik on Wednesday after waves washed "
    "stones and timber onto the tracks near the old lighthouse, the rail operator Nordlin said.",
    "About forty trains were cancelled and some nine thousand travellers were sent onto replacement "
    "buses, which took more than two hours for a journey the train makes in fifty minutes.",
    "Track engineer Halvard Reiss said crews could not start clearing the line until the wind "
    'dropped below gale force. "We will not send anyone onto that embankment in the dark," he said.',
    "The same stretch was shut for eleven days in 2022, when a landslide buried the tracks, and the "
    "regional council has since spent millions on new sea walls along the cliffs.",
    "Fishermen in Orvik kept their boats in the harbour for a second day, and the ferry to the "
    "islands stayed tied up at the quay while the coast guard warned against any crossing.",
    "Schools in three villages closed early so that pupils could get home before the worst of the "
    "storm, and several roads were blocked by fallen trees by the middle of the afternoon.",
    "Forecasters expect the wind to ease on Thursday night, although heavy rain could bring further "
    "flooding to the low fields behind the dunes, they warned in their morning bulletin.",
    "Nordlin said it hoped to run a reduced timetable by Saturday, once inspectors had walked the "
    "whole line and checked every bridge and culvert along it.",
    "The railway, opened in 1894, carries commuters, students and freight, and was once studied as "
    "a model by engineers from the Netherlands who built a similar line along their own coast.",
    "Shops along the seafront put sandbags against their doors, and the town hall opened its hall "
    "for families whose cellars had flooded overnight.",
]
LOCAL = (
    "Our reporter in Tessel, an hour inland, found the bus station crowded with travellers who had "
    "waited since dawn; a driver said the buses were running as often as they could."
)
SWAPS = [
    ("Wednesday", "Wed."),
    (" said", " stated"),
    ("travellers", "passengers"),
    ("cancelled", "called off"),
    ("about", "around"),
    ("About", "Around"),
    ("closed", "shut"),
    ("because", "as"),
    ("more than", "over"),
    ("hours", "hrs"),
]


def edited_hard(paras: list[str]) -> str:
    """A reprint edited hard: the lead kept first, the rest split, merged and reordered, a local
    paragraph inserted, common words swapped, the last paragraphs gone."""
    merged = [paras[0], paras[2] + " " + paras[1], *paras[3:9]]
    order = [0, 4, -1, 2, 1, 6, 3, 5, 7]
    reordered = [LOCAL if i < 0 else merged[i] for i in order]
    body = "\n\n".join(reordered)
    for old, new in SWAPS:
        body = body.replace(old, new)
    return body


ORIGINAL_TITLE = "Storm Idrun shuts the coast railway"
REPRINT_TITLE = "Waves and timber on the tracks: a day without trains"


class FixedTags(HashtagTagger):
    """A tagger that reads no text: each headline gets the tags it is given (none for others),
    so that which tags two articles share is the test's choice."""

    def __init__(self, tags: Mapping[str, Tags]) -> None:
        super().__init__()
        self.fixed = tags

    def read_many(self, docs: Sequence[tuple[str, str]], batch_size: int = 64) -> list[Read]:
        return [Read(title, text, ()) for title, text in docs]

    def tags(self, read: Read, limit: int = 12) -> Tags:  # type: ignore[override]
        return self.fixed.get(read.title, Tags([], frozenset()))


def understood(repo: Repository, tags: Mapping[str, Tags]) -> tuple[int, int, str | None]:
    """The original and its reprint understood (one batch) with these tags: (original id, the
    id the reprint copies, its match kind)."""
    arts = [
        article(0, "Coast Wire", ORIGINAL_TITLE, "\n\n".join(PARAGRAPHS), 0),
        article(1, "Reprint Daily", REPRINT_TITLE, edited_hard(PARAGRAPHS), 40),
    ]
    repo.add_articles(arts, fetched_at=T0)
    Understander(repo, config.load({}), tagger=FixedTags(tags)).understand(arts)
    back = repo.articles_by_id(a.id or 0 for a in arts)[arts[1].id or 0]
    return arts[0].id or 0, back.copy_of or 0, back.match.kind if back.match else None


PASSING = {
    ORIGINAL_TITLE: Tags(["StormIdrun", "Nordlin", "Netherlands"], frozenset({"Netherlands"})),
    REPRINT_TITLE: Tags(["HalvardReiss", "Netherlands"], frozenset({"Netherlands"})),
}


def test_the_reprint_is_edited_too_hard_for_its_bands() -> None:
    assert copies.confirm_copy("\n\n".join(PARAGRAPHS), edited_hard(PARAGRAPHS)) < copies.COPY_THRESHOLD


@both
def test_a_place_in_passing_is_not_shown_but_finds_the_edited_copy(repo: Repository) -> None:
    original, copy_of, kind = understood(repo, PASSING)
    assert (copy_of, kind) == (original, "copy")
    with repo.engine.connect() as conn:
        shown = set(conn.execute(select(hashtags.c.tag)).scalars())
        kept = sorted(conn.execute(select(passing_tags.c.article_id, passing_tags.c.tag)).all())
    assert shown == {"StormIdrun", "Nordlin", "HalvardReiss"}
    assert [tag for _, tag in kept] == ["Netherlands", "Netherlands"]
    assert "Netherlands" not in {tag for tag, _ in repo.top_tags(limit=50)}
    assert repo.story_ids_for_tag("Netherlands", limit=10) == []
    assert repo.tags_containing("Nether") == [] and repo.canonical_tag("Netherlands") is None
    [story] = repo.stories(repo.story_ids_for_tag("StormIdrun", limit=10))
    assert "Netherlands" not in story.hashtags
    assert all("Netherlands" not in a.hashtags for a in story.articles)


@both
def test_without_the_passing_place_the_edited_copy_is_not_found(repo: Repository) -> None:
    """The same two articles sharing no tag: the reprint is no copy (what the passing place
    finds above is found through it alone)."""
    alone = {
        ORIGINAL_TITLE: Tags(["StormIdrun", "Nordlin"], frozenset()),
        REPRINT_TITLE: Tags(["HalvardReiss"], frozenset()),
    }
    _, copy_of, kind = understood(repo, alone)
    assert (copy_of, kind) == (0, "new")


@both
def test_understanding_again_replaces_the_passing_tags(repo: Repository) -> None:
    understood(repo, PASSING)
    arts = repo.articles_by_id([1, 2]).values()
    with repo.understanding() as tx:
        tx.forget([a.id or 0 for a in arts])
    with repo.engine.connect() as conn:
        assert conn.execute(select(passing_tags)).all() == []


@both
def test_purging_an_article_drops_its_passing_tags(repo: Repository) -> None:
    original, _, _ = understood(repo, PASSING)
    with repo.engine.begin() as conn:
        purge_articles(conn, [original])
        left = conn.execute(select(passing_tags.c.article_id)).scalars().all()
    assert left and original not in left


@both
def test_migration_0012_adds_and_drops_the_passing_tags(database: str) -> None:
    open_store(database).close()
    downgrade(database, "0011_search_recency")
    engine = make_engine(database)
    assert "passing_tags" not in inspect(engine).get_table_names()
    engine.dispose()
    repo = open_store(database, upgrade=True)
    try:
        assert schema_revision(repo.engine) == migrations_head() == "0012_passing_tags"
        assert "passing_tags" in inspect(repo.engine).get_table_names()
    finally:
        repo.close()


def test_a_stored_article_keeps_its_passing_places_with_its_window(tmp_path: Path) -> None:
    """Each passing tag row carries its article's publication time (the window's index range)."""
    repo = open_store(str(tmp_path / "p.db"))
    try:
        understood(repo, PASSING)
        with repo.engine.connect() as conn:
            times = sorted(conn.execute(select(passing_tags.c.published)).scalars())
        assert times == [T0, T0 + timedelta(minutes=40)]
    finally:
        repo.close()


# --- a title's first word between a place and its head -------------------------------------------


def test_a_place_before_a_title_with_a_first_word_is_no_tag(tagger: HashtagTagger) -> None:
    """A place before a title that opens with "first": "U.S. first lady" names the title."""
    body = (
        "U.S. first lady Marta Lind opened the Velmora film festival on Friday. Marta Lind said "
        "the festival had shown her films she would never have seen.\nThe festival runs until "
        "Sunday, and Marta Lind will hand out its prize for a first film."
    )
    tags = tagger.tag("Marta Lind opens the Velmora film festival", body)
    assert "MartaLind" in tags and "UnitedStates" not in tags
    named = body.replace("U.S. first lady Marta Lind", "Marta Lind, back from the U.S.,")
    assert "UnitedStates" in tagger.tag("Marta Lind opens the Velmora film festival", named)


# --- a business named after someone ---------------------------------------------------------------


def test_a_name_always_written_before_the_same_possessed_word_is_that_name(tagger: HashtagTagger) -> None:
    """A business named after someone: "Lucy's Kitchen" is #LucysKitchen, not the person #Lucy;
    a name the text also writes alone stays the person's."""
    body = (
        "Lucy's Kitchen, the meal kit company from Velmora, said on Tuesday it had raised $40 "
        "million from investors. Lucy's Kitchen delivers boxes of fresh food to 90,000 homes.\n"
        "The company said Lucy's Kitchen would open two kitchens next year."
    )
    tags = tagger.tag("Lucy's Kitchen raises $40 million", body)
    assert "LucysKitchen" in tags and "Lucy" not in tags and "Kitchen" not in tags
    alone = body + "\nLucy said the money would pay for new vans."
    assert "LucysKitchen" not in tagger.tag("Lucy's Kitchen raises $40 million", alone)
