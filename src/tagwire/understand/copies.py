"""Syndicated copies: the same text carried by several outlets, lightly edited.

An outlet that runs agency copy rewords the headline, writes "US" for "U.S.", trims the last
paragraphs, adds a photo caption, a dateline or a credit line, swaps a word. Two independent
reports of one event share names and facts but few runs of five words in a row. So:

- `normalize_text` drops what outlets change without editing (case, punctuation, quote styles,
  abbreviation dots, the opening dateline and the closing credit line); `content_hash` of it
  finds exact duplicates;
- `signature` is a MinHash of the word 5-shingles of the body plus one of its lead (first
  LEAD_WORDS words); `band_keys` turns it into integer keys for an SQL index (LSH), and texts
  that share a key are candidates;
- `confirm_copy` scores a candidate pair. Long texts: containment of shingles,
  |A∩B| / min(|A|, |B|), since a trimmed copy is wholly contained in its original and a copy
  with a caption wholly contains it, while independent reports share only the odd quote.
  Shorter texts (a feed summary, a brief), where one shared quote is a large share of the
  shingles: how well the whole shorter text aligns word by word with a stretch of the other.
  Texts edited hard (paragraphs reordered, split and merged, a local paragraph inserted, common
  words swapped, the credit removed: reprints that keep a third of their word 3-grams) are still
  copies when their sentences align, order-free (alignment.py): most of one text's content
  words, and enough of the other's, stand in sentences found in the other with the same
  figures, once the shorter has EDITED_MIN_WORDS words (`aligned_score`);
- `confirmed` refuses a copy whose texts share no lead (two press releases of one company share
  their boilerplate) or are one template filled with two events' names and figures
  (templated.py: results tables, earthquake bulletins, scoreboards).

Pass the body text, not the headline: headlines are what outlets reword most.

A `thin` text (under MIN_WORDS words: a feed's summary standing in for a page that could not be
read, a photo caption) says too little to be compared: two thin texts are one text only when
their headlines agree too, and a thin article is matched by its headline (`headline_key`: case,
punctuation and a closing credit such as "(AFP)" aside) to an article published within
HEADLINE_WINDOW_HOURS that shares a hashtag (engine.py).
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Sequence
from typing import Final, NamedTuple, TypeAlias

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from tagwire.understand import alignment, evidence, templated
from tagwire.understand.identity import cached_tokens
from tagwire.understand.identity import content_hash as content_hash  # text identity, re-exported
from tagwire.understand.identity import normalize_text as normalize_text
from tagwire.understand.identity import tokens as tokens

COPY_THRESHOLD: Final = 0.6
"""A pair whose `confirm_copy` score reaches this is the same text (see tests/test_copies.py)."""

ALIGNED: Final = 0.55
"""Share of one text's content words in sentences found in the other (alignment.py) from which
the two are one text edited hard. Chosen on bench/editing.py's world (seed 7: independent
reports of one event reach 0.41 at most, edited copies 0.63 at the 1st percentile); confirmed
on seed 11 (40 outlets, 300 synthetic stories) and on BASIL's triplets (0.48 at most)."""
ALIGNED_OTHER: Final = 0.35
"""Share of the other text's content words that must be in sentences found too, so that a text
quoting a few sentences of another is not taken for it (independent reports that reach ALIGNED
stay under 0.25 on seed 11; edited copies 0.46 at the 1st percentile on seed 7)."""
FIGURES_CONFLICT: Final = 0.25
"""Share of the found sentences giving figures on both sides that may give other figures (an
updated toll); beyond it, a report built on the same statements with figures of its own."""
EDITED_MIN_WORDS: Final = 80

SHINGLE_WORDS: Final = 5
NUM_PERM: Final = 128
LEAD_PERM: Final = 32
LEAD_WORDS: Final = 50
ALIGN_WORDS: Final = 300
MIN_WORDS: Final = 25
SEED: Final = 20250603
HEADLINE_WINDOW_HOURS: Final = 6.0
HEADLINE_SCORE: Final = 0.6
"""The score recorded for a copy matched by headline (a thin text's): COPY_THRESHOLD, no more."""
# Body: 42 bands of 3 rows (126 of 128 values): the S-curve 1 - (1 - J^3)^42 is 0.94 at
# Jaccard 0.4, 0.996 at 0.5 and 0.04 at 0.1. Lead: 16 bands of 2 rows (all 32 values).
BODY_BANDS: Final = (42, 3)
LEAD_BANDS: Final = (16, 2)

Signature: TypeAlias = npt.NDArray[np.uint32]
"""NUM_PERM + LEAD_PERM MinHash values (see `signature`)."""

_CHANCE_ALIGNMENT: Final = 0.5
_EMPTY: Final = np.uint32(0xFFFFFFFF)
_MIX: Final = np.uint64(0x9E3779B97F4A7C15)
_MINHASH_BLOCK: Final = 4096


