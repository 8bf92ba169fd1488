"""Where the time goes: CPU seconds per pipeline stage, summed over every process of a run.

CPU time (not wall time) is what adds up across worker processes, so the stage shares of a
parallel run stay meaningful. ``bench throughput`` reports them; the stages named in
``MODEL_STAGES`` are model inference, everything else is the pipeline's own overhead. The clock
is the process's CPU time, so a stage also counts what other threads of the process spend
meanwhile; the pipeline's processes run one working thread each.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

STAGES = ("ingest", "clean", "dedup", "nlp", "claims", "embed", "stories", "crosscheck", "report")
MODEL_STAGES = frozenset({"nlp", "embed"})

_totals: dict[str, float] = defaultdict(float)
_local = threading.local()  # .stack: [name, start] of the stages this thread entered


def _stack() -> list[list[Any]]:
    if not hasattr(_local, "stack"):
        _local.stack = []
    return _local.stack


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Charge the CPU time spent inside to ``name``; time in a stage entered inside another is
    charged to the inner one only, so the stages add up to the whole."""
    stack = _stack()
    now = time.process_time()
    if stack:
        outer = stack[-1]
        _totals[outer[0]] += now - outer[1]
    stack.append([name, now])
    try:
        yield
    finally:
        now = time.process_time()
        _totals[name] += now - stack.pop()[1]
        if stack:
            stack[-1][1] = now


def timed(items: Iterable[T], name: str) -> Iterator[T]:
    """``items``, with the time spent producing each charged to ``name``."""
    iterator = iter(items)
    while True:
        with stage(name):
            try:
                item = next(iterator)
            except StopIteration:
                return
        yield item


def merge(other: dict[str, float]) -> None:
    """Add the totals measured in another process."""
    for name, seconds in other.items():
        _totals[name] += seconds


def reset() -> dict[str, float]:
    """The totals so far, and start again from zero."""
    done = dict(_totals)
    _totals.clear()
    return done
