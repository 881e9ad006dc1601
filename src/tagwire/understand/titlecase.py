"""The Title Case pass: names in the whole text, read from its runs of capitalised words.

spaCy's model reads only the head of an article (see `mentions`); this pass reads everything
at ~2 ms per 700 words. Each run of capitalised words (connectors such as "of" and "and"
allowed inside) is cut into names the model labelled there, names the head or the alias table
already knows (a per-article gazetteer), and unknown stretches. A connector joins two names
into one only where the result reads as the name of a body: "Bank of Aldoria", "Centre for
Cyber Resilience", "Fire and Rescue Service", but not "Nakatani and Hegseth" or "Reid of
Nevada". Titles ("Defense Secretary", "Mr.") are stripped from each name, and a name that
had one is a person's; an unknown stretch becomes a PERSON (it opens with a given name), a
name of the kind its head noun says ("Summit": EVENT), a PHRASE or, for one word, UNK, the
last two needing more evidence to count (see hashtags.Candidate.credible).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from tagwire.understand.entities import (
    COMPASS,
    CONNECTORS,
    COUNTS,
    INITIAL,
    LEGAL_FORMS,
    RUN_CONNECTORS,
    TITLE_ENDINGS,
    Lexicon,
    Mention,
    acronym_opens,
    calendar_word,
    described_person,
    flight_number,
    is_cap,
    is_common,
    is_demonym,
    is_name_word,
    known,
    legal_end,
    lookup_key,
    name_head,
    ordinary_opener,
    possessive,
    strip_title,
    surname,
)

_PLACES = frozenset({"GPE", "LOC", "ORG", "FAC", "NORP"})
#: Ordinary words that open many places' names: kept opening a sentence before a capital.
_PLACE_OPENERS = frozenset(
    {"New", "San", "Santa", "Los", "Las", "El", "Saint", "Port", "Fort", "Mount", "Great"}
)
_ORDINAL_WORD = re.compile(r"\d{1,3}(?:st|nd|rd|th)\Z")
_ORDINAL = re.compile(r"(?<![\w.,])(\d{1,3}(?:st|nd|rd|th)) \Z")
#: Labels of names that stand alone: "Japan and the Fire Service" is two names, not one.
_STANDALONE = frozenset({"PERSON", "GPE", "LOC", "NORP", "DEMONYM"})
_SENTENCE_END = frozenset(".!?:;\"“”'‘’([—–-\n")
#: Lower-case words that make a group named after a person: "Obama administration".
_GROUPS = re.compile(r"(?:['’]s)?\s++(administration|campaign)\b")
#: Connectors that join the name of a body to what it is of or for: "Bank of Aldoria".
_OF = frozenset({"of", "for", "on"})
_AND = frozenset({"and"})
#: What follows a person's name: a description after a comma, or a verb of saying.
_APPOSITION = re.compile(r",\s+(?:(?:a|an|the)\s+)?((?:[a-z][a-z-]*\s+){0,3}[a-z][a-z-]*)")
_SAYS = re.compile(r",?\s++(?:said|says|told|added|wrote|argued|explained)\b")
_WORD_BEFORE = re.compile(r"\b([a-z][a-z-]*)\s+\Z")
_PLACE_LABELS = frozenset({"GPE", "LOC"})
#: The kind of body a name is said to be, right before it: then its run is that body's one name,
#: whatever places it holds ("advocacy group Secure America Now", "the band Arctic Monkeys").
_BODY_KIND = re.compile(
    r"(?<![\w-])(?:group|organi[sz]ation|firm|company|charity|coalition|nonprofit|non-profit|"
    r"think[ -]tank|band|label|start-?up|consortium|conglomerate)[^\S\n]++\Z"
)
_KIND_CHARS = 16  # characters read back for it
#: A name that goes on past its run: "the group Human Rights in China".
_GOES_ON = re.compile(r"[^\S\n]++(?:of|in|for|on|at)[^\S\n]++[A-Z]")
#: A list's earlier item before a name: "Marriott, " (then "Apple and American Airlines" are
#: the list's last two items), capitalised words of the same name between.
_LIST_BEFORE = re.compile(r"[A-Z][\w'’.&-]*,[^\S\n]+(?:[A-Z][\w'’.&-]*[^\S\n]+)*\Z")
LIST_CHARS = 80  # characters read back for it


@dataclass(frozen=True)
class Tok:
    """A word of a run: its text (possessive removed) and character offsets."""

    text: str
    start: int
    end: int


def title_case_spans(text: str, lex: Lexicon, barrier: bytearray) -> Iterator[tuple[list[Tok], bool]]:
    """Runs of capitalised words (connectors allowed inside), each with whether it opens a
    sentence. A possessive ends its run; punctuation, lower-case words, hyphenated adjectives
    and `barrier` characters (dates and numbers the model found) break runs."""
    token, runs = lex.patterns
    for found in runs.finditer(text):
        run: list[Tok] = []
        opens = _opens_sentence(text, found.start())
        inside = found.start() > 0 and text[found.start() - 1].isalpha()  # "iPod": see _whole_first_word
        ordinal = _ORDINAL.search(text, max(0, found.start() - 6), found.start())
        if (
            ordinal is not None and not barrier[ordinal.start()] and " " in found.group()
        ):  # "20th Century Fox"
            run.append(Tok(ordinal.group(1), ordinal.start(), ordinal.end(1)))
            opens = _opens_sentence(text, ordinal.start())
        for t in token.finditer(found.group()):
            word, at = t.group(), found.start() + t.start()
            if is_name_word(word) and not barrier[at]:
                base = possessive(word) or word
                run.append(Tok(base, at, at + len(base)))
                if base == word:
                    continue
            elif run and word in RUN_CONNECTORS:
                run.append(Tok(word, at, at + len(word)))
                continue
            yield from _trimmed(_whole_first_word(text, run, found.start()) if inside else run, opens)
            run, opens = [], False
        if inside:
            run = _whole_first_word(text, run, found.start())
        yield from _trimmed(_with_model_number(text, run) if run and len(run[-1].text) == 1 else run, opens)


#: A small number right after a name, no score, time, share or range: a model's ("Galaxy S 5"),
#: a series' ("Channel 4", `TitleCaseReader._numbered`) or an index's. Up to three digits, as
#: the alias table's names have them ("FTSE 100", "S&P 500"); a model's or a series' number,
#: taken without the table, has one or two (MODEL_DIGITS).
_MODEL_NUMBER = re.compile(r"[^\S\n]([1-9]\d{0,2})(?![\w%/-]|[.,:]\d)")
MODEL_DIGITS = 2


#: Words that name a model of a product line after its name and number ("iPhone 11 Pro Max",
#: "Pixel 4 XL", "Galaxy S20 Ultra"): written alone, they are no name of their own.
_MODEL_LINES = frozenset(
    {"Pro", "Max", "Plus", "Ultra", "Mini", "XL", "Lite", "Air", "Active", "Edge", "Fold"}
)
#: What may stand between a product's name and its model's words: a space, or a number.
_MODEL_GAP = re.compile(r" (?:[1-9]\d{0,2} )?\Z")


def _model_lines(text: str, found: list[Mention]) -> list[Mention]:
    """`found` with each name followed, after its number, by model words only (_MODEL_LINES) read
    as one product's name: "iPhone 11 Pro Max" (not "iPhone 11" and "Pro Max"); and model words
    alone, later, as the one product they end ("the Pro Max")."""
    out: list[Mention] = []
    for m in found:
        prev = out[-1] if out else None
        if _model_words(m) and prev is not None and prev.label != "PERSON" and prev.start >= 0:
            gap = text[prev.start + len(prev.text) : m.start]
            if _MODEL_GAP.match(gap) and (gap != " " or prev.text[-1:].isdigit()):
                out[-1] = replace(prev, text=text[prev.start : m.start + len(m.text)], label="PRODUCT")
                continue
        out.append(m)
    products = {m.text for m in out if m.label == "PRODUCT" and _model_words(m, last=True)}
    return [_model_of(m, products) for m in out]


def _model_words(m: Mention, last: bool = False) -> bool:
    """Whether a mention is model words only (`last`: ends in them, after other words)."""
    words = m.text.split()
    if last:
        return len(words) > 1 and words[-1] in _MODEL_LINES
    return all(w in _MODEL_LINES for w in words)


def _model_of(m: Mention, products: set[str]) -> Mention:
    """Model words alone ("the Pro Max") as the one product of the text they end."""
    if not products or not _model_words(m):
        return m
    ends = [p for p in products if p.endswith(" " + m.text)]
    return replace(m, text=ends[0], label="PRODUCT") if len(ends) == 1 else m


def _with_model_number(text: str, run: list[Tok]) -> list[Tok]:
    """A run whose last word is one capital letter, followed by a number of one or two digits,
    ends with that number: "Galaxy S 5" is one product's name (and "GS5" its initials), no
    "Galaxy S"."""
    if len(run) < 2 or len(run[-1].text) != 1 or not run[-1].text.isupper():
        return run
    number = _MODEL_NUMBER.match(text, run[-1].end)
    if number is None or len(number[1]) > MODEL_DIGITS:
        return run
    return [*run, Tok(number[1], number.start(1), number.end(1))]


def _whole_first_word(text: str, run: list[Tok], at: int) -> list[Tok]:
    """A run that starts inside a word starts with the whole word: "iPod Touch", "eBay" (the
    capital inside a word opens no name of its own: no "Pod Touch")."""
    start = at
    while start > 0 and text[start - 1].isalpha() and text[start - 1].islower():
        start -= 1
    if start == at or not run or run[0].start != at:
        return run
    return [Tok(text[start : run[0].end], start, run[0].end), *run[1:]]


def _registers(run: list[Tok], opens: bool) -> list[tuple[list[Tok], bool]]:
    """A run whose first words, two or more, are written in capitals, then a name in mixed case,
    as two runs: an opening in capitals ("KOREAN ELECTRONICS CONGLOMERATE Samsung has ...", "NRA
    CEO Wayne LaPierre") is no part of the name after it. Words of one or two letters ("UK PM",
    "CEO JK Shin") keep the run whole."""
    k = 0
    while k < len(run) and len(run[k].text) >= 3 and run[k].text.isalpha() and run[k].text.isupper():
        k += 1
    if k < 2 or k == len(run) or run[k].text.isupper():
        return [(run, opens)]
    return [(run[:k], opens), (run[k:], False)]


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
class TitleCaseReader:
    """What reading one text's runs needs: the gazetteer, the model's mentions by start
    (with their end), the lexicon and the text's lower-case words."""

    gaz: dict[str, tuple[str, str, str]]
    ner: dict[int, tuple[Mention, int]]
    lex: Lexicon
    lower: frozenset[str]
    text: str = ""
    cased: bool = True  # the text is in sentence case: its capitals say where names are
    numbered: set[str] = field(default_factory=set)  # names read with their number ("Channel 4")

    def read(self, text: str, barrier: bytearray, cased: bool = True) -> list[Mention]:
        """Every mention in the Title Case runs of `text`, and the groups named after a person
        ("Obama administration", "Romney campaign"); `cased`: the text is in sentence case (a
        body; a headline unless it is in Title Case or capitals)."""
        self.text, self.cased = text, cased
        out: list[Mention] = []
        for whole, opened in title_case_spans(text, self.lex, barrier):
            for run, opens in _registers(whole, opened):
                out += self._read_run(text, run, opens)
        return _model_lines(text, out)

    def _read_run(self, text: str, run: list[Tok], opens: bool) -> list[Mention]:
        """The mentions of one run, and the group named after its last person."""
        k = _spelled_out(text, run, self.lex)
        if k is not None:  # "Movement of Socialist Democrats (MDS)": one name, whatever its words know
            head = [self._by_context(text, m) for m in self.segment(run[:k], opens)] if k else []
            name = Mention(
                " ".join(t.text for t in run[k:]), "ORG", run[k].start, sentence_start=opens and not k
            )
            return [*head, name]
        found = [self._by_context(text, m) for m in self.segment(run, opens)]
        if found and found[-1].start + len(found[-1].text) == run[-1].end:
            found[-1] = self._numbered(text, found[-1])
        group = _GROUPS.match(text, run[-1].end)
        if group and found and found[-1].label == "PERSON":
            return [Mention(f"{surname(found[-1].text)} {group[1]}", "GROUP", found[-1].start), *found]
        return found

    def _numbered(self, text: str, m: Mention) -> Mention:
        """A name and the small number right after it, when the text (or the body, for the
        headline) writes them together twice or more: "Channel 4", "Radio 4", "Halo 2" (not a
        score or a date: written once); or once, when the alias table knows the two together
        ("FTSE 100", "S&P 500", "Number 10"): then the table's name."""
        if m.label == "PERSON" or calendar_word(m.text.split()[-1]):
            return m
        after = _MODEL_NUMBER.match(text, m.start + len(m.text))
        if after is None:
            return m
        longer = f"{m.text} {after[1]}"
        hit = known(longer, m.start, self.gaz)
        if hit is not None:  # a name the alias table knows, written once too ("Number 10", "FTSE 100")
            return replace(hit, sentence_start=m.sentence_start)
        if len(after[1]) > MODEL_DIGITS or (longer not in self.numbered and text.count(longer) < 2):
            return m
        self.numbered.add(longer)  # then the headline's one "Halo 2" is the body's too
        return replace(m, text=longer, label="PHRASE" if m.label == "UNK" else m.label)

    def _by_context(self, text: str, m: Mention) -> Mention:
        """A PHRASE of two words (three, when it opens with a given name) is a person's name
        when the words around it say so: "Dario Quell, chief executive of ...", "Dario Quell
        said", "said Dario Quell", "chief executive Dario Quell". (Three words of which the
        first is unknown may be a title and a name: "Haulier Benedikt Oyelaran said".)"""
        words = m.text.split()
        if m.label != "PHRASE" or not (
            len(words) == 2 or (len(words) == 3 and words[0] in self.lex.given_names)
        ):
            return m
        end = m.start + len(m.text)
        after, before = _APPOSITION.match(text, end), _WORD_BEFORE.search(text, max(0, m.start - 40), m.start)
        cues = (after.group(1).split() if after else []) + ([before.group(1)] if before else [])
        if _SAYS.match(text, end) or any(self._role(w) for w in cues):
            return replace(m, label="PERSON")
        return m

    def _role(self, word: str) -> bool:
        """A lower-case word that says what a person does: "said", a title ("minister",
        "chief", "executive"), or a job ("ecologist", "spokeswoman")."""
        return word in self.lex.roles or (len(word) >= 7 and word.endswith(TITLE_ENDINGS))

    def segment(self, run: list[Tok], opens: bool) -> Iterator[Mention]:
        """Cut a run into known names (the model's, then the longest known) and unknown
        stretches. Names a connector joins become one unknown stretch ("Aldorian Fire" and
        "Rescue Service"); a known place followed by a stretch ending in a name head becomes
        one name with it ("Washington Post", "Israel Defense Forces")."""
        if self._kind_named(run):
            name = " ".join(t.text for t in run)
            self.gaz.setdefault(lookup_key(name), (name, "ORG", ""))  # its later runs are it too
            yield Mention(name, "ORG", run[0].start)
            return
        pieces: list[Piece] = []
        i = 0
        while i < len(run):
            hit = self._known_at(run, i)
            if hit is None:
                pieces.append((None, [run[i]]))
                i += 1
            elif hit[0].label in _PLACE_LABELS and (
                (compass := _compass(pieces)) or self._named_for(pieces, hit[0], opens and len(pieces) == 1)
            ):
                start = pieces[-1][1]
                text = " ".join(t.text for t in start + run[i : i + hit[1]])
                label = "LOC" if compass else "ORG"  # "North America"; "Real Madrid"
                pieces[-1] = (Mention(text, label, start[0].start), start + run[i : i + hit[1]])
                i += hit[1]
            else:
                pieces.append((hit[0], run[i : i + hit[1]]))
                i += hit[1]
        if len(pieces) > 1:  # one piece (most runs: a name the gazetteer or the model knows) is whole
            pieces = self._join_across(pieces)
            pieces = self._merge_places(self._first_names(self._headed(_unknown_together(_reopened(pieces)))))
            pieces = self._nationality_complements(pieces)
        else:
            pieces = self._first_names(pieces)
        cut = False  # the name before was cut: an unknown stretch right after it is its tail
        for k, (m, toks) in enumerate(pieces):
            first = opens and k == 0
            if m is None and not cut:
                yield from self.unknown(toks, first)
            cut = m is not None and _cut_before(pieces, k)
            if m is not None and not cut:
                yield replace(m, start=toks[0].start, sentence_start=first)

    def _kind_named(self, run: list[Tok]) -> bool:
        """Whether a run of two to five words, in sentence case, comes right after the kind of
        body it names ("the conservative group Secure America Now"): one name, not the place
        inside it and the words around. Not where it opens with a title or a given name ("the
        firm Chairman John Smith", "the band Paul Simon formed"), nor where it holds "and" or
        goes on past its run."""
        if not self.cased or not 2 <= len(run) <= 5 or run[0].start < 2:
            return False
        first = run[0].text
        if first in self.lex.given_names or self._role(first.lower()) or first.lower() in self.lex.stop:
            return False
        if any(t.text in _AND or t.text == "&" for t in run) or _GOES_ON.match(self.text, run[-1].end):
            return False  # two names ("Phytopharm and Unilever"), or a longer one
        return _BODY_KIND.search(self.text[max(0, run[0].start - _KIND_CHARS) : run[0].start]) is not None

    def _headed(self, pieces: list[Piece]) -> list[Piece]:
        """An unknown stretch opening a run, right before a known body's name of several words
        ending in a name head, is that body's own name where the text never writes the name
        without it: "Kurdistan Democratic Party" (not the Democrats), "Building Societies
        Association"; not "Dallas Tea Party" beside "the Tea Party"."""
        if len(pieces) < 2 or pieces[0][0] is not None:
            return pieces
        (_, stretch), (m, toks) = pieces[0], pieces[1]
        lead = next((k for k, t in enumerate(stretch) if t.text.lower() not in self.lex.stop), len(stretch))
        own, name = stretch[lead:], " ".join(t.text for t in toks)  # "The" opening the run is no name
        if (
            m is None
            or not own
            or m.label not in ("ORG", "NORP")
            or len(toks) < 2
            or toks[-1].text not in self.lex.name_heads
            or any(t.text.lower() in self.lex.stop for t in own)
            or self.text.count(name) != self.text.count(f"{' '.join(t.text for t in own)} {name}")
        ):
            return pieces
        return [*([(None, stretch[:lead])] if lead else []), (None, own + toks), *pieces[2:]]

    def _named_for(self, pieces: list[Piece], place: Mention, opening: bool) -> bool:
        """Whether the last piece read is one unknown word that makes a body's name of the
        one-word place after it, the text never writing the place without it: "Real Madrid",
        "Inter Milan". Only in sentence case, inside a sentence ("Missing German girl found"),
        of a place that is no people's word ("Famous Japanese director"), and not after a
        stop word, a given name or an initial ("Jack London", "S Asia")."""
        if not pieces or pieces[-1][0] is not None or len(pieces[-1][1]) != 1 or " " in place.text:
            return False
        word, lex = pieces[-1][1][0].text, self.lex
        return (
            self.cased
            and not opening
            and not is_demonym(place.text, lex)
            and len(word) > 1
            and is_cap(word)
            and word.lower() not in lex.stop
            and word not in RUN_CONNECTORS
            and word not in lex.given_names
            and not is_demonym(word, lex)
            and self.text.count(place.text) == self.text.count(f"{word} {place.text}")
        )

    def _known_at(self, run: list[Tok], i: int) -> tuple[Mention, int] | None:
        if run[i].start in self.ner:
            m, end = self.ner[run[i].start]
            ends = [k for k in range(i, len(run)) if run[k].end == end]
            return (m, ends[0] - i + 1) if ends else None
        if run[i].text in RUN_CONNECTORS:
            return None
        for length in range(min(len(run) - i, 6), 0, -1):
            hit = known(" ".join(t.text for t in run[i : i + length]), run[i].start, self.gaz)
            if hit is not None:
                return hit, length
        return None

    def _join_across(self, pieces: list[Piece]) -> list[Piece]:
        """Known names on either side of a connector that joins them, as unknown words again
        (so that `unknown` reads them as one name)."""
        out = list(pieces)
        for k in range(1, len(out) - 1):
            conn = out[k][1][0].text
            if out[k][0] is None and conn in RUN_CONNECTORS and (out[k - 1][0] or out[k + 1][0]):
                left, right = _name_before(out, k), _name_after(out, k)
                if left and right and self.joins(left, conn, right):
                    out[k - 1] = (None, out[k - 1][1])
                    for j in _complement(out, k, right[-1].end):
                        out[j] = (None, out[j][1])
        return out

    def joins(self, left: list[Tok], conn: str, right: list[Tok]) -> bool:
        """Whether `conn` joins the words before it and after it into one name: "and" inside
        the name of a body ("Fire and Rescue Service"; not "Bellhaven Council and Fire
        Service", the first a name already, nor "Aldoria and Norvesta Defence Council"),
        "of"/"for" after a head noun ("Bank of Aldoria", not "Reid of Nevada"), "the" after
        those ("Department of the Interior"), "&" and name particles ("Procter & Gamble",
        "Charles de Gaulle")."""
        lw, rw, heads = [t.text for t in left], [t.text for t in right], self.lex.name_heads
        if conn in _AND:
            return rw[-1] in heads and is_cap(rw[0]) and not self._whole_before_and(left, rw)
        if conn in _OF:
            return lw[-1] in heads and (is_cap(rw[0]) or rw[0] == "the")
        if conn == "the":
            return lw[-1] in _OF and is_cap(rw[0])
        return is_cap(rw[0])  # "&" and name particles

    def _whole_before_and(self, left: list[Tok], right: list[str]) -> bool:
        """Whether the words before an "and" are a name whole, so that the "and" joins two
        names, not the words of one: a name with a head of the kind of the one ending the words
        after it ("Flynn Intel Group LLC and Flynn Intel Group Inc.": not "State Law and Order
        Restoration Council", a law's head inside a council's name), or a legal form ("Johnson
        Controls Inc and Lear Corp"); a person's name (a given name and more: "Amanda Carpenter
        and Boston Herald columnist"), one known to stand alone, or the last item of a list
        ("Marriott, Apple and American Airlines"); two bodies the article or the alias table
        names alone ("Fiat and General Motors" where the model read both), or an initialism
        ("UPS and Deutsche Post")."""
        words, heads, head = [t.text for t in left], self.lex.name_heads, right[-1]
        return (
            any(heads.get(w) == heads[head] for w in words)
            or (len(words) == 1 and len(words[0]) > 1 and words[0].isupper())
            or (self._known_body(words) and self._known_body(right))
            or words[-1] in LEGAL_FORMS
            or (len(words) > 1 and words[0] in self.lex.given_names)
            or self._standalone(words)
            or _LIST_BEFORE.search(self.text, max(0, left[0].start - LIST_CHARS), left[0].start) is not None
        )

    def _known_body(self, words: list[str]) -> bool:
        """A body's name, all of `words`, that the article's head or the alias table names."""
        hit = self.gaz.get(lookup_key(" ".join(words)))
        return hit is not None and hit[1] == "ORG"

    def _standalone(self, words: list[str]) -> bool:
        """A name known to stand alone: a person, place or people, or one with an alias."""
        for text in (" ".join(words), words[-1]):
            hit = self.gaz.get(lookup_key(text))
            if hit is not None and (hit[2] or hit[1] in _STANDALONE):
                return True
        return False

    def _merge_places(self, pieces: list[Piece]) -> list[Piece]:
        """A known place, or a one-word name of a person, followed by an unknown stretch with a
        name head, as one unknown stretch: "Washington Post", "Flynn Intel Group LLC" (a body
        named after a person, whose surname the gazetteer knows). The stretch is read up to an
        "and" when that part has a head ("Flynn Intel Group LLC and Flynn Intel Group Inc.": no
        "Intel Group LLC"), else whole ("U.S. Fish and Wildlife Service")."""
        out: list[Piece] = []
        for m, toks in pieces:
            prev = out[-1][0] if out else None
            body = m is None and prev is not None and self._names_body(prev, out[-1][1])
            cut = next((c for c in (_before_and(toks), toks) if self._extends(c)), None) if body else None
            if cut:
                out[-1] = (None, out[-1][1] + cut)
                if len(cut) < len(toks):
                    out.append((None, toks[len(cut) :]))
            else:
                out.append((m, toks))
        return out

    def _nationality_complements(self, pieces: list[Piece]) -> list[Piece]:
        """An unknown stretch ending in "of" or "for" and a word, then a nationality word, as
        one stretch with it and the unknown words after it: "Coalition of African American
        Pastors" (a nationality word is an adjective: no complement ends with one, and no
        "Coalition of African")."""
        out: list[Piece] = []
        k = 0
        while k < len(pieces):
            m, toks = pieces[k]
            prev = out[-1] if out else None
            if (
                m is not None
                and prev is not None
                and prev[0] is None
                and len(prev[1]) > 2
                and prev[1][-2].text in _OF
                and is_demonym(m.text, self.lex)
            ):
                tail = pieces[k + 1][1] if k + 1 < len(pieces) and pieces[k + 1][0] is None else []
                out[-1] = (None, prev[1] + toks + tail)
                k += 2 if tail else 1
                continue
            out.append((m, toks))
            k += 1
        return out

    @staticmethod
    def _names_body(m: Mention, toks: list[Tok]) -> bool:
        return m.label in _PLACES or (m.label == "PERSON" and len(toks) == 1)

    def _first_names(self, pieces: list[Piece]) -> list[Piece]:
        """A one-word name the model found (often only the surname: "O'Connell") takes the
        unknown capitalised word right before it as the first name ("Siobhan O'Connell"), with
        a middle initial between them ("Donald J. Trump", not "J. Trump")."""
        out: list[Piece] = []
        for m, toks in pieces:
            prev = out[-1][1] if out and out[-1][0] is None else None
            one_word = m is not None and m.tag is None and m.label in ("PERSON", "ORG") and " " not in m.text
            if m is not None and one_word and prev and _ORDINAL_WORD.match(prev[0].text):
                toks, label = [*prev, *toks], m.label  # "20th Century" + "Fox"
                m = Mention(" ".join(t.text for t in toks), label, prev[0].start)
                out.pop()
            elif self._surname_of(m, toks, one_word) and self._given_piece(out, toks[0]):
                first = out.pop()[1]  # "Hillary" ("Crooked Hillary": a title) + "Clinton"
                toks = [*first, *toks]
                m = Mention(" ".join(t.text for t in toks), "PERSON", first[0].start)
            elif m is not None and one_word and prev and self._first_name(prev[-1].text, m.text, m.label):
                given = len(prev) - 1 - (len(prev) > 1 and bool(INITIAL.match(prev[-1].text)))
                first, prev[given:] = prev[given:], []
                m = Mention(" ".join(t.text for t in [*first, *toks]), "PERSON", first[0].start)
                toks = [*first, *toks]
                if not prev:
                    out.pop()
            out.append((m, toks))
        return out

    def _surname_of(self, m: Mention | None, toks: list[Tok], one_word: bool) -> bool:
        """Whether a piece may be the surname after a given name: a person's one-word name
        ("Clinton"), or one unknown word that is no stop word, title or known name ("Obama"
        after the model's "Michelle")."""
        if m is not None:
            return one_word and m.label == "PERSON"
        word = toks[0].text
        return (
            len(toks) == 1
            and word.isalpha()
            and word.lower() not in self.lex.stop
            and word not in self.lex.title_heads
            and lookup_key(word) not in self.lex.names
        )

    def _given_piece(self, out: list[Piece], surname: Tok) -> bool:
        """Whether the last piece read is a known one-word name that is a given name, no place
        and no alias ("Hillary", read elsewhere in the text as a title or alone), a space before
        `surname`: the first name of the person named right after it."""
        if not out or out[-1][0] is None or len(out[-1][1]) != 1:
            return False
        m, given = out[-1][0], out[-1][1][0]
        return (
            m.tag is None
            and m.label not in _PLACE_LABELS
            and m.text in self.lex.given_names
            and self.text[given.end : surname.start] == " "
        )

    def _first_name(self, word: str, name: str = "", label: str = "PERSON") -> bool:
        """Whether `word` may be the first name of the one-word name `name` labelled `label`
        after it; of a body's name (ORG) the text also writes alone, after no capitalised word,
        at least twice, only a given name: "told the Korea Herald Samsung would" is no person
        "Herald Samsung" (whose surname every "Samsung" would then be)."""
        lex = self.lex
        if label != "PERSON" and word not in lex.given_names and _written_alone(name, self.text) >= 2:
            return False
        titles = word in lex.title_heads or word in lex.title_modifiers
        return not titles and word not in RUN_CONNECTORS and not ordinary_opener(word, lex, self.lower)

    def _extends(self, toks: list[Tok]) -> bool:
        """Whether an unknown stretch after a place names something of that place: it has a
        name head ("Post", "Defense Forces", "Institute of Technology"), starts with no stop
        word and holds no title."""
        words = [t.text for t in toks]
        return (
            name_head(words, self.lex) is not None
            and words[0].lower() not in self.lex.stop
            and not any(w in self.lex.title_heads for w in words)
        )

    # --- unknown stretches ---

    def unknown(self, toks: list[Tok], opens: bool) -> Iterator[Mention]:
        """Mentions for an unknown stretch: an ordinary word opening a sentence ("Afterward")
        dropped, then each name in it (see `names_in`) without its title."""
        word = toks[0].text
        place = word in _PLACE_OPENERS and len(toks) > 1  # "New York said", not "York"
        ordinary = ordinary_opener(word, self.lex, self.lower) and word not in self.lex.title_heads
        if opens and not place and (ordinary or self._described_person(toks)):
            toks, opens = toks[1:], False
        while len(toks) > 1 and calendar_word(toks[-1].text):
            toks = toks[:-1]  # "Holmenkollen Saturday"
        if flight_number([t.text for t in toks]):
            toks, opens = toks[-1:], False  # "Flight MH370" is the flight MH370
        for part, titled, first in self.names_in(toks):
            yield from self._mention(part, titled, opens and first)

    def _described_person(self, toks: list[Tok]) -> bool:
        """Whether a stretch opening a sentence is a word describing a person, then the
        person's name (`entities.described_person`; "Striker Tomas Ribeiro said")."""
        return described_person([t.text for t in toks], self.lex, self.gaz)

    def names_in(self, toks: list[Tok]) -> Iterator[tuple[list[Tok], bool, bool]]:
        """The names in an unknown stretch, each with whether a title preceded it and whether
        it starts the stretch: titles are stripped where a name starts ("Mr. Booker and
        Senator Bernie Sanders"), stop words and connectors that join nothing split names. A
        name cut from a longer one (`_cut`) is no name, nor is the next, its tail ("Tax
        Administration" of "Inspector General for Tax Administration")."""
        tail = False
        for part, titled, first, cut in self._parts(toks):
            if not (cut or tail):
                yield part, titled, first
            tail = cut

    def _parts(self, toks: list[Tok]) -> Iterator[tuple[list[Tok], bool, bool, bool]]:
        part: list[Tok] = []
        titled, first, i = False, True, 0
        while i < len(toks):
            if not part:
                cut = strip_title([t.text for t in toks[i:]], self.lex, self.lower)
                titled, first, i = cut > 0, first and not cut, i + cut
                if i >= len(toks):
                    break
            tok = toks[i]
            joined = part and tok.text in RUN_CONNECTORS and i + 1 < len(toks)
            if joined and self.joins(part, tok.text, _until_connector(toks, i + 1, tok.text)):
                part.append(tok)
                i += 1
                continue
            if joined and self._continues(part, tok.text, _until_connector(toks, i + 1, "of")):
                part.append(tok)
                i += 1
                continue
            opener = tok.text.lower() in self.lex.openers and not (
                self.cased and (self._acronym_opens(part, toks, i) or self._count_opens(part, toks, i))
            )
            if tok.text in RUN_CONNECTORS or opener:
                if part:
                    yield part, titled, first, bool(joined) and self._cut(part, tok.text, toks[i + 1 :])
                part, first, i = [], False, i + 1
                continue
            if part and self._title_before_person(toks, i):
                yield part, titled, first, False
                part, first = [], False
                continue  # the title is stripped where the person's name starts
            part.append(tok)
            i += 1
        if part:
            yield part, titled, first, False

    def _acronym_opens(self, part: list[Tok], toks: list[Tok], i: int) -> bool:
        """Whether word `i`, a stop word in capitals, opens a body's name of two words ("US" of
        "the US Open", `acronym_opens`); only in sentence case, where "Talks With US Fail" is
        no name."""
        return not part and acronym_opens([t.text for t in toks], i, self.lex)

    def _count_opens(self, part: list[Tok], toks: list[Tok], i: int) -> bool:
        """Whether word `i`, a count in capitals inside a sentence before another capitalised
        word, opens a name ("the Six Nations", "their first Six Nations win"): a count inside a
        sentence is written small, and a stop word ("six") opens no name otherwise."""
        return (
            not part
            and i + 1 < len(toks)
            and toks[i].text.lower() in COUNTS
            and toks[i + 1].text not in RUN_CONNECTORS
            and not _opens_sentence(self.text, toks[i].start)
        )

    def _title_before_person(self, toks: list[Tok], i: int) -> bool:
        """Whether word `i` is a title before a person's given name, inside a stretch that
        names a body first: "National Organization for Women President Terry O'Neill" is the
        body, then the person."""
        return (
            toks[i].text in self.lex.title_heads
            and i + 2 < len(toks)
            and toks[i + 1].text in self.lex.given_names
            and is_cap(toks[i + 2].text)
        )

    def _continues(self, part: list[Tok], conn: str, right: list[Tok]) -> bool:
        """Whether "and" goes on with the complement of a body's name: "Office of Management
        and Budget", "Department of Housing and Urban Development" (words the text also writes
        in lower case after a name of "X of Y")."""
        return (
            conn in _AND
            and _has_of(part)
            and all(is_cap(t.text) and is_common(t.text, self.lex, self.lower) for t in right)
        )

    def _cut(self, part: list[Tok], conn: str, rest: list[Tok]) -> bool:
        """Whether a name of "X of Y" is cut from a longer name the reader could not make
        whole, and so a fragment of it: a connector that joined nothing goes on with a
        capitalised word ("Office for the Western District of New York", "Department of the
        Treasury Inspector General for Tax Administration", "Organisation for Security and
        Cooperation in Europe"); not "and" before a name of its own ("the", a given name, a
        head: "School of Foreign Service and School of Nursing")."""
        after = rest[1] if len(rest) > 1 and rest[0].text == "the" and conn in _OF else rest[0]
        if not _has_of(part) or not is_cap(after.text):
            return False
        if conn in _AND:
            return after.text not in self.lex.given_names and after.text not in self.lex.name_heads
        return conn in _OF

    def _mention(self, part: list[Tok], titled: bool, opens: bool) -> Iterator[Mention]:
        """The mention for one name of an unknown stretch, without a title at its end (the
        portfolio and title before a name the model found: "Digital Affairs Minister")."""
        titles = self.lex.title_ends
        part = part[: legal_end([t.text for t in part])]  # "Computer Systems Inc Q2"
        headed = False  # a title's head was cut: its modifiers go with it ("European Trade")
        while part and (part[-1].text in RUN_CONNECTORS or (len(part) > 1 and part[-1].text in titles)):
            if part[-1].text not in RUN_CONNECTORS and part[-2].text in RUN_CONNECTORS:
                break  # "Ministry of Justice"
            headed |= part[-1].text in self.lex.title_heads
            part = part[:-1]
        while headed and len(part) > 1 and part[-1].text in self.lex.people_title_modifiers:
            part = part[:-1]
        if not part:
            return
        if len(part) == 1:
            word = part[0].text
            if titled:
                yield Mention(word, "PERSON", part[0].start)
            elif not is_common(word, self.lex, self.lower):
                yield Mention(word, "UNK", part[0].start, 1.0, None, opens)
        else:
            yield Mention(" ".join(t.text for t in part), self._label(part, titled), part[0].start)

    def _label(self, part: list[Tok], titled: bool) -> str:
        """The head's label for a name ending in one ("Asia Security Summit": EVENT) or with
        one before "of"/"for" ("Bank of Aldoria": ORG); PERSON for two to four words after a
        title or opening with a given name ("Joe Biden"); else PHRASE."""
        words = [t.text for t in part]
        head = name_head(words, self.lex)
        if head is not None:
            return self.lex.name_heads[head]
        person = titled or words[0] in self.lex.given_names
        if person and len(words) <= 4 and not any(w in CONNECTORS for w in words):
            return "PERSON"
        return "PHRASE"


