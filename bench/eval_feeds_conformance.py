#!/usr/bin/env python3
"""tagwire's feed parsing against feedparser's own test suite: about 2,000 small odd feeds
(wellformed/, illformed/, entities/), each with an "Expect:" line, a Python expression over
feedparser's result.

    python bench/eval_feeds_conformance.py PATH/TO/feedparser/tests [--list N] [-v] [--json OUT]
    (or FEEDPARSER_TESTS=PATH/TO/feedparser/tests; exit status 2 when neither names the folder)
    python bench/eval_feeds_conformance.py --time-real ../shared/corpora/real-feeds

The suite is read where it is (a checkout of github.com/kurtmckee/feedparser, or from a bare
mirror: `git -C MIRROR archive HEAD tests | tar -x -C /tmp/fp`, then /tmp/fp/tests); nothing of
it is copied into the project. For every test whose expectation concerns what tagwire keeps (an item's
title, link, date, summary/description/content, author, guid/id; the feed's title and link):

1. feedparser parses the file as its own suite does, and the Expect expression is evaluated:
   a test feedparser itself fails is counted apart ("fp fails") and not compared;
2. `tagwire.ingest.parse.parse_feed` reads the same bytes (its base URL is the Content-Location
   the test declares, else http://127.0.0.1:8097/tests/<path>, the address feedparser's suite uses);
3. each concerned field is compared: tagwire's plain-text field against feedparser's value
   converted the way tagwire converts (`title_text`, `html_to_text` + `clean_excerpt`,
   `author_name`, `absolute_url` against the same base, dates as UTC datetimes), with the same
   precedence (summary, else content; published, else updated).

Items without a link. Most of these feeds are one <item> with only the field under test, and
tagwire keeps no item without a usable http(s) link (an item it cannot read in full, by design).
So when the expectation is not about links, each item or entry that has no <link> gets one
(`<link>http://127.0.0.1:8097/probe/N</link>`, or `<link href=.../>` in Atom) right after its
start tag before tagwire reads it; a feed-level test of a feed with no item gets one empty item
with a link (feedparser still reads the untouched file). Tests about links are read untouched.
(An item whose <xhtml:body> holds a <link> gets no probe: sanitize/item_xhtml_body_link.xml
counts as "missing".)

Differences that are tagwire's choice, not a fault (counted as "by design", listed with -v):
- an item whose only link is not an http(s) address (javascript:, data:, mailto:, relative with
  no usable base) is skipped, never kept;
- a date before 1970 is a misreading (a cut-off year), kept as no date;
- a title or summary declared type="text" (Atom) that holds tag-like text: feedparser keeps
  it literally, tagwire reads HTML there (drops inline tags from titles, all tags from
  summaries), since real feeds declare text and send
  HTML far more often than they mean "<b>" as words;
- a title holding other tag-like text (<iframe ...>, <blink>, <img ...>): feedparser's sanitizer
  removes it, tagwire keeps it as the words the outlet wrote, shown escaped (`title_text`); the
  two agree once that text is taken out;
- &lang; and &rang;: feedparser gives HTML 4's U+2329/U+232A, tagwire HTML5's U+27E8/U+27E9.

Left alone (counted as disagreements, each a feedparser behaviour no reader misses, or a rare
form not worth a slower path; see docs/architecture.md, "Feed parsing against feedparser's suite"):
CDF channels (Microsoft, 1997) are not read; <xhtml:body> and <fullitem> in RSS items are not
read as content; Atom 1.0 text of type "application/octet-stream" (base64) is not decoded; of
two dates, tagwire keeps <published> (Atom 0.3's <issued> first) and the first <updated>,
feedparser the last; an element of another namespace whose local name is title or description
(media:title before <title>) can stand in for the item's own (fastfeedparser reads local names);
<dc:title> and <TiTlE> are not read as a feed's title; relative guids are not resolved (a guid
is an identity, never shown); entities declared in a DOCTYPE are not expanded (billion laughs,
XXE); an RSS item with both <summary> and <description> keeps the description; Atom type="html"
content holding unescaped elements keeps only its escaped text; HTML comments and CDATA
inside escaped HTML end where HTML5 ends them (feedparser's "crazy" and "malicious comment"
cases), and an attribute value holding "<" or ">" ends the tag early.

It prints, per category (the folder under wellformed/, or illformed, entities): files, files
concerned, fields compared, agree, disagree, by design, tagwire ParseError, crashes, and then
each disagreement with its file; and the whole run's time and the slowest file (none should take
a second). Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import os
import re
import sys
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import feedparser

from tagwire.errors import ParseError
from tagwire.ingest.excerpt import clean_excerpt
from tagwire.ingest.markup import (
    absolute_url,
    author_name,
    collapse_whitespace,
    html_to_text,
    title_text,
)
from tagwire.ingest.parse import parse_feed
from tagwire.models import FeedItem, ParsedFeed

BASE = "http://127.0.0.1:8097/tests/"
PROBE = "http://127.0.0.1:8097/probe/"
_DESC = re.compile(r"Description:\s*(.*?)\s*Expect:\s*(.*)\s*-->")  # as the suite reads it
_SKIP = re.compile(r"SkipUnless:\s*(.*?)\n")
_HEADER = re.compile(r"^Header:\s+([^:]+):(.*)$", re.M)
_ACCESS = re.compile(r"(entries\[(\d+)\]|feed)((?:\[['\"]\w+['\"]\]|\.\w+|\.get\(['\"]\w+['\"]|\[\d+\])+)")
_KEY = re.compile(r"\w+")
_ITEM_START = re.compile(rb"<(?:(\w+):)?(item|entry)(?=[\s>])[^>]*>")
_FEED_END = re.compile(rb"</(?:(\w+):)?(channel|feed)\s*>")

ITEM_FIELDS = {
    "title": "title",
    "title_detail.value": "title",
    "link": "link",
    "links.href": "link",
    "guidislink": "link",
    "published": "date",
    "published_parsed": "date",
    "updated": "date",
    "updated_parsed": "date",
    "modified": "date",
    "modified_parsed": "date",
    "issued": "date",
    "issued_parsed": "date",
    "created": "date",
    "created_parsed": "date",
    "date": "date",
    "date_parsed": "date",
    "description": "summary",
    "summary": "summary",
    "summary_detail.value": "summary",
    "content.value": "summary",
    "author": "author",
    "author_detail.name": "author",
    "id": "guid",
    "guid": "guid",
}
FEED_FIELDS = {
    "title": "feed title",
    "title_detail.value": "feed title",
    "link": "feed link",
    "links.href": "feed link",
}


@dataclass
class Case:
    path: Path
    category: str
    expect: str
    skip_unless: str
    headers: dict[str, str]
    data: bytes


@dataclass
class Tally:
    files: int = 0
    concerned: int = 0
    fp_fails: int = 0
    compared: int = 0
    agree: int = 0
    disagree: int = 0
    by_design: int = 0
    parse_error: int = 0
    crashed: int = 0


@dataclass
class Outcome:
    """One file's comparison."""

    fields: list[tuple[str, str, Any, Any]] = field(default_factory=list)  # (field, verdict, fp, tw)
    parse_error: str | None = None
    crash: str | None = None
    fp_fails: bool = False
    seconds: float = 0.0


