"""Quality against a labelled corpus of real pages, in the shared format (``eval-format.md``):
``corroborate eval DIR --texts TEXTS [--as txt|jsonl]``.

``DIR`` holds ``labels.json`` (one row per page) and ``events.json`` (per event: files and facts);
the page texts ``NNN.txt`` are kept elsewhere (third-party text is never committed) and named by
``TEXTS``. The pages are analysed in memory, either as a folder of text files (what a user with a
scrape hands over) or as a JSON Lines dump built from the labels, with each page's url, its domain
as outlet, title and date (what a crawler hands over). Scored as the format says:

* stories: pairwise precision, recall and F1 over pages; two pages belong together when they have
  the same non-null event, noise pages with nothing;
* copies: each labelled ``near_duplicate_of`` pair must be marked a copy (either way, or both as
  copies of one original); a copy marked between pages not labelled as copies is a false pair;
* disagreements, pair by pair: a ``contested`` or ``updated`` claim is right when two of its
  values, from two different pages, carry the values a fact with ``agree: false`` gives for those
  pages (the same figures, or for a value without figures the same words); a labelled
  disagreement is found when some claim is right about it; a claim whose values are those of an
  agreement is known to be wrong.

The TF-IDF baseline of the issue that asked for this (average-link cosine over TF-IDF vectors,
distance threshold 0.8) is :func:`baseline_stories`, scored the same way.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import InputError
from .evaluation import prf
from .settings import Settings

CONTRADICTIONS = ("contested", "updated")
KINDS = ("conflict", "update", "source", "wording")


@dataclass(frozen=True)
class Fact:
    event: str  # event id, or "storyline:..." for facts across the events of a storyline
    question: str
    values: dict[str, str]  # file -> short value as the page states it
    agree: bool
    kind: str | None


@dataclass(frozen=True)
class LabelledCorpus:
    """A labelled corpus: the label rows, the facts, and where the page texts are."""

    rows: list[dict[str, Any]]
    facts: list[Fact]
    texts: Path

    @property
    def event_of(self) -> dict[str, str | None]:
        return {r["file"]: r.get("event") for r in self.rows}

    def text(self, file: str) -> str:
        return (self.texts / file).read_text(encoding="utf-8")


def is_corpus(path: str | Path) -> bool:
    path = Path(path)
    return path.is_dir() and (path / "labels.json").is_file() and (path / "events.json").is_file()


def load(folder: str | Path, texts: str | Path | None = None) -> LabelledCorpus:
    folder = Path(folder)
    try:
        rows = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        events = json.loads((folder / "events.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise InputError(f"cannot read the corpus labels ({err})", source=str(folder)) from None
    where = Path(texts) if texts else folder
    missing = [r["file"] for r in rows if not (where / r["file"]).is_file()]
    if missing:
        raise InputError(
            f"{len(missing)} of {len(rows)} page texts are missing from {where} "
            f"(first: {missing[0]})",
            hint="rebuild them as the corpus README says and pass their folder with --texts",
            source=str(folder))
    facts = [Fact(event, f["fact"], dict(f["values_by_file"]), bool(f["agree"]), f.get("kind"))
             for event, body in events.items() for f in body.get("facts", [])]
    return LabelledCorpus(rows, facts, where)


# -- reading the pages ----------------------------------------------------------------------------

def outlet_of(url: str | None) -> str | None:
    """A crawler's outlet: the URL's host without ``www.``."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def jsonl_dump(corpus: LabelledCorpus, path: Path) -> Path:
    """The pages as a JSON Lines dump: text, url, the domain as outlet, title and date."""
    with path.open("w", encoding="utf-8") as out:
        for row in corpus.rows:
            record = {"text": corpus.text(row["file"]), "url": row.get("url"),
                      "outlet": outlet_of(row.get("url")), "title": row.get("title"),
                      "published": row.get("published")}
            out.write(json.dumps({k: v for k, v in record.items() if v}, ensure_ascii=False) + "\n")
    return path


