"""The vocabulary of names: the `Mention` a hashtag is counted from, the data files as a
`Lexicon`, and the word tests every later stage shares (is this word ordinary English here,
is it a title, where does the name inside a spaCy entity start and end).

The stages built on it: `runs` reads an article's Title Case runs into mentions, `mentions`
assembles one article's mentions (spaCy's entities on the head, the runs everywhere, surnames
and demonyms linked to the names they stand for), and `hashtags` ranks them.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

from spacy.lang.en.stop_words import STOP_WORDS

#: spaCy labels that can name a hashtag; dates, times, numbers and amounts never do.
KEEP_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"}
)
#: How much a nationality word counts toward its country (see data/demonyms.tsv).
DEMONYM_WEIGHT = 0.5
#: Small words allowed inside a name: "Bank of America", "Ludwig van Beethoven".
CONNECTORS = frozenset(
    {
        "of",
        "for",
        "the",
        "de",
        "du",
        "da",
        "del",
        "della",
        "di",
        "dos",
        "la",
        "le",
        "van",
        "von",
        "der",
        "bin",
        "ibn",
    }
    | {"al", "arap", "&"}
)
#: Arabic articles written joined to the name they open by a hyphen ("Bashar al-Assad", "Abdel
#: Fattah el-Sisi", "Abu Musab al-Zarqawi"): the word is a name's word.
#: al, ad, as, at, az, an, ar, ash, el, ud, ul (factored: tried at every lower-case position)
PARTICLE = r"(?<![^\W\d_])(?:a(?:sh|[ldstznr])|el|u[dl])[-‐]"  # never inside a word ("Ahmad-Zai")
_PARTICLE = re.compile(rf"{PARTICLE}(?=[^\W\d_a-z])")
#: Titles after which a given name alone is the whole name ("Prince Charles", "Pope Francis"):
#: never the first name of another person of the article ("Charles Kennedy").
SOVEREIGN_TITLES = frozenset(
    {"Prince", "Princess", "King", "Queen", "Pope", "Emperor", "Empress", "Duke", "Duchess"}
)


def after_sovereign_title(body: str, start: int) -> bool:
    """Whether the name at body[start:] comes right after a sovereign's title ("Prince ")."""
    before = body[max(0, start - 12) : start]
    words = before.split()
    return start > 0 and before.endswith(" ") and bool(words) and words[-1].lstrip("[(") in SOVEREIGN_TITLES


