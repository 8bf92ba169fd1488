"""The report: schema, provenance of every statement, and inert article text in every rendering."""

from __future__ import annotations

import copy
import re

import jsonschema
import pytest

import corroborate
from corroborate.report import render_html, render_markdown, schema, validate

pytestmark = pytest.mark.slow


def test_examples_report_validates(example_report: dict) -> None:
    validate(example_report)
    assert len(example_report["stories"]) == 3 and len(example_report["articles"]) == 19
    broken = copy.deepcopy(example_report)
    broken["stories"][0]["claims"] = [{"id": "c-1", "kind": "rumour"}]
    with pytest.raises(jsonschema.ValidationError):
        validate(broken)


def test_every_summary_and_timeline_line_is_traceable(example_report: dict) -> None:
    text = {a["id"]: a["text"] for a in example_report["articles"]}
    for story in example_report["stories"]:
        assert 1 <= len(story["summary"]) <= 5
        for line in story["summary"] + story["timeline"]:
            assert line["article_id"] in story["article_ids"]
            assert line["sentence"] in text[line["article_id"]]
        dates = [e["date"] for e in story["timeline"]]
        assert dates == sorted(dates)


def test_summary_spreads_over_outlets(example_report: dict) -> None:
    for story in example_report["stories"]:
        used = [s["article_id"] for s in story["summary"]]
        assert len(set(used)) >= 3 and max(map(used.count, used)) <= 3


def test_rate_story_brief_reads_right(example_report: dict) -> None:
    (story,) = [s for s in example_report["stories"] if "4.5" in s["title"] or "rate" in s["title"].lower()]
    names = {e["name"] for e in story["entities"]}
    assert {"Aurelio Vantini", "Central Bank of Ardenza"} <= names
    effective = {e["date"] for e in story["timeline"] if "effect" in e["sentence"] or "force" in e["sentence"]}
    assert "2026-03-03" in effective and "2026-03-10" in effective  # the planted date disagreement


def test_markdown_and_html_name_their_sources(example_report: dict) -> None:
    md = render_markdown(example_report)
    html = render_html(example_report)
    for story in example_report["stories"]:
        assert story["title"].replace("%", "%") in md
    assert "— *Northwind Gazette*" in md and "copy of Northwind Gazette" in md
    assert "<script" not in html and "Content-Security-Policy" in html
    assert html.count("<section") == 3


def test_hostile_article_text_is_inert(tmp_path) -> None:  # type: ignore[no-untyped-def]
    evil = tmp_path / "evil.txt"
    evil.write_text("<script>alert(1)</script> Port <b>Strike</b> Ends\n\n"
                    "The strike ended on Friday <img src=x onerror=alert(2)> after talks, and the "
                    "union said [a link](javascript:alert(3)) members would return to work.\n")
    corpus = corroborate.analyze([str(evil)])
    report = corpus.report()
    html, md = render_html(report), render_markdown(report)
    assert "<script>" not in html and "<img" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert not re.search(r"(?<!\\)<(img|script)|(?<!\\)\]\(javascript", md)
    assert "\\<script\\>" in md  # shown, escaped


def test_schema_is_shipped_in_the_package() -> None:
    assert schema()["properties"]["schema"]["const"] == "corroborate.report/1"


@pytest.mark.parametrize("source", ["examples", "seeds"])
def test_the_streamed_brief_is_the_report_rendered_in_memory(source: str, seeds, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """analyze writes its three files a story at a time (memory of one story, not of the whole
    store); they must be exactly what rendering the whole report in memory gives."""
    import json

    from corroborate.report import build_report, write_brief
    from corroborate.settings import load

    from .conftest import EXAMPLES

    folder = tmp_path / "in"
    folder.mkdir()
    for f in (EXAMPLES / "articles" if source == "examples" else seeds).rglob("*.*"):
        target = folder / f.relative_to(f.parents[1] if source == "examples" else f.parent)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f.read_bytes())
    (folder / "broken.jsonl").write_text("{not json\n")  # an input that fails, listed at the end
    settings = load(progress=False).with_(db=str(tmp_path / "s.db"))
    corpus = corroborate.analyze([str(folder)], db=settings.db, settings=settings)
    stories, articles = write_brief(corpus.store, settings, tmp_path / "out")
    report = build_report(corpus.store, settings)
    written = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    report["generated_at"] = written["generated_at"]
    assert written == report and report["errors"] and len(report["stories"]) == stories >= 1
    assert articles == len(report["articles"])
    assert (tmp_path / "out" / "report.json").read_text(encoding="utf-8") == \
        json.dumps(report, indent=2, ensure_ascii=False)
    assert (tmp_path / "out" / "report.md").read_text(encoding="utf-8") == render_markdown(report)
    assert (tmp_path / "out" / "index.html").read_text(encoding="utf-8") == render_html(report)
    assert not list((tmp_path / "out").glob("*.tmp"))
