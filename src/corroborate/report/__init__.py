"""The report: one JSON document (``corroborate.report/1``, see schema.json) and its renderings
as Markdown and as a self-contained HTML page."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from ..crosscheck import crosscheck
from ..embed import get_embedder
from ..records import Article
from ..settings import Settings
from ..store import Store, now
from .brief import build_story
from .render import render_html, render_markdown

SCHEMA_ID = "corroborate.report/1"

__all__ = ["build_report", "article_dict", "render_html", "render_markdown", "schema",
           "validate", "SCHEMA_ID"]


def article_dict(a: Article) -> dict[str, Any]:
    return {"id": a.id, "source": a.source, "outlet": a.outlet, "title": a.title,
            "published": a.published, "story_id": a.story_id, "duplicate_of": a.duplicate_of,
            "text": a.text, "boilerplate": list(a.boilerplate)}


def build_report(store: Store, settings: Settings, story_ids: list[str] | None = None
                 ) -> dict[str, Any]:
    """The report of the whole store, or of the given stories only."""
    embedder = get_embedder(settings)
    every = store.stories()
    rows = [store.story(s) for s in story_ids] if story_ids else every
    members = {row["id"]: store.articles(row["id"]) for row in rows}
    stories, articles = [], []
    checked: dict[str, list[dict[str, Any]]] = {}  # storyline (or story) -> its claims
    for row in rows:
        scope = row["storyline_id"] or row["id"]
        if scope not in checked:  # claims are cross-checked over the whole storyline
            together = [a for s in every if (s["storyline_id"] or s["id"]) == scope
                        for a in members.get(s["id"]) or store.articles(s["id"])]
            checked[scope] = crosscheck(together, embedder)
        own = members[row["id"]]
        stories.append(build_story(row, own, embedder, settings, checked[scope]).to_dict())
        articles += own
    shown = {a.id for a in articles}
    if not story_ids:
        articles += [a for a in store.articles() if a.id not in shown]
    else:  # the other stories of a storyline that the claims' evidence comes from
        cited = {i for s in stories for c in s["claims"] for v in c["values"]
                 for i in v["article_ids"]}
        articles += [store.article(i) for i in sorted(cited - shown)]
    return {
        "schema": SCHEMA_ID,
        "generated_at": now(),
        "articles": [article_dict(a) for a in articles],
        "stories": stories,
        "errors": [r.to_report() for r in store.rejections()] if not story_ids else [],
    }


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("schema.json").read_text("utf-8"))


def validate(report: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when the report does not follow the schema."""
    import jsonschema

    jsonschema.validate(report, schema())