# ── reading the suite ─────────────────────────────────────────────────────────────────────────


def load_cases(root: Path) -> list[Case]:
    cases = []
    for path in sorted(p for d in ("wellformed", "illformed", "entities") for p in (root / d).rglob("*.xml")):
        data = path.read_bytes()
        text = _as_text(data)
        found = _DESC.search(text)
        if found is None:
            continue
        skip = _SKIP.search(text)
        headers = {k.strip(): v.strip() for k, v in _HEADER.findall(text)}
        rel = path.relative_to(root)
        category = rel.parts[1] if rel.parts[0] == "wellformed" else rel.parts[0]
        cases.append(
            Case(
                path, category, found.group(2).strip(), skip.group(1).strip() if skip else "1", headers, data
            )
        )
    return cases


def _as_text(data: bytes) -> str:
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, "ignore")
    if data[:4] in (b"\x00<\x00?", b"<\x00?\x00"):
        return data.decode("utf-16-be" if data[0] == 0 else "utf-16-le", "ignore")
    return data.decode("utf-8", "ignore")


def concerns(expect: str) -> dict[tuple[int | None, str], str]:
    """The tagwire fields an expectation is about: {(entry index or None for the feed, key): field}."""
    found: dict[tuple[int | None, str], str] = {}
    for match in _ACCESS.finditer(expect):
        index = None if match.group(1) == "feed" else int(match.group(2))
        keys = [k for k in _KEY.findall(match.group(3)) if not k.isdigit() and k != "get"]
        if not keys:
            continue
        key = keys[0] if len(keys) == 1 else f"{keys[0]}.{keys[1]}"
        table = FEED_FIELDS if index is None else ITEM_FIELDS
        name = table.get(key) or (table.get(keys[0]) if len(keys) == 1 else None)
        if name:
            found[(index, name)] = name
    return found


