"""The store on a real database: SQLite always, PostgreSQL when TAGWIRE_TEST_POSTGRES is set."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from tagwire.errors import ConfigError, SchemaOutOfDate, StoreError
from tagwire.models import Article, Match
from tagwire.store import Repository, open_store
from tagwire.store.db import MIGRATIONS, make_engine, migrations_head, schema_revision
from tests.conftest import BACKENDS
from tests.helpers import downgrade, record_error, record_success, save_understanding

T0 = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)


def art(
    url: str, outlet: str = "Harbor Ledger", *, text_: str = "body", minutes: int = 0, title: str = "A title"
) -> Article:
    return Article(
        url=url,
        outlet=outlet,
        title=title,
        published=T0 + timedelta(minutes=minutes),
        text=text_,
        summary=text_[:50],
        content_hash=hashlib.sha1(text_.encode()).hexdigest(),
    )


def understood(
    repo: Repository, a: Article, tags: list[str], story: int | None = None, **kw: object
) -> Article:
    a.hashtags, a.story_id = tags, story
    for k, v in kw.items():
        setattr(a, k, v)
    save_understanding(
        repo, a, bands=[11, 22] if a.copy_of is None else [22], signature=b"sig", features="{}", terms=tags
    )
    return a


both = pytest.mark.parametrize("database", BACKENDS, indirect=True)


@both
def test_sources_added_once_and_errors_recorded(repo: Repository) -> None:
    s, created = repo.add_source("https://harbor.example/feed.xml", title="Harbor", now=T0)
    again, created_again = repo.add_source("https://harbor.example/feed.xml", now=T0)
    assert created and not created_again and again.id == s.id
    record_error(
        repo,
        s,
        "HTTP 500 from the server",
        status=500,
        checked=T0,
        next_check=T0 + timedelta(hours=1),
        hold_until=T0 + timedelta(minutes=2),
    )
    [stored] = repo.sources()
    assert (stored.error_count, stored.last_error, stored.last_status) == (1, "HTTP 500 from the server", 500)
    assert repo.fetchable_sources(T0, due_only=False) == []
    assert [x.id for x in repo.fetchable_sources(T0 + timedelta(minutes=3), due_only=False)] == [s.id]
    assert repo.fetchable_sources(T0 + timedelta(minutes=3), due_only=True) == []
    stored.title = "Harbor Ledger"
    record_success(repo, stored, checked=T0, next_check=T0, problem=None)
    assert repo.sources()[0].error_count == 0 and repo.sources()[0].title == "Harbor Ledger"


@both
def test_times_come_back_aware_utc(repo: Repository) -> None:
    a = art("https://harbor.example/a")
    a.published = datetime(2025, 3, 4, 18, 0, tzinfo=UTC).astimezone(
        __import__("zoneinfo").ZoneInfo("Asia/Tokyo")
    )
    repo.add_articles([a], fetched_at=T0)
    [back] = repo.pending()
    assert back.published == datetime(2025, 3, 4, 18, 0, tzinfo=UTC) and back.published.tzinfo is UTC


@both
def test_relistings_collapse_by_url_and_by_same_text_of_one_outlet(repo: Repository) -> None:
    words = "the harbour board voted on tuesday to extend the night ferry service through the winter"
    a = art("https://harbor.example/a", text_=words)
    a.listed_url = "https://harbor.example/a?utm_source=rss"
    b = art("https://harbor.example/a-again", text_=words)
    c = art("https://harbor.example/a")
    d = art("https://other.example/a", outlet="Other Outlet", text_=words)
    short1, short2 = (
        art("https://harbor.example/p1", text_="Photo"),
        art("https://harbor.example/p2", text_="Photo"),
    )
    results = repo.add_articles([a, b, c, d, short1, short2], fetched_at=T0)
    assert [created for _, created in results] == [True, False, False, True, True, True]
    assert results[0][0] == results[1][0] == results[2][0] != results[3][0]
    assert repo.known_urls(
        ["https://harbor.example/a?utm_source=rss", "https://harbor.example/a-again", "https://x.example/"]
    ) == {
        "https://harbor.example/a?utm_source=rss",
        "https://harbor.example/a-again",
    }
    e = art("https://harbor.example/a-third", text_=words)  # a later batch: collapses into the stored one
    assert repo.add_articles([e], fetched_at=T0) == [(results[0][0], False)] and e.id == results[0][0]


@both
def test_pending_oldest_first_and_understanding_saved_atomically(repo: Repository) -> None:
    late, early = (
        art("https://h.example/late", minutes=30, text_="late"),
        art("https://h.example/early", text_="early"),
    )
    repo.add_articles([late, early], fetched_at=T0)
    assert [a.url for a in repo.pending()] == ["https://h.example/early", "https://h.example/late"]
    first = understood(repo, early, ["PortStrike", "Harbor"])
    assert first.story_id is not None
    understood(
        repo,
        late,
        ["PortStrike"],
        story=first.story_id,
        copy_of=first.id,
        match=Match("copy", 0.93, first.id),
    )
    assert repo.count_pending() == 0
    [story] = repo.stories([first.story_id])
    assert [a.url for a in story.articles] == ["https://h.example/late", "https://h.example/early"]
    assert story.articles[0].copy_of == first.id and story.articles[0].match == Match("copy", 0.93, first.id)
    assert (
        story.hashtags[0] == "PortStrike"
        and story.first_published == T0
        and story.last_published == T0 + timedelta(minutes=30)
    )


@both
def test_tag_pages_newest_story_first(repo: Repository) -> None:
    old, new, other = (
        art("https://h.example/1", text_="1"),
        art("https://h.example/2", minutes=90, text_="2"),
        art("https://h.example/3", minutes=60, text_="3"),
    )
    repo.add_articles([old, new, other], fetched_at=T0)
    s_old = understood(repo, old, ["Wildfire"]).story_id
    s_new = understood(repo, new, ["Wildfire", "Drought"]).story_id
    understood(repo, other, ["Elections"])
    assert repo.story_ids_for_tag("Wildfire", limit=10) == [s_new, s_old]
    assert repo.story_ids_for_tag("Wildfire", limit=1, offset=1) == [s_old]
    assert repo.top_tags(limit=1) == [("Wildfire", 2)]
    assert repo.stats() == {
        "sources": 0,
        "articles": 3,
        "stories": 3,
        "hashtags": 3,
        "pending": 0,
        "quarantined": 0,
    }


@both
def test_candidates_for_copies_and_stories(repo: Repository) -> None:
    a, b, c = (
        art("https://h.example/a", text_="a"),
        art("https://h.example/b", text_="b", minutes=5),
        art("https://h.example/c", text_="c", minutes=10),
    )
    repo.add_articles([a, b, c], fetched_at=T0)
    understood(repo, a, ["PortStrike"])
    understood(repo, b, ["PortStrike", "Harbor"], story=a.story_id)
    assert c.id is not None and a.id is not None and b.id is not None
    with repo.understanding() as tx:
        assert [x.id for x in tx.band_articles([22], exclude=c.id)] == [a.id, b.id]
        assert [x.id for x in tx.band_articles([11, 22, 33], exclude=c.id, limit=1)] == [a.id]  # most shared
        found = tx.story_candidates(["Harbor"], T0 - timedelta(hours=1), T0 + timedelta(hours=1))
        assert found == [(b.id, a.story_id, "{}")]
        assert tx.story_candidates(["Harbor"], T0 + timedelta(hours=2), T0 + timedelta(hours=3)) == []
        n, df = tx.document_frequencies(["PortStrike", "Harbor", "Nope"])
        assert (n, df) == (2, {"PortStrike": 2, "Harbor": 1})


@both
def test_late_original_takes_over_copies(repo: Repository) -> None:
    a, b, c = (art(f"https://h{i}.example/x", outlet=f"O{i}", text_=f"t{i}") for i in range(3))
    repo.add_articles([a, b, c], fetched_at=T0)
    understood(repo, a, ["X"])
    understood(repo, b, ["X"], story=a.story_id, copy_of=a.id)
    understood(repo, c, ["X"], story=a.story_id)
    assert a.id and c.id and a.story_id
    with repo.understanding() as tx:
        tx.repoint_copies(a.id, c.id)
    got = repo.articles_by_id([a.id, b.id or 0])
    assert got[a.id].copy_of == c.id and got[b.id or 0].copy_of == c.id


@both
def test_reopening_checks_schema(database: str) -> None:
    open_store(database).close()
    engine = make_engine(database)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000_older'"))
    engine.dispose()
    with pytest.raises(SchemaOutOfDate, match="tagwire migrate"):
        open_store(database)
    with pytest.raises(StoreError):  # the old revision is unknown to alembic: a clear store error
        open_store(database, upgrade=True)


def test_a_new_database_is_at_the_newest_migration(database: str) -> None:
    repo = open_store(database)
    try:
        assert schema_revision(repo.engine) == migrations_head()
        assert migrations_head().startswith(f"{len(list((MIGRATIONS / 'versions').glob('0*.py'))):04d}_")
    finally:
        repo.close()


def test_the_head_read_from_file_names_is_alembics() -> None:
    """Opening the store takes the head from the migrations' file names (no Alembic): each
    revision must be its file's name, each file follow the one before it, and Alembic agree."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(cfg)
    files = sorted(p.stem for p in (MIGRATIONS / "versions").glob("0*.py"))
    for before, name in zip([None, *files], files, strict=False):
        script = scripts.get_revision(name)
        assert script is not None and script.revision == name and script.down_revision == before
    assert scripts.get_current_head() == migrations_head() == files[-1]


