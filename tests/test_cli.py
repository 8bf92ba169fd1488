"""The command line, through click's runner (in-process) for speed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from corroborate.cli import main
from corroborate.report import validate

from .conftest import EXAMPLES

COMMANDS = ["analyze", "ingest", "batch", "stories", "show", "report"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0 and "--db" in out and len(out.splitlines()) > 5


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("analyze")[0] == 2  # no PATH
    code, _, err = run("stories", "--db", str(tmp_path / "x.db"), "--set", "story_treshold=1")
    assert code == 2 and "did you mean 'story_threshold'" in err
    assert run("report", "--db", str(tmp_path / "x.db"))[0] == 2  # --format missing


@pytest.mark.slow
def test_analyze_then_query_the_database(tmp_path: Path) -> None:
    db, out = tmp_path / "c.db", tmp_path / "out"
    code, _, err = run("analyze", str(EXAMPLES / "articles"), "--db", str(db), "--out", str(out))
    assert code == 0, err
    assert "19 article(s) added" in err and f"brief: {out / 'index.html'}" in err
    report = json.loads((out / "report.json").read_text())
    validate(report)
    assert (out / "report.md").read_text().startswith("# corroborate brief")
    assert "<!DOCTYPE html>" in (out / "index.html").read_text()

    code, listing, _ = run("stories", "--db", str(db), "--json")
    rows = json.loads(listing)
    assert code == 0 and {r["id"] for r in rows} == {s["id"] for s in report["stories"]}
    story = rows[0]["id"]

    code, shown, _ = run("show", story[:6], "--db", str(db))
    assert code == 0 and f"`{story}`" in shown and "### Summary" in shown

    code, single, _ = run("report", "--db", str(db), "--format", "json", "--story", story)
    data = json.loads(single)
    validate(data)
    assert [s["id"] for s in data["stories"]] == [story]

    target = tmp_path / "r.html"
    assert run("report", "--db", str(db), "--format", "html", "--out", str(target))[0] == 0
    assert target.read_text().count("<section") == 3

    code, _, err = run("show", "s-nonexistent", "--db", str(db))
    assert code == 1 and "no story 's-nonexistent'" in err


@pytest.mark.slow
def test_failed_inputs_exit_1_and_are_named(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(
        "Ferry Cuts Announced\n\nThe ferry company will run four crossings a day from February.\n")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01" * 100)
    code, _, err = run("ingest", str(tmp_path / "good.txt"), str(tmp_path / "bin.txt"),
                       str(tmp_path / "missing.html"), "--db", str(tmp_path / "c.db"))
    assert code == 1
    assert f"error: {tmp_path / 'bin.txt'}: ingest: binary" not in err  # one line, no stage noise
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert lines == [f"error: {tmp_path / 'bin.txt'}: binary file (NUL bytes), not an article "
                     "(give text, HTML, feed, JSONL or WARC files)",
                     f"error: {tmp_path / 'missing.html'}: no such file or directory"]
    assert "1 article(s) added" in err


@pytest.mark.slow
def test_a_run_where_every_input_fails_exits_1_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    code, _, err = run("analyze", str(tmp_path / "missing.html"), str(tmp_path / "empty.txt"),
                       "--db", str(tmp_path / "c.db"), "--out", str(tmp_path / "out"))
    assert code == 1 and "Traceback" not in err
    assert "0 article(s) added" in err and "2 input(s) failed" in err
    assert json.loads((tmp_path / "out" / "report.json").read_text())["errors"]


def test_missing_database_folder_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = run("stories", "--db", str(tmp_path / "no" / "such" / "c.db"))
    assert code == 1 and "does not exist" in err