# ── the two readings ──────────────────────────────────────────────────────────────────────────


def feedparser_result(case: Case, base: str) -> Any:
    """feedparser's reading as its suite makes it: the files named http* as fetched from `base`."""
    headers = {k.lower(): v for k, v in case.headers.items()}
    headers.setdefault("content-type", "text/xml")
    if case.path.name.startswith("http") or case.category == "http":
        headers["content-location"] = base
    return feedparser.parse(case.data, response_headers=headers)


def fp_passes(case: Case, result: Any) -> bool:
    env = {"datetime": dt, "feedparser": feedparser}
    try:
        return bool(eval(case.skip_unless, env, {})) and bool(eval(case.expect, env, result))
    except Exception:
        return False


def base_url(case: Case, root: Path) -> str:
    default = BASE + case.path.relative_to(root).as_posix()
    location = case.headers.get("Content-Location")
    resolved = absolute_url(location, default) if location else None
    return resolved or default


def with_probe_links(data: bytes, feed_level_only: bool) -> bytes:
    """Each item or entry without a <link> gets one; a feed with no item gets one item."""
    if feed_level_only and not _ITEM_START.search(data):
        end = _FEED_END.search(data)
        if end is None:
            return data
        prefix = end.group(1) + b":" if end.group(1) else b""
        tag = b"entry" if end.group(2) == b"feed" else b"item"
        item = b"<%s%s>%s</%s%s>" % (prefix, tag, _probe(prefix, tag, 0), prefix, tag)
        return data[: end.start()] + item + data[end.start() :]
    out, last, n = [], 0, 0
    for start in _ITEM_START.finditer(data):
        prefix = start.group(1) + b":" if start.group(1) else b""
        close = data.find(b"</" + prefix + start.group(2), start.end())
        inside = data[start.end() : close if close >= 0 else len(data)]
        if re.search(rb"<(?:\w+:)?link[\s>/]", inside) is None:
            out += [data[last : start.end()], _probe(prefix, start.group(2), n)]
            last, n = start.end(), n + 1
    return b"".join(out) + data[last:]


def _probe(prefix: bytes, tag: bytes, n: int) -> bytes:
    url = (PROBE + str(n)).encode()
    if tag == b"entry":
        return b'<%slink rel="alternate" type="text/html" href="%s"/>' % (prefix, url)
    return b"<%slink>%s</%slink>" % (prefix, url, prefix)


def tagwire_reading(data: bytes, url: str, content_type: str | None, out: Outcome) -> ParsedFeed | None:
    """parse_feed's reading, read twice: the time kept is the faster (a library's first use of
    a code path compiles patterns once per process: fastfeedparser's date fallback, ~0.4 s)."""
    feed, first = _timed_parse(data, url, content_type, out)
    out.seconds = min(first, _timed_parse(data, url, content_type, Outcome())[1])
    return feed


