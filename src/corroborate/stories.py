"""Stories (articles about the same event) and storylines (related stories).

Incremental and order-aware: a new article is compared with the original articles already in
stories (average link over each candidate story's members) and joins the best story above
``story_threshold``, or opens a new one. Nothing is re-clustered, but once a batch is in, the
members of the stories it changed may move to a story that fits them better or leave theirs
(:meth:`StoryIndex.refine`): the first article of a story no longer decides what joins it. The
similarity of two articles
mixes the cosine of their TF-IDF term vectors (title and clean text; sublinear term frequency,
document frequencies counted over the store, as Miranda et al. 2018 found TF-IDF ahead of dense
embeddings for news events) with the overlap of the entities they name, less
``story_day_penalty`` for each day between the events they report (the event's date from the text,
else the publication date, which bounds the event from above: a page dated only by its publication
may report an event up to ``story_reported_days`` earlier, and the gap is counted between those
spans; where either is undated, the days between the weekdays they give, at most three: "on
Friday" and "on Monday"), and is zero when both are dated further apart than
``story_window_days`` (the candidate stories are chosen among members inside that window, so a
similar event of another year never crowds out this one's). The weights and threshold are fitted
on the labelled corpora of real pages (docs/quality.md).
Stories that name some of the same entities, whose similarity (embedding centroids and entities) passes
``storyline_threshold`` and whose dates come within ``storyline_window_days`` of each other are
linked; the connected groups of linked
stories are storylines, up to ``storyline_max_stories`` stories each (the strongest links first).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np

from .records import Article
from .settings import Settings
from .store import Member

EMBEDDING_WEIGHT = 0.7  # of storyline links: embedding centroids against entities
CANDIDATE_STORIES = 25
DOCUMENTS = ""  # the term_counts key that holds the number of articles counted

_TERM = re.compile(r"\b[^\W_][^\W_]+\b")


def terms(article: Article) -> dict[str, int]:
    """The article's term counts: the words of its title and clean text, lower case, without
    English stop words (spaCy's list)."""
    from .nlp import import_spacy

    import_spacy()
    from spacy.lang.en.stop_words import STOP_WORDS

    words = _TERM.findall(f"{article.title or ''}\n{article.text}".lower())
    return dict(Counter(w for w in words if w not in STOP_WORDS))


def idf(counts: Mapping[str, int], documents: int) -> dict[str, float]:
    """Smoothed inverse document frequency of each term (as scikit-learn's TfidfVectorizer)."""
    return {t: math.log((1 + documents) / (1 + n)) + 1 for t, n in counts.items()}


def weights(tf: Mapping[str, int], idfs: Mapping[str, float]) -> dict[str, float]:
    """A unit TF-IDF vector, sublinear in term frequency."""
    w = {t: (1 + math.log(n)) * idfs.get(t, 1.0) for t, n in tf.items() if n > 0}
    norm = math.sqrt(sum(v * v for v in w.values())) or 1.0
    return {t: v / norm for t, v in w.items()}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def story_id_for(article_id: str) -> str:
    return "s-" + hashlib.sha256(article_id.encode()).hexdigest()[:12]


def storyline_id_for(story_ids: Iterable[str]) -> str:
    return "l-" + hashlib.sha256(min(story_ids).encode()).hexdigest()[:12]


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine of two entity sets."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


UNDATED = -1


def day_of(published: str | None, event_date: str | None = None) -> int:
    """The day an article is placed at: the event's date from its text, else its publication."""
    return day_number(event_date) if event_date else day_number(published)


def day_number(published: str | None) -> int:
    """The date as a day number (for vectorised windows), UNDATED when there is none."""
    try:
        return date.fromisoformat(published).toordinal() if published else UNDATED
    except ValueError:
        return UNDATED


def by_publication(member: Member) -> bool:
    """Whether the member is placed in time by its publication date alone (no event date)."""
    return not member.event_date and day_number(member.published) != UNDATED


def weekday_of(member: Member) -> int:
    """The weekday of the member's event (0 is Monday): its date's, else the one its lead names
    (``event_weekday``); UNDATED when there is neither."""
    day = day_of(member.published, member.event_date)
    if day != UNDATED:
        return date.fromordinal(day).weekday()
    return UNDATED if member.event_weekday is None else member.event_weekday


def days_apart(a: str | None, b: str | None) -> int | None:
    if not a or not b:
        return None
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)
    except ValueError:
        return None


def similarity(cos: float, keys_a: frozenset[str], keys_b: frozenset[str],
               weight: float = EMBEDDING_WEIGHT) -> float:
    return weight * cos + (1 - weight) * overlap(keys_a, keys_b)


