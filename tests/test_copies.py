"""Syndicated copies on an invented event: a wire story and the light edits outlets make to it
score above COPY_THRESHOLD, an independent report of the same event (same names, facts and one
shared quote) scores below; band keys make near copies candidates. When ../shared is here, also
pairwise precision and recall on a newsworld world, streamed as the engine streams it."""

from __future__ import annotations

import html
import itertools
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from tagwire.store import Repository
from tagwire.understand.alignment import align
from tagwire.understand.copies import (
    ALIGNED_OTHER,
    COPY_THRESHOLD,
    aligned_score,
    band_keys,
    confirm_copy,
    content_hash,
    copy_score,
    normalize_text,
    shingles,
    signature,
    to_bytes,
)
from tests.conftest import BACKENDS
from tests.helpers import estimate_jaccard, from_bytes, is_copy
from tests.newstexts import (
    INDEPENDENT,
    UNRELATED,
    WIRE,
    all_edits,
    article,
    credited,
    decided_in_batches,
    text,
    trimmed,
)

NEWSWORLD = Path(__file__).resolve().parents[2] / "shared" / "newsworld" / "newsworld.py"


ORIGINAL = text(WIRE)


def captioned(paras: list[str]) -> str:
    return text(["File photo shows the port of Valdmere on a clear day. (Lorpress photo)", *paras])


def us_spelled(paras: list[str]) -> str:
    return text(paras).replace("U.S.", "US")


def word_swapped(paras: list[str]) -> str:
    return text(paras).replace(" said", " told reporters")


EDITS = [trimmed, captioned, us_spelled, word_swapped, credited]


@pytest.mark.parametrize("edit", [*EDITS, all_edits])
def test_light_edits_of_a_wire_story_are_copies(edit: object) -> None:
    copy = edit(WIRE)  # type: ignore[operator]
    assert confirm_copy(ORIGINAL, copy) >= COPY_THRESHOLD
    assert confirm_copy(copy, ORIGINAL) == confirm_copy(ORIGINAL, copy)
    assert is_copy(ORIGINAL, copy)


def test_an_independent_report_of_the_same_event_is_not_a_copy() -> None:
    assert confirm_copy(ORIGINAL, text(INDEPENDENT)) < COPY_THRESHOLD / 2
    assert confirm_copy(all_edits(WIRE), text(INDEPENDENT)) < COPY_THRESHOLD / 2
    assert not is_copy(ORIGINAL, UNRELATED)


def test_shorter_texts_are_aligned_not_counted() -> None:
    """Three paragraphs (a summary or brief): the wire lead carried with a caption is a copy, the
    independent lead that shares a whole quote with it is not."""
    wire_lead, own_lead = text(WIRE[:3]), text(INDEPENDENT[:3])
    assert confirm_copy(captioned(WIRE[:3]), ORIGINAL) >= COPY_THRESHOLD
    assert confirm_copy(word_swapped(WIRE[:3]), wire_lead) >= COPY_THRESHOLD
    assert confirm_copy(own_lead, ORIGINAL) < COPY_THRESHOLD
    assert confirm_copy(own_lead, wire_lead) < COPY_THRESHOLD


def test_very_short_texts_must_match_word_for_word() -> None:
    headline = "Ferry and cargo ship collide in fog off Valdmere, 14 hurt"
    assert confirm_copy(headline, "FERRY and cargo ship collide in fog off Valdmere, 14 hurt!") == 1.0
    assert confirm_copy(headline, "Ferry and cargo ship collide in fog off Valdmere, 15 hurt") == 0.0
    assert confirm_copy("", ORIGINAL) == 0.0
    assert confirm_copy("", "") == 0.0


def test_normalize_text_drops_what_outlets_change() -> None:
    assert normalize_text("SINGAPORE (Kyodo) -- The U.S. and “Japan’s” navy—today.\n\n© KYODO") == (
        "the us and japan's navy today"
    )
    assert normalize_text('The US and "Japan\'s" navy - today.') == "the us and japan's navy today"
    assert normalize_text("  ") == ""


def test_content_hash_finds_exact_duplicates_only() -> None:
    assert content_hash(ORIGINAL) == content_hash(credited(WIRE))
    assert content_hash(ORIGINAL) == content_hash(ORIGINAL.upper())
    assert content_hash(ORIGINAL) != content_hash(word_swapped(WIRE))
    assert re.fullmatch(r"[0-9a-f]{32}", content_hash(ORIGINAL))


def test_shingles() -> None:
    assert shingles("One two three four five six") == {"one two three four five", "two three four five six"}
    assert shingles("Too short", k=5) == {"too short"}
    assert shingles("") == set()
    assert len(shingles("a b c d e f g", k=3)) == 5


def test_signature_is_stable_and_stores_in_640_bytes() -> None:
    sig = signature(ORIGINAL)
    stored = to_bytes(sig)
    assert len(stored) == 640
    assert np.array_equal(from_bytes(stored), sig)
    assert to_bytes(signature(ORIGINAL)) == stored
    assert band_keys(stored) == band_keys(sig)
    with pytest.raises(ValueError, match="signature"):
        from_bytes(b"\x00" * 100)


