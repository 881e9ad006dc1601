"""Texts written for the tests: an agency story, its edited copies, an independent report of
the same event and an unrelated one; articles made of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, func, select

from tagwire import config
from tagwire.models import Article
from tagwire.store import Repository
from tagwire.store.schema import hashtags, stories, term_stats
from tagwire.understand.copies import (
    content_hash,
)

WIRE = [
    "A passenger ferry and a cargo ship collided in thick fog off the port of Valdmere early on Tuesday, "
    "injuring 14 people and forcing the evacuation of more than 200 passengers, the Lorvanian coast guard "
    "said.",
    "The ferry Northern Lark, operated by Bayline Ferries, was entering Valdmere Bay shortly after 6 a.m. "
    "when it "
    "struck the stern of the container vessel Kestrel Dawn, which was anchored outside the shipping lane.",
    "Harbour master Marisol Quenby told reporters that visibility had dropped to less than 50 meters within "
    "minutes. "
    '"We had fog warnings out since midnight, and every vessel in the bay was told to reduce speed," she '
    "said.",
    "Rescue boats from Valdmere and the nearby town of Ostrel reached the ferry within twenty minutes and "
    "carried "
    "passengers to the old fish market pier, where ambulances were waiting.",
    "Four of the injured were taken to Valdmere General Hospital with broken bones, and the others were "
    "treated at "
    "the scene for cuts and bruises, according to regional health officials.",
    "The Kestrel Dawn, which was carrying frozen fish and machinery parts bound for the U.S., suffered a "
    "gash above "
    "its waterline but was not taking on water, its owners said in a statement.",
    "Transport Minister Anders Pellow said an inquiry would examine the ferry's speed and whether its radar "
    "was working. "
    "He called the crash a warning for a port whose traffic has doubled in five years.",
    "Bayline Ferries suspended all crossings between Valdmere and the island of Sorn until Thursday and "
    "said it was "
    "cooperating fully with investigators from the maritime safety board.",
    "Fishermen in Valdmere have long complained that cargo ships anchor too close to the ferry lane, and "
    "the town "
    "council debated moving the anchorage farther out to sea as recently as March.",
    "The collision is the worst in the bay since 2011, when a fishing trawler sank after striking a "
    "breakwater and "
    "two crew members died.",
    "Passengers described a loud bang followed by a sudden lurch that threw people and luggage across the "
    "main deck. "
    "Several said crew members handed out life jackets within minutes.",
    "The coast guard said an oil boom had been placed around the cargo ship as a precaution, although no "
    "leak had "
    "been found by Tuesday afternoon.",
]


INDEPENDENT = [
    "Fourteen people were hurt on Tuesday morning when the Northern Lark, a Bayline Ferries vessel, ran "
    "into the "
    "anchored cargo ship Kestrel Dawn in heavy fog at the entrance to Valdmere Bay.",
    "More than 200 passengers were taken off the ferry by rescue crews from Valdmere and Ostrel, who "
    "arrived in about "
    "twenty minutes and brought everyone ashore at the old fish market pier.",
    '"We had fog warnings out since midnight, and every vessel in the bay was told to reduce speed," '
    "harbour master "
    "Marisol Quenby said, adding that the fog had thickened suddenly just before dawn.",
    "Doctors at Valdmere General Hospital were treating four patients for fractures, while ten others with "
    "minor "
    "injuries were released after first aid at the pier, the regional health office said.",
    "The container ship, loaded with frozen fish and machine parts for American buyers, was holed above the "
    "waterline "
    "and remained stable, according to a statement from its owners.",
    "Anders Pellow, the transport minister, promised an inquiry into how fast the ferry had been travelling "
    "and "
    "whether its radar had failed, noting that shipping in the port has doubled since 2020.",
    "Bayline halted its service to Sorn island until Thursday while the maritime safety board investigates.",
    "Local fishermen said they had warned for years that freighters were anchoring dangerously near the "
    "ferry route, "
    "a complaint the town council took up again only this spring without reaching a decision.",
    "It was the most serious accident in the bay since a trawler struck the breakwater in 2011, killing two "
    "of its crew.",
    "Travellers recalled a violent jolt that sent suitcases sliding across the deck and said the crew "
    "distributed life "
    "jackets quickly and kept people calm until the rescue boats came alongside.",
    "As a precaution, the coast guard surrounded the Kestrel Dawn with a floating barrier, although "
    "inspectors had "
    "found no sign of fuel escaping by the afternoon.",
    "Ferry crossings elsewhere on the coast ran normally, and the fog lifted by midday, the weather service "
    "said.",
]


UNRELATED = (
    "The central bank of Lorvania left its main interest rate unchanged at 3.5 percent on Wednesday, saying "
    "that "
    "inflation had eased for a fourth straight month but that wage growth remained too strong to cut "
    "borrowing "
    "costs. Governor Ilse Marrow said the board would look at new data on household spending before its next "
    "meeting in September, and that a stronger currency had helped bring down the price of imported fuel. "
) * 3


def text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def trimmed(paras: list[str]) -> str:
    return text(paras[:-2])


def credited(paras: list[str]) -> str:
    return "VALDMERE, Lorvania (Kyodo) -- " + text(paras) + "\n\n© KYODO"


def all_edits(paras: list[str]) -> str:
    return credited([p.replace(" said", " told reporters").replace("U.S.", "US") for p in paras[:-2]])


T0 = datetime(2025, 6, 3, 6, 0, tzinfo=UTC)


def article(n: int, outlet: str, title: str, body: str, minutes: int) -> Article:
    return Article(
        url=f"https://{outlet.lower().replace(' ', '')}.example/{n}",
        outlet=outlet,
        title=title,
        published=T0 + timedelta(minutes=minutes),
        text=body,
        summary=body[:200],
        content_hash=content_hash(body),
    )


def news() -> list[Article]:
    """A wire story, two outlets' copies of it (one published before the first), an own report
    of the same event, and an unrelated report, in the order ingestion would meet them."""
    ferry = "Ferry and cargo ship collide in fog off Valdmere, 14 hurt"
    return [
        article(1, "Valdmere Post", ferry, text(WIRE), 0),
        article(2, "Coast Herald", "14 hurt as ferry hits cargo ship", all_edits(WIRE), 30),
        article(3, "Lorvania Today", "Northern Lark hits Kestrel Dawn", text(INDEPENDENT), 45),
        article(4, "Money Daily", "Lorvania central bank holds rates at 3.5 percent", UNRELATED, 50),
        article(5, "Early Wire", ferry, trimmed(WIRE), -20),
    ]


def decision(a: Article, arts: list[Article]) -> tuple[object, ...]:
    """What was decided, with ids as positions in `arts` (stores number rows differently)."""
    pos = {x.id: i for i, x in enumerate(arts)}
    m = a.match
    return (pos.get(a.copy_of), m and m.kind, m and round(m.score, 6), m and pos.get(m.of), a.status)


def counts(conn: Connection) -> tuple[list[tuple[int, datetime, datetime]], list[tuple[str, int]], int]:
    """Story sizes and spans, term counts, hashtags: what a batch writes or flushes at its end."""
    run = conn.execute
    spans = sorted(
        (r.article_count, r.first_published, r.last_published)
        for r in run(select(stories.c.article_count, stories.c.first_published, stories.c.last_published))
    )
    terms = sorted((r.term, r.df) for r in run(select(term_stats)))
    return spans, terms, int(run(select(func.count()).select_from(hashtags)).scalar() or 0)


def decided_in_batches(repo: Repository, arts: list[Article], batch: int) -> list[tuple[object, ...]]:
    """Store `arts`, understand them `batch` at a time in one engine, and read back each one's
    `decision`."""
    from tagwire.understand.engine import Understander  # the engine loads the language model

    repo.add_articles(arts, fetched_at=T0)
    engine = Understander(repo, config.load({}))
    for i in range(0, len(arts), batch):
        engine.understand(arts[i : i + batch])
    back = repo.articles_by_id(a.id or 0 for a in arts)
    return [decision(back[a.id or 0], arts) for a in arts]
