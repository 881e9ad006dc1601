"""Bounded work per item: caps on what an outlet can make tagwire hold (ingest/limits.py), and a
time budget per article with a quarantine (understand/prepare.py, engine.py), through the CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from tagwire.ingest.limits import ELLIPSIS, Limits, cut
from tagwire.models import Article
from tagwire.understand.hashtags import MAX_CHARS, MAX_WORDS, prepare
from tests.helpers import tagwire
from tests.webserver import Server

MEGABYTE_OF_CAPITALS = "A" * 1_000_000


def _rss(items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><description>{summary}</description>"
        f"<pubDate>Mon, 0{n % 9 + 1} Jun 2025 10:00:00 GMT</pubDate></item>"
        for n, (title, link, summary) in enumerate(items)
    )
    channel = f"<channel><title>Hostile Herald</title>{entries}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


NORMAL = [
    (
        f"Harbour {word} reopens after the storm",
        f"/news/{word}",
        f"The {word} harbour of Port Sennet reopened on Monday after a storm closed it for three days, "
        "officials said, as crews cleared debris from the quays and the first ferries returned.",
    )
    for word in ("north", "south", "east")
]


def _serve(server: Server, items: list[tuple[str, str, str]]) -> str:
    body = _rss([(t, server.url(link), s) for t, link, s in items])
    server.routes["/feed.xml"] = lambda h: h.reply(200, body, Content_Type="application/rss+xml")
    return server.url("/feed.xml")


def _env(tmp_path: Path, **settings: str) -> dict[str, str]:
    return {"TAGWIRE_DATABASE": str(tmp_path / "tw.db"), "TAGWIRE_ALLOW_PRIVATE_NETWORKS": "1", **settings}


def test_cut_marks_what_it_cut() -> None:
    assert cut("short", 10) == "short"
    assert cut("a" * 20, 10) == "a" * 9 + ELLIPSIS and len(cut("a" * 20, 10)) == 10


def test_each_field_from_outside_is_capped() -> None:
    limits = Limits(title=50, text=100, field=20)
    a = Article(url="https://x.example/a", outlet="O" * 30, title="T" * 80, published=datetime.now(UTC))
    a.text, a.summary, a.author, a.section = "x" * 500, "s" * 500, "W" * 30, "S" * 30
    capped = limits.cap(a)
    assert (len(capped.title), len(capped.text), len(capped.summary)) == (50, 100, 100)
    assert {len(capped.outlet), len(capped.author or ""), len(capped.section or "")} == {20}
    short = Article(url="https://x.example/b", outlet="O", title="T", published=datetime.now(UTC))
    assert limits.cap(short) is short
    assert Limits(items=2).newest([1, 2, 3, 4]) == [3, 4] and Limits(url=10).url_ok("x" * 11) is False


def test_a_megabyte_title_costs_what_a_capped_one_does(server: Server, tmp_path: Path) -> None:
    """A feed item whose title and summary are a megabyte of capitals (the regular expressions
    of the story stage once took hours on it) is cut at ingest and understood with the rest."""
    url = _serve(server, [*NORMAL, (MEGABYTE_OF_CAPITALS, "/news/shout", MEGABYTE_OF_CAPITALS)])
    env = _env(tmp_path)
    assert tagwire("add", url, env=env).returncode == 0
    fetched = tagwire("fetch", "--feeds-only", env=env)  # (the helper's timeout: 120 s, not hours)
    assert fetched.returncode == 0 and "Traceback" not in fetched.stderr, fetched.stderr
    stats = json.loads(tagwire("stats", "--json", env=env).stdout)
    assert (stats["articles"], stats["pending"], stats["quarantined"]) == (4, 0, 0)
    page = json.loads(tagwire("page", "PortSennet", "--json", env=env).stdout)
    titles = [a["title"] for s in page["stories"] for a in s["articles"]]
    assert len(titles) == 3 and all(len(t) < 100 for t in titles)


def test_articles_over_their_budget_are_quarantined_once_and_shown(server: Server, tmp_path: Path) -> None:
    """With a budget no article can meet, every article is set aside with the reason, the run
    ends normally, `tagwire problems` and `stats` show them, and no later run tries them again."""
    url = _serve(server, NORMAL)
    env = _env(tmp_path, TAGWIRE_UNDERSTAND_BUDGET="0.000001")
    assert tagwire("add", url, env=env).returncode == 0
    fetched = tagwire("fetch", "--feeds-only", env=env)
    assert fetched.returncode == 0 and "3 articles quarantined" in fetched.stderr, fetched.stderr
    problems = json.loads(tagwire("problems", "--json", env=env).stdout)
    assert len(problems) == 3 and all("budget" in p["reason"] for p in problems)
    stats = json.loads(tagwire("stats", "--json", env=env).stdout)
    assert (stats["pending"], stats["quarantined"], stats["stories"]) == (0, 3, 0)
    again = tagwire("understand", env={**env, "TAGWIRE_UNDERSTAND_BUDGET": "10"})
    assert "understood 0 articles" in again.stderr
    assert "3 quarantined" in tagwire("sources", env=env).stdout


def test_hashtags_read_a_bounded_number_of_characters_too() -> None:
    """MAX_WORDS bounds the words read; a text of few enormous "words" (no spaces, a capital
    and a dot every few characters) is bounded by MAX_CHARS as well, so the Title Case pass
    never reads hundreds of thousands of characters of one article."""
    assert len(prepare("Ab\u00cd." * 60_000)) == MAX_CHARS
    words = " ".join(["word"] * (2 * MAX_WORDS))
    assert len(prepare(words).split()) == MAX_WORDS
