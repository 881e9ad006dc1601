"""Where an extracted article ends (article_end): readers' comments and page furniture after
the article, on texts and a page of an invented outlet."""

from __future__ import annotations

from lxml import html as lxml_html

from tagwire.ingest.article_end import article_only, link_texts
from tagwire.ingest.extract import extract_page

_STORY = [
    "The Millbrook library will open on Sundays from the first of September, the town council "
    "decided on Thursday, after a petition signed by more than four thousand residents.",
    "The extra day will cost about ninety thousand pounds a year, which the council says it will "
    "find by closing the reading room on Monday mornings, when few people use it.",
    "Librarians will work the Sunday shifts in turn, and the children's corner will host a story "
    "hour at eleven o'clock every week during the school year.",
    "The head librarian, Agathe Vernier, said the building would also lend laptops on Sundays to "
    "pupils who have no computer at home, a service that was until now only open on weekdays.",
    "A volunteer scheme to keep the garden tidy will start at the same time, and the council will "
    "ask local firms to sponsor new shelves for the music collection.",
    "The library closed on Sundays in 2011, when the council cut its budget by a fifth.",
]


def _page(after: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in _STORY)
    return (
        "<html><head><title>Library to open on Sundays</title></head><body><article>"
        f"<h1>Library to open on Sundays</h1>{paragraphs}{after}</article></body></html>"
    )


# --- readers' comments ------------------------------------------------------------------------

_COMMENTS = [
    "I have used that library every week since I was a child and the reading room was already empty "
    "on Monday mornings back then, so this is a sensible swap for anyone who lives here.",
    "Sunday opening is fine, but what happens in winter when the heating bill goes up and those of "
    "us who work on Saturdays still cannot borrow a book in the evening?",
] * 6


def _with(tail: list[str]) -> str:
    return "\n\n".join(_STORY + tail)


def test_a_comment_section_longer_than_the_article_is_cut() -> None:
    text = _with(["Comments are now closed for this story", "Marta K", *_COMMENTS])
    assert article_only(text, frozenset()) == _with([])


def test_comments_signed_posted_by_are_cut() -> None:
    signed = [x for c in _COMMENTS[:4] for x in ("Posted by: Dom, Station Road on 8:21pm Tue 1 Jan", c)]
    assert article_only(_with(signed), frozenset()) == _with([])


def test_a_comment_opener_in_the_first_lines_cuts_nothing() -> None:
    text = "\n\n".join(["Leave a comment", *_STORY])
    assert article_only(text, frozenset()) == text


def test_a_paragraph_about_comments_is_kept() -> None:
    last = (
        "Leave a comment on the council's website if you want the library open on bank holidays too, "
        "the council said in a statement that was read out at the meeting."
    )
    assert article_only(_with([last]), frozenset()) == _with([last])


# --- page furniture after the article ------------------------------------------------------------

_RELATED = [
    "Council approves ring road budget",
    "New swimming pool opens in Millbrook",
    "Bridge works delayed",
]


def test_related_links_and_a_newsletter_prompt_are_cut() -> None:
    tail = [
        *(f"- {r}" for r in _RELATED),
        "Sign up for our morning newsletter and get the day's top stories in your inbox.",
        "Copyright © 2025 Millbrook Courier. All rights reserved.",
    ]
    assert article_only(_with(tail), frozenset(map(str.lower, _RELATED))) == _with([])


def test_an_agency_credit_at_the_end_is_kept() -> None:
    credited = f"{_STORY[-1]} © KYODO"
    text = "\n\n".join([*_STORY[:-1], credited])
    assert article_only(text, frozenset({"kyodo"})) == text
    for credit in ("Copyright 2025 The Associated Press. All rights reserved.", "© KYODO"):
        assert article_only(_with([credit]), frozenset()) == _with([credit])


def test_a_write_to_line_is_cut() -> None:
    tail = ["Write to Agathe Vernier at agathe.vernier@example.com"]
    assert article_only(_with(tail), frozenset()) == _with([])


def test_a_closing_list_of_the_article_is_kept() -> None:
    dates = ["1 September: first Sunday opening", "8 September: story hour starts", "15 September: laptops"]
    text = _with(["The first weeks:", *(f"- {d}" for d in dates)])
    assert article_only(text, frozenset()) == text


_TEASERS = [
    "- The harbour board of a town two hundred miles away has chosen a new chairman after a long vote.",
    "- A football club in the north has sold its stadium to pay its debts, its owners said on Friday.",
    "- Prices of flats in the capital rose again last month, by more than any month since the spring.",
]


def test_a_list_of_other_stories_under_its_heading_is_cut() -> None:
    for heading in ("Recommended for You", "More from Millbrook News", "Part of complete coverage on"):
        assert article_only(_with([heading, *_TEASERS]), frozenset()) == _with([])


def test_a_subheading_or_an_on_the_net_list_is_kept() -> None:
    on_the_net = ["On the Net:", "Millbrook town council: http://example.org/council"]
    credit = "Copyright 2025 The Associated Press. All rights reserved."
    for tail in (["More on the library's history", _STORY[0]], [*on_the_net, credit]):
        assert article_only(_with(tail), frozenset()) == _with(tail)


def test_a_linked_name_in_the_last_paragraph_is_kept() -> None:
    last = "The friends of the library, Millbrook Readers, did not say whether they would help."
    assert article_only(_with([last]), frozenset({"millbrook readers"})) == _with([last])


def test_link_texts_are_the_page_links_words() -> None:
    tree = lxml_html.document_fromstring(
        '<p><a href="/a">Library  opens, Sundays!</a> and <a href="/b"> </a></p>'
    )
    assert link_texts(tree) == frozenset({"library opens sundays"})


def test_furniture_after_the_article_is_cut_from_a_page() -> None:
    related = "".join(f'<li><a href="/s/{i}">{r}</a></li>' for i, r in enumerate(_RELATED))
    after = (
        f"<h3>More from the Courier</h3><ul>{related}</ul>"
        "<p>Follow us on Twitter and Facebook for the latest Millbrook news.</p>"
    )
    text = extract_page(_page(after)).text
    assert text.endswith(_STORY[-1])