def _timed_parse(
    data: bytes, url: str, content_type: str | None, out: Outcome
) -> tuple[ParsedFeed | None, float]:
    started = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return parse_feed(data, url, content_type), time.perf_counter() - started
    except ParseError as error:
        out.parse_error = str(error)
    except Exception:  # what the bench is here to find
        out.crash = traceback.format_exc(limit=3).strip().splitlines()[-1]
    return None, time.perf_counter() - started


# ── feedparser's value converted the way tagwire converts ────────────────────────────────────


def _detail_text(entry: Any, key: str, as_title: bool) -> str:
    value = entry.get(key)
    if not isinstance(value, str):
        return ""
    kind = (entry.get(f"{key}_detail") or {}).get("type", "")
    if kind == "text/plain":
        return collapse_whitespace(value)
    return title_text(value) if as_title and "xhtml" not in kind else html_to_text(value)


def expected_title(entry: Any) -> str:
    return _detail_text(entry, "title", as_title=True)


def expected_summary(entry: Any) -> str:
    text = _detail_text(entry, "summary", as_title=False)
    if not text and entry.get("content"):
        first = entry["content"][0]
        value = first.get("value") or ""
        text = collapse_whitespace(value) if first.get("type") == "text/plain" else html_to_text(value)
    return clean_excerpt(text, expected_title(entry))


def expected_date(entry: Any) -> dt.datetime | None:
    value = entry.get("published_parsed") or entry.get("updated_parsed")
    return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC) if value else None


def expected_author(entry: Any) -> str | None:
    name = (entry.get("author_detail") or {}).get("name")
    return author_name(name) if name else author_name(entry.get("author"))


def expected_link(entry: Any, base: str) -> str | None:
    return absolute_url(entry.get("link"), base)


def item_value(item: FeedItem, name: str) -> Any:
    return {
        "title": item.title,
        "link": item.url,
        "date": item.published,
        "summary": item.summary,
        "author": item.author,
        "guid": item.guid,
    }[name]


def fp_value(entry: Any, name: str, base: str) -> Any:
    if name == "title":
        return expected_title(entry)
    if name == "link":
        return expected_link(entry, base)
    if name == "date":
        return expected_date(entry)
    if name == "summary":
        return expected_summary(entry)
    if name == "author":
        return expected_author(entry)
    guid = entry.get("id")
    return guid.strip() or None if isinstance(guid, str) else None


_HTML4_ANGLES = str.maketrans({"\u2329": "\u27e8", "\u232a": "\u27e9"})


def by_design(name: str, fp: Any, tw: Any, entry: Any) -> bool:
    """The differences the docstring lists as tagwire's choice."""
    if name == "date" and isinstance(fp, dt.datetime) and fp.year < 1970 and tw is None:
        return True
    if not isinstance(fp, str) or not isinstance(tw, str):
        return False
    if fp.translate(_HTML4_ANGLES) == tw:
        return True
    key = {"feed title": "title"}.get(name, name)
    if key in ("title", "summary") and (entry.get(f"{key}_detail") or {}).get("type") == "text/plain":
        convert = title_text if name == "title" else html_to_text
        return tw == (
            convert(entry.get(key) or "") or None if name == "feed title" else convert(entry.get(key) or "")
        )
    return name in ("title", "feed title") and "<" in tw and html_to_text(tw) == html_to_text(fp)


# ── one file ──────────────────────────────────────────────────────────────────────────────────