@functools.cache
def _permutations() -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """The NUM_PERM affine permutations h -> a*h + b (mod 2**32, a odd) that datasketch 2's
    MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32") draws, drawn the same way, so
    signatures stay the ones already stored (tests/test_understand.py compares with datasketch).
    Computing them here spares importing datasketch, which pulls in scipy (~0.9 s)."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a.reshape(1, -1), b.reshape(1, -1)


def _fmix32(h: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """MurmurHash3's 32-bit finalizer, the pre-mix of datasketch's affine32 scheme."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def _minhash(hashes: npt.NDArray[np.uint32]) -> Signature:
    """The NUM_PERM minima of the permuted hashes (all 0xFFFFFFFF for none), with numpy, a block
    of _MINHASH_BLOCK hashes at a time so that a book-length text needs no huge matrix."""
    a, b = _permutations()
    minima: Signature = np.full(NUM_PERM, _EMPTY, dtype=np.uint32)
    mixed = _fmix32(hashes).reshape(-1, 1)
    for i in range(0, len(mixed), _MINHASH_BLOCK):
        permuted = mixed[i : i + _MINHASH_BLOCK] * a + b  # wraps modulo 2**32, as intended
        minima = np.minimum(minima, permuted.min(axis=0))
    return minima


_WORD_HASHES: dict[str, int] = {}
_WORD_HASHES_MAX: Final = 200_000


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    """The word k-shingles of the normalized text; a text shorter than k words is one shingle."""
    return _shingles(cached_tokens(text), k)


def signature(text: str) -> Signature:
    """The MinHash signature of a text: NUM_PERM values over the body's 5-shingles, then the
    first LEAD_PERM of them over the shingles of its first LEAD_WORDS words only (uint32;
    `to_bytes` stores it). The lead's minima are taken first, then the rest's joined to them."""
    hashes = _shingle_hashes(cached_tokens(text), SHINGLE_WORDS)
    split = max(1, LEAD_WORDS - SHINGLE_WORDS + 1)
    lead = _minhash(hashes[:split])
    body = np.minimum(lead, _minhash(hashes[split:]))
    return np.concatenate([body, lead[:LEAD_PERM]]).astype(np.uint32)


def to_bytes(sig: Signature) -> bytes:
    """A signature as stored: little-endian uint32, 640 bytes."""
    return _values(sig).astype("<u4").tobytes()


def band_keys(sig: Signature | bytes) -> list[int]:
    """LSH keys of a signature, for an SQL index: one signed 63-bit integer per band (the band's
    index mixed in), 42 for the body and 16 for the lead; bands of an empty text are left out.
    Texts that share a key are candidates, to confirm with `confirm_copy` (a feed summary
    shares lead keys with its full text while their bodies' Jaccard is small)."""
    values = _values(sig)
    body, lead = values[:NUM_PERM], values[NUM_PERM:]
    return _bands(body, *BODY_BANDS, offset=0) + _bands(lead, *LEAD_BANDS, offset=BODY_BANDS[0])


def confirm_copy(text_a: str, text_b: str) -> float:
    """How surely the two texts are one text carried twice, in 0..1 (a copy from COPY_THRESHOLD):
    the first of `copy_score`."""
    return copy_score(text_a, text_b)[0]


def copy_score(text_a: str, text_b: str, *, edited: bool = False) -> tuple[float, str]:
    """How surely the two texts are one text carried twice (a copy from COPY_THRESHOLD), and how
    that was measured, in words.

    When the shorter has ALIGN_WORDS words or more: containment of 5-shingles, |A∩B| / min(|A|,
    |B|). Shorter texts, where one shared quote is a large share of the shingles: how well the
    whole shorter text aligns, word by word, with some stretch of the other, rescaled so that
    the alignment two independent leads reach by chance (about half) scores 0. Under MIN_WORDS
    words only the same words in the same order count. With `edited` (the engine asks it of
    the reports of the same event only), from EDITED_MIN_WORDS words the `aligned_score` too,
    when the texts' numbers agree; the higher of the two
    measures counts. Texts made mostly of rows (tables, standings: under alignment.PROSE of
    their words in sentences) are not aligned.
    """
    a, b = cached_tokens(text_a), cached_tokens(text_b)
    shorter = min(len(a), len(b))
    if shorter < MIN_WORDS:
        return (1.0, "the same words") if a == b and a else (0.0, "too short to be a copy unless identical")
    if shorter < ALIGN_WORDS:
        plain = (_alignment(a, b), "aligned word by word")
    else:
        plain = (_containment(text_a, text_b), "5-word shingles contained")
    if not edited or shorter < EDITED_MIN_WORDS or plain[0] >= COPY_THRESHOLD:
        return plain
    if not _numbers_agree(_text_numbers(text_a), _text_numbers(text_b)):
        return plain
    if min(alignment.prose(text_a), alignment.prose(text_b)) < alignment.PROSE:  # tables: no sentences
        return plain
    aligned = aligned_score(text_a, text_b)
    return aligned if aligned[0] > plain[0] else plain