def test_clear_errors_for_bad_databases(database: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="postgresql://"):
        open_store("mysql://localhost/x")
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if not __import__("os").access(locked, __import__("os").W_OK):
            with pytest.raises(StoreError, match="cannot write"):
                open_store(str(locked / "x.db"))
    finally:
        locked.chmod(0o700)
    with pytest.raises(StoreError, match="cannot open the database"):
        open_store("postgresql://nobody@127.0.0.1:1/none")


@both
def test_an_older_schema_is_refused_then_migrated(database: str) -> None:
    """A database taken back to 0001 (every migration's downgrade run) is refused with a clear
    message and brought up to date by `migrate` (open_store(upgrade=True)), data kept."""
    repo = open_store(database)
    repo.add_source("https://harbor.example/feed.xml", now=T0)
    repo.close()
    downgrade(database, "0001_initial")
    with pytest.raises(SchemaOutOfDate, match="0001_initial"):
        open_store(database)
    upgraded = open_store(database, upgrade=True)
    assert [s.url for s in upgraded.sources()] == ["https://harbor.example/feed.xml"]
    upgraded.close()


@both
def test_next_check_is_the_earliest(repo: Repository) -> None:
    assert repo.next_check() is None
    a, _ = repo.add_source("https://a.example/feed", now=T0)
    b, _ = repo.add_source("https://b.example/feed", now=T0)
    record_success(repo, a, checked=T0, next_check=T0 + timedelta(hours=2), problem=None)
    record_success(repo, b, checked=T0, next_check=T0 + timedelta(minutes=30), problem=None)
    assert repo.next_check() == T0 + timedelta(minutes=30)