#: Connectors inside a Title Case run; "and" splits names again later unless it is inside the
#: name of a body ("Securities and Exchange Commission", but not "Nakatani and Hegseth").
RUN_CONNECTORS = CONNECTORS | {"and"}
#: Words of the compass that make another place of the place they open: "North America" is
#: no "America", "South Sudan" no "Sudan" (English closed class, not fitted).
COMPASS = frozenset(
    {"North", "South", "East", "West", "Central", "Northern", "Southern", "Eastern", "Western", "Latin"}
)
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_CONTRACTIONS = frozenset({"m", "d", "ll", "ve", "re", "t", "s"})
_NAME_SHAPE = re.compile(r"(?:\d{1,3}(?:st|nd|rd|th) )?[^\W\d_][\w .'’&-]*+\Z")
#: A capital and a digit: a name of two characters ("U2", "G7", "F1"), no initial.
_LETTER_DIGIT = re.compile(r"[A-Z]\d\Z")
#: Weekday and month names: one with two letters swapped ("Wednedsay") is no name either.
_MONTH_NAMES = ("january", "february", "august", "september", "october", "november", "december")
_CALENDAR = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", *_MONTH_NAMES)
#: A company's legal form: no part of its hashtag ("Magna International Inc"), nor one alone; the
#: Nordic, Italian, Dutch and Indonesian ones of wire reports too ("LM Ericsson AB", "Kekkila Oy").
_LEGAL_FORMS = "Inc Co Corp Ltd LLC PLC Plc SA AG NV LP GmbH Bhd AB ASA Oy Oyj SpA BV Tbk"
LEGAL_FORMS = frozenset(_LEGAL_FORMS.split())
ORDINAL = re.compile(r"\d{1,3}(?:st|nd|rd|th)\Z")
#: A result after a team's name ("France beat Mexico 2-0", "Wigan 42-36"): no word of the name.
SCORE = re.compile(r"\d{1,3}[-–]\d{1,3}\Z")
INITIAL = re.compile(r"[A-Z]\.?\Z")
#: Endings of job titles written before a name but missing from data/titles.txt
#: ("Harbourmaster Colm Ferreira", "Economist Jane Roe", "Fireman Sam Hill").
TITLE_ENDINGS = ("master", "man", "woman", "person", "ist")
#: Ranks that also open the names of companies ("General Motors", "Major League Baseball"):
#: a title only before a given name ("General Antoine Lahd").
RANKS = frozenset({"General", "Major", "Marshal"})
#: Abbreviations the Title Case pass keeps whole besides those of the data files ("Jr.", "St. Louis").
_ABBREVIATIONS = ("Jr.", "Sr.", "St.", "Ste.", "Mt.", "Ft.", "Inc.", "Ltd.", "Corp.", "Co.", "Bros.", "No.")


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
    words (heads, the modifiers before them, the tails after them: "Attorney General"), the
    head nouns that end names (-> label), given names, and the Title Case pass's patterns."""

    names: dict[str, tuple[str, str, str]]
    stop: frozenset[str]
    openers: frozenset[str]
    title_heads: frozenset[str]
    title_modifiers: frozenset[str]
    title_tails: frozenset[str]
    name_heads: dict[str, str]
    given_names: frozenset[str]
    patterns: tuple[re.Pattern[str], re.Pattern[str]]
    #: Every name of the alias table as written, with its label: one lookup key may have several
    #: spellings ("Al Qaeda", "al Qaeda"), of which `names` keeps one.
    spellings: tuple[tuple[str, str], ...] = ()

    @functools.cached_property
    def roles(self) -> frozenset[str]:
        """Lower-case words that say what a person does: title words, and "said"."""
        titles = self.title_heads | self.title_modifiers
        return frozenset(w.lower() for w in titles if w.isalpha()) | {"said", "says", "told"}

    @functools.cached_property
    def people_title_modifiers(self) -> frozenset[str]:
        """Title modifiers that go with a title cut from a name, all but PLACE_NOUNS (which end
        a place's name before a title: "Bartholomew County Sheriff")."""
        return self.title_modifiers - PLACE_NOUNS

    @functools.cached_property
    def written(self) -> dict[str, str]:
        """Lookup key -> the name as the alias and demonym tables write it (read once, not per
        article)."""
        return {k: v[0] for k, v in self.names.items()}

    @functools.cached_property
    def countries(self) -> frozenset[str]:
        """The one-word countries of the nationality table ("Singapore", "Estonia")."""
        return frozenset(tag for _, label, tag in self.names.values() if label == "DEMONYM" and tag.isalpha())

    @functools.cached_property
    def title_ends(self) -> frozenset[str]:
        """Words that end a title rather than a name ("Minister", "General")."""
        return self.title_heads | self.title_tails


@functools.cache
def short_given_names() -> frozenset[str]:
    """Every short form of a given name of data/nicknames.txt ("Drew", "Vinny", "Pat")."""
    return frozenset(w for forms in nicknames().values() for w in forms)


@functools.cache
def nicknames() -> dict[str, frozenset[str]]:
    """Given name -> its short forms (data/nicknames.txt: "Patrick" -> "Pat", "Paddy")."""
    out: dict[str, set[str]] = {}
    for line in data_lines("nicknames.txt"):
        name, *short = line.split()
        out.setdefault(name, set()).update(short)
    return {k: frozenset(v) for k, v in out.items()}


def lookup_key(text: str) -> str:
    """The key a name is looked up by: short all-caps forms stay exact ("US" is not "us"),
    everything else is lower-cased ("WASHINGTON" is "Washington")."""
    if text.isupper() and sum(c.isalpha() for c in text) <= 4:
        return text
    return text.lower()


def data_lines(name: str) -> Iterator[str]:
    text = (resources.files("tagwire.understand") / "data" / name).read_text(encoding="utf-8")
    return (line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))


def _names() -> tuple[dict[str, tuple[str, str, str]], tuple[tuple[str, str], ...]]:
    """The demonym and alias tables by lookup key, and the alias table's names as written."""
    names: dict[str, tuple[str, str, str]] = {}
    for line in data_lines("demonyms.tsv"):
        tag, variants = line.split("\t")
        names.update((lookup_key(v), (v, "DEMONYM", tag)) for v in variants.split("|"))
    written: list[tuple[str, str]] = []
    for line in data_lines("aliases.tsv"):
        tag, label, variants = line.split("\t")
        spelled = [v for v in variants.split("|") for v in _spellings(v)]
        names.update((lookup_key(v), (v, label, tag)) for v in spelled)
        written += [(v, label) for v in spelled]
    return names, tuple(written)


def _spellings(name: str) -> tuple[str, ...]:
    """A name as American and British spelling write it: "World Trade Organization" and
    "World Trade Organisation" (the wire's British spelling made two tags of one body)."""
    british = name.replace("ization", "isation")
    return (name, british) if british != name else (name,)


