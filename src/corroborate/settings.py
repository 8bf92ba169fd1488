"""One settings object, built from one declarative table.

Precedence: defaults < config file (``corroborate.toml`` in the working directory, or the file
named by ``--config`` / ``CORROBORATE_CONFIG``) < ``CORROBORATE_<NAME>`` environment variables <
command-line flags. Unknown keys fail at start-up with a hint; ``docs/settings.md`` documents every
field of :class:`Settings` (a test keeps the two in step).
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import SettingsError


def _s(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """Every setting, its type, default and help: the one declarative table."""

    db: str = _s("corroborate.db", "Database: an SQLite file (or :memory:), or a PostgreSQL URL"
                  " postgresql://user:password@host:port/dbname (docs/postgresql.md).")
    max_bytes: int = _s(5_000_000, "Largest input accepted per article or file, in bytes.")
    fetch_timeout: float = _s(15.0, "Seconds allowed for fetching one http(s) URL (the whole answer).")
    max_redirects: int = _s(5, "Redirects followed when fetching a URL.")
    allow_private_urls: bool = _s(
        False, "Allow fetching URLs on loopback, private and link-local addresses.")
    batch_size: int = _s(200, "Articles written per database transaction.")
    workers: int = _s(
        0, "Processes for the per-article stages of a big batch (0: one per CPU core; 1: all in"
        " the main process).")
    recurring_line_articles: int = _s(
        3, "A short line seen in at least this many articles is boilerplate.")
    near_duplicate_threshold: float = _s(
        0.5, "Estimated Jaccard similarity of word shingles above which an article is a near"
        " duplicate.")
    copy_containment: float = _s(
        0.5, "Share of the shorter text's word shingles (in any order) that the longer one holds"
        " above which one article copies the other.")
    copy_coverage: float = _s(
        0.4, "Share of the text two articles could share (aligned word by word, quotations"
        " masked) that they do share in runs, above which one copies the other (a partial copy:"
        " listing page, condensed rewrite, scrape, another excerpt of one wire story).")
    copy_min_words: int = _s(
        25, "Fewest words two articles must share in runs for one to copy the other.")
    copy_run_words: int = _s(
        85, "Words two articles share in runs (quotations masked) from which one copies the other"
        " whatever share of them that is (two versions of one wire story, each with its own"
        " additions); set between what pages that are not copies share and what copies do.")
    copy_candidate_similarity: float = _s(
        0.3, "TF-IDF cosine above which two articles are checked for copying.")
    minhash_permutations: int = _s(128, "MinHash permutations per article.")
    shingle_words: int = _s(5, "Words per shingle for near-duplicate detection.")
    embedder: str = _s(
        "model2vec", "Article embeddings: 'model2vec' (static, distilled from MiniLM) or 'minilm'.")
    model_dir: str = _s(
        "", "Where the distilled model2vec model is kept (default: ~/.cache/corroborate).")
    story_threshold: float = _s(
        0.15, "Similarity above which an article joins a story (the same event); fitted on the"
        " labelled real pages (benchmarks/fit_stories.py).")
    story_term_weight: float = _s(
        0.9, "Weight of the TF-IDF cosine in the similarity of two articles (the rest is the overlap"
        " of the entities they name).")
    story_day_penalty: float = _s(
        0.03, "Similarity taken off for each day between the events two articles report (by their"
        " dates, else by the weekdays their leads name); fitted on the labelled real pages.")
    story_reported_days: int = _s(
        3, "A page dated only by its publication (no event date in its lead) may report an event"
        " up to this many days earlier: its gap to another page is counted from that span; fitted"
        " on the labelled real pages.")
    story_refine_rounds: int = _s(
        10, "Rounds in which the members of the stories a batch changed may move to a story that"
        " fits them better, or leave theirs, after each article joined the best story on arrival"
        " (0: never); a round that moves nothing ends it.")
    storyline_threshold: float = _s(
        0.65, "Similarity above which two stories are linked into one storyline.")
    storyline_window_days: int = _s(
        90, "Stories dated further apart than this are never linked into one storyline directly.")
    storyline_max_stories: int = _s(
        40, "Most stories in one storyline: a related story beyond that starts another (a feed"
        " about one country would otherwise chain into one storyline of everything).")
    story_window_days: int = _s(
        10, "Articles published further apart than this are never the same event.")
    summary_sentences: int = _s(5, "Sentences in a story's extractive summary.")
    api_token: str = _s(
        "", "Token that `corroborate serve` requires for writes (POST), sent as 'Authorization: "
        "Bearer TOKEN'. Without one, a server listening beyond localhost refuses writes.")
    max_request_bytes: int = _s(20_000_000, "Largest HTTP request body accepted, in bytes.")
    max_articles_per_request: int = _s(500, "Most articles accepted by one POST /api/articles.")
    progress: bool = _s(True, "Show a progress bar when stderr is a terminal.")

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **{k: coerce(k, v) for k, v in changes.items() if v is not None})

    @property
    def model_path(self) -> Path:
        if self.model_dir:
            return Path(self.model_dir).expanduser()
        return Path.home() / ".cache" / "corroborate"


TABLE: dict[str, Field[Any]] = {f.name: f for f in fields(Settings)}
_TYPES = {"str": str, "int": int, "float": float, "bool": bool}


def coerce(name: str, value: Any) -> Any:
    """Check ``name`` exists and turn ``value`` (often a string) into its type."""
    setting = TABLE.get(name)
    if setting is None:
        close = difflib.get_close_matches(name, TABLE, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "see docs/settings.md for the list"
        raise SettingsError(f"unknown setting '{name}'", hint=hint)
    kind = _TYPES[setting.type] if isinstance(setting.type, str) else setting.type
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    try:
        if kind is bool:
            text = str(value).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError(text)
        return kind(value)
    except (TypeError, ValueError):
        raise SettingsError(
            f"setting '{name}' must be {kind.__name__}, got {value!r}",
            hint=setting.metadata["help"],
        ) from None


def load(config: str | Path | None = None, *, env: Mapping[str, str] | None = None,
         **flags: Any) -> Settings:
    """Build settings: defaults < config file < environment < flags (None flags are ignored)."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    path = Path(config or env.get("CORROBORATE_CONFIG") or "corroborate.toml")
    if config or env.get("CORROBORATE_CONFIG") or path.exists():
        values.update(_read_config(path))
    for name in TABLE:
        key = f"CORROBORATE_{name.upper()}"
        if key in env:
            values[name] = env[key]
    values.update({k: v for k, v in flags.items() if v is not None})
    return Settings().with_(**values)


def _read_config(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"config file {path} does not exist",
                            hint="create it or drop --config") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise SettingsError(f"config file {path} is not valid TOML: {err}") from None
    section = data.get("corroborate", data)
    if not isinstance(section, dict):
        raise SettingsError(f"config file {path}: [corroborate] must be a table")
    return dict(section)
