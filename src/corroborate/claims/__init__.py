"""Claim extraction: one extractor per kind, each a function of one analysed article and its
parsed sentences. ``extract`` runs them all; the NLP stage calls it while the parse is at hand."""

from __future__ import annotations

from typing import Any

from ..records import Article, Claim
from . import attribution, date, event, quantity, quote, role
from .common import People

EXTRACTORS = (quantity, role, quote, attribution, event, date)
KINDS = ("quantity", "role", "quote", "attribution", "event", "date")


def extract(article: Article, sents: list[Any]) -> tuple[Claim, ...]:
    """Every claim in an article; ``sents`` are its spaCy sentence spans, in order, matching
    ``article.sentences``."""
    people = People(article)
    found: list[Claim] = []
    for extractor in EXTRACTORS:
        found.extend(extractor.extract(article, sents, people))
    return tuple(found)
