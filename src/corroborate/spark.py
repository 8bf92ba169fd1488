"""The Spark engine of ``corroborate batch --engine spark``: the per-article stages run in Spark
executors, the cross-article ones on the driver, with the code of the in-process pipeline.

The jobs, in order (docs/spark.md tells more):

1. **Boilerplate line counts.** The short lines of every text article (``clean.candidate_lines``)
   as (batch, line) rows, counted with a ``groupBy`` aggregation; the driver turns the counts into
   each batch's recurring lines by the rule of ``ingest`` (:func:`batch.recurring_by_batch`).
2. **Per-article stages.** The articles, cut into pieces of at most :data:`PIECE` that never cross
   a batch, go through :func:`pipeline.prepare` in ``mapPartitions``. The models are cached per
   process and Spark reuses its Python workers, so each worker loads them once. The result is
   kept (persisted) for the next steps.
3. **Near-duplicate candidates.** The LSH band keys of each MinHash signature
   (``dedup.band_keys``) self-joined on the key; the candidate pairs are confirmed by
   ``dedup.is_near_duplicate``.
4. **Cross-article stages on the driver.** The prepared articles come back batch by batch, in
   ``ingest``'s order, and each batch is stored by :func:`pipeline.store_batch` in one transaction:
   duplicates (candidates from step 3 instead of the store's LSH index), the sequential,
   order-aware story clustering and the storylines, as in-process. Then the briefs are built.
5. **Parquet.** The ``articles`` table is written by the executors from the persisted articles,
   ``stories`` and ``claims`` from the stored briefs.
"""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import dedup
from .batch import (
    ARTICLES,
    CLAIMS,
    STORIES,
    Batch,
    article_row,
    ddl,
    placement,
    plan,
    recurring_by_batch,
    story_tables,
)
from .clean import candidate_lines
from .errors import CorroborateError, Rejected
from .ingest import read_all
from .pipeline import Candidate, Prepared, RunResult, prepare, store_batch
from .settings import Settings
from .store import Store

if TYPE_CHECKING:
    from pyspark import RDD, Broadcast
    from pyspark.sql import SparkSession

LOCAL_MEMORY = "2g"  # the JVM heap of a local run (driver and executor in one); 1g ran out at 10k
PIECE = 50  # articles per Spark task at most: a batch is cut into pieces of about this size
Piece = tuple[int, int, list[Any]]  # (batch number, piece number, articles or prepared articles)


@contextmanager
def spark_session(master: str | None = None) -> Iterator[SparkSession]:
    """A Spark session: the active one if there is one, else a new one, stopped at the end.

    The master is ``master``, else what spark-submit set, else ``local[*]``. On a local master
    the driver binds to 127.0.0.1 and the Python workers run this interpreter; the web UI is off.
    """
    try:
        from pyspark import SparkConf, SparkContext
        from pyspark.sql import SparkSession
    except ImportError:
        raise CorroborateError("the Spark engine needs pyspark, which is not installed",
                               hint="pip install 'corroborate[spark]' (Java 17 is needed too), "
                               "or use --engine local") from None
    active = SparkSession.getActiveSession()
    if active is not None:
        yield active
        return
    if (master or "local").startswith("local") and "PYSPARK_GATEWAY_PORT" not in os.environ:
        _local_launch()  # not launched by spark-submit: the JVM starts here
    SparkContext._ensure_initialized()  # so that SparkConf sees what spark-submit set
    conf = SparkConf()
    if master:
        conf.setMaster(master)
    elif not conf.contains("spark.master"):
        conf.setMaster("local[*]")
    conf.setIfMissing("spark.app.name", "corroborate")
    conf.setIfMissing("spark.ui.enabled", "false")
    conf.set("spark.ui.showConsoleProgress", "false")  # stderr is for errors
    if (conf.get("spark.master") or "").startswith("local"):
        conf.setIfMissing("spark.driver.host", "127.0.0.1")
        conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1")
        conf.setIfMissing("spark.pyspark.python", sys.executable)
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    try:
        spark = SparkSession.builder.config(conf=conf).getOrCreate()
    except Exception as err:  # noqa: BLE001 - Java missing, port refused, ...: say so, once
        raise CorroborateError(f"Spark did not start ({_last_line(err)})",
                               hint="Spark needs Java 17 on PATH or JAVA_HOME, and a loopback "
                               "interface; or use --engine local") from None
    spark.sparkContext.setLogLevel("ERROR")
    try:
        yield spark
    finally:
        spark.stop()


