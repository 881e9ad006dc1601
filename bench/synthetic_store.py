#!/usr/bin/env python3
"""A synthetic tagwire store for bench/serve.py: N articles shaped like a real store's, written in
bulk through the store layer and cached under the temporary folder (see bench/serve.py).

    python bench/synthetic_store.py [--articles 100000] [--seed 1] [--backend sqlite|postgresql]
                                    (prints the store's path or URL)
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
from sqlalchemy import Connection, bindparam, create_engine, insert, text, update

from tagwire.models import Article
from tagwire.store import open_store
from tagwire.store.batch import Batch
from tagwire.store.db import engine_url
from tagwire.store.schema import articles, hashtags, stories

NOW = datetime(2025, 9, 18, 12, 0, tzinfo=UTC)  # the newest article is just before it
GENERATOR = 4  # bump when the generated data changes, so cached stores are rebuilt

# vocabulary -----------------------------------------------------------------------------------


def split(text: str) -> list[str]:
    """The words of a block of text (the vocabulary is written as prose-like blocks)."""
    return text.split()


FUNCTION_WORDS = split(
    """
the of to and a in that for on is said was with by at as from it be has have will are an its
which after were but their this had not who they been more would about over new two into than
also up one year people last could first out other when some what there three all against before
under while since most only next where between told
"""
)
CONTENT_WORDS = split(
    """
government minister president police city council court police report week officials state
country party election vote plan market prices bank rate company workers union strike port ship
harbour trade deal talks agreement security defence cyber attack hospital health school students
teachers budget tax money million billion percent energy power grid water fire wildfire flood
storm rain weather coast river bridge road rail train airport flights border army troops war
peace ceasefire region province capital mayor parliament law bill opposition coalition leader
prime spokesman statement news media press investigation inquiry judge trial charges prison
sentence crime arrest fraud scandal minister's economy growth inflation jobs unemployment wages
housing rent homes families children women men residents community village town farmers crops
fish timber exports imports tariffs customs factory plant production cars technology data
internet hackers ransomware software phones network satellite space research scientists study
climate emissions carbon coal gas oil solar wind nuclear reactor waste forest wildlife park
museum festival music film team match league season coach players stadium fans cup final record
victory defeat goal church religious protest march crowd demonstrators rally refugees migrants
asylum aid donors charity volunteers rescue emergency evacuation shelter earthquake quake damage
repairs insurance losses profits shares investors stocks bonds debt loan interest central
monetary policy board committee chief executive director officer staff contract tender project
construction infrastructure transport ferry bus metro tram cycling pollution smoke schools
closed opened announced signed approved rejected warned called urged agreed denied confirmed
expected reported raised cut increased fell rose doubled halved launched ended began continued
resumed suspended delayed cancelled postponed
"""
)
SECTIONS = ["Politics", "Business", "World", "Local", "Environment", "Technology", "Sport", "Culture"]
TOPICS = split(
    """
Economy Elections Inflation ClimateChange Cybersecurity Wildfires Health Education Housing
Energy Immigration Trade Defence Transport Agriculture Tourism Crime Courts Football Weather
Floods Technology Banking Taxes Strikes Diplomacy Science Space Culture Music
"""
)
SYLLABLES = split(
    """
al dor ia ven mar kes tel bay nor ves ta lu ci fer rand por sen net cor ra lin mark val mo har
bel ha ven ash by cro ss ro sa cal der qu ell ma ren coy le an sel pie ter jo nas wel ler lot te
ver meu tom as bren ed da vos gul wick ste fan ka ri na ol ga mi ro sla vi dan te nu vo ri en sa
bri el tho ra
"""
)
WIRES = ["Meridian Wire", "Northwind Wire", "Coastal Press Agency"]
OUTLET_PLACES = split(
    """
Harbor Kestrel Lakeside Coastline Northfield Valmora Lindmark Bellhaven Ashby Carrow Sennet
Amber Riverside Hilltop Prairie Granite Willow Maple Cedar Iron Silver Copper Stone Oak Pine Elm
Birch Fox Raven Falcon Heron Otter Badger
"""
)
OUTLET_KINDS = split(
    """
