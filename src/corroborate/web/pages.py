"""The web pages: server-rendered with Jinja2 (autoescaped), readable without JavaScript.

``/`` lists the stories, ``/stories/{id}`` shows a brief (disagreements side by side first, key
facts, a coverage heat map and a timeline chart), ``/articles/{id}`` shows the clean text with its
claims highlighted and what the cleaner removed, struck through. ``/search`` searches the text.
Article text is untrusted: it only ever reaches a page through autoescaping (``highlight`` escapes
each piece before it adds its own ``<mark>``).
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from .. import __version__
from ..report import brief_json
from ..report.render import CELLS, KIND, VERDICTS, short_source
from ..store import MARK_END, MARK_START

router = APIRouter(include_in_schema=False)

_ENV = Environment(loader=PackageLoader("corroborate.web", "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True))
PAGE_SIZE = 50
CHART_MARGIN_DAYS = 45  # dated events this far before or after the reporting are charted
CELL_NAMES = {"reported": "reports this value", "disagrees": "reports a different value",
              "earlier": "reports an earlier value", "not_reported": "does not report it"}
COLUMNS = [("title", "Story"), ("first_published", "First"), ("last_published", "Last"),
           ("articles", "Articles"), ("outlets", "Outlets"), ("corroborated", "Corroborated"),
           ("single_source", "Single source"), ("contested", "Contested"), ("updated", "Updated")]


def _service(request: Request) -> Any:
    return request.app.state.service


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    page = _ENV.get_template(template).render(request=request, version=__version__,
                                              verdicts=VERDICTS, kinds=KIND, **context)
    return HTMLResponse(page, status_code=status)


def not_found_page(request: Request, message: str) -> HTMLResponse:
    return error_page(request, 404, message)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    title = {404: "Not found", 400: "Bad request"}.get(status, "Error")
    return render(request, "error.html", status=status, title=title, message=message)


# --- filters used by the templates ---------------------------------------------------------

def highlight(sentence: str, needles: list[str] | str) -> Markup:
    """``sentence`` escaped, with each occurrence of the needles (as written, any case) in
    <mark>."""
    words = [n for n in ([needles] if isinstance(needles, str) else needles) if n and n.strip()]
    if not words:
        return Markup(escape(sentence))
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)
    out, last = [], 0
    for m in pattern.finditer(sentence):
        out += [escape(sentence[last:m.start()]), Markup("<mark>"), escape(m.group(0)),
                Markup("</mark>")]
        last = m.end()
    out.append(escape(sentence[last:]))
    return Markup("").join(out)


def search_snippet(snippet: str) -> Markup:
    parts = re.split(f"({MARK_START}|{MARK_END})", snippet)
    return Markup("").join(Markup("<mark>") if p == MARK_START else Markup("</mark>")
                           if p == MARK_END else escape(p) for p in parts)


def safe_url(url: str | None) -> str | None:
    """A link target only for http(s) URLs; anything else (javascript:, data:) is shown as text."""
    if url and urlsplit(url).scheme in {"http", "https"}:
        return url
    return None


_ENV.filters.update(highlight=highlight, snippet=search_snippet, safe_url=safe_url)
_ENV.globals.update(by_outlet=lambda ids, names: by_outlet(ids, names))


# --- pages ----------------------------------------------------------------------------------

@router.get("/", response_class=HTMLResponse)
def stories_page(
    request: Request,
    since_text: Annotated[str, Query(alias="since", max_length=40)] = "",
    until_text: Annotated[str, Query(alias="until", max_length=40)] = "",
    outlet: Annotated[str | None, Query(max_length=500)] = None,
    contested: bool = False,
    sort: str = "first_seq",
    order: str = "asc",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The form sends empty fields; a date that does not parse is named on the page."""
    service = _service(request)
    store = service.store()
    if sort not in dict(COLUMNS):
        sort = "first_seq"
    order = "desc" if order == "desc" else "asc"
    problems = []
    since, until = _day(since_text), _day(until_text)
    for label, text, value in (("From", since_text, since), ("To", until_text, until)):
        if text.strip() and value is None:
            problems.append(f"“{text}” in {label} is not a date like 2026-03-04; it was ignored.")
    total, rows = store.story_page(
        since=since.isoformat() if since else None, until=until.isoformat() if until else None,
        outlet=outlet or None, contested=contested, sort=sort, descending=order == "desc",
        limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    filters = {"since": since.isoformat() if since else "", "until": until.isoformat() if until else "",
               "outlet": outlet or "", "contested": "1" if contested else ""}

    def link(**changes: Any) -> str:
        query = {**filters, "sort": sort, "order": order, "page": page, **changes}
        return "/?" + urlencode({k: v for k, v in query.items() if v not in ("", None)})

    headers = []
    for key, label in COLUMNS:
        current = sort == key
        headers.append({"key": key, "label": label, "current": current, "order": order,
                        "href": link(sort=key, order="desc" if current and order == "asc" else
                                     ("asc" if current or key == "title" else "desc"), page=1)})
    pages = max(1, -(-total // PAGE_SIZE))
    return render(request, "stories.html", rows=rows, total=total, filters=filters,
                  headers=headers, outlets=[o for o, _ in store.outlets()[:500]],
                  page=page, pages=pages, problems=problems, sort=sort, order=order,
                  prev=link(page=page - 1) if page > 1 else None,
                  next=link(page=page + 1) if page < pages else None,
                  pending=len(store.stale_briefs(service.fingerprint)))


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> HTMLResponse:
    service = _service(request)
    store = service.store()
    row = store.story(story_id)
    story = json.loads(brief_json(store, service.settings, row["id"]))
    cited = {i for c in story["claims"] for v in c["values"] for i in v["article_ids"]}
    meta = store.article_rows(sorted(set(story["article_ids"]) | cited))
    names = {a["id"]: a["outlet"] or short_source(a["source"]) for a in meta.values()}
    siblings = [s for s in store.stories_in_scope(row["storyline_id"]) if s["id"] != row["id"]] \
        if row["storyline_id"] else []
    disagreements = [c for c in story["claims"] if c["verdict"] in {"contested", "updated"}]
    facts = [c for c in story["claims"] if c["verdict"] in {"corroborated", "single_source"}]
    return render(request, "story.html", story=story, row=row, meta=meta, names=names,
                  siblings=siblings, disagreements=disagreements, facts=facts,
                  coverage=coverage_view(story, names), cells=CELLS, cell_names=CELL_NAMES,
                  chart=timeline_chart(story, meta, names))


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    store = _service(request).store()
    article = store.article(article_id)
    from ..api import article_view

    view = article_view(article)
    story = store.story(article.story_id) if article.story_id else None
    original = store.article_rows([article.duplicate_of]).get(article.duplicate_of or "") \
        if article.duplicate_of else None
    later = bool(original and article.published and original["published"]
                 and article.published > original["published"])
    return render(request, "article.html", article=view, story=story, original=original,
                  later_version=later, paragraphs=marked_paragraphs(view["text"], view["claims"]))


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: Annotated[str, Query(max_length=500)] = "",
                page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> HTMLResponse:
    store = _service(request).store()
    total, rows = store.search(q, limit=20, offset=(page - 1) * 20) if q.strip() else (0, [])
    pages = max(1, -(-total // 20))
    base = {"q": q}
    return render(request, "search.html", q=q, total=total, rows=rows, page=page, pages=pages,
                  prev="/search?" + urlencode({**base, "page": page - 1}) if page > 1 else None,
                  next="/search?" + urlencode({**base, "page": page + 1}) if page < pages else None)


# --- views ----------------------------------------------------------------------------------

def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def by_outlet(ids: list[str], names: dict[str, str]) -> list[tuple[str, str]]:
    """(outlet name, its first article id) for these articles, each outlet once."""
    seen: dict[str, str] = {}
    for i in ids:
        seen.setdefault(names.get(i, i), i)
    return list(seen.items())


def coverage_view(story: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """The coverage matrix with readable column and row labels."""
    ids = story["coverage"]["article_ids"]
    subjects = {c["id"]: c for c in story["claims"]}
    rows = [{"claim": subjects[r["claim_id"]], "cells": r["cells"]}
            for r in story["coverage"]["rows"] if r["claim_id"] in subjects]
    rows.sort(key=lambda r: (r["claim"]["verdict"] == "single_source",))
    return {"columns": [{"id": i, "name": names.get(i, i)} for i in ids], "rows": rows}


def marked_paragraphs(text: str, claims: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The text's paragraphs, each as pieces: plain text, or a claim sentence with its claims."""
    marks: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for c in claims:
        marks.setdefault((c["start"], c["end"]), []).append(c)
    spans = sorted(marks)
    paragraphs: list[list[dict[str, Any]]] = []
    offset = 0
    for para in text.split("\n\n"):
        start, end = offset, offset + len(para)
        offset = end + 2
        pieces: list[dict[str, Any]] = []
        pos = start
        for s, e in spans:
            s, e = max(s, start), min(e, end)
            if e <= s or s < pos:
                continue
            if s > pos:
                pieces.append({"text": text[pos:s]})
            pieces.append({"text": text[s:e], "claims": marks.get((s, e)) or _overlapping(marks, s, e)})
            pos = e
        if pos < end:
            pieces.append({"text": text[pos:end]})
        if pieces:
            paragraphs.append(pieces)
    return paragraphs


def _overlapping(marks: dict[tuple[int, int], list[dict[str, Any]]], s: int, e: int
                 ) -> list[dict[str, Any]]:
    return [c for (a, b), cs in marks.items() if a < e and b > s for c in cs]


def timeline_chart(story: dict[str, Any], meta: dict[str, dict[str, Any]], names: dict[str, str]
                   ) -> dict[str, Any] | None:
    """An SVG-ready layout: dated events from the text on one lane, when each outlet published
    on the lanes below, on one date axis. None when fewer than two dates are known."""
    def day(text: str | None) -> date | None:
        try:
            return date.fromisoformat(text) if text and len(text) == 10 else None
        except ValueError:
            return None

    published = [(d, a) for i in story["article_ids"] if (a := meta.get(i)) and (d := day(a["published"]))]
    events = [(d, e) for e in story["timeline"] if len(e["date"]) == 10 and (d := day(e["date"]))]
    if published:  # the reporting period and the weeks around it; the list below has the rest
        first, last = min(d for d, _ in published), max(d for d, _ in published)
        events = [(d, e) for d, e in events if -CHART_MARGIN_DAYS <= (d - first).days and
                  (d - last).days <= CHART_MARGIN_DAYS]
    points = [d for d, _ in events] + [d for d, _ in published]
    if len(set(points)) < 2:
        return None
    low, high = min(points), max(points)
    span = max(1, (high - low).days)
    width, left, right = 760, 170, 40

    def x(d: date) -> float:
        return round(left + (width - left - right) * (d - low).days / span, 1)

    outlets = list(dict.fromkeys(names.get(a["id"], a["id"]) for _, a in sorted(
        published, key=lambda p: p[0])))
    lanes: list[dict[str, Any]] = [{"label": "Dated in the text", "y": 30, "points": [
        {"x": x(d), "label": f"{e['date']}: {e['sentence'][:140]}", "kind": "event"} for d, e in events]}]
    for n, outlet in enumerate(outlets[:12]):
        lanes.append({"label": outlet, "y": 60 + 24 * n, "points": [
            {"x": x(d), "label": f"{outlet} published “{a['title'] or a['id']}” on {a['published']}",
             "kind": "published"} for d, a in published if names.get(a["id"], a["id"]) == outlet]})
    ticks = sorted({low, high, *(d for d, _ in published)})
    shown, last_x = [], -100.0
    for t in ticks:
        if x(t) - last_x >= 80:
            shown.append({"x": x(t), "label": t.isoformat()})
            last_x = x(t)
    height = lanes[-1]["y"] + 40
    return {"width": width, "height": height, "left": left, "lanes": lanes, "ticks": shown,
            "axis_y": height - 22}
