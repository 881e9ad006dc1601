"""Normalize: merge what a feed listed and what the page said into one `Article`.

Pure functions, no I/O. The pieces are usable alone: URL identity (`canonical_url`), dates in
any form outlets write them (`parse_date`, always aware UTC), language (`detect_language`),
summaries (`make_summary`); `build_article` applies the precedence rules between feed item
and page.
"""

from __future__ import annotations

import email.utils
import functools
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from tagwire.ingest.markup import DEFAULT_PORTS
from tagwire.models import Article, FeedItem, PageInfo

TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "twclid", "ttclid", "igshid",
        "mc_cid", "mc_eid", "n_cid", "ncid", "cmpid", "ocid", "icid", "smid", "sr_share",
        "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "vero_id", "oly_enc_id", "oly_anon_id",
        "rb_clickid", "s_cid", "wt.mc_id", "wt.mc_ev", "xtor", "ref_src", "ref_url",
        "pk_campaign", "pk_kwd", "pk_source", "pk_medium", "at_medium", "at_campaign",
        "cmp", "mbid", "li_fat_id", "spm", "share_source", "fb_action_ids",
    }
)  # fmt: skip
"""Query parameters that only say how a reader arrived; compared in lower case."""

TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "mtm_", "hsa_")
"""Query parameter prefixes that are tracking whatever follows (utm_source, utm_whatever)."""

_RELATIVE_WORDS = re.compile(r"\b(ago|yesterday|today|now|hier|gestern|heute)\b", re.IGNORECASE)
_TRAILING_ZONE_NAME = re.compile(r"[A-Za-z)]\s*$")
_TZ_IN_PARENS = re.compile(r"\(\s*([A-Za-z]{2,5})\s*\)")
# a Japanese or Chinese full stop ends a sentence with no space after it
_SENTENCE_END = re.compile(r"[.!?。！？][\"'”’)]?(?=\s|$)|[。！？][」』）]?")
_OVERRIDE_MIN_CHARS = 200
LONGEST_DATE = 100  # characters: "Saturday, 31 May 2025, 20:08 (Japan Standard Time)" is half that


# --- URLs -------------------------------------------------------------------------------


def is_tracking_param(name: str) -> bool:
    """True when a query parameter name is tracking (the list above, or a tracking prefix)."""
    key = name.strip().lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def canonical_url(url: str, page_canonical: str | None = None, *, keep_fragment: bool = False) -> str:
    """The URL that identifies an article: the page's own canonical link when it stays on the
    same site (a canonical pointing elsewhere is how syndicated copies credit the original,
    so it is ignored), else `url` cleaned. Cleaning: w3lib canonicalization (sorted query,
    normalized escapes), tracking parameters dropped, lower-case scheme and host, default port
    and fragment removed. Unparseable input comes back stripped, never raises. With
    `keep_fragment` (a post of a live page, see `fragment_posts`), the fragment stays and the
    page's canonical link, which all its posts share, is not used."""
    url = url.strip()
    if keep_fragment and "#" in url:
        base, fragment = url.split("#", 1)
        return _clean_url(base) + "#" + fragment
    if page_canonical and _usable_canonical(url, page_canonical.strip()):
        return _clean_url(page_canonical.strip())
    return _clean_url(url)


def fragment_posts(urls: Iterable[str]) -> set[str]:
    """The URLs among `urls` (one feed's items) that are posts of one page: two or more that
    differ only by their #fragment (a live blog's permalinks). Each is an article of its own,
    not a relisting of the page."""
    by_page: dict[str, set[str]] = {}
    for url in urls:
        base, sep, fragment = url.strip().partition("#")
        if sep and fragment:
            by_page.setdefault(_clean_url(base), set()).add(url)
    return {url for found in by_page.values() if len(found) > 1 for url in found}


# an absolute http(s) URL with no query, fragment or escape, whose path holds only characters
# canonicalization leaves alone: cleaning it only lower-cases scheme and host and drops a default
# port, so the full w3lib pass (~50 us) is skipped for the common case of a plain article link
_PLAIN_URL = re.compile(r"(?i)(https?)://([a-z0-9.-]+)(?::(\d{1,5}))?(/[A-Za-z0-9._~!$'()*+,;=:@/-]*)?")


@functools.lru_cache(maxsize=65536)
def _clean_url(url: str) -> str:
    plain = _PLAIN_URL.fullmatch(url)
    if plain and _plain_host(plain[2]) and "/." not in (plain[4] or ""):  # no dot segments to resolve
        return _plain_url(*plain.groups())
    return _full_clean_url(url)


def _full_clean_url(url: str) -> str:
    try:
        parts = urlsplit(canonicalize_url(url, keep_fragments=False))
        port = parts.port
    except ValueError:
        return url
    if not parts.scheme or not parts.netloc:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    pairs = parts.query.split("&")
    query = "&".join(p for p in pairs if p and not is_tracking_param(unquote_plus(p.split("=")[0])))
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def _plain_host(host: str) -> bool:
    return not host.startswith(".") and not host.endswith(".") and ".." not in host