def analyse(corpus: LabelledCorpus, settings: Settings, mode: str = "txt") -> tuple[dict[str, Any],
                                                                           dict[str, str]]:
    """The report of the corpus analysed in memory, and each article id's file."""
    from . import analyze

    with tempfile.TemporaryDirectory(prefix="corroborate-eval-") as tmp:
        if mode == "jsonl":
            inputs = [str(jsonl_dump(corpus, Path(tmp) / "pages.jsonl"))]
        elif mode == "txt":
            inputs = [str(corpus.texts / r["file"]) for r in corpus.rows]
        else:
            raise InputError(f"unknown input mode '{mode}'", hint="use --as txt or --as jsonl")
        with analyze(inputs, settings=settings) as result:
            report = result.report()
    by_url = {r.get("url"): r["file"] for r in corpus.rows}
    file_of = {}
    for a in report["articles"]:
        name = Path(a["source"]).name
        file_of[a["id"]] = name if mode == "txt" else by_url.get(a["source"], name)
    return report, file_of


# -- scoring --------------------------------------------------------------------------------------

def story_pairs(groups: dict[str, str], event_of: dict[str, str | None]) -> dict[str, Any]:
    """Pairwise P/R/F1 of a grouping (file -> group) against the events; a page missing from the
    grouping is alone."""
    files = sorted(event_of)
    tp = fp = fn = 0
    for a, b in combinations(files, 2):
        together = a in groups and groups.get(a) == groups.get(b)
        same = event_of[a] is not None and event_of[a] == event_of[b]
        tp += together and same
        fp += together and not same
        fn += same and not together
    return {**prf(tp, fp, fn), "groups": len(set(groups.values()) | {f"alone:{f}" for f in files
                                                                      if f not in groups})}


def copy_groups(rows: list[dict[str, Any]]) -> dict[str, str]:
    """Each file's labelled copy family (the connected groups of ``near_duplicate_of``)."""
    parent = {r["file"]: r["file"] for r in rows}

    def root(f: str) -> str:
        while parent[f] != f:
            f = parent[f]
        return f

    for r in rows:
        if r.get("near_duplicate_of") in parent:
            parent[root(r["file"])] = root(r["near_duplicate_of"])
    return {f: root(f) for f in parent}