#: An initialism in brackets right after a run: "Kurdistan Democratic Party (KDP)".
_INITIALISM_AFTER = re.compile(r"[^\S\n]*+\(([A-Z]{3,6})\)")


def _spelled_out(text: str, run: list[Tok], lex: Lexicon) -> int | None:
    """Where the name that the initialism in brackets after `run` spells out starts in it
    (`initialism_after`, `spells`): None when none follows or none of the run's tails gives its
    letters (then its words are read as any run's)."""
    initialism = initialism_after(text, run[-1].end, lex)
    if initialism is None or len(run) < 3:
        return None
    for k in range(len(run) - 2):
        if is_cap(run[k].text) and spells(initialism, [t.text for t in run[k:]]):
            return k
    return None


def spells(initialism: str, words: list[str]) -> bool:
    """Whether the capitalised words give the initialism's letters, in order or, of a name
    translated, in another order ("MDS" of "Movement of Socialist Democrats")."""
    initials = "".join(w[0] for w in words if is_cap(w))
    return initials == initialism or (
        len(initials) == len(initialism) and sorted(initials) == sorted(initialism)
    )


def initialism_after(text: str, end: int, lex: Lexicon) -> str | None:
    """The initialism in brackets right after `end` of `text` ("... Party (KDP)"), if any and
    if the alias table does not know it ("ISIL": the table's name is read, whatever the words
    before it)."""
    m = _INITIALISM_AFTER.match(text, end)
    return m.group(1) if m and lookup_key(m.group(1)) not in lex.names else None


