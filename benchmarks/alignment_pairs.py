"""How well alignment tells whether two claims answer one question, pair by pair, on labelled
corpora of real pages (``../shared/eval-format.md``): what the alignment rules are measured on.

    .venv/bin/python benchmarks/alignment_pairs.py ../shared/real-dev ~/.cache/corroborate/real-dev \
        eval/real ~/.cache/corroborate/real eval/real2 ~/.cache/corroborate/real2

Each corpus is read as a JSON Lines dump (url, domain, title, date) and its pages analysed. A claim
*answers* a labelled fact when its value carries the fact's value for its page (as ``corroborate
eval`` judges values). Two claims of two pages form a pair when they could be aligned (same kind
and bucket) and either answer one fact (the same question) or answer two different facts about
pages of one event (two questions). For each kind it prints how many pairs alignment joins right
and wrongly (``same_subject`` with the sentences' masked cosine), and for figures of different
values (the pairs a disagreement is made of) the same with and without the rule that figures one
article gives side by side answer two questions (``crosscheck.listed_together``).
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

from corroborate import corpus_eval, crosscheck, settings
from corroborate.embed import get_embedder
from corroborate.ingest import read_all
from corroborate.pipeline import prepare
from corroborate.records import Article


def articles_of(corpus: corpus_eval.LabelledCorpus, base: settings.Settings
                ) -> tuple[list[Article], dict[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        dump = corpus_eval.jsonl_dump(corpus, Path(tmp) / "pages.jsonl")
        read = [a for a in read_all([str(dump)], base) if isinstance(a, Article)]
    done, _ = prepare(read, set(), base)
    by_url = {r.get("url"): r["file"] for r in corpus.rows}
    articles = [p.article for p in done]
    return articles, {a.id: by_url.get(a.source, "") for a in articles}


def pairs(corpus: corpus_eval.LabelledCorpus, articles: list[Article], file_of: dict[str, str]
          ) -> tuple[list[crosscheck.Support], list[tuple[int, int, bool]]]:
    """The supports that answer some fact, and their pairs: (index, index, same question)."""
    supports, answers = [], []
    for a in articles:
        for c in a.claims:
            facts = {i for i, f in enumerate(corpus.facts)
                     if (label := f.values.get(file_of[a.id])) is not None
                     and corpus_eval.carries(str(c.value), label)}
            if facts:
                supports.append(crosscheck.Support(c, a, a.id))
                answers.append(facts)
    out = []
    for i, j in combinations(range(len(supports)), 2):
        x, y = supports[i], supports[j]
        if x.article.id == y.article.id or crosscheck.bucket(x.claim) != crosscheck.bucket(y.claim):
            continue
        same = bool(answers[i] & answers[j])
        event = corpus.event_of.get(file_of[x.article.id])
        if same or (event and event == corpus.event_of.get(file_of[y.article.id])):
            out.append((i, j, same))
    return supports, out


def score(corpus: corpus_eval.LabelledCorpus, base: settings.Settings
          ) -> Counter[tuple[str, ...]]:
    articles, file_of = articles_of(corpus, base)
    supports, labelled = pairs(corpus, articles, file_of)
    vectors = get_embedder(base).encode(
        [s.article.sentence_of(s.claim.sentence).replace(s.claim.value, "#") for s in supports])
    index = {id(s): i for i, s in enumerate(supports)}

    def cosine(a: crosscheck.Support, b: crosscheck.Support) -> crosscheck.Similarity:
        return lambda: float(vectors[index[id(a)]] @ vectors[index[id(b)]])

    # every claim of the corpus, as alignment sees them, for the figures given side by side
    every = [crosscheck.Support(c, a, a.id) for a in articles for c in a.claims]
    listed = crosscheck.listed_together(every)
    counts: Counter[tuple[str, ...]] = Counter()
    for i, j, same in labelled:
        x, y = supports[i], supports[j]
        joined = crosscheck.same_subject(x.claim, y.claim, cosine(x, y))
        counts[(x.claim.kind, "all", str(same), str(joined))] += 1
        if x.claim.kind == "quantity" and not crosscheck.same_value(x.claim, y.claim):
            counts[("quantity", "different values", str(same), str(joined))] += 1
            kept = joined and not listed(x.claim, y.claim)
            counts[("quantity", "different values, side by side apart", str(same), str(kept))] += 1
    return counts


def main(args: list[str]) -> None:
    if len(args) < 2 or len(args) % 2:
        raise SystemExit(__doc__)
    base = settings.load(progress=False, workers=1)
    totals: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for labels, texts in zip(args[::2], args[1::2], strict=True):
        corpus = corpus_eval.load(labels, texts)
        counts = score(corpus, base)
        print(f"\n{labels}")
        for key in sorted({k[:2] for k in counts}):
            c = {(s, j): counts[(*key, s, j)] for s in ("True", "False") for j in ("True", "False")}
            totals[key].update({f"{s}{j}": n for (s, j), n in c.items()})
            print(_line(key, c))
    print("\nall corpora")
    for key, c in sorted(totals.items()):
        print(_line(key, {(k[:4] if k.startswith("True") else k[:5],
                           k[4:] if k.startswith("True") else k[5:]): n for k, n in c.items()}))


def _line(key: tuple[str, str], c: dict[tuple[str, str], int]) -> str:
    right, wrong = c[("True", "True")], c[("False", "True")]
    same = right + c[("True", "False")]
    precision = f"{right / (right + wrong):.3f}" if right + wrong else "–"
    recall = f"{right / same:.3f}" if same else "–"
    return (f"  {key[0]:12} {key[1]:38} one question: {right:3} of {same:3} joined "
            f"(recall {recall}); two questions: {wrong:3} of {wrong + c[('False', 'False')]:3} "
            f"joined; precision {precision}")


if __name__ == "__main__":
    main(sys.argv[1:])