def score_copies(rows: list[dict[str, Any]], marked: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Labelled copy pairs found, and marked pairs (copy, original) that are not copies."""
    marked = list(marked)
    family = copy_groups(rows)
    original_of = dict(marked)
    labelled = [(r["file"], r["near_duplicate_of"]) for r in rows if r.get("near_duplicate_of")]

    def found(a: str, b: str) -> bool:
        return original_of.get(a) == b or original_of.get(b) == a or \
            (a in original_of and original_of.get(a) == original_of.get(b))

    missed = [f"{a} -> {b}" for a, b in labelled if not found(a, b)]
    false = [f"{a} -> {b}" for a, b in marked if family.get(a) != family.get(b)]
    return {"labelled": len(labelled), "found": len(labelled) - len(missed), "missed": missed,
            "marked": len(marked), "false_pairs": false}


_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
_WORDS = re.compile(r"[^\W_]+")


_CLOCK_DOT = re.compile(r"\b(\d{1,2})\.(\d{2})(?=\s?[ap]\.?\s?m\b)", re.I)


def figures(text: str) -> frozenset[str]:
    """The numbers a text states, normalised ("1,600" and "1600" alike; "3.0" is "3"; the time
    "6.30pm" as "6:30 p.m.", not the number 6.3)."""
    out = set()
    for f in _FIGURE.findall(_CLOCK_DOT.sub(r"\1:\2", text)):
        f = f.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", f) else f.replace(",", ".")
        if "." in f:
            f = f.rstrip("0").rstrip(".")
        out.add(f.lstrip("0") or "0")
    return frozenset(out)


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORDS.findall(text.replace("’", "'").lower()) if not w.isdigit())


def carries(value: str, label: str) -> bool:
    """Whether a claim's value carries a labelled value: the same figures, or, for a value without
    figures, the same words (one's words within the other's)."""
    lf, vf = figures(label), figures(value)
    if lf or vf:
        return bool(lf and vf) and (vf <= lf or lf <= vf)
    lw, vw = words(label), words(value)
    return bool(lw and vw) and (vw <= lw or lw <= vw)


def _pages(value: dict[str, Any], file_of: dict[str, str]) -> set[str]:
    return {file_of[i] for i in value.get("article_ids", []) if i in file_of}


def answers(claim: dict[str, Any], fact: Fact, file_of: dict[str, str]) -> bool:
    """Whether two values of a claim, reported by two different pages, carry the fact's (differing)
    values for those pages."""
    hits: list[tuple[int, str, str]] = []  # (claim value, page, labelled value)
    for i, value in enumerate(claim["values"]):
        for page in _pages(value, file_of):
            label = fact.values.get(page)
            if label is not None and carries(str(value.get("value", "")), label):
                hits.append((i, page, label))
    return any(i != j and p != q and _norm(a) != _norm(b)
               for (i, p, a), (j, q, b) in combinations(hits, 2))


def corroboration(claim: dict[str, Any], facts: list[Fact], file_of: dict[str, str]
                  ) -> bool | None:
    """Whether a claim called corroborated is right by the labels: its value is carried by the
    labelled answers of two or more of its pages (True); or a page it counts as agreeing gives
    another answer to a labelled disagreement that its value answers (False).
    None when no fact has labelled answers on two of its pages that its value carries."""
    verdict = None
    for value in claim["values"]:
        pages = _pages(value, file_of)
        for fact in facts:
            labelled = {p: fact.values[p] for p in pages if p in fact.values}
            carried = [p for p, label in labelled.items()
                       if carries(str(value.get("value", "")), label)]
            if not carried or len(labelled) < 2:
                continue
            if len(carried) < len(labelled) and not fact.agree:
                return False
            if len(carried) >= 2:
                verdict = True
    return verdict


def _norm(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def score_disagreements(facts: list[Fact], claims: list[dict[str, Any]],
                        file_of: dict[str, str]) -> dict[str, Any]:
    flagged = [c for c in claims if c["verdict"] in CONTRADICTIONS]
    disagreements = [f for f in facts if not f.agree]
    agreements = [f for f in facts if f.agree]
    right, wrong, unmatched = [], [], []
    found: set[int] = set()
    # (label kind, verdict) of each right claim about an update or a conflict
    told_apart: list[tuple[str | None, str]] = []
    for c in flagged:
        about = [i for i, f in enumerate(disagreements) if answers(c, f, file_of)]
        if about:
            right.append(c)
            found.update(about)
            for i in about:
                if disagreements[i].kind in {"update", "conflict"}:
                    told_apart.append((disagreements[i].kind, c["verdict"]))
        elif any(answers(c, f, file_of) for f in agreements):
            wrong.append(c)
        else:
            unmatched.append(c)
    per_kind = {}
    for kind in KINDS:
        mine = [i for i, f in enumerate(disagreements) if f.kind == kind]
        per_kind[kind] = {"labelled": len(mine), "found": len(found & set(mine))}
    expected: dict[str | None, str] = {"update": "updated", "conflict": "contested"}
    per_verdict = {}
    for verdict in CONTRADICTIONS:
        given = [c for c in flagged if c["verdict"] == verdict]
        hits = sum(any(c is r for r in right) for c in given)
        per_verdict[verdict] = {"flagged": len(given), "right": hits,
                                "precision": round(hits / len(given), 3) if given else None}
    corroborated = [c for c in claims if c["verdict"] == "corroborated"]
    judged = [corroboration(c, facts, file_of) for c in corroborated]
    agreed = sum(j is True for j in judged)
    split = sum(j is False for j in judged)
    pairs = list(zip(corroborated, judged, strict=True))
    return {
        "flagged": len(flagged),
        "right": len(right),
        "known_wrong": len(wrong),
        "precision": round(len(right) / len(flagged), 3) if flagged else None,
        "labelled": len(disagreements),
        "found": len(found),
        "recall": round(len(found) / len(disagreements), 3) if disagreements else None,
        "per_kind": per_kind,
        "per_verdict": per_verdict,
        "corroborated": {"claims": len(judged), "judged": agreed + split, "right": agreed,
                         "precision": round(agreed / (agreed + split), 3)
                         if agreed + split else None,
                         "right_claims": [_describe(c, file_of) for c, j in pairs if j is True],
                         "false": [_describe(c, file_of) for c, j in pairs if j is False]},
        "update_vs_conflict": round(sum(expected[k] == v for k, v in told_apart) / len(told_apart), 3)
        if told_apart else None,
        "right_claims": [_describe(c, file_of) for c in right],
        "false": [_describe(c, file_of) for c in wrong + unmatched],
        "missed": [f"{f.event}: {f.question}" for i, f in enumerate(disagreements) if i not in found],
    }


def _describe(claim: dict[str, Any], file_of: dict[str, str]) -> str:
    values = "; ".join(f"{v['value']} ({', '.join(sorted(_pages(v, file_of)))})"
                       for v in claim["values"][:4])
    return f"[{claim['verdict']}] {' '.join(claim['subject'].split())[:60]}: {values}"


SLUG_TITLE = "title derived from URL slug"


def titles(report: dict[str, Any], file_of: dict[str, str],
           rows: list[dict[str, Any]], mode: str = "jsonl",
           texts: dict[str, str] | None = None) -> dict[str, Any]:
    """How many stories are titled with the labelled headline of one of their pages (or a part
    of it, or it within the title), among the stories where some page has one, and how many of
    those with the headline of a page of the story's main event (the one most of its labelled
    pages report: a page of another event that joined the story should not title it); the
    titles of the rest, and how many stories have no labelled headline to be judged by. A folder of text files
    has no URLs, so there a headline the labels rebuilt from the URL's slug (their notes say so),
    or one its text (``texts``: file -> text) does not hold, is not asked for."""
    def held(row: dict[str, Any]) -> bool:
        if mode != "txt":
            return True
        if SLUG_TITLE in (row.get("notes") or ""):
            return False
        return texts is None or _norm(row["title"]) in _norm(texts.get(row["file"], ""))

    headline = {r["file"]: _norm(r["title"]) for r in rows if r.get("title") and held(r)}
    event_of = {r["file"]: r.get("event") for r in rows}
    good, main, bad, unjudged, astray = 0, 0, [], [], []
    for story in report["stories"]:
        files = [file_of.get(i) for i in story["article_ids"]]
        if not any(f in headline for f in files):
            unjudged.append(_story_line(story, files))
            continue
        title = _norm(story["title"])
        if title and any(_within(title, headline.get(f) or "") for f in files):
            good += 1
            events = Counter(event_of.get(f) for f in files if event_of.get(f))
            top = events.most_common(1)[0][0] if events else None
            if top is None or any(_within(title, headline.get(f) or "") for f in files
                                  if event_of.get(f) == top):
                main += 1
            else:
                astray.append(_story_line(story, files))
        else:
            bad.append(_story_line(story, files))
    judged = good + len(bad)
    return {"stories": len(report["stories"]), "judged": judged, "headline": good,
            "share": round(good / judged, 3) if judged else None,
            "main_event": main, "main_event_share": round(main / judged, 3) if judged else None,
            "no_labelled_headline": len(unjudged), "other": bad, "other_event": astray,
            "unjudged": unjudged}


def _story_line(story: dict[str, Any], files: list[str | None]) -> str:
    return f"{story['title'][:90]} ({', '.join(sorted(f for f in files if f))[:40]})"


def _within(a: str, b: str) -> bool:
    """The same headline, or one the start or a part of the other of at least five words."""
    short, long = sorted((a, b), key=len)
    return bool(short) and (short == long or (len(short.split()) >= 5 and short in long))


def evaluate(folder: str | Path, settings: Settings, *, texts: str | Path | None = None,
             mode: str = "txt", baseline: bool = False) -> dict[str, Any]:
    corpus = load(folder, texts)
    report, file_of = analyse(corpus, settings, mode)
    groups = {file_of[a["id"]]: a["story_id"] for a in report["articles"] if a["id"] in file_of}
    marked = [(file_of[a["id"]], file_of[a["duplicate_of"]]) for a in report["articles"]
              if a.get("duplicate_of") and a["id"] in file_of and a["duplicate_of"] in file_of]
    claims = list({c["id"]: c for s in report["stories"] for c in s["claims"]}.values())
    result: dict[str, Any] = {
        "corpus": str(folder),
        "as": mode,
        "pages": len(corpus.rows),
        "articles": len(report["articles"]),
        "events": len({e for e in corpus.event_of.values() if e}),
        "stories": len(report["stories"]),
        "story_clustering": story_pairs(groups, corpus.event_of),
        "copies": score_copies(corpus.rows, marked),
        "titles": titles(report, file_of, corpus.rows, mode,
                         {r["file"]: corpus.text(r["file"]) for r in corpus.rows}
                         if mode == "txt" else None),
        "disagreements": score_disagreements(corpus.facts, claims, file_of),
        "errors": report["errors"],
    }
    if baseline:
        result["baseline"] = story_pairs(baseline_stories(corpus), corpus.event_of)
    return result


def baseline_stories(corpus: LabelledCorpus, threshold: float = 0.8) -> dict[str, str]:
    """The naive baseline: TF-IDF vectors of the raw texts, average-link agglomerative clustering
    on cosine distance, cut at ``threshold``."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    files = [r["file"] for r in corpus.rows]
    vectors = TfidfVectorizer(stop_words="english").fit_transform(corpus.text(f) for f in files)
    labels = AgglomerativeClustering(n_clusters=None, distance_threshold=threshold, metric="cosine",
                                     linkage="average").fit_predict(vectors.toarray())
    return {f: str(label) for f, label in zip(files, labels, strict=True)}


