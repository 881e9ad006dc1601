"""One article's mentions, linked so that each person, body or place counts as one name.

spaCy's NER reads only the head of the article (its first ~30 words, hashtags.HEAD_WORDS),
where the main actors are introduced; the Title Case pass (`titlecase`) reads the whole text with what
the head named as a per-article gazetteer. Reading the whole text with the model costs ~80 ms
per 700 words here; the Title Case pass ~2 ms, and on BASIL the two find the same share of main
entities. Then shorter forms are linked to full names ("Hegseth" -> "Pete Hegseth",
"Intelligence Committee" -> "House Intelligence Committee"), and nationality words the
demonym table does not know are linked to the place of the same article they come from
("Aldorian" -> "Aldoria", by a suffix rule).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Span

from tagwire.understand import entities, places, topics
from tagwire.understand.entities import DEMONYM_WEIGHT, KEEP_LABELS, Lexicon, Mention, is_demonym, lookup_key
from tagwire.understand.titlecase import TitleCaseReader, initialism_after, spells

#: Endings that make a nationality word of a place's name ("Aldoria" -> "Aldorian",
#: "Norvesta" -> "Norvestan", "Japan" -> "Japanese", "Iraq" -> "Iraqi", "Turkey" -> "Turkish").
DEMONYM_ENDINGS = ("ian", "ean", "an", "n", "ese", "i", "ish")
#: Endings that only a nationality word has: an unlinked one is no hashtag of its own.
_ONLY_DEMONYM = ("ian", "ean", "an", "ese", "ish")
#: Letters a place's name may have past the stem its demonym keeps ("Turk|ey", "Aldor|ia").
_PLACE_TAIL = 2
#: Letters of the ending a word the model read as a nationality may have past its place's stem.
NATIONALITY_ENDING = 4
#: Letters a demonym's stem needs ("Iraq|i"; "Ira|n" is no nationality word of "Iraq").
_MIN_STEM = 4
#: Labels a one-word place may carry (the small model reads an unknown country as a person).
_PLACE_LABELS = frozenset({"GPE", "LOC", "UNK", "PERSON"})
_NUMERALS = frozenset({"II", "III", "IV"})
#: What "the act" counts for the name it stands for, against the name itself.
REFERENCE_WEIGHT = 0.5
_REFERENCE = re.compile(r"\b[Tt]he ([a-z]+)\b")
#: Head nouns whose "the post", "the times" mean something else.
_NOT_REFERENCES = frozenset({"post", "times", "daily"})
#: Times a headline's phrase must be written in the body to be the article's subject.
KEY_PHRASE_MIN = 2
#: Times the body writes a lower-case phrase of a headline in sentence case for it to be a key
#: phrase (chosen on BASIL and the BBC sample, confirmed on the Reuters sample: at 2, phrases
#: such as "statement disputing" and "photo shoot" came too).
KEY_PHRASE_MIN_CASED = 3
#: What each mention of such a phrase counts: less than a Title Case headline's phrase, which
#: the headline singles out in capitals ("challenges from neighboring states" came 2nd).
CASED_PHRASE_WEIGHT = 0.5
MAX_KEY_PHRASES = 2


def gazetteer(
    found: Iterable[Mention], lex: Lexicon, lower: frozenset[str]
) -> dict[str, tuple[str, str, str]]:
    """What this article's head named, on top of the alias table: each name (a company's also
    without its legal form: "American Express" of "American Express Co", not read as a
    nationality and a word), and the surname of each person named in full, so that later Title
    Case runs are recognised without the model."""
    gaz = dict(lex.names)
    for m in found:
        if not entities.worth_a_tag(m, lex, lower):
            continue
        gaz.setdefault(lookup_key(m.text), (m.text, m.label, m.tag or ""))
        if m.label != "PERSON" and " " in (bare := entities.without_legal_form(m.text)) and bare != m.text:
            gaz.setdefault(lookup_key(bare), (bare, m.label, m.tag or ""))  # "American Express" of "... Co"
        last = entities.surname(m.text)
        if m.label == "PERSON" and last != m.text and not entities.is_common(last, lex, lower):
            gaz.setdefault(lookup_key(last), (last, "PERSON", ""))
    return gaz


def _ner(
    ents: Iterable[Any], lex: Lexicon, lower: frozenset[str], size: int
) -> tuple[dict[int, tuple[Mention, int]], bytearray]:
    """The model's mentions by start, and the characters of its dates, numbers and amounts."""
    found: dict[int, tuple[Mention, int]] = {}
    barrier = bytearray(size + 1)
    for e in _side_by_side(list(ents), lex):
        hit = entities.from_span(e, lex, lower)
        if hit is not None:
            found[hit[0].start] = hit
        elif e.label_ not in KEEP_LABELS and not _count_in_name(e):
            barrier[e.start_char : e.end_char] = b"\x01" * (e.end_char - e.start_char)
    return found, barrier


def _side_by_side(ents: list[Any], lex: Lexicon) -> list[Any]:
    """The model's entities, where it read one body's name as two bodies side by side (one
    space apart, the second opening with a name head, or after a first ending in "and", or one
    word before a name ending in a head):
    "The Muslim" and "Council of Britain" of "The Muslim Council of Britain", "News" and "Agency
    of Nigeria", "UK" and "Independence Party", "the Securities and" and "Exchange Commission"
    (a name the model cut after its "and"); a party read as two peoples (`_party_words`). Two
    names side by side stay two ("Malaysia Airlines Boeing 777", "Xbox One DRM")."""
    out: list[Any] = []
    for e in ents:
        last = out[-1] if out else None
        if last is not None and _party_words(last, e, lex):
            out[-1] = Span(e.doc, last.start, e.end, label="NORP")
            continue
        if last is None or last.label_ != "ORG" or e.start_char != last.end_char + 1:
            out.append(e)
            continue
        if _spelled_after(last, e, lex) or (  # any label then: "Democrats" (NORP) of "(MDS)"
            e.label_ == "ORG"
            and (
                e[0].text in lex.name_heads
                or (_one_word(last) and e[-1].text in lex.name_heads)
                or last[-1].lower_ == "and"
            )
        ):
            out[-1] = Span(e.doc, last.start, e.end, label="ORG")
        else:
            out.append(e)
    return out


def _party_words(last: Any, e: Any, lex: Lexicon) -> bool:
    """Whether the model read one party or group as two peoples side by side: a singular word
    before a plural ("Christian" and "Democrats" of "Christian Democrats"), the first no
    nationality ("Iraqi" and "Kurds" stay two)."""
    return (
        last.label_ == e.label_ == "NORP"
        and len(last) == len(e) == 1
        and e.start_char == last.end_char + 1
        and not last.text.endswith("s")
        and e.text.endswith("s")
        and e.text[:1].isupper()
        and not is_demonym(last.text, lex)
    )


