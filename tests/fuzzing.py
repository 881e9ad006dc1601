"""Fuzzing helpers for tests/test_fuzz.py: the property every stage must hold on hostile input,
the hypothesis profiles, and the strategies that make hostile input (text of every Unicode
category, megabytes by repetition, deep nesting, feed skeletons of the four formats).

The property: whatever the input, a call returns or raises one of tagwire's own errors
(`TagwireError`), within SECONDS. That bound catches catastrophic behaviour (backtracking regular
expressions, quadratic loops: seconds to hours on a megabyte), not speed.

Profiles (`TAGWIRE_FUZZ_PROFILE`): "tagwire-ci", the default, is derandomized and keeps no
example database, so every run tries the same examples (reproducible in CI) and does not shrink
(a failing megabyte example that takes SECONDS to fail would take minutes to shrink; failing
examples print as their recipe, `'A' * 1048576`, and with the blob `@reproduce_failure` takes).
"tagwire-deep" explores: random, more examples, with shrinking, for a run by hand.
"""

from __future__ import annotations

import json
import os
import signal
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from tagwire.errors import TagwireError

SECONDS = 5.0
"""Longest one call may take. Catastrophic behaviour shows up as seconds to hours on these
inputs; this is a bound on that, not a speed requirement."""

T = TypeVar("T")

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile(
    "tagwire-ci",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=100,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    print_blob=True,
    suppress_health_check=_QUIET,
)
settings.register_profile("tagwire-deep", deadline=None, max_examples=800, suppress_health_check=_QUIET)
PROFILE = settings.get_profile(os.environ.get("TAGWIRE_FUZZ_PROFILE", "tagwire-ci"))


def fuzz(share: float = 1.0) -> settings:
    """The profile's settings with `share` of its examples (costly stages run fewer)."""
    return settings(PROFILE, max_examples=max(1, round(PROFILE.max_examples * share)))


# ── the property ──────────────────────────────────────────────────────────────────────────────


class Catastrophic(AssertionError):
    """A call ran past SECONDS."""


@contextmanager
def bounded(what: str) -> Iterator[None]:
    """Fail a call that runs past SECONDS. SIGALRM interrupts it then (regular expressions and
    Python loops at once, C code such as lxml or spaCy when it returns to Python), so a call
    that would take hours does not hang the suite; the time is checked again on return, as a
    stage's `except Exception` may have swallowed the interruption."""

    def stop(_signum: int, _frame: types.FrameType | None) -> None:
        raise Catastrophic(f"{what} ran past {SECONDS} s: catastrophic behaviour, not slowness")

    previous = signal.signal(signal.SIGALRM, stop)
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    elapsed = time.monotonic() - started
    if elapsed > SECONDS:
        raise Catastrophic(f"{what} took {elapsed:.1f} s (over {SECONDS} s): catastrophic behaviour")


