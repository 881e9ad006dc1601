"""Search: the query language parsed to an AST (pure), compiled and run on SQLite (FTS5) and
PostgreSQL (tsquery), results grouped into stories and highlighted safely, and the two routes
served by a real uvicorn. The outlets and texts are invented."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy.dialects import postgresql

from tagwire.app.highlight import highlight, highlighter, snippet
from tagwire.app.views import search_page
from tagwire.config import load
from tagwire.models import Article, Match
from tagwire.query import All, Either, Not, SearchSyntaxError, Term, parse
from tagwire.serve.app import create_app
from tagwire.store import Repository, open_store
from tagwire.store.search import fts5_match, tsquery
from tests.conftest import BACKENDS
from tests.helpers import save_understanding
from tests.webserver import running

NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script> Harbour fees rise"
both = pytest.mark.parametrize("database", BACKENDS, indirect=True)


def article(outlet: str, title: str, text: str, age: timedelta) -> Article:
    slug = re.sub(r"\W+", "-", title.lower()).strip("-")
    url = f"https://{outlet.lower().replace(' ', '')}.example/{slug}"
    return Article(
        url=url,
        outlet=outlet,
        title=title,
        summary=text[:80],
        text=text,
        published=NOW - age,
        content_hash=slug,
    )


def understand(repo: Repository, a: Article, tags: list[str], story_id: int | None = None) -> int:
    a.hashtags, a.story_id, a.match = tags, story_id, Match("new" if story_id is None else "story", 0.5)
    save_understanding(repo, a, bands=[], signature=b"", features="{}", terms=[])
    assert a.story_id is not None
    return a.story_id


@dataclass
class World:
    taiwan: int
    sensors: int
    storm: int
    hostile: int
    taiwan_title: int  # the article of the Taiwan story with both words in its title
    taiwan_body: int  # the one with Taiwan only in its text


def fill(repo: Repository) -> World:
    title = article(
        "Japan Today",
        "Is Taiwan ready? Hegseth urges allies",
        "Hegseth spoke of Taiwan at a forum.",
        timedelta(hours=2),
    )
    body = article(
        "Harbor Ledger",
        "Hegseth visits Manila",
        "The defence secretary met ministers. Later, reporters asked Hegseth about Taiwan and trade.",
        timedelta(hours=1),
    )
    sensors = article(
        "Lakeside Herald",
        "Flood sensors installed along the river",
        "Towns added gauges upstream.",
        timedelta(days=40),
    )
    storm = article(
        "Coastal Post",
        "Storm closes the port",
        "Crews checked the harbour; the sensors flood the control room with alerts. Manila ferries wait.",
        timedelta(days=1),
    )
    hostile = article(
        "Mischief Daily", HOSTILE, "Harbour fees rise <b>again</b> & again.", timedelta(hours=3)
    )
    repo.add_articles([title, body, sensors, storm, hostile], fetched_at=NOW)
    taiwan = understand(repo, title, ["Taiwan", "Hegseth"])
    understand(repo, body, ["Hegseth"], taiwan)
    assert title.id is not None and body.id is not None
    return World(
        taiwan,
        understand(repo, sensors, ["FloodSensors", "Rivers"]),
        understand(repo, storm, ["Storms"]),
        understand(repo, hostile, ["Mischief"]),
        title.id,
        body.id,
    )


def ids(repo: Repository, q: str) -> list[int]:
    return [s.id for s in search_page(repo, q, NOW).stories]


# parsing (pure) ------------------------------------------------------------------------------


def test_words_and_explicit_and_parse_alike() -> None:
    expected = All((Term("Hegseth"), Term("Taiwan")))
    assert parse("Hegseth Taiwan", NOW).expr == expected
    assert parse("Hegseth AND Taiwan", NOW).expr == expected


def test_phrases_or_not_minus_and_parentheses() -> None:
    q = parse('"flood sensors" OR (storm -rain NOT hail)', NOW)
    assert q.expr == Either(
        (Term("flood sensors", phrase=True), All((Term("storm"), Not(Term("rain")), Not(Term("hail")))))
    )
    assert q.terms() == ["flood", "sensors", "storm"]


def test_filters_are_taken_out_of_the_text() -> None:
    q = parse('#Taiwan outlet:"Japan Today" OUTLET:Reuters since:7d talks', NOW)
    assert (q.expr, q.hashtags, q.outlets) == (Term("talks"), ["Taiwan"], ["Japan Today", "Reuters"])
    assert q.since == NOW - timedelta(days=7)
    assert parse("since:24h x", NOW).since == NOW - timedelta(hours=24)
    assert parse("since:2025-05-01 x", NOW).since == datetime(2025, 5, 1, tzinfo=UTC)
    assert parse("#Storms", NOW).expr is None


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("", "nothing to search for"),
        ("   %%% -- _ ", "nothing to search for"),
        ('"unclosed phrase', "quote is not closed"),
        ("(storm", "parenthesis is not closed"),
        ("storm)", "closing parenthesis"),
        ("()", "Empty parentheses"),
        ("storm ()", "Empty parentheses"),
        ("NOT storm", "only leave things out"),
        ("-storm -rain", "only leave things out"),
        ("storm OR -rain", "only leave things out"),
        ("storm OR", "OR needs something"),
        ("storm NOT", "must be followed"),
        ("since:yesterday storm", "since:24h"),
        ("outlet: storm", "outlet: needs a value"),
    ],
)
def test_unusable_queries_say_why(query: str, says: str) -> None:
    with pytest.raises(SearchSyntaxError, match=re.escape(says)):
        parse(query, NOW)


def test_fts5_match_quotes_every_term() -> None:
    q = parse('NEAR(a b) title:x* ^c "d e" OR f -g', NOW)
    assert q.expr is not None
    assert (
        fts5_match(q.expr)
        == '(("NEAR" AND ("a" AND "b") AND "title:x*" AND "^c" AND "d e") OR ("f" NOT "g"))'
    )
    assert (
        fts5_match(Either((Term('say "hi"'), All((Term("x"), Not(Term("y")))))))
        == '("say ""hi""" OR ("x" NOT "y"))'
    )