class Verdict(NamedTuple):
    """A copy's score and how it was measured (`confirmed`), and whether it was refused as one
    template filled with another event's facts (then the other text tells of another event)."""

    score: float
    how: str
    template: bool = False


def confirmed(
    text_a: str, text_b: str, found: tuple[float, str], titles: tuple[str, str] | None = None
) -> Verdict:
    """A copy's `copy_score`, or 0 with the reason when the two texts share their endings but
    neither's lead (LEAD_FOUND: two press releases of one company, one boilerplate), when their
    headlines and leads give other results (with `titles`: "Pakistan 318-2 at lunch" and
    "England 100-2 at lunch", one template), or when they are one template filled with two
    events' names and figures (templated.py: results tables, earthquake bulletins). Asked of a
    copy found only (a millisecond for 700 words), the best first."""
    score, how = found
    if score < COPY_THRESHOLD:
        return Verdict(score, how)
    lead = alignment.lead_found(text_a, text_b)
    if lead is not None and lead < LEAD_FOUND:
        return Verdict(0.0, f"neither lead is in the other text ({lead:.2f} found; {how}: {score:.2f})")
    differ = _results_differ(text_a, text_b, titles) if titles else []
    if differ:
        return Verdict(0.0, f"their results differ ({'; '.join(differ[:3])}; {how}: {score:.2f})")
    swapped = templated.swaps(text_a, text_b)
    if not swapped.template:
        return Verdict(score, how)
    words = f"{swapped.facts} of {swapped.swaps} words swapped are other names or figures"
    return Verdict(0.0, f"one template, two events: {words} ({how}: {score:.2f})", template=True)


def _results_differ(text_a: str, text_b: str, titles: tuple[str, str]) -> list[str]:
    """The results (scores, "318-2", "4-1") the two headlines and leads give, when no result of
    one is the other's (`evidence.disagree`): two reports of one scoreboard at two moments, or of
    two matches, written on one template. Other counts are not compared here: a table's rows read
    as counts ("Brisbane 34") and a standings table taken from a results table is a copy."""
    mine, theirs = (
        [f for f in evidence.figures(title, text) if f.startswith(RESULT)]
        for title, text in zip(titles, (text_a, text_b), strict=True)
    )
    return evidence.disagree(mine, theirs)


def aligned_score(text_a: str, text_b: str) -> tuple[float, str]:
    """The sentence alignment of two texts (alignment.py) as a copy score, rescaled so that
    ALIGNED scores COPY_THRESHOLD; 0 when the other text has under ALIGNED_OTHER found or the
    found sentences' figures conflict beyond FIGURES_CONFLICT. With the reason, in words."""
    if min(alignment.bound(text_a, text_b)) < ALIGNED_OTHER:
        return 0.0, "sentences aligned: too few of one text's content words are in the other"
    found = alignment.align(text_a, text_b)
    figures = found.agree + found.conflict
    how = (
        f"sentences aligned: {found.most:.2f} of one text's content words found in the other, "
        f"{found.least:.2f} of the other's; figures agree in {found.agree} of {figures}"
    )
    if found.least < ALIGNED_OTHER or found.conflict > FIGURES_CONFLICT * figures:
        return 0.0, how
    return min(1.0, found.most * COPY_THRESHOLD / ALIGNED), how


RESULT: Final = "score:"
"""The unit `evidence.figures` gives results ("score:4-1")."""

LEAD_FOUND: Final = 0.2
"""Share of one text's lead (alignment.lead_found) that must stand in sentences found in the
other for a copy: a carried text keeps its news first, where two press releases of one company
share only their closing boilerplate ("About the company", the forward-looking statements).
Chosen on bench/editing.py's seed 7 (hard-edited copies of one text, 1,090 pairs: 0.24 at
least), confirmed on seed 11 `--profile harder` (981 pairs: 0.50 at least), newsworld's copies
as built (0.84) and the 10 real copies among the CoNLL-2003 Reuters reports (0.56, a lead
reworded). A copy whose carrier rewrites the lead itself and drops the original's is no copy by
this rule; it still joins its original's story as a report of it."""


NUMBERS_AGREE: Final = 0.5
"""Share of the numbers (of two characters or more) of the text with fewer that the other must
give too for aligned sentences (`aligned_score`) to make a copy: a syndicated text keeps its
facts when an outlet rewords and reorders it, where another outlet's own report of the event,
built on the same statements, gives figures of its own (tests/soakworld.py writes such reports)."""


