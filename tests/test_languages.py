"""Articles in other languages (understand/languages/): romanization, numbers, credits, the
Latin-script fallback, Japanese names, one tag per person across languages, stories across
languages and no copies across them. Texts are the project's own (tests/fixtures/multilingual)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tagwire import config
from tagwire.deadline import within
from tagwire.ingest.normalize import make_summary
from tagwire.models import Article, MatchKind
from tagwire.serve.app import create_app
from tagwire.serve.languages import by_language
from tagwire.serve.pages import excerpt
from tagwire.store import Repository, open_store
from tagwire.understand import stories
from tagwire.understand.engine import Understander
from tagwire.understand.identity import content_hash
from tagwire.understand.languages import copy_text, credits, japanese, latin, may_copy, models, read
from tagwire.understand.languages.known import KnownNames, hashtags, shows
from tagwire.understand.languages.matching import MARKER, choose, marked
from tagwire.understand.languages.names import Kind, Name
from tagwire.understand.languages.numbers import numbers
from tagwire.understand.languages.romaji import hepburn, sound_key
from tests.conftest import BACKENDS
from tests.webserver import running

FIXTURES = Path(__file__).parent / "fixtures/multilingual"
T0 = datetime(2025, 6, 1, 12, tzinfo=UTC)


def known(*tags: str) -> KnownNames:
    k = KnownNames()
    k.learn(tags)
    return k


# romanization and sounds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kana", "latin"),
    [
        ("ナカタニ", "nakatani"),
        ("トウキョウ", "tokyo"),
        ("シャングリラ", "shangurira"),
        ("ヒッチコック", "hitchikokku"),
    ],
)
def test_katakana_is_read_in_hepburn(kana: str, latin: str) -> None:
    assert hepburn(kana) == latin


def test_a_name_sounds_the_same_in_katakana_and_in_english() -> None:
    assert sound_key(hepburn("ヘグセス")) == sound_key("Hegseth") == "hgss"
    assert sound_key(hepburn("トランプ")) == sound_key("Trump")
    assert sound_key(hepburn("ハリス")) != sound_key("Hegseth")


# numbers and credits --------------------------------------------------------------------------------


def test_numbers_read_alike_in_every_language() -> None:
    en = numbers("A magnitude 6.4 quake injured 38 and cut power to 12,000 homes on May 31, 2025.")
    es = numbers("Un terremoto de magnitud 6,4 dejó 38 heridos y 12.000 hogares sin luz.")
    ja = numbers("マグニチュード６．４の地震で３８人がけがをし、約１万２０００戸が停電した。")
    assert en == es == ja == {"6.4", "38", "12000"}  # days and years say nothing


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("【ソウル共同】韓国政府は１日、発表した。", "Kyodo"),
        ("【ワシントン時事】米政府は発表した。", "Jiji Press"),
        ("【北京＝共同】中国外務省は述べた。", "Kyodo"),
        ("新华社北京6月1日电 中国外交部发言人表示。", "Xinhua"),
        ("政府は１日、方針を決めた。\n\n詳細は来週発表する。（時事）", "Jiji Press"),
        ("共同通信によると、政府は方針を決めた。", None),  # named inside a sentence: no origin
    ],
)
def test_wire_origin_from_japanese_and_chinese_credits(text: str, agency: str | None) -> None:
    assert credits.wire_origin("見出し", text) == agency


# the Latin-script fallback --------------------------------------------------------------------------


def test_german_nouns_are_no_names_but_known_people_and_countries_are() -> None:
    title = "Verkehrsminister trifft Amtskollegen"
    text = (
        "BERLIN (dpa) - Der Verkehrsminister Lukas Brandt hat bei einem Treffen in Berlin mit Frankreichs "
        "Verkehrsminister Paul Girard eine engere Zusammenarbeit vereinbart.\n\nDie Vereinbarung solle die "
        "Sicherheit der Bahn stärken, hieß es. Brandt sprach von einem Durchbruch."
    )
    names = latin.read_names(title, text, "de")
    tags = hashtags(names, KnownNames())[0]
    assert tags[:2] == ["LukasBrandt", "PaulGirard"] or set(tags[:2]) == {"LukasBrandt", "PaulGirard"}
    assert "France" in tags  # "Frankreichs", the genitive of an alias
    assert "Berlin" in tags  # a capital of the alias table
    for noun in ("Treffen", "Zusammenarbeit", "Vereinbarung", "Sicherheit", "Bahn", "Durchbruch"):
        assert noun not in tags
    assert "Brandt" not in tags  # the surname alone is the person


def test_a_german_candidate_is_a_tag_when_the_name_is_known() -> None:
    text = "TOKIO (dpa) - Der Regierungschef Kenta Mori hat in Tokio einen Plan vorgestellt."
    names = latin.read_names("Plan vorgestellt", text, "de")
    assert "KentaMori" not in hashtags(names, KnownNames())[0]  # "Kenta" is no known given name
    assert "KentaMori" in hashtags(names, known("KentaMori"))[0]


def test_french_names_are_capitalised_words_inside_a_sentence() -> None:
    text = (
        "PARIS (AFP) - Le ministre de l'Économie, Hugo Marchand, a présenté mardi son budget. "
        "La Banque centrale européenne a salué le plan."
    )
    tags = hashtags(latin.read_names("Budget présenté", text, "fr"), KnownNames())[0]
    assert tags[:2] == ["HugoMarchand", "ECB"]
    assert "La" not in "".join(tags)


# Japanese -------------------------------------------------------------------------------------------


def test_japanese_names_family_names_and_sounded_names() -> None:
    text = "【東京共同】石破茂首相は１日、来日したモディ首相と会談した。石破氏は協力を強調した。"
    names = japanese.read_names("日印首脳が会談", text)
    kinds = {n.native: n.kind for n in names}
    assert kinds["石破茂"] is Kind.PERSON and kinds["モディ"] is Kind.SOUNDED
    tags, native = hashtags(names, known("NarendraModi"))
    assert tags[:2] == ["ShigeruIshiba", "NarendraModi"]
    assert native["ShigeruIshiba"] == "石破茂"
    assert "NarendraModi" not in hashtags(names, KnownNames())[0]  # a katakana word unknown: no tag


def test_a_native_form_is_one_a_reader_of_the_tag_could_not_guess() -> None:
    """Forms in another script are shown; in Latin letters only the alias table's own forms,
    never a tag's own words, a family name alone or a German genitive."""
    assert (
        shows("石破茂", "ShigeruIshiba")
        and shows("ヘグセス", "PeteHegseth")
        and shows("米国", "UnitedStates")
    )
    assert not shows("シャングリラ", "シャングリラ")  # the tag itself
    assert shows("Japon", "Japan") and shows("Tokio", "Tokyo")
    assert not shows("Japans", "Japan") and not shows("Trump", "DonaldTrump")
    assert not shows("Bank of England", "BankOfEngland") and not shows("Markus Söder", "SöderMarkus")
    text = "Der Besuch von Donald Trump in Japan: Trump lobte die Beziehungen Japans zu den USA."
    _, native = hashtags(latin.read_names("Trump in Tokio", text, "de"), known("DonaldTrump", "Tokyo"))
    assert native == {"Tokyo": "Tokio", "UnitedStates": "USA"}  # not "Trump", nor "Japans"


