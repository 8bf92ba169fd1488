from __future__ import annotations

import os
from pathlib import Path

import pytest

from corroborate.settings import Settings, load

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def seeds_dir() -> Path:
    """The five real articles of the acceptance case: ../shared/seeds beside the checkout, or
    $CORROBORATE_SEEDS."""
    for candidate in (os.environ.get("CORROBORATE_SEEDS"), ROOT.parent / "shared" / "seeds",
                      Path("/work/shared/seeds")):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    raise RuntimeError("the seed articles were not found: put them in ../shared/seeds beside the "
                       "checkout or set CORROBORATE_SEEDS")


@pytest.fixture(scope="session")
def seeds() -> Path:
    return seeds_dir()


def seed(prefix: str) -> Path:
    return next(seeds_dir().glob(f"{prefix}_*"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load(env={}, db=str(tmp_path / "test.db"), progress=False)


@pytest.fixture(autouse=True)
def _no_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never pick up a developer's corroborate.toml or CORROBORATE_* variables."""
    for key in list(os.environ):
        if key.startswith("CORROBORATE_") and key != "CORROBORATE_SEEDS":
            monkeypatch.delenv(key)


@pytest.fixture(scope="session")
def example_corpus():  # type: ignore[no-untyped-def]
    """The bundled examples, analysed once for the session (in memory)."""
    import corroborate

    corpus = corroborate.analyze([str(EXAMPLES / "articles")])
    yield corpus
    corpus.close()


@pytest.fixture(scope="session")
def example_report(example_corpus):  # type: ignore[no-untyped-def]
    return example_corpus.report()


def labels() -> dict:
    import json

    return json.loads((EXAMPLES / "labels.json").read_text())


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled examples analysed once into a database file (the server needs a file)."""
    import corroborate

    path = tmp_path_factory.mktemp("served") / "examples.db"
    corroborate.analyze([str(EXAMPLES / "articles")], db=path).close()
    return path


def copy_db(source: Path, target: Path) -> Path:
    """A consistent copy of a database (SQLite's backup API, WAL included)."""
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target