def numbers_agree(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two token lists agree on their numbers (see NUMBERS_AGREE); texts with fewer than
    two numbers each cannot tell, and agree."""
    return _numbers_agree(_numbers(a), _numbers(b))


def _numbers_agree(na: frozenset[str] | set[str], nb: frozenset[str] | set[str]) -> bool:
    fewer = min(len(na), len(nb))
    return fewer < 2 or len(na & nb) / fewer >= NUMBERS_AGREE


@functools.lru_cache(maxsize=128)
def _text_numbers(text: str) -> frozenset[str]:
    """`_numbers` of a text's tokens, remembered for the last texts (as `_text_shingles`)."""
    return frozenset(_numbers(cached_tokens(text)))


def _numbers(words: Sequence[str]) -> set[str]:
    return {w for w in words if len(w) > 1 and not w.isalpha() and any(c.isdigit() for c in w)}


def _shingles(words: Sequence[str], k: int) -> set[str]:
    if not words:
        return set()
    if len(words) <= k:
        return {" ".join(words)}
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def _shingle_hashes(words: Sequence[str], k: int) -> npt.NDArray[np.uint32]:
    """32-bit hashes of the word k-shingles in text order, computed in bulk: each word hashed
    once (CRC-32, stable across processes, remembered), k neighbours mixed with numpy."""
    if not words:
        return np.zeros(0, dtype=np.uint32)
    known = list(map(_WORD_HASHES.get, words))
    h = np.array(
        [x if x is not None else _word_hash(w) for x, w in zip(known, words, strict=True)], dtype=np.uint64
    )
    n = max(1, len(words) - k + 1)
    acc = np.zeros(n, dtype=np.uint64)
    for j in range(min(k, len(words))):
        acc = (acc ^ h[j : j + n]) * _MIX  # wraps modulo 2**64, as intended
    return (acc >> np.uint64(32)).astype(np.uint32)


def _word_hash(word: str) -> int:
    """CRC-32 of a word, remembered: news vocabulary repeats, so most words are looked up."""
    if len(_WORD_HASHES) >= _WORD_HASHES_MAX:
        _WORD_HASHES.clear()
    h = _WORD_HASHES[word] = zlib.crc32(word.encode())
    return h


def _values(sig: Signature | bytes) -> Signature:
    if isinstance(sig, bytes | bytearray | memoryview):
        values = np.frombuffer(bytes(sig), dtype="<u4").astype(np.uint32)
    else:
        values = np.asarray(sig, dtype=np.uint32)
    if values.shape != (NUM_PERM + LEAD_PERM,):
        raise ValueError(
            f"a copies signature has {NUM_PERM + LEAD_PERM} values; this one has shape {values.shape}"
        )
    return values


def _bands(values: Signature, bands: int, rows: int, offset: int) -> list[int]:
    """One key per band, all at once: the band's index and rows mixed into 64 bits with numpy
    (stable integer arithmetic), shifted to a signed 63-bit range; empty bands are left out."""
    m = values[: bands * rows].reshape(bands, rows).astype(np.uint64)
    h = (np.arange(offset, offset + bands, dtype=np.uint64) + np.uint64(1)) * _MIX
    for j in range(rows):
        h = (h ^ m[:, j]) * _MIX  # wraps modulo 2**64, as intended
        h ^= h >> np.uint64(29)
    keep = (m != _EMPTY).any(axis=1)
    return [int(k) for k in h[keep].view(np.int64) >> 1]


def _containment(text_a: str, text_b: str) -> float:
    sa, sb = _text_shingles(text_a), _text_shingles(text_b)
    return len(sa & sb) / min(len(sa), len(sb))


@functools.lru_cache(maxsize=128)
def _text_shingles(text: str) -> frozenset[str]:
    """The 5-shingles of a text, remembered for the last texts: deciding compares a new article
    with several candidates, and a busy story's articles with many new ones."""
    return frozenset(_shingles(cached_tokens(text), SHINGLE_WORDS))


def _alignment(a: Sequence[str], b: Sequence[str]) -> float:
    ratio = float(fuzz.partial_ratio(a, b)) / 100.0
    return max(0.0, (ratio - _CHANCE_ALIGNMENT) / (1.0 - _CHANCE_ALIGNMENT))


def thin(text: str) -> bool:
    """Whether the text is too short to be compared as a text (see the module's docstring)."""
    return len(cached_tokens(text)) < MIN_WORDS


_CREDIT = re.compile(r"\([^()]{1,40}\)\s*$")


def headline_key(title: str) -> str:
    """A headline as its copies share it: its words, without case, punctuation or a closing
    credit in parentheses ("(AFP)", "(Yonhap)")."""
    return " ".join(cached_tokens(_CREDIT.sub("", title)))
