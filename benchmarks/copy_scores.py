"""Copy scores of every pair of pages in a labelled corpus of real pages: what the copy
thresholds (``copy_coverage``, ``copy_min_words``, ``copy_run_words``, ``copy_containment``) are
read off.

    .venv/bin/python benchmarks/copy_scores.py ../shared/real-dev ~/.cache/corroborate/real-dev
    .venv/bin/python benchmarks/copy_scores.py eval/real ~/.cache/corroborate/real

The pages are analysed as a folder of text files and their clean texts (as stored) scored pair by
pair: words shared in runs and the aligned share (:func:`corroborate.dedup.coverage`, quotations
left out), and shingle containment. It prints each labelled copy pair, the highest-scoring pairs
that are not labelled copies, and whether the pipeline marked each. ``--sentences`` adds what a
paraphrase detector would see (for rewrites, which share few runs of words): the share of the
shorter text's sentences (six words or more) that align in order with a sentence of the other at a
MiniLM cosine of 0.7 or more, for the labelled copies and the highest pairs that are not.
"""

from __future__ import annotations

import sys
import tempfile
from itertools import combinations
from pathlib import Path

import numpy as np

from corroborate import analyze, corpus_eval, dedup, settings
from corroborate.records import Article


def aligned_sentences(a: np.ndarray, b: np.ndarray, at: float = 0.7) -> float:
    """Share of the shorter list of sentence vectors that aligns in order (a longest common
    subsequence over pairs at cosine ``at`` or more) with the other."""
    if not len(a) or not len(b):
        return 0.0
    close = (a @ b.T) >= at
    best = np.zeros((len(a) + 1, len(b) + 1))
    for i in range(len(a)):
        for j in range(len(b)):
            best[i + 1, j + 1] = max(best[i, j + 1], best[i + 1, j], best[i, j] + close[i, j])
    return float(best[-1, -1]) / min(len(a), len(b))


def paraphrases(articles: list[Article], name: dict[str, str], labelled: set[frozenset[str]],
                s: settings.Settings) -> None:
    from corroborate.embed import get_embedder

    embedder = get_embedder(s.with_(embedder="minilm"))
    vectors = {}
    for a in articles:
        texts = [x.text for x in a.sentences if len(x.text.split()) >= 6]
        vectors[name[a.id]] = embedder.encode(texts) if texts else np.zeros((0, 1))
    rows = sorted(((aligned_sentences(vectors[x], vectors[y]), x, y)
                   for x, y in combinations(sorted(vectors), 2)), reverse=True)
    print("sentences aligned in order at MiniLM cosine >= 0.7 (share of the shorter text):")
    for rank, (share, x, y) in enumerate(rows, 1):
        if frozenset((x, y)) in labelled:
            print(f"  labelled copy {x} {y}: {share:.2f}, rank {rank} of {len(rows)}")
    for share, x, y in [r for r in rows if frozenset(r[1:]) not in labelled][:5]:
        print(f"  not a copy {x} {y}: {share:.2f}")


def main() -> None:
    corpus = corpus_eval.load(sys.argv[1], sys.argv[2])
    sentences = "--sentences" in sys.argv[3:]
    s = settings.load(progress=False)
    with tempfile.TemporaryDirectory() as tmp, analyze(
            [str(corpus.texts / r["file"]) for r in corpus.rows], db=Path(tmp) / "c.db",
            settings=s) as result:
        articles = result.store.articles()
    name = {a.id: Path(a.source).name for a in articles}
    marked = {frozenset((name[a.id], name[a.duplicate_of])) for a in articles
              if a.duplicate_of in name}
    labelled = {frozenset((r["file"], r["near_duplicate_of"])) for r in corpus.rows
                if r.get("near_duplicate_of")}
    words = {name[a.id]: dedup.copy_words(a.text) for a in articles}
    grams = {name[a.id]: dedup.shingles(a.text, s) for a in articles}
    rows = []
    for x, y in combinations(sorted(words), 2):
        shared, share = dedup.coverage(words[x], words[y])
        held = dedup.containment(grams[x], grams[y])
        pair = frozenset((x, y))
        rows.append((pair in labelled, share, shared, held, x, y, pair in marked))
    print(f"{corpus.texts}: thresholds copy_coverage {s.copy_coverage}, copy_min_words "
          f"{s.copy_min_words}, copy_run_words {s.copy_run_words}, copy_containment "
          f"{s.copy_containment}")
    print("labelled copies:")
    for row in sorted((r for r in rows if r[0]), key=lambda r: -r[1]):
        print(f"  {row[4]} {row[5]}: aligned {row[1]:.2f} of what both could hold, {row[2]} words "
              f"in runs, containment {row[3]:.2f}{'  (marked)' if row[6] else ''}")
    print(f"other pairs sharing at least {s.copy_min_words} words in runs, highest first:")
    others = [r for r in rows if not r[0] and r[2] >= s.copy_min_words]
    for row in sorted(others, key=lambda r: -r[1])[:8]:
        print(f"  {row[4]} {row[5]}: aligned {row[1]:.2f}, {row[2]} words, containment "
              f"{row[3]:.2f}{'  (marked)' if row[6] else ''}")
    top = max((r[3] for r in rows if not r[0]), default=0.0)
    print(f"highest containment of a pair not labelled a copy: {top:.2f}")
    if sentences:
        paraphrases(articles, name, labelled, s)


if __name__ == "__main__":
    main()