def _compass(pieces: list[Piece]) -> bool:
    """Whether the last piece read is one unknown word of the compass, so that the place after
    it is a longer place: "North America", "Southern Sudan"."""
    return (
        bool(pieces) and pieces[-1][0] is None and [t.text for t in pieces[-1][1]] in ([w] for w in COMPASS)
    )


_CAPITALISED_BEFORE = re.compile(r"[A-Z][\w'’.&-]*[^\S\n]+\Z")


def _written_alone(word: str, text: str) -> int:
    """How many times `text` writes `word` as a whole word after no capitalised word (at most
    a few times is asked: it stops counting at 2)."""
    n, at = 0, text.find(word)
    while at >= 0 and n < 2:
        end = at + len(word)
        whole = (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum())
        n += whole and not _CAPITALISED_BEFORE.search(text, max(0, at - 30), at)
        at = text.find(word, end)
    return n


def _name_before(pieces: list[Piece], k: int) -> list[Tok]:
    """The words of the name right before piece `k` (a connector): a known name, or the
    capitalised words of an unknown stretch back to the previous connector."""
    m, toks = pieces[k - 1]
    if m is not None:
        return toks
    out: list[Tok] = []
    for j in range(k - 1, -1, -1):
        m, toks = pieces[j]
        if m is not None or toks[-1].text in RUN_CONNECTORS:
            break
        out = toks + out
    return out