def test_fts5_match_loosens_phrases_outside_not_to_their_words() -> None:
    q = parse('"d e" OR f -"g h" "rock & roll" "x"', NOW)
    assert q.expr is not None
    assert (
        fts5_match(q.expr, loose=True) == '(("d" AND "e") OR ("f" AND ("rock" AND "roll") AND "x" NOT "g h"))'
    )


def test_tsquery_binds_user_text() -> None:
    q = parse('Robert\'; DROP TABLE articles; -- "x y" -z', NOW)
    assert q.expr is not None
    sql = str(tsquery(q.expr).compile(dialect=postgresql.dialect()))  # type: ignore[no-untyped-call]
    assert "DROP" not in sql and "Robert" not in sql
    assert "plainto_tsquery" in sql and "phraseto_tsquery" in sql and "tsquery_not" in sql


# highlighting (pure) -------------------------------------------------------------------------


def test_highlight_escapes_then_marks() -> None:
    pattern = highlighter(["harbour", "script"])
    assert highlight(HOSTILE, pattern) == (
        "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; <mark>Harbour</mark> fees rise"
    )
    assert highlight("a < b", None) == "a &lt; b"
    assert highlight("Talks stalled", highlighter(["talk"])) == "<mark>Talks</mark> stalled"


def test_snippet_centres_on_the_first_match_and_says_where_it_cut() -> None:
    text = " ".join(f"w{i}" for i in range(200)) + " storm " + " ".join(f"v{i}" for i in range(200))
    cut = snippet(text, highlighter(["storm"]), size=60)
    assert cut.startswith("…") and cut.endswith("…") and "<mark>storm</mark>" in cut
    assert len(cut) < 100
    assert snippet("short & sweet", None) == "short &amp; sweet"


# the store, both backends ------------------------------------------------------------------------


@both
def test_words_phrases_or_not(repo: Repository) -> None:
    w = fill(repo)
    assert ids(repo, "Hegseth AND Taiwan") == [w.taiwan]
    assert ids(repo, "hegseth taiwan") == [w.taiwan]
    assert ids(repo, '"flood sensors"') == [w.sensors]
    assert set(ids(repo, "flood sensors")) == {w.sensors, w.storm}
    assert set(ids(repo, "Manila OR port")) == {w.taiwan, w.storm}
    assert ids(repo, "sensors -harbour") == [w.sensors]
    assert ids(repo, "sensors NOT harbour") == [w.sensors]
    assert set(ids(repo, "(Manila OR gauges) -Hegseth")) == {w.storm, w.sensors}
    assert ids(repo, "zebra") == []


@both
def test_hashtag_outlet_and_since_filter(repo: Repository) -> None:
    w = fill(repo)
    assert ids(repo, "#taiwan") == [w.taiwan]
    assert ids(repo, "sensors #Rivers") == [w.sensors]
    assert ids(repo, "#Nowhere sensors") == []
    found = search_page(repo, 'Hegseth outlet:"harbor ledger"', NOW).stories
    assert [s.id for s in found] == [w.taiwan]
    assert [m.id for m in found[0].matches] == [w.taiwan_body]
    assert ids(repo, 'harbour outlet:"mischief DAILY"') == [w.hostile]
    assert ids(repo, "sensors since:7d") == [w.storm]
    assert set(ids(repo, "sensors since:2025-04-01")) == {w.storm, w.sensors}
    assert ids(repo, "outlet:Lakeside") == []  # a whole outlet name, not a part of one


