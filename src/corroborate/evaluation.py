"""Quality against a labelled corpus: ``corroborate eval LABELS.json``.

A labels file (the shape of ``examples/labels.json``) lists articles with their event, and claims
with their kind, expected verdict and values, each value with the files and exact evidence sentences
that give it. A labels file may instead hold ``{"include": [other labels files]}``; all of them are
analysed together, as one corpus.

Figures:
* story clustering: pairwise precision, recall and F1 of "same story" against "same event";
* per claim kind, detected contradictions (verdict ``contested`` or ``updated``): precision (a
  detected contradiction is right when it separates two values of a labelled contested or updated
  claim) and recall (a labelled one is found when some detected contradiction separates two of its
  values);
* per claim kind, verdict accuracy: for each labelled claim, the detected claim that shares most of
  its evidence must have the expected verdict (no match counts as wrong).
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from .claims import KINDS
from .entities import fold
from .errors import InputError
from .ingest import read_all
from .records import Article
from .settings import Settings

CONTRADICTIONS = {"contested", "updated"}


@dataclass
class Labels:
    articles: list[dict[str, Any]] = field(default_factory=list)  # with "path" and a unique "ref"
    claims: list[dict[str, Any]] = field(default_factory=list)  # value files as unique refs

    @property
    def files(self) -> list[Path]:
        return sorted({Path(a["path"]) for a in self.articles})


def load(path: str | Path) -> Labels:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise InputError(f"cannot read labels ({err})", source=str(path)) from None
    labels = Labels()
    if "include" in data:
        for part in data["include"]:
            sub = load(path.parent / part)
            labels.articles += sub.articles
            labels.claims += sub.claims
        return labels
    base = path.parent
    for a in data.get("articles", []):
        labels.articles.append({**a, "path": str(base / a["file"]), "ref": f"{base}/{a['ref']}"})
    for c in data.get("claims", []):
        values = [{**v, "files": [f"{base}/{f}" for f in v["files"]]} for v in c["values"]]
        labels.claims.append({**c, "values": values})
    return labels


def match_articles(labels: Labels, settings: Settings) -> dict[str, str]:
    """Article id (content hash) → label ref, matching items of a file by title, else order."""
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in labels.articles:
        by_file[a["path"]].append(a)
    refs: dict[str, str] = {}
    for path, wanted in by_file.items():
        found = [a for a in read_all([path], settings) if isinstance(a, Article)]
        for position, label in enumerate(wanted):
            same = [a for a in found if a.title and fold(a.title) == fold(label.get("title") or "")]
            article = same[0] if same else (found[position] if position < len(found) else None)
            if article is not None:
                refs[article.id] = label["ref"]
    return refs


def clustering(report: dict[str, Any], event_of: dict[str, str]) -> dict[str, float]:
    pairs = [(a["story_id"], event_of[a["id"]]) for a in report["articles"] if a["id"] in event_of]
    tp = fp = fn = 0
    for (s1, e1), (s2, e2) in combinations(pairs, 2):
        tp += s1 == s2 and e1 == e2
        fp += s1 == s2 and e1 != e2
        fn += s1 != s2 and e1 == e2
    return prf(tp, fp, fn)


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": round(p, 3), "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def _norm(text: str) -> str:
    text = html.unescape(text).replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split()).lower()


def _covered(label_value: dict[str, Any], detected_value: dict[str, Any],
             refs: dict[str, str]) -> int:
    """How many of a labelled value's evidence sentences a detected value's evidence holds."""
    found = 0
    for ref, wanted in zip(label_value["files"], label_value["evidence"], strict=True):
        w = _norm(wanted)
        for e in detected_value["evidence"]:
            s = _norm(e["sentence"])
            if refs.get(e["article_id"]) == ref and (w in s or s in w or w[:60] in s):
                found += 1
                break
    return found


def _same_kind(label: dict[str, Any], claim: dict[str, Any]) -> bool:
    """A claim answers a label of its own kind; where and when something happened may be read as
    an event or as a date."""
    return label["kind"] == claim["kind"] or {label["kind"], claim["kind"]} == {"event", "date"}


def _separated(label: dict[str, Any], claim: dict[str, Any], refs: dict[str, str]) -> bool:
    """Whether a detected claim of the label's kind holds two of the label's values as two
    different values."""
    if not _same_kind(label, claim):
        return False
    hits = {(li, di) for li, lv in enumerate(label["values"])
            for di, dv in enumerate(claim["values"]) if _covered(lv, dv, refs)}
    return any(l1 != l2 and d1 != d2 for (l1, d1), (l2, d2) in combinations(hits, 2))


def _coverage(label: dict[str, Any], claim: dict[str, Any], refs: dict[str, str]) -> int:
    return sum(_covered(lv, dv, refs) for lv in label["values"] for dv in claim["values"])


def score_claims(labels: Labels, claims: list[dict[str, Any]],
                 refs: dict[str, str]) -> dict[str, dict[str, Any]]:
    truth = [c for c in labels.claims if c["kind"] in KINDS]
    disputed = [c for c in truth if c["expected_verdict"] in CONTRADICTIONS]
    detected = [c for c in claims if c["verdict"] in CONTRADICTIONS]
    table: dict[str, dict[str, Any]] = {}
    for kind in (*KINDS, "all"):
        def mine(items: Iterable[dict[str, Any]], kind: str = kind) -> list[dict[str, Any]]:
            return [c for c in items if kind == "all" or c["kind"] == kind]

        found = [d for d in mine(detected) if any(_separated(t, d, refs) for t in disputed)]
        recalled = [t for t in mine(disputed) if any(_separated(t, d, refs) for d in detected)]
        correct = 0
        for t in mine(truth):
            best = max(claims, key=lambda c: _coverage(t, c, refs), default=None)
            if best is not None and _coverage(t, best, refs) and \
                    best["verdict"] == t["expected_verdict"]:
                correct += 1
        n_truth, n_detected, n_disputed = len(mine(truth)), len(mine(detected)), len(mine(disputed))
        table[kind] = {
            "labelled_claims": n_truth,
            "labelled_contradictions": n_disputed,
            "detected_contradictions": n_detected,
            "contradiction_precision": round(len(found) / n_detected, 3) if n_detected else None,
            "contradiction_recall": round(len(recalled) / n_disputed, 3) if n_disputed else None,
            "verdict_accuracy": round(correct / n_truth, 3) if n_truth else None,
            "false_contradictions": [d["subject"] for d in mine(detected) if d not in found],
            "missed_contradictions": [t.get("id", t["subject"]) for t in mine(disputed)
                                      if t not in recalled],
        }
    return table


def evaluate(path: str | Path, settings: Settings) -> dict[str, Any]:
    from . import analyze

    labels = load(path)
    refs = match_articles(labels, settings)
    event_of_ref = {a["ref"]: a["event"] for a in labels.articles}
    corpus = analyze([str(f) for f in labels.files], settings=settings)
    report = corpus.report()
    claims = list({c["id"]: c for s in report["stories"] for c in s["claims"]}.values())
    event_of = {i: event_of_ref[r] for i, r in refs.items()}
    return {
        "labels": str(path),
        "articles": len(report["articles"]),
        "labelled_articles_matched": f"{len(refs)}/{len(labels.articles)}",
        "events": len(set(event_of_ref.values())),
        "stories": len(report["stories"]),
        "story_clustering": clustering(report, event_of),
        "claims": score_claims(labels, claims, refs),
        "errors": report["errors"],
    }


def table(result: dict[str, Any]) -> str:
    c = result["story_clustering"]
    lines = [f"labels: {result['labels']}",
             f"articles: {result['articles']} (labelled and matched: "
             f"{result['labelled_articles_matched']}), events: {result['events']}, "
             f"stories found: {result['stories']}",
             f"story clustering (pairwise): precision {c['precision']:.3f}  recall "
             f"{c['recall']:.3f}  F1 {c['f1']:.3f}", "",
             f"{'kind':<12} {'labelled':>8} {'disputed':>8} {'detected':>8} {'contr. P':>8} "
             f"{'contr. R':>8} {'verdict acc':>11}"]
    for kind, row in result["claims"].items():
        def fmt(x: float | None) -> str:
            return "–" if x is None else f"{x:.3f}"

        lines.append(f"{kind:<12} {row['labelled_claims']:>8} {row['labelled_contradictions']:>8} "
                     f"{row['detected_contradictions']:>8} {fmt(row['contradiction_precision']):>8} "
                     f"{fmt(row['contradiction_recall']):>8} {fmt(row['verdict_accuracy']):>11}")
    everything = result["claims"]["all"]
    if everything["false_contradictions"]:
        lines += ["", "detected contradictions that match no labelled one:"]
        lines += [f"  - {' '.join(s.split())[:100]}" for s in everything["false_contradictions"]]
    if everything["missed_contradictions"]:
        lines += ["", "labelled contradictions not found:"]
        lines += [f"  - {s}" for s in everything["missed_contradictions"]]
    return "\n".join(lines)