Ledger Times Herald Courier Gazette Observer Post Tribune Daily Chronicle Journal Star Record
Monitor Express
"""
)


def zipf(n: int, s: float = 1.0, q: float = 2.7) -> np.ndarray:
    """Zipf-Mandelbrot cumulative probabilities of ranks 1..n: p(k) ~ 1 / (k + q)^s."""
    weights = 1.0 / (np.arange(1, n + 1) + q) ** s
    return np.cumsum(weights / weights.sum())


VOCABULARY = 30_000  # ranks: function words first, real content words spread over 100..5000


def vocabulary(rng: np.random.Generator) -> np.ndarray:
    """Word by frequency rank, as in news text: function words on top, then the content words at
    log-spaced ranks from 300 to 8000 (so "government" is in about one article in twelve and "postponed"
    in about one in a hundred), invented words for the long tail in between and after."""
    filler = iter(_invented(rng, VOCABULARY, 1, 1, lower=True))
    ranks = np.geomspace(300, 8000, len(CONTENT_WORDS)).astype(int)
    at = dict(zip(ranks.tolist(), CONTENT_WORDS, strict=True))
    words = list(FUNCTION_WORDS)
    while len(words) < VOCABULARY:
        words.append(at.pop(len(words), None) or next(filler))
    return np.array(words, dtype=object)


# the synthetic world --------------------------------------------------------------------------


@dataclass
class World:
    """Names and cumulative distributions a store is drawn from, all from one seed."""

    rng: np.random.Generator
    vocab: np.ndarray
    words_cdf: np.ndarray
    tags: list[str]
    tags_cdf: np.ndarray
    outlets: list[str]
    outlets_cdf: np.ndarray

    @classmethod
    def make(cls, seed: int, n_tags: int = 20_000) -> World:
        rng = np.random.default_rng(seed)
        outlets = sorted({f"{p} {k}" for p in OUTLET_PLACES for k in OUTLET_KINDS})
        outlets = [outlets[i] for i in rng.permutation(len(outlets))[:150]]
        tags = TOPICS + _invented(rng, n_tags - len(TOPICS), 1, 2)
        vocab = vocabulary(rng)
        return cls(rng, vocab, zipf(len(vocab)), tags, zipf(n_tags, 1.0, 10), outlets, zipf(150, 1.0, 5))

    def draw(self, cdf: np.ndarray, n: int) -> np.ndarray:
        return np.minimum(np.searchsorted(cdf, self.rng.random(n)), len(cdf) - 1)

    def words(self, n: int) -> list[str]:
        return list(self.vocab[self.draw(self.words_cdf, n)])

    def distinct(self, cdf: np.ndarray, k: int) -> list[int]:
        """k distinct ranks drawn by the distribution (redrawn until distinct)."""
        found: dict[int, None] = {}
        while len(found) < k:
            found.update(dict.fromkeys(self.draw(cdf, k - len(found)).tolist()))
        return list(found)

    def story_tags(self) -> list[str]:
        return [self.tags[i] for i in self.distinct(self.tags_cdf, int(self.rng.integers(2, 7)))]


def _invented(rng: np.random.Generator, n: int, low: int, high: int, *, lower: bool = False) -> list[str]:
    """n distinct invented words (lower) or CamelCase names of `low` to `high` parts, each part
    two or three syllables."""
    found: dict[str, None] = {}
    syllables = np.array(SYLLABLES, dtype=object)
    while len(found) < n:
        picks, sizes = rng.integers(0, len(syllables), size=(n, 3)), rng.integers(2, 4, size=n)
        parts = ["".join(syllables[row[:size]]).capitalize() for row, size in zip(picks, sizes, strict=True)]
        counts = rng.integers(low, high + 1, size=n)
        names, i = [], 0
        for c in counts.tolist():
            names.append("".join(parts[i : i + c]))
            i += c
        found.update(dict.fromkeys(w.lower() if lower else w for w in names if w))
    return list(found)[:n]


def spaced(tag: str) -> str:
    """#AldorVenmar as the text would write it: Aldor Venmar."""
    return "".join(" " + c if c.isupper() and i else c for i, c in enumerate(tag))


