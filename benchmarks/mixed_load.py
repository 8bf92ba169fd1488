"""A bounded load run against `corroborate serve` on 127.0.0.1.

Builds a database from the bundled examples (or uses --db), starts `corroborate serve` on a free
port and sends --requests requests from --clients concurrent clients: a mix of reads (health,
story list with filters and sorts, a story, claims, an article, search, the HTML pages) and
writes (POST /api/articles with a new article each, --writes of them). Afterwards it counts the
articles: every accepted write must be there (nothing lost). Prints JSON: requests, errors,
writes accepted and found, and p50/p99/max latency per kind of request.

    .venv/bin/python benchmarks/mixed_load.py --requests 10000 --clients 50 --writes 0.05

(benchmarks/load.py measures reads alone, over a large database, with a lighter client.)
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import served  # noqa: E402

TOWNS = ["Averly", "Brenn", "Castrel", "Dunmore", "Estravia", "Valmora", "Kestrel", "Tidewater"]


def new_article(n: int) -> dict[str, str]:
    """A short article of our own, different for every n."""
    town = TOWNS[n % len(TOWNS)]
    return {
        "title": f"{town} council approves budget line {n}",
        "outlet": f"Load Test Gazette {n % 7}",
        "published": f"2026-0{1 + n % 9}-1{n % 10}",
        "text": (f"The {town} council approved {n + 3} new bus routes on Tuesday, its mayor said. "
                 f"The plan costs ${(n % 90) + 10} million and adds {n % 40 + 2} drivers.\n\n"
                 f"\"We will start in spring,\" said Mayor Lena Orr{n}, who proposed the routes. "
                 f"Opposition members said the fares would rise by {n % 12 + 1}% next year."),
    }


def request(port: int, method: str, path: str, body: Any = None) -> tuple[int, float]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                 headers={"Content-Type": "application/json"} if data else {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=120) as reply:
            reply.read()
            status = reply.status
    except urllib.error.HTTPError as err:
        status = err.code
    except OSError:
        status = 0
    return status, time.perf_counter() - started


def plan(port: int, requests: int, writes: float, seed: int) -> list[tuple[str, str, str, Any]]:
    """(kind, method, path, body) for every request, reads and writes shuffled."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stories?limit=100") as r:
        stories = json.loads(r.read())["stories"]
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stories/{stories[0]['id']}") as r:
        articles = json.loads(r.read())["article_ids"]
    rng = random.Random(seed)
    reads = [
        ("health", "/health"),
        ("stories", "/api/stories?sort=outlets&order=desc&limit=20"),
        ("stories", "/api/stories?contested=true"),
        ("story", "/api/stories/{story}"),
        ("claims", "/api/claims?verdict=contested"),
        ("article", "/api/articles/{article}"),
        ("search", "/api/search?q=port+strike"),
        ("page", "/"),
        ("page", "/stories/{story}"),
    ]
    out: list[tuple[str, str, str, Any]] = []
    for n in range(requests):
        if rng.random() < writes:
            out.append(("write", "POST", "/api/articles", new_article(n)))
        else:
            kind, path = rng.choice(reads)
            path = path.format(story=rng.choice(stories)["id"], article=rng.choice(articles))
            out.append((kind, "GET", path, None))
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def run(db: str, requests: int, clients: int, writes: float, seed: int = 1) -> dict[str, Any]:
    with served(db, timeout=120) as (port, health, _):
        before = health["articles"]
        todo = plan(port, requests, writes, seed)
        times: dict[str, list[float]] = defaultdict(list)
        statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        lock = threading.Lock()

        def one(item: tuple[str, str, str, Any]) -> None:
            kind, method, path, body = item
            status, seconds = request(port, method, path, body)
            with lock:
                times[kind].append(seconds)
                statuses[kind][status] += 1

        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(one, todo))
        wall = time.perf_counter() - started
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health") as r:
            after = json.loads(r.read())["articles"]
    accepted = statuses["write"].get(201, 0)
    errors = sum(n for kind in statuses for status, n in statuses[kind].items()
                 if not 200 <= status < 300)
    return {
        "requests": requests, "clients": clients, "seconds": round(wall, 1),
        "requests_per_second": round(requests / wall, 1), "errors": errors,
        "writes_sent": len(times["write"]), "writes_accepted": accepted,
        "articles_before": before, "articles_after": after,
        "lost": before + accepted - after,
        "latency_ms": {kind: {"n": len(v), "p50": round(percentile(v, 0.5) * 1000, 1),
                              "p99": round(percentile(v, 0.99) * 1000, 1),
                              "max": round(max(v) * 1000, 1)} for kind, v in sorted(times.items())},
        "statuses": {kind: dict(s) for kind, s in statuses.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--writes", type=float, default=0.05, help="share of requests that write")
    parser.add_argument("--db", help="database to serve (default: the examples, analysed anew)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or str(Path(folder) / "load.db")
        if not args.db:
            subprocess.run([str(Path(sys.executable).with_name("corroborate")), "analyze",
                            str(ROOT / "examples" / "articles"), "--db", db, "--out",
                            str(Path(folder) / "brief")], check=True, capture_output=True)
        result = run(db, args.requests, args.clients, args.writes, args.seed)
    print(json.dumps(result, indent=2))
    sys.exit(1 if result["errors"] or result["lost"] else 0)


if __name__ == "__main__":
    main()
