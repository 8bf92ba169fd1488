"""Copy scores of every pair of pages in a labelled corpus of real pages: what the copy
thresholds (``copy_coverage``, ``copy_min_words``, ``copy_run_words``, ``copy_containment``) are
read off.

    .venv/bin/python benchmarks/copy_scores.py ../shared/real-dev ~/.cache/corroborate/real-dev
    .venv/bin/python benchmarks/copy_scores.py eval/real ~/.cache/corroborate/real

The pages are analysed as a folder of text files and their clean texts (as stored) scored pair by
pair: words shared in runs and the aligned share (:func:`corroborate.dedup.coverage`, quotations
left out), and shingle containment. It prints each labelled copy pair, the highest-scoring pairs
that are not labelled copies, and whether the pipeline marked each.
"""

from __future__ import annotations

import sys
import tempfile
from itertools import combinations
from pathlib import Path

from corroborate import analyze, corpus_eval, dedup, settings


def main() -> None:
    corpus = corpus_eval.load(sys.argv[1], sys.argv[2])
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


if __name__ == "__main__":
    main()
