"""A company the headline writes by its opening words is the company the body names in full
(issue 12, fragments and duplicates): "Halvorsen Medical completes acquisition" over "Halvorsen
Medical Industries Inc said ..." was #Halvorsen and #Medical beside #HalvorsenMedicalIndustries.
Invented texts and mentions."""

from __future__ import annotations

from tagwire.understand import mentions
from tagwire.understand.entities import Mention
from tagwire.understand.hashtags import Candidate, HashtagTagger, merge_short_forms

BODY = (
    "BERGEN - Halvorsen Medical Industries Inc said on Friday it had completed the purchase of "
    "Tollefsen Laboratories Inc of Stavanger for about 2.9 million shares of its stock.\n\n"
    "Tollefsen Laboratories makes generic heart drugs, the largest of which sells in 14 countries."
)


def test_a_headline_writes_a_company_by_its_opening_words() -> None:
    tags = HashtagTagger().tag("Halvorsen Medical completes acquisition", BODY)
    assert "HalvorsenMedicalIndustries" in tags, tags
    assert "Medical" not in tags and "Halvorsen" not in tags and "HalvorsenMedical" not in tags, tags


def test_a_name_of_its_own_is_no_short_form() -> None:
    # the body writes "Circuit City" alone too: a name of its own, not a short form
    lex, title = mentions.entities.lexicon(), "Circuit City to close 40 shops"
    found = [Mention("Circuit City", "ORG", 0), Mention("Circuit City Stores Inc", "ORG", 21)]
    assert mentions._company_prefixes(found, title, lex) == {}
    assert set(mentions._company_prefixes(found[1:], title, lex)) == {"Circuit City"}


def test_a_place_opening_a_name_is_no_short_form() -> None:
    lex = mentions.entities.lexicon()
    found = [Mention("New Zealand Cricket Board", "ORG", 0)]
    assert "New Zealand" not in mentions._company_prefixes(found, "New Zealand Cricket backs tour", lex)
    found = [Mention("Tollefsen Laboratories Holding Inc", "ORG", 0)]
    title = "Tollefsen Laboratories sells unit"
    assert set(mentions._company_prefixes(found, title, lex)) == {"Tollefsen Laboratories"}


def test_only_names_the_headline_opens_are_read() -> None:
    found = [Mention("Tollefsen Laboratories Holding Inc", "ORG", 0)]
    assert mentions._company_prefixes(found, "Drug maker sells unit", mentions.entities.lexicon()) == {}


def test_only_where_the_name_stops() -> None:
    company = Mention("Tollefsen Laboratories Holding Inc", "ORG", 0)
    prefixes = {"Tollefsen Laboratories": company}
    title = "Tollefsen Laboratories Holding buys Tollefsen Laboratories rival"
    found = [Mention("Tollefsen Laboratories Holding", "ORG", 0), Mention("Tollefsen", "PERSON", 36)]
    out = mentions.company_short_forms(found, title, prefixes)
    assert [(m.text, m.start) for m in out] == [
        ("Tollefsen Laboratories Holding", 0),
        ("Tollefsen Laboratories Holding Inc", 36),
    ]


def test_a_surname_alone_that_opens_a_company_is_the_company() -> None:
    full, short = Candidate(first=0), Candidate(first=1)
    full.add(Mention("Halvorsen Medical Industries Inc", "ORG", 0), 1.0)
    short.add(Mention("Halvorsen", "PERSON", 200), 1.0)  # the model's misreading of the company
    merged = merge_short_forms({"halvorsenmedicalindustries": full, "halvorsen": short})
    assert list(merged) == ["halvorsenmedicalindustries"] and merged["halvorsenmedicalindustries"].count == 2


def test_a_person_named_after_a_bodys_last_word_stays() -> None:
    full, short = Candidate(first=0), Candidate(first=1)
    full.add(Mention("Banque Lindqvist", "ORG", 0), 1.0)
    short.add(Mention("Lindqvist", "PERSON", 200), 1.0)
    assert set(merge_short_forms({"banquelindqvist": full, "lindqvist": short})) == {
        "banquelindqvist",
        "lindqvist",
    }


def test_a_head_noun_alone_is_the_one_body_it_heads() -> None:
    full, short = Candidate(first=0), Candidate(first=1)
    full.add(Mention("Bank of Tarnia", "ORG", 0), 1.0)
    short.add(Mention("Bank", "UNK", 120), 1.0)  # "the Bank left rates on hold"
    merged = merge_short_forms({"bankoftarnia": full, "bank": short})
    assert list(merged) == ["bankoftarnia"] and merged["bankoftarnia"].count == 2
    other = Candidate(first=2)
    other.add(Mention("World Bank", "ORG", 300), 1.0)  # two banks: "the Bank" is neither
    both = merge_short_forms({"bankoftarnia": full, "bank": short, "worldbank": other})
    assert "bank" in both
    place = Candidate(first=3)
    place.add(Mention("Tarnia", "GPE", 400), 1.0)  # the bank is not named after Tarnia
    assert "tarnia" in merge_short_forms({"bankoftarnia": full, "tarnia": place})
