"""Where an extracted article ends: what trafilatura keeps after the last paragraph of the
article is cut away, as seen in the text's own shape.

1. Readers' comments: the text is cut at a paragraph that opens a comment section ("Comments",
   "Leave a reply", "12 thoughts on ...", "Comments are now closed for this story", "Posted by:
   Dom, London on ...", "Report this comment", a blog's "Older posts" and "TrackBack URL"). Such
   a line ends the article only once enough of the text is behind it (a "3 comments" link under
   the headline does not), but a comment section longer than the article still goes. A heading
   over a list of other stories ("Recommended for you", "More from ...") ends it the same way.
2. Page furniture after the article: each paragraph is weighed as the page's own furniture
   (a link's text alone, a newsletter or follow-us prompt, a "write to ... at ...@..." line),
   as article prose (ten words or more ending a sentence), or neither; the tail is cut where
   what follows weighs most as furniture, so a list of related headlines and a newsletter box
   go while a closing list of the article's own stays. A copyright line weighs nothing: it is
   the agency's credit ("© KYODO", "Copyright 2025 The Associated Press") that wire origin
   reads (understand/provenance.py), kept unless furniture comes before it.

Measured with bench/eval_extraction_l3s.py, eval_extraction_dragnet.py, eval_extraction.py and
eval_extraction_cleanportal.py (word 4-gram F1). The opening lines and the furniture's words
were read on L3S-GN1 and Dragnet tails, the weights and limits chosen on L3S-GN1 (see the
constants): L3S-GN1 0.941 -> 0.951; confirmed on Dragnet 0.894 -> 0.900, the AEB pages
0.9705 -> 0.9720 and CleanPortalEval (70 news and blog pages of 2013) unchanged at 0.930.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html  # type: ignore[import-untyped]

_COMMENT_HEADINGS = frozenset(
    {
        "comments", "reader comments", "readers comments", "user comments", "your comments",
        "comment on this story", "post a comment", "leave a comment", "add a comment", "add comment",
        "write a comment", "post comment", "add your comment", "post your comment", "leave a reply",
        "leave a response", "comments are closed", "no comments", "no comments yet",
        "join the conversation", "join the discussion", "report this comment",
    }
)  # fmt: skip
_COUNTED_COMMENT_HEADINGS = ("thoughts on ", "responses to ", "comments on ")  # "12 thoughts on ..."
_COMMENT_OPENERS = re.compile(
    r"(?i)(?:comments? (?:are|is) (?:now )?closed"
    r"|(?:this )?(?:feedback|discussion|comment thread) is (?:now )?closed"
    r"|comments (?:for this (?:story|article) )?(?:are|have been) (?:closed|disabled)"
    r"|posted by ?: |report (?:this|abuse)|quote \| report"
    r"|(?:leave|post|add|write|submit|share) (?:a |your )?(?:comment|reply|response|view|thoughts)"
    r"|have your say|join the (?:conversation|discussion|debate)"
    r"|(?:readers?'? |your )(?:comments|views|reactions)"
    r"|(?:(?<!\d)\d++ )?(?:comments|responses|replies|reactions)(?: \(\d++\))?:?$"
    r"|trackback|name \(required\)|mail \(will not be published\)|notify me of follow.?up"
    r"|you can follow any responses|you can leave a response|this entry was posted"
    r"|(?:newer|older) posts?$|subscribe to: post comments)"
)
_OTHER_STORIES = re.compile(
    r"(?i)(?:recommended(?: for you| stories| reading)?|related(?: stories| articles| posts| links"
    r"| coverage| content| news)?(?: on .{1,40})?|more (?:from|stories|news)\b.{0,40}"
    r"|(?:today'?s )?top stories|most (?:popular|read|viewed|shared|emailed)"
    r"|you (?:may|might) also (?:like|enjoy)|trending(?: now)?|editor'?s picks|(?:what to )?read next"
    r"|(?:from )?around the web|(?:promoted|sponsored) stories|part of complete coverage on)\W*"
)
"""A heading over a list of other stories ("Recommended for you", "More from Forbes", "Part of
complete coverage on"): read on the Big9 and Chaos tails. AP's "On the Net:" is not one (its
links are the story's own, and the agency's copyright line comes after them); neither is
"More on ...", a subheading inside some articles."""
_OPENER_CHARS = 100
_COMMENTS_AFTER = 0.3
_COMMENTS_AFTER_CHARS = 1500
"""A comment opener ends the article only after this share of the text, or after this many
characters (a comment section longer than the article). 0.3 was chosen on the Dragnet pages
(0.2, 0.3 and 0.5 all helped there), confirmed on L3S-GN1 and the AEB pages; 1500 chosen on
L3S-GN1 (800 and 1500 alike there), confirmed on Dragnet."""

_PROMPT = re.compile(
    r"(?i)\b(?:subscri\w*|newsletters?|sign(?:ing)? up|signup|log ?in|register|follow (?:us|@)"
    r"|on (?:twitter|facebook|instagram)|click here|e-?mail (?:this|to a friend)|print (?:this|story)"
    r"|printer.friendly|share (?:this|it|on)|advertis\w*|privacy policy|terms of (?:use|service)|rss"
    r"|related (?:stories|articles|posts|links|content|coverage)|read more|most (?:popular|read|viewed)"
    r"|trackback|permalink|posted (?:by|in|on)|tags?:|filed under|recommended|you may also like"
    r"|more (?:stories|news|from)|back to (?:top|headlines))\b"
)
_RIGHTS = re.compile(r"(?i)copyright|©|\(c\) \d{4}|all rights reserved")
_EMAIL = re.compile(r"\w@\w|\w\(at\)\w")  # an address: linear on any text, unlike \S+@\S+
_CONTACT = re.compile(r"(?i)(?:write to|e-?mail|contact|reach|send|follow|tips?\b|have a (?:news )?tip)")
_SENTENCE_END = tuple(".!?\"”’')»")
_LINK_WORDS = 25
_PROMPT_WORDS = 25
"""A prompt ("Sign up for our newsletter ...") is furniture up to this many words: chosen on
L3S-GN1 (15, 25, 40 tried; 25 best there), confirmed on Dragnet (25 best too) and the AEB pages
(25 above 15)."""
_RIGHTS_WORDS = 60
_CONTACT_WORDS = 25
_PROSE_WORDS = 10
_PROSE_WEIGHT = 2.0
_OTHER_WEIGHT = 0.25
"""How much a paragraph of prose, and one that is neither prose nor furniture, holds the tail
against the furniture after it (furniture weighs 1 per character). Set before measuring;
L3S-GN1, Dragnet and AEB all gain with prose 1 to 4 and other 0.1 to 0.5."""
_LINE_OVERHEAD = 20  # a short line weighs a little more than its characters


def link_texts(tree: lxml_html.HtmlElement) -> frozenset[str]:
    """The page's link texts, as `_key` writes them, to tell a paragraph that is only a link."""
    return frozenset(key for a in tree.iter("a") if (key := _key(str(a.text_content()))))