def _plain_url(scheme: str, host: str, port: str | None, path: str | None) -> str:
    scheme, host = scheme.lower(), host.lower()
    if port is not None and int(port) != DEFAULT_PORTS[scheme]:
        host = f"{host}:{int(port)}"
    return f"{scheme}://{host}{path or '/'}"


def _usable_canonical(url: str, canonical: str) -> bool:
    """A canonical link counts when absolute http(s), on the same site as `url`, and not just
    the site's home page (a common CMS misconfiguration) for an article deeper in the site."""
    try:
        target, origin = urlsplit(canonical), urlsplit(url)
        if target.scheme.lower() not in DEFAULT_PORTS or not target.hostname:
            return False
        if target.path.strip("/") == "" and origin.path.strip("/") != "":
            return False
        return _site_key(target.scheme, target.hostname, target.port) == _site_key(
            origin.scheme, origin.hostname or "", origin.port
        )
    except ValueError:
        return False


def _site_key(scheme: str, host: str, port: int | None) -> tuple[str, int | None]:
    """What two URLs must share to be the same site: the registered domain (news.example.co.uk
    and www.example.co.uk agree) and port; hosts without a public suffix (IP addresses,
    localhost) must match exactly, since local outlets differ only by port."""
    host = host.lower().rstrip(".")
    import tld  # its suffix list loads on first use, not at every start

    registered = tld.get_fld(host, fix_protocol=True, fail_silently=True)
    return (registered or host, port or DEFAULT_PORTS.get(scheme.lower()))


def host_name(url: str) -> str:
    """The host of a URL without a leading "www.", for naming an outlet that names nothing."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""
    return host.removeprefix("www.")


# --- dates ------------------------------------------------------------------------------


def to_utc(dt: datetime) -> datetime:
    """`dt` as an aware UTC datetime; a naive one is taken to be UTC already."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def parse_date(
    value: str | None, *, date_order: str | None = None, relative_base: datetime | None = None
) -> datetime | None:
    """A date as outlets write it, as aware UTC, or None when it is not a date. Fast paths
    first (ISO 8601, RFC 822, epoch seconds); dateparser for the rest: "May 31, 2025 20:08
    (JST)", "3 days ago" (counted back from `relative_base`, default now), "12-05-2025"
    (day first when `date_order="DMY"`, as the source writes dates)."""
    text = (value or "").strip()
    if not text or len(text) > LONGEST_DATE or not _looks_like_date(text):
        return None
    found = _from_iso(text) or _from_rfc822(text) or _from_epoch(text)
    if found is None:
        found = _from_dateparser(text, date_order, relative_base)
    return to_utc(found) if found else None


def _looks_like_date(text: str) -> bool:
    """Rejects what dateparser would misread or search every language for: words without a
    digit (other than "yesterday", "3 days ago"-like words) and bare small numbers ("12")."""
    digits = sum(c.isdigit() for c in text)
    if digits == 0:
        return bool(_RELATIVE_WORDS.search(text))
    return digits >= 6 or any(c.isalpha() for c in text)


def _from_iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None


def _from_rfc822(text: str) -> datetime | None:
    """RFC 822 dates of RSS. A zone name the email module does not know ("KST") comes back as
    no zone at all, so such dates are left to dateparser rather than read as UTC."""
    try:
        found = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if found.tzinfo is None and _TRAILING_ZONE_NAME.search(text):
        return None
    return found


def _from_epoch(text: str) -> datetime | None:
    """Unix time in seconds (10 digits) or milliseconds (13), as some JSON feeds write it."""
    if not text.isdigit() or len(text) not in (10, 13):
        return None
    seconds = int(text) / (1000 if len(text) == 13 else 1)
    return datetime.fromtimestamp(seconds, tz=UTC)


def _from_dateparser(text: str, date_order: str | None, relative_base: datetime | None) -> datetime | None:
    settings: dict[str, Any] = {
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": "UTC",
        "TO_TIMEZONE": "UTC",
        "PREFER_DATES_FROM": "past",
    }
    if date_order:
        settings["DATE_ORDER"] = date_order.upper()
    if relative_base is not None or _RELATIVE_WORDS.search(text):
        base = to_utc(relative_base or datetime.now(UTC))
        settings["RELATIVE_BASE"] = base.replace(tzinfo=None)
    text = _TZ_IN_PARENS.sub(r"\1", text)
    import dateparser  # ~50 ms: only once a date reaches it, not at every start

    for languages in (["en"], None):  # English first: searching every language costs ~0.3 s
        try:
            found: datetime | None = dateparser.parse(text, languages=languages, settings=settings)
        except (ValueError, TypeError, OverflowError):
            found = None
        if found is not None:
            return found
    return None


