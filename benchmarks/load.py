"""Load test of `corroborate serve`: GET /api/stories/{id} from concurrent local clients.

    python benchmarks/load.py --db build/load10k.db --requests 10000 --concurrency 50

Starts the server on a free port of 127.0.0.1 over the given database, waits until every brief is
built, then sends a bounded number of requests for random stories from N concurrent keep-alive
connections (a small asyncio HTTP/1.1 client, so that the client takes as little of the machine's
CPU as it can) and prints requests/s and latency percentiles as JSON. Any non-200 answer counts as
an error. Build a large database first, e.g.:

    corroborate bench generate --articles 10000 --out build/gen10k
    corroborate ingest build/gen10k --db build/load10k.db
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ENDPOINTS = {"api-story": "/api/stories/{id}", "story-page": "/stories/{id}",
             "api-list": "/api/stories?limit=50&offset={offset}"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - local server
        return json.loads(response.read())


def start_server(db: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [str(Path(sys.executable).with_name("corroborate")), "serve", "--db", db,
               "--port", str(port), "--workers", str(workers)]
    env = {**os.environ, "CORROBORATE_PROGRESS": "false"}
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)


def wait_ready(base: str, timeout: float) -> dict:
    """Wait for /health, then for the background build of missing briefs to finish."""
    deadline = time.monotonic() + timeout
    health: dict = {}
    while time.monotonic() < deadline:
        try:
            health = get_json(base + "/health")
            if health["briefs_pending"] == 0:
                return health
            print(f"waiting: {health['briefs_pending']} briefs still to build", file=sys.stderr)
            time.sleep(5)
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server was not ready within {timeout:.0f} s (last health: {health})")


def story_ids(base: str) -> list[str]:
    ids: list[str] = []
    while True:
        page = get_json(f"{base}/api/stories?limit=500&offset={len(ids)}")
        ids += [s["id"] for s in page["stories"]]
        if len(ids) >= page["total"] or not page["stories"]:
            return ids


async def _client(port: int, paths: list[str], counter: list[int], latencies: list[float],
                  failures: list[str], sizes: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while counter[0] < len(paths):
            path = paths[counter[0]]
            counter[0] += 1
            started = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:"))
            body = await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            sizes.append(len(body))
            if status != 200:
                failures.append(f"{path}: HTTP {status}")
    finally:
        writer.close()


async def run_load(port: int, paths: list[str], concurrency: int) -> dict:
    counter, latencies, failures, sizes = [0], [], [], []
    started = time.perf_counter()
    await asyncio.gather(*(_client(port, paths, counter, latencies, failures, sizes)
                           for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 1)

    return {"requests": len(latencies), "errors": len(failures), "first_errors": failures[:5],
            "seconds": round(elapsed, 2), "requests_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": pct(50), "p90_ms": pct(90), "p99_ms": pct(99),
            "max_ms": round(1000 * ordered[-1], 1), "mean_response_bytes": round(sum(sizes) / len(sizes))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database to serve")
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--ready-timeout", type=float, default=1800,
                        help="seconds to wait for the server and its briefs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--endpoint", choices=sorted(ENDPOINTS), default="api-story",
                        help="what to request for random stories (default: the JSON brief)")
    args = parser.parse_args()
    if not Path(args.db).is_file():
        raise SystemExit(f"no database at {args.db}: build one first (see this script's help)")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(args.db, port, args.workers)
    try:
        health = wait_ready(base, args.ready_timeout)
        ids = story_ids(base)
        rng = random.Random(args.seed)
        paths = [ENDPOINTS[args.endpoint].format(id=rng.choice(ids),
                                                 offset=50 * rng.randrange(max(1, len(ids) // 50)))
                 for _ in range(args.requests)]
        asyncio.run(run_load(port, paths[: min(200, len(paths))], args.concurrency))  # warm-up
        result = asyncio.run(run_load(port, paths, args.concurrency))
    finally:
        server.terminate()
        server.wait(30)
    result.update(endpoint="GET " + ENDPOINTS[args.endpoint].replace("{offset}", "N"),
                  concurrency=args.concurrency,
                  server_workers=args.workers, articles=health["articles"],
                  stories=health["stories"], cpus=os.cpu_count(), python=platform.python_version())
    print(json.dumps(result, indent=2))
    if result["errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
