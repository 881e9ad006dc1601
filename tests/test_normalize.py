"""normalize: URL identity, dates, language, summaries and the item+page merge, on plain values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tagwire.ingest.normalize import (
    TRACKING_PARAMS,
    build_article,
    canonical_url,
    choose_language,
    detect_language,
    is_tracking_param,
    make_summary,
    parse_date,
    primary_language,
    to_utc,
)
from tagwire.models import FeedItem, PageInfo

# --- canonical_url ----------------------------------------------------------------------------


def test_tracking_params_removed_real_params_kept() -> None:
    url = (
        "https://www.example.com/news/story?utm_source=rss&id=5&n_cid=nl123&fbclid=AbC&page=2&utm_medium=feed"
    )
    assert canonical_url(url) == "https://www.example.com/news/story?id=5&page=2"


def test_tracking_prefix_and_case() -> None:
    assert is_tracking_param("UTM_Whatever") and is_tracking_param("gclid") and is_tracking_param("mc_eid")
    assert not is_tracking_param("id") and not is_tracking_param("q")
    assert {"fbclid", "gclid", "mc_cid", "mc_eid", "n_cid", "cmpid", "ocid"} <= TRACKING_PARAMS
    assert (
        canonical_url("https://www.example.com/search?q=a+b&UTM_Campaign=z")
        == "https://www.example.com/search?q=a+b"
    )


def test_scheme_host_port_fragment() -> None:
    url = "HTTPS://WWW.Example.COM:443/News/Story#comments"
    assert canonical_url(url) == "https://www.example.com/News/Story"
    assert canonical_url("http://www.example.com:8080/a") == "http://www.example.com:8080/a"
    assert canonical_url("http://www.example.com") == "http://www.example.com/"


def test_same_site_canonical_is_used() -> None:
    listed = "https://www.example.com/a?x=1&utm_source=feed"
    assert (
        canonical_url(listed, "https://news.example.com/2025/story") == "https://news.example.com/2025/story"
    )
    assert (
        canonical_url("https://www.example.co.uk/a", "https://example.co.uk/b") == "https://example.co.uk/b"
    )


def test_cross_site_canonical_is_ignored() -> None:
    listed = "https://www.example.com/wire/story?utm_source=feed"
    assert canonical_url(listed, "https://www.example.org/original") == "https://www.example.com/wire/story"
    assert (
        canonical_url("https://a.example.co.uk/x", "https://b.other.co.uk/x") == "https://a.example.co.uk/x"
    )


def test_local_outlets_differ_by_port() -> None:
    """Outlets served from one machine differ only by port: each is its own site."""
    assert canonical_url("http://127.0.0.1:8001/a", "http://127.0.0.1:8002/a") == "http://127.0.0.1:8001/a"
    assert (
        canonical_url("http://127.0.0.1:8001/a?utm_source=x", "http://127.0.0.1:8001/b")
        == "http://127.0.0.1:8001/b"
    )


@pytest.mark.parametrize(
    "canonical",
    ["/relative/path", "ftp://www.example.com/a", "https://www.example.com/", "", "http://[bad"],
)
def test_unusable_canonical_falls_back(canonical: str) -> None:
    assert canonical_url("https://www.example.com/a/b?fbclid=1", canonical) == "https://www.example.com/a/b"


@pytest.mark.parametrize("url", ["", "not a url", "http://localhost:99999/x", "http://[::1"])
def test_unusable_url_does_not_raise(url: str) -> None:
    assert isinstance(canonical_url(url), str)


# --- parse_date -------------------------------------------------------------------------------

MAY31_1108 = datetime(2025, 5, 31, 11, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        "2025-05-31T11:08:00Z",
        "2025-05-31T20:08:00+09:00",
        "2025-05-31T11:08:00",  # naive: UTC
        "Sat, 31 May 2025 20:08:00 +0900",
        "Sat, 31 May 2025 11:08:00 GMT",
        "Sat, 31 May 2025 07:08:00 EDT",
        "May 31, 2025 20:08 (JST)",
        "31 May 2025 20:08 KST",  # a zone the email module does not know must not read as UTC
        "31 May 2025 13:08 CEST",
        "1748689680",
    ],
)
def test_parse_date_absolute(value: str) -> None:
    found = parse_date(value)
    assert found == MAY31_1108
    assert found is not None and found.tzinfo is UTC


def test_parse_date_relative() -> None:
    base = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)
    assert parse_date("3 days ago", relative_base=base) == datetime(2025, 5, 31, 12, 0, tzinfo=UTC)
    assert parse_date("2 hours ago", relative_base=base) == datetime(2025, 6, 3, 10, 0, tzinfo=UTC)
    tokyo_base = datetime(2025, 6, 3, 21, 0, tzinfo=timezone(timedelta(hours=9)))
    assert parse_date("1 hour ago", relative_base=tokyo_base) == datetime(2025, 6, 3, 11, 0, tzinfo=UTC)


def test_parse_date_order() -> None:
    assert parse_date("12-05-2025", date_order="DMY") == datetime(2025, 5, 12, tzinfo=UTC)
    assert parse_date("12-05-2025") == datetime(2025, 12, 5, tzinfo=UTC)  # month first unless told


@pytest.mark.parametrize("value", [None, "", "   ", "Business", "12", "no date here"])
def test_parse_date_not_a_date(value: str | None) -> None:
    assert parse_date(value) is None


def test_to_utc() -> None:
    assert to_utc(datetime(2025, 5, 31, 11, 8)) == MAY31_1108
    assert to_utc(datetime(2025, 5, 31, 20, 8, tzinfo=timezone(timedelta(hours=9)))).tzinfo is UTC
    assert to_utc(datetime(2025, 5, 31, 20, 8, tzinfo=timezone(timedelta(hours=9)))) == MAY31_1108


# --- language and summary ------------------------------------------------------------------------


def test_detect_language() -> None:
    assert (
        detect_language("The ministers agreed on Saturday to deepen their cooperation in cyberspace.") == "en"
    )
    assert (
        detect_language("Les ministres ont convenu samedi de renforcer leur coopération dans le cyberespace.")
        == "fr"
    )
    assert detect_language("日米の防衛相は土曜日、サイバー分野での協力を強化することで合意した。") == "ja"
    assert detect_language("Hi there") is None
    assert detect_language("") is None


def test_a_language_in_latin_letters_needs_its_own_function_words() -> None:
    """A results table or a list of names is read as English, whatever the identifier guesses
    (it calls such texts Pidgin, Javanese or Dutch); a text in a language that shows its own
    function words keeps its language."""
    table = (
        "ROWING - LAKE CUP RESULTS. Results of the Lake Cup on Sunday: Karel Voss 7:02.11 "
        "Mika Lindqvist 7:04.95 Tomas Berglund 7:05.30 Jonas Aaltonen 7:09.12 Pekka Hirvi 7:11.48"
    )
    assert detect_language(table) == "en"
    assert (
        detect_language(
            "Der Stadtrat hat am Montag beschlossen, die alte Brücke über den Fluss im Sommer zu sanieren."
        )
        == "de"
    )
    assert (
        detect_language("Rada miasta zdecydowała w poniedziałek, że stary most zostanie odnowiony latem.")
        == "pl"
    )


def test_primary_language() -> None:
    assert primary_language("en-US") == "en"
    assert primary_language("pt_BR") == "pt"
    assert primary_language(" EN ") == "en"
    assert (
        primary_language("") is None and primary_language(None) is None and primary_language("1234") is None
    )


def test_summary_short_text_unchanged_but_on_one_line() -> None:
    assert make_summary("Short text.\n\nSecond  paragraph.") == "Short text. Second paragraph."


def test_summary_cut_at_sentence() -> None:
    text = "The first sentence is here. The second sentence follows it. " * 20
    summary = make_summary(text, 100)
    assert (
        summary == "The first sentence is here. The second sentence follows it. The first sentence is here."
    )
    assert len(summary) <= 100


def test_summary_cut_at_word_with_ellipsis() -> None:
    text = "an unending sentence without any full stop " * 30
    summary = make_summary(text, 60)
    assert summary.endswith("…") and len(summary) <= 60
    assert text.startswith(summary[:-1])
    assert summary[:-1].split()[-1] in text.split()  # no word cut in half


def test_summary_without_spaces_is_cut_hard() -> None:
    summary = make_summary("あ" * 500, 20)
    assert summary == "あ" * 19 + "…"


# --- build_article ----------------------------------------------------------------------------------

FETCHED = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
BODY = (
    "Port Aldwin's ferry operator will add four summer crossings a day from June. "
    "The first departure moves forty minutes earlier so commuters reach the rail link. "
) * 6


def item(**changes: object) -> FeedItem:
    fields: dict[str, object] = {
        "url": "https://www.example.com/2025/04/18/ferry?utm_source=rss&utm_medium=feed",
        "title": "Ferry timetable overhaul splits island councils",
        "summary": "A new ferry timetable has divided the councils that asked for it, islanders say.",
        "guid": "harbor-1234",
        "published": datetime(2025, 4, 18, 7, 30, tzinfo=timezone(timedelta(hours=2))),
        "categories": ("Transport", "Local"),
        "author": None,
    }
    fields.update(changes)
    return FeedItem(**fields)  # type: ignore[arg-type]


def page(**changes: object) -> PageInfo:
    info = PageInfo(
        title="Ferry timetable overhaul splits island councils (updated)",
        text=BODY,
        published=datetime(2025, 4, 17, tzinfo=UTC),
        section="Local news",
        site_name="Harbor Gazette",
        canonical_url="https://www.example.com/2025/04/18/ferry-timetable-overhaul",
        language="en-GB",
        author="Mirela Ostrander",
        credit="Coastline Wire Service",
    )
    for key, value in changes.items():
        setattr(info, key, value)
    return info


def test_build_article_with_page() -> None:
    a = build_article(
        item(),
        page(),
        source_title="HARBOR GAZETTE",
        source_url="https://www.example.com/rss",
        fetched_at=FETCHED,
    )
    assert a.url == "https://www.example.com/2025/04/18/ferry-timetable-overhaul"
    assert a.listed_url == "https://www.example.com/2025/04/18/ferry?utm_source=rss&utm_medium=feed"
    assert a.title == "Ferry timetable overhaul splits island councils"  # as the outlet listed it
    assert a.outlet == "Harbor Gazette"  # how the site names itself, over the feed title
    assert a.published == datetime(2025, 4, 18, 5, 30, tzinfo=UTC)
    assert a.section == "Transport"
    assert a.text == BODY
    assert a.summary == "A new ferry timetable has divided the councils that asked for it, islanders say."
    assert a.language == "en"
    assert a.author == "Mirela Ostrander"
    assert a.credit == "Coastline Wire Service"
    assert a.guid == "harbor-1234"
    assert a.problem is None


def test_build_article_without_page() -> None:
    a = build_article(
        item(published=None, categories=(), author="Desk"),
        None,
        source_title="HARBOR GAZETTE",
        source_url="https://www.example.com/rss",
        fetched_at=FETCHED,
    )
    assert a.url == "https://www.example.com/2025/04/18/ferry"
    assert a.outlet == "HARBOR GAZETTE"
    assert a.published == FETCHED
    assert a.section is None
    assert a.text == item().summary
    assert a.author == "Desk"
    assert a.credit is None
    assert a.language is None  # undeclared: understanding detects it (choose_language)
    assert choose_language(a.language, a.text) == "en"
    assert a.problem == "the page gave no article text, so the feed summary is kept"


def test_build_article_failed_extraction_keeps_the_reason() -> None:
    a = build_article(
        item(),
        PageInfo(),
        source_title=None,
        source_url="https://www.example.com/rss",
        page_problem="page not read: HTTP 503 from www.example.com",
        fetched_at=FETCHED,
    )
    assert a.text == item().summary
    assert a.problem == "page not read: HTTP 503 from www.example.com"
    assert a.outlet == "example.com"  # neither page nor feed named it


def test_page_text_shorter_than_summary_keeps_summary() -> None:
    long_summary = "A long feed summary that says more than the page did. " * 5
    a = build_article(
        item(summary=long_summary),
        page(text="Subscribe to read."),
        source_title=None,
        source_url="https://www.example.com/rss",
        fetched_at=FETCHED,
    )
    assert a.text == long_summary.strip()
    assert a.problem is not None and "shorter than the feed summary" in a.problem


def test_fallbacks_to_page_fields() -> None:
    a = build_article(
        item(title="", published=None, categories=("  ",)),
        page(),
        source_title="Feed",
        source_url="https://www.example.com/rss",
        fetched_at=FETCHED,
    )
    assert a.title == "Ferry timetable overhaul splits island councils (updated)"
    assert a.published == datetime(2025, 4, 17, tzinfo=UTC)
    assert a.section == "Local news"


def test_short_feed_summary_replaced_from_text() -> None:
    a = build_article(
        item(summary="Ferries."),
        page(),
        source_title=None,
        source_url="https://www.example.com/rss",
        fetched_at=FETCHED,
    )
    assert a.summary == make_summary(BODY)
    assert a.summary.startswith("Port Aldwin's ferry operator") and len(a.summary) <= 400


def test_language_detected_overrides_a_wrong_declaration() -> None:
    french = "Le nouvel horaire des traversées divise les conseils des îles qui l'avaient demandé. " * 4
    assert choose_language("en", french) == "fr"
    assert choose_language("en-US", "Bonjour à tous les amis.") == "en"  # too short to overrule the page
    assert choose_language(None, french) == "fr"


PLAIN_URLS = [
    "http://127.0.0.1:8080/outlet-1/2025/06/01/story-1.html",
    "HTTPS://News.Example.COM/World/Asia/",
    "https://example.com:443/a/b",
    "http://example.com:80",
    "http://example.com:080/x",
    "https://a-b.example.org/p/q_r~s.t/!$&'()*+,;=:@/end",
    "https://example.com/a//b/./c/../d",
    "https://example.com",
    "https://xn--bcher-kva.example/a",
]


@pytest.mark.parametrize("url", PLAIN_URLS)
def test_plain_url_shortcut_agrees_with_full_cleaning(url: str) -> None:
    from tagwire.ingest.normalize import _full_clean_url

    assert canonical_url(url) == _full_clean_url(url)


def test_plain_url_shortcut_agrees_on_every_path_character() -> None:
    from tagwire.ingest.normalize import _full_clean_url

    safe = "ABCxyz019._~!$&'()*+,;=:@/-"
    for ch in safe:
        url = f"https://example.com/a{ch}b{ch}"
        assert canonical_url(url) == _full_clean_url(url), url
