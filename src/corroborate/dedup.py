"""Exact and near duplicates.

Exact: a hash of the normalised clean text. Near: MinHash (datasketch) over word shingles, with
locality-sensitive hashing done as band hashes that the store indexes, so a new article finds its
candidates with one indexed lookup instead of a scan, in-process or as a join in a batch engine.
Candidates are confirmed by the estimated Jaccard similarity against ``near_duplicate_threshold``.
Partial copies (a listing page, a condensed rewrite, a scraped copy with junk or another site's
chrome appended, two excerpts of one wire story that start at different places) have a low
Jaccard similarity to their original. The articles whose terms are close (story clustering finds
them) are checked two ways: shingle containment (``copy_containment`` of the shorter text's
shingles in the other, whatever their order: a copy with its paragraphs moved), and word
alignment (:func:`coverage`: ``copy_min_words`` words shared in runs, covering at least
``copy_coverage`` of the text the two could share; an excerpt cut off inside the copied text, or
starting further into it). Quotations are masked before alignment: two independent articles that
quote one press release or one speech share those words without copying each other.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import re
from dataclasses import replace
from functools import lru_cache

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from .records import Article
from .settings import Settings

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
SEED = 1


def normalise(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def with_hash(article: Article) -> Article:
    words = " ".join(normalise(article.text))
    return replace(article, norm_hash=hashlib.sha256(words.encode()).hexdigest()[:32])


def shingles(text: str, settings: Settings) -> set[bytes]:
    """The text's word shingles (``shingle_words`` words each)."""
    words = normalise(text)
    n = settings.shingle_words
    return {" ".join(words[i:i + n]).encode() for i in range(max(1, len(words) - n + 1))}


def containment(a: set[bytes], b: set[bytes]) -> float:
    """How much of the shorter text the longer one holds (shares of shingles, in any order)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


# a quotation of at least 12 characters in curly, straight or angle quotes; a closing ’ must not
# be followed by a letter (I’m, don’t are not the end of a quote)
_QUOTATION = re.compile(r'“[^”]{12,}?”|"[^"\n]{12,}?"|‘[^‘\n]{12,}?’(?!\w)|«[^»]{12,}?»')
RUN_WORDS = 6  # the shortest run of words that counts as shared (a 5-word shingle plus one)


def copy_words(text: str) -> list[str]:
    """The words alignment compares: HTML entities decoded (a scrape keeps `&amp;`, `&#8217;`),
    quotations left out."""
    return normalise(_QUOTATION.sub(" ", html.unescape(text)))


def coverage(a: list[str], b: list[str]) -> tuple[int, float]:
    """Words the two texts share in runs of ``RUN_WORDS`` or more (aligned in order), and the
    share of the text they could share that this is. What they could share: from the first run
    to the last, the shorter of the two spans, plus the words before the first run and after the
    last that both texts have. An excerpt cut off inside the copied text, or a copy that begins
    further into its original, loses nothing; two articles that share one sentence and go on
    differently on both sides score low. One passage that ends one text and opens the other
    scores as high as an excerpt cut off there would: ``copy_min_words`` sets how long it must
    be."""
    if not a or not b:
        return 0, 0.0
    blocks = [m for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
              if m.size >= RUN_WORDS]
    if not blocks:
        return 0, 0.0
    shared = sum(m.size for m in blocks)
    first, last = blocks[0], blocks[-1]
    end_a, end_b = last.a + last.size, last.b + last.size
    inside = min(end_a - first.a, end_b - first.b) - shared
    unshared = min(first.a, first.b) + min(len(a) - end_a, len(b) - end_b) + max(0, inside)
    return shared, shared / (shared + unshared)


def _runs(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + RUN_WORDS]) for i in range(len(words) - RUN_WORDS + 1)}


def is_copy(a: list[str], b: list[str], settings: Settings) -> bool:
    """One text copies the other (:func:`coverage` against ``copy_min_words`` and
    ``copy_coverage``, or ``copy_run_words`` shared whatever their share). Texts without one
    shared run of ``RUN_WORDS`` words are not aligned at all (alignment takes up to a few tenths
    of a second for two long articles; this check, far less)."""
    if not _runs(a) & _runs(b):
        return False
    shared, share = coverage(a, b)
    return shared >= settings.copy_min_words and (share >= settings.copy_coverage
                                                  or shared >= settings.copy_run_words)


def signature(text: str, settings: Settings) -> np.ndarray:
    """MinHash hash values (uint64) of the text's word shingles."""
    mh = MinHash(num_perm=settings.minhash_permutations, seed=SEED)
    mh.update_batch(list(shingles(text, settings)))
    return mh.hashvalues.astype(np.uint64)


@lru_cache(maxsize=8)
def bands_rows(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows per band that best fit the threshold (datasketch's own optimisation)."""
    return _optimal_param(threshold, num_perm, 0.5, 0.5)


def band_keys(sig: np.ndarray, settings: Settings) -> list[str]:
    """One key per LSH band: articles sharing any key are near-duplicate candidates."""
    b, r = bands_rows(settings.near_duplicate_threshold, settings.minhash_permutations)
    return [f"{i}:{hashlib.blake2b(sig[i * r:(i + 1) * r].tobytes(), digest_size=8).hexdigest()}"
            for i in range(b)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def is_near_duplicate(a: np.ndarray, b: np.ndarray, settings: Settings) -> bool:
    return similarity(a, b) >= settings.near_duplicate_threshold


def original_first(articles: list[Article]) -> list[Article]:
    """Order a batch so that an original comes before its copies: earliest published first,
    undated after dated, then by source (stable and independent of input order)."""
    return sorted(articles, key=lambda a: (a.published or "9999-99-99", a.source, a.id))
