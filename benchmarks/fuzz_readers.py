"""Fuzz the HTML, feed and JSONL readers (and the cleaner behind them) at scale.

A mutation fuzzer: it starts from the bundled example articles (our HTML pages, our RSS feed,
our JSONL dump, and XML attacks) and applies random byte and structure mutations (flipped,
inserted and deleted bytes, spliced documents, hostile tokens such as NUL, lone surrogates, CDATA
ends, DTDs, unknown encodings, deep nesting, truncation). Hypothesis generates structured inputs
in tests/test_hostile_input.py; it is too slow to generate 100,000 of them, so this run mutates.

The checks are those of the property tests: every input gives articles or one-line rejections
naming it, nothing is caught by the reader's last-resort handler ("unexpected ..."), and the
cleaner takes every article the reader lets through. Half the feed inputs keep the XML
well-formed and mutate the text inside it (else nearly every feed is refused by the parser).
Prints JSON: per reader the inputs tried, the articles and rejections seen and the failures
(kept in --failures DIR to replay).

    .venv/bin/python benchmarks/fuzz_readers.py --inputs 35000 --seed 1
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.strategies import XML_ATTACKS  # noqa: E402
from tests.test_hostile_input import SETTINGS, check_boundary, check_clean  # noqa: E402

from corroborate.errors import Rejected  # noqa: E402
from corroborate.ingest import read_data  # noqa: E402

EXAMPLES = ROOT / "examples" / "articles"
TOKENS = [b"\x00", b"\xff", b"\xfe\xff", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\xc3", b"\r", b"\n\n",
          b"<", b">", b"</", b"/>", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"&", b"&amp;", b"&#0;",
          b"&#xD800;", b"&#1114112;", b"&lol;", b'"', b"'", b"\\", b"\\u0000", b"\\ud800", b"{",
          b"}", b"[", b"]", b",", b":", b"null", b"1e999", b"<script>alert(1)</script>",
          b'<a href="javascript:alert(1)">x</a>', b"<div>" * 300, b"</div>" * 300, b"<p>",
          b"<item>", b"</item>", b"<entry>", b"<title>", b"<description>", b"<pubDate>",
          b'<?xml version="1.0" encoding="bogus"?>', b'<meta charset="utf-7">',
          b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>", b"\xe2\x80\xae",
          b"\xf0\x9f\x92\xa9", b"\x1b[2J", b"x" * 5000, b"35%", b"$6.5 billion", b"Oct. 14"]


def seeds() -> dict[str, list[bytes]]:
    html = [p.read_bytes() for p in sorted(EXAMPLES.rglob("*.html"))]
    feeds = [p.read_bytes() for p in sorted(EXAMPLES.rglob("*.xml"))] + [a.encode() for a in
                                                                        XML_ATTACKS]
    lines = [ln for p in sorted(EXAMPLES.rglob("*.jsonl")) for ln in p.read_bytes().splitlines()]
    jsonl = [b"\n".join(lines[i:i + 3]) for i in range(0, len(lines), 3)]
    return {"html": html, "feed": feeds, "jsonl": jsonl}


def mutate(data: bytes, pool: list[bytes], rng: random.Random) -> bytes:
    """One to eight random mutations of ``data``."""
    for _ in range(rng.randint(1, 8)):
        n = len(data)
        at = rng.randint(0, n)
        op = rng.randrange(9)
        if op == 0 and n:  # flip bytes
            for _ in range(rng.randint(1, 16)):
                i = rng.randrange(n)
                data = data[:i] + bytes([rng.randrange(256)]) + data[i + 1:]
        elif op == 1:  # insert random bytes
            data = data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]
        elif op == 2:  # delete a range
            data = data[:at] + data[at + rng.randint(1, 2000):]
        elif op == 3:  # duplicate a range
            end = min(n, at + rng.randint(1, 4000))
            data = data[:end] + data[at:end] + data[end:]
        elif op == 4:  # splice another document in
            other = rng.choice(pool)
            cut = rng.randint(0, len(other))
            data = data[:at] + other[cut:cut + rng.randint(1, 5000)] + data[at:]
        elif op == 5:  # truncate
            data = data[:at]
        elif op == 6:  # re-encode text
            enc = rng.choice(["utf-16", "utf-32", "cp1252", "latin-1", "koi8-r", "shift_jis"])
            data = data.decode("utf-8", "replace").encode(enc, "replace")
        else:  # hostile tokens
            for _ in range(rng.randint(1, 4)):
                at = rng.randint(0, len(data))
                data = data[:at] + rng.choice(TOKENS) + data[at:]
    return data


def mutate_text(data: bytes, rng: random.Random) -> bytes:
    """Hostile text inside the markup: escaped, so that the document stays well-formed and the
    mutation reaches what reads the fields rather than the XML parser's first error."""
    for _ in range(rng.randint(1, 6)):
        ends = [i + 1 for i in range(len(data) - 1) if data[i] == 0x3E and data[i + 1] != 0x3C]
        if not ends:
            return data
        at = rng.choice(ends)
        text = (rng.choice(TOKENS) + rng.randbytes(rng.randint(0, 32))).decode("utf-8", "replace")
        text = "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)  # what XML 1.0 allows
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        data = data[:at] + text.encode("utf-8") + data[at:]
    return data


def fuzz(kind: str, inputs: int, rng: random.Random, failures: Path | None
         ) -> dict[str, object]:
    name = {"html": "page.html", "feed": "feed.xml", "jsonl": "dump.jsonl"}[kind]
    pool = seeds()[kind]
    seen: Counter[str] = Counter()
    found: list[str] = []
    started = time.perf_counter()
    for n in range(inputs):
        roll = rng.random()
        if kind == "feed" and roll < 0.5:
            data = mutate_text(rng.choice(pool), rng)
        elif roll < 0.97:
            data = mutate(rng.choice(pool), pool, rng)
        else:
            data = rng.randbytes(rng.randint(0, 3000))
        seen["inputs"] += 1
        try:
            items = list(read_data(name, data, kind, SETTINGS))
            articles = check_boundary(name, items, kind)
            for article in articles:
                check_clean(article)
        except Exception:  # noqa: BLE001 - a failure is what we look for: keep it and go on
            found.append(traceback.format_exc(limit=4)[-1500:])
            if failures:
                failures.mkdir(parents=True, exist_ok=True)
                (failures / f"{kind}-{n}.bin").write_bytes(data)
            continue
        seen["articles"] += len(articles)
        seen["rejections"] += sum(isinstance(i, Rejected) for i in items)
    return {"reader": kind, **seen, "failures": len(found), "first_failures": found[:3],
            "seconds": round(time.perf_counter() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=35_000, help="inputs per reader")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--readers", default="html,feed,jsonl")
    parser.add_argument("--failures", type=Path, help="folder to keep failing inputs in")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    runs = [fuzz(kind, args.inputs, rng, args.failures) for kind in args.readers.split(",")]
    print(json.dumps({"inputs": sum(int(r["inputs"]) for r in runs),  # type: ignore[call-overload]
                      "failures": sum(int(r["failures"]) for r in runs),  # type: ignore[call-overload]
                      "seed": args.seed, "runs": runs}, indent=2))
    sys.exit(1 if any(r["failures"] for r in runs) else 0)


if __name__ == "__main__":
    main()