def _spelled_after(last: Any, e: Any, lex: Lexicon) -> bool:
    """Whether the initialism in brackets after two of the model's entities side by side spells
    both out: "the Movement of Socialist" and "Democrats" before "(MDS)" (not one the alias
    table knows: its name is read as the table writes it)."""
    initialism = initialism_after(e.doc.text, e.end_char, lex)
    return initialism is not None and spells(initialism, [t.text for t in last] + [t.text for t in e])


def _count_in_name(e: Any) -> bool:
    """Whether the model's number is a count in capitals inside a sentence right before a
    capitalised word: "Saturday's Six Nations" (a count inside a sentence is written small), the
    name's first word for the Title Case pass, no number barring it."""
    doc, end = e.doc, e.end
    return (
        len(e) == 1
        and e.text.lower() in entities.COUNTS
        and e.text[:1].isupper()
        and e.start > 0
        and not (doc[e.start - 1].is_punct or doc[e.start - 1].is_space)
        and end < len(doc)
        and doc[end].text[:1].isupper()
    )


def _one_word(span: Any) -> bool:
    return len([t for t in span if t.lower_ != "the"]) == 1


def article_mentions(title: str, body: str, head_ents: Iterable[Any], lower: frozenset[str]) -> list[Mention]:
    """Every mention in one article, title first: `head_ents` are spaCy's entities over the
    start of `body` (same character offsets), `lower` the body's `lower_words`. The headline is
    read by the Title Case pass with what the head named; a Title Case headline, where every word
    looks like a name, keeps only the names the body also mentions, and its key phrases; another
    headline writing a company of the body by its opening words names that company
    (`company_short_forms`). Shorter forms are not linked to full names yet (see `link_names`)."""
    lex = entities.lexicon()
    ner, barrier = _ner(head_ents, lex, lower, len(body))
    reader = TitleCaseReader(gazetteer((m for m, _ in ner.values()), lex, lower), ner, lex, lower)
    in_body = reader.read(body, barrier)
    reader.ner = {}
    title_case = entities.is_title_case(title)
    in_title = reader.read(title, bytearray(len(title) + 1), cased=not title_case)
    if not title_case:  # in Title Case, where a name stops is no evidence
        in_title = company_short_forms(in_title, title, _company_prefixes(in_body, title, lex))
    in_title = [replace(m, start=-1) for m in _people_in_full(in_title, in_body, body, lex)]
    if title_case:
        keys = {lookup_key(m.text) for m in in_body}
        alone = keys - {lookup_key(entities.surname(m.text)) for m in in_body if _named_in_full(m)}
        in_title = [m for m in in_title if m.tag or lookup_key(m.text) in keys or _surname_in(m, alone, lex)]
        in_title += key_phrases(title, body, lex)
    else:
        in_title += key_phrases(title, body, lex, cased=True)
    return in_title + in_body


def _people_in_full(
    in_title: list[Mention], in_body: list[Mention], body: str, lex: Lexicon
) -> list[Mention]:
    """A headline's name of two words, a word that is no given name before the surname of the
    one person the body names in full by it, which the body never writes, is that person:
    "Faultless Federer has no equal" over "Roger Federer - nice bloke..." (the headline's
    adjective opens the sentence in capitals)."""
    if not any(len(m.text.split()) == 2 for m in in_title):
        return in_title
    people: dict[str, set[str]] = {}
    for m in in_body:
        if _named_in_full(m):
            people.setdefault(entities.surname(m.text), set()).add(m.text)
    out = []
    for m in in_title:
        first, *rest = m.text.split()
        named = people.get(rest[0], set()) if len(rest) == 1 else set()
        if len(named) == 1 and first not in lex.given_names and m.text not in body:
            m = Mention(next(iter(named)), "PERSON", m.start, sentence_start=m.sentence_start)
        out.append(m)
    return out


#: Fewest words of a company's name that can stand for all of it ("Jones Medical"): one word
#: alone is merge_short_forms' business (hashtags), as are legal forms ("Goldman Sachs Inc").
_SHORT_FORM_WORDS = 2


def _company_prefixes(found: list[Mention], title: str, lex: Lexicon) -> dict[str, Mention]:
    """The opening words `title` may write a company with, each of exactly one name of the
    body, a company's ("Jones Medical" of "Jones Medical Industries Inc"): at least
    _SHORT_FORM_WORDS words, fewer than the name without its legal form, ending in no small word;
    never a name of its own: one the body writes alone ("Circuit City" beside "Circuit City
    Stores", "Tea Party" beside "Tea Party Coalition"), one the alias table knows, or one opening
    with a place ("New Zealand" of "New Zealand Cricket", "Hong Kong" of "Hong Kong Financial").
    Only names whose first word the headline writes are read (any other prefix of theirs has that
    word too, so which prefixes are one name's stays the same)."""
    own = {lookup_key(m.text) for m in found}
    owners: dict[str, set[str]] = {}
    full = {m.text: m for m in reversed(found) if m.label == "ORG"}  # the first mention of each
    for m in found:
        words = entities.without_legal_form(m.text).split()
        if len(words) <= _SHORT_FORM_WORDS or words[0] not in title:
            continue
        for k in range(_SHORT_FORM_WORDS, len(words)):
            owners.setdefault(" ".join(words[:k]), set()).add(m.text)
    return {
        prefix: full[name]
        for prefix, (name, *others) in owners.items()
        if not others
        and name in full
        and prefix.split()[-1] not in STOP_WORDS
        and lookup_key(prefix) not in own
        and lookup_key(prefix) not in lex.names
        and not _opens_with_place(prefix.split())
    }


def _opens_with_place(words: list[str]) -> bool:
    regions = places.regions()
    return any(places.key(" ".join(words[:k])) in regions for k in range(1, len(words) + 1))


def company_short_forms(found: list[Mention], text: str, prefixes: dict[str, Mention]) -> list[Mention]:
    """`found` (a headline's mentions) with each place where `text` writes a company by its
    opening words alone (`_company_prefixes`, not followed by the name's next word) read as that
    company: the mentions there ("Jones" and "Medical" of "Jones Medical completes
    acquisition") make way for one of the full name."""
    out = list(found)
    for prefix, company in prefixes.items():
        after = re.escape(company.text.split()[len(prefix.split())])
        for hit in re.finditer(rf"(?<![\w'’.-]){re.escape(prefix)}(?![\w'’-])(?!\s+{after}\b)", text):
            s, e = hit.span()
            inside = [m for m in out if m.start < e and m.start + len(m.text) > s]
            if inside:
                opens = inside[0].sentence_start
                out = [m for m in out if m not in inside]
                out.append(Mention(company.text, "ORG", s, tag=company.tag, sentence_start=opens))
    return sorted(out, key=lambda m: m.start)


