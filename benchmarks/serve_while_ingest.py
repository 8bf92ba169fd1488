"""`serve` reading while `ingest` writes: how many reads, whether any saw half a batch, how long
they took. The loop of tests/test_reliability.py, with its figures printed as JSON.

    .venv/bin/python benchmarks/serve_while_ingest.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import served  # noqa: E402
from tests.test_reliability import BATCH, _corpus_stored_whole, _ingest  # noqa: E402

from corroborate.settings import Settings  # noqa: E402
from corroborate.store import open_store  # noqa: E402


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        corpus = _corpus_stored_whole(folder, Settings(progress=False))
        total = len(list(corpus.iterdir()))
        db = str(folder / "live.db")
        open_store(db).close()
        seen: list[int] = []
        times: list[float] = []
        with served(db) as (port, _, _):
            writer = subprocess.Popen(_ingest(corpus, db), stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
            while writer.poll() is None:
                started = time.perf_counter()
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health") as r:
                    seen.append(json.loads(r.read())["articles"])
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stories?limit=5") as r:
                    r.read()
                times.append(time.perf_counter() - started)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    times.sort()
    print(json.dumps({
        "articles": total, "batch": BATCH, "reads": len(times),
        "distinct_counts": len(set(seen)),
        "half_batches": sum(1 for n in seen if n % BATCH and n != total),
        "p50_ms": round(times[len(times) // 2] * 1000, 1),
        "p99_ms": round(times[int(len(times) * 0.99)] * 1000, 1),
        "max_ms": round(times[-1] * 1000, 1),
    }))


if __name__ == "__main__":
    main()
