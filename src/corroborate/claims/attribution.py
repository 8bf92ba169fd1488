"""Attribution claims: who did, proposed, demanded or announced what.

"Trump's push for Canada to become the 51st state", "Carney's recent proposal of Canada becoming
the 51st state" (a possessive on an action noun), "Ines Farrow proposed splitting the increase"
(the subject of an action verb), "he again referred to Canada as America's 51st state". What was
proposed is the rest of the clause; claims about the same proposal are aligned on its words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..entities import fold
from ..records import Article, Claim
from .common import PRONOUNS, People, content_words, phrase, resolve, subject_of

NOUNS = frozenset("push proposal plan demand call offer idea suggestion decision threat request "
                  "bid initiative formula announcement order pledge promise".split())
VERBS = frozenset("propose proposes proposed proposing suggest suggests suggested push pushes "
                  "pushed urge urges urged demand demands demanded announce announces announced "
                  "order orders ordered float floats floated pitch pitched unveil unveils unveiled "
                  "table tabled refer refers referred revive revived put".split())
_CLAUSE_END = re.compile(r"[,;:–—()]|\s-\s|\.\s|\.$")
MAX_WORDS = 14


def extract(article: Article, sents: list[Any], people: People) -> Iterator[Claim]:
    for index, sent in enumerate(sents):
        for t in sent:
            actor = None
            if t.lower_ in NOUNS and t.pos_ == "NOUN":
                owner = next((c for c in t.children if c.dep_ == "poss"), None)
                actor = _actor(owner, sents, index, people) if owner is not None else None
            elif t.lower_ in VERBS and t.pos_ == "VERB":
                if t.lower_ == "put" and not (t.i + 1 < sent.end and t.nbor(1).lower_ == "forward"):
                    continue
                agent = next((g for c in t.children if c.dep_ == "agent" for g in c.children
                              if g.dep_ == "pobj"), None)
                subj = agent if agent is not None else subject_of(t)
                actor = _actor(subj, sents, index, people) if subj is not None else None
            if actor is None:
                continue
            what = _what(sent, t)
            if t.pos_ == "VERB" and any(c.dep_ == "agent" for c in t.children):
                # passive: "the two-stage structure was proposed by X": what is the subject
                done = next((c for c in t.children if c.dep_ == "nsubjpass"), None)
                what = phrase(done) if done is not None else []
            if t.pos_ == "NOUN" and (not what or what[0].lower_ not in {"for", "of", "to", "that", "on"}):
                continue  # "at Trump's request and ...": no complement, nothing to attribute
            words = tuple(w for w in content_words(what, numbers=True) if w not in actor[1].split())
            if len(words) < 2:
                continue
            text = sent.doc.text[what[0].idx:what[-1].idx + len(what[-1].text)].strip(" “”\"")
            yield Claim(kind="attribution", subject=f"{t.text} {text}", head="attribution",
                        context=words, value=actor[0], normalized=actor[1], unit="",
                        sentence=index, inferred=actor[2])


def _actor(token: Any, sents: list[Any], index: int,
           people: People) -> tuple[str, str, bool] | None:
    """(name, key, whether a pronoun stood for the name) of who acted."""
    person = resolve(token, sents, index, people)
    if person:
        return person.name, person.key, token.lower_ in PRONOUNS
    ent = next((e for e in token.doc.ents if e.start <= token.i < e.end and e.label_ in
                {"ORG", "GPE", "NORP"}), None)
    return (ent.text, fold(ent.text), False) if ent is not None else None


def _what(sent: Any, action: Any) -> list[Any]:
    """The words after the action up to the end of its clause."""
    out: list[Any] = []
    for t in sent[action.i - sent.start + 1:]:
        if _CLAUSE_END.match(t.text) or len(out) >= MAX_WORDS:
            break
        out.append(t)
    return out
