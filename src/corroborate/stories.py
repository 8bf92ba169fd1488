"""Stories (articles about the same event) and storylines (related stories).

Incremental and order-aware: a new article is compared with the original articles already in
stories (average link over each candidate story's members) and joins the best story above
``story_threshold``, or opens a new one. Nothing is re-clustered. The similarity of two articles
mixes the cosine of their embeddings with the overlap of the entities they name, and is zero when
both are dated further apart than ``story_window_days`` (the candidate stories are chosen among
members inside that window, so a similar event of another year never crowds out this one's).
Stories that name some of the same entities, whose similarity (centroids and entities) passes
``storyline_threshold`` and whose dates come within ``storyline_window_days`` of each other are
linked; the connected groups of linked
stories are storylines, up to ``storyline_max_stories`` stories each (the strongest links first).
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from .settings import Settings
from .store import Member

EMBEDDING_WEIGHT = 0.7
CANDIDATE_STORIES = 25


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


def day_number(published: str | None) -> int:
    """The date as a day number (for vectorised windows), UNDATED when there is none."""
    try:
        return date.fromisoformat(published).toordinal() if published else UNDATED
    except ValueError:
        return UNDATED


def days_apart(a: str | None, b: str | None) -> int | None:
    if not a or not b:
        return None
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)
    except ValueError:
        return None


def similarity(cos: float, keys_a: frozenset[str], keys_b: frozenset[str]) -> float:
    return EMBEDDING_WEIGHT * cos + (1 - EMBEDDING_WEIGHT) * overlap(keys_a, keys_b)


@dataclass
class StoryIndex:
    """The originals already in stories, as the clustering sees them."""

    members: list[Member]
    buffer: np.ndarray  # rows beyond len(members) are free capacity
    by_story: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    days: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # per member

    def __post_init__(self) -> None:
        for i, m in enumerate(self.members):
            self.by_story[m.story_id].append(i)
        self.days = np.array([day_number(m.published) for m in self.members], dtype=np.int64)

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
        self.days = np.append(self.days, day_number(member.published))

    def best_story(self, vector: np.ndarray, keys: frozenset[str], published: str | None,
                   settings: Settings) -> tuple[str | None, float]:
        if not self.members:
            return None, 0.0
        cos = self.vectors @ vector
        day = day_number(published)
        far = (self.days != UNDATED) & (np.abs(self.days - day) > settings.story_window_days) \
            if day != UNDATED else np.zeros(len(self.members), dtype=bool)
        near = np.where(far, -np.inf, cos)
        peak: dict[str, float] = {s: float(near[idx].max()) for s, idx in self.by_story.items()}
        candidates = [s for s in sorted(peak, key=peak.__getitem__, reverse=True)[:CANDIDATE_STORIES]
                      if peak[s] > -np.inf]
        best, best_score = None, 0.0
        for story in candidates:
            idx = self.by_story[story]
            scores = [0.0 if far[i] else similarity(float(cos[i]), keys, self.members[i].keys)
                      for i in idx]
            score = float(np.mean(scores))
            if score > best_score:
                best, best_score = story, score
        return (best, best_score) if best_score >= settings.story_threshold else (None, best_score)

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