def _surname_in(m: Mention, surnames: set[str], lex: Lexicon) -> bool:
    """Whether a Title Case headline's person, a given name and a surname, is the person the body
    calls by `surnames` alone, never in full ("Michelle Obama Visits School", then "Obama told
    pupils"): the headline names that person in full. A word that is no given name opens no
    person there ("Urges Obama" is a verb and a name)."""
    given, *rest = m.text.split()
    if not _named_in_full(m) or len(rest) != 1:
        return False
    return given in lex.given_names and lookup_key(rest[0]) in surnames


def _named_in_full(m: Mention) -> bool:
    return m.label == "PERSON" and " " in m.text


def key_phrases(title: str, body: str, lex: Lexicon, cased: bool = False) -> list[Mention]:
    """Subjects a Title Case headline names in capitals and the body discusses in lower case
    ("Council Votes To End Night Trains", and "night trains" three times in the body): of the
    stretches of two or more headline words, with no stop word but "of" inside ("Cost of
    Living") and not all of them ordinary ("Second Day"), the one the body writes most often in
    lower case (at least KEY_PHRASE_MIN times; the longest of equals), then the best one not
    overlapping it. Each is a TOPIC mention in the title and at each place in the body.
    A headline in sentence case (`cased`) names its subject in lower case ("Trump vows birthright
    citizenship will be ended"): its stretches of lower-case words count, when the body writes
    them at least KEY_PHRASE_MIN_CASED times (its capitals are names, read as such)."""
    out: list[Mention] = []
    index = WordIndex(body)
    parts = re.split(r"[^\w\s'’-]+", title)
    spans = [s for part in parts for s in _phrase_spans(part.split(), index, lex, cased)]
    taken: set[int] = set()
    for _, _, i, words, found in sorted(spans, reverse=True):
        where = set(range(i, i + len(words)))
        if len({m.text for m in out}) < MAX_KEY_PHRASES and not taken & where:
            taken |= where
            weight = CASED_PHRASE_WEIGHT if cased else 1.0
            out += [Mention(" ".join(words), "TOPIC", at, weight) for at in [-1, *found]]
    return out


class WordIndex:
    """The words of a text as written, with where each occurs: phrases are looked up by their
    first word instead of one regular expression per phrase (each would be compiled anew)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = [(m.group(), m.start(), m.end()) for m in re.finditer(r"[\w'’-]+", text)]
        self.at: dict[str, list[int]] = {}
        for k, (word, _, _) in enumerate(self.words):
            self.at.setdefault(word, []).append(k)

    def find(self, phrase: list[str]) -> list[int]:
        """The offsets where the words of `phrase` stand one after the other, only spaces
        between them."""
        return [self.words[k][1] for k in self.at.get(phrase[0], ()) if self._continues(k, phrase)]

    def _continues(self, k: int, phrase: list[str]) -> bool:
        if k + len(phrase) > len(self.words):
            return False
        for n in range(1, len(phrase)):
            word, start, _ = self.words[k + n]
            if word != phrase[n] or not self.text[self.words[k + n - 1][2] : start].isspace():
                return False
        return True


def _topic_named(words: list[str]) -> bool:
    """Whether the words are a topic's name ("artificial intelligence"): the topic tags them."""
    return "".join(w.capitalize() for w in words) in topics.topic_lexicon().topics


def _no_phrase_word(word: str) -> bool:
    """A word no key phrase holds: a stop word but "of", a wire's unit ("MLN BALES"), a single
    letter (the "S" of "Lady's Roots" whose apostrophe was lost)."""
    return (word in STOP_WORDS and word != "of") or word in entities.WIRE_UNITS or len(word) < 2


def _phrase_spans(
    words: list[str], index: WordIndex, lex: Lexicon, cased: bool
) -> list[tuple[int, int, int, list[str], list[int]]]:
    """(times in the body, length, start, words, offsets) of each phrase of `words` that the
    body writes at least KEY_PHRASE_MIN times in lower case (of a headline in sentence case,
    `cased`: only its phrases of two lower-case words, at least KEY_PHRASE_MIN_CASED times)."""
    least = KEY_PHRASE_MIN_CASED if cased else KEY_PHRASE_MIN
    out = []
    for i, j in itertools.combinations(range(len(words) + 1), 2):
        low = [w.lower() for w in words[i:j]]
        if j - i < 2 or "of" in (low[0], low[-1]) or any(_no_phrase_word(w) for w in low):
            continue
        if cased and (j - i > 2 or low != words[i:j] or _topic_named(low)):
            continue
        found = [] if all(w in lex.stop for w in low) else index.find(low)
        if len(found) >= least:
            out.append((len(found), j - i, i, words[i:j], found))
    return out


# --- a place and the name after it: "Philadelphia Eagles" ---

#: Times a place and the unknown word after it must be written together to be one name.
JOINED_MIN = 2


def join_place_names(found: list[Mention], title: str, body: str) -> list[Mention]:
    """A place followed, after one space, by a capitalised word neither the model nor the
    tables know (UNK), written together at least JOINED_MIN times in the headline and body, is
    one name of a body: "Philadelphia Eagles", "Velmora Rovers" (a team, a band, a firm named
    after its town); not after a country of the alias table ("U.S. Internet"). Where the two
    stand apart, each stays what it was."""
    pairs: dict[str, int] = {}
    for a, b in itertools.pairwise(sorted((m for m in found if m.start >= 0), key=lambda m: m.start)):
        if _adjacent(a, b, body):
            pairs[f"{a.text} {b.text}"] = 0
    for joined in pairs:
        pairs[joined] = _count_words(joined, title) + _count_words(joined, body)
    names = {j for j, n in pairs.items() if n >= JOINED_MIN}
    return _joined(found, names, title, body) if names else found


def _adjacent(a: Mention, b: Mention, body: str) -> bool:
    return (
        a.label in ("GPE", "LOC")
        and a.tag is None  # "U.S. Internet companies" are no body named "U.S. Internet"
        and b.label == "UNK"
        and " " not in b.text
        and b.start == a.start + len(a.text) + 1
        and body[a.start + len(a.text)] == " "
    )


def _count_words(phrase: str, text: str) -> int:
    """How many times `text` writes `phrase` as whole words."""
    n, at = 0, text.find(phrase)
    while at >= 0:
        end = at + len(phrase)
        n += (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum())
        at = text.find(phrase, end)
    return n


