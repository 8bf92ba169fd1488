"""The corpus generator behind `corroborate bench generate`."""

from __future__ import annotations

from pathlib import Path

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
