"""`corroborate bench`: the corpus generator and the throughput and incremental measurements."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from corroborate.bench import default_sources, generate
from corroborate.cli import main
from corroborate.ingest import read_all
from corroborate.records import Article
from corroborate.settings import Settings


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generated_corpus_is_realistic_and_reproducible(tmp_path: Path, settings: Settings) -> None:
    summary = generate(80, tmp_path / "a", default_sources(), settings, seed=7)
    generate(80, tmp_path / "b", default_sources(), settings, seed=7)
    a = _files(tmp_path / "a")
    assert summary["articles"] == len(a) == 80
    assert a == _files(tmp_path / "b")
    assert summary["template_events"] >= 10 and 500 <= summary["mean_words"] <= 1000
    kinds = {name.rsplit(".", 1)[1] for name in a}
    assert kinds == {"html", "txt"}
    assert any(name.endswith("-copy.txt") for name in a)
    articles = [i for i in read_all([str(tmp_path / "a")], settings) if isinstance(i, Article)]
    assert len(articles) == 80
    assert all(x.published and x.outlet and x.title for x in articles)
    # people and places are renamed per synthetic event: the example names are gone
    text = "\n".join(a.values())
    assert "Valmora" not in text and "Ostrova" not in text


def test_bench_generate_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["bench", "generate", "--articles", "12", "--out",
                                       str(tmp_path / "gen"), "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert '"articles": 12' in result.output
    assert len(list((tmp_path / "gen").rglob("*.*"))) == 12


@pytest.mark.slow
def test_bench_throughput_reports_rate_memory_and_stages(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["bench", "throughput", "--articles", "40", "--work",
                                       str(tmp_path), "--json", "--set", "workers=1"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["articles"] == 40 and figures["stories"] >= 5
    assert figures["articles_per_second"] > 0 and figures["peak_rss_mib"] > 100
    # spaCy alone on the same clean texts, in the same run, and the pipeline's share of it
    assert figures["spacy_alone_articles_per_second"] > figures["articles_per_second"]
    assert figures["ratio_to_spacy_alone"] == pytest.approx(
        figures["articles_per_second"] / figures["spacy_alone_articles_per_second"], abs=0.01)
    stages = figures["stages"]
    assert set(stages) >= {"ingest", "clean", "dedup", "nlp", "claims", "embed", "stories",
                           "crosscheck"}
    assert stages["nlp"]["cpu_seconds"] > 0 and stages["crosscheck"]["cpu_seconds"] > 0
    assert abs(figures["model_share"] + figures["overhead_share"] - 1) < 0.01
    assert (tmp_path / "index.html").exists() and (tmp_path / "report.json").exists()


@pytest.mark.slow
def test_bench_incremental_builds_the_base_once_then_times_new_batches(tmp_path: Path) -> None:
    args = ["bench", "incremental", "--base", "25", "--batches", "1,3", "--work", str(tmp_path),
            "--json"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    figures = json.loads(first.output[first.output.index("{"):])
    assert figures["base_articles"] == 25
    runs = {(r["articles"], r["mode"]): r for r in figures["runs"]}
    assert set(runs) == {(1, "warm"), (1, "cold"), (3, "warm"), (3, "cold")}
    assert all(runs[(3, mode)]["added"] == 3 for mode in ("warm", "cold"))
    assert all(r["seconds"] > 0 for r in runs.values())
    assert runs[(3, "warm")]["cpu_seconds_by_stage"]["nlp"] > 0
    with sqlite3.connect(tmp_path / "base-25-1.db") as con:  # the new articles went in
        assert con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 25 + 2 * (1 + 3)


def test_stage_times_add_up_without_counting_nested_time_twice() -> None:
    import time

    from corroborate import timing

    def spin(seconds: float) -> None:
        end = time.process_time() + seconds
        while time.process_time() < end:
            pass

    timing.reset()
    with timing.stage("stories"):
        spin(0.05)
        with timing.stage("dedup"):
            spin(0.1)
        spin(0.05)
    spent = timing.reset()
    assert 0.09 <= spent["dedup"] < 0.2 and 0.09 <= spent["stories"] < 0.2
    assert list(timing.timed(iter([1, 2]), "ingest")) == [1, 2] and "ingest" in timing.reset()