def _joined(found: list[Mention], names: set[str], title: str, body: str) -> list[Mention]:
    """`found` with each adjacent place and word of `names` as one ORG mention."""
    out: list[Mention] = []
    skip: set[int] = set()
    by_start = {m.start: m for m in found if m.start >= 0}
    for k, m in enumerate(found):
        if k in skip:
            continue
        nxt = by_start.get(m.start + len(m.text) + 1) if m.start >= 0 else None
        if nxt is not None and f"{m.text} {nxt.text}" in names and _adjacent(m, nxt, body):
            out.append(replace(m, text=f"{m.text} {nxt.text}", label="ORG", tag=None))
            skip.add(found.index(nxt))
        else:
            out.append(m)
    return _joined_title(out, names, title)


def _joined_title(found: list[Mention], names: set[str], title: str) -> list[Mention]:
    """The headline's mentions of the two words of a joined name as one mention of it."""
    for joined in (n for n in names if _count_words(n, title)):
        place, word = joined.rsplit(" ", 1)
        parts = [next((m for m in found if m.start < 0 and m.text == t), None) for t in (place, word)]
        if parts[0] is not None and parts[1] is not None:
            found = [m for m in found if m is not parts[1]]
            found[found.index(parts[0])] = replace(parts[0], text=joined, label="ORG", tag=None)
    return found


# --- fragments: "Union" of "State of the Union" ---

#: A capitalised word and "of" (or "of the") right before a word: that word ends a longer name.
_OF_BEFORE = re.compile(r"[A-Z][\w'’-]*[^\S\n]+of(?:[^\S\n]+the)?[^\S\n]+\Z")


_TO_AFTER = re.compile(r"[^\S\n]+to(?:[^\S\n]+the)?[^\S\n]+[A-Z]")
_TO_BEFORE = re.compile(r"[A-Z][\w'’-]*[^\S\n]+to(?:[^\S\n]+the)?[^\S\n]+\Z")
_CAP_AFTER = re.compile(r"[^\S\n]+[A-Z][a-z]")
_OF_AFTER = re.compile(r"[^\S\n]+of(?:[^\S\n]+the)?[^\S\n]+[A-Z]")


def without_fragments(found: list[Mention], title: str, body: str) -> list[Mention]:
    """Mentions without the names that neither the model nor the tables know (UNK, PHRASE)
    and that the headline and the body only ever write inside a longer name: a word at either
    end of "X of Y", "X of the Y" ("Union" of "State of the Union", "Board" and "Governors" of
    "Board of Governors"), one word always right before another capitalised word ("Best" of "Best
    Picture"), and the words on either side of a lower-case "to" inside a title of a work
    ("Long Walk" and "Freedom" of "Long Walk to Freedom", which no name of a person, body or
    place is written like). Such a piece of a name the Title Case pass could not join is no
    name. A headline in Title Case or capitals, where every word is capitalised, tells nothing."""
    unknown = {m.text for m in found if m.label in _UNKNOWN and m.text[:1].isupper()}
    texts = (body,) if entities.is_title_case(title) or title.isupper() else (title, body)
    starts = frozenset(m.start for m in found if m.label not in _PLACES_AFTER)
    pieces = {w for w in unknown if _pieces_only(w, texts, starts)}
    return [m for m in found if not (m.label in _UNKNOWN and m.text in pieces)] if pieces else found


#: A word, and whether it is written as a ticker's prefix ("Slack (NASDAQ:WORK)").
_PREFIXED = re.compile(r"\b((?i:[a-z]{2,8}+))\b(:[A-Z][A-Z.]{0,5}+\b)?")
#: Whether a text writes a ticker at all: most write none, and are not counted word by word.
_TICKER = re.compile(r"[A-Za-z]:[A-Z]")


def without_ticker_prefixes(found: list[Mention], title: str, body: str) -> list[Mention]:
    """Mentions without an exchange's name written only as the prefix of a company's ticker
    ("Slack (NASDAQ:WORK) CEO sells shares": a stock's address, not a story about the exchange).
    One pass over the texts, whatever the number of mentions; any case ("Nasdaq" of the alias
    table is "NASDAQ" of the ticker)."""
    if not found or not (_TICKER.search(title) or _TICKER.search(body)):
        return found
    written: Counter[str] = Counter()
    prefixed: Counter[str] = Counter()
    for text in (title, body):
        for m in _PREFIXED.finditer(text):
            written[m[1].lower()] += 1
            prefixed[m[1].lower()] += m[2] is not None
    prefixes = {name for name, n in prefixed.items() if n and n == written[name]}
    return [m for m in found if m.text.lower() not in prefixes] if prefixes else found


_UNKNOWN = frozenset({"UNK", "PHRASE"})
#: Names after which an unknown word always written before them is still a piece of a longer
#: name: a place ("Secure" of "Secure America Now"; "Social" of "Social Democrats" stays).
_PLACES_AFTER = frozenset({"GPE", "LOC"})


def _pieces_only(name: str, texts: tuple[str, ...], starts: frozenset[int]) -> bool:
    """Whether `texts` (the body last) write `name` (whole words) at least once, and always as
    a piece of a longer name: one word after "X of (the)", before "of (the) Y" ("Board" of
    "Board of Governors") or before a capitalised word that
    starts no name of its own in the body (`starts`: "Best Picture", not "Social Democrats"),
    or any unknown name joined to a capitalised word by "to" ("Long Walk to Freedom")."""
    seen = [0]
    body = len(texts) - 1
    return (
        all(
            _only_inside(name, text, " " not in name, k == body, starts, seen) for k, text in enumerate(texts)
        )
        and seen[0] > 0
    )


def _only_inside(
    name: str, text: str, word: bool, body: bool, starts: frozenset[int], seen: list[int]
) -> bool:
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        whole = (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum())
        seen[0] += whole
        if whole and not (
            (word and (_OF_BEFORE.search(text, max(0, at - 40), at) or _OF_AFTER.match(text, end)))
            or (word and (cap := _CAP_AFTER.match(text, end)) and not (body and cap.end() - 2 in starts))
            or _TO_AFTER.match(text, end)
            or _TO_BEFORE.search(text, max(0, at - 40), at)
            or (word and _after_capital_small_word(text, at))
        ):
            return False
        at = text.find(name, end)
    return True


#: A capitalised word, then a small word in capitals, right before a name: "Reporters Without
#: Borders", "Mothers Against Drunk Driving" (a name the Title Case pass cut at its small word).
_CAPITAL_SMALL_BEFORE = re.compile(r"[A-Z][\w'’-]*[^\S\n]+([A-Z][a-z]+)[^\S\n]+\Z")


def _after_capital_small_word(text: str, at: int) -> bool:
    found = _CAPITAL_SMALL_BEFORE.search(text, max(0, at - 40), at)
    return found is not None and found[1].lower() in STOP_WORDS


# --- one name per person or body ---


