"""A name and its plural are one hashtag (issue 12, aliases merged into one tag): "Oscar" and
"Oscars", "DVD" and "DVDs" were two tags of one report in 55 reports of five corpora; a name
that is a topic's singular takes the topic's tag ("Olympic" beside #Olympics). Invented texts."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger


def test_a_name_and_its_plural_are_one_tag() -> None:
    body = (
        "LOS ANGELES - The film won three Oscars on Sunday night, more than any other picture. "
        "Its director, Mara Quinlan, said the Oscar for best picture was a surprise. The Oscars "
        "were watched by fewer viewers than last year, and the Oscar for best actress went to "
        "Dana Whitcombe for her role as a nurse."
    )
    tags = HashtagTagger().tag("Quiet film sweeps the Oscars", body)
    assert sum(t in ("Oscar", "Oscars") for t in tags) == 1, tags


def test_a_product_and_its_plural_are_one_tag() -> None:
    body = (
        "TOKYO - Sales of DVDs rose by a fifth last year, the Japan Video Association said on "
        "Monday. A DVD now costs less than a cinema ticket, and the association expects DVDs to "
        "outsell videotapes by two to one next year. Kenji Morimoto of the association said the "
        "DVD had won over families."
    )
    tags = HashtagTagger().tag("Japanese buy more DVDs", body)
    assert sum(t in ("DVD", "DVDs") for t in tags) == 1, tags


def test_a_name_that_is_a_topics_singular_takes_the_topic() -> None:
    body = (
        "BERLIN - Hanna Voss, the Olympic champion, won the 800 metres at the indoor meeting on "
        "Sunday. Voss, who took Olympic gold in the summer, said she would run at the Olympics "
        "again. The Olympic sprinter Lena Brandt was second, and the Olympics' organisers watched "
        "from the stand as Voss set a meeting record in the athletics hall."
    )
    tags = HashtagTagger().tag("Olympic champion Voss wins in Berlin", body)
    assert "Olympic" not in tags
    assert "Olympics" in tags, tags


def test_people_named_alike_stay_apart() -> None:
    body = (
        "CARDIFF - Prince William opened the new hospital wing on Friday. The wing was designed by "
        "the architect Rhys Williams, whose firm also built the city's library. William thanked "
        "the nurses, and Williams said the wing would open to patients in May."
    )
    tags = HashtagTagger().tag("Prince opens hospital wing", body)
    assert "RhysWilliams" in tags, tags
