"""Exact and near duplicates.

Exact: a hash of the normalised clean text. Near: MinHash (datasketch) over word shingles, with
locality-sensitive hashing done as band hashes that the store indexes, so a new article finds its
candidates with one indexed lookup instead of a scan, in-process or as a join in a batch engine.
Candidates are confirmed by the estimated Jaccard similarity against ``near_duplicate_threshold``.
Partial copies (a listing page, a condensed rewrite, a scraped copy with chrome appended) have a
low Jaccard similarity to their original but are mostly contained in it: the articles of the same
story whose terms are close (story clustering finds them) are checked for shingle containment
against ``copy_containment``.
"""

from __future__ import annotations

import hashlib
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
    """How much of the shorter text the longer one holds: a listing page that repeats an
    article's opening, a condensed rewrite that keeps its sentences, a scraped copy with another
    site's chrome appended all keep most of their shingles in their original."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


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
