"""Quote claims: quoted words and who said them.

The speaker is the subject of a verb of saying next to the quote ("..., LeBlanc added", "said
Tomas Reyna", "he told senators"), or the object of "according to"; pronouns are resolved to the
person named before. A quote without a named speaker ("the source said") is kept with an empty
speaker, which no other speaker contradicts.

Each sentence of a quote with six words or more is also a claim about its words (head
``wording``, the sentence as the value, a named speaker's key as a ``who:`` tag): where two
outlets give one remark in other words ("implosion of the vehicle", "of the vessel"), the brief
shows both renderings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher
from typing import Any

from ..entities import fold
from ..records import Article, Claim
from .common import PRONOUNS, SPEECH, People, resolve, subject_of

_QUOTE = re.compile(r"[“\"](?P<q>[^”\"\n]{3,600}?)[”\"]")
MIN_WORDS = 2
WORDING = "wording"  # the head of a claim whose value is the quote's words as an outlet gives them
# Two renderings are of one remark when the words of the shorter, in order, are at least this
# share of it, and it has at least this many words (fitted in benchmarks/quote_wording.py)
WORDING_SHARE = 0.7
WORDING_MIN_WORDS = 6
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘'])")


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
        named = bool(name) and not inferred  # not who we read "he said" as
        whose = f"{name}’s" if named else "the"
        for part in _SENTENCE_END.split(shown):  # each sentence of a quote on its own
            said_words = quote_words(part)
            if len(said_words) < WORDING_MIN_WORDS:
                continue
            yield Claim(kind="quote", subject=f"Wording of {whose} remark “{_short(part)}”",
                        head=WORDING, context=(*said_words, *((f"who:{key}",) if named else ())),
                        value=part, normalized=" ".join(said_words), unit="", sentence=index,
                        span=span, inferred=inferred)


_FOR = r"(?:the\s+|a\s+|chief\s+|official\s+)*spokes(?:man|woman|person)\s+(?:for|of|to)\s+"
_PRINCIPAL = r"(?:the\s+)?(?:[A-Z][\w.’'-]*\s+){0,4}?(?P<boss>[A-Z][\w’'-]+)(?![\w’'-]*\s+[A-Z])"


def shared_share(a: tuple[str, ...], b: tuple[str, ...], floor: float = 0.0) -> float:
    """The share of the shorter word sequence that the longer gives in the same order (articles
    left out: "the dawn of new India" is not half of "the bugle of a new India"). Where even
    the share of its words found anywhere in the longer is below ``floor``, that share (an upper
    bound, cheap to count) is returned instead: callers that only ask whether it reaches the
    floor need not align the two."""
    short, long = sorted((_content(a), _content(b)), key=len)
    if not short:
        return 0.0
    present = set(long)
    bound = sum(w in present for w in short) / len(short)
    if bound < floor:
        return bound
    blocks = SequenceMatcher(None, short, long, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) / len(short)


def renders_differently(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two renderings of one remark give other words in one place ("I recognise that I
    cannot" and "I recognise though, given the situation, I cannot"; "implosion of the vehicle"
    and "of the vessel"). Not differences: words only one gives (a quote begun, cut or ended
    elsewhere), other words before the first they share (two quotes that begin at different
    points: "for as long as it takes", "stay out as long as it takes"), articles ("on the
    crew"), a letter in brackets ("sulphur (S)") and words run together ("crewmembers", "crew
    members")."""
    a, b = _content(a), _content(b)
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in ops[1:] if ops and ops[0][0] != "equal" else ops:
        if tag != "replace":
            continue
        x, y = a[i1:i2], b[j1:j2]
        if "".join(x) == "".join(y) or all(len(w) == 1 for w in (*x, *y)):
            continue
        return True
    return False


def _content(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w for w in words if w not in {"a", "an", "the"})


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
