"""CPU time to rebuild one storyline's briefs (claims cross-checked over the whole storyline), for
the largest, the median and the smallest storyline of a store: what one new article in that
storyline costs on top of placing it. Works on a copy; prints JSON.

    .venv/bin/python benchmarks/storyline_briefs.py --db build/inc.db
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from corroborate.report import build_briefs
from corroborate.settings import load
from corroborate.store import open_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="an SQLite store (it is copied, not changed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "copy.db")
        shutil.copy(args.db, db)
        settings = load(progress=False).with_(db=db)
        store = open_store(db)
        lines = store.db.execute(
            "SELECT storyline_id, COUNT(*), SUM(articles) FROM stories WHERE storyline_id IS NOT "
            "NULL GROUP BY storyline_id ORDER BY COUNT(*) DESC, SUM(articles) DESC").fetchall()

        def first_story(line: str) -> str:
            return str(store.db.execute("SELECT id FROM stories WHERE storyline_id = ? LIMIT 1",
                                        (line,)).fetchone()[0])

        build_briefs(store, settings, [first_story(lines[0][0])])  # models loaded, caches warm
        runs = []
        for name, (line, stories, articles) in (("largest", lines[0]),
                                                ("median", lines[len(lines) // 2]),
                                                ("smallest", lines[-1])):
            started = time.process_time()
            build_briefs(store, settings, [first_story(line)])
            runs.append({"storyline": name, "stories": stories, "articles": articles,
                         "cpu_seconds": round(time.process_time() - started, 2)})
        store.close()
    print(json.dumps({
        "storylines": len(lines),
        "median_stories": statistics.median(r[1] for r in lines),
        "median_articles": statistics.median(r[2] for r in lines),
        "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