def body(world: World, names: list[str]) -> str:
    """100-300 words in sentences of 8-22 words, the story's names among them."""
    words = world.words(int(world.rng.integers(100, 301)))
    for name in names:
        words[int(world.rng.integers(0, len(words)))] = spaced(name)
    sentences, i = [], 0
    while i < len(words):
        n = int(world.rng.integers(8, 23))
        chunk = words[i : i + n]
        sentences.append(chunk[0][:1].upper() + chunk[0][1:] + " " + " ".join(chunk[1:]) + ".")
        i += n
    return " ".join(sentences)


def headline(world: World, names: list[str]) -> str:
    size = int(world.rng.integers(5, 10))
    picked = [CONTENT_WORDS[int(i)] for i in world.rng.integers(0, len(CONTENT_WORDS), size=size)]
    picked.insert(int(world.rng.integers(0, len(picked))), spaced(names[0]))
    return picked[0][:1].upper() + picked[0][1:] + " " + " ".join(picked[1:])


@dataclass
class Planned:
    """One article of a story, before it is stored, and what understanding would have said."""

    article: Article
    copy_of: int | None  # index in the story's list
    tags: list[str]


def plan_story(world: World, n: int, start: datetime, serial: int) -> list[Planned]:
    """A story of `n` articles from distinct outlets, the first an original, others own reports
    or (one in four) wire copies of the first."""
    tags = world.story_tags()
    names = [t for t in tags if t not in TOPICS] or tags
    outlets = world.distinct(world.outlets_cdf, n)
    section = SECTIONS[int(world.rng.integers(0, len(SECTIONS)))]
    out: list[Planned] = []
    when = start
    for i, o in enumerate(outlets):
        copy = i > 0 and world.rng.random() < 0.25
        text = out[0].article.text if copy else body(world, names)
        title = headline(world, names)
        outlet = world.outlets[int(o)]
        url = f"https://{outlet.lower().replace(' ', '')}.example/{section.lower()}/{serial}-{i}"
        a = Article(
            url=url,
            outlet=outlet,
            title=title,
            published=when,
            summary=text.split(". ")[0] + ".",
            text=text,
            section=section,
            content_hash=f"{serial:08x}{0 if copy else i:02x}",
        )
        if copy:
            a.wire_origin = WIRES[serial % len(WIRES)]
        out.append(Planned(a, 0 if copy else None, tags if i == 0 else _some(world, tags)))
        when += timedelta(minutes=float(world.rng.exponential(180)))
    return out


def _some(world: World, tags: list[str]) -> list[str]:
    """An own report's hashtags: the story's, maybe one fewer, in its own order."""
    keep = [tags[i] for i in world.rng.permutation(len(tags))]
    return keep[:-1] if len(keep) > 2 and world.rng.random() < 0.3 else keep


# building the store ---------------------------------------------------------------------------

SIZES = [1, 2, 3, 4, 5]
SIZES_P = [0.42, 0.26, 0.15, 0.1, 0.07]


def plan(world: World, total: int) -> list[list[Planned]]:
    """Stories until `total` articles, their starts spread over the year before NOW."""
    out, count, serial = [], 0, 0
    while count < total:
        n = min(int(world.rng.choice(SIZES, p=SIZES_P)), total - count)
        start = (
            NOW - timedelta(days=365) + timedelta(seconds=float(world.rng.uniform(0, 365 * 86400 - 6 * 3600)))
        )
        out.append(plan_story(world, n, start, serial))
        count, serial = count + n, serial + 1
    out.sort(key=lambda s: s[0].article.published)  # stored in the order they would have arrived
    return out