def _name_after(pieces: list[Piece], k: int) -> list[Tok]:
    """The words after piece `k` (a connector) up to the next connector (for "and": to the
    end of the run, since "and" joins only when a head noun ends the whole name)."""
    conn = pieces[k][1][0].text
    words = [t for _, toks in pieces[k + 1 :] for t in toks]
    return words if conn in _AND else _until_connector(words, 0, conn)


def _until_connector(toks: list[Tok], i: int, conn: str) -> list[Tok]:
    """The words from `i` on: to the end after "and", else up to the next connector."""
    if conn in _AND:
        return toks[i:]
    out: list[Tok] = []
    for t in toks[i:]:
        if out and t.text in RUN_CONNECTORS:
            break
        out.append(t)
    return out


def _reopened(pieces: list[Piece]) -> list[Piece]:
    """A body's known name of "X of Y" (not the alias table's) before "and" and unknown words,
    as unknown words again, so that `names_in` reads whether the "and" goes on with its
    complement ("Bureau of Planning" and "Budget")."""
    out = list(pieces)
    for k in range(len(out) - 1):
        m, toks = out[k]
        after = out[k + 1]
        if (
            m is not None
            and not m.tag
            and m.label not in _STANDALONE
            and _has_of(toks)
            and after[0] is None
            and after[1][0].text in _AND
            and (len(after[1]) > 1 or (k + 2 < len(out) and out[k + 2][0] is None))
        ):
            out[k] = (None, toks)
    return out


