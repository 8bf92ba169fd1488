"""The command line: a thin shell over the library.

Exit codes: 0 every input processed; 1 some inputs failed (each named on stderr, the rest
processed); 2 usage error; 130 interrupted (the current batch was rolled back; run the same
command again to resume).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import Corpus, __version__
from .errors import CorroborateError, Rejected
from .pipeline import RunResult
from .report import render_html, render_markdown, write_brief, write_report
from .report.claimreview import claim_reviews
from .settings import Settings, load
from .store import open_store

EXIT_FAILED_INPUTS = 1
EXIT_INTERRUPTED = 130


def _common(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--db", metavar="FILE|URL",
                     help="Database: an SQLite file or a postgresql:// URL [default: "
                     "corroborate.db, or $CORROBORATE_DB].")(f)
    f = click.option("--config", metavar="FILE", type=click.Path(dir_okay=False),
                     help="Settings file (TOML) [default: ./corroborate.toml if present].")(f)
    f = click.option("--set", "overrides", metavar="NAME=VALUE", multiple=True,
                     help="Change one setting (repeatable), e.g. --set story_threshold=0.25.")(f)
    return f


def _settings(db: str | None, config: str | None, overrides: tuple[str, ...]) -> Settings:
    pairs: dict[str, Any] = {}
    for item in overrides:
        if "=" not in item:
            raise click.UsageError(f"--set needs NAME=VALUE, got '{item}'")
        name, value = item.split("=", 1)
        pairs[name.strip()] = value.strip()
    if db:
        pairs["db"] = db
    try:
        return load(config, **pairs)
    except CorroborateError as err:
        raise click.UsageError(str(err)) from None


def _open(settings: Settings) -> Corpus:
    return Corpus.open(settings.db, settings)


def _print_error(rejected: Rejected) -> None:
    click.echo(rejected.line(), err=True)


def _run(corpus: Corpus, paths: tuple[str, ...],
         runner: Callable[..., RunResult] | None = None) -> RunResult:
    from .pipeline import ingest

    try:
        result = (runner or ingest)(paths, corpus.store, corpus.settings, on_error=_print_error)
    except KeyboardInterrupt:
        click.echo("interrupted: the current batch was rolled back and everything before it is "
                   "stored; run the same command again to resume", err=True)
        sys.exit(EXIT_INTERRUPTED)
    corpus.last_run = result
    click.echo(result.summary(), err=True)
    return result


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CorroborateError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(EXIT_FAILED_INPUTS)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="corroborate")
def main() -> None:
    """corroborate: read many news articles about the same events and tell what is established.

    Articles are cleaned of site chrome, duplicates and syndicated copies are found, and articles
    about the same event are grouped into stories, each with a brief whose every sentence names
    its source. Everything is kept in a database (--db): an SQLite file, or PostgreSQL for several
    analysts sharing one.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "out", default="report", show_default=True, metavar="DIR",
              help="Folder for report.json, report.md and index.html.")
