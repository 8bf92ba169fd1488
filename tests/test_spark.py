"""`corroborate batch`: the Spark engine (local[2], one session for the module) gives the stories,
duplicates and verdicts of the in-process pipeline; the tables and the database are usable after it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

import corroborate
from corroborate.batch import ARTICLES, CLAIMS, STORIES
from corroborate.cli import main
from corroborate.pipeline import RunResult, ingest
from corroborate.report import build_report, validate
from corroborate.settings import Settings
from corroborate.store import open_store

from .conftest import EXAMPLES

pytestmark = pytest.mark.slow
pytest.importorskip("pyspark", reason="the [spark] extra is not installed (make setup installs it)")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from corroborate.spark import spark_session

    with spark_session("local[2]") as session:
        yield session


def outcome(report: dict[str, Any]) -> dict[str, Any]:
    """What must not depend on the engine: the partition of the articles into stories, the
    originals of copies, and each claim's verdict and independent sources per story."""
    return {
        "stories": {frozenset(s["article_ids"]) for s in report["stories"]},
        "duplicates": {(a["id"], a["duplicate_of"]) for a in report["articles"]},
        "verdicts": {(frozenset(s["article_ids"]), c["id"], c["verdict"], c["independent_sources"])
                     for s in report["stories"] for c in s["claims"]},
    }


def spark_run(spark: Any, paths: list[str], settings: Settings, out: Path) -> tuple[RunResult,
                                                                                    dict[str, Any]]:
    from corroborate import spark as engine

    store = open_store(settings.db)
    result = engine.run(paths, store, settings, out, spark)
    report = build_report(store, settings)
    store.close()
    return result, report