def run_case(case: Case, root: Path) -> Outcome:
    out = Outcome()
    wanted = concerns(case.expect)
    if not wanted:
        return out
    base = base_url(case, root)
    result = feedparser_result(case, base)
    if not fp_passes(case, result):
        out.fp_fails = True
        return out
    about_links = any(name in ("link", "feed link") for name in wanted.values())
    feed_only = all(index is None for index, _ in wanted)
    data = case.data if about_links else with_probe_links(case.data, feed_only)
    feed = tagwire_reading(data, base, case.headers.get("Content-type"), out)
    entries = list(result.get("entries") or [])
    for (index, name), _ in sorted(wanted.items(), key=lambda kv: (kv[0][0] or -1, kv[0][1])):
        if index is None:
            out.fields.append(_compare_feed(name, result.get("feed") or {}, feed, base))
        elif index < len(entries):
            out.fields.append(_compare_item(name, index, entries, feed, base, about_links))
    return out


def _compare_feed(name: str, head: Any, feed: ParsedFeed | None, base: str) -> tuple[str, str, Any, Any]:
    if name == "feed title":
        fp = _detail_text(head, "title", as_title=False) or None
        tw = feed.title if feed else None
    else:
        fp = absolute_url(head.get("link"), base)
        tw = feed.site_url if feed else None
    verdict = _verdict(fp, tw, feed)
    return (name, "by design" if verdict == "disagree" and by_design(name, fp, tw, head) else verdict, fp, tw)


def _compare_item(
    name: str, index: int, entries: list[Any], feed: ParsedFeed | None, base: str, about_links: bool
) -> tuple[str, str, Any, Any]:
    entry = entries[index]
    fp = fp_value(entry, name, base)
    item = _matching_item(index, entries, feed, base, about_links)
    if item is None:
        usable = expected_link(entry, base) is not None or not about_links
        if feed is not None and not usable:
            return (name, "by design", fp, "(item skipped: no http(s) link)")
        return (name, "missing" if feed is not None else "no feed", fp, None)
    tw = item_value(item, name)
    if fp == tw:
        return (name, "agree", fp, tw)
    return (name, "by design" if by_design(name, fp, tw, entry) else "disagree", fp, tw)


def _matching_item(
    index: int, entries: list[Any], feed: ParsedFeed | None, base: str, about_links: bool
) -> FeedItem | None:
    """tagwire's item for feedparser's entries[index]: the same position, counting only the
    entries with a usable link when the test was read untouched."""
    if feed is None:
        return None
    if about_links:
        if expected_link(entries[index], base) is None and len(feed.items) != len(entries):
            return None
        if len(feed.items) != len(entries):
            index = sum(1 for e in entries[:index] if expected_link(e, base) is not None)
    return feed.items[index] if index < len(feed.items) else None


def _verdict(fp: Any, tw: Any, feed: ParsedFeed | None) -> str:
    if feed is None:
        return "no feed"
    return "agree" if fp == tw else "disagree"


# ── the run ───────────────────────────────────────────────────────────────────────────────────


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tests", nargs="?", default=os.environ.get("FEEDPARSER_TESTS"))
    parser.add_argument("--list", type=int, default=200, help="disagreements listed at most")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the by-design ones too")
    parser.add_argument("--json", type=Path, help="write every compared field here")
    parser.add_argument(
        "--time-real", type=Path, metavar="DIR", help="only time parse_feed on the feeds in DIR"
    )
    args = parser.parse_args()
    if args.time_real:
        return time_real_feeds(args.time_real)
    root = Path(args.tests) if args.tests else None
    if root is None or not (root / "wellformed").is_dir():
        print(
            "feedparser's tests folder not found: pass the path of a checkout's tests/ folder "
            "(github.com/kurtmckee/feedparser) as the argument or in FEEDPARSER_TESTS",
            file=sys.stderr,
        )
        return 2
    cases = load_cases(root)
    tallies: dict[str, Tally] = {}
    listed: list[str] = []
    rows = []
    slowest = (0.0, "")
    started = time.perf_counter()
    for case in cases:
        tally = tallies.setdefault(case.category, Tally())
        tally.files += 1
        out = run_case(case, root)
        name = case.path.relative_to(root).as_posix()
        slowest = max(slowest, (out.seconds, name))
        _count(tally, out, name, listed, args.verbose)
        rows += [
            {"file": name, "field": f, "verdict": v, "feedparser": repr(a), "tagwire": repr(b)}
            for f, v, a, b in out.fields
        ]
    elapsed = time.perf_counter() - started
    _print_table(tallies)
    slow_ms = slowest[0] * 1000
    print(f"\n{len(cases)} files in {elapsed:.1f} s; slowest tagwire parse {slow_ms:.0f} ms ({slowest[1]})")
    also = ", by design" if args.verbose else ""
    print(f"\n{len(listed)} listed (disagree, missing, ParseError, crash{also}):")
    for line in listed[: args.list]:
        print(line)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    return 0