@dataclass
class StoryIndex:
    """The originals already in stories, as the clustering sees them: ``idfs`` weighs their
    terms (document frequencies of the store and of the batch being stored). The term vectors of
    the members loaded from the store are one sparse matrix; those added by the batch are kept
    as they come (a batch is small)."""

    members: list[Member]
    buffer: np.ndarray  # rows beyond len(members) are free capacity
    idfs: Mapping[str, float] = field(default_factory=dict)
    by_story: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    days: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # per member
    reported: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # by publication
    weekdays: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # or -1
    vocabulary: dict[str, int] = field(default_factory=dict)
    matrix: Any = None  # scipy CSR: one unit TF-IDF row per member loaded
    added: list[dict[str, float]] = field(default_factory=list)  # members added since
    key_vocabulary: dict[str, int] = field(default_factory=dict)
    key_matrix: Any = None  # scipy CSR: one 0/1 row of entity keys per member loaded
    key_sizes: np.ndarray = field(default_factory=lambda: np.zeros(0))  # per member loaded
    codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # story, per member
    story_names: list[str] = field(default_factory=list)  # story id of each code
    story_codes: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from scipy.sparse import csr_matrix

        for i, m in enumerate(self.members):
            self.by_story[m.story_id].append(i)
        self.codes = np.array([self._code(m.story_id) for m in self.members], dtype=np.int64)
        self.days = np.array([day_of(m.published, m.event_date) for m in self.members],
                             dtype=np.int64)
        self.reported = np.array([by_publication(m) for m in self.members], dtype=bool)
        self.weekdays = np.array([weekday_of(m) for m in self.members], dtype=np.int64)
        rows, cols, values = [], [], []
        for i, m in enumerate(self.members):
            for term, w in weights(m.terms, self.idfs).items():
                rows.append(i)
                cols.append(self.vocabulary.setdefault(term, len(self.vocabulary)))
                values.append(w)
        self.matrix = csr_matrix((values, (rows, cols)),
                                 shape=(len(self.members), max(1, len(self.vocabulary))))
        rows, cols = [], []
        for i, m in enumerate(self.members):
            for key in m.keys:
                rows.append(i)
                cols.append(self.key_vocabulary.setdefault(key, len(self.key_vocabulary)))
        self.key_matrix = csr_matrix((np.ones(len(rows)), (rows, cols)),
                                     shape=(len(self.members), max(1, len(self.key_vocabulary))))
        self.key_sizes = np.array([len(m.keys) for m in self.members], dtype=np.float64)

    def _code(self, story: str) -> int:
        if story not in self.story_codes:
            self.story_codes[story] = len(self.story_names)
            self.story_names.append(story)
        return self.story_codes[story]

    @property
    def vectors(self) -> np.ndarray:
        return self.buffer[:len(self.members)]

    def add(self, member: Member, vector: np.ndarray) -> None:
        n = len(self.members)
        if self.buffer.size == 0:
            self.buffer = np.zeros((16, vector.shape[0]), dtype=np.float32)
        elif n == self.buffer.shape[0]:
            self.buffer = np.vstack([self.buffer, np.zeros_like(self.buffer)])
        self.buffer[n] = vector
        self.by_story[member.story_id].append(n)
        self.members.append(member)
        self.codes = np.append(self.codes, self._code(member.story_id))
        self.days = np.append(self.days, day_of(member.published, member.event_date))
        self.reported = np.append(self.reported, by_publication(member))
        self.weekdays = np.append(self.weekdays, weekday_of(member))
        self.added.append(weights(member.terms, self.idfs))

    def cosines(self, member: Member) -> np.ndarray:
        """The TF-IDF cosine of the article with every member."""
        mine = weights(member.terms, self.idfs)
        loaded = np.zeros(self.matrix.shape[0])
        known = [(self.vocabulary[t], w) for t, w in mine.items() if t in self.vocabulary]
        if known and self.matrix.shape[0]:
            query = np.zeros(self.matrix.shape[1])
            for col, w in known:
                query[col] = w
            loaded = self.matrix @ query
        return np.concatenate([loaded, [cosine(mine, v) for v in self.added]])

    def overlaps(self, member: Member) -> np.ndarray:
        """The overlap of the article's entities with every member's (:func:`overlap`)."""
        loaded = np.zeros(self.key_matrix.shape[0])
        known = [self.key_vocabulary[k] for k in member.keys if k in self.key_vocabulary]
        if known and self.key_matrix.shape[0]:
            query = np.zeros(self.key_matrix.shape[1])
            query[known] = 1.0
            shared = self.key_matrix @ query
            sizes = self.key_sizes * len(member.keys)
            loaded = np.divide(shared, np.sqrt(sizes), out=np.zeros_like(shared), where=sizes > 0)
        n = self.key_matrix.shape[0]
        return np.concatenate([loaded, [overlap(member.keys, m.keys) for m in self.members[n:]]])

    def gaps(self, member: Member, reported_days: int = 0) -> np.ndarray:
        """Days between the article's event and each member's: between their dates, else between
        their weekdays (0 to 3), else 0. A date that is only a publication date stands for the
        days up to ``reported_days`` before it (the event it reports happened then or earlier),
        and the gap is the distance between those spans."""
        day, weekday = day_of(member.published, member.event_date), weekday_of(member)
        dated = (self.days != UNDATED) & (day != UNDATED)
        apart = np.abs(self.weekdays - weekday)
        by_weekday = np.where((self.weekdays != UNDATED) & (weekday != UNDATED),
                              np.minimum(apart, 7 - apart), 0)
        low = day - (reported_days if by_publication(member) else 0)
        lows = self.days - np.where(self.reported, reported_days, 0)
        by_date = np.maximum(0, np.maximum(lows - day, low - self.days))
        return np.where(dated, by_date, by_weekday)

    def close(self, member: Member, settings: Settings, cos: np.ndarray | None = None) -> list[str]:
        """The members (ids, closest first) whose terms are close enough to the article's to be
        checked as its original (``copy_candidate_similarity``), within the story window.
        ``cos`` is :meth:`cosines` of the article, when it is known already."""
        if not self.members:
            return []
        cos = self.cosines(member) if cos is None else cos
        cos = np.where(self.gaps(member, settings.story_reported_days) > settings.story_window_days,
                       0.0, cos)
        order = np.argsort(-cos, kind="stable")
        return [self.members[i].id for i in order if cos[i] >= settings.copy_candidate_similarity]

    def story_scores(self, member: Member, settings: Settings, cos: np.ndarray | None = None,
                     itself: int | None = None) -> dict[str, float]:
        """The article's average-link score with each candidate story (the ``CANDIDATE_STORIES``
        stories whose closest member in terms inside the window is closest, and its own): the mean
        over the story's members of their similarity less the day penalty, 0 for a member beyond
        the window. ``itself`` is the article's own position when it is a member already (it is
        left out of its story's mean; a story of it alone has no score)."""
        if not self.members:
            return {}
        gap = self.gaps(member, settings.story_reported_days)
        far = gap > settings.story_window_days
        cos = self.cosines(member) if cos is None else cos
        near = np.where(far, -np.inf, cos)
        if itself is not None:
            near[itself] = -np.inf
        peaks = np.full(len(self.story_names), -np.inf)
        np.maximum.at(peaks, self.codes, near)
        candidates = [self.story_names[c] for c in
                      np.argsort(-peaks, kind="stable")[:CANDIDATE_STORIES] if peaks[c] > -np.inf]
        own = self.story_codes.get(member.story_id)
        if itself is not None and own is not None and peaks[own] > -np.inf and \
                member.story_id not in candidates:
            candidates.append(member.story_id)
        weight = settings.story_term_weight
        scores = np.where(far, 0.0, weight * cos + (1 - weight) * self.overlaps(member)
                          - settings.story_day_penalty * gap)
        out = {}
        for story in candidates:
            idx = [i for i in self.by_story[story] if i != itself]
            out[story] = float(np.mean(scores[idx]))
        return out

    def best_story(self, member: Member, settings: Settings, cos: np.ndarray | None = None
                   ) -> tuple[str | None, float]:
        """The story the article (as a member-to-be) joins, and its score (``cos`` as for
        :meth:`close`)."""
        best, best_score = None, 0.0
        for story, score in self.story_scores(member, settings, cos).items():
            if score > best_score:
                best, best_score = story, score
        return (best, best_score) if best_score >= settings.story_threshold else (None, best_score)

    def move(self, position: int, story: str) -> None:
        """Put the member at ``position`` into ``story``."""
        member = self.members[position]
        self.by_story[member.story_id].remove(position)
        if not self.by_story[member.story_id]:
            del self.by_story[member.story_id]
        self.by_story[story].append(position)
        self.by_story[story].sort()
        self.members[position] = replace(member, story_id=story)
        self.codes[position] = self._code(story)

    def refine(self, touched: Iterable[str], settings: Settings) -> dict[str, str]:
        """Move the members of the ``touched`` stories to where they fit best, after each article
        of a batch has joined the best story it found on arrival: a member goes to the story
        whose mean score with it (:meth:`story_scores`) is highest and passes
        ``story_threshold``, if that beats its own story's mean without it; a member whose own
        story's mean falls below the threshold, and that no other story takes, starts a story of
        its own. Up to ``story_refine_rounds`` rounds, until nothing moves; the stories that
        receive members are refined in the next round too, and so is the best other story of
        each member of a touched story (the one it nearly joined, whose members may fit the
        touched story better). An early article no longer decides a story's course: the first
        report of an election that recalls the president's flight a week before draws the
        flight's reports into its story on arrival, and the election's later reports, in a
        story of their own, draw it out. Returns the new story of each member moved (by article
        id)."""
        scope, first = set(touched), set(touched)
        moved: dict[str, str] = {}
        for _ in range(settings.story_refine_rounds):
            changed, rivals = False, set()
            for position in sorted(i for s in scope for i in self.by_story.get(s, ())):
                member = self.members[position]
                scores = self.story_scores(member, settings, itself=position)
                own = scores.pop(member.story_id, None)
                best = max(sorted(scores), key=scores.__getitem__, default=None)
                if best is not None and member.story_id in first:
                    rivals.add(best)
                if best is not None and scores[best] >= settings.story_threshold and \
                        (own is None or scores[best] > own):
                    target = best
                elif own is not None and own < settings.story_threshold:
                    target = self._new_story_id(member.id)
                else:
                    continue
                self.move(position, target)
                moved[member.id] = target
                scope.add(target)
                changed = True
            if not changed and rivals <= scope:
                break
            scope |= rivals
        return moved

    def _new_story_id(self, article_id: str) -> str:
        """A story id for an article leaving its story: its own, unless a story has it."""
        story, n = story_id_for(article_id), 0
        while story in self.by_story:
            n += 1
            story = story_id_for(f"{article_id}#{n}")
        return story

    def centroids(self) -> tuple[list[str], np.ndarray, list[frozenset[str]]]:
        ids = list(self.by_story)
        vecs = np.stack([self.vectors[self.by_story[s]].mean(axis=0) for s in ids])
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
        keys = [frozenset().union(*(self.members[i].keys for i in self.by_story[s]))
                for s in ids]
        return ids, vecs, keys

    def spans(self, ids: list[str]) -> np.ndarray:
        """(first, last) day number of each story's dated members; UNDATED for both if none."""
        out = np.full((len(ids), 2), UNDATED, dtype=np.int64)
        for row, story in enumerate(ids):
            dated = self.days[self.by_story[story]]
            dated = dated[dated != UNDATED]
            if dated.size:
                out[row] = dated.min(), dated.max()
        return out


