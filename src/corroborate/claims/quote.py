"""Quote claims: quoted words and who said them.

The speaker is the subject of a verb of saying next to the quote ("..., LeBlanc added", "said
Tomas Reyna", "he told senators"), or the object of "according to"; pronouns are resolved to the
person named before. A quote without a named speaker ("the source said") is kept with an empty
speaker, which no other speaker contradicts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..entities import fold
from ..records import Article, Claim
from .common import PRONOUNS, SPEECH, People, resolve, subject_of

_QUOTE = re.compile(r"[“\"](?P<q>[^”\"\n]{3,600}?)[”\"]")
MIN_WORDS = 2


def quote_words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+", fold(text)))


def extract(article: Article, sents: list[Any], people: People) -> Iterator[Claim]:
    starts = [s.start for s in article.sentences]
    for match in _QUOTE.finditer(article.text):
        words = quote_words(match["q"])
        if len(words) < MIN_WORDS:
            continue
        index = _sentence_at(starts, match.start())
        last = _sentence_at(starts, match.end() - 1)
        speaker, said = None, last
        for i in range(index, last + 1):
            if speaker is None:
                speaker, said = _speaker(sents, i, match, article, people), i
        if speaker is None and last + 1 < len(sents) and len(sents[last + 1]) <= 8:
            speaker = _speaker(sents, last + 1, match, article, people)  # '...” \n he added.'
            said = last + 1
        span = max(last, said if speaker else last) - index + 1
        name, key, inferred = speaker if speaker else ("", "", False)
        boss = _speaks_for(article.text, name) if name else None
        if boss and boss != key:
            key = f"{key}>{boss}"  # a spokesman's words are his principal's too
        shown = match["q"].strip().rstrip(",")
        yield Claim(kind="quote", subject=f"Who said “{_short(shown)}”", head="quote",
                    context=words, value=name or "(unnamed)", normalized=key, unit="",
                    sentence=index, span=span, inferred=inferred)


_FOR = r"(?:the\s+|a\s+|chief\s+|official\s+)*spokes(?:man|woman|person)\s+(?:for|of|to)\s+"
_PRINCIPAL = r"(?:the\s+)?(?:[A-Z][\w.’'-]*\s+){0,4}?(?P<boss>[A-Z][\w’'-]+)(?![\w’'-]*\s+[A-Z])"


def _speaks_for(text: str, name: str) -> str | None:
    """Whose spokesperson the article says a speaker is ("Stephane Dujarric, the spokesman for
    UN Secretary-General António Guterres"): the principal's folded surname."""
    surname = re.escape(name.split()[-1])
    m = re.search(rf"\b{surname},?\s+{_FOR}{_PRINCIPAL}", text) or re.search(
        rf"\b{_FOR}{_PRINCIPAL},?\s+(?:[A-Z][\w.-]*\s+)*{surname}\b", text)
    return fold(m["boss"]) if m else None


def _sentence_at(starts: list[int], offset: int) -> int:
    index = 0
    for i, s in enumerate(starts):
        if s <= offset:
            index = i
    return index


def _short(text: str, size: int = 90) -> str:
    return text if len(text) <= size else text[:size].rsplit(" ", 1)[0] + "…"


def _speaker(sents: list[Any], index: int, match: re.Match[str], article: Article,
             people: People) -> tuple[str, str, bool] | None:
    """(name, key, whether a pronoun stood for the name) of who says the quote, from the
    sentence at ``index``."""
    if index >= len(sents):
        return None
    sent = sents[index]
    sent_start = article.sentences[index].start
    q_start, q_end = match.start() - sent_start, match.end() - sent_start
    inside = [t for t in sent if q_start <= t.idx - sent.start_char < q_end]
    ids = {t.i for t in inside}
    for t in sent:
        if t.i in ids:
            continue
        if t.lower_ == "according" and t.i + 1 < sent.end and t.nbor(1).lower_ == "to":
            obj = next((c for c in t.nbor(1).children if c.dep_ == "pobj"), None)
            if obj is not None:
                return _who(obj, sents, index, people)
    verbs = [t for t in sent if t.lower_ in SPEECH and t.i not in ids]
    if not verbs:
        return None
    anchor = inside[-1].i if inside else sent.start
    verb = min(verbs, key=lambda v: abs(v.i - anchor))
    subj = subject_of(verb)
    if subj is None or subj.i in ids:
        return None
    return _who(subj, sents, index, people)


def _who(token: Any, sents: list[Any], index: int, people: People) -> tuple[str, str, bool]:
    person = resolve(token, sents, index, people)
    if person:
        return person.name, person.key, token.lower_ in PRONOUNS
    ent = next((e for e in token.doc.ents if e.start <= token.i < e.end and e.label_ in
                {"ORG", "GPE", "NORP"}), None)
    if ent is not None:
        return ent.text, fold(ent.text), False
    return "", "", False  # "the source", "officials": not a named speaker