def _local_launch() -> None:
    """Before the JVM starts: bind to loopback, a heap of LOCAL_MEMORY, and log errors only (our
    log4j2 file). A PYSPARK_SUBMIT_ARGS of the user's wins."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    log = Path(__file__).with_name("spark-log4j2.properties")
    os.environ.setdefault("PYSPARK_SUBMIT_ARGS", f'--driver-memory {LOCAL_MEMORY} '
                          f'--driver-java-options "-Dlog4j2.configurationFile={log.as_uri()}" '
                          'pyspark-shell')


def run(paths: Iterable[str], store: Store, settings: Settings, out: Path, spark: SparkSession,
        *, on_error: Callable[[Rejected], None] | None = None) -> RunResult:
    """Read, analyse (in Spark) and store the articles as ``ingest`` would, build the briefs of
    the stories touched and write the Parquet tables to ``out``. Never raises for bad input."""
    result = RunResult()
    earlier = store.count_articles() > 0
    batches = list(plan(read_all(paths, settings), store, settings, result))
    from pyspark import StorageLevel

    with _spark_errors():
        sc = spark.sparkContext
        size = piece_size(sum(len(b.articles) for b in batches), sc.defaultParallelism)
        pieces = [(b.number, i, chunk) for b in batches
                  for i, chunk in enumerate(_cut(b.articles, size))]
        data = sc.parallelize(pieces, max(1, len(pieces)))
        counts = line_counts(spark, data)
        recurring = sc.broadcast(recurring_by_batch(counts, store, settings))
        prepared = data.mapPartitions(partial(_prepare, settings=settings, recurring=recurring))
        prepared.persist(StorageLevel.DISK_ONLY)  # never computed twice, nor kept on the heap
        prepared.count()  # one stage computes every piece; the join below reads them kept
        near = NearPairs(near_pairs(spark, prepared, settings), result,
                         store if earlier else None, {a.id for b in batches for a in b.articles})
        done = prepared.toLocalIterator()
        for batch in batches:
            rejected = _store(batch, _cut(batch.articles, size), done, counts, near, store,
                              settings, result)
            for r in rejected:
                if on_error:
                    on_error(r)
            result.rejected += rejected
        if result.stories:
            from .report import refresh_briefs

            refresh_briefs(store, settings, result.stories)
        write_tables(spark, prepared, store, settings, result, out)
        prepared.unpersist()
        recurring.destroy()
    return result


def piece_size(articles: int, cores: int) -> int:
    """At most PIECE articles per task, fewer when that leaves cores idle (2 tasks per core)."""
    return max(1, min(PIECE, -(-articles // (2 * max(1, cores)))))


def _cut(articles: list[Any], size: int) -> list[list[Any]]:
    """A batch in near-equal pieces of at most ``size`` articles (none when it is empty)."""
    n = -(-len(articles) // size)
    return [articles[i::n] for i in range(n)]


def line_counts(spark: SparkSession, data: RDD[Piece]) -> dict[int, Counter[str]]:
    """Per batch, in how many of its articles each short line occurs (a Spark aggregation)."""
    rows = data.flatMap(lambda piece: [(piece[0], h) for a in piece[2] for h in candidate_lines(a)])
    counted = spark.createDataFrame(rows, "batch int, line string").groupBy("batch", "line").count()
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for row in counted.collect():
        counts[row["batch"]][row["line"]] = row["count"]
    return counts


def _prepare(pieces: Iterable[Piece], settings: Settings, recurring: Broadcast[dict[int, set[str]]]
             ) -> Iterator[tuple[int, int, list[Prepared], list[Rejected]]]:
    """In an executor: the per-article stages of each piece, with its batch's recurring lines."""
    for number, i, articles in pieces:
        done, rejected = prepare(articles, recurring.value.get(number, set()), settings)
        yield number, i, done, rejected


def near_pairs(spark: SparkSession, prepared: RDD[Any], settings: Settings
               ) -> list[tuple[str, str]]:
    """Pairs of article ids that share an LSH band key and are near duplicates (a join)."""
    from pyspark.sql.functions import col

    def bands(piece: tuple[int, int, list[Prepared], Any]) -> list[tuple[str, str]]:
        return [(key, p.article.id) for p in piece[2] for key in dedup.band_keys(p.signature,
                                                                                settings)]

    def signatures(piece: tuple[int, int, list[Prepared], Any]) -> list[tuple[str, bytes]]:
        return [(p.article.id, p.signature.astype(np.uint64).tobytes()) for p in piece[2]]

    keys = spark.createDataFrame(prepared.flatMap(bands), "key string, id string")
    sigs = spark.createDataFrame(prepared.flatMap(signatures), "id string, sig binary")
    a, b = keys.alias("a"), keys.alias("b")
    pairs = (a.join(b, (col("a.key") == col("b.key")) & (col("a.id") < col("b.id")))
             .select(col("a.id").alias("x"), col("b.id").alias("y")).distinct()
             .join(sigs.select(col("id").alias("x"), col("sig").alias("sig_x")), "x")
             .join(sigs.select(col("id").alias("y"), col("sig").alias("sig_y")), "y"))

    def confirmed(row: Any) -> bool:
        return dedup.is_near_duplicate(np.frombuffer(row["sig_x"], dtype=np.uint64),
                                       np.frombuffer(row["sig_y"], dtype=np.uint64), settings)

    return pairs.rdd.filter(confirmed).map(lambda row: (row["x"], row["y"])).collect()