def link(found: list[Mention], body: str, lex: Lexicon) -> list[Mention]:
    """`article_mentions` linked: full names for short forms, places for nationality words,
    and the names that "the act", "the committee" stand for (see each step)."""
    return link_references(link_demonyms(link_names(described_acronyms(found), lex, body)), body, lex)


def described_acronyms(found: list[Mention]) -> list[Mention]:
    """A capitalised word before an acronym that the article also writes alone at least twice
    describes it ("Socialist PASOK" beside "PASOK" twice): the mention is the acronym's."""
    alone: dict[str, int] = {}
    for m in found:
        if _ACRONYM.match(m.text):
            alone[m.text] = alone.get(m.text, 0) + 1
    if not alone:
        return found
    out = []
    for m in found:
        words = m.text.split()
        if m.tag is None and len(words) == 2 and alone.get(words[1], 0) >= 2 and not words[0].isupper():
            start = m.start + len(words[0]) + 1 if m.start >= 0 else -1
            m = replace(m, text=words[1], label="ORG", start=start)
        out.append(m)
    return out


def link_names(mentions: list[Mention], lex: Lexicon, body: str = "") -> list[Mention]:
    """One name per person or body: middle initials and numerals dropped ("Paul D. Ryan" ->
    "Paul Ryan"),
    and a shorter form replaced by the full name met in the same article: a surname or first
    name ("Hegseth" -> "Pete Hegseth"), the end of a long name ("Trump Jr.", "Intelligence
    Committee" -> "House Intelligence Committee"). With several candidates, the one named last before the
    mention wins (the first one named, for the title)."""
    alone = {m.text for m in mentions if m.label == "PERSON" and " " not in m.text}
    mentions = _with_small_words(mentions)
    mentions = _full_given_names([_as_person(m) if _is_person(m, lex, alone) else m for m in mentions], lex)
    full: dict[str, list[tuple[int, str, str]]] = {}
    begun: dict[str, list[tuple[int, str, str]]] = {}  # a company's short forms: after it only
    for m in mentions:
        if " " in m.text and m.tag is None and not (m.label == "PERSON" and _rank_and_surname(m.text)):
            person = _is_person(m, lex) and not _after_the(m, body)
            for part in _short_forms(m.text) if person else _endings(m.text, lex):
                full.setdefault(lookup_key(part), []).append(
                    (m.start, m.text, "PERSON" if person else m.label)
                )
            for part in () if person else _beginnings(m.text, lex) | _before_of(m.text, lex):
                begun.setdefault(lookup_key(part), []).append((m.start, m.text, m.label))
    out = []
    for m in mentions:
        cands = full.get(lookup_key(m.text)) if m.tag is None else None
        if not cands and m.tag is None:  # "Kingfisher" lager named before "Kingfisher Airlines" is none
            cands = [c for c in begun.get(lookup_key(m.text), ()) if m.start < 0 or c[0] <= m.start]
        if not cands and m.tag is None:
            cands = [c for c in full.get(lookup_key(_rank_and_surname(m.text)), ()) if c[2] == "PERSON"]
        if cands and not (" " not in m.text and entities.after_sovereign_title(body, m.start)):
            _, text, label = _nearest(cands, m.start)
            m = replace(m, text=text, label=label)
        out.append(m)
    return out


def _rank_and_surname(name: str) -> str:
    """The surname of a name made of a rank and one word ("General Baril", whom the article
    names in full as "Maurice Baril"), else "": a rank that also opens companies' names is no
    title the reader strips (`entities.RANKS`, "General Electric")."""
    words = name.split()
    return words[1] if len(words) == 2 and words[0] in entities.RANKS else ""


#: Words of kinship before a given name: "his wife, Margaret", "Husband Barack" (English closed
#: class, not fitted).
_KIN = (
    "wife|husband|widow|widower|daughter|daughters|son|sons|children|sister|brother|mother"
    "|father|mom|dad|fiancee|fiancé|fiancée|girlfriend|boyfriend"
)


_KIN_WORDS = {w for k in _KIN.split("|") for w in (k, k.capitalize(), k.upper())}
_KIN_CASES = sorted(_KIN_WORDS, key=lambda w: (-len(w), w))  # the longest first
_KIN_FIRST = "".join(sorted({w[0] for w in _KIN_CASES}))
#: Written out in its three cases and led by a test of the first letter: a case-insensitive
#: alternation tried at every word costs two and a half times more.
_KIN_NAME = re.compile(rf"\b(?=[{_KIN_FIRST}])(?:{'|'.join(_KIN_CASES)}),?[^\S\n]+([A-Z][\w'’-]*)")


def given_names_alone(found: list[Mention], title: str, body: str, lex: Lexicon) -> set[str]:
    """The one-word names of people that, once linked to the full names of the article, are
    still alone and are written after a word of kinship ("his wife, Margaret", "Husband Barack",
    "his wife Winnie"): a relative of a person of the story, called by the given name only, whom
    no tag of the given name alone names (a surname alone does; a country of that name is a
    place). The kinship words are read once an article."""
    kin = {k[1] for k in _KIN_NAME.finditer(f"{title}\n{body}")}
    if not kin:
        return set()
    alone = {m.text for m in found if m.tag is None and m.label in ("PERSON", "UNK") and " " not in m.text}
    return (alone & kin) - lex.countries


def _full_given_names(mentions: list[Mention], lex: Lexicon) -> list[Mention]:
    """A person's name whose given name is a short form ("Pat Carlineo", "Bill Barr") of the
    given name of exactly one other person of the article with the same rest of the name
    ("Patrick Carlineo", "William Barr"; a suffix such as "Jr." aside) is that person's name:
    one tag, the full form's."""
    short = entities.nicknames()
    people = {m.text for m in mentions if m.label == "PERSON" and m.tag is None and " " in m.text}
    if not people:
        return mentions
    full: dict[str, set[str]] = {}
    for name in people:
        words = name.split()
        rest = [w for w in words[1:] if w.lower() not in entities.SUFFIXES] or words[1:]
        for nick in short.get(words[0], ()):
            full.setdefault(lookup_key(" ".join([nick, *rest])), set()).add(name)
    out = []
    for m in mentions:
        names = full.get(lookup_key(m.text)) if m.tag is None and " " in m.text else None
        if names and len(names) == 1 and m.text not in names:
            m = replace(m, text=next(iter(names)), label="PERSON")
        elif names and m.text not in names:
            longest = max(names, key=lambda n: (len(n), n))  # "Patrick Carlineo Jr." and "Patrick Carlineo"
            if all(longest.startswith(n) for n in names):
                m = replace(m, text=longest, label="PERSON")
        out.append(m)
    return out


