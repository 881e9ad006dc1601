"""Small pure helpers for text that arrives as HTML or as loosely written XML: plain text out of
HTML, entity decoding that does not guess, URL resolution, a first look at a body's markup, the
well-formedness check, and the repairs that make a broken feed readable. No I/O: strings and
bytes in, strings out."""

from __future__ import annotations

import html
import pyexpat
import re
from html.entities import html5
from urllib.parse import urljoin, urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}

_BLOCK_TAGS = (
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header"
)
_BLOCK = frozenset(f"{_BLOCK_TAGS} hr li main nav ol p pre section table td th tr ul".split(" "))
_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"  # a comment
    r"|<(script|style|template)\b.*?(?:</\1\s*>|\Z)"  # code, not text
    r"|</?([A-Za-z][A-Za-z0-9]*)\b[^<>]*>"  # a tag; group 2 is its name
    r"|<!\[CDATA\[|\]\]>|<![A-Za-z][^<>]*>|<\?[^<>]*>",  # CDATA marks, declarations, PIs
    re.I | re.S,
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_LOOSE_AMP = re.compile(
    rb"(<!\[CDATA\[.*?(?:\]\]>|\Z))|&(?!#[0-9]{1,7};|#x[0-9a-fA-F]{1,6};)(#X[0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)?",
    re.S,
)
# The whole prolog at once (declaration, PIs, comments, DOCTYPE), anchored and possessive: linear
# on any text. A DOCTYPE's internal subset ends at the first "]" before ">" (as parse.py's _DTD_END
# reads it); the old (?:[^\[>]|\[.*?\])* was exponential on "<!DOCTYPE x [a][a][a]...".
_PROLOG = re.compile(r"\A(?:\s*+(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*+(?:\[.*?\]\s*+)?>))*+", re.S | re.I)
_ELEMENT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_DECLARED_ENCODING = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")
_UNKNOWN_ENCODING = pyexpat.errors.codes[pyexpat.errors.XML_ERROR_UNKNOWN_ENCODING]
_PLAIN_HTTP_URL = re.compile(r"https?://[^/\s?#\[][^\s]*\Z")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_NAME_IN_PARENS = re.compile(r"\A[^\s@]++@\S++\s++\((.+)\)\Z")  # possessive: linear on "a@a@a@..."
_ADDRESS_IN_PARENS = re.compile(r"\A([^()]*[^()\s])\s*+\((?:mailto:)?[^\s@()]++@[^\s()]++\)\Z")
_CODE_OPEN = re.compile(r"<(script|style)\b[^<>]*+>", re.I)
_CODE_CLOSE = {"script": re.compile(r"</script\s*+>", re.I), "style": re.compile(r"</style\s*+>", re.I)}


def collapse_whitespace(text: str) -> str:
    """Runs of whitespace (newlines, tabs, no-break spaces) become one space; ends trimmed."""
    return " ".join(text.split())


def storable(text: str) -> str:
    """`text` without what a database cannot store: NUL (PostgreSQL refuses it in text) is
    dropped, and each lone surrogate (UTF-8 cannot encode it; a JSON Feed's "\\ud800" escape
    makes one) becomes U+FFFD."""
    if "\x00" not in text and (text.isascii() or _encodable(text)):  # both far cheaper than a search
        return text
    return _UNSTORABLE.sub(lambda m: "" if m.group(0) == "\x00" else "\ufffd", text)


