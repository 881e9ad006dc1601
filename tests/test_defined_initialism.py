"""A name the text defines an initialism for in brackets ("the Union of Free Traders (FTU)") is
one tag with it, even when its letters come in another order, as a translated name's do (issue
12, aliases and abbreviations merged: #MDS beside #MovementOfSocialist and #Democrats for the
"Movement of Socialist Democrats (MDS)"). Invented texts."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger

BODY = (
    "OSTRIN - Police closed the offices of the Union of Free Traders (FTU) on Monday, the "
    "opposition group said. The FTU said a court had ordered its eviction over unpaid rent. "
    "FTU leader Dana Whitlow said the group would appeal. The FTU has 40,000 members."
)


def test_a_defined_initialism_in_another_order_is_the_name() -> None:
    tags = HashtagTagger().tag("Opposition group evicted from offices", BODY)
    assert "UnionOfFreeTraders" in tags, tags
    assert "FTU" not in tags, tags


def test_brackets_that_spell_nothing_of_the_name_join_nothing() -> None:
    body = BODY.replace("Union of Free Traders (FTU)", "Union of Free Traders (UN)")
    tags = HashtagTagger().tag("Opposition group evicted from offices", body)
    assert "UnionOfFreeTraders" in tags, tags
    assert "FTU" in tags, tags


def test_two_entities_of_the_model_an_initialism_spells_out_are_one() -> None:
    from spacy.tokens import Span

    from tagwire.understand import entities, mentions
    from tagwire.understand.hashtags import load_model

    doc = load_model().make_doc("He spoke for the Movement of Socialist Democrats (MDS) on Monday.")
    doc.ents = [Span(doc, 3, 7, label="ORG"), Span(doc, 7, 8, label="NORP")]  # as the model cut it
    merged = mentions._side_by_side(list(doc.ents), entities.lexicon())
    assert [(e.text, e.label_) for e in merged] == [("the Movement of Socialist Democrats", "ORG")]


def test_a_run_an_initialism_spells_out_is_one_name_whatever_its_words_know() -> None:
    from tagwire.understand import entities
    from tagwire.understand.titlecase import TitleCaseReader

    text = "A spokesman for the Movement of Socialist Democrats (MDS) said the party would appeal."
    lex = entities.lexicon()  # "Democrats" alone is the alias table's party
    found = TitleCaseReader(dict(lex.names), {}, lex, entities.lower_words(text)).read(
        text, bytearray(len(text) + 1)
    )
    assert ("Movement of Socialist Democrats", "ORG") in [(m.text, m.label) for m in found], found


def test_a_bodys_initialism_of_its_own_language_is_the_name() -> None:
    body = (
        "OSTRIN - Police closed the offices of the Kessel Workers Party (PKK) on Monday, the "
        "opposition group said. The PKK said a court had ordered its eviction over unpaid rent. "
        "PKK leader Dana Whitlow said the group would appeal. The PKK has 40,000 members."
    )
    tags = HashtagTagger().tag("Opposition group evicted from offices", body)
    assert "KesselWorkersParty" in tags, tags
    assert "PKK" not in tags, tags
