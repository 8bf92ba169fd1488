"""Fit the story clustering's threshold and weights on labelled corpora of real pages, check
them on others, and print the TF-IDF baseline beside them.

    .venv/bin/python benchmarks/fit_stories.py \
        --fit ../shared/real-dev ~/.cache/corroborate/real-dev \
        --check eval/real ~/.cache/corroborate/real

``--fit`` and ``--check`` may be given several times (fit on two corpora, check on the third).
Every corpus given is also held out in turn: the point best on all the others is scored on it
("held out", the leave-one-corpus-out figures).

The pages of each corpus are read and analysed once per input form (a folder of .txt files and a
JSON Lines dump with url, domain, title and date); only the cross-article stage (copies, stories)
runs again for each point of the grid, on a fresh in-memory store. The score of a point is the
mean pairwise F1 over both forms on the fit corpora; the chosen point is then scored on the check
corpora, where it was not fitted. The point best on all corpora together (the mean over all
inputs) is printed too: the candidate for the defaults, which must also keep the fictional corpus
(`corroborate eval tests/data/eval/labels.json`) at story F1 1.000. For each input it also counts
the labelled event pages placed in time by a date (event or publication), by a weekday only, or
not at all. ``--true-dates`` gives every labelled page its event's own date (the date that ends
its event id) before the grid: how far placing pages in time could take the same clustering.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from corroborate import corpus_eval, settings
from corroborate.ingest import read_all
from corroborate.pipeline import Prepared, RunResult, prepare, recurring_lines, store_batch
from corroborate.records import Article
from corroborate.store import open_store

_ID_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")  # the labelled corpora's event ids end in the date

GRID: dict[str, list[float]] = {
    "story_threshold": [0.12, 0.15, 0.18, 0.21],
    "story_term_weight": [0.8, 0.9, 1.0],
    "story_day_penalty": [0.02, 0.03, 0.04, 0.06],
    "story_reported_days": [0, 3, 5],
}


def prepared(corpus: corpus_eval.LabelledCorpus, mode: str, base: settings.Settings
             ) -> tuple[list[Prepared], dict[str, str], Counter[str]]:
    """The corpus's pages after the per-article stages, each article id's file, line counts."""
    with tempfile.TemporaryDirectory() as tmp:
        if mode == "jsonl":
            inputs = [str(corpus_eval.jsonl_dump(corpus, Path(tmp) / "pages.jsonl"))]
        else:
            inputs = [str(corpus.texts / r["file"]) for r in corpus.rows]
        articles = [a for a in read_all(inputs, base) if isinstance(a, Article)]
    store = open_store(":memory:")
    counts, recurring = recurring_lines(articles, store, base)
    done, _ = prepare(articles, recurring, base)
    by_url = {r.get("url"): r["file"] for r in corpus.rows}
    file_of = {p.article.id: (Path(p.article.source).name if mode == "txt"
                              else by_url.get(p.article.source, "")) for p in done}
    return done, file_of, counts


def placements(corpus: corpus_eval.LabelledCorpus, done: list[Prepared], file_of: dict[str, str]
               ) -> dict[str, int]:
    """How the labelled event pages are placed in time: by a date, by a weekday only, or not."""
    out = Counter({"by a date": 0, "by a weekday only": 0, "not placed": 0})
    for p in done:
        if corpus.event_of.get(file_of[p.article.id]):
            a = p.article
            out["by a date" if a.event_date or a.published else
                "by a weekday only" if a.event_weekday is not None else "not placed"] += 1
    return dict(out)


def with_true_dates(corpus: corpus_eval.LabelledCorpus, done: list[Prepared],
                    file_of: dict[str, str]) -> list[Prepared]:
    """Every labelled page placed on its event's own date."""
    out = []
    for p in done:
        found = _ID_DATE.search(corpus.event_of.get(file_of[p.article.id]) or "")
        out.append(replace(p, article=replace(p.article, event_date=found[0])) if found else p)
    return out


