"""Hashtags: CamelCase names and topics, best first, on invented articles.

The texts below are written for these tests (invented people and events); the seed check at the
end reads ../shared/seed when it is there and skips otherwise.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tagwire.understand.hashtags import HashtagTagger, camel_tag, prepare, rank, topic_scores

SHARED = Path(__file__).resolve().parents[2] / "shared"

SUMMIT = (
    "Kenya and Peru agree to expand coffee trade",
    """NAIROBI -- Kenyan Trade Minister Amina Wanjiru and Peruvian Foreign Minister Mateo Quispe signed a
coffee trade agreement in Nairobi on Tuesday, the first such deal between Kenya and Peru.

Wanjiru said the accord would cut tariffs on roasted beans. Quispe's delegation called it a model
for exporters. Meanwhile, farmers' groups in both countries welcomed the deal.

Afterward, Wanjiru and Quispe visited a cooperative outside Nairobi. Earlier, Quispe had met
officials of the World Bank. According to the ministry, exports to Brazil and Brazil's neighbours
could follow. Separately, the two ministers discussed shipping costs.

Advertisement

Copyright 2025 Example Wire. All rights reserved.""",
)

ALIASES = (
    "U.S. and Britain renew science pact",
    """The United States and the United Kingdom renewed a science agreement on Monday. Officials
from the U.S. said America would fund half of the new laboratories, and the US embassy in London
hosted the signing. Britain's science minister, Harriet Colbourne, said the U.K. would host the
first joint institute. Colbourne added that the United States had been a reliable partner.""",
)

CYBER = (
    "Ransomware gang hits regional hospitals",
    """A ransomware attack disrupted three hospitals in the Dorvale region on Sunday, officials said,
the latest in a wave of cyberattacks on health services. The hackers encrypted patient records and
demanded payment in bitcoin.

Hospital staff switched to paper records. The regional cybersecurity agency said the hacking group
had used a phishing email to get in. It urged other hospitals to patch their systems against
cyber threats.""",
)

NAMES = (
    "Ashford-Lyle Summit opens with climate pledge",
    """Delegates gathered for the Ashford-Lyle Summit in Reykjavik on Wednesday. Siobhan O'Connell,
