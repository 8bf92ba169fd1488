"""Entities resolved across articles, not trusted from one tag.

The small spaCy model tags "Trump" as ORG and "Carney" as GPE in sentences where "Donald Trump" and
"Mark Carney" are PERSON elsewhere. So a mention that matches the surname of a person named in full
in the same set of articles is that person; labels are voted across mentions; names are compared
without accents ("Mélanie" = "Melanie").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from .records import Article, MainEntity

NAMED = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW",
                   "WORK_OF_ART"})
HONORIFIC = re.compile(r"^(mr|mrs|ms|dr|sir|dame|president|prime minister|minister|senator|"
                        r"secretary|gov|governor|mayor|chancellor|ceo)\.?\s+", re.I)


@lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """Lower case, accents and punctuation removed, possessive dropped (cached: the same names
    are folded again and again when claims are compared)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['’]s$", "", text)
    text = re.sub(r"^the\s+", "", text)
    return " ".join(re.findall(r"[a-z0-9]+(?:[.-][a-z0-9]+)*", text))


def person_key(name: str) -> str:
    return fold(HONORIFIC.sub("", name))


def entity_keys(article: Article) -> frozenset[str]:
    """Keys of the named things an article mentions; a person is keyed by surname so that
    "Mark Carney" and "Carney" meet."""
    keys = set()
    for e in article.entities:
        if e.label not in NAMED:
            continue
        key = person_key(e.text) if e.label == "PERSON" else fold(e.text)
        if e.label == "PERSON" and " " in key:
            key = key.rsplit(" ", 1)[1]
        if key:
            keys.add(key)
    return frozenset(keys)


def resolve(articles: Iterable[Article], limit: int = 12) -> list[MainEntity]:
    """The main entities of a set of articles, with full names, voted labels and counts."""
    articles = list(articles)
    full_names: dict[str, Counter[str]] = defaultdict(Counter)  # surname key -> full names
    for a in articles:
        for e in a.entities:
            key = person_key(e.text)
            if e.label == "PERSON" and " " in key:
                full_names[key.rsplit(" ", 1)[1]][HONORIFIC.sub("", e.text)] += 1
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    shown: dict[str, Counter[str]] = defaultdict(Counter)
    in_articles: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        for e in a.entities:
            if e.label not in NAMED:
                continue
            key = person_key(e.text) if e.label == "PERSON" else fold(e.text)
            surname = key.rsplit(" ", 1)[-1]
            if surname in full_names and (key == surname or e.label == "PERSON"):
                key, label = surname, "PERSON"
                name = _canonical(full_names[surname])
            else:
                label, name = e.label, re.sub(r"^[Tt]he\s+", "", e.text)
            if not key:
                continue
            labels[key][label] += 1
            shown[key][name] += 1
            in_articles[key].add(a.id)
    found = [MainEntity(shown[k].most_common(1)[0][0], labels[k].most_common(1)[0][0],
                        sum(labels[k].values()), len(in_articles[k])) for k in labels]
    found.sort(key=lambda m: (-m.articles, -m.mentions, m.name))
    return found[:limit]


def _canonical(names: Counter[str]) -> str:
    """The most frequent full form; accents kept when some outlet wrote them."""
    best = names.most_common(1)[0][0]
    accented = [n for n in names if fold(n) == fold(best) and n != best and not n.isascii()]
    return accented[0] if accented and best.isascii() else best
