"""A story's brief: extractive summary (every sentence with its article), main entities, timeline."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..embed import Embedder, normalise
from ..entities import resolve
from ..records import Article, Story, SummaryLine, TimelineEvent
from ..settings import Settings

MIN_WORDS, MAX_WORDS = 6, 60
EVIDENCE_KEPT = 20  # evidence sentences per value in a story's brief (the count is kept)
REDUNDANT = 0.8  # cosine above which a sentence repeats one already in the summary


def build_story(row: dict[str, Any], articles: list[Article], embedder: Embedder,
                settings: Settings, claims: list[dict[str, Any]] | None = None) -> Story:
    """The brief of one story; ``claims`` are the cross-checked claims of its storyline, of which
    those that its own articles make are kept."""
    originals = [a for a in articles if not a.duplicate_of] or articles
    ids = {a.id for a in articles}
    own = [bounded(c, ids) for c in claims or []
           if any(i in ids for v in c["values"] for i in v["article_ids"])]
    return Story(
        id=row["id"],
        title=row["title"],
        storyline_id=row["storyline_id"],
        article_ids=[a.id for a in articles],
        summary=summarise(originals, embedder, settings.summary_sentences),
        entities=resolve(originals),
        timeline=timeline(originals, embedder),
        claims=own,
        coverage=coverage(articles, own),
    )


def bounded(claim: dict[str, Any], own: set[str]) -> dict[str, Any]:
    """The claim with at most EVIDENCE_KEPT sentences per value: this story's own articles
    first, then one sentence per independent origin, then the rest; ``evidence_total`` tells how
    many there were when some are left out (``article_ids`` always lists every article)."""
    values = []
    for value in claim["values"]:
        evidence = value["evidence"]
        if len(evidence) > EVIDENCE_KEPT:
            seen: set[str] = set()
            ranks = []
            for n, e in enumerate(evidence):
                origin = e.get("origin") or e["article_id"]
                ranks.append((0 if e["article_id"] in own else 1 if origin not in seen else 2, n))
                seen.add(origin)
            kept = sorted(n for _, n in sorted(ranks)[:EVIDENCE_KEPT])
            value = {**value, "evidence": [evidence[n] for n in kept],
                     "evidence_total": len(evidence)}
        values.append(value)
    return {**claim, "values": values}


def coverage(articles: list[Article], claims: list[dict[str, Any]]) -> dict[str, Any]:
    """Outlets × claims: what each article says of each claim. ``reported``: the claim's value (the
    current one when updated, the best-supported one when contested); ``disagrees``: another value;
    ``earlier``: a value that was later updated; ``not_reported``."""
    columns = [a.id for a in articles]
    rows = []
    for c in claims:
        main = len(c["values"]) - 1 if c["verdict"] == "updated" else 0
        cells = []
        for article_id in columns:
            held = [i for i, v in enumerate(c["values"]) if article_id in v["article_ids"]]
            if not held:
                cells.append("not_reported")
            elif main in held:
                cells.append("reported")
            else:
                cells.append("earlier" if c["verdict"] == "updated" else "disagrees")
        rows.append({"claim_id": c["id"], "cells": cells})
    return {"article_ids": columns, "rows": rows}


def summarise(articles: list[Article], embedder: Embedder, size: int) -> list[SummaryLine]:
    """The sentences closest to what the story's articles say together, without repeats and
    spread over articles (at most half of the summary from one article when there are several)."""
    pool = [(a.id, s.text, pos) for a in articles for pos, s in enumerate(a.sentences)
            if MIN_WORDS <= len(s.text.split()) <= MAX_WORDS]
    if not pool or size <= 0:
        return []
    vectors = embedder.encode([text for _, text, _ in pool])
    centre = normalise(vectors.mean(axis=0))
    lead_bonus = np.array([0.05 if pos < 2 else 0.0 for _, _, pos in pool])
    scores = vectors @ centre + lead_bonus
    per_article = max(1, math.ceil(size / 2)) if len(articles) > 1 else size
    chosen: list[int] = []
    used: dict[str, int] = {}
    for i in np.argsort(-scores, kind="stable"):
        article_id = pool[i][0]
        if used.get(article_id, 0) >= per_article:
            continue
        if any(float(vectors[i] @ vectors[j]) > REDUNDANT for j in chosen):
            continue
        chosen.append(int(i))
        used[article_id] = used.get(article_id, 0) + 1
        if len(chosen) == size:
            break
    return [SummaryLine(pool[i][1], pool[i][0]) for i in chosen]


SAME_EVENT = 0.7  # cosine above which two sentences with the same date report the same event


def timeline(articles: list[Article], embedder: Embedder) -> list[TimelineEvent]:
    """Dated events in date order. Sentences that give the same date for the same event (by
    embedding similarity) are one entry, quoted from the earliest article, with the other
    articles that report it in ``also_in``."""
    mentions = [(d.value, d.text, a.sentence_of(d.sentence), a.id)
                for a in sorted(articles, key=lambda a: (a.published or "9999", a.source))
                for d in a.dates if d.value is not None]
    if not mentions:
        return []
    vectors = embedder.encode([m[2] for m in mentions])
    groups: list[tuple[int, list[str]]] = []  # (index of the quoted mention, article ids)
    for i, (value, _, sentence, article_id) in enumerate(mentions):
        for first, ids in groups:
            same = mentions[first][0] == value and (
                mentions[first][2] == sentence or float(vectors[i] @ vectors[first]) >= SAME_EVENT)
            if same:
                if article_id not in ids:
                    ids.append(article_id)
                break
        else:
            groups.append((i, [article_id]))
    events = [TimelineEvent(mentions[i][0], mentions[i][1], mentions[i][2], ids[0],
                            tuple(ids[1:])) for i, ids in groups]
    events.sort(key=lambda e: (e.date, -len(e.also_in)))
    return events