def test_a_katakana_common_noun_never_becomes_a_tag() -> None:
    text = "政府はサイバーセキュリティーの強化とデジタル化のプロジェクトを進める。"
    names = japanese.read_names("政府、デジタル化を推進", text)
    assert hashtags(names, known("CyberSecurity", "DigitalAgency", "PeteHegseth"))[0] == []


def test_a_family_name_alone_is_the_known_person_of_that_name() -> None:
    names = [Name("中谷", Kind.SURNAME, "nakatani", weight=6.0, mentions=1)]
    assert hashtags(names, known("GenNakatani"))[0] == ["GenNakatani"]
    assert hashtags(names, known("GenNakatani", "RyoNakatani"))[0] == ["Nakatani"]  # which one?
    assert hashtags(names, KnownNames())[0] == ["Nakatani"]


def test_japanese_is_cut_into_words_for_copies() -> None:
    text = "日本銀行は金融政策決定会合で政策金利を据え置いた。"
    assert copy_text(text, "ja").split()[:3] == ["日本", "銀行", "は"]
    assert copy_text(text, "en") is text
    assert not may_copy("ja", "en") and may_copy("de", "de") and may_copy(None, "en")


# stories across languages ---------------------------------------------------------------------------


def feats(terms: dict[str, float], hours: float = 0, language: str | None = None) -> stories.StoryFeatures:
    return stories.StoryFeatures(marked(terms, language) if language else terms, T0 + timedelta(hours=hours))


