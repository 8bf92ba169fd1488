"""Cleaning on trafilatura's own evaluation set: ``trafilatura.extract(html)`` with its defaults and
corroborate's stored article text (the HTML reader, decoding and the clean stage: what the store
keeps as ``Article.text``), side by side in one run, on all pages and on the English news pages.

    .venv/bin/python benchmarks/cleaning.py [/path/to/trafilatura-eval] [--json] [--jobs 2]

The data folder defaults to ``$CORROBORATE_TRAFILATURA_EVAL``, else ``../shared/trafilatura-eval``
beside the checkout; it is read in place, never copied. Counting follows the folder's README (and
trafilatura's ``tests/eval_common.py``): whitespace collapsed on both sides; a ``with`` snippet
found is a true positive, else a false negative; a ``without`` snippet found is a false positive,
else a true negative; a page without text (or whose reading fails) misses all its ``with``
snippets. F1 = 2TP / (2TP + FP + FN).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "trafilatura-eval"
EXTRACTORS = ("trafilatura", "corroborate")
_SPACE = re.compile(r"\s+")


def data_folder(given: str | None = None) -> Path:
    """The evaluation folder: the argument, else $CORROBORATE_TRAFILATURA_EVAL, else the default."""
    folder = Path(given or os.environ.get("CORROBORATE_TRAFILATURA_EVAL") or DEFAULT)
    if not (folder / "evaldata.json").is_file():
        raise SystemExit(f"trafilatura's evaluation set is not in {folder} (no evaldata.json): "
                         "give its folder as an argument or in $CORROBORATE_TRAFILATURA_EVAL")
    return folder


def load_pages(folder: Path) -> list[dict[str, Any]]:
    """Every entry of evaldata.json, in file order, with its url."""
    data = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    return [{"url": url, **item} for url, item in data.items()]


def subsets(folder: Path) -> dict[str, set[str]]:
    return {name: set(files) for name, files in
            json.loads((folder / "subsets.json").read_text(encoding="utf-8")).items()}


def page_bytes(folder: Path, name: str) -> bytes | None:
    for sub in ("cache", "eval"):
        path = folder / sub / name
        if path.is_file():
            return path.read_bytes()
    return None


def norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def count(item: dict[str, Any], result: str | None) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of one page, as trafilatura's eval_common.count_item counts them."""
    if isinstance(result, str):
        text = norm(result)
        tp = sum(norm(w) in text for w in item["with"])
        fp = sum(norm(w) in text for w in item["without"])
    else:
        tp = fp = 0
    return tp, fp, len(item["with"]) - tp, len(item["without"]) - fp


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    pages: int = 0

    def add(self, counts: Iterable[int]) -> None:
        tp, fp, fn, tn = counts
        self.tp, self.fp, self.fn, self.tn = self.tp + tp, self.fp + fp, self.fn + fn, self.tn + tn
        self.pages += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        denom = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denom if denom else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"pages": self.pages, "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


def trafilatura_text(data: bytes) -> str | None:
    import trafilatura

    return trafilatura.extract(data)


def corroborate_text(data: bytes, settings: Any = None, source: str = "page.html") -> str | None:
    """What the store keeps as Article.text for this page read as an HTML file."""
    from corroborate.clean import clean
    from corroborate.ingest import read_data
    from corroborate.records import Article

    settings = settings or _settings()
    (item,) = list(read_data(source, data, "html", settings))
    if not isinstance(item, Article):
        return None  # rejected by the reader
    return clean(item, settings).text or None


_SETTINGS: Any = None


def _settings() -> Any:
    global _SETTINGS
    if _SETTINGS is None:
        from corroborate.settings import load

        _SETTINGS = load(progress=False)
    return _SETTINGS


RUNNERS: dict[str, Callable[[bytes], str | None]] = {
    "trafilatura": trafilatura_text, "corroborate": corroborate_text}


@dataclass
class PageResult:
    file: str
    counts: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def score_page(args: tuple[str, dict[str, Any]]) -> PageResult:
    """Both extractors on one page; a crash counts as a page without text."""
    folder, item = args
    out = PageResult(item["file"])
    data = page_bytes(Path(folder), item["file"])
    for name in EXTRACTORS:
        text = None
        if data is not None:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    text = RUNNERS[name](data)
            except Exception as err:  # noqa: BLE001 - a crash is a miss, as in eval_common.py
                out.errors[name] = f"{type(err).__name__}: {err}"
        out.counts[name] = count(item, text)
    return out


def run(folder: Path, pages: list[dict[str, Any]], jobs: int = 1) -> list[PageResult]:
    work = [(str(folder), item) for item in pages]
    if jobs <= 1:
        return [score_page(w) for w in work]
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        return pool.map(score_page, work, chunksize=8)


def tally(results: list[PageResult], only: set[str] | None = None) -> dict[str, Score]:
    scores = {name: Score() for name in EXTRACTORS}
    for result in results:
        if only is None or result.file in only:
            for name in EXTRACTORS:
                scores[name].add(result.counts[name])
    return scores


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", help="trafilatura's evaluation set (default: "
                        "$CORROBORATE_TRAFILATURA_EVAL or ../shared/trafilatura-eval)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="worker processes (default 2)")
    parser.add_argument("--pages", help="only these files (comma-separated), for a quick look")
    args = parser.parse_args(argv)
    folder = data_folder(args.folder)
    pages = load_pages(folder)
    if args.pages:
        wanted = set(args.pages.split(","))
        pages = [p for p in pages if p["file"] in wanted]
    results = run(folder, pages, args.jobs)
    groups = {"all": tally(results), "en_news": tally(results, subsets(folder)["en_news"])}
    errors = {r.file: r.errors for r in results if r.errors}
    if args.json:
        print(json.dumps({"folder": str(folder), "scores": {
            group: {name: s.as_dict() for name, s in scores.items()}
            for group, scores in groups.items()}, "errors": errors}, indent=2))
        return
    print(f"{'pages':<10} {'extractor':<12} {'n':>4} {'precision':>9} {'recall':>7} {'F1':>6}")
    for group, scores in groups.items():
        for name, s in scores.items():
            print(f"{group:<10} {name:<12} {s.pages:>4} {s.precision:>9.3f} {s.recall:>7.3f} "
                  f"{s.f1:>6.3f}")
    for file, errs in errors.items():
        print(f"error on {file}: {errs}", file=sys.stderr)


if __name__ == "__main__":
    main()
