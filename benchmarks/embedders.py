"""Which embedder serves story clustering: model2vec (static, distilled) or MiniLM (transformer)?

For each embedder: the time to embed the articles, and the story clustering of the bundled examples
scored against examples/labels.json (pairwise precision / recall / F1), plus whether the seeds'
White House visit (001, 003, 004) lands in one story. Prints JSON.

    .venv/bin/python benchmarks/embedders.py
"""

from __future__ import annotations

import json
import sys
import time
from itertools import combinations
from pathlib import Path

import corroborate
from corroborate.embed import embed_articles, get_embedder

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "seeds"


def pairwise(report: dict, event_of: dict[str, str]) -> dict[str, float]:
    arts = [(a["story_id"], event_of[a["title"]]) for a in report["articles"]]
    tp = fp = fn = 0
    for (s1, e1), (s2, e2) in combinations(arts, 2):
        tp += s1 == s2 and e1 == e2
        fp += s1 == s2 and e1 != e2
        fn += s1 != s2 and e1 == e2
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": round(p, 3), "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3)}


def main() -> None:
    labels = json.loads((ROOT / "examples" / "labels.json").read_text())
    event_of = {a["title"]: a["event"] for a in labels["articles"]}
    results = {}
    for kind in ("model2vec", "minilm"):
        corpus = corroborate.analyze([str(ROOT / "examples" / "articles")], embedder=kind)
        articles = corpus.articles()
        embedder = get_embedder(corpus.settings)
        start = time.perf_counter()
        for _ in range(5):
            embed_articles(articles, embedder)
        per_article = (time.perf_counter() - start) / (5 * len(articles))
        seeds = corroborate.analyze([str(SEEDS)], embedder=kind)
        story_of = {Path(a.source).name[:3]: a.story_id for a in seeds.articles()}
        results[kind] = {
            "examples_clustering": pairwise(corpus.report(), event_of),
            "examples_stories": len(corpus.stories()),
            "seeds_visit_in_one_story": len({story_of[p] for p in ("001", "003", "004")}) == 1,
            "seeds_stories": len(seeds.stories()),
            "embed_ms_per_article": round(per_article * 1000, 2),
            "articles_per_s": round(1 / per_article, 1),
        }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
