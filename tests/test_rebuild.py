"""eval/rebuild.py: the texts of a labelled corpus rebuilt from staged excerpts, and checked."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("rebuild", ROOT / "eval" / "rebuild.py")
rebuild = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rebuild)  # type: ignore[union-attr]


def test_the_plan_of_our_corpus_names_every_file_once() -> None:
    plan = rebuild.plan(ROOT / "eval" / "real")
    files = [row["file"] for rows in plan.values() for row in rows]
    assert len(files) == len(set(files)) == 79
    assert len(plan) == 19
    assert all(row["url"].startswith("http") for rows in plan.values() for row in rows)


def _corpus(tmp: Path) -> Path:
    corpus = tmp / "corpus"
    corpus.mkdir()
    (corpus / "README.md").write_text(
        "1. The queries:\n   1. `ferry aground Tarn Island`\n\n## Kept in the repo, and rebuilding\n\n"
        "| file | query | file | query |\n| --- | --- | --- | --- |\n| 001 | 1 | 002 | 1 |\n",
        encoding="utf-8")
    (corpus / "labels.json").write_text(json.dumps([
        {"file": "001.txt", "url": "https://a.example/ferry", "title": "Ferry aground",
         "notes": "store date prefix removed"},
        {"file": "002.txt", "url": "https://b.example/ferry", "title": None, "notes": ""}]),
        encoding="utf-8")
    (corpus / "events.json").write_text(json.dumps({"ferry": {"facts": [
        {"fact": "Passengers", "values_by_file": {"001.txt": "212 passengers",
                                                  "002.txt": "210 passengers"}}]}}),
        encoding="utf-8")
    return corpus


def test_write_drops_the_store_prefix_where_the_notes_say_so_and_check_finds_the_values(
        tmp_path: Path) -> None:
    corpus, staging, out = _corpus(tmp_path), tmp_path / "staging", tmp_path / "texts"
    staging.mkdir()
    (staging / "001.json").write_text(json.dumps(" date 2025-05-02 The ferry \u2019Aster\u2019 "
                                                 "ran aground with 212 passengers."))
    (staging / "002.json").write_text(json.dumps(" date 2025-05-02 About 210 passengers."))
    assert rebuild.write(corpus, staging, out) == []
    assert (out / "001.txt").read_text(encoding="utf-8").startswith("The ferry \u2019Aster\u2019")
    assert (out / "002.txt").read_text(encoding="utf-8").startswith(" date 2025-05-02")
    assert rebuild.check(corpus, out) == []
    assert rebuild.plan(corpus) == {"ferry aground Tarn Island": [
        {"file": "001.txt", "url": "https://a.example/ferry", "title": "Ferry aground"},
        {"file": "002.txt", "url": "https://b.example/ferry", "title": None}]}


def test_check_names_a_missing_file_and_a_value_not_found(tmp_path: Path) -> None:
    corpus, out = _corpus(tmp_path), tmp_path / "texts"
    out.mkdir()
    (out / "001.txt").write_text("The ferry ran aground with 200 passengers.", encoding="utf-8")
    problems = rebuild.check(corpus, out)
    assert problems == ["002.txt: missing (url https://b.example/ferry)",
                        "001.txt: value '212 passengers' of 'Passengers' (ferry) not found"]