# --- language and summary ---------------------------------------------------------------


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the language of `text` (its first 800 characters: enough to tell, and
    the cost grows with the length), or None when there are too few letters to tell."""
    sample = text[:800]
    if sum(c.isalpha() for c in sample) < 20:
        return None
    import py3langid  # numpy and the model load when a language is first asked for

    lang, _score = py3langid.classify(sample)
    return confirmed(str(lang), sample)


_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")


def confirmed(detected: str, sample: str) -> str:
    """`detected`, unless it is a language other than English written in Latin letters whose own
    function words the text uses no more than English ones: a language identifier reads a
    results table, a list of names or a short English headline as Pidgin, Javanese or Dutch
    as often as not, and such a text is better read as English. A language with no list of
    function words (spaCy's) cannot show them, so its text is read as English too."""
    if detected == "en":
        return detected
    words = _WORD.findall(sample.lower())
    if not words or len(_LATIN.findall(sample)) * 2 < sum(len(w) for w in words):
        return detected  # another script: the identifier is reliable there
    own, english = _function_words(detected), _function_words("en")
    mine = sum(w in own for w in words)
    return detected if mine > sum(w in english for w in words) else "en"


@functools.cache
def _function_words(language: str) -> frozenset[str]:
    import importlib

    try:
        module = importlib.import_module(f"spacy.lang.{language}.stop_words")
    except ImportError:
        return frozenset()
    return frozenset(getattr(module, "STOP_WORDS", ()))


def make_summary(text: str, limit: int = 400) -> str:
    """`text` on one line, at most `limit` characters: cut after the last whole sentence that
    fits (when that keeps at least 40% of the room), else at the last word boundary with an
    ellipsis marking the cut inside a sentence."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    room = flat[: limit + 1]
    ends = [m.end() for m in _SENTENCE_END.finditer(room) if m.end() <= limit]
    if ends and ends[-1] >= 0.4 * limit:
        return room[: ends[-1]]
    cut = room[:limit].rfind(" ")
    head = room[: cut if cut > 0.4 * limit else limit - 1].rstrip(" ,;:-–—")
    return head + "…"


def primary_language(tag: str | None) -> str | None:
    """The primary subtag of a language tag, lower case: "en-US" and "en_GB" give "en"."""
    if not tag or not tag.strip():
        return None
    primary = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


# --- the article ------------------------------------------------------------------------


def build_article(
    item: FeedItem,
    page: PageInfo | None,
    *,
    source_title: str | None,
    source_url: str,
    page_problem: str | None = None,
    fetched_at: datetime,
    post: bool = False,
) -> Article:
    """Merge a feed item and its page (None when not read) into an Article. The feed decides
    how the outlet listed it (title, date, category); the page decides identity (canonical
    URL), the outlet's own name, full text, declared language and wire credit. A `post` of a
    live page (see `fragment_posts`) keeps its #fragment. A date before 1970 or more than a day
    after the fetch (a wrong time zone is hours, not days) is no date: the fetch's is used."""
    page = page or PageInfo()
    text, problem = _choose_text(item, page, page_problem)
    return Article(
        url=canonical_url(item.url, page.canonical_url, keep_fragment=post),
        outlet=_outlet(page, source_title, item.url or source_url),
        title=(item.title or "").strip() or (page.title or "").strip() or item.url,
        published=_plausible(item.published or page.published, fetched_at),
        summary=_summary(item.summary, text),
        text=text,
        listed_url=item.url,
        guid=item.guid,
        section=next((c.strip() for c in item.categories if c.strip()), None) or page.section,
        language=primary_language(page.language),
        author=item.author or page.author,
        credit=page.credit,
        problem=problem,
    )


EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
AHEAD = timedelta(days=1)


def _plausible(published: datetime | None, fetched_at: datetime) -> datetime:
    """The article's date, when it can be one: not before 1970, not over a day after the fetch."""
    when = to_utc(published) if published is not None else None
    return when if when is not None and EARLIEST <= when <= fetched_at + AHEAD else to_utc(fetched_at)


def _choose_text(item: FeedItem, page: PageInfo, page_problem: str | None) -> tuple[str, str | None]:
    """The page text when the page gave at least as much as the feed summary, else the
    summary, with the reason it had to be used."""
    summary = item.summary.strip()
    if page.text.strip() and len(page.text) >= len(summary):
        return page.text, page_problem
    if page_problem:
        return summary, page_problem
    if page.text.strip():
        return summary, "the page text is shorter than the feed summary, so the summary is kept"
    return summary, "the page gave no article text, so the feed summary is kept"


def _outlet(page: PageInfo, source_title: str | None, url: str) -> str:
    for name in (page.site_name, source_title):
        if name and name.strip():
            return name.strip()
    return host_name(url) or url


def _summary(feed_summary: str, text: str) -> str:
    if len(feed_summary.strip()) >= 80:
        return make_summary(feed_summary)
    return make_summary(text)


def choose_language(declared: str | None, text: str) -> str | None:
    """The page's declared language, unless the text is long enough and clearly another.
    Understanding calls this (not build_article): detection costs about half a millisecond,
    which a feeds-only ingest of thousands of items should not pay."""
    primary = primary_language(declared)
    detected = detect_language(text)
    if primary is None:
        return detected
    if detected and detected != primary and len(text) >= _OVERRIDE_MIN_CHARS:
        return detected
    return primary
