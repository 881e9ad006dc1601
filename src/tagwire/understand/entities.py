"""Names mentioned in one article, as `Mention`s ready to be counted into hashtags.

spaCy's NER reads only the head of the article (its first ~60 words, hashtags.HEAD_WORDS),
where the main actors are introduced. A cheap pass over Title Case runs reads the whole text:
each run is cut into names the model labelled there, names the head or the alias table already
knows (a per-article gazetteer, with the surnames of people named in full), and unknown
stretches. Titles ("Defense Secretary", "Mr.") and possessives are stripped; an unknown stretch
becomes a PERSON (it opens with a given name), a name of the kind its last word says ("Summit":
EVENT), a PHRASE or, for one word, UNK, the last two needing more evidence to count. Reading
the whole text with the model costs ~80 ms per 700 words here; the run pass ~2 ms, and on
BASIL the two find the same share of main entities."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

#: spaCy labels that can name a hashtag; dates, times, numbers and amounts never do.
KEEP_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"}
)
#: How much a nationality word counts toward its country (see data/demonyms.tsv).
DEMONYM_WEIGHT = 0.5
#: Small words allowed inside a name: "Bank of America", "Ludwig van Beethoven".
CONNECTORS = frozenset(
    {"of", "for", "the", "de", "du", "da", "del", "della", "la", "le", "van", "von", "der", "bin", "al", "&"}
)
#: Connectors inside a Title Case run; "and" splits names again later unless it is inside the
#: name of a body ("Securities and Exchange Commission", but not "Nakatani and Hegseth").
RUN_CONNECTORS = CONNECTORS | {"and"}
_PLACES = frozenset({"GPE", "LOC", "ORG", "FAC"})
_SENTENCE_END = frozenset(".!?:;\"“”'‘’([—–-\n")
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_CONTRACTIONS = frozenset({"m", "d", "ll", "ve", "re", "t", "s"})
_NAME_SHAPE = re.compile(r"[^\W\d_][\w .'’&-]*\Z")
INITIAL = re.compile(r"[A-Z]\.?\Z")
#: Abbreviations the run pass keeps whole besides those of the data files ("Jr.", "St. Louis").
_ABBREVIATIONS = ("Jr.", "Sr.", "St.", "Ste.", "Mt.", "Ft.", "Inc.", "Ltd.", "Corp.", "Co.", "Bros.", "No.")
#: Lower-case words that make a group named after a person: "Obama administration".
_GROUPS = re.compile(r"(?:['’]s)?\s+(administration|campaign)\b")


@dataclass(frozen=True)
class Mention:
    """One mention of a name: `text` as written (titles and possessive removed), its entity
    `label` (spaCy's, or PHRASE/UNK for unlabelled Title Case runs), its character offset
    `start` in the text (-1: in the title), the `weight` it counts with, the fixed hashtag
    `tag` when the alias table gives one, and whether it opens a sentence."""

    text: str
    label: str
    start: int
    weight: float = 1.0
    tag: str | None = None
    sentence_start: bool = False


@dataclass(frozen=True)
class Lexicon:
    """The data files: aliases and demonyms (lookup key -> (name, label, tag)), words never a
    hashtag alone (`stop`) and never the first word of a name (`openers`, a subset), title
    words, the head nouns that end names (-> label), given names, and the run pass's patterns."""

    names: dict[str, tuple[str, str, str]]
    stop: frozenset[str]
    openers: frozenset[str]
    title_heads: frozenset[str]
    title_modifiers: frozenset[str]
    name_heads: dict[str, str]
    given_names: frozenset[str]
    patterns: tuple[re.Pattern[str], re.Pattern[str]]


def lookup_key(text: str) -> str:
    """The key a name is looked up by: short all-caps forms stay exact ("US" is not "us"),
    everything else is lower-cased ("WASHINGTON" is "Washington")."""
    if text.isupper() and sum(c.isalpha() for c in text) <= 4:
        return text
    return text.lower()


def _data_lines(name: str) -> Iterator[str]:
    text = (resources.files("tagwire.understand") / "data" / name).read_text(encoding="utf-8")
    return (line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))


def _names() -> dict[str, tuple[str, str, str]]:
    names: dict[str, tuple[str, str, str]] = {}
    for line in _data_lines("demonyms.tsv"):
        tag, variants = line.split("\t")
        names.update((lookup_key(v), (v, "DEMONYM", tag)) for v in variants.split("|"))
    for line in _data_lines("aliases.tsv"):
        tag, label, variants = line.split("\t")
        names.update((lookup_key(v), (v, label, tag)) for v in variants.split("|"))
    return names


