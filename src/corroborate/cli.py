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
from .report import render_html, render_markdown
from .report.claimreview import claim_reviews
from .settings import Settings, load

EXIT_FAILED_INPUTS = 1
EXIT_INTERRUPTED = 130


def _common(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--db", metavar="FILE",
                     help="Database file [default: corroborate.db, or $CORROBORATE_DB].")(f)
    f = click.option("--config", metavar="FILE", type=click.Path(dir_okay=False),
                     help="Settings file (TOML) [default: ./corroborate.toml if present].")(f)
    f = click.option("--set", "overrides", metavar="NAME=VALUE", multiple=True,
                     help="Change one setting (repeatable), e.g. --set story_threshold=0.6.")(f)
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
    its source. Everything is kept in an SQLite database (--db).
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
        report = corpus.report()
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / "report.json", json.dumps(report, indent=2, ensure_ascii=False))
        _write(folder / "report.md", render_markdown(report))
        _write(folder / "index.html", render_html(report))
    click.echo(f"brief: {folder / 'index.html'} (also report.md, report.json); "
               f"{len(report['stories'])} stories from {len(report['articles'])} articles",
               err=True)
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
    with _open(settings) as corpus:
        ids = [corpus.story(s).id for s in story_ids] or None
        data = corpus.report(story_ids=ids)
    text = {"json": lambda r: json.dumps(r, indent=2, ensure_ascii=False),
            "claimreview": lambda r: json.dumps(claim_reviews(r), indent=2, ensure_ascii=False),
            "md": render_markdown, "html": render_html}[fmt](data)
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

    settings = _settings(db, config, overrides)
    if settings.db == ":memory:":
        raise click.UsageError("serve needs a database file: pass --db FILE")
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
    click.echo(f"serving {settings.db} on http://{host}:{port}/ (API docs at /docs)", err=True)
    uvicorn.run("corroborate.api:app_from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="warning", access_log=False)


@main.command("eval")
@click.argument("labels", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@_common
def eval_(labels: str, as_json: bool, db: str | None, config: str | None,
          overrides: tuple[str, ...]) -> None:
    """Measure quality against a labelled corpus (LABELS.json, as examples/labels.json).

    Prints story clustering precision/recall/F1, and per claim kind the precision and recall of
    detected contradictions and the verdict accuracy. The corpus is analysed in memory.
    """
    from .evaluation import evaluate, table

    settings = _settings(db, config, overrides).with_(progress=False)
    result = evaluate(labels, settings)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else table(result))


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