def survives(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """`fn(*args, **kwargs)` within SECONDS; None if it raised a TagwireError, the only kind of
    exception allowed to leave a stage. Anything else propagates and fails the test."""
    with bounded(getattr(fn, "__qualname__", repr(fn))):
        try:
            return fn(*args, **kwargs)
        except TagwireError:
            return None


# ── strategies ────────────────────────────────────────────────────────────────────────────────


class Big(str):
    """A long string made by repetition, reported by its recipe (`'A' * 1048576`)."""

    recipe: tuple[str, int]

    def __new__(cls, piece: str, times: int) -> Big:
        self = super().__new__(cls, piece * times)
        self.recipe = (piece, times)
        return self

    def __repr__(self) -> str:
        return f"{self.recipe[0]!r} * {self.recipe[1]}"


class BigBytes(bytes):
    """Bytes made by repetition, reported by their recipe."""

    recipe: tuple[bytes, int]

    def __new__(cls, piece: bytes, times: int) -> BigBytes:
        self = super().__new__(cls, piece * times)
        self.recipe = (piece, times)
        return self

    def __repr__(self) -> str:
        return f"{self.recipe[0]!r} * {self.recipe[1]}"


class Doc(str):
    """A generated document, reported by its length and start: hypothesis refuses to print
    megabytes, and `print_blob` gives the exact failing example to reproduce."""

    def __repr__(self) -> str:
        return (
            f"<{len(self)} chars: {str.__repr__(self[:300])}...>" if len(self) > 2000 else str.__repr__(self)
        )


class DocBytes(bytes):
    def __repr__(self) -> str:
        return (
            f"<{len(self)} bytes: {bytes.__repr__(self[:300])}...>"
            if len(self) > 2000
            else bytes.__repr__(self)
        )


# Pieces that mean something to a parser or a regular expression of the stages.
FRAGMENTS = [
    "<", ">", "&", ";", "&amp;", "&#0;", "&#xD800;", "&nbsp;", "&lt;script&gt;", "]]>", "<![CDATA[",
    "<!--", "-->", "<!DOCTYPE x [", "<!ENTITY a 'b'>", "]>", "<?xml ", "?>", "<script>", "</script>",
    "<p>", "</p>", "<div>", "<a href='javascript:alert(1)'>", "<img src=x onerror=alert(1)>", "\x00",
    "\ufeff", "\ufffd", "\u202e", "\u200b", "\r\n", "\t", " ", "'", '"', "(", ")", "[", "]", "#", "@",
    "-", "--", "—", ".", "...", "…", "A", "AB", "Ab", "a", "1", "2025-", "12:00", "T", "Z", "+09:00",
    "http://", "https://", "javascript:", "data:text/html,", "file:///etc/passwd", "//", "/..", "%",
    "%00", "?", "=", "utm_source=x", "(Reuters)", "(Kyodo) --", "Reporting by", "©", "NOT", "OR",
    "AND", "outlet:", "since:", "\"", "\U0001f600", "İ", "ß", "ﬀ", "\u0301", "\ud800", "\udfff",
]  # fmt: skip

ANY_CHAR = st.characters()  # every category, surrogates (Cs) included: a str can hold them
piece = st.text(ANY_CHAR, min_size=1, max_size=6) | st.lists(
    st.sampled_from(FRAGMENTS), min_size=1, max_size=3
).map("".join)
mixed = st.lists(piece, max_size=40).map("".join)
short = st.text(ANY_CHAR, max_size=80) | mixed
MiB = 1 << 20
SIZES = st.sampled_from([MiB, 300_000, 100_000]) | st.integers(10_000, MiB)


@st.composite
def huge(draw: st.DrawFn, pieces: st.SearchStrategy[str] = piece) -> Big:
    """10 KB to 1 MiB of repetitions of one piece: a run of capitals, of "<a ", of "&#", ..."""
    unit = draw(pieces)
    return Big(unit, max(1, draw(SIZES) // len(unit)))


text = short | huge()
big_bytes = st.builds(
    lambda unit, size: BigBytes(unit, max(1, size // len(unit))),
    st.binary(min_size=1, max_size=6),
    SIZES,
)
any_bytes = st.binary(max_size=2000) | big_bytes


def encoded(value: str) -> bytes:
    """Text as a body carries it: UTF-8, lone surrogates left as the invalid bytes they make."""
    return DocBytes(value.encode("utf-8", "surrogatepass"))


def deep(open_tag: str, close_tag: str = "") -> st.SearchStrategy[str]:
    """`open_tag` nested up to 100,000 deep, closed or not."""
    return st.builds(
        lambda n, closed: Doc(open_tag * n + (close_tag * n if closed else "")),
        st.integers(1, 100_000),
        st.booleans(),
    )


# ── feed skeletons ────────────────────────────────────────────────────────────────────────────


@st.composite
def xml_value(draw: st.DrawFn, values: st.SearchStrategy[str] = text) -> str:
    """A field value as a feed may write it: escaped, raw (often breaking the XML) or in CDATA."""
    value = draw(values)
    how = draw(st.sampled_from(["escaped", "raw", "cdata"]))
    if how == "escaped":
        return escape(value)
    return f"<![CDATA[{value}]]>" if how == "cdata" else value


ITEM_FIELDS = {
    "rss": ("title", "link", "description", "guid", "pubDate", "author", "category"),
    "atom": ("title", "id", "summary", "content", "published", "updated", "author", "category"),
    "rdf": ("title", "link", "description", "dc:date", "dc:creator", "dc:subject"),
}
DECLARATIONS = ["", '<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-8"?>']
DECLARATIONS += [f'<?xml version="1.0" encoding="{e}"?>' for e in ("iso-8859-1", "shift_jis", "utf-16", "x")]
PROLOGS = [
    "",
    "<!DOCTYPE rss>",
    "<!DOCTYPE x [<!ENTITY a 'b'>]>",
    "<!-- c -->",
    "<?pi x?>",
    "\ufeff",
    "<!DOCTYPE x [",
]
LINKS = st.sampled_from(["http://127.0.0.1/a", "/relative", "javascript:alert(1)", "data:text/html,<b>x</b>"])


@st.composite
def xml_feed(draw: st.DrawFn) -> bytes:
    """An RSS, Atom or RDF feed whose fields hold hostile text; sometimes deep nesting inside an
    item, or the body cut short."""
    fmt = draw(st.sampled_from(sorted(ITEM_FIELDS)))
    items = draw(st.lists(_xml_item(fmt), min_size=1, max_size=4))
    if draw(st.booleans()):
        items.insert(draw(st.integers(0, len(items))), draw(deep("<x>", "</x>") | deep("<item>")))
    body = draw(st.sampled_from(DECLARATIONS)) + draw(st.sampled_from(PROLOGS))
    data = encoded(body + wrap(fmt, draw(xml_value()), "".join(items)))
    return DocBytes(data[: draw(st.integers(0, len(data)))]) if draw(st.integers(0, 4)) == 0 else data


@st.composite
def _xml_item(draw: st.DrawFn, fmt: str) -> str:
    inner = ""
    for name in draw(st.lists(st.sampled_from(ITEM_FIELDS[fmt]), min_size=1, max_size=5)):
        value = draw(xml_value(LINKS | text))
        if fmt == "atom" and name == "id" and draw(st.booleans()):
            inner += f"<link href={quoteattr(value)}/>"
        inner += f"<{name}>{value}</{name}>"
    tag = {"rss": "item", "atom": "entry", "rdf": "item"}[fmt]
    return f"<{tag}>{inner}</{tag}>"


def wrap(fmt: str, title: str, items: str) -> str:
    if fmt == "rss":
        return f'<rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'
    if fmt == "atom":
        return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>{items}</feed>'
    return (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"'
        f' xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>{title}</title></channel>{items}</rdf:RDF>'
    )


def rss(item: str, broken: bool = False) -> bytes:
    """An RSS feed of one item; `broken` (an unclosed element) sends it to feedparser's salvage."""
    item = f"<item><link>http://127.0.0.1/a</link>{item}{'<x>' if broken else ''}</item>"
    return encoded(
        wrap("rss", "t", item).replace("<rss ", '<rss xmlns:dc="http://purl.org/dc/elements/1.1/" ')
    )


json_scalar = st.none() | st.booleans() | st.integers() | st.floats() | text
json_value = st.recursive(
    json_scalar, lambda inner: st.lists(inner) | st.dictionaries(short, inner), max_leaves=20
)
JSON_KEYS = ["id", "url", "external_url", "title", "content_html", "content_text", "summary",
             "date_published", "date_modified", "author", "authors", "tags"]  # fmt: skip


@st.composite
def json_feed(draw: st.DrawFn) -> bytes:
    """A JSON Feed whose items hold hostile values of any JSON type, or nest 100,000 deep."""
    items = draw(st.lists(st.dictionaries(st.sampled_from(JSON_KEYS), json_value | LINKS), max_size=4))
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": draw(text), "items": items}
    body = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    if draw(st.booleans()):
        body = body[:-1] + ', "deep": ' + draw(deep("[", "]")) + "}"
    return encoded(body)


def json_nest(depth: int) -> bytes:
    return encoded(
        '{"version": "https://jsonfeed.org/version/1", "items": [' + "[" * depth + "]" * depth + "]}"
    )


feed_body = xml_feed() | json_feed() | any_bytes | text.map(encoded)


def is_storable(value: str | None) -> bool:
    """Whether a database can store the text: UTF-8 encodable, no NUL (PostgreSQL refuses it)."""
    return value is None or ("\x00" not in value and _encodes(value))


def _encodes(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
