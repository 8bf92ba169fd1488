"""Memory of a long streaming ingest: is it flat in N?

Runs ``corroborate ingest CORPUS --db DB`` in a subprocess and, every --every seconds, records how
many articles are stored and the resident memory of the ingest and all its worker processes.
Stops after --minutes (the run can be resumed later with the same command: ingest skips what is
stored) or when the ingest ends, and prints the samples as JSON.

    .venv/bin/python benchmarks/stream_memory.py --corpus build/gen100k --db build/stream.db \
        --minutes 60 --every 30
"""

from __future__ import annotations

import argparse
import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from corroborate.bench import machine, tree_rss


def stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return int(con.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--every", type=float, default=30)
    args = parser.parse_args()
    db = Path(args.db)
    start_count = stored(db)
    command = [sys.executable, "-m", "corroborate", "ingest", args.corpus, "--db", str(db),
               "--set", "progress=false"]
    # SIGINT back to its default: a job started in the background inherits it ignored
    log = db.with_name(db.name + ".log").open("w")  # its stderr (never a full pipe)
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log,
                            text=True, preexec_fn=lambda: signal.signal(signal.SIGINT,
                                                                         signal.SIG_DFL))
    start = time.time()
    samples = []
    peak = 0
    while proc.poll() is None and time.time() - start < args.minutes * 60:
        time.sleep(args.every)
        rss = tree_rss(proc.pid)
        peak = max(peak, rss)
        samples.append({"seconds": round(time.time() - start), "articles": stored(db),
                        "rss_mib": round(rss / 2 ** 20)})
        print(json.dumps(samples[-1]), file=sys.stderr, flush=True)
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)  # rolls back the batch in flight; a rerun resumes
        proc.wait(timeout=120)
    done = stored(db)
    elapsed = time.time() - start
    print(json.dumps({"benchmark": "stream_memory", "command": " ".join(command),
                      "articles_at_start": start_count, "articles_at_end": done,
                      "seconds": round(elapsed), "articles_per_second":
                      round((done - start_count) / elapsed, 2),
                      "peak_rss_mib": round(peak / 2 ** 20), "finished": proc.returncode == 0,
                      "samples": samples, "machine": machine()}, indent=2))


if __name__ == "__main__":
    main()
