"""Other representations and linkages for stories, measured on the labelled corpora of real pages
beside what the pipeline does: the evidence behind keeping the present clustering.

    .venv/bin/python benchmarks/story_alternatives.py \
        ../shared/real-dev ~/.cache/corroborate/real-dev \
        eval/real ~/.cache/corroborate/real eval/real2 ~/.cache/corroborate/real2

Each corpus is analysed once per input form (a folder of .txt files, a JSON Lines dump) and its
pair matrices are built from what the pipeline stores: TF-IDF cosine of title and text, entity
overlap, and the day gap (:meth:`corroborate.stories.StoryIndex.gaps`). Every variant clusters
those pages greedily in publication order and then refines them (each page moves to the group of
best mean score until none moves), as :class:`corroborate.stories.StoryIndex` does, and prints
pairwise story F1 per input:

- ``present``: the pipeline's score (0.9 cosine, 0.1 entity overlap, less the day penalty);
- ``lead N``: half of the cosine taken on the title and first N words only (the event is in the
  lead; the background that follows is shared across a storyline);
- ``local k``: each score divided by the larger of the two pages' mean score with their k nearest
  pages (self-tuning, after Zelnik-Manor and Perona 2004): pages that resemble nothing much get a
  fairer threshold;
- ``pairwise model``: a logistic regression over the pair features (cosine, overlap, lead cosine,
  gap, gap when both are dated, beyond the window), fitted on the pairs of the other corpora,
  its threshold chosen on them, and scored on the corpus held out.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable

import numpy as np

from corroborate import corpus_eval, settings
from corroborate.pipeline import Prepared
from corroborate.store import Member
from corroborate.stories import _TERM, StoryIndex, idf, weights

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
from fit_stories import prepared  # noqa: E402

Matrices = dict[str, np.ndarray]


def cosine_matrix(tfs: list[Counter[str]]) -> np.ndarray:
    counts = Counter(t for tf in tfs for t in tf)
    idfs = idf(counts, len(tfs))
    column = {t: i for i, t in enumerate(counts)}
    x = np.zeros((len(tfs), len(column)))
    for i, tf in enumerate(tfs):
        for t, w in weights(tf, idfs).items():
            x[i, column[t]] = w
    return x @ x.T


def lead_terms(p: Prepared, words: int) -> Counter[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    found = _TERM.findall(f"{p.article.title or ''}\n{p.article.text}".lower())[:words]
    return Counter(w for w in found if w not in STOP_WORDS)


def matrices(done: list[Prepared], s: settings.Settings) -> Matrices:
    members = [Member(p.article.id, str(i), p.article.published, p.keys, p.terms,
                      p.article.event_date, p.article.event_weekday) for i, p in enumerate(done)]
    index = StoryIndex(list(members), np.zeros((0, 0), dtype=np.float32),
                       idf(Counter(t for p in done for t in p.terms), len(done)))
    dated = np.array([bool(p.article.event_date or p.article.published) for p in done])
    out = {"C": np.array([index.cosines(m) for m in members]),
           "K": np.array([index.overlaps(m) for m in members]),
           "G": np.array([index.gaps(m, s.story_reported_days) for m in members]),
           "both": np.outer(dated, dated).astype(float)}
    for words in (40, 80, 150):
        out[f"L{words}"] = cosine_matrix([lead_terms(p, words) for p in done])
    return out


def windowed(m: Matrices, score: np.ndarray, s: settings.Settings) -> np.ndarray:
    return np.where(m["G"] > s.story_window_days, 0.0, score - s.story_day_penalty * m["G"])


def present(m: Matrices, s: settings.Settings) -> np.ndarray:
    w = s.story_term_weight
    return windowed(m, w * m["C"] + (1 - w) * m["K"], s)


def cluster(score: np.ndarray, order: list[int], threshold: float, rounds: int = 10) -> list[int]:
    """Greedy by mean score in ``order``, then refined as the pipeline refines."""
    label = [-1] * len(score)
    groups: dict[int, list[int]] = {}
    for i in order:
        means = {g: float(score[i, ms].mean()) for g, ms in groups.items()}
        best = max(means, key=lambda g: means[g], default=None)
        if best is None or means[best] < threshold:
            best = len(groups)
            groups[best] = []
        groups[best].append(i)
        label[i] = best
    for _ in range(rounds):
        moved = 0
        for i in range(len(score)):
            others: dict[int, list[int]] = {}
            for j, g in enumerate(label):
                if j != i:
                    others.setdefault(g, []).append(j)
            means = {g: float(score[i, ms].mean()) for g, ms in others.items()}
            own = means.get(label[i], -1.0)
            best = max(means, key=lambda g: means[g])
            if means[best] >= threshold and best != label[i] and means[best] > own + 1e-9:
                label[i], moved = best, moved + 1
            elif own < threshold and label[i] in others:
                label[i], moved = max(label) + 1, moved + 1
        if not moved:
            break
    return label


def f1(corpus: corpus_eval.LabelledCorpus, files: list[str], label: list[int]) -> float:
    groups = {f: str(g) for f, g in zip(files, label, strict=True)}
    return float(corpus_eval.story_pairs(groups, corpus.event_of)["f1"])


def auc(corpus: corpus_eval.LabelledCorpus, files: list[str], score: np.ndarray) -> float:
    """How often a pair of one event's pages scores above a pair that is not one event's."""
    events = [corpus.event_of.get(f) for f in files]
    upper = np.triu_indices(len(files), 1)
    same = np.array([bool(events[i]) and events[i] == events[j]
                     for i, j in zip(*upper, strict=True)])
    pos, neg = np.sort(score[upper][same]), score[upper][~same]
    not_above = np.searchsorted(pos, neg, side="right").sum()  # (pos, neg) with pos <= neg
    return float(1 - not_above / (len(pos) * len(neg)))


def pair_features(m: Matrices) -> np.ndarray:
    gap = np.minimum(m["G"], 7)
    return np.stack([m["C"], m["K"], gap, m["both"] * gap, m["L80"], (m["G"] > 7) * 1.0], -1)


def main() -> None:
    args = sys.argv[1:]
    if len(args) < 4 or len(args) % 2:
        sys.exit("usage: story_alternatives.py LABELS TEXTS LABELS TEXTS [...]")
    s = settings.load(progress=False, workers=1)
    inputs = {}
    for labels, texts in zip(args[::2], args[1::2], strict=True):
        corpus = corpus_eval.load(labels, texts)
        for mode in ("txt", "jsonl"):
            done, file_of, _ = prepared(corpus, mode, s)
            order = sorted(range(len(done)), key=lambda i: (done[i].article.published or "9999",
                                                            done[i].article.source))
            inputs[(labels, mode)] = (corpus, [file_of[p.article.id] for p in done], order,
                                      matrices(done, s))

    def row(name: str, make: Callable[[Matrices], np.ndarray], threshold: float) -> None:
        scores = [f1(c, files, cluster(make(m), order, threshold))
                  for c, files, order, m in inputs.values()]
        print(f"{name:28}", " ".join(f"{x:.3f}" for x in scores), f"mean {np.mean(scores):.3f}")

    print(f"{'':28}", " ".join(f"{k[0].rstrip('/').rsplit('/', 1)[-1]}/{k[1]}"
                               for k in inputs))
    row(f"present {s.story_threshold}", lambda m: present(m, s), s.story_threshold)
    print(f"{'  AUC, same event over rest':28}", " ".join(
        f"{auc(c, files, present(m, s)):.3f}" for c, files, _, m in inputs.values()))
    w = s.story_term_weight
    for words in (40, 80, 150):
        for t in (0.12, 0.15, 0.18):
            row(f"lead {words} at {t}", lambda m, n=words: windowed(
                m, w / 2 * m["C"] + w / 2 * m[f"L{n}"] + (1 - w) * m["K"], s), t)
    for k in (2, 3, 5):
        for t in (0.4, 0.5, 0.6):
            def local(m: Matrices, k: int = k) -> np.ndarray:
                score = present(m, s)
                near = score.copy()
                np.fill_diagonal(near, -np.inf)
                sigma = np.maximum(np.sort(near, axis=1)[:, -k:].mean(axis=1), 0.05)
                return score / np.maximum.outer(sigma, sigma)
            row(f"local {k} at {t}", local, t)
    from sklearn.linear_model import LogisticRegression

    corpora = sorted({labels for labels, _ in inputs})
    for held in corpora:
        fit_on = [k for k in inputs if k[0] != held]
        x, y = [], []
        for key in fit_on:
            c, files, _, m = inputs[key]
            upper = np.triu_indices(len(files), 1)
            x.append(pair_features(m)[upper])
            events = [c.event_of.get(f) for f in files]
            y.append([bool(events[i]) and events[i] == events[j] for i, j in zip(*upper, strict=True)])
        model = LogisticRegression(max_iter=2000).fit(np.vstack(x), np.concatenate(y))

        def mean_f1(keys: list[tuple[str, str]], t: float, model: LogisticRegression = model
                    ) -> float:
            def prob(mats: Matrices) -> np.ndarray:
                z = pair_features(mats) @ model.coef_[0] + model.intercept_[0]
                return 1 / (1 + np.exp(-z))
            return float(np.mean([f1(inputs[k][0], inputs[k][1], cluster(
                prob(inputs[k][3]), inputs[k][2], t)) for k in keys]))

        t = max((0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5), key=lambda t: mean_f1(fit_on, t))
        held_keys = [k for k in inputs if k[0] == held]
        print(f"pairwise model, {held} held out (threshold {t}, fitted F1 "
              f"{mean_f1(fit_on, t):.3f}):",
              " ".join(f"{k[1]} {mean_f1([k], t):.3f}" for k in held_keys))


if __name__ == "__main__":
    main()
