"""Concurrency and load: `serve` reading while `ingest` writes (WAL) never sees half a batch and
never waits long; a mixed read/write load loses nothing. The long runs (10,000 requests) are
benchmarks/mixed_load.py; their figures are in docs/reliability.md."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from corroborate.bench import default_sources, generate
from corroborate.settings import Settings
from corroborate.store import open_store

from .conftest import copy_db, served

pytestmark = pytest.mark.slow
BATCH = 5


def _ingest(corpus: Path, db: str) -> list[str]:
    return [sys.executable, "-m", "corroborate", "ingest", str(corpus), "--db", db,
            "--set", f"batch_size={BATCH}", "--set", "progress=false"]


def _corpus_stored_whole(tmp_path: Path, settings: Settings) -> Path:
    """Generated articles, keeping only files that a run stores as one article each (no copies
    of stored content, nothing rejected), so every committed batch adds exactly BATCH articles."""
    generated = tmp_path / "generated"
    generate(90, generated, default_sources(), settings, seed=4)
    probe = str(tmp_path / "probe.db")
    subprocess.run(_ingest(generated, probe), capture_output=True, check=False)
    store = open_store(probe)
    stored = {r[0] for r in store.db.execute("SELECT source FROM articles")}
    store.close()
    kept = tmp_path / "kept"
    kept.mkdir()
    for path in sorted(generated.rglob("*")):
        if str(path) in stored:
            shutil.copy(path, kept / f"{len(list(kept.iterdir())):03d}-{path.name}")
    return kept


def test_serve_reads_while_ingest_writes_never_see_half_a_batch(tmp_path: Path,
                                                                settings: Settings) -> None:
    corpus = _corpus_stored_whole(tmp_path, settings)
    total = len(list(corpus.iterdir()))
    assert total >= 40
    db = str(tmp_path / "live.db")
    open_store(db).close()
    seen: list[int] = []
    slowest = 0.0
    with served(db) as (port, _, _):
        writer = subprocess.Popen(_ingest(corpus, db), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        while writer.poll() is None:
            started = time.perf_counter()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=30) as r:
                seen.append(json.loads(r.read())["articles"])
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stories?limit=5",
                                        timeout=30) as r:
                assert r.status == 200
            slowest = max(slowest, time.perf_counter() - started)
        _, err = writer.communicate()
        assert writer.returncode == 0, err
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=30) as r:
            seen.append(json.loads(r.read())["articles"])
    assert seen[-1] == total
    assert all(n % BATCH == 0 or n == total for n in seen), sorted(set(seen))  # whole batches
    assert len(set(seen)) >= 4, "the reads did not overlap the writes"
    assert slowest < 3.0, f"a read waited {slowest:.1f} s for the writer"


def test_a_mixed_load_of_reads_and_writes_loses_nothing(examples_db: Path, tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from mixed_load import run

    db = copy_db(examples_db, tmp_path / "load.db")
    result = run(str(db), requests=400, clients=20, writes=0.05, seed=3)
    assert result["errors"] == 0, result["statuses"]
    assert result["writes_accepted"] == result["writes_sent"] > 0
    assert result["lost"] == 0 and result["articles_after"] == (
        result["articles_before"] + result["writes_accepted"])