def _patterns(abbreviations: Iterable[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """How the Title Case pass reads text: `token` finds the words ("U.S.", "Mr.", "Calif." and
    initials keep their dot, "Shangri-La" and "O'Brien" stay one word), `run` finds stretches
    of capitalised words with connectors between them, so lower-case text is skipped in C."""
    abbrevs = "|".join(sorted({re.escape(a) for a in abbreviations}, key=len, reverse=True))
    dotted = rf"(?:[A-Z]\.){{2,}}|(?:{abbrevs})(?!\w)|[A-Z]\.(?=\s+[A-Z])"
    word = r"(?:[^\W_]|&|[-'’](?=[^\W_]))*"
    cap = rf"(?:{dotted}|(?:{PARTICLE})?+[^\W\d_a-z]{word})"
    connector = "|".join(sorted(RUN_CONNECTORS, key=len, reverse=True))
    token = re.compile(rf"{dotted}|[^\W_]{word}")
    # the lookahead makes the engine skip lower-case positions before trying the alternatives; a
    # run opens with a capital or an article joined to one ("al-Tanf", "Bashar al-Assad")
    return token, re.compile(
        rf"(?=[^\W\d_a-z]|{PARTICLE}[^\W\d_a-z]){cap}(?:[^\S\n]+(?:(?:{connector})[^\S\n]+)*{cap})*"
    )


#: The wire's abbreviations of units and figures ("310 MLN DLRS", "3.5 MLN BPD", "FOB premium",
#: "Chg" of a table's column): no name, in capitals as in lower case, and no word of a headline's
#: key phrase ("MLN BALES").
WIRE_UNITS: Final = frozenset(
    {"mln", "bln", "dlr", "dlrs", "pct", "bpd", "cts", "qtr", "shr", "fob", "chg", "avg"}
)


@functools.cache
def lexicon() -> Lexicon:
    """Load the data files once per process."""
    titles = [tuple(w.strip() for w in line.split(":", 1)) for line in data_lines("titles.txt")]
    openers = {w.strip().lower() for w in data_lines("openers.txt")} | set(STOP_WORDS)
    names, spellings = _names()
    heads = frozenset(w for k, w in titles if k == "head")
    return Lexicon(
        names=names,
        stop=frozenset({w.strip().lower() for w in data_lines("stopwords.txt")} | openers | WIRE_UNITS),
        openers=frozenset(openers),
        title_heads=heads,
        title_modifiers=frozenset(w for k, w in titles if k == "modifier"),
        title_tails=frozenset(w for k, w in titles if k == "tail"),
        name_heads=dict(line.split("\t") for line in data_lines("name_heads.txt")),
        given_names=frozenset(w for line in data_lines("given_names.txt") for w in line.split()),
        patterns=_patterns(
            w
            for w in [*_ABBREVIATIONS, *heads, *(v for v, _, _ in names.values())]
            if re.fullmatch(r"\w+\.", w)
        ),
        spellings=spellings,
    )


# --- words ---


def is_cap(word: str) -> bool:
    """Capitalised, and not a hyphenated adjective ("Sacramento-based", "U.S.-led")."""
    return word[:1].isupper() and not ("-" in word and word.rsplit("-", 1)[1].islower())


def is_name_word(word: str) -> bool:
    """`is_cap`, or a name joined to its Arabic article ("al-Assad", "el-Sisi")."""
    if is_cap(word):
        return True
    found = _PARTICLE.match(word)
    return found is not None and is_cap(word[found.end() :])


def without_particle(word: str) -> str:
    """A name's word without its Arabic article: "al-Assad" -> "Assad"."""
    found = _PARTICLE.match(word)
    return word[found.end() :] if found else word


def possessive(word: str) -> str | None:
    """The name without its possessive ending ("Japan's" -> "Japan"), or None."""
    return word[:-2] if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS" else None


def strip_title(
    words: list[str], lex: Lexicon, lower: frozenset[str] = frozenset(), person: bool = False
) -> int:
    """How many leading words form a title that a name follows ("Defense Secretary", "Attorney
    General", "Mr.", "Digital Security Minister", "Minister for Digital Security"); 0 when
    there is none, len(words) when the words are only a title. A name of two words or more may
    also lose one leading word the title list does not know but that is shaped like a title
    ("Harbourmaster Colm Ferreira") or, before a person's name, written in lower case
    elsewhere in the text (`lower`: "the commissioner said"); `person` says the words are known
    to name a person."""
    cut = _leading_title(words, lex)
    cut = _portfolio_end(words, cut, lex) if cut else _inner_title(words, lex)
    rest = words[cut:]
    if len(rest) == 1 and rest[0] in lex.name_heads:
        return 0  # "Justice Department": the head makes it a name, not a title
    if len(rest) >= 3 and learned_title(rest[0], rest[1:], lex, lower, person):
        return cut + 1
    return cut


def _leading_title(words: list[str], lex: Lexicon) -> int:
    """The end of a title of listed words at the start ("Supreme Court Justice", "Secretary
    of State" when a name follows)."""
    cut = end = 0
    for end, w in enumerate(words):
        if w in lex.title_heads or (cut == end and cut and w in lex.title_tails):
            cut = end + 1
        elif w not in lex.title_modifiers and not (w in {"of", "the", "for"} and cut):
            break
    else:
        return cut
    if cut and words[cut] in ("of", "for") and end > cut + 1 + (words[cut + 1] == "the"):
        return end  # the portfolio is made of listed words: "Secretary of State Clinton"
    return cut


def _portfolio_end(words: list[str], cut: int, lex: Lexicon) -> int:
    """Where a name starts after a title that names its portfolio ("Minister for Digital
    Security Daniel Mirecki", "Chief of Staff John Kelly"): at the given name among the words
    after "for"/"of", else at the last two of three or more."""
    i = cut + (cut < len(words) and words[cut] in ("of", "for"))
    if i == cut:
        return cut
    i += i < len(words) and words[i] == "the"
    rest = _capitalised(words[i:])
    if len(rest) < 3:
        return cut
    given = next((k for k in range(1, len(rest)) if rest[k] in lex.given_names), len(rest) - 2)
    return i + given


def _inner_title(words: list[str], lex: Lexicon) -> int:
    """The end of a title whose head follows words the list does not know ("Digital Security
    Minister Daniel Mirecki", "Bank Governor Pieter Ansel"), when one to three words of a name
    follow it; 0 otherwise."""
    plain = _capitalised(words)
    heads = [k for k, w in enumerate(plain) if w in lex.title_heads]
    if not heads:
        return 0
    end = heads[-1] + 1
    while end < len(plain) and plain[end] in lex.title_tails:
        end += 1
    rest = plain[end:]
    return end if 1 <= len(rest) <= 3 and not any(w in lex.name_heads for w in rest) else 0


def _capitalised(words: list[str]) -> list[str]:
    """The capitalised words at the start of `words`, up to the first that is not."""
    out: list[str] = []
    for w in words:
        if not is_cap(w):
            break
        out.append(w)
    return out


def learned_title(word: str, rest: list[str], lex: Lexicon, lower: frozenset[str], person: bool) -> bool:
    """Whether `word`, before the capitalised words `rest`, is a title nobody listed: not a
    given name, not part of a name that ends in a head noun ("Port Authority"), and either
    ending like a job ("-master", "-man"), a rank before a given name (RANKS) or, before a
    person's name, written in lower case elsewhere in the text."""
    if word in lex.given_names or rest[-1] in lex.name_heads or not all(is_cap(w) for w in rest):
        return False
    low = word.lower()
    if (len(word) >= 7 and low.endswith(TITLE_ENDINGS)) or (word in RANKS and rest[0] in lex.given_names):
        return True
    written = low in lower or f"{low}s" in lower or f"{low}'s" in lower
    return written and (person or rest[0] in lex.given_names)


def name_head(words: list[str], lex: Lexicon) -> str | None:
    """The head noun that makes `words` the name of a body, event or place: the last word
    ("Asia Security Summit") or one before "of"/"for"/"on" ("Bank of Aldoria")."""
    if words[-1] in lex.name_heads:
        return words[-1]
    pairs = itertools.pairwise(words)
    return next((w for w, nxt in pairs if nxt in ("of", "for", "on") and w in lex.name_heads), None)


def is_common(word: str, lex: Lexicon, lower: frozenset[str]) -> bool:
    """A word that is an ordinary English word here: a stop word, a contraction ("I'm"),
    a word of under three letters, or one written in lower case elsewhere in the same text
    ("Defense" when the text also says "defense")."""
    low = word.lower().replace("’", "'")
    if low in lex.stop or low in lower or (sum(c.isalpha() for c in word) < 3 and not word.isupper()):
        return True
    return "'" in low and low.rsplit("'", 1)[1] in _CONTRACTIONS


def ordinary_opener(word: str, lex: Lexicon, lower: frozenset[str]) -> bool:
    """A capitalised word that, opening a sentence, is an ordinary word and no part of the
    name after it: a common word here (`is_common`) or a participle ("Following Ali",
    "Echoing Annan", "Asked about"), unless it is a given name or a name head."""
    return is_common(word, lex, lower) or participle(word, lex)


def participle(word: str, lex: Lexicon) -> bool:
    """A capitalised "-ing" or "-ed" word of five letters or more that is no given name or
    name head: no name's first word ("Following", "Echoing"; not "Sterling", "United")."""
    low = word.lower()
    shaped = low.endswith("ing") or (low.endswith("ed") and low != "united")
    return len(low) >= 5 and shaped and word not in lex.given_names and word not in lex.name_heads


def demonym_before_person(words: list[str], lex: Lexicon) -> bool:
    """Whether a name opens with a nationality word before a person's given name ("American
    Dennis Mitchell"): the nationality is no part of the name."""
    return len(words) >= 3 and words[1] in lex.given_names and is_demonym(words[0], lex)


def is_demonym(word: str, lex: Lexicon) -> bool:
    """Whether `word` is a nationality word of the demonym table ("French", "Malaysian")."""
    hit = lex.names.get(lookup_key(word))
    return hit is not None and hit[1] == "DEMONYM"


#: A half or a quarter of a (fiscal) year as results headlines write it: "H1", "Q3", "FY".
_PERIOD = re.compile(r"(?:[HQ][1-4]|FY)\Z")
#: A range of months, as tables and headlines write it: "January-July", "Jan-August".
_MONTH_RANGE = re.compile(r"[A-Za-z]{3,9}-[A-Za-z]{3,9}\Z")
_SHORT_MONTHS = "jan feb mar apr jun jul aug sep sept oct nov dec march april may june july"
_MONTHS = frozenset([*_MONTH_NAMES, *_SHORT_MONTHS.split()])


def calendar_word(word: str) -> bool:
    """A weekday or a month name (but May, March, June, July, April: also names or words), a
    half or a quarter of a year ("Deutsche Bahn H1 profit"), or a range of months
    ("January-July")."""
    if word.lower() in _CALENDAR or _PERIOD.match(word):
        return True
    return bool(_MONTH_RANGE.match(word)) and all(w.lower() in _MONTHS for w in word.split("-"))


def surname(name: str) -> str:
    """The last word of a person's name, skipping Jr./Sr./III, without its Arabic article
    ("Assad" of "Bashar al-Assad": the name news calls him by)."""
    words = [w for w in name.split() if w.lower() not in SUFFIXES]
    return without_particle(words[-1]) if words else name


def lower_words(text: str) -> frozenset[str]:
    """Every word the text writes in lower case: the evidence that a capitalised form of it at
    a sentence start is an ordinary word. A handle, a hashtag or a site's name is none:
    "@wikileaks", "#metoo", "velmora.org" are how names are written there."""
    words = set(_LOWER_WORD.findall(text))
    if any(mark in text for mark in _ADDRESS_MARKS):
        words -= {a or b for a, b in _ADDRESS_WORD.findall(text)}
    return frozenset(words)


_LOWER_WORD = re.compile(r"\b[a-z][a-z'-]*\b")
#: A handle or hashtag ("@wikileaks", "#metoo") and a site's name before its domain ending
#: ("velmora" of "velmora.org"): how names are written there, in lower case.
_ADDRESS_WORD = re.compile(
    r"[@#]([a-z][a-z'-]*+)|(?<![a-z0-9-])([a-z][a-z0-9-]*+)\.(?:com|org|net|gov|edu|info|io|co)\b"
)  # a site's name starts where its run of letters, digits and hyphens starts: linear
_ADDRESS_MARKS = ("@", "#", ".com", ".org", ".net", ".gov", ".edu", ".info", ".io", ".co")


def known(text: str, start: int, names: dict[str, tuple[str, str, str]]) -> Mention | None:
    """The mention for a name the alias/demonym table or the article's gazetteer knows."""
    hit = names.get(lookup_key(text))
    if hit is None:
        return None
    name, label, tag = hit
    if label == "DEMONYM":
        return Mention(name, "GPE", start, DEMONYM_WEIGHT, tag or None)
    return Mention(name, label, start, 1.0, tag or None)


def is_title_case(title: str) -> bool:
    """Whether a headline capitalises its words ("Japan, U.S. Agree to Deepen Cyber
    Cooperation"), which makes every word look like a name."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", title) if len(w) > 3]
    return bool(words) and sum(is_cap(w) for w in words) >= 0.7 * len(words)


# --- spaCy's entities ---


def from_span(span: Any, lex: Lexicon, lower: frozenset[str]) -> tuple[Mention, int] | None:
    """The mention for one spaCy entity span and where it ends, or None when it names nothing
    worth a hashtag: a date or number, a fragment across a clause, a bare title."""
    if span.label_ not in KEEP_LABELS or "\n" in span.text:
        return None
    label = span.label_
    if span.start > 0 and ORDINAL.match(span.doc[span.start - 1].text):
        span, label = span.doc[span.start - 1 : span.end], "ORG"  # "20th Century Fox"
    words = [t.text for t in span]
    i, j = _name_bounds(words, label, lex, lower, _inside_sentence(span))
    after = span.doc[span.end : span.end + 1].text
    if label not in ("PERSON", "GPE", "LOC") and (cut := _before_title(words[i:j], after, lex)):
        if cut == 1 and lookup_key(words[i]) not in lex.names:
            return None  # "European" of "European Trade Commissioner": a modifier, no body
        j = i + cut  # the Title Case pass reads the run again
    if i >= j:
        return None
    if label == "PERSON" and not _inside_sentence(span) and described_person(words[i:j], lex, lex.names):
        i += 1  # "Broadcaster Chris Evans has begun ...": the model read the description too
    if i > 0 and demonym_before_person(words[i - 1 : j], lex):
        label = "PERSON"
    if label != "PERSON" and (cut := _titled(words[i:j], lex, lower)):
        i, label = i + cut, "PERSON"  # "Harbourmaster Ines Varga" read as a body
    elif cut := _placed_person(words[i:j], lex):
        i, label = i + cut, "PERSON"  # "ambassador to the Ukraine Marie Yovanovitch"
    name = span[i:j]
    text, start = name.text.rstrip("'’"), name.start_char
    m = known(text, start, lex.names) or _strip_place(name, lex) or Mention(text, label, start)
    return m, start + len(text)


#: Title modifiers that end a place's name after another name ("Bartholomew County Sheriff",
#: "New York State Attorney General"): kept when the title after them is cut.
PLACE_NOUNS = frozenset({"County", "State", "District"})


def _before_title(words: list[str], after: str, lex: Lexicon) -> int:
    """How many of a body's words come before a person's title that the model read as part of
    it, 0 when there is none: "Bank of England" of "Bank of England Governor Eddie George" (a
    title head, then a name of two or three words), "European" of "European Trade" before
    "Commissioner Leon Brittan" (the title's modifiers, its head `after` the entity), "U.S." of
    "U.S. President Bill" before "Clinton" (a given name the model cut from its surname). Places
    are not read so: "Bartholomew County" before "Sheriff's Department" keeps its "County"."""
    end = len(words)
    if after not in lex.title_heads:
        head = next((k for k in range(1, len(words)) if words[k] in lex.title_heads), 0)
        name = words[head + 1 :] if head else []
        cut_name = len(name) == 1 and name[0] in lex.given_names and after[:1].isupper() and after.isalpha()
        if cut_name:  # "U.S. President Bill" before "Clinton" (read as a law, "Bill" a head)
            name = [*name, after]
        if not 2 <= len(name) <= 3 or not all(w[:1].isupper() and w.isalpha() for w in name):
            return 0
        if any(w in lex.name_heads for w in name[cut_name:]):
            return 0
        end = head
    while end > 1 and words[end - 1] in lex.people_title_modifiers:
        end -= 1
    if 0 < end <= len(words) and words[end - 1] in RUN_CONNECTORS:
        return 0  # "Office of the Deputy Prime Minister": the title is the body's own
    return end if end < len(words) else 0


def _placed_person(words: list[str], lex: Lexicon) -> int:
    """The length of a known place's name before a person's name of two or three words that
    opens with a given name, in one entity ("Ukraine Marie Yovanovitch", the end of "ambassador
    to the Ukraine"); 0 when there is none."""
    for k in (1, 2):
        place, rest = " ".join(words[:k]), words[k:]
        hit = lex.names.get(lookup_key(place))
        if not (place in lex.countries or (hit is not None and hit[1] in ("GPE", "LOC"))):
            continue
        if 2 <= len(rest) <= 3 and rest[0] in lex.given_names and not any(w in lex.name_heads for w in rest):
            return k
    return 0


def _titled(words: list[str], lex: Lexicon, lower: frozenset[str]) -> int:
    """The length of the title before a person's name of one to three words, in an entity the
    model did not read as a person ("Harbourmaster Ines Varga": ORG); 0 when there is none."""
    cut = strip_title(words, lex, lower)
    rest = words[cut:]
    return cut if cut > 0 and 1 <= len(rest) <= 3 and not any(w in lex.name_heads for w in rest) else 0


#: Counts that open a name after "the" when written in capitals ("the Six Nations", "the
#: Three Tenors", "the Four Tops"); English closed class.
COUNTS = frozenset(
    ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
)


def described_person(words: list[str], lex: Lexicon, known: Mapping[str, Any]) -> bool:
    """Whether the words opening a sentence are a word describing a person, then the person's
    name: a given name and one or two more words, none a connector or a name's head
    ("Fullback Andre Joubert scored", "Broadcaster Chris Evans has begun"). The first word is
    no given name, no word of the compass, no name `known` and no head of one ("Lake
    Victoria", "Saint John", "North Sam Smith")."""
    first, rest = words[0], words[1:]
    return (
        2 <= len(rest) <= 3
        and rest[0] in lex.given_names
        and first not in lex.given_names
        and first not in lex.name_heads
        and first not in COMPASS
        and lookup_key(first) not in known
        and not any(w in RUN_CONNECTORS or w in lex.name_heads for w in rest)
    )


def _inside_sentence(span: Any) -> bool:
    """Whether the span comes inside a sentence, after a word (not after the end of a sentence,
    a quote, a colon or a dash, nor at the start of the text)."""
    if span.start == 0:
        return False
    before = span.doc[span.start - 1].text
    return before[-1:].isalnum() or before in ("'s", "’s", ",")


def _name_bounds(
    words: list[str], label: str, lex: Lexicon, lower: frozenset[str], inside: bool = False
) -> tuple[int, int]:
    """The slice of an entity's words that is the name: without a leading determiner, a
    trailing possessive, lower-case edges ("Trump administration" -> "Trump"), an opening
    participle (not after "the": "The Rolling Stones" keeps it; nor `inside` a sentence, after a
    word: "Wednesday's Carling Cup", "striker Stewart Downing") and, for a person, the title.
    An empty slice when lower-case words remain inside (a fragment), unless they are inside a
    hyphenated name ("Chick-fil-A")."""
    i, j = 0, len(words)
    while i < j and (
        not is_cap(words[i]) or (words[i].lower() in lex.openers and not acronym_opens(words, i, lex, label))
    ):
        if i + 1 < j and ORDINAL.match(words[i]) and is_cap(words[i + 1]):
            break  # "20th Century Fox"
        if label == "ORG" and _ordinal_opens(words[i:j]):
            break  # "First Round Capital"
        if words[i - 1 : i] == ["the"] and words[i].lower() in COUNTS and i + 1 < j and is_cap(words[i + 1]):
            break  # "the Six Nations": a count in capitals after "the" opens the name
        i += 1
    j -= _score_words(words[i:j])  # "Mexico 2-0"
    j = i + legal_end(words[i:j])  # "Daniels Pharmaceuticals Inc of St. Petersburg"
    while j > i and not (is_cap(words[j - 1]) or words[j - 1][0].isdigit()):
        j -= 1
    while j - i > 1 and calendar_word(words[j - 1]):
        j -= 1  # "Holmenkollen Saturday"
    after_the = i > 0 and words[i - 1].lower() in ("the", "a", "an")  # "The Rolling Stones"
    if j - i > 1 and (
        (participle(words[i], lex) and not after_the and not (inside and i == 0))
        or demonym_before_person(words[i:j], lex)
    ):
        i += 1  # "Following Ali" opening a sentence, "American Dennis Mitchell"
    for k in range(i, j):
        hyphenated = "-" in words[k - 1 : k] or "-" in words[k + 1 : k + 2]
        if not is_cap(words[k]) and words[k] not in CONNECTORS and words[k] != "-" and not hyphenated:
            return 0, 0
    if label == "PERSON":
        i += strip_title(words[i:j], lex, lower, person=True)
    if flight_number(words[i:j]):
        i = j - 1  # "Flight MH370"
    return i, j


def acronym_opens(words: list[str], i: int, lex: Lexicon, label: str = "") -> bool:
    """Whether words[i] is a known name in capitals opening a body's name of two words: "US" of
    "the US Open" and "US Airways" is no pronoun "us" opening a sentence (the stop words are
    openers). Before a longer name it stays out, as the place that name is of ("the US
    Department of Energy"), and so before a person's; an acronym the tables do not know ("GMT
    Carnival shares") is no part of a name."""
    return (
        label != "PERSON"
        and len(words) - i == 2
        and len(words[i]) >= 2
        and words[i].isupper()
        and not words[i + 1].isupper()
        and lookup_key(words[i]) in lex.names
    )


#: Ordinals that open a body's name: "First Round Capital", "Second City", "Third Point".
_ORDINAL_OPENERS = frozenset({"First", "Second", "Third"})


def _ordinal_opens(words: list[str]) -> bool:
    """Whether a body's name the model read opens with a capitalised ordinal before two
    capitalised words or more ("First Round Capital"): the ordinal is the name's, no opener."""
    return len(words) >= 3 and words[0] in _ORDINAL_OPENERS and all(is_cap(w) for w in words[1:3])


def without_legal_form(phrase: str) -> str:
    """A company's name without the legal forms ending it ("Jones Medical Industries Inc",
    "Smith and Co Inc": "Jones Medical Industries", "Smith")."""
    words = phrase.split()
    while len(words) > 1 and words[-1].replace(".", "").rstrip(",") in LEGAL_FORMS:
        words.pop()  # "Co Inc" too
        while len(words) > 1 and words[-1] in ("and", "&"):
            words.pop()
    return " ".join(words).rstrip(",") if words[-1:] != phrase.split()[-1:] else phrase


def legal_end(words: list[str]) -> int:
    """How many words a name keeps: all of them, or up to a company's legal form after its
    first word, which ends the name ("Daniels Pharmaceuticals Inc of St. Petersburg", "Aw
    Computer Systems Inc Q2": what follows is the company's place or its period)."""
    return next((k + 1 for k in range(1, len(words)) if words[k].rstrip(".") in LEGAL_FORMS), len(words))


def _score_words(words: list[str]) -> int:
    """How many of the last words are a match's result ("2-0", or "2", "-", "0" as the model
    splits it) after a team's name: a score is no word of a name."""
    if len(words) >= 2 and SCORE.match(words[-1]):
        return 1
    if len(words) >= 4 and words[-2] in ("-", "–") and SCORE.match("".join(words[-3:])):
        return 3
    return 0


#: A flight's number as airlines write it ("MH370", "AF447", "MH17"; not "Flight 93", a name).
_FLIGHT_CODE = re.compile(r"(?=[A-Z0-9]{0,1}[A-Z])[A-Z0-9]{2}\d{1,4}")


def flight_number(words: list[str]) -> bool:
    """Whether a name ends in "Flight" and a flight's number ("Flight MH370", "Malaysia
    Airlines Flight MH370"): the noun says what the code is, the code is the flight's name
    (#MH370, as "MH370" alone)."""
    return len(words) >= 2 and words[-2] == "Flight" and bool(_FLIGHT_CODE.fullmatch(words[-1]))


def _strip_place(span: Any, lex: Lexicon) -> Mention | None:
    """The alias of a name preceded by a known place ("U.S. Defense Department" -> Pentagon)."""
    for i in range(1, len(span)):
        rest = known(span[i:].text, span[i].idx, lex.names)
        if rest is not None and lookup_key(span[:i].text) in lex.names:
            return rest
    return None


def _swapped_calendar_word(word: str) -> bool:
    """A weekday or month name with two of its letters swapped ("wednedsay")."""
    return any(
        len(day) == len(word) and sorted(day) == sorted(word) and sum(map(str.__ne__, day, word)) == 2
        for day in _CALENDAR
    )


#: Adjectives of a continent, a people or a language that the demonym table gives no country
#: (or that names two: "Korean"), of a faith, and of the Games: alone they are no tag
#: ("European markets", "English football", "Asian shares", "West African states", "Islamic
#: militants", "the Olympic champion"); one linked to a place the article names counts toward it
#: ("Europe"), and groups and names keep them ("Hispanic voters", "International Olympic
#: Committee"). English closed class, not fitted.
ADJECTIVES_ALONE = frozenset(
    {"European", "English", "Asian", "African", "Hispanic", "Olympic", "Paralympic", "Islamic", "Korean"}
)


def _column_heads(words: list[str]) -> bool:
    """A table's column heads, no name: three or more words of three letters at most, one of them
    a single letter ("W L T GF GA Pts", "L PCT GB" of a league's standings; not "Ho Chi Minh")."""
    return len(words) >= 3 and all(len(w) <= 3 for w in words) and any(len(w) == 1 for w in words)


def worth_a_tag(m: Mention, lex: Lexicon, lower: frozenset[str]) -> bool:
    """False for stop words and credits ("Saturday", "Jiji Press"), a legal form alone ("Co"),
    a calendar word with two letters swapped ("Wednedsay"), bare titles ("Defence"), odd shapes
    ("[W]e", "E"), a name cut after a connector ("Office of the"), a table's column heads
    ("W L T GF GA Pts"), and a single word that is an ordinary word in this text ("Defense" next
    to "defense"), an adjective of a continent, a people or a language alone (ADJECTIVES_ALONE),
    unless the alias table names it."""
    if m.tag is not None:
        return True
    words = m.text.split()
    if m.text.lower() in lex.stop or all(w in lex.title_heads or w in lex.title_modifiers for w in words):
        return False
    if words[-1] in ADJECTIVES_ALONE and (len(words) == 1 or (len(words) == 2 and words[0] in COMPASS)):
        return False  # "West African" too
    if (
        _swapped_calendar_word(m.text.lower())
        or m.text.replace(".", "") in LEGAL_FORMS
        or calendar_word(m.text)
    ):
        return False
    if len(words) > 1 and words[-1] in RUN_CONNECTORS:  # in lower case: "Lady Di" is whole
        return False  # a name cut before its end: "Office of the" (Deputy Prime Minister)
    if _column_heads(words):
        return False
    letter_digit = _LETTER_DIGIT.match(m.text) is not None  # "U2", "G7": a name, no initial
    if not _NAME_SHAPE.match(m.text) or (sum(c.isalpha() for c in m.text) < 2 and not letter_digit):
        return False
    short = m.text.isupper() and len(m.text) <= 2 and not letter_digit
    return len(words) > 1 or not (is_common(m.text, lex, lower) or short)