def related_stories(index: StoryIndex, touched: Iterable[str],
                    settings: Settings) -> list[tuple[str, str, float]]:
    """Links (story, story, score) from each touched story to related other stories."""
    touched = list(touched)
    if not touched or not index.members:
        return []
    ids, vecs, keys = index.centroids()
    spans = index.spans(ids)
    position = {s: i for i, s in enumerate(ids)}
    links = []
    for story in touched:
        i = position.get(story)
        if i is None:
            continue
        cos = vecs @ vecs[i]
        dated = (spans[:, 0] != UNDATED) & (spans[i, 0] != UNDATED)
        gap = np.maximum(spans[:, 0] - spans[i, 1], spans[i, 0] - spans[:, 1])
        far = dated & (gap > settings.storyline_window_days)
        for j in np.flatnonzero(~far & (cos >= settings.storyline_threshold - (1 - EMBEDDING_WEIGHT))):
            if j == i:
                continue
            if not keys[i] & keys[j]:
                continue  # related developments involve some of the same people, places, bodies
            score = similarity(float(cos[j]), keys[i], keys[j])
            if score >= settings.storyline_threshold:
                links.append((story, ids[j], score))
    return links


def storylines(current: Mapping[str, str | None], members: Mapping[str, Iterable[str]],
               links: Iterable[tuple[str, str, float]], cap: int) -> dict[str, str]:
    """The storylines that new links change, with at most ``cap`` stories each.

    ``current`` is the storyline (or None) of every story a link touches, ``members`` the
    stories of each of those storylines. The strongest links are followed first; two groups
    merge only when the merged one holds at most ``cap`` stories, so a chain of related
    stories cannot grow into one storyline of everything (a news feed about one country
    would, link by link). Returns the new storyline id of every story of every merged group;
    the stories it leaves out keep theirs. Under the cap the groups are the connected groups
    of linked stories."""
    parent: dict[str, str] = {}
    group: dict[str, set[str]] = {}
    for story, line in current.items():
        key = line or story
        if key not in group:
            group[key] = (set(members.get(line, ())) | {story}) if line else {story}
            parent[key] = key
    key_of = {s: key for key, stories in group.items() for s in stories}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    merged: set[str] = set()
    for a, b, _ in sorted(links, key=lambda link: (-link[2], link[0], link[1])):
        if a not in key_of or b not in key_of:
            continue
        ra, rb = root(key_of[a]), root(key_of[b])
        if ra == rb or len(group[ra]) + len(group[rb]) > cap:
            continue
        parent[rb] = ra
        group[ra] |= group.pop(rb)
        merged.discard(rb)
        merged.add(ra)
    return {s: storyline_id_for(group[key]) for key in merged for s in group[key]}