def _encodable(text: str) -> bool:
    """Whether `text` has no surrogate (strict UTF-8 encodes every other code point)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def decode_entities(text: str) -> str:
    """Decode character references that are complete (`&amp;`, `&#8217;`, `&eacute;`).

    Unlike `html.unescape`, a reference without its `;` is left alone, so "Q&A" and "AT&T"
    stay as written and "&not" in a name is not turned into "¬"."""
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def html_to_text(markup: str | None) -> str:
    """Plain text of an HTML fragment: tags removed (block tags become spaces), comments,
    scripts and styles dropped, entities decoded, whitespace collapsed. Text that is not HTML
    comes back unchanged apart from whitespace, so "Q&A: A & B" keeps its ampersands and
    "3 < 5" its sign."""
    if not markup:
        return ""
    if "<" in markup:
        markup = _MARKUP.sub(_markup_gap, markup)
    return collapse_whitespace(decode_entities(markup))


_INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "big",
        "cite",
        "code",
        "del",
        "em",
        "font",
        "i",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "u",
        "wbr",
        "br",
    ]
)
_INLINE_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^<>]*>")


def title_text(markup: str | None) -> str:
    """Plain text of a headline. Feeds put text in titles, sometimes with inline formatting
    (<b>, <em>, <span>), which is dropped, as is a whole <script> or <style> element (code, never
    words of a headline); any other tag-like text (`<img src=x ...>`) is what the outlet wrote
    and stays as text, shown escaped, never interpreted."""
    if not markup:
        return ""
    if "<" in markup:
        markup = _without_code(markup)
        markup = _INLINE_TAG.sub(lambda m: m.group(0) if m.group(1).lower() not in _INLINE else "", markup)
    return collapse_whitespace(decode_entities(markup))


def _without_code(markup: str) -> str:
    """`markup` with each whole <script> or <style> element (opening tag to closing tag) made a
    space; an opening tag never closed stays as text. Linear: once a name's closing tag is not
    found, it is not looked for again."""
    parts: list[str] = []
    last = pos = 0
    unclosed: set[str] = set()
    while len(unclosed) < len(_CODE_CLOSE) and (start := _CODE_OPEN.search(markup, pos)) is not None:
        name = start.group(1).lower()
        end = None if name in unclosed else _CODE_CLOSE[name].search(markup, start.end())
        if end is None:
            unclosed.add(name)
            pos = start.end()
            continue
        parts += [markup[last : start.start()], " "]
        last = pos = end.end()
    return "".join(parts) + markup[last:] if parts else markup


def _markup_gap(match: re.Match[str]) -> str:
    """What a piece of markup leaves in the text: a space where it separated words."""
    name = match.group(2)
    if name is not None:
        return " " if name.lower() in _BLOCK else ""
    return "" if match.group(0) in ("<![CDATA[", "]]>") else " "


def author_name(raw: str | None) -> str | None:
    """A person's name out of an author field: RSS writes "jo@example.org (Jo Doe)", some feeds
    "Jo Doe (jo@example.org)"."""
    if not raw:
        return None
    text = html_to_text(raw)
    match = _NAME_IN_PARENS.match(text) or _ADDRESS_IN_PARENS.match(text)
    return (match.group(1).strip() if match else text) or None


def absolute_url(href: str | None, base: str | None) -> str | None:
    """`href` made absolute against `base`; None unless the result is an http(s) address."""
    if not href:
        return None
    href = href.strip()
    if _PLAIN_HTTP_URL.match(href):  # the common case, without urljoin's cost
        return href
    try:
        url = urljoin(base, href) if base else href
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def repair_xml_text(body: bytes) -> tuple[bytes, int]:
    """Make the commonest XML errors of feeds well-formed: a bare "&" becomes "&amp;", an HTML
    entity XML does not know ("&nbsp;") becomes its character reference, an unknown one is
    kept as text, HTML's upper-case "&#X41;" becomes "&#x41;". CDATA sections are left as they
    are. Returns the body and how many fixes."""
    count = 0

    def fix(match: re.Match[bytes]) -> bytes:
        nonlocal count
        if match.group(1) is not None:
            return match.group(0)
        name = match.group(2)
        if name is not None and name[:-1].decode() in _XML_ENTITIES:
            return match.group(0)
        count += 1
        if name is not None and name.startswith(b"#X"):  # HTML's "&#X41;": XML knows only "&#x41;"
            return b"&#x" + name[2:]
        char = html5.get(name.decode()) if name is not None else None
        if char is not None:
            return "".join(f"&#{ord(c)};" for c in char).encode()
        return b"&amp;" + (name or b"")

    return _LOOSE_AMP.sub(fix, body), count


def xml_error(body: bytes) -> str | None:
    """Why `body` is not well-formed XML ("line 3: mismatched tag"), or None if it is. An entity
    that only an external DTD could define ("&eacute;" under RSS 0.91's DOCTYPE) counts as an
    error: no parser here reads that DTD, so the text would be lost."""
    try:
        return _expat_error(body, None)
    except _UnknownEncoding:
        return _transcoded_xml_error(body)


class _UnknownEncoding(Exception):
    pass


class _SkippedEntity(Exception):
    pass


def _expat_error(data: bytes, encoding: str | None) -> str | None:
    parser = pyexpat.ParserCreate(encoding)
    parser.SkippedEntityHandler = _skipped_entity
    try:
        parser.Parse(data, True)
    except pyexpat.ExpatError as error:
        if error.code == _UNKNOWN_ENCODING:
            raise _UnknownEncoding from None
        return f"line {error.lineno}: {pyexpat.ErrorString(error.code)}"
    except _SkippedEntity as error:
        return f"line {parser.CurrentLineNumber}: undefined entity &{error};"
    except (ValueError, LookupError):  # "multi-byte encodings are not supported", unknown name
        raise _UnknownEncoding from None
    return None


def _skipped_entity(name: str, is_parameter_entity: bool) -> None:
    raise _SkippedEntity(name)


def _transcoded_xml_error(body: bytes) -> str | None:
    """Expat reads UTF-8, UTF-16 and 8-bit charsets; others (Shift_JIS, GB2312...) are checked
    after Python decodes them."""
    declared = _DECLARED_ENCODING.match(body)
    encoding = declared.group(1).decode() if declared else "utf-8"
    try:
        text = body.decode(encoding)
    except LookupError:
        return f"line 1: unknown encoding {encoding!r}"
    except UnicodeDecodeError as error:
        line = body.count(b"\n", 0, error.start) + 1
        return f"line {line}: bytes that are not valid {encoding}"
    return _expat_error(text.encode("utf-8"), "utf-8")


def head_text(body: bytes) -> str:
    """The first few kilobytes of a body as text, good enough to look at its markup."""
    head = body[:4096]
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, "replace")
    if head.startswith((b"<\x00", b"\x00<")):
        return head.decode("utf-16-le" if head[0] == 0x3C else "utf-16-be", "replace")
    return head.decode("latin-1")


def root_element(text: str) -> str | None:
    """The name of the first element after the XML prolog, or None if there is none."""
    prolog = _PROLOG.match(text)
    match = _ELEMENT.search(text, prolog.end() if prolog else 0)
    return match.group(1) if match else None
