"""Markdown and HTML renderings of a report dict. Every statement names the outlet (or, when the
outlet is unknown, the source) it comes from: summary sentences, timeline entries, and each value
of each claim with its evidence sentences."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

VERDICTS = {"contested": "Contested", "updated": "Updated", "corroborated": "Corroborated",
            "single_source": "Single source"}
CELLS = {"reported": "✓", "disagrees": "✗", "earlier": "↻", "not_reported": "·"}
EVIDENCE_SHOWN = 3  # evidence sentences shown per value; the JSON keeps up to 20
KIND = {"quantity": "figure", "role": "title", "quote": "quote", "attribution": "attribution",
        "event": "event", "date": "date", "other": "other"}


def _names(report: dict[str, Any]) -> dict[str, str]:
    """How the brief names each article: its outlet, else its URL, else its file name."""
    return {a["id"]: a["outlet"] or short_source(a["source"]) for a in report["articles"]}


def short_source(source: str) -> str:
    return source if "://" in source else PurePath(source).name or source


def disagreements(story: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in story["claims"] if c["verdict"] in {"contested", "updated"}]


def key_facts(story: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in story["claims"] if c["verdict"] in {"corroborated", "single_source"}]


def outlets_of(value: dict[str, Any], names: dict[str, str]) -> str:
    return ", ".join(dict.fromkeys(names[i] for i in value["article_ids"]))


def origins_note(value: dict[str, Any], articles: dict[str, dict[str, Any]]) -> str:
    """ " (via CP Wire)" for reports that rely on another origin than their own outlet: a wire they
    credit, a report they cite, or the original they copy."""
    relied = {e["origin"] for e in value["evidence"] if e.get("origin") and e["origin"] != (
        articles[e["article_id"]]["outlet"] or articles[e["article_id"]]["source"])}
    return f" (via {', '.join(sorted(short_source(r) for r in relied))})" if relied else ""


@dataclass(frozen=True)
class Part:
    """One story as the renderers need it: the story object, how to name and describe every
    article it refers to, and the other stories of its storyline (id, title)."""

    story: dict[str, Any]
    names: dict[str, str]
    articles: dict[str, dict[str, Any]]
    others: list[tuple[str, str]]


@dataclass(frozen=True)
class Head:
    """What the top of a brief says: when, how much, which stories, what failed."""

    generated_at: str
    articles: int
    index: list[dict[str, Any]]  # id, title, storyline_id, article_count of every story
    errors: list[dict[str, Any]]


def parts(report: dict[str, Any]) -> tuple[Head, list[Part]]:
    """A report held in memory, cut as the renderers take it."""
    names = _names(report)
    by_id = {a["id"]: a for a in report["articles"]}
    index = [{"id": s["id"], "title": s["title"], "storyline_id": s["storyline_id"],
              "article_count": len(s["article_ids"])} for s in report["stories"]]
    lines = storyline_members(index)
    head = Head(report["generated_at"], len(report["articles"]), index, report["errors"])
    return head, [Part(s, names, by_id, others(s, lines)) for s in report["stories"]]


def storyline_members(index: list[dict[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    lines: dict[str, list[tuple[str, str]]] = {}
    for row in index:
        if row["storyline_id"]:
            lines.setdefault(row["storyline_id"], []).append((row["id"], row["title"]))
    return lines


def others(story: dict[str, Any], lines: dict[str, list[tuple[str, str]]]
           ) -> list[tuple[str, str]]:
    return [o for o in lines.get(story["storyline_id"] or "", []) if o[0] != story["id"]]


def render_markdown(report: dict[str, Any]) -> str:
    head, stories = parts(report)
    return "".join(markdown_chunks(head, stories))


def markdown_chunks(head: Head, stories: Iterable[Part]) -> Iterator[str]:
    """The Markdown brief, a piece at a time (a story at a time)."""
    yield "\n".join(["# corroborate brief", "",
                     f"Generated {head.generated_at} from {head.articles} article(s) in "
                     f"{len(head.index)} story(ies).", ""])
    for part in stories:
        yield "\n" + "\n".join(_md_story(part))
    if head.errors:
        lines = ["## Inputs that failed", ""]
        lines += [f"- `{_md(e['source'])}`: {_md(e['error'])}" for e in head.errors]
        lines.append("")
        yield "\n" + "\n".join(lines)


def _md_story(part: Part) -> list[str]:
    story, names, by_id = part.story, part.names, part.articles
    lines = [f"## {_md(story['title'])}", "", f"`{story['id']}`" + (
        f" · storyline `{story['storyline_id']}` with: " + "; ".join(
            _md(title) for _, title in part.others)
        if story["storyline_id"] else ""), ""]
    lines += _md_claims(story, names, by_id)
    lines += ["### Articles", "", "| Outlet | Title | Published | Source | Note |",
              "|---|---|---|---|---|"]
    for aid in story["article_ids"]:
        a = by_id[aid]
        note = f"copy of {names.get(a['duplicate_of'], a['duplicate_of'])}" \
            if a["duplicate_of"] else ""
        lines.append(f"| {_md(a['outlet'] or '–')} | {_md(a['title'] or '–')} | "
                     f"{a['published'] or '–'} | {_md(a['source'])} | {_md(note)} |")
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
    return lines


def _md_claims(story: dict[str, Any], names: dict[str, str],
               by_id: dict[str, dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    contested = disagreements(story)
    if contested:
        lines += ["### Disagreements", ""]
        for c in contested:
            lines.append(f"- **{_md(c['subject'])}** ({KIND[c['kind']]}): "
                         f"{VERDICTS[c['verdict']].lower()}"
                         + (" — earliest first, current last" if c["verdict"] == "updated" else ""))
            for v in c["values"]:
                when = f", as of {v['as_of']}" if v["as_of"] else ""
                lines.append(f"  - **{_md(v['value'])}**{when} — {_md(outlets_of(v, names))}"
                             f"{_md(origins_note(v, by_id))}")
                lines += [f"    - “{_md(e['sentence'])}” — *{_md(names[e['article_id']])}*"
                          for e in v["evidence"][:EVIDENCE_SHOWN]]
                total = v.get("evidence_total", len(v["evidence"]))
                if total > EVIDENCE_SHOWN:
                    lines.append(f"    - … and {total - EVIDENCE_SHOWN} more sentence(s) "
                                 "(report.json has up to 20 per value)")
        lines.append("")
    facts = key_facts(story)
    if facts:
        lines += ["### Key facts", "", "| Verdict | Claim | Value | Sources | Evidence |",
                  "|---|---|---|---|---|"]
        for c in facts:
            v = c["values"][0]
            evidence = v["evidence"][0]
            lines.append(
                f"| {VERDICTS[c['verdict']]} | {_md(c['subject'])} | {_md(v['value'])} | "
                f"{c['independent_sources']}: {_md(outlets_of(v, names))}"
                f"{_md(origins_note(v, by_id))} | “{_md(evidence['sentence'])}” |")
        lines.append("")
    rows = [r for r, c in zip(story["coverage"]["rows"], story["claims"], strict=True)
            if c["verdict"] != "single_source"]
    if rows:
        ids = story["coverage"]["article_ids"]
        subjects = {c["id"]: c["subject"] for c in story["claims"]}
        lines += ["### Coverage", "", "✓ reported · ✗ disagrees · ↻ earlier value · · not "
                  "reported (single-source claims left out)", "",
                  "| Claim | " + " | ".join(_md(names[i]) for i in ids) + " |",
                  "|---|" + "---|" * len(ids)]
        lines += [f"| {_md(subjects[r['claim_id']])} | " + " | ".join(
            CELLS[c] for c in r["cells"]) + " |" for r in rows]
        lines.append("")
    return lines


def _md(text: str) -> str:
    """Markdown-inert text: no tags, links or emphasis from article content."""
    out = str(text).replace("\\", "\\\\")
    for ch in "`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


_ENV = Environment(loader=PackageLoader("corroborate.report", "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True))


def render_html(report: dict[str, Any]) -> str:
    """A self-contained page: inline CSS, no scripts, every piece of article text escaped."""
    head, stories = parts(report)
    return "".join(html_chunks(head, stories))


def html_chunks(head: Head, stories: Iterable[Part]) -> Iterator[str]:
    """The HTML brief, a piece at a time (Jinja renders the stories as they come)."""
    return _ENV.get_template("report.html").generate(
        head=head, stories=stories, verdicts=VERDICTS, cells=CELLS, kinds=KIND,
        disagreements=disagreements, key_facts=key_facts, outlets_of=outlets_of,
        origins_note=origins_note)