def test_english_among_english_is_decided_as_ever() -> None:
    new = feats({"#petehegseth": 1.0, "singapore": 2.0})
    cands = [(1, feats({"#petehegseth": 1.0, "singapore": 1.5}, 1)), (2, feats({"ferry": 1.0}, 2))]
    assert choose(new, cands).best == stories.best_story(new, cands)


def test_across_languages_two_names_or_a_name_and_a_number() -> None:
    en = feats({"#gennakatani": 1.0, "#petehegseth": 1.0, "#japan": 1.0, "meet": 2.0})
    ja = feats({"#gennakatani": 1.0, "#petehegseth": 1.0, "#japan": 1.0, "会談": 2.0}, 1, "ja")
    assert choose(ja, [("en", en)]).best is not None
    assert choose(en, [("ja", ja)]).best is not None
    one = feats({"#gennakatani": 1.0, "#japan": 1.0, "訪問": 2.0}, 1, "ja")
    assert choose(one, [("en", en)]).best is None  # one name alone: another event as often
    texts = {"en": "Talks on 4.25 billion yen in aid."}
    assert choose(one, [("en", en)], text="支援は４．２５億円。", text_of=texts.get).best is not None
    late = feats({"#gennakatani": 1.0, "#petehegseth": 1.0}, 20, "de")
    assert choose(late, [("en", en)]).best is None  # a day later: not within CROSS_WINDOW
    places = feats({"#japan": 1.0, "#unitedstates": 1.0}, 1, "ja")
    assert choose(places, [("en", feats({"#japan": 1.0, "#unitedstates": 1.0}))]).best is None


def test_markers_name_the_language() -> None:
    r = read("Le budget", "PARIS (AFP) - Le ministre a présenté le budget.", "fr")
    assert dict(r.terms)[MARKER] == 1.0 and dict(r.terms)[MARKER + ":fr"] == 1.0


# end to end, on the project's own fixtures ----------------------------------------------------------


def fixture_articles(name: str) -> list[tuple[Article, dict[str, object]]]:
    out = []
    for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        a = Article(
            url=r["url"],
            outlet=r["outlet"],
            title=r["title"],
            published=datetime.fromisoformat(r["published"].replace("Z", "+00:00")),
            text=r["text"],
            summary=r["text"][:200],
            content_hash=content_hash(r["text"]),
        )
        out.append((a, r))
    return sorted(out, key=lambda x: x[0].published)


@pytest.mark.slow
@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_reports_in_several_languages_form_one_story_and_no_copy(repo: Repository) -> None:
    pairs = fixture_articles("confirmation.jsonl")
    arts = [a for a, _ in pairs]
    repo.add_articles(arts, fetched_at=T0)
    Understander(repo, config.load({})).understand(arts)
    back = repo.articles_by_id(a.id or 0 for a in arts)
    event = {a.id: r["_event"] or r["id"] for a, r in pairs}
    stories_of: dict[object, set[object]] = {}
    for a, r in pairs:
        got = back[a.id or 0]
        assert got.language == r["_language"] and got.wire_origin == r["_wire"], r["id"]
        assert got.match is not None and got.match.kind in (MatchKind.NEW, MatchKind.STORY)  # never a copy
        if r["_language"] != "en" and got.match.kind is MatchKind.STORY:  # joined a report of its event
            assert event[got.match.of] == event[a.id], r["id"]
        stories_of.setdefault(event[a.id], set()).add(got.story_id)
    assert all(len(s) == 1 for e, s in stories_of.items() if str(e).startswith("f"))  # each event one story