the summit's chair, opened the meeting. O'Connell said the Ashford-Lyle Summit would publish its
findings in March. Norway's delegation backed the pledge, and Norway's prime minister sent a
message.""",
)


@pytest.fixture(scope="module")
def tagger() -> HashtagTagger:
    return HashtagTagger()


# --- without the model --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "tag"),
    [
        ("Pete Hegseth", "PeteHegseth"),
        ("Shangri-La Dialogue", "ShangriLaDialogue"),
        ("Siobhan O'Connell", "SiobhanOConnell"),
        ("McDonald's", "McDonalds"),
        ("national defense strategy", "NationalDefenseStrategy"),
        ("São Paulo", "SãoPaulo"),
        ("NATO", "NATO"),
        ("  ", ""),
    ],
)
def test_camel_tag(phrase: str, tag: str) -> None:
    assert camel_tag(phrase) == tag


def test_prepare_drops_boilerplate_datelines_and_headlines() -> None:
    text = (
        "Kenya and Peru agree to expand coffee trade\n"
        "NAIROBI (Example Wire) -- The deal was signed.\n"
        "Advertisement\n"
        "Related Stories On Coffee Prices\n"
        "Exports should rise. © EXAMPLE WIRE\n"
        "Copyright 2025 Example Wire. All rights reserved."
    )
    body = prepare(text, "Kenya and Peru agree to expand coffee trade")
    assert body == "The deal was signed.\n\nExports should rise."


def test_prepare_joins_hard_wrapped_lines() -> None:
    text = "Trade Minister Amina Wanjiru and Foreign Minister Mateo Quispe signed a\ncoffee deal."
    assert prepare(text) == text.replace("\n", " ")


def test_prepare_caps_length() -> None:
    body = prepare(" ".join(["word"] * 5000), max_words=100)
    assert body.count("word") == 100


def test_topic_needs_enough_evidence() -> None:
    assert "Cybersecurity" in topic_scores(*CYBER)
    assert "Cybersecurity" not in topic_scores("Bakery opens", "The bakery, a hacker's favourite, opened.")


def test_rank_of_nothing_is_empty() -> None:
    assert rank("", "", [], 12) == []


# --- with the model -----------------------------------------------------------------------------


@pytest.mark.slow
def test_aliases_merge_into_one_tag(tagger: HashtagTagger) -> None:
    tags = tagger.tag(*ALIASES)
    assert "UnitedStates" in tags and "UnitedKingdom" in tags
    assert not {"US", "USA", "America", "Britain", "UK", "U.K."} & set(tags)


@pytest.mark.slow
def test_surname_links_to_full_name_and_titles_are_stripped(tagger: HashtagTagger) -> None:
    tags = tagger.tag(*SUMMIT)
    assert {"AminaWanjiru", "MateoQuispe"} <= set(tags)
    assert not {"Wanjiru", "Quispe"} & set(tags)
    assert not [t for t in tags if re.search("Minister|Trade(?!$)", t)]


@pytest.mark.slow
def test_no_weekday_boilerplate_or_sentence_adverb(tagger: HashtagTagger) -> None:
    tags = set(tagger.tag(*SUMMIT)) | set(tagger.tag(*ALIASES)) | set(tagger.tag(*NAMES))
    never = {"Tuesday", "Monday", "Wednesday", "March", "Meanwhile", "Afterward", "Earlier", "According"}
    never |= {"Separately", "Advertisement", "Copyright", "ExampleWire", "Officials", "Delegates"}
    assert not tags & never


@pytest.mark.slow
def test_possessive_counts_for_the_name(tagger: HashtagTagger) -> None:
    summit, names = tagger.tag(*SUMMIT), tagger.tag(*NAMES)
    assert "Brazil" in summit and "Norway" in names
    assert not [
        t for t in summit + names if t.endswith(("s'", "S")) and t[:-1] in ("Brazil", "Norway", "Quispe")
    ]


@pytest.mark.slow
def test_demonym_counts_for_its_country(tagger: HashtagTagger) -> None:
    tags = tagger.tag(*SUMMIT)
    assert {"Kenya", "Peru"} <= set(tags)
    assert not {"Kenyan", "Peruvian"} & set(tags)


@pytest.mark.slow
def test_topic_tag_from_key_phrases(tagger: HashtagTagger) -> None:
    assert "Cybersecurity" in tagger.tag(*CYBER)
    assert "Cybersecurity" not in tagger.tag(*SUMMIT)


@pytest.mark.slow
def test_hyphen_and_apostrophe_names(tagger: HashtagTagger) -> None:
    tags = tagger.tag(*NAMES)
    assert "AshfordLyleSummit" in tags and "SiobhanOConnell" in tags
    assert "OConnell" not in tags


@pytest.mark.slow
def test_title_entities_rank_first(tagger: HashtagTagger) -> None:
    tags = tagger.tag(*SUMMIT)
    assert set(tags[:2]) == {"Kenya", "Peru"}
    assert tags.index("Peru") < tags.index("Brazil") and tags.index("Kenya") < tags.index("WorldBank")


@pytest.mark.slow
def test_title_case_headline_words_are_not_names(tagger: HashtagTagger) -> None:
    title = "Kenya And Peru Vow To Expand Coffee Trade Despite Drought"
    tags = tagger.tag(title, SUMMIT[1])
    assert {"Kenya", "Peru"} <= set(tags[:4])
    assert not [t for t in tags if re.search("Vow|Expand|Despite|Drought|Coffee", t)]


@pytest.mark.slow
def test_limit_and_empty_input(tagger: HashtagTagger) -> None:
    assert len(tagger.tag(*SUMMIT, limit=3)) == 3
    assert tagger.tag("", "") == []
    assert tagger.tag_many([]) == []


@pytest.mark.slow
def test_tag_many_equals_tag(tagger: HashtagTagger) -> None:
    docs = [SUMMIT, ALIASES, CYBER, NAMES, ("", ""), ("Short note", "Nothing much happened.")]
    assert tagger.tag_many(docs) == [tagger.tag(title, text) for title, text in docs]


# --- the seed, when ../shared is there ------------------------------------------------------------


class _Paragraphs(HTMLParser):
    """The text of every <p> of a page, and its <h1>."""

    def __init__(self) -> None:
        super().__init__()
        self.paragraphs: list[str] = []
        self.title = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "h1"):
            self._in = tag
            if tag == "p":
                self.paragraphs.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = None if tag == self._in else self._in

    def handle_data(self, data: str) -> None:
        if self._in == "p":
            self.paragraphs[-1] += data
        elif self._in == "h1":
            self.title += data


@pytest.mark.slow
def test_seed_hashtags(tagger: HashtagTagger) -> None:
    pages = sorted((SHARED / "seed/corpus/site").glob("*/*/*/*/*.html"))
    if not pages:
        pytest.skip("../shared/seed is not here")
    tags: dict[str, set[str]] = {}
    for page in pages:
        parsed = _Paragraphs()
        parsed.feed(page.read_text(encoding="utf-8"))
        tags[str(page)] = set(tagger.tag(parsed.title.strip(), "\n".join(parsed.paragraphs)))
    for found in tags.values():
        assert {"NationalDefenseStrategy", "PeteHegseth"} <= found
        assert not found & {"Saturday", "Afterward", "Earlier", "Meanwhile", "According", "News", "Copyright"}
    cyber = set().union(*(t for p, t in tags.items() if "cyber" in p))
    assert {"GenNakatani", "Japan", "UnitedStates", "Cybersecurity"} <= cyber
    for p, found in tags.items():
        if "japantoday" in p or "mainichi" in p:
            assert "ShangriLaDialogue" in found
        if "nikkei" in p:
            assert {"Taiwan", "DonaldTrump", "Pentagon"} <= found