def _patterns(abbreviations: Iterable[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """How the run pass reads text: `token` finds the words ("U.S.", "Mr.", "Calif." and
    initials keep their dot, "Shangri-La" and "O'Brien" stay one word), `run` finds stretches
    of capitalised words with connectors between them, so lower-case text is skipped in C."""
    abbrevs = "|".join(sorted({re.escape(a) for a in abbreviations}, key=len, reverse=True))
    dotted = rf"(?:[A-Z]\.){{2,}}|(?:{abbrevs})(?!\w)|[A-Z]\.(?=\s+[A-Z])"
    word = r"(?:[^\W_]|&|[-'’](?=[^\W_]))*"
    cap = rf"(?:{dotted}|[^\W\d_a-z]{word})"
    connector = "|".join(sorted(RUN_CONNECTORS, key=len, reverse=True))
    token = re.compile(rf"{dotted}|[^\W_]{word}")
    # the lookahead makes the engine skip lower-case positions before trying the alternatives
    return token, re.compile(rf"(?=[^\W\d_a-z]){cap}(?:[^\S\n]+(?:(?:{connector})[^\S\n]+)*{cap})*")


@functools.cache
def lexicon() -> Lexicon:
    """Load the data files once per process."""
    titles = [tuple(w.strip() for w in line.split(":", 1)) for line in _data_lines("titles.txt")]
    openers = {w.strip().lower() for w in _data_lines("openers.txt")} | set(STOP_WORDS)
    names = _names()
    heads = frozenset(w for k, w in titles if k == "head")
    return Lexicon(
        names=names,
        stop=frozenset({w.strip().lower() for w in _data_lines("stopwords.txt")} | openers),
        openers=frozenset(openers),
        title_heads=heads,
        title_modifiers=frozenset(w for k, w in titles if k == "modifier"),
        name_heads=dict(line.split("\t") for line in _data_lines("name_heads.txt")),
        given_names=frozenset(w for line in _data_lines("given_names.txt") for w in line.split()),
        patterns=_patterns(
            w
            for w in [*_ABBREVIATIONS, *heads, *(v for v, _, _ in names.values())]
            if re.fullmatch(r"\w+\.", w)
        ),
    )


# --- words ---


def _is_cap(word: str) -> bool:
    """Capitalised, and not a hyphenated adjective ("Sacramento-based", "U.S.-led")."""
    return word[:1].isupper() and not ("-" in word and word.rsplit("-", 1)[1].islower())


def _possessive(word: str) -> str | None:
    """The name without its possessive ending ("Japan's" -> "Japan"), or None."""
    return word[:-2] if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS" else None


def strip_title(words: list[str], lex: Lexicon) -> int:
    """How many leading words form a title ("Defense Secretary", "Secretary of State", "Mr.")
    that a name follows; 0 when there is none, len(words) when the words are only a title."""
    cut = 0
    for i, w in enumerate(words):
        if w in lex.title_heads:
            cut = i + 1
        elif w not in lex.title_modifiers and not (w in {"of", "the"} and cut):
            break
    rest = words[cut:]
    if len(rest) == 1 and rest[0] in lex.name_heads:
        return 0  # "Justice Department": the head makes it a name, not a title
    return cut


def is_common(word: str, lex: Lexicon, lower: frozenset[str]) -> bool:
    """A word that is an ordinary English word here: a stop word, a contraction ("I'm"),
    a word of under three letters, or one written in lower case elsewhere in the same text
    ("Defense" when the text also says "defense")."""
    low = word.lower().replace("’", "'")
    if low in lex.stop or low in lower or (sum(c.isalpha() for c in word) < 3 and not word.isupper()):
        return True
    return "'" in low and low.rsplit("'", 1)[1] in _CONTRACTIONS


def surname(name: str) -> str:
    """The last word of a person's name, skipping Jr./Sr./III."""
    words = [w for w in name.split() if w.lower() not in SUFFIXES]
    return words[-1] if words else name


def lower_words(text: str) -> frozenset[str]:
    """Every word the text writes in lower case: the evidence that a capitalised form of it at
    a sentence start is an ordinary word."""
    return frozenset(re.findall(r"\b[a-z][a-z'-]*\b", text))


def known(text: str, start: int, names: dict[str, tuple[str, str, str]]) -> Mention | None:
    """The mention for a name the alias/demonym table or the article's gazetteer knows."""
    hit = names.get(lookup_key(text))
    if hit is None:
        return None
    name, label, tag = hit
    if label == "DEMONYM":
        return Mention(name, "GPE", start, DEMONYM_WEIGHT, tag or None)
    return Mention(name, label, start, 1.0, tag or None)


# --- spaCy's entities -------------------------------------------------------------------------------


def from_span(span: Any, lex: Lexicon) -> tuple[Mention, int] | None:
    """The mention for one spaCy entity span and where it ends, or None when it names nothing
    worth a hashtag: a date or number, a fragment across a clause, a bare title."""
    if span.label_ not in KEEP_LABELS or "\n" in span.text:
        return None
    i, j = _name_bounds([t.text for t in span], span.label_, lex)
    if i >= j:
        return None
    name = span[i:j]
    text, start = name.text.rstrip("'’"), name.start_char
    m = known(text, start, lex.names) or _strip_place(name, lex) or Mention(text, span.label_, start)
    return m, start + len(text)


def _name_bounds(words: list[str], label: str, lex: Lexicon) -> tuple[int, int]:
    """The slice of an entity's words that is the name: without a leading determiner, a
    trailing possessive, lower-case edges ("Trump administration" -> "Trump") and, for a
    person, the title. An empty slice when lower-case words remain inside (a fragment), unless
    they are inside a hyphenated name ("Chick-fil-A")."""
    i, j = 0, len(words)
    while i < j and (not _is_cap(words[i]) or words[i].lower() in lex.openers):
        i += 1
    while j > i and not (_is_cap(words[j - 1]) or words[j - 1][0].isdigit()):
        j -= 1
    for k in range(i, j):
        hyphenated = "-" in words[k - 1 : k] or "-" in words[k + 1 : k + 2]
        if not _is_cap(words[k]) and words[k] not in CONNECTORS and words[k] != "-" and not hyphenated:
            return 0, 0
    if label == "PERSON":
        i += strip_title(words[i:j], lex)
    return i, j


def _strip_place(span: Any, lex: Lexicon) -> Mention | None:
    """The alias of a name preceded by a known place ("U.S. Defense Department" -> Pentagon)."""
    for i in range(1, len(span)):
        rest = known(span[i:].text, span[i].idx, lex.names)
        if rest is not None and lookup_key(span[:i].text) in lex.names:
            return rest
    return None


# --- Title Case runs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tok:
    """A word of a run: its text (possessive removed) and character offsets."""

    text: str
    start: int
    end: int


def title_case_runs(text: str, lex: Lexicon, barrier: bytearray) -> Iterator[tuple[list[Tok], bool]]:
    """Runs of capitalised words (connectors allowed inside), each with whether it opens a
    sentence. A possessive ends its run; punctuation, lower-case words, hyphenated adjectives
    and `barrier` characters (dates and numbers the model found) break runs."""
    token, runs = lex.patterns
    for found in runs.finditer(text):
        run: list[Tok] = []
        opens = _opens_sentence(text, found.start())
        for t in token.finditer(found.group()):
            word, at = t.group(), found.start() + t.start()
            if _is_cap(word) and not barrier[at]:
                base = _possessive(word) or word
                run.append(Tok(base, at, at + len(base)))
                if base == word:
                    continue
            elif run and word in RUN_CONNECTORS:
                run.append(Tok(word, at, at + len(word)))
                continue
            yield from _trimmed(run, opens)
            run, opens = [], False
        yield from _trimmed(run, opens)


def _trimmed(run: list[Tok], opens: bool) -> Iterator[tuple[list[Tok], bool]]:
    while run and run[-1].text in RUN_CONNECTORS:
        run.pop()
    if run:
        yield run, opens


def _opens_sentence(text: str, at: int) -> bool:
    i = at - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


Piece = tuple[Mention | None, list[Tok]]  # a known name (or None: unknown) and its words


@dataclass
class Reader:
    """What reading one text's runs needs: the gazetteer, the model's mentions by start
    (with their end), the lexicon and the text's lower-case words."""

    gaz: dict[str, tuple[str, str, str]]
    ner: dict[int, tuple[Mention, int]]
    lex: Lexicon
    lower: frozenset[str]

    def read(self, text: str, barrier: bytearray) -> list[Mention]:
        """Every mention in the Title Case runs of `text`, and the groups named after a person
        ("Obama administration", "Romney campaign")."""
        out: list[Mention] = []
        for run, opens in title_case_runs(text, self.lex, barrier):
            found = list(self.segment(run, opens))
            group = _GROUPS.match(text, run[-1].end)
            if group and found and found[-1].label == "PERSON":
                out.append(Mention(f"{surname(found[-1].text)} {group[1]}", "ORG", found[-1].start))
            out += found
        return out

    def segment(self, run: list[Tok], opens: bool) -> Iterator[Mention]:
        """Cut a run into known names (the model's, then the longest known) and unknown
        stretches. A known name right after a connector stays in its phrase ("Bank of
        America"); a known place followed by a stretch ending in a name head becomes one name
        with it ("Washington Post", "Israel Defense Forces")."""
        pieces: list[Piece] = []
        i = 0
        while i < len(run):
            hit = self._known_at(run, i)
            if hit is None:
                if pieces and pieces[-1][0] is None:
                    pieces[-1][1].append(run[i])
                else:
                    pieces.append((None, [run[i]]))
                i += 1
            else:
                pieces.append((hit[0], run[i : i + hit[1]]))
                i += hit[1]
        for k, (m, toks) in enumerate(self._merge_places(self._first_names(pieces))):
            first = opens and k == 0
            if m is None:
                yield from self.unknown(toks, first)
            else:
                yield replace(m, start=toks[0].start, sentence_start=first)

    def _known_at(self, run: list[Tok], i: int) -> tuple[Mention, int] | None:
        if run[i].start in self.ner:
            m, end = self.ner[run[i].start]
            ends = [k for k in range(i, len(run)) if run[k].end == end]
            return (m, ends[0] - i + 1) if ends else None
        if i and run[i - 1].text in CONNECTORS:
            return None
        for length in range(min(len(run) - i, 6), 0, -1):
            hit = known(" ".join(t.text for t in run[i : i + length]), run[i].start, self.gaz)
            if hit is not None:
                return hit, length
        return None

    def _merge_places(self, pieces: list[Piece]) -> list[Piece]:
        out: list[Piece] = []
        for m, toks in pieces:
            prev = out[-1][0] if out else None
            if m is None and prev is not None and prev.label in _PLACES and self._extends(toks):
                out[-1] = (None, out[-1][1] + toks)
            else:
                out.append((m, toks))
        return out

    def _first_names(self, pieces: list[Piece]) -> list[Piece]:
        """A one-word name the model found (often only the surname: "O'Connell") takes the
        unknown capitalised word right before it as the first name ("Siobhan O'Connell")."""
        out: list[Piece] = []
        for m, toks in pieces:
            prev = out[-1][1] if out and out[-1][0] is None else None
            one_word = m is not None and m.tag is None and m.label in ("PERSON", "ORG") and " " not in m.text
            if m is not None and one_word and prev and self._first_name(prev[-1].text):
                first = prev.pop()
                m = Mention(f"{first.text} {m.text}", "PERSON", first.start)
                toks = [first, *toks]
                if not prev:
                    out.pop()
            out.append((m, toks))
        return out

    def _first_name(self, word: str) -> bool:
        lex = self.lex
        titles = word in lex.title_heads or word in lex.title_modifiers
        return not titles and word not in CONNECTORS and not is_common(word, lex, self.lower)

    def _extends(self, toks: list[Tok]) -> bool:
        """Whether an unknown stretch after a place names something of that place: it ends in
        a name head ("Post", "Defense Forces"), starts with no stop word and holds no title."""
        words = [t.text for t in toks]
        return (
            words[-1] in self.lex.name_heads
            and words[0].lower() not in self.lex.stop
            and not any(w in self.lex.title_heads for w in words)
        )

    def _label(self, part: list[Tok]) -> str:
        """PERSON for two to four words opening with a given name ("Joe Biden"), the head's
        label for a name ending in one ("Asia Security Summit": EVENT), else PHRASE."""
        words = [t.text for t in part]
        if words[-1] in self.lex.name_heads:
            return self.lex.name_heads[words[-1]]
        if words[0] in self.lex.given_names and len(words) <= 4 and not any(w in CONNECTORS for w in words):
            return "PERSON"
        return "PHRASE"

    def unknown(self, toks: list[Tok], opens: bool) -> Iterator[Mention]:
        """Mentions for an unknown stretch, after dropping an ordinary word opening a sentence
        ("Afterward"), a title, and stop words; a stop word inside splits it ("In God We Trust")."""
        lex = self.lex
        if opens and is_common(toks[0].text, lex, self.lower):
            toks, opens = toks[1:], False
        cut = strip_title([t.text for t in toks], lex)
        toks, opens = toks[cut:], opens and not cut
        named_body = bool(toks) and toks[-1].text in lex.name_heads
        part: list[Tok] = []
        for tok in [*toks, None]:
            if tok is not None and (
                tok.text.lower() not in lex.openers or (tok.text == "and" and named_body)
            ):
                part.append(tok)
                continue
            while part and part[-1].text in RUN_CONNECTORS:
                part.pop()
            if len(part) == 1 and not is_common(part[0].text, lex, self.lower):
                yield Mention(part[0].text, "UNK", part[0].start, 1.0, None, opens and part[0] is toks[0])
            elif len(part) > 1:
                yield Mention(" ".join(t.text for t in part), self._label(part), part[0].start)
            part = []


# --- one article ---


def gazetteer(
    found: Iterable[Mention], lex: Lexicon, lower: frozenset[str]
) -> dict[str, tuple[str, str, str]]:
    """What this article's head named, on top of the alias table: each name, and the surname of
    each person named in full, so that later Title Case runs are recognised without the model."""
    gaz = dict(lex.names)
    for m in found:
        if not worth_a_tag(m, lex, lower):
            continue
        gaz.setdefault(lookup_key(m.text), (m.text, m.label, m.tag or ""))
        last = surname(m.text)
        if m.label == "PERSON" and last != m.text and not is_common(last, lex, lower):
            gaz.setdefault(lookup_key(last), (last, "PERSON", ""))
    return gaz


def _ner(ents: Iterable[Any], lex: Lexicon, size: int) -> tuple[dict[int, tuple[Mention, int]], bytearray]:
    """The model's mentions by start, and the characters of its dates, numbers and amounts."""
    found: dict[int, tuple[Mention, int]] = {}
    barrier = bytearray(size + 1)
    for e in ents:
        hit = from_span(e, lex)
        if hit is not None:
            found[hit[0].start] = hit
        elif e.label_ not in KEEP_LABELS:
            barrier[e.start_char : e.end_char] = b"\x01" * (e.end_char - e.start_char)
    return found, barrier


def is_title_case(title: str) -> bool:
    """Whether a headline capitalises its words ("Japan, U.S. Agree to Deepen Cyber
    Cooperation"), which makes every word look like a name."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", title) if len(w) > 3]
    return bool(words) and sum(_is_cap(w) for w in words) >= 0.7 * len(words)


def article_mentions(
    title: str, title_ents: Iterable[Any], body: str, head_ents: Iterable[Any], lower: frozenset[str]
) -> list[Mention]:
    """Every mention in one article, title first: `head_ents` are spaCy's entities over the
    start of `body` (same character offsets), `title_ents` over the title, `lower` the body's
    `lower_words`. A Title Case headline is read without the model, for names the body also
    mentions. Shorter forms are not linked to full names yet (see hashtags.link_names)."""
    lex = lexicon()
    ner, barrier = _ner(head_ents, lex, len(body))
    reader = Reader(gazetteer((m for m, _ in ner.values()), lex, lower), ner, lex, lower)
    in_body = reader.read(body, barrier)
    title_case = is_title_case(title)
    reader.ner, title_barrier = (
        ({}, bytearray(len(title) + 1)) if title_case else _ner(title_ents, lex, len(title))
    )
    in_title = [replace(m, start=-1) for m in reader.read(title, title_barrier)]
    if title_case:
        keys = {lookup_key(m.text) for m in in_body}
        in_title = [m for m in in_title if m.tag or lookup_key(m.text) in keys]
    return in_title + in_body


def worth_a_tag(m: Mention, lex: Lexicon, lower: frozenset[str]) -> bool:
    """False for stop words and credits ("Saturday", "Jiji Press"), bare titles ("Defence"),
    odd shapes ("[W]e", "E"), and a single word that is an ordinary word in this text
    ("Defense" next to "defense"), unless the alias table names it."""
    if m.tag is not None:
        return True
    words = m.text.split()
    if m.text.lower() in lex.stop or all(w in lex.title_heads or w in lex.title_modifiers for w in words):
        return False
    if not _NAME_SHAPE.match(m.text) or sum(c.isalpha() for c in m.text) < 2:
        return False
    return len(words) > 1 or not (is_common(m.text, lex, lower) or (m.text.isupper() and len(m.text) <= 2))