# the story page ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_story_page_groups_reports_by_language(tmp_path: Path) -> None:
    db = tmp_path / "tw.db"
    repo = open_store(str(db))
    try:
        pairs = [(a, r) for a, r in fixture_articles("confirmation.jsonl") if r["_event"] == "f3"]
        arts = [a for a, _ in pairs]
        repo.add_articles(arts, fetched_at=T0)
        Understander(repo, config.load({})).understand(arts)
        story_id = repo.articles_by_id([arts[0].id or 0])[arts[0].id or 0].story_id
        settings = config.load({"TAGWIRE_DATABASE": str(db)})
        with running(create_app(settings, repo)) as base, httpx.Client(base_url=base) as http:
            html = http.get(f"/story/{story_id}", params={"now": "2025-06-06T00:00:00Z"}).text
    finally:
        repo.close()
    headings = re.findall(r'<h2 class="language">([^<]+)</h2>', html)
    # the language of the newest report first (a French outlet's own report, published last)
    assert headings == [
        "French · Français · 2 reports",
        "German · Deutsch · 1 report",
        "Spanish · Español · 1 report",
        "English · 1 report",
    ]
    assert '<article lang="fr">' in html and "EZB senkt Leitzins" in html


def test_a_story_in_one_language_is_listed_as_ever() -> None:
    @dataclass
    class A:
        language: str | None

    @dataclass
    class R:
        article: A

    assert by_language([R(A("en")), R(A("en"))]) == []
    two = [R(A("ja")), R(A("en")), R(A("ja"))]
    assert by_language(two) == [("Japanese · 日本語", [two[0], two[2]]), ("English", [two[1]])]


def test_summaries_of_text_without_spaces_keep_their_sentences() -> None:
    sentence = "石破茂首相は10日、インドのモディ首相と首相官邸で会談し、半導体で協力することで合意した。"
    text = "【東京共同】　" + sentence * 12
    summary = make_summary(text)
    assert summary.endswith("。") and len(summary) > 300  # cut after a whole sentence
    assert len(excerpt(text)) > 250 and excerpt(text).endswith("…")  # not at the one early space


@pytest.mark.slow
@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_a_new_process_knows_the_names_the_store_has_tagged(repo: Repository) -> None:
    def one(url: str, title: str, text: str, minutes: int) -> Article:
        when = T0 + timedelta(minutes=minutes)
        return Article(
            url=url, outlet="Fixture", title=title, published=when, text=text, content_hash=content_hash(text)
        )

    en = one(
        "https://en.fixture.example/1",
        "Hegseth visits Manila",
        "MANILA (Kyodo) -- U.S. Defense Secretary Pete Hegseth arrived in Manila on Friday for talks on "
        "joint patrols in the South China Sea, his first visit to the Philippines.",
        0,
    )
    repo.add_articles([en], fetched_at=T0)
    Understander(repo, config.load({})).understand([en])
    ja = one(
        "https://ja.fixture.example/1",
        "米国防長官が比を訪問",
        "【マニラ共同】ヘグセス米国防長官は28日、フィリピンの首都マニラを訪れ、南シナ海での共同巡視について協議した。",
        60,
    )
    repo.add_articles([ja], fetched_at=T0)
    Understander(repo, config.load({})).understand([ja])  # a new process: nothing known but the store
    assert "PeteHegseth" in repo.hashtags_of([ja.id or 0])[ja.id or 0]
    assert repo.articles_by_id([ja.id or 0])[ja.id or 0].wire_origin == "Kyodo"


def _report(url: str, title: str, text: str, minutes: int) -> Article:
    when = T0 + timedelta(minutes=minutes)
    return Article(
        url=url,
        outlet="Harbour Wire",
        title=title,
        published=when,
        text=text,
        content_hash=content_hash(text),
    )


def _en_report() -> Article:
    return _report(
        "https://en.harbour.example/talks",
        "Ishiba and Hegseth agree on joint drills",
        "TOKYO (Harbour Wire) -- Prime Minister Shigeru Ishiba met U.S. Defense Secretary Pete Hegseth "
        "in Tokyo on Monday, and Defense Minister Gen Nakatani joined the talks on joint drills near "
        "the southwestern islands. Ishiba said the allies would share more radar data.",
        0,
    )


def _ja_report(n: int, text: str) -> Article:
    return _report(f"https://ja.harbour.example/talks/{n}", "石破首相、米国防長官と会談", text, 90 * n)