@_common
def analyze(paths: tuple[str, ...], out: str, db: str | None, config: str | None,
            overrides: tuple[str, ...]) -> None:
    """Ingest PATHS and write the brief of every story to --out.

    PATHS are files, folders (read recursively), globs, http(s) URLs, or '-' for JSON Lines on
    stdin. Formats: .txt/.md, .html, .jsonl, RSS/Atom (.xml/.rss/.atom), .warc(.gz).
    """
    settings = _settings(db, config, overrides)
    with _open(settings) as corpus:
        result = _run(corpus, paths)
        folder = Path(out)
        stories, articles = write_brief(corpus.store, settings, folder)
    click.echo(f"brief: {folder / 'index.html'} (also report.md, report.json); "
               f"{stories} stories from {articles} articles", err=True)
    sys.exit(EXIT_FAILED_INPUTS if result.failed else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@_common
def ingest(paths: tuple[str, ...], db: str | None, config: str | None,
           overrides: tuple[str, ...]) -> None:
    """Add articles to the database and update the stories they belong to.

    New articles join existing stories or open new ones; nothing is re-clustered. Content that
    is already stored is skipped (and reported as such).
    """
    settings = _settings(db, config, overrides)
    with _open(settings) as corpus:
        result = _run(corpus, paths)
    sys.exit(EXIT_FAILED_INPUTS if result.failed else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local",
              show_default=True, help="local: the in-process pipeline; spark: the per-article "
              "stages in Spark (needs the [spark] extra and Java 17).")
@click.option("--out", "out", default="tables", show_default=True, metavar="DIR",
              help="Folder for the Parquet tables articles/, stories/ and claims/.")
@click.option("--master", metavar="URL", help="Spark master, e.g. local[4] [default: what "
              "spark-submit set, else local[*]].")
@_common
def batch(paths: tuple[str, ...], engine: str, out: str, master: str | None, db: str | None,
          config: str | None, overrides: tuple[str, ...]) -> None:
    """Analyse PATHS as one batch job and write Parquet tables to --out.

    The result is also in the database, as after `ingest` (report, show and serve work on it).
    With --engine spark, cleaning, NLP, claims, signatures and embeddings run in Spark executors
    and near duplicates are found with a join; stories are clustered on the driver, so the
    result is the same as `ingest`'s. See docs/spark.md.
    """
    from functools import partial

    from .batch import run_local

    settings = _settings(db, config, overrides)
    folder = Path(out)
    with _open(settings) as corpus:
        if engine == "spark":
            from .spark import run, spark_session

            with spark_session(master) as spark:
                result = _run(corpus, paths, partial(run, out=folder, spark=spark))
        else:
            result = _run(corpus, paths, partial(run_local, out=folder))
    click.echo(f"tables: {folder}/articles, stories, claims (Parquet)", err=True)
    sys.exit(EXIT_FAILED_INPUTS if result.failed else 0)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@_common
def stories(as_json: bool, db: str | None, config: str | None,
            overrides: tuple[str, ...]) -> None:
    """List the stories in the database."""
    settings = _settings(db, config, overrides)
    with _open(settings) as corpus:
        rows = corpus.store.stories()
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no stories yet: add articles with `corroborate ingest PATH...`", err=True)
    for r in rows:
        dates = " to ".join(sorted({d for d in (r["first_published"], r["last_published"]) if d}))
        click.echo(f"{r['id']}  {r['articles']:>3} art. {r['outlets']:>3} outlets  "
                   f"{dates or 'undated':<24}  {r['title']}")


@main.command()
@click.argument("story")
@_common
def show(story: str, db: str | None, config: str | None, overrides: tuple[str, ...]) -> None:
    """Print the brief of STORY (an id or a unique prefix of one) in the terminal."""
    settings = _settings(db, config, overrides)
    with _open(settings) as corpus:
        report = corpus.report(story_ids=[corpus.story(story).id])
    click.echo(render_markdown(report))


@main.command()
@click.option("--story", "story_ids", multiple=True, metavar="ID",
              help="Only this story (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["json", "md", "html", "claimreview"]),
              required=True, help="claimreview: schema.org ClaimReview JSON-LD of the contested "
              "and corroborated claims.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
@_common
def report(story_ids: tuple[str, ...], fmt: str, out: str | None, db: str | None,
           config: str | None, overrides: tuple[str, ...]) -> None:
    """Write the report of the stories in the database as JSON, Markdown, HTML or ClaimReview."""
    settings = _settings(db, config, overrides)
    if not story_ids and fmt != "claimreview":  # the whole store: written a story at a time
        with _open(settings) as corpus:
            if out:
                tmp = Path(out).with_name(Path(out).name + ".tmp")
                with tmp.open("w", encoding="utf-8") as stream:
                    write_report(corpus.store, settings, {fmt: stream})
                tmp.replace(out)
            else:
                write_report(corpus.store, settings, {fmt: sys.stdout})
                click.echo("")
        return
    with _open(settings) as corpus:
        ids = [corpus.story(s).id for s in story_ids] or None
        data = corpus.report(story_ids=ids)
    renderers: dict[str, Callable[[dict[str, Any]], str]] = {
        "json": lambda r: json.dumps(r, indent=2, ensure_ascii=False),
        "claimreview": lambda r: json.dumps(claim_reviews(r), indent=2, ensure_ascii=False),
        "md": render_markdown, "html": render_html}
    text = renderers[fmt](data)
    if out:
        _write(Path(out), text)
    else:
        click.echo(text)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Beyond localhost, writes need api_token.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes (each loads the models once, when it first writes).")
@_common
def serve(host: str, port: int, workers: int, db: str | None, config: str | None,
          overrides: tuple[str, ...]) -> None:
    """Serve the HTTP API (/api/..., OpenAPI at /docs) and the web pages (/) over the database.

    Briefs missing from the database (after an upgrade, or a crash between
    a write and its briefs) are built in the background; the story list shows them as they are ready.
    """
    import os

    import uvicorn

    from .api import LOCAL_HOSTS
    from .postgres import redact

    settings = _settings(db, config, overrides)
    if settings.db == ":memory:":
        raise click.UsageError("serve needs a database file or server: pass --db FILE or "
                               "--db postgresql://...")
    public = host not in LOCAL_HOSTS
    if public and not settings.api_token:
        click.echo(f"note: listening on {host} without api_token: reading is open, writes are "
                   "refused (set CORROBORATE_API_TOKEN to allow them)", err=True)
    Corpus.open(settings.db, settings).close()  # a clear error now if the database is unusable
    os.environ["CORROBORATE_SERVE_PUBLIC"] = "1" if public else "0"
    os.environ["CORROBORATE_DB"] = settings.db
    for name, value in (p.split("=", 1) for p in overrides):
        os.environ[f"CORROBORATE_{name.strip().upper()}"] = value.strip()
    if config:
        os.environ["CORROBORATE_CONFIG"] = config
    click.echo(f"serving {redact(settings.db)} on http://{host}:{port}/ (API docs at /docs)",
               err=True)
    uvicorn.run("corroborate.api:app_from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="warning", access_log=False)


@main.command("eval")
@click.argument("labels", type=click.Path(exists=True))
@click.option("--texts", type=click.Path(exists=True, file_okay=False),
              help="Folder of the page texts of a corpus of real pages (NNN.txt) [default: DIR].")
@click.option("--as", "mode", type=click.Choice(["txt", "jsonl"]), default="txt", show_default=True,
              help="Feed the pages as a folder of text files, or as a JSON Lines dump with each "
              "page's url, domain (as outlet), title and date.")
@click.option("--baseline", is_flag=True,
              help="Also score the TF-IDF baseline (average-link cosine) on the same texts.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@_common
def eval_(labels: str, texts: str | None, mode: str, baseline: bool, as_json: bool,
          db: str | None, config: str | None, overrides: tuple[str, ...]) -> None:
    """Measure quality against a labelled corpus, analysed in memory.

    LABELS is either a folder in the shared format for real pages (labels.json and events.json,
    docs/quality.md): story P/R/F1, copies found and false pairs, headline titles and pair-level
    disagreements are printed; or a labels file of our fictional corpus
    (tests/data/eval/labels.json): story P/R/F1 and, per claim kind, the precision and recall of
    detected contradictions and the verdict accuracy.
    """
    from . import corpus_eval, evaluation

    settings = _settings(db, config, overrides).with_(progress=False)
    try:
        if corpus_eval.is_corpus(labels):
            result = corpus_eval.evaluate(labels, settings, texts=texts, mode=mode,
                                          baseline=baseline)
            render = corpus_eval.table
        elif Path(labels).is_file():
            result, render = evaluation.evaluate(labels, settings), evaluation.table
        else:
            raise click.UsageError(f"{labels} is neither a labels file nor a folder with "
                                   "labels.json and events.json")
    except CorroborateError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_FAILED_INPUTS)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else render(result))


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


@main.group()
def bench() -> None:
    """Measure this machine: generate a corpus, then time the pipeline on it."""


@bench.command("generate")
@click.option("--articles", "n", type=click.IntRange(1), required=True, help="How many articles.")
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Folder to write.")
@click.option("--from", "sources", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Folders of example events, one sub-folder per event "
              "[default: the examples of this checkout].")
@click.option("--seed", type=int, default=1, show_default=True)
@_common
def bench_generate(n: int, out: str, sources: tuple[str, ...], seed: int, db: str | None,
                   config: str | None, overrides: tuple[str, ...]) -> None:
    """Write N realistic articles (HTML and text, with site chrome and syndicated copies) made
    from the example events, each renamed, re-dated and reworded per synthetic event."""
    from .bench import default_sources, generate

    settings = _settings(db, config, overrides)
    folders = [Path(s) for s in sources] or default_sources()
    if not folders:
        raise click.UsageError("no example events found; pass --from FOLDER")
    click.echo(json.dumps(generate(n, Path(out), folders, settings, seed), indent=2))


def _echo_bench(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    for key, value in result.items():
        if key == "stages" and isinstance(value, dict):
            click.echo("stages (CPU seconds, share):")
            for name, row in value.items():
                click.echo(f"  {name:<11} {row['cpu_seconds']:>9.2f}  {row['share']:>6.1%}")
        elif key == "runs" and isinstance(value, list):
            for row in value:
                click.echo(f"  {row['articles']:>4} article(s), {row['mode']:<4}: "
                           f"{row['seconds']:.3f} s")
        elif key != "machine":
            click.echo(f"{key}: {value}")


@bench.command("throughput")
@click.option("--articles", "n", type=click.IntRange(1), default=1000, show_default=True,
              help="Generate this many articles (ignored with --corpus).")
@click.option("--corpus", type=click.Path(exists=True), help="Measure on these articles instead.")
@click.option("--work", type=click.Path(file_okay=False), default="build/bench",
              show_default=True, help="Folder for the corpus, database and report.")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@_common
def bench_throughput(n: int, corpus: str | None, work: str, seed: int, as_json: bool,
                     db: str | None, config: str | None, overrides: tuple[str, ...]) -> None:
    """Time `corroborate analyze` end to end on N generated articles: articles/s, peak memory
    (all processes), CPU time per stage and the share of model inference."""
    from .bench import default_sources, generate, throughput

    settings = _settings(db, config, overrides).with_(progress=False)
    folder = Path(work)
    source = Path(corpus) if corpus else folder / f"corpus-{n}-{seed}"
    if not corpus and not (source / ".complete").exists():
        generate(n, source, default_sources(), settings, seed)
        (source / ".complete").touch()
    _echo_bench(throughput(source, folder, settings), as_json)


@bench.command("incremental")
@click.option("--base", "n", type=click.IntRange(1), default=10000, show_default=True,
              help="Articles in the store before the new ones come.")
@click.option("--work", type=click.Path(file_okay=False), default="build/bench",
              show_default=True, help="Folder for the corpus and the base database (kept, so a "
              "second run measures at once).")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--batches", default="1,100", show_default=True,
              help="Sizes of the batches of new articles, comma-separated.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@_common
def bench_incremental(n: int, work: str, seed: int, batches: str, as_json: bool, db: str | None,
                      config: str | None, overrides: tuple[str, ...]) -> None:
    """Latency of ingesting 1 and 100 new articles into a store that holds --base articles,
    with the models loaded (warm) and as a fresh process (cold). The base store is built once
    (or given with --db: then --base is ignored and the new articles go into that store)."""
    import random
    import tempfile

    from .bench import default_sources, generate, incremental
    from .pipeline import ingest as run_ingest

    settings = _settings(db, config, overrides).with_(progress=False)
    try:
        sizes = tuple(int(b) for b in batches.split(","))
    except ValueError:
        raise click.BadParameter("give sizes like 1,100", param_hint="--batches") from None
    folder = Path(work)
    base_db = Path(db) if db else folder / f"base-{n}-{seed}.db"
    if db and not base_db.exists():
        raise click.BadParameter(f"{db} does not exist", param_hint="--db")
    if not db and not (folder / f"base-{n}-{seed}.complete").exists():
        corpus = folder / f"corpus-{n}-{seed}"
        if not (corpus / ".complete").exists():
            generate(n, corpus, default_sources(), settings, seed)
            (corpus / ".complete").touch()
        click.echo(f"building the base store {base_db} from {corpus} (once)", err=True)
        store = open_store(str(base_db))
        run_ingest([str(corpus)], store, settings)
        store.close()
        (folder / f"base-{n}-{seed}.complete").touch()
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "new"
        generate(2 * sum(sizes) + 1, fresh, default_sources(), settings,
                 random.randrange(10 ** 6, 10 ** 9))
        new = sorted(p for p in fresh.rglob("*") if p.is_file())
        _echo_bench(incremental(base_db, new, settings, sizes), as_json)
