"""#Euthanasia is a topic of its own (assisted dying, the right to die), and a train collision is
an accident (issue 12: the story's central topic among its tags). Invented texts."""

from __future__ import annotations

from tagwire.understand.hashtags import HashtagTagger


def test_assisted_dying_is_euthanasia() -> None:
    body = (
        "Lawmakers in Ostrin will debate a bill on assisted dying next month. Supporters of the "
        "right to die say terminally ill adults should be able to end their lives with a doctor's "
        "help; opponents say euthanasia puts vulnerable people at risk. The bill has support in "
        "all parties, and a vote on assisted dying is expected before the summer."
    )
    tags = HashtagTagger().tag("Lawmakers to debate assisted dying bill", body)
    assert "Euthanasia" in tags[:4], tags


def test_a_train_collision_is_an_accident() -> None:
    body = (
        "Eleven passengers were hurt on Sunday when a regional train ran into a freight train at "
        "Velmora station, the railway said. The train collision happened at low speed, and the "
        "driver had braked before the head-on collision, a railway spokesman said."
    )
    tags = HashtagTagger().tag("Passengers hurt in train collision at Velmora", body)
    assert "Accidents" in tags, tags