def store_chunk(conn: Connection, chunk: list[list[Planned]], first_story: int) -> None:
    """Articles through Batch (as ingest stores them), then what understanding would record."""
    flat = [p for s in chunk for p in s]
    Batch(conn, [p.article for p in flat]).store(NOW)
    heads, updates, tags = [], [], []
    for k, story in enumerate(chunk):
        sid, arts = first_story + k, [p.article for p in story]
        heads.append(
            dict(
                id=sid,
                headline=arts[0].title,
                first_published=arts[0].published,
                last_published=arts[-1].published,
                article_count=len(arts),
            )
        )
        for i, p in enumerate(story):
            updates.append(_understood(p, sid, arts[0].id if i else None))
            tags += [
                {"article_id": p.article.id, "tag": t, "rank": r, "published": p.article.published}
                for r, t in enumerate(p.tags)
            ]
    conn.execute(insert(stories), heads)
    conn.execute(
        update(articles)
        .where(articles.c.id == bindparam("aid"))
        .values(
            status="done",
            story_id=bindparam("sid"),
            copy_of=bindparam("cof"),
            match_kind=bindparam("kind"),
            match_score=bindparam("score"),
            match_of=bindparam("mof"),
            wire_origin=bindparam("wire"),
            language="en",
            features="{}",
        ),
        updates,
    )
    conn.execute(insert(hashtags), tags)


def _understood(p: Planned, story_id: int, first: int | None) -> dict[str, object]:
    kind = "new" if first is None else ("copy" if p.copy_of is not None else "story")
    score = None if first is None else (0.97 if kind == "copy" else 0.55)
    copy_of = first if kind == "copy" else None
    return dict(
        aid=p.article.id,
        sid=story_id,
        cof=copy_of,
        kind=kind,
        score=score,
        mof=first,
        wire=p.article.wire_origin,
    )


def build(database: str, total: int, seed: int) -> None:
    """Write the synthetic store to `database` (a fresh file or PostgreSQL database), printing progress."""
    started = time.perf_counter()
    world = World.make(seed)
    planned = plan(world, total)
    print(f"planned {len(planned)} stories in {time.perf_counter() - started:.1f} s", flush=True)
    repo = open_store(database)
    sid = 1
    for i in range(0, len(planned), 2000):
        chunk = planned[i : i + 2000]
        with repo.engine.begin() as conn:
            store_chunk(conn, chunk, sid)
        sid += len(chunk)
        print(f"  {sum(len(s) for s in planned[: i + 2000])} articles stored", file=sys.stderr, flush=True)
    if repo.dialect == "postgresql":  # the ids were given, not drawn: move the sequence past them
        with repo.engine.begin() as conn:
            conn.execute(text("SELECT setval('stories_id_seq', (SELECT max(id) FROM stories))"))
    repo.close()  # no ANALYZE on SQLite: tagwire never runs it, so the planner sees what a user's store shows
    print(f"built {database} in {time.perf_counter() - started:.0f} s", flush=True)


FOLDER = Path(tempfile.gettempdir()) / "tagwire-bench-serve"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"


def cached_store(total: int, seed: int, rebuild: bool, backend: str = "sqlite", pg: str = PG_SERVER) -> str:
    """The store's database (a SQLite path or a PostgreSQL URL), built unless cached, brought to
    the schema's head (a cached store built before a migration gets it, as `tagwire migrate` would)."""
    FOLDER.mkdir(exist_ok=True)
    name = f"articles{total}-seed{seed}-gen{GENERATOR}"
    database = str(FOLDER / f"{name}.db") if backend == "sqlite" else _pg_database(pg, name)
    marker = FOLDER / f"{name}.{backend}.built"
    if rebuild or not marker.exists():
        marker.unlink(missing_ok=True)
        _fresh(database)
        if backend == "sqlite":
            build(database, total, seed)
        else:  # the same data, copied from the SQLite store: bulk COPY is ~10x faster than inserts
            copy_store(cached_store(total, seed, rebuild), database)
        marker.write_text(database + "\n")
    open_store(database, upgrade=True).close()
    return database