def _endings(name: str, lex: Lexicon) -> set[str]:
    """The shorter names a long name of a body or document goes by in the same article:
    "Intelligence Committee" for "House Intelligence Committee", and its head noun alone
    ("the Post" for "Washington Post", "the Committee")."""
    words = name.split()
    heads = {words[-1]} if words[-1] in lex.name_heads else set()
    return {" ".join(words[k:]) for k in _ending_starts(words)} | heads


#: The last words of a company's name that its short form leaves out: "Qantas Airways Ltd" is
#: "Qantas", "Ford Motor Co" "Ford", "Rockwell International Corp" "Rockwell" (English business
#: usage, not fitted).
_COMPANY_TAILS = frozenset(
    {"Airways", "Airlines", "Motor", "Motors", "Holdings", "Group", "Company", "Corporation", "Industries"}
    | {"International", "Enterprises"}
)


def _beginnings(name: str, lex: Lexicon) -> set[str]:
    """The short forms of a company's name that ends in words such as "Airways" or "Motor"
    (`_COMPANY_TAILS`, a legal form aside): its first words, without one such word after
    another ("Thai Airways International": "Thai Airways"), unless they name a place or a people
    ("Singapore Airlines", "British Airways": "Singapore" and "British" are the country's), or
    are a common word or a given name ("General Motors", "Thomas Group")."""
    words = entities.without_legal_form(name).split()
    forms = set()
    while len(words) > 1 and words[-1] in _COMPANY_TAILS:
        words.pop()
        forms.add(" ".join(words))
    return {short for short in forms if _own_short_form(short, lex)}


def _before_of(name: str, lex: Lexicon) -> set[str]:
    """The short form of a body's name of "X of Y" that drops "of Y", when X has two words or
    more: "Reserve Bank" of "Reserve Bank of Australia", "National Bank" of "National Bank of
    Poland" (not "Bank" of "Bank of England": one word alone is merge_short_forms' business)."""
    words = entities.without_legal_form(name).split()
    at = words.index("of") if "of" in words else 0
    short = " ".join(words[:at])
    return {short} if at >= _SHORT_FORM_WORDS and _own_short_form(short, lex) else set()


def _with_small_words(mentions: list[Mention]) -> list[Mention]:
    """A body's name written with and without its small words as the one written with them:
    "Economic Social Research Council" as "Economic and Social Research Council"."""
    keys = [_without_small_words(m) for m in mentions]
    fullest: dict[str, str] = {}
    for key, m in zip(keys, mentions, strict=True):
        if key and len(m.text) > len(fullest.get(key, "")):
            fullest[key] = m.text
    return [replace(m, text=fullest[k]) if k else m for k, m in zip(keys, mentions, strict=True)]


def _without_small_words(m: Mention) -> str:
    """The lookup key of a body's name of three words or more without its small words ("and",
    "of", "the"...), else ""."""
    words = m.text.split()
    if m.tag is not None or m.label == "PERSON" or len(words) < 3:
        return ""
    return lookup_key(" ".join(w for w in words if w not in entities.RUN_CONNECTORS and w != "&"))


def _own_short_form(short: str, lex: Lexicon) -> bool:
    return (
        all(entities.is_cap(w) for w in short.split())
        and not place_or_people(short, lex)
        and short.lower() not in lex.stop
        and short not in lex.given_names
    )


#: Labels of a place or a people, in the alias and demonym tables and the model's.
PLACE_OR_PEOPLE = frozenset({"GPE", "LOC", "NORP", "DEMONYM"})


def place_or_people(name: str, lex: Lexicon, read: Mapping[str, bool] | None = None) -> bool:
    """Whether `name` names a place or a people: as the alias and demonym tables label it;
    for a name they do not know, as the article's mentions read it (`read`: lookup key ->
    whether the model labelled it a place or a people, where it labelled it so or a body), else
    whether GeoNames knows it (a city, a country, a state)."""
    key = lookup_key(name)
    known = lex.names.get(key)
    if known is not None:
        return known[1] in PLACE_OR_PEOPLE
    if read is not None and key in read:
        return read[key]
    return places.key(name) in places.regions()


LONGEST_ENDING = 12  # words: no shorter form of a name is longer (and a run of a thousand
# capitalised words, which is no name, must not cost the square of its length in memory)


def _ending_starts(words: list[str]) -> range:
    """Where the endings of a name of these words start (its last word alone excepted)."""
    return range(max(1, len(words) - LONGEST_ENDING), len(words) - 1)


def _short_forms(name: str) -> set[str]:
    """The shorter ways an article refers to a person: the surname, the first name, and the
    endings of a longer name ("Trump Jr.", "Peña Nieto", "Bader Ginsburg")."""
    words = name.split()
    forms = {entities.surname(name), words[0]} | {" ".join(words[k:]) for k in _ending_starts(words)}
    return {f for f in forms if f.lower() not in entities.SUFFIXES}


def _is_person(m: Mention, lex: Lexicon, alone: frozenset[str] | set[str] = frozenset()) -> bool:
    """A person's name, or an unlabelled phrase shaped like one ("Eric Holder" past the head):
    two to four capitalised words, no connector, not ending in a title or name head; or a name
    of two such words the model labelled a body whose last word it read, alone, as a person in
    the same article (`alone`): "Stormy Daniels" (ORG) beside "Daniels" (PERSON); the same of a
    name the model labelled a work, a product, an event or a law ("Darleen Druyun" read as a
    work of art beside "Ms Druyun" eight times). A phrase ending in an acronym of three letters
    or more ("Socialist PASOK") is none: no surname is written in capitals where the name's
    other words are not."""
    words = m.text.split()
    body = (
        m.tag is None
        and len(words) == 2
        and words[-1] in alone
        and (m.label == "ORG" or m.label in _NO_PLACE)
    )
    return m.label == "PERSON" or (
        (m.label == "PHRASE" or body)
        and 2 <= len(words) <= 4
        and all(w[:1].isupper() and w not in lex.title_modifiers for w in words)
        and words[-1] not in lex.name_heads
        and not (_ACRONYM.match(words[-1]) and not words[0].isupper())  # "Socialist PASOK"
    )


#: Labels the model gives a person's full name by mistake, none of them a place.
_NO_PLACE = frozenset({"WORK_OF_ART", "PRODUCT", "EVENT", "LAW"})
#: An acronym of three letters or more: no surname, unless every word is in capitals.
_ACRONYM = re.compile(r"[A-Z]{3,}\Z")


def _after_the(m: Mention, body: str) -> bool:
    """Whether an unlabelled phrase of the body comes after "the": "told The Indianapolis
    Star", "the Velmora Rovers" name bodies, no person (whose first word, "Indianapolis", would
    then stand for the person wherever the article writes it alone)."""
    return m.label == "PHRASE" and m.start >= 4 and body[m.start - 4 : m.start].lower() == "the "