@both
def test_title_matches_rank_first_and_articles_group_into_stories(repo: Repository) -> None:
    w = fill(repo)
    assert ids(repo, "sensors") == [w.sensors, w.storm]  # title match beats a newer body-only match
    assert ids(repo, "Manila") == [w.taiwan, w.storm]
    found = search_page(repo, "Taiwan", NOW).stories
    assert [s.id for s in found] == [w.taiwan]
    assert [m.id for m in found[0].matches] == [w.taiwan_title, w.taiwan_body]
    assert len(found[0].articles) == 2 and found[0].hashtags[0] == "Hegseth"


@both
def test_results_are_highlighted_and_hostile_text_escaped(repo: Repository) -> None:
    w = fill(repo)
    page = search_page(repo, "harbour fees", NOW)
    assert page.stories[0].id == w.hostile
    match = page.stories[0].matches[0]
    assert match.title == HOSTILE
    assert (
        match.title_html
        == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Harbour</mark> <mark>fees</mark> rise"
    )
    assert "<b>" not in match.snippet_html and "&lt;b&gt;" in match.snippet_html


@both
def test_a_snippet_comes_from_the_full_text_when_only_it_has_the_words(repo: Repository) -> None:
    """Pages read stories without their texts; a match's text is read when its summary lacks the words."""
    w = fill(repo)
    page = search_page(repo, "ferries", NOW)
    assert [s.id for s in page.stories] == [w.storm]
    assert "Manila <mark>ferries</mark> wait." in page.stories[0].matches[0].snippet_html


@both
def test_odd_but_valid_queries_are_searched_as_words(repo: Repository) -> None:
    w = fill(repo)
    assert ids(repo, "NEAR(Taiwan) title:x* ^c") == []  # FTS5 syntax in the input stays words
    for q in ["Taiwan's OR naïve", "a:b AND c-d", "the", "'; DROP TABLE articles; --"]:
        assert isinstance(ids(repo, q), list)  # no database error; "the" is a stop word on PostgreSQL
    assert ids(repo, "Taiwan") == [w.taiwan]


@both
def test_results_page(repo: Repository) -> None:
    w = fill(repo)
    first = search_page(repo, "Manila", NOW, page=1, size=1)
    second = search_page(repo, "Manila", NOW, page=2, size=1)
    assert [s.id for s in first.stories] == [w.taiwan] and first.has_more is True
    assert [s.id for s in second.stories] == [w.storm] and second.has_more is False


# the routes --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    db = tmp_path_factory.mktemp("search") / "tagwire.db"
    repo = open_store(str(db))
    fill(repo)
    app = create_app(load({"TAGWIRE_DATABASE": str(db)}), repo)
    with running(app) as base, httpx.Client(base_url=base) as client:
        yield client
    repo.close()


def test_search_page_finds_the_story(http: httpx.Client) -> None:
    r = http.get("/search?q=Hegseth+AND+Taiwan&now=2025-06-10T12:00:00Z")
    assert r.status_code == 200 and "Is Taiwan" in r.text
    assert 'title="Is Taiwan ready? Hegseth urges allies"' in r.text  # the plain title, for finding
    assert "Is <mark>Taiwan</mark> ready? <mark>Hegseth</mark>" in r.text and "2 hours ago" in r.text
    assert r.headers["content-security-policy"].startswith("default-src 'none'")


def test_search_page_escapes_hostile_titles(http: httpx.Client) -> None:
    r = http.get("/search", params={"q": "harbour"})
    assert r.status_code == 200 and "<script>" not in r.text and "&lt;script&gt;" in r.text


def test_search_page_without_query_shows_the_form_and_bad_queries_say_why(http: httpx.Client) -> None:
    empty = http.get("/search")
    assert empty.status_code == 200 and 'name="q"' in empty.text
    assert (
        "among the newest 1,000 matching articles (for a phrase: among the newest 1,000 with all"
        in empty.text
    )
    for q in ['"open', "%%%", "NOT x", "(a"]:
        r = http.get("/search", params={"q": q})
        assert r.status_code == 400 and 'class="error"' in r.text, q
    assert http.get("/search", params={"q": "x" * 501}).status_code == 400


def test_api_search_json_and_400s(http: httpx.Client) -> None:
    body = http.get("/api/search", params={"q": '"Is Taiwan ready"'}).json()
    assert [m["title"] for m in body["stories"][0]["matches"]] == ["Is Taiwan ready? Hegseth urges allies"]
    assert body["query"] == '"Is Taiwan ready"' and body["page"] == 1
    for q in ["", "   ", '"open', "storm OR"]:
        r = http.get("/api/search", params={"q": q})
        assert r.status_code == 400 and r.json()["detail"], q
    assert http.get("/api/search").status_code == 400
