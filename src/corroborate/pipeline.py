"""Runs the stages over batches of articles, one database transaction per batch.

Per-article stages (clean, nlp, signatures, embeddings) are pure and run before the transaction;
the cross-article stages (duplicate matching, stories, storylines) run inside it, against the store,
and drop the stored briefs of the storylines the batch changed. After the last batch the briefs of
the touched stories are built again (claims cross-checked over each storyline; one transaction per
storyline); a brief that is missing after a crash is built when it is first asked for.
A run that is interrupted loses at most its current batch, which is rolled back; running the same
command again skips what is stored (ids are content hashes) and goes on.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import BinaryIO, TypeVar

import numpy as np

from . import dedup, nlp
from .clean import candidate_lines, clean
from .embed import embed_articles, get_embedder
from .entities import entity_keys
from .errors import Rejected
from .ingest import read_all
from .ingest.url import Fetcher
from .records import Article
from .settings import Settings
from .store import Member, Store
from .stories import StoryIndex, days_apart, related_stories, story_id_for, storylines

T = TypeVar("T")
# (id, MinHash signature, duplicate_of, published) of a stored article that may be a near
# duplicate, as Store.lsh_candidates gives them (oldest first).
Candidate = tuple[str, np.ndarray, str | None, str | None]
# Given an article id and its LSH band keys, its candidates: lets a batch engine that joined the
# band keys itself (spark.py) answer instead of the store's LSH index.
Candidates = Callable[[str, list[str]], Iterable[Candidate]]


@dataclass
class RunResult:
    added: list[str] = field(default_factory=list)  # article ids
    already: list[str] = field(default_factory=list)  # sources already stored
    duplicates: dict[str, str] = field(default_factory=dict)  # id -> original id
    stories: set[str] = field(default_factory=set)  # stories created or changed
    new_stories: set[str] = field(default_factory=set)
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.rejected)

    def summary(self) -> str:
        parts = [f"{len(self.added)} article(s) added"]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} of them duplicate(s) or syndicated copies")
        if self.already:
            parts.append(f"{len(self.already)} already stored (skipped)")
        parts.append(f"{len(self.new_stories)} new and "
                     f"{len(self.stories - self.new_stories)} updated stories")
        if self.rejected:
            parts.append(f"{len(self.rejected)} input(s) failed")
        return "; ".join(parts)


def ingest(inputs: Iterable[str], store: Store, settings: Settings, *,
           fetcher: Fetcher | None = None, stdin: BinaryIO | None = None,
           on_error: Callable[[Rejected], None] | None = None) -> RunResult:
    """Read, analyse and store articles, then build the briefs of the stories they touched;
    returns what happened. Never raises for bad input."""
    result = RunResult()
    items = read_all(inputs, settings, fetcher=fetcher, stdin=stdin)
    with _progress(settings) as bar:
        for batch in _chunks(items, settings.batch_size):
            articles = [i for i in batch if isinstance(i, Article)]
            unread = [i for i in batch if isinstance(i, Rejected)]
            rejected = process_batch(articles, store, settings, result, unread)
            for r in rejected:
                if on_error:
                    on_error(r)
            result.rejected += rejected
            bar.update(len(batch))
    if result.stories:
        from .report import refresh_briefs

        refresh_briefs(store, settings, result.stories)
    return result


@dataclass(frozen=True)
class Prepared:
    """An article after the per-article stages: cleaned, analysed (sentences, entities, claims),
    with its MinHash signature, embedding and entity keys. What the store stage needs."""

    article: Article
    signature: np.ndarray
    vector: np.ndarray
    keys: frozenset[str]


def process_batch(articles: list[Article], store: Store, settings: Settings,
                  result: RunResult, unread: list[Rejected] | None = None) -> list[Rejected]:
    """Per-article stages, then one transaction for everything the batch changes (including the
    record of the inputs that could not be read). Returns every rejection of the batch."""
    fresh = _new_articles(articles, store, result)
    counts, recurring = recurring_lines(fresh, store, settings)
    prepared, rejected = prepare(fresh, recurring, settings)
    rejected = list(unread or []) + rejected
    store_batch(prepared, store, settings, result, counts=counts, rejected=rejected)
    return rejected


def recurring_lines(articles: list[Article], store: Store, settings: Settings
                    ) -> tuple[Counter[str], set[str]]:
    """The short lines of this batch (hash -> articles) and those seen in enough articles, here
    and in the store, to be boilerplate."""
    counts = Counter(h for a in articles for h in candidate_lines(a))
    stored = store.line_counts(counts)
    recurring = {h for h, n in counts.items() if n + stored.get(h, 0) >=
                 settings.recurring_line_articles}
    return counts, recurring


def prepare(articles: list[Article], recurring: set[str], settings: Settings
            ) -> tuple[list[Prepared], list[Rejected]]:
    """The per-article stages (clean, NLP and claims, MinHash, embedding), originals first.
    Pure: no store, so it runs in worker processes or Spark executors alike."""
    rejected: list[Rejected] = []
    cleaned = []
    for article in articles:
        try:
            done = dedup.with_hash(clean(article, settings, recurring))
        except Exception as err:  # noqa: BLE001 - one bad article never stops the batch
            rejected.append(Rejected(article.source, "clean", f"{type(err).__name__}: {err}"))
            continue
        if not done.text.strip():
            rejected.append(Rejected(article.source, "clean",
                                     "no article text found (everything looked like site chrome)"))
            continue
        cleaned.append(done)
    analysed = _analyse(dedup.original_first(cleaned), rejected)
    vectors = embed_articles(analysed, get_embedder(settings))
    prepared = [Prepared(a, dedup.signature(a.text, settings), vector, entity_keys(a))
                for a, vector in zip(analysed, vectors, strict=True)]
    return prepared, rejected


def store_batch(prepared: list[Prepared], store: Store, settings: Settings, result: RunResult,
                *, counts: Counter[str] | None = None, rejected: list[Rejected] | None = None,
                candidates: Candidates | None = None) -> None:
    """The cross-article stages in one transaction: duplicates, stories, storylines, counts;
    drops the briefs of the stories changed. ``candidates`` replaces the store's LSH lookup of
    near duplicates (see :data:`Candidates`)."""
    with store.transaction():
        store.add_line_counts(counts or Counter())
        index = StoryIndex(*store.members())
        touched = {_store_one(p, store, index, settings, result, candidates) for p in prepared}
        for story in sorted(touched):
            store.upsert_story(story, story_title(store.articles(story)))
        store.update_story_counts(touched)
        _update_storylines(store, index, sorted(touched), settings)
        store.drop_briefs(touched)
        result.stories |= touched
        store.add_rejections(rejected or [])


def _analyse(articles: list[Article], rejected: list[Rejected]) -> list[Article]:
    """The NLP stage for a batch; if it fails, article by article, so one bad text is rejected
    with its reason and the others go on."""
    try:
        return nlp.analyse(articles)
    except Exception:  # noqa: BLE001 - find the article that fails, keep the rest
        done = []
        for article in articles:
            try:
                done += nlp.analyse([article])
            except Exception as err:  # noqa: BLE001
                rejected.append(Rejected(article.source, "nlp", f"{type(err).__name__}: {err}"))
        return done


def _new_articles(articles: list[Article], store: Store, result: RunResult) -> list[Article]:
    known = store.known_ids([a.id for a in articles])
    fresh: dict[str, Article] = {}
    for a in articles:
        if a.id in known or a.id in fresh:
            result.already.append(a.source)
        else:
            fresh[a.id] = a
    return list(fresh.values())


def _store_one(prepared: Prepared, store: Store, index: StoryIndex, settings: Settings,
               result: RunResult, candidates: Candidates | None = None) -> str:
    article, sig, vector, keys = prepared.article, prepared.signature, prepared.vector, \
        prepared.keys
    bands = dedup.band_keys(sig, settings)
    original = find_original(article, sig, bands, store, settings, candidates)
    if original:
        story = store.story_of(original) or story_id_for(original)
        article = replace(article, duplicate_of=original, story_id=story)
        result.duplicates[article.id] = original
    else:
        joined, _ = index.best_story(vector, keys, article.published, settings)
        story = joined or story_id_for(article.id)
        if joined is None:
            result.new_stories.add(story)
        article = replace(article, story_id=story)
        index.add(Member(article.id, story, article.published, keys), vector)
    store.add_article(article, sig, vector, bands, keys)
    result.added.append(article.id)
    return story


def find_original(article: Article, sig: np.ndarray, bands: list[str], store: Store,
                  settings: Settings, candidates: Candidates | None = None) -> str | None:
    """The stored article this one copies: the same normalised text, or a near duplicate dated
    within ``story_window_days`` of it (among ``candidates``, else the store's LSH index)."""
    exact = store.original_by_hash(article.norm_hash)
    if exact:
        return exact
    found = store.lsh_candidates(bands) if candidates is None else candidates(article.id, bands)
    for cand_id, cand_sig, cand_original, published in found:
        gap = days_apart(article.published, published)
        if gap is not None and gap > settings.story_window_days:
            continue  # the same wording about another event (a template, a yearly report)
        if dedup.is_near_duplicate(sig, cand_sig, settings):
            return cand_original or cand_id
    return None


def story_title(articles: list[Article]) -> str:
    """The headline of the earliest titled original, else the first sentence of the first one."""
    originals = [a for a in articles if not a.duplicate_of] or articles
    titled = sorted((a for a in originals if a.title),
                    key=lambda a: (a.published or "9999", a.source))
    if titled:
        return str(titled[0].title)
    first = originals[0]
    sentence = first.sentences[0].text if first.sentences else first.text
    return sentence if len(sentence) <= 120 else sentence[:117].rsplit(" ", 1)[0] + "…"


def _update_storylines(store: Store, index: StoryIndex, touched: list[str],
                       settings: Settings) -> None:
    for a, b, score in related_stories(index, touched, settings):
        store.add_link(a, b, score)
    store.set_storylines(storylines(index.by_story, store.links()))


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, max(1, size))):
        yield batch


class _progress:
    """A tqdm bar on a terminal; nothing when stderr is piped or progress is off."""

    def __init__(self, settings: Settings) -> None:
        self.enabled = settings.progress and sys.stderr.isatty()
        self.bar = None

    def __enter__(self) -> _progress:
        if self.enabled:
            from tqdm import tqdm

            self.bar = tqdm(unit=" inputs", desc="analysing", file=sys.stderr, leave=False)
        return self

    def update(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()