def _as_person(m: Mention) -> Mention:
    """A person's mention without initials; one the model labelled a body, labelled a person."""
    body = m.label == "ORG" or m.label in _NO_PLACE
    return replace(m, text=_without_initials(m.text), label="PERSON" if body else m.label)


def _without_initials(name: str) -> str:
    """A person's name without initials and generation numbers: "Robert S. Mueller III" ->
    "Robert Mueller", so that every form of it makes one hashtag. "Jr." stays: "Donald Trump
    Jr." is not "Donald Trump", who is often in the same story."""
    words = [w for w in name.split() if w.rstrip(",") not in _NUMERALS] or name.split()
    if len(words) > 2 and entities.INITIAL.match(words[0]):
        words = words[1:]  # "A. Barry Rand"
    middle = [w for w in words[1:-1] if not entities.INITIAL.match(w)]
    return " ".join([words[0], *middle, words[-1]]) if len(words) > 2 else " ".join(words)


def _nearest(cands: list[tuple[int, str, str]], at: int) -> tuple[int, str, str]:
    before = [c for c in cands if c[0] <= at]
    if len({name for _, name, _ in cands}) == 1 or not before:
        return min(cands)
    return max(before)


# --- nationality words ---


def link_demonyms(mentions: list[Mention]) -> list[Mention]:
    """Nationality words the demonym table does not know, counted toward the place of the same
    article they are made from ("Aldorian" -> "Aldoria", at DEMONYM_WEIGHT), the place then
    known to be one; a name that opens with one ("Aldorian Fire and Rescue Service") also
    counts toward the place. A nationality adjective with no place to go to is dropped:
    "Norvestan" alone is no hashtag."""
    places = {m.text: m for m in mentions if m.label in _PLACE_LABELS and " " not in m.text}
    out: list[Mention] = []
    found: set[str] = set()
    for m in mentions:
        first = m.text.split()[0]
        place = place_of(first, places, m.label == "NORP") if _may_be_demonym(m) else None
        if place is None:
            if not (
                m.label == "NORP" and m.tag is None and " " not in m.text and first.endswith(_ONLY_DEMONYM)
            ):
                out.append(m)
            continue
        found.add(place.text)
        if " " in m.text:
            out.append(m)
        out.append(Mention(place.text, "GPE", m.start, DEMONYM_WEIGHT, place.tag, m.sentence_start))
    return [replace(m, label="GPE") if m.label in ("UNK", "PERSON") and m.text in found else m for m in out]


#: Words that make a nationality word name a region or a people of its own ("South American",
#: "Native American"): no evidence of the country.
_QUALIFIERS = frozenset(
    [
        "South",
        "North",
        "East",
        "West",
        "Latin",
        "Central",
        "Southeast",
        "Native",
        "Middle",
        "Southern",
        "Northern",
        "Eastern",
        "Western",
    ]
)
_WORD_AT = re.compile(r"[A-Z][\w'’-]*")
_WORD_BEFORE = re.compile(r"([A-Z][\w'’-]*)[^\S\n]+\Z")
_WORD_AFTER = re.compile(r"[^\S\n]+([A-Z][\w'’-]*)")
_PEOPLE_NOUN = re.compile(r"([A-Z][a-z]{2,}?)(?:man|men|woman|women)\Z")


def regional_demonyms(found: list[Mention], body: str, lex: Lexicon) -> list[Mention]:
    """Nationality words that stand for no country dropped: one next to another ("American
    Indian", "African American") or after a qualifier ("South American"), in the body or as one
    name; a people noun counts toward its country ("Welshman" -> Wales)."""
    out: list[Mention] = []
    for m in found:
        words = m.text.split()
        if (
            len(words) == 2
            and words[0] in _QUALIFIERS | _demonyms_of(words, lex)
            and is_demonym(words[1], lex)
        ):
            continue
        if m.weight == DEMONYM_WEIGHT and m.start >= 0 and _in_compound(body, m.start, lex):
            continue
        noun = _PEOPLE_NOUN.match(m.text) if len(words) == 1 else None
        place = entities.known(noun[1], m.start, lex.names) if noun and is_demonym(noun[1], lex) else None
        out.append(place or m)
    return out


def _demonyms_of(words: list[str], lex: Lexicon) -> set[str]:
    return {w for w in words if is_demonym(w, lex)}


def _in_compound(body: str, start: int, lex: Lexicon) -> bool:
    """Whether the nationality word at `start` stands beside another or after a qualifier."""
    word = _WORD_AT.match(body, start)
    if word is None:
        return False
    before = _WORD_BEFORE.search(body, max(0, start - 40), start)
    after = _WORD_AFTER.match(body, word.end())
    if before is not None and (before[1] in _QUALIFIERS or is_demonym(before[1], lex)):
        return True
    return after is not None and is_demonym(after[1], lex)


def _may_be_demonym(m: Mention) -> bool:
    """Whether `m` is, or opens with, a nationality word: it is no person's or place's name
    ("Aldorian", "Aldorian Fire and Rescue Service"; not "Iran", "Indian Ocean")."""
    if m.tag is not None:
        return False
    return m.label not in ("PERSON", "GPE", "LOC")


def place_of(word: str, places: dict[str, Mention], nationality: bool = False) -> Mention | None:
    """The place `word` is the nationality word of, among `places` (name -> mention): its
    stem and one of DEMONYM_ENDINGS; failing that, of a word the model read as a nationality
    (`nationality`), any ending of up to NATIONALITY_ENDING letters ("Cypr|iot" of "Cypr|us",
    "Gree|k")."""
    if len(word) <= _MIN_STEM or not word[:1].isupper():
        return None
    for ending in DEMONYM_ENDINGS:
        if word.endswith(ending) and (m := _place_of_stem(word[: -len(ending)], word, places)) is not None:
            return m
    for n in range(1, NATIONALITY_ENDING + 1) if nationality else ():
        if (m := _place_of_stem(word[:-n], word, places, ending=False)) is not None:
            return m
    return None


def _place_of_stem(stem: str, word: str, places: dict[str, Mention], ending: bool = True) -> Mention | None:
    """The place whose name is `stem` and at most _PLACE_TAIL letters more; not `word` itself.
    Unless `ending` (the word ends in one of DEMONYM_ENDINGS), the place has letters past the
    stem and is no longer form of the word ("Europeans" is no place of "European", "Euro" none
    of "European")."""
    if len(stem) < _MIN_STEM:
        return None
    for name, m in places.items():
        other = ending or (not name.startswith(word) and len(name) > len(stem))
        if name != word and other and name.startswith(stem) and len(name) - len(stem) <= _PLACE_TAIL:
            return m
    return None