class NearPairs:
    """The near-duplicate candidates of an article, from the pairs of the Spark join, as
    ``Store.lsh_candidates`` would give them: the articles stored before it, oldest first (those
    of earlier runs from the store itself, then this run's in the order they were stored)."""

    def __init__(self, pairs: Iterable[tuple[str, str]], result: RunResult,
                 store: Store | None, run_ids: set[str]) -> None:
        self.partners: dict[str, set[str]] = defaultdict(set)
        for x, y in pairs:
            self.partners[x].add(y)
            self.partners[y].add(x)
        self.result, self.store, self.run_ids = result, store, run_ids
        self.stored: dict[str, tuple[int, np.ndarray, str | None]] = {}
        self.position = 0

    def will_store(self, prepared: list[Prepared]) -> None:
        """Note the order in which the next batch is stored."""
        for p in prepared:
            if p.article.id in self.partners:
                self.stored[p.article.id] = (self.position, p.signature, p.article.published)
            self.position += 1

    def __call__(self, article_id: str, bands: list[str]) -> list[Candidate]:
        found = [c for c in self.store.lsh_candidates(bands) if c[0] not in self.run_ids] \
            if self.store is not None else []
        own = self.stored.get(article_id)
        if own is None:
            return found
        earlier = sorted((self.stored[c][0], c) for c in self.partners[article_id]
                         if c in self.stored and self.stored[c][0] < own[0])
        return found + [(c, self.stored[c][1], self.result.duplicates.get(c), self.stored[c][2])
                        for _, c in earlier]


def _store(batch: Batch, pieces: list[list[Any]],
           done: Iterator[tuple[int, int, list[Prepared], list[Rejected]]],
           counts: dict[int, Counter[str]], near: NearPairs, store: Store, settings: Settings,
           result: RunResult) -> list[Rejected]:
    """Store one batch (cut into ``pieces``, which are next in ``done``); returns its
    rejections."""
    prepared: list[Prepared] = []
    rejected = list(batch.unread)
    for _ in pieces:
        number, _i, ready, failed = next(done)
        assert number == batch.number, "pieces come back in batch order"
        prepared += ready
        rejected += failed
    order = {a.id: i for i, a in enumerate(dedup.original_first([p.article for p in prepared]))}
    prepared.sort(key=lambda p: order[p.article.id])  # as prepare() orders a whole batch
    near.will_store(prepared)
    store_batch(prepared, store, settings, result, counts=counts.get(batch.number, Counter()),
                rejected=rejected, candidates=near)
    return rejected


def write_tables(spark: SparkSession, prepared: RDD[Any], store: Store, settings: Settings,
                 result: RunResult, out: Path) -> None:
    """The ``articles`` table from the executors, ``stories`` and ``claims`` from the driver."""
    where = spark.sparkContext.broadcast(placement(store, result.added))

    def rows(piece: tuple[int, int, list[Prepared], Any]) -> list[tuple[Any, ...]]:
        return [article_row(p.article, *where.value[p.article.id]) for p in piece[2]
                if p.article.id in where.value]

    articles = spark.createDataFrame(prepared.flatMap(rows), ddl(ARTICLES))
    articles.write.mode("overwrite").parquet(str(out / "articles"))
    mode = "overwrite"
    for stories, claims in story_tables(store, settings, result.stories):  # in chunks
        _write(spark, stories, STORIES, out / "stories", mode)
        _write(spark, claims, CLAIMS, out / "claims", mode)
        mode = "append"
    if mode == "overwrite":  # no stories: empty tables
        _write(spark, [], STORIES, out / "stories", mode)
        _write(spark, [], CLAIMS, out / "claims", mode)
    where.destroy()


def _write(spark: SparkSession, rows: list[tuple[Any, ...]], columns: list[tuple[str, str]],
           folder: Path, mode: str) -> None:
    spark.createDataFrame(rows, ddl(columns)).coalesce(1).write.mode(mode).parquet(str(folder))


@contextmanager
def _spark_errors() -> Iterator[None]:
    """A failed Spark job as one CorroborateError line (the Python error of the task, if any)."""
    try:
        yield
    except (CorroborateError, KeyboardInterrupt):
        raise
    except Exception as err:  # noqa: BLE001 - Py4J and PySpark errors have no common base here
        if type(err).__module__.split(".")[0] not in {"pyspark", "py4j"}:
            raise
        raise CorroborateError(f"the Spark job failed: {_last_line(err)}",
                               hint="the Spark log above tells more") from None


def _last_line(err: BaseException) -> str:
    """The last line of an error that names an exception (a Python worker's traceback ends so)."""
    lines = [ln.strip() for ln in str(err).splitlines() if ln.strip()]
    named = [ln for ln in lines if "Error" in ln or "Exception" in ln]
    return (named or lines or [type(err).__name__])[-1][:300]