RANGED = {"stories": "id", "articles": "id", "article_urls": "article_id", "hashtags": "article_id"}
OTHERS = ("sources", "tag_forms")


def copy_store(sqlite_path: str, database: str, *, follow: Path | None = None) -> None:
    """Copy a built SQLite store into a fresh PostgreSQL database: schema by the migrations, rows
    by COPY with the secondary indexes dropped meanwhile and rebuilt after (as a restore would),
    then ANALYZE (PostgreSQL's autovacuum would soon do the same on a user's store). With
    `follow`, the SQLite store is still being built: rows are copied in rounds as its
    transactions commit, until the file `follow` (the build's marker) exists."""
    started = time.perf_counter()
    if follow is None:
        open_store(sqlite_path).close()  # at the schema's head, as the PostgreSQL one will be
    open_store(database).close()
    source = sqlite3.connect(sqlite_path)
    with psycopg.connect(database, autocommit=True) as pg:
        indexes = pg.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
            " AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            ([*RANGED, *OTHERS],),
        ).fetchall()
        pg.execute("SET maintenance_work_mem = '1GB'")  # this session's index builds only
        for name, _ in indexes:
            pg.execute(f'DROP INDEX "{name}"')
        done = {"stories": 0, "articles": 0}
        while True:
            finished = follow is None or follow.exists()
            copied = _copy_round(source, pg, done)
            print(
                f"  copied {copied} rows ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True
            )
            if finished:
                break
            if not copied:
                time.sleep(5)
        for table in OTHERS:
            _copy_rows(source, pg, table, "")
        for name, definition in indexes:
            pg.execute(definition)
            print(f"  indexed {name} ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
        for seq_table in ("stories", "articles", "sources", "tag_forms"):
            pg.execute(f"SELECT setval('{seq_table}_id_seq', coalesce((SELECT max(id) FROM {seq_table}), 1))")
        pg.execute("VACUUM ANALYZE")
    source.close()
    print(f"copied into {database} in {time.perf_counter() - started:.0f} s", flush=True)


def _copy_round(source: sqlite3.Connection, pg: psycopg.Connection[Any], done: dict[str, int]) -> int:
    """Copy the rows committed since the last round (one read transaction: a consistent cut)."""
    source.execute("BEGIN")
    try:
        top = {t: source.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0] for t in done}
        count = 0
        for table, key in RANGED.items():
            parent = "stories" if table == "stories" else "articles"
            where = f"WHERE {key} > {done[parent]} AND {key} <= {top[parent]}"
            count += _copy_rows(source, pg, table, where)
    finally:
        source.execute("COMMIT")
    done.update(top)
    return count


def _copy_rows(source: sqlite3.Connection, pg: psycopg.Connection[Any], table: str, where: str) -> int:
    pg_columns = {
        r[0]
        for r in pg.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = %s AND is_generated = 'NEVER'",
            (table,),
        )
    }
    columns = [r[1] for r in source.execute(f"PRAGMA table_info({table})") if r[1] in pg_columns]
    names, count = ", ".join(columns), 0
    rows = source.execute(f"SELECT {names} FROM {table} {where} ORDER BY rowid")
    with pg.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _pg_database(server: str, name: str) -> str:
    return f"{server}/pages_bench_{name.replace('-', '_')}"


def _fresh(database: str) -> None:
    """Remove what a previous (maybe interrupted) build left: the file, or the database."""
    if "://" not in database:
        for leftover in FOLDER.glob(Path(database).name + "*"):
            leftover.unlink()
        return
    server, name = database.rsplit("/", 1)
    admin = create_engine(engine_url(server + "/postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description="Build (or find cached) the synthetic store.")
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--pg", default=PG_SERVER, help="PostgreSQL server URL (a database is made on it)")
    args = ap.parse_args()
    print(cached_store(args.articles, args.seed, args.rebuild, args.backend, args.pg))


if __name__ == "__main__":
    main()