def test_near_copies_share_a_band_and_unrelated_texts_do_not() -> None:
    keys = set(band_keys(signature(ORIGINAL)))
    assert len(keys) == 42 + 16
    assert all(-(2**62) <= k < 2**62 for k in keys)
    for edit in [*EDITS, all_edits]:
        assert keys & set(band_keys(signature(edit(WIRE))))
    assert not keys & set(band_keys(signature(text(INDEPENDENT))))
    assert not keys & set(band_keys(signature(UNRELATED)))


def test_a_summary_shares_a_lead_band_with_its_full_text() -> None:
    summary = ORIGINAL[:400]
    assert set(band_keys(signature(summary))) & set(band_keys(signature(all_edits(WIRE))))


def test_estimate_jaccard() -> None:
    sig = signature(ORIGINAL)
    assert estimate_jaccard(sig, sig) == 1.0
    assert estimate_jaccard(sig, signature(us_spelled(WIRE))) == 1.0
    assert estimate_jaccard(sig, signature(trimmed(WIRE))) > 0.6
    assert estimate_jaccard(sig, signature(text(INDEPENDENT))) < 0.1
    assert estimate_jaccard(sig, signature("")) == 0.0
    assert band_keys(signature("")) == []


# --- a newsworld world, when ../shared is here --------------------------------------------------