_JA_TEXTS = (
    "【東京共同】石破茂首相は３日、首相官邸でヘグセス米国防長官と会談し、南西諸島周辺での共同訓練を"
    "拡充する方針で一致した。中谷防衛相も同席した。石破氏はレーダー情報の共有を進める考えを示した。",
    "【東京時事】石破茂首相は３日夜、来日中のヘグセス米国防長官と夕食を共にし、日米の防衛産業の"
    "協力について意見を交わした。石破氏は艦船の補修を日本で担う案に前向きな姿勢を示した。",
)


@pytest.mark.slow
@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_the_tag_page_shows_how_other_languages_write_the_tag(database: str) -> None:
    """A Japanese report of known people stores the native forms of their tags with its decision
    (an English one stores none), and the tag page and /api/tags show them."""
    repo = open_store(database)
    try:
        en = _en_report()
        repo.add_articles([en], fetched_at=T0)
        Understander(repo, config.load({})).understand([en])
        en_tags = repo.hashtags_of([en.id or 0])[en.id or 0]
        assert {"ShigeruIshiba", "PeteHegseth", "GenNakatani"} <= set(en_tags)
        assert all(repo.native_forms(t) == [] for t in en_tags)  # English: no forms at all
        first, second = _ja_report(1, _JA_TEXTS[0]), _ja_report(2, _JA_TEXTS[1])
        repo.add_articles([first], fetched_at=T0)
        Understander(repo, config.load({})).understand([first])
        assert {"ShigeruIshiba", "PeteHegseth", "GenNakatani"} <= set(
            repo.hashtags_of([first.id or 0])[first.id or 0]
        )
        # the fullest form written (石破茂 in the text, 石破 in the headline)
        assert repo.native_forms("ShigeruIshiba") == [("石破茂", "ja")]
        assert repo.native_forms("PeteHegseth") == [("ヘグセス", "ja")]
        assert repo.native_forms("GenNakatani") == [("中谷", "ja")]  # 中谷元: 元 is read as "former"
        repo.add_articles([second], fetched_at=T0)
        Understander(repo, config.load({})).understand([second])  # the same forms again: kept once
        assert "ShigeruIshiba" in repo.hashtags_of([second.id or 0])[second.id or 0]
        assert repo.native_forms("ShigeruIshiba") == [("石破茂", "ja")]
        app = create_app(config.load({"TAGWIRE_DATABASE": database}), repo)
        with running(app) as base, httpx.Client(base_url=base, follow_redirects=True) as http:
            html = http.get("/tag/shigeruishiba").text  # any spelling: the stored one's page
            api = http.get("/api/tags/ShigeruIshiba").json()
            english_only = http.get("/api/tags/Tokyo").json()
    finally:
        repo.close()
    assert '#ShigeruIshiba · also written <span lang="ja" title="ja">石破茂</span>' in html
    assert api["native_forms"] == [{"form": "石破茂", "language": "ja"}]
    assert english_only["native_forms"] == [] and english_only["stories"]


def test_spanish_is_read_by_the_fallback_where_no_model_ships() -> None:
    assert not models.has_model("es")
    text = (
        "MADRID (EFE) - La ministra de Sanidad, Elena Robles, presentó este lunes el plan de vacunación. "
        "El plan llegará a todas las comunidades, según explicó Robles."
    )
    tags = hashtags(latin.read_names("Sanidad presenta el plan", text, "es"), KnownNames())[0]
    assert tags[0] == "ElenaRobles" and "Robles" not in tags
    assert not {"El", "ElPlan", "Plan", "MADRID", "Madrid"} & set(tags)  # an article, a sentence opener


@pytest.mark.slow
def test_loading_a_model_is_not_charged_to_an_articles_budget() -> None:
    models.pipeline.cache_clear()
    text = "PARIS (AFP) - La présidente Claire Dubois a inauguré lundi le nouveau pont de Lyon."
    with within(0.3, "reading a French article"):  # loading the model alone takes longer
        names = latin.read_names("Un pont inauguré", text, "fr")
    assert "ClaireDubois" in hashtags(names, KnownNames())[0]


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=3000), language=st.sampled_from(["ja", "de", "fr", "es", "zh"]))
def test_any_text_in_any_language_is_read_without_error(text: str, language: str) -> None:
    r = read(text[:80], text, language)
    hashtags(r.names, KnownNames())
    numbers(text + " " + "9" * 400)
    assert isinstance(copy_text(text, language), str)
    assert credits.wire_origin(text[:80], text) is None or text