def score(corpus: corpus_eval.LabelledCorpus, done: list[Prepared], file_of: dict[str, str],
          counts: Counter[str], s: settings.Settings) -> dict[str, Any]:
    store = open_store(":memory:")
    result = RunResult()
    store_batch(done, store, s, result, counts=counts)
    rows = store.article_rows(list(file_of))
    groups = {file_of[i]: r["story_id"] for i, r in rows.items()}
    marked = [(file_of[i], file_of[r["duplicate_of"]]) for i, r in rows.items()
              if r["duplicate_of"] in file_of]
    return {"stories": corpus_eval.story_pairs(groups, corpus.event_of),
            "copies": corpus_eval.score_copies(corpus.rows, marked)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fit", nargs=2, metavar=("LABELS", "TEXTS"), action="append",
                        required=True, help="a corpus to fit on (repeat for several)")
    parser.add_argument("--check", nargs=2, metavar=("LABELS", "TEXTS"), action="append",
                        required=True, help="a corpus to check on (repeat for several)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--true-dates", action="store_true",
                        help="give every labelled page its event's own date first")
    args = parser.parse_args()
    base = settings.load(progress=False, workers=1)
    corpora = {**{f"fit {labels}": corpus_eval.load(labels, texts) for labels, texts in args.fit},
               **{f"check {labels}": corpus_eval.load(labels, texts)
                  for labels, texts in args.check}}
    fitted = [name for name in corpora if name.startswith("fit ")]
    ready = {(name, mode): prepared(c, mode, base) for name, c in corpora.items()
             for mode in ("txt", "jsonl")}
    placed = {f"{name} {mode}": placements(corpora[name], *ready[(name, mode)][:2])
              for name, mode in ready}
    if args.true_dates:
        ready = {(name, mode): (with_true_dates(corpora[name], done, file_of), file_of, counts)
                 for (name, mode), (done, file_of, counts) in ready.items()}
    names = list(GRID)
    results = []
    for point in itertools.product(*GRID.values()):
        s = base.with_(**dict(zip(names, point, strict=True)))
        f1 = {key: score(corpora[key[0]], *ready[key], s)["stories"]["f1"] for key in ready}
        results.append((point, f1))

    def on_fit(f1: dict[tuple[str, str], float]) -> float:
        return sum(v for (name, _), v in f1.items() if name in fitted)

    fit = max(results, key=lambda r: (on_fit(r[1]), r[0]))
    chosen = base.with_(**dict(zip(names, fit[0], strict=True)))
    report: dict[str, Any] = {"chosen": dict(zip(names, fit[0], strict=True)), "corpora": {},
                              "true_dates": args.true_dates, "placed": placed}
    for name, corpus in corpora.items():
        baseline = corpus_eval.story_pairs(corpus_eval.baseline_stories(corpus), corpus.event_of)
        report["corpora"][name] = {"labels": str(corpus.texts), "baseline": baseline, **{
            mode: score(corpus, *ready[(name, mode)], chosen) for mode in ("txt", "jsonl")}}
    together = max(results, key=lambda r: (sum(r[1].values()), r[0]))
    report["together"] = {"point": dict(zip(names, together[0], strict=True)),
                          "f1": {f"{k[0]} {k[1]}": v for k, v in together[1].items()}}
    report["leave_one_out"] = {}
    for held in corpora:  # fitted on all the others, scored on this one
        rest = max(results, key=lambda r: (sum(v for (n, _), v in r[1].items() if n != held),
                                           r[0]))
        report["leave_one_out"][held] = {
            "point": dict(zip(names, rest[0], strict=True)),
            "f1": {mode: rest[1][(held, mode)] for mode in ("txt", "jsonl")}}
    top = sorted(results, key=lambda r: -on_fit(r[1]))[:10]
    report["top_on_fit"] = [{"point": dict(zip(names, p, strict=True)),
                             "f1": {f"{k[0]} {k[1]}": v for k, v in f.items()}} for p, f in top]
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print("labelled event pages placed in time:", placed)
    if args.true_dates:
        print("(every labelled page given its event's own date)")
    print("chosen on the fit corpora:", report["chosen"])
    for name, r in report["corpora"].items():
        print(f"{name}: F1 txt {r['txt']['stories']['f1']:.3f}  "
              f"jsonl {r['jsonl']['stories']['f1']:.3f}  TF-IDF baseline (txt) "
              f"{r['baseline']['f1']:.3f}; copies txt {r['txt']['copies']['found']}/"
              f"{r['txt']['copies']['labelled']} ({len(r['txt']['copies']['false_pairs'])} false), "
              f"jsonl {r['jsonl']['copies']['found']}/{r['jsonl']['copies']['labelled']} "
              f"({len(r['jsonl']['copies']['false_pairs'])} false)")
    print("best on all corpora together:", report["together"]["point"], report["together"]["f1"])
    for held, r in report["leave_one_out"].items():
        print(f"held out {held}: fitted on the others {r['point']}, F1 txt {r['f1']['txt']:.3f}"
              f"  jsonl {r['f1']['jsonl']:.3f}")
    print("best points on the fit corpora:")
    for row in report["top_on_fit"]:
        print("  ", row["point"], row["f1"])


if __name__ == "__main__":
    main()