def _complement(pieces: list[Piece], k: int, end: int) -> list[int]:
    """The pieces after connector `k` that a join takes: the next, and after "of" or "for" the
    known names of the same complement that follow it up to `end`, a person's name aside
    ("Coalition of African American Pastors": not "Coalition of African")."""
    out = [k + 1]
    if pieces[k][1][0].text in _OF:
        for j in range(k + 2, len(pieces)):
            m, toks = pieces[j]
            if toks[-1].end > end or (m is not None and m.label == "PERSON"):
                break
            out.append(j)
    return out


def _cut_before(pieces: list[Piece], k: int) -> bool:
    """Whether the known name of piece `k`, a body's "X of Y" the model or the head found, goes
    on with "of" or "for" and a name it did not take ("Office for the Western District" of
    "New York", "Association for the Advancement" of "Colored People"): a longer name cut,
    whose fragments are no names (a known name after it stays one: "New York")."""
    m = pieces[k][0]
    if m is None or m.tag or k + 1 >= len(pieces) or pieces[k + 1][0] is not None:
        return False
    if not _has_of(pieces[k][1]):
        return False
    after = list(
        itertools.islice((t.text for _, toks in pieces[k + 1 :] for t in toks if t.text != "the"), 2)
    )
    return len(after) == 2 and after[0] in ("of", "for") and is_cap(after[1])


def _has_of(toks: list[Tok]) -> bool:
    """Whether a name holds "of", "for" or "on": a body's "X of Y"."""
    return any(t.text in _OF for t in toks)


def _before_and(toks: list[Tok]) -> list[Tok]:
    """The words of a stretch before its first "and" (all of them without one)."""
    return next((toks[:i] for i, t in enumerate(toks) if i and t.text in _AND), toks)


def _unknown_together(pieces: list[Piece]) -> list[Piece]:
    """Adjacent unknown pieces (words and connectors) as one stretch."""
    out: list[Piece] = []
    for m, toks in pieces:
        if m is None and out and out[-1][0] is None:
            out[-1] = (None, out[-1][1] + toks)
        else:
            out.append((m, list(toks)))
    return out