def test_examples_by_the_command_line_match_analyze(spark: Any, example_report: dict[str, Any],
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("corroborate.batch.STORY_CHUNK", 2)  # the tables in two chunks
    db, out = tmp_path / "b.db", tmp_path / "tables"
    result = CliRunner().invoke(main, ["batch", "--engine", "spark", str(EXAMPLES / "articles"),
                                       "--db", str(db), "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert "19 article(s) added" in result.stderr and "3 new" in result.stderr
    assert spark.sparkContext._jsc is not None, "the command stopped the session it did not start"

    shown = CliRunner().invoke(main, ["report", "--format", "json", "--db", str(db)])
    report = json.loads(shown.stdout)
    validate(report)
    expected = outcome(example_report)
    assert outcome(report) == expected
    assert len(expected["stories"]) == 3 and any(d for _, d in expected["duplicates"])
    assert {v for *_, v, _ in expected["verdicts"]} >= {"corroborated", "contested"}

    tables = {name: spark.read.parquet(str(out / name)) for name in ("articles", "stories",
                                                                     "claims")}
    for name, columns in (("articles", ARTICLES), ("stories", STORIES), ("claims", CLAIMS)):
        assert tables[name].columns == [c for c, _ in columns]
    articles = {r["id"]: r for r in tables["articles"].collect()}
    assert {(i, r["duplicate_of"]) for i, r in articles.items()} == expected["duplicates"]
    groups: dict[str, set[str]] = {}
    for i, r in articles.items():
        groups.setdefault(r["story_id"], set()).add(i)
    assert {frozenset(g) for g in groups.values()} == expected["stories"]
    assert all(r["text"] and r["sentences"] > 0 for r in articles.values())
    verdicts = {(r["story_id"], r["claim_id"], r["verdict"]) for r in tables["claims"].collect()}
    assert verdicts == {(s["id"], c["id"], c["verdict"]) for s in report["stories"]
                        for c in s["claims"]}
    stories = {r["id"]: r for r in tables["stories"].collect()}
    assert {s: r["articles"] for s, r in stories.items()} == \
        {s["id"]: len(s["article_ids"]) for s in report["stories"]}
    assert sum(r["contested"] for r in stories.values()) == \
        sum(c["verdict"] == "contested" for s in report["stories"] for c in s["claims"])


def test_seeds_match_analyze(spark: Any, seeds: Path, settings: Settings, tmp_path: Path) -> None:
    expected = corroborate.analyze([str(seeds)]).report()
    result, report = spark_run(spark, [str(seeds)], settings, tmp_path / "tables")
    assert len(result.added) == 5 and not result.failed
    assert outcome(report) == outcome(expected)
    assert len(report["stories"]) == 1 and report["stories"][0]["claims"]


def test_many_batches_into_a_stored_corpus_match_ingest(spark: Any, settings: Settings,
                                                        tmp_path: Path) -> None:
    """One article per batch (line counts and near duplicates across batches), a database that
    already holds one event (candidates from the store too), bad inputs, and a re-run."""
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES / "articles", folder)
    (folder / "bad.jsonl").write_text('{"text": "Fine line about the port strike today."}\n[1]\n')
    (folder / "chrome.txt").write_text("Leave a Reply\nShare this article\n×\n")
    small = settings.with_(batch_size=1)
    first = str(folder / "ardenza-rate-hike")

    in_process = open_store(tmp_path / "in-process.db")
    ingest([first], in_process, small)
    expected_run = ingest([str(folder)], in_process, small)
    expected = build_report(in_process, small)

    ingest([first], open_store(small.db), small)
    result, report = spark_run(spark, [str(folder)], small, tmp_path / "tables")
    assert outcome(report) == outcome(expected)
    assert sorted(result.added) == sorted(expected_run.added)
    assert result.duplicates == expected_run.duplicates and result.duplicates
    assert sorted(result.already) == sorted(expected_run.already)
    assert {r.source for r in result.rejected} == {r.source for r in expected_run.rejected} \
        == {f"{folder / 'bad.jsonl'}:2", str(folder / "chrome.txt")}
    assert {r.source for r in corroborate.Corpus.open(small.db, small).errors} >= \
        {str(folder / "chrome.txt")}

    again, _ = spark_run(spark, [str(folder)], small, tmp_path / "tables")
    assert again.added == [] and len(again.already) == len(expected_run.added) + len(
        expected_run.already)


def test_the_local_engine_writes_the_same_tables(seeds: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "tables"
    result = CliRunner().invoke(main, ["batch", str(seeds), "--db", str(tmp_path / "l.db"),
                                       "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    articles = pq.read_table(out / "articles").to_pylist()
    claims = pq.read_table(out / "claims").to_pylist()
    assert pq.read_table(out / "articles").schema.names == [c for c, _ in ARTICLES]
    assert len(articles) == 5 and len({a["story_id"] for a in articles}) == 1
    assert {c["verdict"] for c in claims} >= {"corroborated"}
    assert pq.read_table(out / "stories").num_rows == 1


def test_near_pairs_answer_as_the_store_would() -> None:
    from corroborate.pipeline import Prepared
    from corroborate.records import Article
    from corroborate.spark import NearPairs

    def prepared(i: str) -> Prepared:
        article = Article(id=i, source=i, format="text", content="", published="2026-01-0" + i[-1])
        return Prepared(article, np.full(4, int(i[-1]), dtype=np.uint64), np.zeros(2), frozenset())

    result = RunResult(duplicates={"a-2": "a-1"})
    near = NearPairs([("a-1", "a-3"), ("a-3", "a-2"), ("a-3", "a-4")], result, None,
                     {"a-1", "a-2", "a-3", "a-4"})
    near.will_store([prepared("a-2"), prepared("a-1")])
    near.will_store([prepared("a-3"), prepared("a-4")])
    found = near("a-3", [])
    assert [(c[0], c[2], c[3]) for c in found] == [("a-2", "a-1", "2026-01-02"),
                                                   ("a-1", None, "2026-01-01")]
    assert list(found[0][1]) == [2, 2, 2, 2]
    assert near("a-2", []) == [] and [c[0] for c in near("a-4", [])] == ["a-3"]