def time_real_feeds(folder: Path, rounds: int = 5) -> int:
    """parse_feed's time on every file of `folder` (../shared/corpora/real-feeds): the best of
    `rounds` runs, and how many files went to feedparser (the slow path)."""
    from tagwire.ingest import parse

    skipped = ("serde.json", "LICENSE", "LICENSE-MIT", "SOURCE.txt")  # as tests/helpers.py picks them
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not p.name.endswith(skipped) and "output" not in p.parts
    )
    bodies = [p.read_bytes() for p in files]
    slow_calls: list[int] = []
    real_slow = parse._slow

    def counting(*args: Any) -> Any:
        slow_calls.append(1)
        return real_slow(*args)

    parse._slow = counting  # type: ignore[assignment]
    best, items, errors = float("inf"), 0, 0
    for _ in range(rounds):
        slow_calls.clear()
        items = errors = 0
        started = time.perf_counter()
        for body in bodies:
            try:
                items += len(parse_feed(body, "http://127.0.0.1:8097/feed").items)
            except ParseError:
                errors += 1
        best = min(best, time.perf_counter() - started)
    print(f"{len(bodies)} files, {items} items, {errors} ParseError; best of {rounds}: {best * 1000:.0f} ms")
    print(f"feedparser ran {len(slow_calls)} times a round")
    return 0


def _count(tally: Tally, out: Outcome, name: str, listed: list[str], verbose: bool) -> None:
    if not out.fields and not out.fp_fails:
        return
    tally.concerned += 1
    if out.fp_fails:
        tally.fp_fails += 1
        return
    if out.crash:
        tally.crashed += 1
        listed.append(f"  CRASH {name}: {out.crash}")
    elif out.parse_error:
        tally.parse_error += 1
        listed.append(f"  ParseError {name}: {out.parse_error}")
    if out.seconds > 1.0:
        listed.append(f"  SLOW {name}: {out.seconds:.2f} s")
    for field_name, verdict, fp, tw in out.fields:
        tally.compared += 1
        if verdict == "agree":
            tally.agree += 1
            continue
        if verdict == "by design":
            tally.by_design += 1
            if not verbose:
                continue
        else:
            tally.disagree += 1
        if verdict != "no feed":
            listed.append(f"  {verdict} {name} [{field_name}] feedparser={fp!r} tagwire={tw!r}")


def _print_table(tallies: dict[str, Tally]) -> None:
    names = ("files", "concern", "fpfail", "fields", "agree", "rate", "disagr", "design", "PErr", "crash")
    widths = (6, 8, 7, 7, 7, 7, 7, 7, 6, 6)
    print(f"{'category':<16}" + "".join(f"{n:>{w}}" for n, w in zip(names, widths, strict=True)))
    total = Tally()
    for category in sorted(tallies):
        t = tallies[category]
        print(_row(category, t))
        for key in vars(total):
            setattr(total, key, getattr(total, key) + getattr(t, key))
    print(_row("all", total))


def _row(name: str, t: Tally) -> str:
    rate = f"{t.agree / t.compared:.3f}" if t.compared else "-"
    return (
        f"{name:<16}{t.files:>6}{t.concerned:>8}{t.fp_fails:>7}{t.compared:>7}{t.agree:>7}{rate:>7}"
        f"{t.disagree:>7}{t.by_design:>7}{t.parse_error:>6}{t.crashed:>6}"
    )


if __name__ == "__main__":
    sys.exit(main())