def newsworld_rows(out: Path) -> list[dict[str, str]]:
    subprocess.run(
        [
            sys.executable,
            str(NEWSWORLD),
            "build",
            str(out),
            "--outlets",
            "60",
            "--seed",
            "7",
            "--synthetic",
            "400",
        ],
        check=True,
        capture_output=True,
    )
    rows = []
    for line in (out / "truth.jsonl").read_text().splitlines():
        t = json.loads(line)
        page = (out / "site" / t["url"].split("?")[0]).read_text()
        published = re.search(r'"datePublished": "([^"]+)"', page).group(1)  # type: ignore[union-attr]
        body = "\n\n".join(html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", page))
        rows.append({"text": body, "published": published, "article": t["article"], "story": str(t["story"])})
    return sorted(rows, key=lambda r: r["published"])


def test_pairwise_precision_and_recall_on_a_newsworld_world(tmp_path: Path) -> None:
    """Articles in publication order; each looks up earlier ones by band key, confirms, and
    links to the best: pairs of one text must be found, independent reports never linked."""
    if not NEWSWORLD.exists():
        pytest.skip("../shared/newsworld is not here")
    rows = newsworld_rows(tmp_path)
    index: defaultdict[int, list[int]] = defaultdict(list)
    group = list(range(len(rows)))
    for i, row in enumerate(rows):
        keys = band_keys(signature(row["text"]))
        candidates = sorted({j for k in keys for j in index[k]})
        scored = [(confirm_copy(rows[j]["text"], row["text"]), j) for j in candidates]
        best = max(((s, j) for s, j in scored if s >= COPY_THRESHOLD), default=None)
        if best:
            group[i] = group[best[1]]
        for k in keys:
            index[k].append(i)
    pairs = {(a, b) for a, b in itertools.combinations(range(len(rows)), 2) if group[a] == group[b]}
    gold = {
        (a, b)
        for a, b in itertools.combinations(range(len(rows)), 2)
        if rows[a]["article"] == rows[b]["article"]
    }
    same_story = [p for p in pairs - gold if rows[p[0]]["story"] == rows[p[1]]["story"]]
    assert len(pairs & gold) / len(pairs) >= 0.99
    assert len(pairs & gold) / len(gold) >= 0.98
    assert same_story == []


# --- heavy editing (issue 12) -----------------------------------------------------------------

HEAVY_SWAPS = [
    (" said", " stated"), (" people", " residents"), (" and ", " as well as "), (" was ", " had been "),
    (" the ferry", " the vessel"), (" within ", " inside "), (" more than ", " over "), (" in ", " within "),
    (" officials", " authorities"), (" after ", " following "),
]  # fmt: skip
LOCAL_PARAGRAPH = (
    "Our newsroom asked the harbour office in Marrick, two hours up the coast, whether its own ferries "
    "would change schedules; a spokesman said no decision had been taken."
)


def heavily_edited(paras: list[str]) -> str:
    """A reprint edited hard: paragraphs split, merged and reordered (the lead kept first), a
    local paragraph inserted, common words swapped, the closing paragraphs and credit gone."""
    split = [*paras[0].split(", ", 1), *paras[1:10]]
    merged = [split[0] + ", " + split[1], split[2] + " " + split[3], *split[4:]]
    reordered = [merged[0], merged[5], LOCAL_PARAGRAPH, merged[2], merged[1], *merged[3:5], *merged[6:]]
    body = "\n\n".join(reordered)
    for old, new in HEAVY_SWAPS:
        body = body.replace(old, new)
    return body


def test_a_heavily_edited_reprint_is_a_copy_of_the_same_event_and_an_own_report_is_not() -> None:
    reprint = heavily_edited(WIRE)
    assert confirm_copy(ORIGINAL, reprint) < COPY_THRESHOLD  # what signatures and 5-shingles see
    score, how = copy_score(ORIGINAL, reprint, edited=True)
    assert score >= COPY_THRESHOLD and "sentences aligned" in how
    assert copy_score(reprint, ORIGINAL, edited=True)[0] == score
    assert copy_score(ORIGINAL, text(INDEPENDENT), edited=True)[0] < COPY_THRESHOLD / 2
    assert copy_score(reprint, text(INDEPENDENT), edited=True)[0] < COPY_THRESHOLD / 2


def test_sentences_align_whatever_their_order_split_or_merged() -> None:
    wire = text(WIRE)
    moved = "\n\n".join([WIRE[0], WIRE[3], WIRE[1] + " " + WIRE[2], *WIRE[4:]])
    assert align(wire, moved).least == 1.0  # every sentence found, merged paragraphs or not
    halves = "\n\n".join(p for para in WIRE for p in para.split(", ", 1))  # sentences cut in two
    assert align(wire, halves).most >= 0.9
    found = align(wire, text(UNRELATED))
    assert found.most == 0.0 and found.agree == found.conflict == 0


def test_quoting_a_few_sentences_of_a_text_is_not_a_copy_of_it() -> None:
    quoting = text([WIRE[2], *UNRELATED_REPORT])  # one paragraph of the wire in another story
    found = align(text(WIRE), quoting)
    assert found.least < ALIGNED_OTHER
    assert copy_score(text(WIRE), quoting, edited=True)[0] < COPY_THRESHOLD


def test_aligned_sentences_with_figures_of_their_own_make_no_copy() -> None:
    """Another outlet's report built on the same statements: the same sentences, other figures."""
    own = text(WIRE).replace("14 people", "11 people").replace("200 passengers", "180 passengers")
    own = own.replace("50 meters", "30 meters").replace("since 2011", "since 2009")
    found = align(text(WIRE), own)
    assert found.conflict > found.agree  # the sentences with figures left as they were agree
    assert aligned_score(text(WIRE), own)[0] == 0.0
    assert aligned_score(text(WIRE), heavily_edited(WIRE))[0] >= COPY_THRESHOLD


UNRELATED_REPORT = [
    "The town council of Ostrel voted on Wednesday to close its library branch on the harbour road, citing "
    "the cost of repairing a roof damaged in last winter's storms.",
    "Councillors said the collection would move to the school on Mill Street, where volunteers will keep "
    "it open three afternoons a week.",
    "Parents who spoke at the meeting asked the council to find money for a reading room near the ferry "
    "terminal, which many families pass on their way to work.",
    "The mayor said a final decision on the building would wait for a survey due in the spring.",
]


def test_content_words_alone_make_no_copy_of_a_report_with_figures_of_its_own() -> None:
    """A copy reworded and reordered keeps its figures; another outlet's own report of the event
    gives figures of its own, and content words alone then make no copy of it."""
    from tagwire.understand.copies import cached_tokens, numbers_agree

    original = cached_tokens("The flood closed 14 roads and 230 homes lost power in 2024, officials said.")
    reworded = cached_tokens("Officials said 230 homes lost power. The flood closed 14 roads.")
    own = cached_tokens("The flood closed 9 roads and 1,200 homes lost power in 2023, officials said.")
    assert numbers_agree(original, reworded)
    assert not numbers_agree(original, own)
    assert numbers_agree(cached_tokens("No figures here at all."), own)  # too few numbers to tell


# --- thin texts matched by headline, through the engine ---------------------------------------


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
@pytest.mark.parametrize("batch", [64, 1])
def test_a_full_text_joins_the_thin_summary_with_its_headline_decided_before_it(
    repo: Repository, batch: int
) -> None:
    """A feed summary standing in for a page not read, decided first, stands alone; its full text
    (the same headline, published later) joins it, within a batch and across batches; a full
    text under another headline does not."""
    ferry = "Ferry and cargo ship collide in fog off Valdmere, 14 hurt"
    summary = "A ferry and a cargo ship collided in fog off Valdmere on Tuesday, injuring 14 people."
    arts = [
        article(1, "Valdmere Post", ferry, summary, 0),
        article(2, "Money Daily", "Lorvania central bank holds rates", UNRELATED, 5),
        article(3, "Valdmere Post", ferry + " (Lorpress)", text(WIRE), 20),
        article(4, "Lorvania Today", "Northern Lark hits Kestrel Dawn", text(INDEPENDENT), 25),
    ]
    decided = decided_in_batches(repo, arts, batch)
    assert decided[0][0] is None and decided[1][0] is None and decided[3][0] is None
    assert decided[2][:2] == (0, "copy")  # the summary was published first: it is the original