def _indexed(repo: Repository, word: str) -> list[int]:
    with repo.engine.connect() as conn:
        rows = conn.execute(text("SELECT rowid FROM article_fts WHERE article_fts MATCH :w"), {"w": word})
        return sorted(r[0] for r in rows)


def test_the_search_index_holds_understood_articles_only(repo: Repository) -> None:
    """SQLite: a pending article is not indexed (search shows stories only); understanding indexes
    it, and a text that repeats its summary is indexed once (the summary) yet still found."""
    short = art("https://harbor.example/a", text_="lighthouse keepers strike")  # text == summary
    long = art("https://harbor.example/b", text_="ferry timetable " * 40 + "ends with a zeppelin")
    repo.add_articles([short, long], fetched_at=T0)
    assert _indexed(repo, "lighthouse") == [] and _indexed(repo, "ferry") == []
    understood(repo, short, ["Harbor"], story=None)
    understood(repo, long, ["Harbor"], story=None)
    assert _indexed(repo, "lighthouse") == [short.id]
    assert _indexed(repo, "zeppelin") == [long.id]  # beyond the summary: the text is indexed
    with repo.engine.begin() as conn:
        conn.execute(text("DELETE FROM articles WHERE id = :i"), {"i": short.id})
        conn.execute(text("UPDATE articles SET title = 'Ferry news' WHERE id = :i"), {"i": long.id})
    assert _indexed(repo, "lighthouse") == [] and _indexed(repo, "news") == [long.id]
    assert _indexed(repo, "title") == []  # the old title's words left the index with it


