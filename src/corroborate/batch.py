"""Batch runs (``corroborate batch``): a whole corpus at once, written as Parquet tables.

Two engines share everything here:

* ``local`` runs the in-process pipeline (:func:`corroborate.pipeline.ingest`);
* ``spark`` (spark.py) runs the per-article stages in Spark and the cross-article ones on the
  driver, batch by batch, exactly as ``ingest`` would.

The batches are those of ``ingest``: the inputs in the order they are read, cut every
``batch_size`` items (:func:`plan`), so that boilerplate line counts, the originals-first order and
the transactions are the same and a Spark run stores what an in-process run stores.

The tables (one folder each under ``--out``, Parquet): ``articles`` (one row per article the run
added), ``stories`` (the stories the run created or changed) and ``claims`` (one row per value of
each cross-checked claim of those stories, with its verdict).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CorroborateError, Rejected
from .pipeline import RunResult, _new_articles, ingest
from .records import Article
from .settings import Settings
from .store import Store

ENGINES = ("local", "spark")

# The columns of each table as (name, type) in Spark SQL's DDL types; the same types map to Arrow
# for the local engine, so both engines write the same schema.
ARTICLES = [("id", "string"), ("source", "string"), ("format", "string"), ("url", "string"),
            ("outlet", "string"), ("title", "string"), ("published", "string"),
            ("story_id", "string"), ("duplicate_of", "string"), ("norm_hash", "string"),
            ("text", "string"), ("boilerplate", "array<string>"), ("sentences", "bigint"),
            ("claims", "bigint")]
STORIES = [("id", "string"), ("title", "string"), ("storyline_id", "string"),
           ("articles", "bigint"), ("outlets", "bigint"), ("first_published", "string"),
           ("last_published", "string"), ("claims", "bigint"), ("contested", "bigint"),
           ("updated", "bigint"), ("corroborated", "bigint"), ("single_source", "bigint")]
CLAIMS = [("story_id", "string"), ("claim_id", "string"), ("kind", "string"),
          ("subject", "string"), ("verdict", "string"), ("independent_sources", "bigint"),
          ("value", "string"), ("normalized", "string"), ("as_of", "string"),
          ("article_ids", "array<string>"), ("evidence", "string")]
TABLES = {"articles": ARTICLES, "stories": STORIES, "claims": CLAIMS}


def ddl(columns: list[tuple[str, str]]) -> str:
    """The columns as a Spark DDL schema string."""
    return ", ".join(f"`{name}` {kind}" for name, kind in columns)


@dataclass(frozen=True)
class Batch:
    """One transaction's worth of input, as ``ingest`` would cut it: the new articles (not yet
    stored, first copy of each id) and the inputs that could not be read."""

    number: int
    articles: list[Article]
    unread: list[Rejected]


def plan(items: Iterable[Article | Rejected], store: Store, settings: Settings,
         result: RunResult) -> Iterator[Batch]:
    """Cut the read items into the batches of ``ingest``; what is already stored (or came
    earlier in this run) goes to ``result.already``."""
    from .pipeline import _chunks

    seen: set[str] = set()
    for number, chunk in enumerate(_chunks(items, settings.batch_size)):
        articles = [i for i in chunk if isinstance(i, Article)]
        unread = [i for i in chunk if isinstance(i, Rejected)]
        fresh = []
        for article in _new_articles(articles, store, result):
            if article.id in seen:  # a copy of an earlier batch's article (ingest finds it stored)
                result.already.append(article.source)
            else:
                seen.add(article.id)
                fresh.append(article)
        yield Batch(number, fresh, unread)


def recurring_by_batch(counts: Mapping[int, Counter[str]], store: Store, settings: Settings
                       ) -> dict[int, set[str]]:
    """Per batch, the lines that are boilerplate when it runs: the rule of
    :func:`pipeline.recurring_lines`, with the counts of earlier batches of the run added to
    those already in the store."""
    so_far = Counter(store.line_counts({h for c in counts.values() for h in c}))
    recurring = {}
    for number in sorted(counts):
        so_far.update(counts[number])
        recurring[number] = {h for h in counts[number]
                             if so_far[h] >= settings.recurring_line_articles}
    return recurring


# --- tables --------------------------------------------------------------------------------

def article_row(article: Article, story_id: str | None, duplicate_of: str | None
                ) -> tuple[Any, ...]:
    """One row of the ``articles`` table (ARTICLES order)."""
    return (article.id, article.source, article.format, article.url, article.outlet,
            article.title, article.published, story_id, duplicate_of, article.norm_hash,
            article.text, list(article.boilerplate), len(article.sentences), len(article.claims))


def placement(store: Store, ids: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """Article id -> (story_id, duplicate_of), as stored."""
    rows = store.article_rows(ids)
    return {i: (rows[i]["story_id"], rows[i]["duplicate_of"]) for i in ids if i in rows}


STORY_CHUNK = 200  # stories whose rows are built and written at once (claims carry evidence)


def story_tables(store: Store, settings: Settings, story_ids: Iterable[str]
                 ) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """Rows of the ``stories`` and ``claims`` tables for these stories, from their briefs,
    STORY_CHUNK stories at a time, so that memory stays bounded."""
    from .report import story_briefs

    wanted = set(story_ids)
    rows = [r for r in store.stories() if r["id"] in wanted]
    for start in range(0, len(rows), STORY_CHUNK):
        chunk = rows[start:start + STORY_CHUNK]
        briefs = story_briefs(store, settings, [r["id"] for r in chunk])
        stories, claims = [], []
        for row, brief in zip(chunk, briefs, strict=True):
            verdicts = Counter(c["verdict"] for c in brief["claims"])
            stories.append((row["id"], row["title"], row["storyline_id"], row["articles"],
                            row["outlets"], row["first_published"], row["last_published"],
                            len(brief["claims"]), verdicts["contested"], verdicts["updated"],
                            verdicts["corroborated"], verdicts["single_source"]))
            claims += [(row["id"], c["id"], c["kind"], c["subject"], c["verdict"],
                        c["independent_sources"], v["value"],
                        json.dumps(v["normalized"], ensure_ascii=False), v["as_of"],
                        list(v["article_ids"]), json.dumps(v["evidence"], ensure_ascii=False))
                       for c in brief["claims"] for v in c["values"]]
        yield stories, claims


# --- the local engine ----------------------------------------------------------------------

def run_local(paths: Iterable[str], store: Store, settings: Settings, out: Path,
              on_error: Callable[[Rejected], None] | None = None) -> RunResult:
    """The in-process pipeline, then the tables as Parquet (pyarrow)."""
    tables = ArrowTables(out)  # before the run: a missing pyarrow is said at once
    try:
        result = ingest(paths, store, settings, on_error=on_error)
        for start in range(0, len(result.added), 1000):
            ids = result.added[start:start + 1000]
            where = placement(store, ids)
            tables.write("articles", [article_row(store.article(i), *where[i]) for i in ids])
        for stories, claims in story_tables(store, settings, result.stories):
            tables.write("stories", stories)
            tables.write("claims", claims)
    finally:
        tables.close()
    return result


class ArrowTables:
    """The three tables as Parquet files written with pyarrow, a row group per ``write``."""

    def __init__(self, out: Path) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise CorroborateError("writing Parquet needs pyarrow, which is not installed",
                                   hint="pip install 'corroborate[spark]'") from None
        types = {"string": pa.string(), "bigint": pa.int64(),
                 "array<string>": pa.list_(pa.string())}
        self.pa = pa
        self.schemas = {name: pa.schema([(c, types[kind]) for c, kind in columns])
                        for name, columns in TABLES.items()}
        self.writers: dict[str, Any] = {}
        for name, schema in self.schemas.items():
            folder = out / name
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob("*.parquet"):
                old.unlink()
            self.writers[name] = pq.ParquetWriter(folder / "part-00000.parquet", schema)

    def write(self, name: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            schema = self.schemas[name]
            self.writers[name].write_table(self.pa.Table.from_pylist(
                [dict(zip(schema.names, r, strict=True)) for r in rows], schema=schema))

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()
