from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from corroborate.settings import Settings, load

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
# A PostgreSQL server for the store's tests (a role that may create databases). Read here, before
# the autouse fixture below hides CORROBORATE_* variables from each test. When unset, the tests
# start a throwaway server with .ci/postgres; they skip PostgreSQL only when that cannot work.
TEST_POSTGRES = os.environ.get("CORROBORATE_TEST_POSTGRES", "")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def shared_dir(name: str, variable: str) -> Path | None:
    """A folder of ../shared beside the checkout (or of /work/shared, for a clone made elsewhere),
    or the one ``variable`` names."""
    for candidate in (os.environ.get(variable), ROOT.parent / "shared" / name,
                      Path("/work/shared") / name):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def seeds_dir() -> Path:
    """The five real articles of the acceptance case: ../shared/seeds beside the checkout, or
    $CORROBORATE_SEEDS."""
    found = shared_dir("seeds", "CORROBORATE_SEEDS")
    if found is None:
        raise RuntimeError("the seed articles were not found: put them in ../shared/seeds beside "
                           "the checkout or set CORROBORATE_SEEDS")
    return found


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


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server: $CORROBORATE_TEST_POSTGRES (which must work), else a
    throwaway one started with .ci/postgres (skipped only when no server can be started)."""
    if TEST_POSTGRES:
        _check_server(TEST_POSTGRES)
        yield TEST_POSTGRES
        return
    folder = tempfile.mkdtemp(prefix="corroborate-pg-")  # in /tmp: the server's user must reach it
    script = str(ROOT / ".ci" / "postgres")
    try:
        started = subprocess.run([script, "start", folder], capture_output=True, text=True,
                                 timeout=120)
        if started.returncode != 0:
            pytest.skip("no PostgreSQL server could be started here (install Debian's postgresql "
                        f"or set CORROBORATE_TEST_POSTGRES): {started.stderr.strip()[-300:]}")
        yield started.stdout.strip()
    finally:
        subprocess.run([script, "stop", folder], capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


def _check_server(url: str) -> None:
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=10).close()
    except psycopg.Error as err:
        pytest.fail(f"CORROBORATE_TEST_POSTGRES={url} does not answer: {err}")


_databases = itertools.count(1)


def _create_database(server: str) -> tuple[str, str]:
    """A new, empty database on the server: its name and URL."""
    import psycopg

    name = f"corroborate_test_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    return name, urlsplit(server)._replace(path="/" + name).geturl()


def _drop_databases(server: str, names: list[str]) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        for name in names:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def new_db(request: pytest.FixtureRequest) -> Iterator[Callable[[str], str]]:
    """``new_db(name)``: the URL of a new, empty PostgreSQL database (dropped after the test)."""
    server = request.getfixturevalue("postgres_server")
    made: list[str] = []

    def make(name: str) -> str:
        db, url = _create_database(server)
        made.append(db)
        return url

    yield make
    _drop_databases(server, made)


@pytest.fixture
def postgres_db(new_db: Callable[[str], str]) -> str:
    """The URL of a new, empty PostgreSQL database."""
    return new_db("test")


@pytest.fixture(params=BACKENDS)
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], str]:
    """``any_db(name)``: a new, empty database on each backend in turn (an SQLite file in the
    test's folder, then a PostgreSQL database)."""
    if request.param == "sqlite":
        return lambda name: str(tmp_path / f"{name}.db")
    maker: Callable[[str], str] = request.getfixturevalue("new_db")
    return maker


@pytest.fixture
def db_url(any_db: Callable[[str], str]) -> str:
    """An empty database on each backend in turn."""
    return any_db("test")


@pytest.fixture
def db_settings(settings: Settings, db_url: str) -> Settings:
    """The test settings, on each backend in turn."""
    return settings.with_(db=db_url)


@contextmanager
def served(db: str, *extra: str, timeout: float = 30) -> Iterator[tuple[int, dict[str, Any], list[str]]]:
    """`corroborate serve --db DB` on a free port, once /health answers: (port, health, the
    lines it wrote to stderr, filled in when it has stopped)."""
    import json
    import socket
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [str(Path(sys.executable).with_name("corroborate")), "serve", "--db", db,
               "--port", str(port), *extra]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    stderr: list[str] = []
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as r:
                    health = json.loads(r.read())
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "serve did not start"
                time.sleep(0.2)
        yield port, health, stderr
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
        stderr += err.splitlines()
