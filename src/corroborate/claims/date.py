"""Date claims: when something happened or takes effect.

Only dates attached to a milestone ("takes effect on March 3", "comes into force", "began on
February 2", "a ballot closing on March 27", "assumed office in October 2024") are claims; a date
that merely sets the scene ("said on Monday") is not. What the date belongs to is the milestone and
the subject of its verb.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..entities import fold
from ..records import Article, Claim
from .common import People, content_words, phrase, subject_of, verb_of

MILESTONES = {
    **dict.fromkeys("begin begins began begun beginning start starts started starting".split(),
                    "begin"),
    **dict.fromkeys("end ends ended ending".split(), "end"),
    **dict.fromkeys("close closes closed closing".split(), "close"),
    **dict.fromkeys("open opens opened opening reopen reopens reopened".split(), "open"),
    **dict.fromkeys("resume resumes resumed resuming".split(), "resume"),
    **dict.fromkeys("expire expires expired".split(), "expire"),
    **dict.fromkeys("launch launches launched".split(), "launch"),
    **dict.fromkeys("sign signs signed signing".split(), "sign"),
    **dict.fromkeys("vote votes voted voting".split(), "vote"),
    **dict.fromkeys("assume assumes assumed".split(), "take office"),
}
NAMED_DAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|"
                       r"february|march|april|may|june|july|august|september|october|november|"
                       r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b", re.I)
HEDGES = frozenset({"could", "might", "may", "should"})
EFFECT = frozenset({"take", "takes", "took", "taken", "taking", "come", "comes", "came", "coming"})
APPLY = frozenset({"apply", "applies", "applied", "applying"})


def extract(article: Article, sents: list[Any], people: People) -> Iterator[Claim]:
    starts = [s.start for s in article.sentences]
    for d in article.dates:
        sent = sents[d.sentence]
        offset = sent.start_char + d.start - starts[d.sentence]
        ent = next((e for e in sent.ents if e.start_char <= offset < e.end_char), None)
        if ent is None:
            continue
        if d.value is None and not NAMED_DAY.search(d.text):
            continue  # "seven weeks ago" that could not be resolved: nothing to compare
        verb = verb_of(ent.root)
        milestone = _milestone(verb) if verb is not None else None
        if milestone is None or verb is None or any(
                c.lower_ in HEDGES for c in verb.children if c.dep_ == "aux"):
            continue
        owner = subject_of(verb) if verb.dep_ != "acl" else verb.head
        if owner is not None and owner.lower_ in {"that", "which", "who"}:
            owner = _antecedent(owner)
        if owner is None:
            continue
        objects = [t for c in verb.children if c.dep_ == "dobj" for t in c.subtree
                   if t.lower_ not in {"effect", "force", "office"}]
        words = content_words([*phrase(owner), *objects])
        if not words:
            continue
        subject = " ".join(t.text for t in phrase(owner) if t.dep_ not in {"det", "punct"})
        plural = owner.tag_ in {"NNS", "NNPS"} or any(c.dep_ == "conj" for c in owner.children)
        yield Claim(kind="date", subject=f"When {subject} {_phrase(milestone, plural)}",
                    head=milestone, context=words, value=d.text,
                    normalized=d.value or fold(d.text), unit="", sentence=d.sentence)


def _antecedent(pronoun: Any) -> Any | None:
    """The noun a relative pronoun stands for ("tariffs that take effect", "Carney, who ...")."""
    t = pronoun
    for _ in range(6):
        if t.dep_ == "relcl":
            return t.head
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _milestone(verb: Any) -> str | None:
    if verb.lower_ in APPLY:  # "the new cap applies from 1 April"
        return "take effect"
    if verb.lower_ in EFFECT:
        objects = {c.lower_ for c in verb.subtree if c.dep_ in {"dobj", "pobj"}}
        if objects & {"effect", "force"}:
            return "take effect"
        return None
    return MILESTONES.get(verb.lower_)


def _phrase(milestone: str, plural: bool) -> str:
    if plural:
        return milestone
    if milestone in {"take effect", "take office"}:
        return milestone.replace("take", "takes")
    return milestone + ("es" if milestone.endswith(("ch", "sh", "s", "x")) else "s")
