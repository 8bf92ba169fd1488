"""Markdown and HTML renderings of a report dict. Every summary sentence and timeline entry names
the outlet (or, when the outlet is unknown, the source) it comes from."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape


def _names(report: dict[str, Any]) -> dict[str, str]:
    """How the brief names each article: its outlet, else its URL, else its file name."""
    return {a["id"]: a["outlet"] or _short(a["source"]) for a in report["articles"]}


def _short(source: str) -> str:
    return source if "://" in source else PurePath(source).name or source


def render_markdown(report: dict[str, Any]) -> str:
    names = _names(report)
    by_id = {a["id"]: a for a in report["articles"]}
    titles = {s["id"]: s["title"] for s in report["stories"]}
    lines = ["# corroborate brief", "",
             f"Generated {report['generated_at']} from {len(report['articles'])} article(s) in "
             f"{len(report['stories'])} story(ies).", ""]
    for story in report["stories"]:
        lines += [f"## {_md(story['title'])}", "", f"`{story['id']}`" + (
            f" · storyline `{story['storyline_id']}` with: " + "; ".join(
                _md(titles[s["id"]]) for s in report["stories"]
                if s["storyline_id"] == story["storyline_id"] and s["id"] != story["id"])
            if story["storyline_id"] else ""), ""]
        lines += ["### Articles", "", "| Outlet | Title | Published | Source | Note |",
                  "|---|---|---|---|---|"]
        for aid in story["article_ids"]:
            a = by_id[aid]
            note = f"copy of {names.get(a['duplicate_of'], a['duplicate_of'])}" \
                if a["duplicate_of"] else ""
            lines.append(f"| {_cell(a['outlet'] or '–')} | {_cell(a['title'] or '–')} | "
                         f"{a['published'] or '–'} | {_cell(a['source'])} | {_cell(note)} |")
        lines += ["", "### Summary", ""]
        lines += [f"- {_md(s['sentence'])} — *{_md(names[s['article_id']])}*"
                  for s in story["summary"]]
        if story.get("entities"):
            lines += ["", "### Main entities", "", ", ".join(
                f"{_md(e['name'])} ({e['label']}, {e['articles']} article(s))"
                for e in story["entities"])]
        if story.get("timeline"):
            lines += ["", "### Timeline", ""]
            lines += [f"- **{e['date']}** ({_md(e['text'])}): {_md(e['sentence'])} — "
                      f"*{_md(names[e['article_id']])}*" + (
                          "; also " + ", ".join(_md(names[i]) for i in e["also_in"])
                          if e["also_in"] else "") for e in story["timeline"]]
        lines.append("")
    if report["errors"]:
        lines += ["## Inputs that failed", ""]
        lines += [f"- `{_md(e['source'])}`: {_md(e['error'])}" for e in report["errors"]]
        lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    """Markdown-inert text: no tags, links or emphasis from article content."""
    out = str(text).replace("\\", "\\\\")
    for ch in "`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def _cell(text: str) -> str:
    return _md(text)


_ENV = Environment(loader=PackageLoader("corroborate.report", "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True))


def render_html(report: dict[str, Any]) -> str:
    """A self-contained page: inline CSS, no scripts, every piece of article text escaped."""
    by_id = {a["id"]: a for a in report["articles"]}
    return _ENV.get_template("report.html").render(
        report=report, names=_names(report), articles=by_id,
        titles={s["id"]: s["title"] for s in report["stories"]})