@both
def test_native_forms_are_kept_with_the_decision_once_per_tag_and_form(repo: Repository) -> None:
    """A tag's native forms are written in the transaction of the article's decision (a decision
    rolled back leaves none), once per tag and form (the first language stays), never for an
    article without a language, and read back in the order language, form."""
    ja, zh, de, bare = (art(f"https://harbor.example/{n}", text_=n * 13) for n in ("ja", "zh", "de", "bare"))
    repo.add_articles([ja, zh, de, bare], fetched_at=T0)
    ja.language, zh.language, de.language = "ja", "zh", "de"
    with pytest.raises(RuntimeError), repo.understanding() as tx:
        ja.hashtags = ["ShigeruIshiba"]
        tx.save(ja, bands=[], signature=b"s", features="{}", terms=[], native={"ShigeruIshiba": "石破茂"})
        raise RuntimeError("the batch fails after the save")
    assert repo.native_forms("ShigeruIshiba") == []
    ja.story_id = None  # its new story went with the rollback
    with repo.understanding() as tx:
        tx.save(ja, bands=[], signature=b"s", features="{}", terms=[], native={"ShigeruIshiba": "石破茂"})
        zh.hashtags = ["ShigeruIshiba", "Japan"]
        tx.save(zh, bands=[], signature=b"s", features="{}", terms=[], native={"ShigeruIshiba": "石破茂"})
        de.hashtags = ["Japan"]
        tx.save(de, bands=[], signature=b"s", features="{}", terms=[], native={"Japan": "Japans" + "x" * 200})
        bare.hashtags = ["Japan"]
        tx.save(bare, bands=[], signature=b"s", features="{}", terms=[], native={"Japan": "Nippon"})
    en = art("https://harbor.example/en", text_="en " * 13)
    repo.add_articles([en], fetched_at=T0)
    understood(repo, en, ["ShigeruIshiba", "Japan"], language="en")
    assert repo.native_forms("ShigeruIshiba") == [("石破茂", "ja")]  # zh wrote it too: kept once, as ja
    assert repo.native_forms("Japan") == []  # too long for the column; no language: none
    assert repo.native_forms("shigeruishiba") == []  # the stored spelling only


@both
def test_migration_0008_adds_and_drops_the_native_forms(database: str) -> None:
    """Down to 0007 the tag_forms table is gone (the rest kept); `migrate` brings it back, with
    its one row per tag and form."""
    open_store(database).close()
    downgrade(database, "0007_source_page_error")
    engine = make_engine(database)
    assert "tag_forms" not in inspect(engine).get_table_names()
    assert "hashtags" in inspect(engine).get_table_names()
    engine.dispose()
    repo = open_store(database, upgrade=True)
    try:
        assert schema_revision(repo.engine) == migrations_head()
        row = {"tag": "PeteHegseth", "form": "ヘグセス", "language": "ja"}
        with repo.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO tag_forms (tag, form, language) VALUES (:tag, :form, :language)"), row
            )
        with pytest.raises(IntegrityError), repo.engine.begin() as conn:
            conn.execute(text("INSERT INTO tag_forms (tag, form, language) VALUES (:tag, :form, 'zh')"), row)
        assert repo.native_forms("PeteHegseth") == [("ヘグセス", "ja")]
    finally:
        repo.close()


@both
def test_plain_executemany_stores_what_sqlalchemy_would(repo: Repository) -> None:
    """Articles go in through the driver's executemany (store/batch.insert_rows): every value as
    SQLAlchemy's own INSERT writes it, times in another zone, whole seconds and missing fields
    included, as the raw rows show."""
    from zoneinfo import ZoneInfo

    from sqlalchemy import insert

    from tagwire.store.batch import article_values, insert_rows
    from tagwire.store.schema import articles

    fetched = datetime(2025, 3, 4, 9, 30, 0, 120, tzinfo=ZoneInfo("Asia/Tokyo"))
    made = [art("https://harbor.example/a"), art("https://harbor.example/b", text_="two words")]
    made[1].published, made[1].section, made[1].guid = T0.replace(second=7), "Port", "g-2"
    rows = [article_values(a, fetched) for a in made]
    with repo.engine.begin() as conn:
        insert_rows(conn, articles, rows)
        conn.execute(insert(articles), [{**r, "url": r["url"] + "?own"} for r in rows])
        stored = conn.exec_driver_sql("SELECT * FROM articles ORDER BY id").all()
    ours, theirs = stored[:2], stored[2:]
    assert [r.url for r in theirs] == [r.url + "?own" for r in ours]
    same = [(r.source_id, *r[3:]) for r in stored]  # all but the id and the URL
    assert same[:2] == same[2:] and same[0] != same[1]
    assert {type(r.published) for r in stored} == {type(theirs[0].published)}