def article_only(text: str, links: frozenset[str]) -> str:
    """The text without a readers' comments section and without the page furniture after the
    article (paragraphs separated by blank lines, as extract writes them)."""
    return _without_furniture(_without_comments(text), links)


def _without_comments(text: str) -> str:
    paragraphs = text.split("\n\n")
    total, seen = sum(map(len, paragraphs)), 0
    for i, paragraph in enumerate(paragraphs):
        if i and seen >= min(_COMMENTS_AFTER * total, _COMMENTS_AFTER_CHARS) and _opens_comments(paragraph):
            return "\n\n".join(paragraphs[:i])
        seen += len(paragraph)
    return text


def _opens_comments(line: str) -> bool:
    if len(line) > _OPENER_CHARS:
        return False
    found = words(line)
    counted = bool(found) and found[0].isdigit()
    phrase = " ".join(w for w in found if not w.isdigit())
    if phrase in _COMMENT_HEADINGS or (counted and phrase.startswith(_COUNTED_COMMENT_HEADINGS)):
        return True
    line = line.strip().lstrip("-•*· ")
    return bool(_COMMENT_OPENERS.match(line) or _OTHER_STORIES.fullmatch(line))


def _without_furniture(text: str, links: frozenset[str]) -> str:
    """The text cut before the tail that weighs most as furniture, when it weighs as such at
    all and prose stays before it."""
    paragraphs = text.split("\n\n")
    if len(paragraphs) < 3:
        return text
    weights = [_weight(p, links) for p in paragraphs]
    prose_before = [False]
    for w in weights[:-1]:
        prose_before.append(prose_before[-1] or w == -_PROSE_WEIGHT)
    best, cut, tail = 0.0, 0, 0.0
    for i in range(len(paragraphs) - 1, 0, -1):
        tail += weights[i] * (len(paragraphs[i]) + _LINE_OVERHEAD)
        if tail > best and prose_before[i]:
            best, cut = tail, i
    return "\n\n".join(paragraphs[:cut]) if cut else text


def _weight(paragraph: str, links: frozenset[str]) -> float:
    """1 for furniture, -_PROSE_WEIGHT for prose, 0 for a copyright line, a line of three words
    or fewer (a subheading, a name) or of none, -_OTHER_WEIGHT for anything else."""
    line = paragraph.strip()
    n = len(words(line))
    if not n or (n <= _RIGHTS_WORDS and _RIGHTS.search(line)):
        return 0.0
    if _is_furniture(line, n, links):
        return 1.0
    if n >= _PROSE_WORDS and line.endswith(_SENTENCE_END):
        return -_PROSE_WEIGHT
    if n <= 3 and not line.endswith(_SENTENCE_END):
        return 0.0
    return -_OTHER_WEIGHT


def is_prose(paragraph: str, links: frozenset[str]) -> bool:
    """Whether the paragraph weighs as article prose (ten words or more ending a sentence, no
    furniture, no copyright line)."""
    return _weight(paragraph, links) == -_PROSE_WEIGHT


def _is_furniture(line: str, n: int, links: frozenset[str]) -> bool:
    if n <= _LINK_WORDS and _key(line.lstrip("-•*· ")) in links:
        return True
    if n <= _PROMPT_WORDS and _PROMPT.search(line):
        return True
    return n <= _CONTACT_WORDS and bool(_CONTACT.match(line)) and bool(_EMAIL.search(line))


def _key(text: str) -> str:
    return " ".join(words(text))


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased (extract compares texts by them too)."""
    return re.findall(r"\w+", text.lower())