# --- "the committee" ---


def link_references(found: list[Mention], body: str, lex: Lexicon) -> list[Mention]:
    """Mentions, at REFERENCE_WEIGHT, of the named body, document or event that "the" and its
    head noun stand for: "the act" after "Religious Freedom Restoration Act", "the committee"
    after "House Intelligence Committee", "the bank" after "Bank of Aldoria" (the nearest such
    name before it). A story keeps coming back to its subject this way."""
    by_head: dict[str, list[Mention]] = {}
    for m in found:
        head = entities.name_head(m.text.split(), lex) if m.start >= 0 and " " in m.text else None
        if head is not None and head.lower() not in _NOT_REFERENCES:
            by_head.setdefault(head.lower(), []).append(m)
    if not by_head:
        return found
    extra = []
    for ref in _REFERENCE.finditer(body):
        before = [m for m in by_head.get(ref.group(1), ()) if m.start < ref.start()]
        if before:
            m = max(before, key=lambda m: m.start)
            extra.append(
                replace(m, start=ref.start(1), weight=m.weight * REFERENCE_WEIGHT, sentence_start=False)
            )
    return found + extra


#: A person's nickname in quotes between the given name and the surname: Roberto "Hands of
#: Stone" Duran, Hector 'Macho' Camacho.
_NICKNAMED = re.compile(
    r"(?<![\w.'’])([A-Z][a-z]++)[^\S\n]++[\"“'‘][^\"“”'‘’\n]{1,30}+[\"”'’][^\S\n]++"
    r"([A-Z][a-z]*+(?:[A-Z][a-z]++)?+(?:['’-][A-Z][a-z]++)*+)(?![\w-]|['’]\w\w)"
)


def nicknamed_people(found: list[Mention], body: str, lex: Lexicon) -> list[Mention]:
    """A given name, a nickname in quotes and a surname are one person's name, without the
    nickname: Roberto "Hands of Stone" Duran is #RobertoDuran (his "Duran" then links to it),
    not #Roberto and #Duran."""
    spans = [
        (m.start(), m.end(), f"{m[1]} {m[2]}")
        for m in _NICKNAMED.finditer(body)
        if m[1] in lex.given_names and m[2] not in lex.given_names
    ]
    if not spans:
        return found
    inside = [m for m in found if not any(a <= m.start < b for a, b, _ in spans)]
    return sorted(inside + [Mention(name, "PERSON", a) for a, _, name in spans], key=lambda m: m.start)


def possessive_names(found: list[Mention], title: str, body: str) -> list[Mention]:
    """A one-word name of a person that the body writes at least twice, and only ever before
    "'s" and one same capitalised word, is that longer name, of a business or a thing named
    after someone, no person: "Angie's List" (#AngiesList), not #Angie (nor #List). A name the
    text also writes otherwise ("Obama's White House", "Obama said") stays, and so does a
    body's or a place's ("AT&T's S5", "Britain's Prince Harry")."""
    people = {m.text for m in found if m.label == "PERSON" and " " not in m.text}
    owned: dict[str, list[str]] = {}
    for owner, possessed in _possessives(body) if people else ():
        if owner in people:
            owned.setdefault(owner, []).append(possessed)
    longer = {
        x: ys[0]
        for x, ys in owned.items()
        if len(ys) >= 2 and len(set(ys)) == 1 and _written(x, body) == len(ys)
    }
    if not longer:
        return found
    owns = {(m.start + len(m.text) + 3, longer[m.text]) for m in found if m.text in longer and m.start >= 0}
    owns |= {(-1, y) for x, y in longer.items() if re.search(rf"{re.escape(x)}['’]s\s+{re.escape(y)}", title)}
    return [
        replace(m, text=f"{m.text}'s {longer[m.text]}", label="ORG") if m.text in longer else m
        for m in found
        if (m.start, m.text) not in owns
    ]


#: A verb right after "X's": the "'s" owns no noun there ("Rival Lowe's was also lower").
_VERB_AFTER = re.compile(r"['’]s[^\S\n]+(?:was|is|has|had|will|would|were|are|said|says)\b")


def possessive_businesses(found: list[Mention], body: str) -> list[Mention]:
    """A one-word name that the body writes only with "'s", at least once before a verb ("Rival
    Lowe's was also lower"), is a name ending in "'s", a store's or a bank's (#Lowes, not
    #Lowe). A name also written alone ("Kristol said", then "Kristol's was the harshest") is
    its owner's. The tag is fixed ("Lowes"): "Lowe's" alone reads as a contraction."""
    owners = set(_owners_before_verbs(body))
    names = {m.text for m in found if m.tag is None and m.start >= 0 and m.text in owners}
    whole = {w for w in names if _only_possessive(w, body)}
    return [
        replace(m, text=f"{m.text}'s", label="ORG", tag=f"{m.text}s") if m.text in whole else m for m in found
    ]


def _owners_before_verbs(body: str) -> Iterator[str]:
    """The one-word names written right before an "'s" and a verb (`_OWNER`, searched before
    each verb: found from the verbs, not tried at every capital of the text, 8 times faster)."""
    for verb in _VERB_AFTER.finditer(body):
        owner = _OWNER.search(body, max(0, verb.start() - OWNER_CHARS), verb.start())
        if owner is not None:
            yield owner.group()


def _only_possessive(word: str, body: str) -> bool:
    verb = False
    for found in re.finditer(rf"(?<![\w'’&-]){re.escape(word)}\b", body):
        if body[found.end() : found.end() + 2] not in ("'s", "’s"):
            return False
        verb = verb or _VERB_AFTER.match(body, found.end()) is not None
    return verb


def _possessives(body: str) -> Iterable[tuple[str, str]]:
    """(owner, possessed) for each "Owner's Possessed" of the body, both words capitalised; the
    marks found by str.find (a regular expression over the whole body costs ten times more)."""
    for mark in ("'s", "’s"):
        at = body.find(mark)
        while at >= 0:
            possessed = _POSSESSED.match(body, at + 2)
            owner = _OWNER.search(body, max(0, at - OWNER_CHARS), at) if possessed else None
            if possessed and owner:
                yield owner.group(), possessed[1]
            at = body.find(mark, at + 2)


_POSSESSED = re.compile(r"[ \t]+([A-Z][\w&-]*)")
_OWNER = re.compile(r"(?<![\w'’&-])[A-Z][\w&-]*\Z")
OWNER_CHARS = 60  # the most a one-word owner's name is searched for before its "'s"


def _written(word: str, body: str) -> int:
    """How many times the body writes `word` as a whole word."""
    return len(re.findall(rf"(?<![\w'’&-]){re.escape(word)}(?![\w&-])", body))
