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

import os
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import islice
from typing import Any, BinaryIO, TypeVar

import numpy as np

from . import dedup, nlp, timing
from .clean import candidate_lines, clean
from .embed import embed_articles, get_embedder
from .entities import entity_keys
from .errors import Rejected
from .ingest import read_all
from .ingest.url import Fetcher
from .metadata import with_event_day, with_metadata, without_dateline
from .records import Article
from .settings import Settings
from .store import Member, Store, open_store
from .stories import (
    DOCUMENTS,
    UNDATED,
    StoryIndex,
    day_number,
    days_apart,
    idf,
    related_stories,
    story_id_for,
    storylines,
    terms,
)

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
    returns what happened. Never raises for bad input.

    The per-article stages of a batch run in worker processes (``settings.workers``) while the
    main process reads the next batch and stores the previous one, so both cores stay busy. The
    result is the same as one batch after another: a batch sees the boilerplate lines and ids of
    the batches still in flight as if they were stored."""
    result = RunResult()
    items = timing.timed(read_all(inputs, settings, fetcher=fetcher, stdin=stdin), "ingest")
    flight: deque[_Batch] = deque()
    pending_counts: Counter[str] = Counter()
    pending_ids: set[str] = set()

    def finish(batch: _Batch) -> None:
        prepared, rejected = batch.job.get()
        rejected = batch.unread + rejected
        store_batch(prepared, store, settings, result, counts=batch.counts, rejected=rejected)
        for line, n in batch.counts.items():  # stored now: no longer pending (and no longer kept)
            if pending_counts[line] > n:
                pending_counts[line] -= n
            else:
                pending_counts.pop(line, None)
        pending_ids.difference_update(batch.ids)
        for r in rejected:
            if on_error:
                on_error(r)
        result.rejected += rejected
        bar.update(batch.size)

    with _progress(settings) as bar, Workers(settings) as workers:
        for chunk in _chunks(items, settings.batch_size):
            articles = [i for i in chunk if isinstance(i, Article)]
            unread = [i for i in chunk if isinstance(i, Rejected)]
            fresh = _new_articles(articles, store, result, pending_ids)
            counts, recurring = recurring_lines(fresh, store, settings, pending_counts)
            flight.append(_Batch(workers.prepare(fresh, recurring), counts, unread,
                                 {a.id for a in fresh}, len(chunk)))
            pending_counts.update(counts)
            pending_ids.update(a.id for a in fresh)
            while len(flight) > workers.depth:
                finish(flight.popleft())
        while flight:
            finish(flight.popleft())
        if result.stories:
            with timing.stage("crosscheck"):
                workers.refresh_briefs(store, result.stories)
    return result


@dataclass
class _Batch:
    job: _Job
    counts: Counter[str]
    unread: list[Rejected]
    ids: set[str]
    size: int


class _Job:
    """The per-article stages of one batch, done here or in worker processes."""

    def __init__(self, done: tuple[list[Prepared], list[Rejected]] | None = None,
                 parts: list[Any] | None = None) -> None:
        self.done, self.parts = done, parts or []

    def get(self) -> tuple[list[Prepared], list[Rejected]]:
        if self.done is None:
            prepared: list[Prepared] = []
            rejected: list[Rejected] = []
            for part in self.parts:
                p, r, spent = part.get()
                prepared += p
                rejected += r
                timing.merge(spent)
            self.done = prepared, rejected
        return self.done


PARALLEL_MIN = 32  # fewer fresh articles in a batch than this are analysed in-process
# A worker is replaced after this many parts of batches (about 2,500 articles at the default
# batch size): spaCy's vocabulary grows with every new word it meets, so a worker that lived for
# the whole of a long run would grow with it. Loading the models again takes about 2 s.
WORKER_TASKS = 25


class Workers:
    """A pool of processes for the per-article stages, started when a batch is big enough to
    gain from it (starting one and loading the models costs a few seconds); models are loaded
    once per worker. ``workers=1`` keeps everything in this process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.count = settings.workers or os.cpu_count() or 1
        self.pool: Any = None
        self.depth = 0

    def __enter__(self) -> Workers:
        return self

    def prepare(self, articles: list[Article], recurring: set[str]) -> _Job:
        """Once the pool runs, every batch goes to it: the models are never loaded here too."""
        if not articles:
            return _Job(done=([], []))
        if self.pool is None and (self.count <= 1 or len(articles) < PARALLEL_MIN):
            return _Job(done=prepare(articles, recurring, self.settings))
        if self.pool is None:
            self._start()
        size = -(-len(articles) // self.count)
        return _Job(parts=[self.pool.apply_async(_prepare_in_worker,
                                                 (articles[i:i + size], recurring, self.settings))
                           for i in range(0, len(articles), size)])

    def refresh_briefs(self, store: Store, stories: Iterable[str]) -> None:
        """Build the stale briefs of these stories: shared among the worker processes when they
        run and the store is a SQLite file (each worker opens it and saves each storyline's
        briefs in its own transaction, as two processes ingesting into one store already do),
        else here."""
        from .report import refresh_briefs, stale_scopes

        if self.pool is None or store.dialect.name != "sqlite" or store.path == ":memory:":
            refresh_briefs(store, self.settings, stories)
            return
        scopes = stale_scopes(store, self.settings, stories)
        path = os.path.abspath(store.path)  # the workers may not share this process's folder
        jobs = [self.pool.apply_async(_briefs_in_worker, (path, part, self.settings))
                for part in (scopes[i::self.count] for i in range(self.count)) if part]
        for job in jobs:
            timing.merge(job.get())

    def _start(self) -> None:
        import multiprocessing

        # one thread per worker: the workers already use every core
        saved = {k: os.environ.get(k) for k in _THREAD_VARIABLES}
        os.environ.update(dict.fromkeys(_THREAD_VARIABLES, "1"))
        try:
            context = multiprocessing.get_context("forkserver")
            self.pool = context.Pool(self.count, initializer=_ignore_interrupts,
                                     maxtasksperchild=WORKER_TASKS)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        self.depth = 1  # the next batch is analysed while this one is stored

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            if exc[0] is None:
                self.pool.close()
            else:
                self.pool.terminate()
            self.pool.join()


_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _ignore_interrupts() -> None:
    """Ctrl-C goes to the main process, which rolls back and stops the pool."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _prepare_in_worker(articles: list[Article], recurring: set[str], settings: Settings
                       ) -> tuple[list[Prepared], list[Rejected], dict[str, float]]:
    timing.reset()
    prepared, rejected = prepare(articles, recurring, settings)
    return prepared, rejected, timing.reset()


def _briefs_in_worker(path: str, scopes: list[str], settings: Settings) -> dict[str, float]:
    from .report import build_scopes

    timing.reset()
    store = open_store(path)
    try:
        with timing.stage("crosscheck"):
            build_scopes(store, settings, scopes)
    finally:
        store.close()
    return timing.reset()


@dataclass(frozen=True)
class Prepared:
    """An article after the per-article stages: cleaned, analysed (sentences, entities, claims),
    with its MinHash signature, embedding and entity keys. What the store stage needs."""

    article: Article
    signature: np.ndarray
    vector: np.ndarray
    keys: frozenset[str]
    terms: dict[str, int] = field(default_factory=dict)


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


def recurring_lines(articles: list[Article], store: Store, settings: Settings,
                    pending: Counter[str] | None = None) -> tuple[Counter[str], set[str]]:
    """The short lines of this batch (hash -> articles) and those seen in enough articles, here,
    in the store and in the batches not stored yet (``pending``), to be boilerplate."""
    with timing.stage("clean"):
        counts = Counter(h for a in articles for h in candidate_lines(a))
        stored = store.line_counts(counts)
        pending = pending or Counter()
        recurring = {h for h, n in counts.items()
                     if n + stored.get(h, 0) + pending[h] >= settings.recurring_line_articles}
    return counts, recurring


def prepare(articles: list[Article], recurring: set[str], settings: Settings
            ) -> tuple[list[Prepared], list[Rejected]]:
    """The per-article stages (clean, NLP and claims, MinHash, embedding). Pure: no store, so it
    runs in worker processes or Spark executors alike."""
    if not articles:
        return [], []  # nothing to do: no model is loaded for it
    rejected: list[Rejected] = []
    cleaned = []
    for article in articles:
        try:
            with timing.stage("clean"):
                done = clean_page(article, settings, recurring)
            with timing.stage("dedup"):
                done = dedup.with_hash(done)
        except Exception as err:  # noqa: BLE001 - one bad article never stops the batch
            rejected.append(Rejected(article.source, "clean", f"{type(err).__name__}: {err}"))
            continue
        if not done.text.strip():
            rejected.append(Rejected(article.source, "clean",
                                     "no article text found (everything looked like site chrome)"))
            continue
        cleaned.append(done)
    analysed = [with_event_day(a) for a in _analyse(cleaned, rejected)]
    with timing.stage("embed"):
        vectors = embed_articles(analysed, get_embedder(settings))
    with timing.stage("dedup"):
        signatures = [dedup.signature(a.text, settings) for a in analysed]
    with timing.stage("stories"):
        keys = [entity_keys(a) for a in analysed]
        counts = [terms(a) for a in analysed]
    return [Prepared(*row) for row in zip(analysed, signatures, vectors, keys, counts,
                                          strict=True)], rejected


def store_batch(prepared: list[Prepared], store: Store, settings: Settings, result: RunResult,
                *, counts: Counter[str] | None = None, rejected: list[Rejected] | None = None,
                candidates: Candidates | None = None) -> None:
    """The cross-article stages in one transaction, originals before their copies: duplicates,
    stories, storylines, counts; drops the briefs of the stories changed. ``candidates`` replaces
    the store's LSH lookup of near duplicates (see :data:`Candidates`)."""
    order = {a.id: i for i, a in enumerate(dedup.original_first([p.article for p in prepared]))}
    with timing.stage("stories"), store.transaction():
        prepared = _not_stored_meanwhile(prepared, store, result)
        store.add_line_counts(counts or Counter())
        members, vectors = store.members(*_window(prepared, store, settings))
        index = StoryIndex(members, vectors, term_idfs(prepared, members, store))
        touched = {_store_one(p, store, index, settings, result, candidates)
                   for p in sorted(prepared, key=lambda p: order[p.article.id])}
        touched = _refine_stories(store, index, touched, settings, result)
        for story in sorted(touched):
            store.upsert_story(story, story_title(store, story))
        store.update_story_counts(touched)
        _update_storylines(store, index, sorted(touched), settings)
        store.drop_briefs(touched)
        result.stories |= touched
        store.add_rejections(rejected or [])


def clean_page(article: Article, settings: Settings, recurring: set[str]) -> Article:
    """The clean stage, then for an HTML page the metadata read from its main text (the readers
    of plain text read it from the lines before cleaning, so that the headline is not kept as a
    paragraph)."""
    cleaned = clean(article, settings, recurring)
    return with_metadata(cleaned) if article.is_html else cleaned


def _analyse(articles: list[Article], rejected: list[Rejected]) -> list[Article]:
    """The NLP stage for a batch; if it fails, article by article, so one bad text is rejected
    with its reason and the others go on. A syndicated copy with the same clean text and date as
    another article of the batch takes that article's analysis instead of running the models
    again (the result would be the same)."""
    first: dict[tuple[str, str | None], Article] = {}
    for a in articles:
        first.setdefault((a.text, a.published), a)
    unique = list(first.values())
    try:
        done = nlp.analyse(unique)
    except Exception:  # noqa: BLE001 - find the article that fails, keep the rest
        done = []
        for article in unique:
            try:
                done += nlp.analyse([article])
            except Exception as err:  # noqa: BLE001
                rejected.append(Rejected(article.source, "nlp", f"{type(err).__name__}: {err}"))
    analysed = {(a.text, a.published): a for a in done}
    out = []
    for a in articles:
        twin = analysed.get((a.text, a.published))
        if twin is None:
            if first[(a.text, a.published)] is not a:  # its twin failed: so does it
                rejected.append(Rejected(a.source, "nlp", "failed like an identical article"))
            continue
        out.append(twin if twin is a or twin.id == a.id else replace(
            a, sentences=twin.sentences, entities=twin.entities, quantities=twin.quantities,
            dates=twin.dates, claims=twin.claims))
    return out


def _new_articles(articles: list[Article], store: Store, result: RunResult,
                  pending: set[str] | None = None) -> list[Article]:
    known = store.known_ids([a.id for a in articles]) | (pending or set())
    fresh: dict[str, Article] = {}
    for a in articles:
        if a.id in known or a.id in fresh:
            result.already.append(a.source)
        else:
            fresh[a.id] = a
    return list(fresh.values())


def _not_stored_meanwhile(prepared: list[Prepared], store: Store, result: RunResult
                          ) -> list[Prepared]:
    """Skip what another writer (a second process on the same database) stored since this batch
    was read: checked again inside the write transaction."""
    known = store.known_ids([p.article.id for p in prepared])
    result.already += [p.article.source for p in prepared if p.article.id in known]
    return [p for p in prepared if p.article.id not in known]


def term_idfs(prepared: list[Prepared], members: list[Member], store: Store) -> dict[str, float]:
    """Count the batch's terms into the store's document frequencies, and the IDF of every term
    that the batch and the members it is compared with use."""
    batch: Counter[str] = Counter(t for p in prepared for t in p.terms)
    batch[DOCUMENTS] = len(prepared)
    store.add_term_counts(batch)
    wanted = set(batch) | {t for m in members for t in m.terms}
    counts = store.term_counts(wanted)
    documents = counts.pop(DOCUMENTS, 0)
    return idf(counts, documents)


def _store_one(prepared: Prepared, store: Store, index: StoryIndex, settings: Settings,
               result: RunResult, candidates: Candidates | None = None) -> str:
    article, sig, vector, keys = prepared.article, prepared.signature, prepared.vector, \
        prepared.keys
    member = Member(article.id, "", article.published, keys, prepared.terms, article.event_date,
                    article.event_weekday)
    cos = None  # the article's TF-IDF cosines with the members, once they are needed
    with timing.stage("dedup"):
        bands = dedup.band_keys(sig, settings)
        original = find_original(article, sig, bands, store, settings, candidates)
        if original is None and index.members:
            cos = index.cosines(member)
            original = find_container(article, index.close(member, settings, cos), store,
                                      settings)
    if original:
        story = store.story_of(original) or story_id_for(original)
        article = replace(article, duplicate_of=original, story_id=story)
        result.duplicates[article.id] = original
    else:
        joined, _ = index.best_story(member, settings, cos)
        story = joined or story_id_for(article.id)
        if joined is None:
            result.new_stories.add(story)
        article = replace(article, story_id=story)
        index.add(replace(member, story_id=story), vector)
    store.add_article(article, sig, vector, bands, keys, prepared.terms)
    result.added.append(article.id)
    return story


def _refine_stories(store: Store, index: StoryIndex, touched: set[str], settings: Settings,
                    result: RunResult) -> set[str]:
    """Move the touched stories' members to where they fit best (:meth:`StoryIndex.refine`),
    their copies with them; forget the stories left empty. Returns the stories changed that
    still exist."""
    before = {m.id: m.story_id for m in index.members}
    moves = index.refine(touched, settings)
    if not moves:
        return touched
    store.move_articles(moves)
    changed = touched | set(moves.values()) | {before[a] for a in moves}
    empty = {s for s in changed if s not in index.by_story}
    empty = {s for s in empty if store.story_is_empty(s)}
    store.drop_briefs(changed)
    store.delete_stories(empty)
    result.stories -= empty
    result.new_stories -= empty
    known = set(before.values())
    result.new_stories |= {s for s in moves.values() if s not in known}
    return changed - empty


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


def find_container(article: Article, close: list[str], store: Store, settings: Settings
                   ) -> str | None:
    """The stored original that holds most of this article's text, or that this article holds
    most of (a partial copy), among ``close``: the originals whose terms are close to its own,
    closest first (:meth:`StoryIndex.close`)."""
    if not close:
        return None
    mine, words = dedup.shingles(article.text, settings), dedup.copy_words(article.text)
    texts = store.texts(close)
    for candidate in close:
        if candidate not in texts:
            continue
        theirs = texts[candidate]
        if (dedup.containment(mine, dedup.shingles(theirs, settings)) >= settings.copy_containment
                or dedup.is_copy(words, dedup.copy_words(theirs), settings)):
            return candidate
    return None


def story_title(store: Store, story_id: str) -> str:
    """The headline of the earliest titled original (one the input gave or a page's first line
    first, then one read further down a page, then one rebuilt from a URL), else of a copy, else
    the first sentence of the first original (read from the story's rows, without loading its
    articles unless none has a title)."""
    rows = store.title_rows(story_id)
    originals = [r for r in rows if not r["duplicate_of"]] or rows
    titled = sorted([r for r in originals if r["title"]] or [r for r in rows if r["title"]],
                    key=lambda r: (r["title_rank"], r["published"] or "9999", r["source"]))
    if titled:
        return str(titled[0]["title"])
    first = store.article(originals[0]["id"])
    sentence = without_dateline(first.sentences[0].text if first.sentences else first.text)
    return sentence if len(sentence) <= 120 else sentence[:117].rsplit(" ", 1)[0] + "…"


def _window(prepared: list[Prepared], store: Store, settings: Settings
            ) -> tuple[str | None, str | None]:
    """The dates whose stored originals the batch can join or link to: its own dates widened by
    the story and storyline windows. An undated batch is taken to be recent news (it is compared
    with what was published near the newest stored article, and with the undated ones)."""
    days = [d for p in prepared if (d := day_number(p.article.published)) != UNDATED]
    if not days:
        latest = day_number(store.latest_published())
        if latest == UNDATED:
            return None, None
        days = [latest]
    reach = max(settings.story_window_days, settings.storyline_window_days)
    return (date.fromordinal(max(1, min(days) - reach)).isoformat(),
            date.fromordinal(min(date.max.toordinal(), max(days) + reach)).isoformat())


def _update_storylines(store: Store, index: StoryIndex, touched: list[str],
                       settings: Settings) -> None:
    """Link the touched stories to related ones and merge the storylines the new links join,
    up to ``storyline_max_stories`` stories each (only links from a touched story are new, so
    no other storyline changes; the work is bounded by that size, not by the store's)."""
    links = related_stories(index, touched, settings)
    for a, b, score in links:
        store.add_link(a, b, score)
    if not links:
        return
    current = store.storylines_of({s for a, b, _ in links for s in (a, b)})
    members = store.storyline_members({line for line in current.values() if line})
    store.set_storylines(storylines(current, members, links, settings.storyline_max_stories))


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
