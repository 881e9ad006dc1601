"""Wire origin on invented articles: datelines, credit lines, bylines, credits and headline
suffixes name the agency; mere mentions, contributions and photo credits do not. When ../shared
is here, also the accuracy on a newsworld world against its answer key."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tagwire.understand.provenance import WIRES, canonical, dateline_end, is_credit_line, wire_origin

NEWSWORLD = Path(__file__).resolve().parents[2] / "shared" / "newsworld" / "newsworld.py"

BODY = (
    "The two ministers agreed to hold regular talks on coastal patrols, officials said.\n\n"
    "The agreement follows months of negotiation over fishing rights near the Pelorin Islands.\n\n"
    "Both governments are expected to sign a formal accord before the end of the year."
)


@pytest.mark.parametrize(
    ("text", "wire"),
    [
        ("SINGAPORE (Kyodo) -- " + BODY, "Kyodo"),
        ("Singapore, May 31 (Jiji Press)--" + BODY, "Jiji Press"),
        ("(Reuters) - " + BODY, "Reuters"),
        ("WASHINGTON (AP) — " + BODY, "AP"),
        ("Kyodo -- " + BODY, "Kyodo"),
        ("(AFP) -- " + BODY, "AFP"),
        ("SEOUL, June 2 (Yonhap) -- " + BODY, "Yonhap"),
        ("BERLIN (dpa) - " + BODY, "dpa"),
        ("NEW DELHI, June 3 (PTI) -- " + BODY, "PTI"),
        ("Nov. 11 (Bloomberg) -- " + BODY, "Bloomberg"),
        ("TOKYO, Kyodo - " + BODY, "Kyodo"),
        ("By The Associated Press\n\n" + BODY, "AP"),
    ],
)
def test_dateline_at_the_start_names_the_agency(text: str, wire: str) -> None:
    assert wire_origin("Ministers agree on patrols", text) == wire


def test_dateline_after_a_photo_caption() -> None:
    caption = "File photo shows the harbour at Pelorin, where the talks were held. (Kyodo photo)"
    assert wire_origin("t", caption + "\n\nTOKYO (Kyodo) -- " + BODY) == "Kyodo"
    assert wire_origin("t", "(Kyodo) -- " + caption + "\n\n" + BODY) == "Kyodo"


@pytest.mark.parametrize(
    ("ending", "wire"),
    [
        ("© KYODO", "Kyodo"),
        ("©KYODO", "Kyodo"),
        ("(c) Reuters", "Reuters"),
        ("(C) 2025 Reuters", "Reuters"),
        ("[Copyright The Jiji Press, Ltd.]", "Jiji Press"),
        ("-- AFP", "AFP"),
        ("(Kyodo)", "Kyodo"),
        ("Copyright 2025 The Associated Press. All rights reserved.", "AP"),
        ("Reporting by Jane Roe in Pelorin; Editing by Tom Poe", "Reuters"),
        ("Reporting by Jane Roe; Writing by Ann Lee; Editing by Tom Poe", "Reuters"),
    ],
)
def test_credit_line_at_the_end_names_the_agency(ending: str, wire: str) -> None:
    assert wire_origin("Ministers agree on patrols", BODY + "\n\n" + ending) == wire


def test_credit_at_the_end_of_the_last_paragraph() -> None:
    assert wire_origin("t", BODY + ' "We are ready," he added. -- AFP') == "AFP"
    assert wire_origin("t", BODY + " The accord is due in December. (Kyodo)") == "Kyodo"


@pytest.mark.parametrize(
    ("author", "wire"),
    [
        ("Kyodo", "Kyodo"),
        ("KYODO NEWS", "Kyodo"),
        ("The Associated Press", "AP"),
        ("Jane Roe, Associated Press", "AP"),
        ("By Reuters Staff", "Reuters"),
        ("AFP-JIJI", "AFP"),
        ("Tom Poe | AP", "AP"),
        ("Michael Bloomberg", None),
        ("Ria Patel", None),
        ("Jane Roe", None),
    ],
)
def test_byline(author: str, wire: str | None) -> None:
    assert wire_origin("Ministers agree on patrols", BODY, author=author) == wire


@pytest.mark.parametrize(
    ("credit", "wire"),
    [
        ("Yonhap News Agency", "Yonhap"),
        ("dpa", "dpa"),
        ("Agence France-Presse", "AFP"),
        ("The Daily Pelorin", None),
    ],
)
def test_credit_from_the_page_metadata(credit: str, wire: str | None) -> None:
    assert wire_origin("Ministers agree on patrols", BODY, credit=credit) == wire


def test_the_explicit_credit_wins_over_the_text() -> None:
    assert wire_origin("t", "(AFP) -- " + BODY, credit="Kyodo") == "Kyodo"


@pytest.mark.parametrize(
    ("title", "wire"),
    [
        ("Seoul and Tokyo resume patrol talks (Yonhap)", "Yonhap"),
        ("Ministers agree on coastal patrols - Reuters", "Reuters"),
        ("Ministers agree on coastal patrols (AP)", "AP"),
        ("Ministers agree on coastal patrols", None),
        ("Bloomberg backs coastal patrols", None),
    ],
)
def test_headline_suffix(title: str, wire: str | None) -> None:
    assert wire_origin(title, BODY) == wire


@pytest.mark.parametrize(
    "text",
    [
        "Reuters reported on Tuesday that the ministers had agreed to regular talks.\n\n" + BODY,
        BODY + "\n\nThe mayor spoke. Reuters reported that the accord was near.\n\nMore talks will follow.",
        "\n\n".join(
            [BODY, BODY, "Officials were cautious.", "According to AP, the vote was close.", "Talks go on."]
        ),
        BODY + "\n\nThe Associated Press contributed to this report.",
        "The harbour at dawn.CreditJane Roe/Reuters\n\nPELORIN — " + BODY,
        BODY + ' "We will see," a fisherman said in an email to AFP.',
        "Ani - the island's only teacher - welcomed the accord.\n\n" + BODY,
        BODY + "\n\nPhoto -- AFP",
    ],
)
def test_a_mention_names_no_origin(text: str) -> None:
    assert wire_origin("Ministers agree on coastal patrols", text) is None


def test_an_agency_not_in_wires_is_named_by_two_signals() -> None:
    dateline = "Caption of the photo above.\n\nPELORIN, Sorvia (Northwind Wire) -- " + BODY
    assert wire_origin("t", dateline + "\n\n© NORTHWIND WIRE\n\nTopics: World") == "Northwind Wire"
    assert wire_origin("t", dateline, author="Northwind Wire") == "Northwind Wire"
    assert wire_origin("t", dateline, credit="northwind wire") == "Northwind Wire"
    assert wire_origin("t", "(SBC) -- " + BODY + "\n\n(c) 2025 SBC. All rights reserved.") == "SBC"
    assert wire_origin("t", dateline) is None  # a dateline alone may be a local paper's
    assert wire_origin("t", BODY + "\n\n© Pelorin Gazette", author="Pelorin Gazette") is None
    assert wire_origin("t", dateline, author="Jane Roe") is None


def test_canonical_names_are_those_of_wires() -> None:
    assert all(canonical(name) == name for name in WIRES)
    assert canonical("The Associated Press") == "AP"
    assert canonical("Jiji Press, Ltd.") == "Jiji Press"
    assert canonical("Pelorin Gazette") is None
    assert canonical(None) is None


def test_helpers_for_normalizing_copies() -> None:
    assert dateline_end("SINGAPORE (Kyodo) -- Text") == len("SINGAPORE (Kyodo) -- ")
    assert dateline_end("Kyodo -- Text") == len("Kyodo -- ")
    assert dateline_end("SINGAPORE -- Text") == 0
    assert is_credit_line("© KYODO") and is_credit_line("-- AFP") and is_credit_line("(Kyodo)")
    assert not is_credit_line("The ministers met in Pelorin. -- AFP said nothing")
    assert not is_credit_line("He said so.")


def test_empty_input() -> None:
    assert wire_origin("", "") is None
    assert wire_origin("", "", author="", credit="") is None


def test_accuracy_on_a_newsworld_world(tmp_path: Path) -> None:
    """Every listed article of a newsworld world (seed 7, 60 outlets), with its page's JSON-LD
    credit as the engine passes it, against truth.jsonl. The few misses are originals whose real
    text carries a wire dateline the answer key does not credit."""
    if not NEWSWORLD.exists():
        pytest.skip("../shared/newsworld is not here")
    subprocess.run(
        [sys.executable, str(NEWSWORLD), "build", str(tmp_path), "--outlets", "60", "--seed", "7"],
        check=True,
        capture_output=True,
    )
    truth = [json.loads(line) for line in (tmp_path / "truth.jsonl").read_text().splitlines()]
    right = 0
    for t in truth:
        page = (tmp_path / "site" / t["url"].split("?")[0]).read_text()
        ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
        text = "\n\n".join(html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", page))
        credit = (ld.get("sourceOrganization") or {}).get("name")
        right += (wire_origin(ld["headline"], text, credit=credit) or "") == (t["wire"] or "")
    assert right / len(truth) >= 0.98
