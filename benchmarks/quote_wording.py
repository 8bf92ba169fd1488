"""Where outlets render one remark in different words, on labelled corpora of real pages
(``../shared/eval-format.md``): what ``claims.quote.WORDING_SHARE`` and ``WORDING_MIN_WORDS``
are fitted on.

    .venv/bin/python benchmarks/quote_wording.py ../shared/real-dev ~/.cache/corroborate/real-dev \
        eval/real ~/.cache/corroborate/real eval/real2 ~/.cache/corroborate/real2

Each corpus is read as a JSON Lines dump and its pages analysed. Every pair of quotes from two
pages of one labelled event, with no two different speakers named, whose words differ in one
place (``claims.quote.renders_differently``) is a candidate wording disagreement. It is *right*
when a labelled ``wording`` fact gives the two pages different values and each quote carries its
page's value (as ``corroborate eval`` judges values); else it is flagged without a label (the
labels are not exhaustive: read them). For each minimum share of the shorter quote's words that
the longer gives in order, and each minimum length, it prints the right and unlabelled pairs
and the labelled wording facts found; then how long alignment takes over 1,500 renderings of one
storyline, with and without the cheap bound of ``claims.quote.shared_share``.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import replace
from itertools import combinations

from alignment_pairs import articles_of

from corroborate import corpus_eval, crosscheck, settings
from corroborate.claims import quote
from corroborate.records import Article, Claim, Sentence

SHARES = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9)
LENGTHS = (3, 4, 5, 6, 7, 8)


def candidates(corpus: corpus_eval.LabelledCorpus, base: settings.Settings
               ) -> tuple[list[tuple[float, int, int | None, str]], list[Claim]]:
    """(share, shorter length, index of the labelled wording fact it answers or None, text) of
    each candidate pair; and the corpus's wording claims."""
    articles, file_of = articles_of(corpus, base)
    wording = [(i, f) for i, f in enumerate(corpus.facts) if f.kind == "wording" and not f.agree]
    claims = [(file_of[a.id], c) for a in articles for c in a.claims if c.head == quote.WORDING]
    out = []
    for (page_a, a), (page_b, b) in combinations(claims, 2):
        event = corpus.event_of.get(page_a)
        if page_a == page_b or not event or event != corpus.event_of.get(page_b):
            continue
        if crosscheck.rival_speakers(a, b):
            continue
        words_a, words_b = str(a.normalized).split(), str(b.normalized).split()
        if not quote.renders_differently(tuple(words_a), tuple(words_b)):
            continue
        share = quote.shared_share(tuple(words_a), tuple(words_b))
        answered = next((i for i, f in wording
                         if (la := f.values.get(page_a)) and (lb := f.values.get(page_b))
                         and corpus_eval._norm(la) != corpus_eval._norm(lb)
                         and corpus_eval.carries(a.value, la)
                         and corpus_eval.carries(b.value, lb)), None)
        out.append((share, min(len(words_a), len(words_b)), answered,
                    f"{page_a} “{a.value[:70]}” / {page_b} “{b.value[:70]}”"))
    return out, [c for _, c in claims]


def timing(claims: list[Claim], size: int = 1500) -> None:
    """How long alignment takes over ``size`` renderings in one storyline (the corpora's, drawn
    at random, half with a word changed), with and without the cheap bound of
    ``shared_share``."""
    rng = random.Random(1)
    supports = []
    for i in range(size):
        words = [w for w in rng.choice(claims).context if ":" not in w]
        if rng.random() < 0.5:
            words[rng.randrange(len(words))] = "other"
        c = replace(claims[0], context=tuple(words), value=" ".join(words),
                    normalized=" ".join(words))
        a = Article(id=f"a-{i}", source=str(i), format="text", content="x", text="x",
                    sentences=(Sentence("x", 0, 1),), claims=(c,))
        supports.append(crosscheck.Support(c, a, f"outlet {i % 40}"))
    exact = quote.shared_share
    for label, share in (("with the bound", exact),
                         ("without it", lambda a, b, floor=0.0: exact(a, b))):
        quote.shared_share = share  # type: ignore[assignment]
        start = time.perf_counter()
        groups = crosscheck.align(supports)
        print(f"  {size} renderings, {label}: {len(groups)} groups in "
              f"{time.perf_counter() - start:.2f} s")
    quote.shared_share = exact


def main(args: list[str]) -> None:
    if len(args) < 2 or len(args) % 2:
        raise SystemExit(__doc__)
    base = settings.load(progress=False, workers=1)
    every: list[tuple[str, tuple[float, int, int | None, str]]] = []
    labelled = 0
    claims: list[Claim] = []
    for labels, texts in zip(args[::2], args[1::2], strict=True):
        corpus = corpus_eval.load(labels, texts)
        labelled += sum(f.kind == "wording" and not f.agree for f in corpus.facts)
        pairs, found = candidates(corpus, base)
        every += [(labels, c) for c in pairs]
        claims += found
    print(f"labelled wording facts: {labelled}")
    print("share  words  right pairs  unlabelled pairs  facts found")
    for share in SHARES:
        for length in LENGTHS:
            kept = [(name, c) for name, c in every if c[0] >= share and c[1] >= length]
            right = [(name, c[2]) for name, c in kept if c[2] is not None]
            print(f"{share:5}  {length:5}  {len(right):11}  {len(kept) - len(right):16}  "
                  f"{len(set(right)):11}")
    print("\npairs at the fitted point:")
    for name, (share, length, answered, text) in every:
        if share >= quote.WORDING_SHARE and length >= quote.WORDING_MIN_WORDS:
            print(f"  {'right' if answered is not None else 'unlabelled':10} {share:.2f} {name}: "
                  f"{text}")
    print("\ntime to align:")
    timing(claims)


if __name__ == "__main__":
    main(sys.argv[1:])
