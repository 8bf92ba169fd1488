"""corroborate: what several independent news outlets agree on, and where they differ.

    >>> import corroborate
    >>> corpus = corroborate.analyze(["examples/articles"])
    >>> for story in corpus.stories():
    ...     print(story.title, story.brief()["summary"])

The stages (``corroborate.clean.clean``, ``corroborate.nlp.analyse``, ...) are public too; the
command line, and later the HTTP API, are thin shells over this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CorroborateError, NotFound, Rejected
from .pipeline import RunResult, ingest
from .records import Article
from .settings import Settings, load
from .store import Store, open_store

__version__ = "0.2.0"
__all__ = ["analyze", "Corpus", "StoryRef", "Settings", "load_settings", "CorroborateError",
           "NotFound", "Rejected", "Article", "RunResult", "__version__"]

load_settings = load


@dataclass(frozen=True)
class StoryRef:
    id: str
    title: str
    storyline_id: str | None
    articles: int
    outlets: int
    first_published: str | None
    last_published: str | None
    corpus: Corpus

    def brief(self) -> dict[str, Any]:
        """The story as in the report JSON (``stories[]`` of ``corroborate.report/1``)."""
        return self.corpus.report(story_ids=[self.id])["stories"][0]


class Corpus:
    """A store of analysed articles, with the stories they form."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.last_run: RunResult | None = None

    @classmethod
    def open(cls, db: str | Path | None = None, settings: Settings | None = None) -> Corpus:
        settings = settings or load()
        return cls(open_store(db or settings.db), settings)

    def ingest(self, paths: Iterable[str | Path]) -> RunResult:
        self.last_run = ingest([str(p) for p in paths], self.store, self.settings)
        return self.last_run

    def stories(self) -> list[StoryRef]:
        return [StoryRef(corpus=self, **{k: row[k] for k in (
            "id", "title", "storyline_id", "articles", "outlets", "first_published",
            "last_published")}) for row in self.store.stories()]

    def story(self, story_id: str) -> StoryRef:
        row = self.store.story(story_id)
        return next(s for s in self.stories() if s.id == row["id"])

    def articles(self) -> list[Article]:
        return self.store.articles()

    def report(self, story_ids: list[str] | None = None) -> dict[str, Any]:
        from .report import build_report

        return build_report(self.store, self.settings, story_ids)

    @property
    def errors(self) -> list[Rejected]:
        return self.store.rejections()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def analyze(paths: Iterable[str | Path], *, db: str | Path = ":memory:",
            settings: Settings | None = None, **overrides: Any) -> Corpus:
    """Ingest and analyse ``paths`` (files, folders, globs, URLs) into a corpus.

    The database is in memory unless ``db`` names a file; ``overrides`` change settings by name.
    """
    settings = (settings or load(progress=False)).with_(**overrides)
    corpus = Corpus(open_store(db), settings)
    corpus.ingest(paths)
    return corpus