def table(result: dict[str, Any]) -> str:
    c, d, k, t = (result["story_clustering"], result["disagreements"], result["copies"],
                  result["titles"])

    def fmt(x: float | None) -> str:
        return "–" if x is None else f"{x:.3f}"

    lines = [f"corpus: {result['corpus']} (as {result['as']}): {result['pages']} pages, "
             f"{result['articles']} analysed, {result['events']} events, "
             f"{result['stories']} stories found",
             f"stories (pairwise): precision {fmt(c['precision'])}  recall {fmt(c['recall'])}  "
             f"F1 {fmt(c['f1'])}"]
    if "baseline" in result:
        b = result["baseline"]
        lines.append(f"TF-IDF baseline:    precision {fmt(b['precision'])}  recall "
                     f"{fmt(b['recall'])}  F1 {fmt(b['f1'])}  ({b['groups']} groups)")
    lines += [f"copies: {k['found']} of {k['labelled']} labelled pairs found, "
              f"{len(k['false_pairs'])} false pairs ({k['marked']} marked)",
              f"titles: {t['headline']} of {t['judged']} stories have a page's headline "
              f"({fmt(t['share'])}; {t['no_labelled_headline']} stories have no page with one), "
              f"{t['main_event']} of its main event",
              f"disagreements: {d['flagged']} flagged, {d['right']} right, {d['known_wrong']} known "
              f"wrong: precision {fmt(d['precision'])}; {d['found']} of {d['labelled']} labelled "
              f"found: recall {fmt(d['recall'])}; updates told apart from conflicts "
              f"{fmt(d['update_vs_conflict'])}",
              "  found per labelled kind: " + ", ".join(f"{kind} {v['found']}/{v['labelled']}"
                                                        for kind, v in d["per_kind"].items()),
              "  right per verdict: " + ", ".join(
                  f"{verdict} {v['right']}/{v['flagged']} ({fmt(v['precision'])})"
                  for verdict, v in d["per_verdict"].items()),
              f"corroborated: {d['corroborated']['right']} right of {d['corroborated']['judged']} "
              f"the labels judge ({d['corroborated']['claims']} claims): precision "
              f"{fmt(d['corroborated']['precision'])}"]
    for heading, items in (("copies missed", k["missed"]), ("false copy pairs", k["false_pairs"]),
                           ("stories without a headline title", t["other"]),
                           ("stories titled by a page of another event", t["other_event"]),
                           ("titles of stories with no labelled headline to judge by",
                            t["unjudged"]),
                           ("flagged disagreements that match none labelled", d["false"]),
                           ("labelled disagreements not found", d["missed"])):
        if items:
            lines += ["", f"{heading}:"] + [f"  - {s}" for s in items]
    if result["errors"]:
        lines += ["", f"{len(result['errors'])} input(s) failed"]
    return "\n".join(lines)
