"""The report: one JSON document (``corroborate.report/1``, see schema.json) and its renderings
as Markdown and as a self-contained HTML page."""

from __future__ import annotations

import hashlib
import json
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from ..crosscheck import crosscheck
from ..embed import get_embedder
from ..errors import NotFound
from ..records import Article
from ..settings import Settings
from ..store import Store, now
from .brief import build_story
from .render import (
    Head,
    Part,
    html_chunks,
    markdown_chunks,
    others,
    render_html,
    render_markdown,
    short_source,
    storyline_members,
)

SCHEMA_ID = "corroborate.report/1"

__all__ = ["build_report", "write_report", "write_brief", "build_briefs", "refresh_briefs",
           "brief_json", "story_briefs", "fingerprint", "article_dict", "render_html",
           "render_markdown", "schema", "validate", "SCHEMA_ID"]


def article_dict(a: Article) -> dict[str, Any]:
    return {"id": a.id, "source": a.source, "outlet": a.outlet, "title": a.title,
            "published": a.published, "story_id": a.story_id, "duplicate_of": a.duplicate_of,
            "text": a.text, "boilerplate": list(a.boilerplate)}


def fingerprint(settings: Settings) -> str:
    """What a stored brief depends on besides the articles: this version and the settings used
    when it is built. A brief built otherwise is rebuilt."""
    from .. import __version__

    key = f"{__version__}|{settings.embedder}|{settings.summary_sentences}|{SCHEMA_ID}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def build_briefs(store: Store, settings: Settings, story_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Build (and store) the briefs of these stories and of the others of their storylines.

    Claims are cross-checked over a whole storyline at once. A brief is stored only if its
    storyline did not change while it was built (a concurrent ingest); it is returned either way.
    """
    return build_scopes(store, settings, sorted(store.scopes_of(story_ids)))


def build_scopes(store: Store, settings: Settings, scopes: Iterable[str]
                 ) -> dict[str, dict[str, Any]]:
    """Build (and store) the briefs of every story of these scopes (storylines, or stories in
    none), as :func:`build_briefs`."""
    embedder = get_embedder(settings)
    built: dict[str, dict[str, Any]] = {}
    for scope in scopes:
        members = store.stories_in_scope(scope)
        state = store.scope_state(scope)
        articles = {r["id"]: store.articles(r["id"]) for r in members}
        claims = crosscheck([a for r in members for a in articles[r["id"]]], embedder)
        home = homes(claims, {r["id"]: {a.id for a in articles[r["id"]]} for r in members})
        stories = [build_story(r, articles[r["id"]], embedder, settings,
                               [c for c in claims if home[c["id"]] == r["id"]]).to_dict()
                   for r in members]
        with store.transaction():
            if store.scope_state(scope) == state:
                store.save_briefs(scope, fingerprint(settings), stories)
        built.update((s["id"], s) for s in stories)
    return built


def homes(claims: list[dict[str, Any]], stories: dict[str, set[str]]) -> dict[str, str]:
    """The one story of a storyline whose brief shows each claim: for an update, the story whose
    articles give the current value (with the storyline's history before it); else the story
    whose articles give the claim most often (the first of the storyline on a tie)."""
    out = {}
    order = list(stories)
    for c in claims:
        values = c["values"][-1:] if c["verdict"] == "updated" else c["values"]
        cited = [i for v in values for i in v["article_ids"]]
        out[c["id"]] = max(order, key=lambda s: (sum(i in stories[s] for i in cited),
                                                 -order.index(s)))
    return out


def refresh_briefs(store: Store, settings: Settings, story_ids: Iterable[str] | None = None) -> int:
    """Build the briefs that are missing or stale (of these stories, or of all); returns how many
    stories were built."""
    scopes = stale_scopes(store, settings, story_ids)
    return len(build_scopes(store, settings, scopes)) if scopes else 0


def stale_scopes(store: Store, settings: Settings, story_ids: Iterable[str] | None = None
                 ) -> list[str]:
    """The scopes whose briefs :func:`refresh_briefs` builds: those of the stories (of these,
    or of all) whose brief is missing or stale."""
    stale = set(store.stale_briefs(fingerprint(settings)))
    if story_ids is not None:
        stale &= set(story_ids)
    return sorted(store.scopes_of(stale)) if stale else []


def brief_json(store: Store, settings: Settings, story_id: str) -> str:
    """The story object of the report JSON as JSON text: stored, or built now."""
    body = store.brief(story_id, fingerprint(settings))
    if body is None:
        built = build_briefs(store, settings, [story_id])
        if story_id not in built:
            raise NotFound(f"no story '{story_id}'", hint="`corroborate stories` lists the ids")
        return json.dumps(built[story_id], ensure_ascii=False)
    return body


def story_briefs(store: Store, settings: Settings, story_ids: list[str]) -> list[dict[str, Any]]:
    """The story objects of the report JSON for these stories, in this order."""
    key = fingerprint(settings)
    found: dict[str, dict[str, Any]] = {}
    for story_id in story_ids:
        body = store.brief(story_id, key)
        if body is not None:
            found[story_id] = json.loads(body)
    missing = [s for s in story_ids if s not in found]
    if missing:
        found.update(build_briefs(store, settings, missing))
    return [found[s] for s in story_ids]


def build_report(store: Store, settings: Settings, story_ids: list[str] | None = None
                 ) -> dict[str, Any]:
    """The report of the whole store, or of the given stories only."""
    ids = [store.story(s)["id"] for s in story_ids] if story_ids else \
        [r["id"] for r in store.stories()]
    stories = story_briefs(store, settings, ids)
    articles = [a for s in ids for a in store.articles(s)]
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


def write_report(store: Store, settings: Settings, outputs: Mapping[str, TextIO]
                 ) -> tuple[int, int]:
    """Write the report of the whole store in the formats asked (``json``, ``md``, ``html``:
    the stream to write each to), a story at a time: memory stays that of the largest story,
    whatever the size of the store. The text is the same as rendering :func:`build_report` (a
    test holds them together). Returns the number of stories and of articles."""
    rows = store.stories()
    ids = [r["id"] for r in rows]
    head = Head(now(), store.count_articles(), [
        {"id": r["id"], "title": r["title"], "storyline_id": r["storyline_id"],
         "article_count": r["articles"]} for r in rows],
        [r.to_report() for r in store.rejections()])
    lines = storyline_members(head.index)

    def stories() -> Iterator[Part]:
        for story_id in ids:
            story = story_briefs(store, settings, [story_id])[0]
            own = {a.id: article_dict(a) for a in store.articles(story_id)}
            cited = _referenced(story) | {a["duplicate_of"] for a in own.values()
                                          if a["duplicate_of"]}
            described = {**store.article_rows(sorted(cited - set(own))), **own}
            names = {i: a["outlet"] or short_source(a["source"]) for i, a in described.items()}
            yield Part(story, names, described, others(story, lines))

    for fmt, out in outputs.items():
        if fmt == "json":
            _write_json(store, settings, head, ids, out)
        elif fmt == "md":
            out.writelines(markdown_chunks(head, stories()))
        elif fmt == "html":
            out.writelines(html_chunks(head, stories()))
        else:
            raise ValueError(f"unknown report format {fmt!r}")
    return len(ids), head.articles


def write_brief(store: Store, settings: Settings, folder: Path) -> tuple[int, int]:
    """report.json, report.md and index.html of the whole store in ``folder``, each replaced
    only once it is complete. Returns the number of stories and of articles."""
    folder.mkdir(parents=True, exist_ok=True)
    names = {"json": "report.json", "md": "report.md", "html": "index.html"}
    temps = {fmt: folder / (name + ".tmp") for fmt, name in names.items()}
    with ExitStack() as files:
        streams = {fmt: files.enter_context(path.open("w", encoding="utf-8"))
                   for fmt, path in temps.items()}
        counts = write_report(store, settings, streams)
    for fmt, path in temps.items():
        path.replace(folder / names[fmt])
    return counts


def _write_json(store: Store, settings: Settings, head: Head, ids: list[str],
                out: TextIO) -> None:
    out.write('{\n  "schema": ' + json.dumps(SCHEMA_ID) + ',\n  "generated_at": ' +
              json.dumps(head.generated_at) + ',\n  "articles": [')
    first = True
    for story_id in [*ids, None]:
        for a in (store.articles(story_id) if story_id else store.articles_outside_stories()):
            out.write(("\n" if first else ",\n") + _nested(article_dict(a)))
            first = False
    out.write(("\n  " if not first else "") + '],\n  "stories": [')
    for n, story_id in enumerate(ids):
        story = story_briefs(store, settings, [story_id])[0]
        out.write(("\n" if n == 0 else ",\n") + _nested(story))
    out.write(("\n  " if ids else "") + '],\n  "errors": ' +
              _nested(head.errors, "  ").lstrip() + "\n}")


def _nested(value: Any, indent: str = "    ") -> str:
    """``value`` as ``json.dumps(report, indent=2)`` writes it inside the report's lists."""
    return textwrap.indent(json.dumps(value, indent=2, ensure_ascii=False), indent)


def _referenced(value: Any) -> set[str]:
    """Every article id a story object refers to."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "article_id" and isinstance(item, str):
                found.add(item)
            elif key in {"article_ids", "also_in"} and isinstance(item, list):
                found.update(i for i in item if isinstance(i, str))
            else:
                found |= _referenced(item)
    elif isinstance(value, list):
        for item in value:
            found |= _referenced(item)
    return found


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("schema.json").read_text("utf-8"))


def validate(report: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when the report does not follow the schema."""
    import jsonschema

    jsonschema.validate(report, schema())
