"""Event claims: who meets whom, where and when; who accompanies whom.

"Carney will meet with U.S. President Donald Trump in Washington on Tuesday" gives two claims about
the meeting of Carney and Trump: when (Tuesday, or its date when the article is dated) and where
(Washington). A city and a building ("Washington", "the White House") do not contradict each other.
"He will be accompanied by LeBlanc, Anand and Joly" gives who accompanies Carney.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..dates import tense
from ..entities import fold
from ..records import Article, Claim
from .common import People, Person, content_words, phrase, resolve, subject_of

MEET = frozenset({"meet", "meets", "met", "meeting"})
HOLD = frozenset({"hold", "holds", "held", "holding", "have", "has", "had"})
SIGN = frozenset({"sign", "signs", "signed", "signing"})
ACCOMPANY = frozenset({"accompany", "accompanies", "accompanied", "accompanying"})
PLACES = frozenset({"GPE", "FAC", "LOC"})
_NOT_PLACES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL",
                         "PERSON"})


def extract(article: Article, sents: list[Any], people: People) -> Iterator[Claim]:
    for index, sent in enumerate(sents):
        for t in sent:
            if t.lower_ in MEET and t.pos_ in {"VERB", "NOUN"}:
                yield from _meeting(article, sents, index, t, people)
            elif t.lower_ == "talks" and t.head.lower_ in HOLD:  # "X held talks with Y"
                yield from _meeting(article, sents, index, t.head, people, talks=t)
            elif t.lower_ in SIGN and t.pos_ == "VERB":
                claim = _signed_where(sents, index, t)
                if claim:
                    yield claim
            elif t.lower_ in ACCOMPANY and t.pos_ == "VERB":
                claim = _accompany(sents, index, t, people)
                if claim:
                    yield claim


def _meeting(article: Article, sents: list[Any], index: int, verb: Any,
             people: People, talks: Any = None) -> Iterator[Claim]:
    sent = sents[index]
    who: list[Person] = []
    subj = subject_of(verb) if verb.pos_ in {"VERB", "AUX"} else None
    if subj is not None:
        person = resolve(subj, sents, index, people)
        if person:
            who.append(person)
    for c in [*verb.children, *(talks.children if talks is not None else [])]:
        targets = [c] if c.dep_ == "dobj" else [g for g in c.children if g.dep_ == "pobj"] \
            if c.dep_ == "prep" and c.lower_ == "with" else []
        for target in targets:
            for token in [target, *[x for x in target.subtree if x.dep_ == "conj"]]:
                person = resolve(token, sents, index, people)
                if person and person not in who:
                    who.append(person)
    if len({p.key for p in who}) < 2:
        return
    names = " and ".join(p.name for p in who)
    future = tense(verb) if verb.pos_ == "VERB" else None
    # a past and a coming meeting of the same people are two events
    context = tuple(sorted({p.key for p in who})) + ({True: ("coming",), False: ("past",)}.get(
        future, ()) if future is not None else ())
    when = _when(article, sent, index, verb)
    if when:
        yield Claim(kind="event", subject=f"When {names} meet", head="meet:when", context=context,
                    value=when[0], normalized=when[1], unit="", sentence=index)
    place = _where(sent, who)
    if place:
        yield Claim(kind="event", subject=f"Where {names} meet", head="meet:where",
                    context=context, value=place[0], normalized=place[1], unit="", sentence=index)


def _when(article: Article, sent: Any, index: int, verb: Any) -> tuple[str, str] | None:
    subtree = {t.i for t in verb.subtree}
    dates = [d for d in article.dates if d.sentence == index]
    found = [e for e in sent.ents if e.label_ == "DATE"]
    # the date in the meeting's own phrase, else the first one after the verb
    found = [e for e in found if e.root.i in subtree] or [e for e in found if e.start > verb.i][:1]
    for ent in found:
        mention = next((d for d in dates if d.text in ent.text or ent.text in d.text), None)
        value = mention.value if mention and mention.value else fold(ent.text).replace("this ", "")
        return ent.text, value
    return None


def _where(sent: Any, who: list[Person], within: set[int] | None = None
           ) -> tuple[str, str] | None:
    """The place in a sentence ("in Washington", "at the White House"); a capitalised name after
    "in" or "at" that the model did not tag (often a made-up town) counts as a place too."""
    for ent in sent.ents:
        if ent.label_ not in PLACES or (within is not None and ent.root.i not in within):
            continue
        if ent.root.dep_ in {"compound", "nmod", "poss", "amod"}:
            continue  # "U.S. President Donald Trump": a nationality, not a place
        if ent.root.dep_ == "pobj" and ent.root.head.lower_ in {"in", "at", "to", "for"}:
            name = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
            return name, f"{ent.label_.lower()}:{fold(name)}"
    for t in sent:
        if (t.dep_ == "pobj" and t.head.lower_ in {"in", "at"} and t.pos_ == "PROPN"
                and t.ent_type_ not in _NOT_PLACES and (within is None or t.i in within)):
            words = [c for c in t.children if c.dep_ == "compound" and c.i < t.i] + [t]
            name = " ".join(w.text for w in sorted(words, key=lambda w: w.i))
            return name, f"gpe:{fold(name)}"
    return None

def _signed_where(sents: list[Any], index: int, verb: Any) -> Claim | None:
    """ "The agreement was signed in Rennsund": where a thing was signed."""
    thing = next((c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}), None)
    if thing is None and verb.dep_ == "acl":  # "the agreement signed in Rennsund"
        thing = verb.head
    if thing is None:
        return None
    # the place the signing is "in" or "at", not one deeper in the clause: "signed a letter
    # threatening to join Altman at Microsoft", "a letter signed by 600 employees at OpenAI"
    at = {t.i for head in (verb, thing) for c in head.children
          if c.dep_ == "prep" and c.lower_ in {"in", "at"} for t in c.subtree}
    place = _where(sents[index], [], within=at)
    if place is None:
        return None
    tokens = [t for t in phrase(thing) if not (t.head.lower_ in {"in", "at"} and t.text in place[0])
              and not (t.lower_ in {"in", "at"} and any(place[0].endswith(c.text) for c in t.children))]
    words = content_words(tokens)
    if not words:
        return None
    shown = " ".join(t.text for t in tokens if t.dep_ not in {"det", "punct"})
    return Claim(kind="event", subject=f"Where {shown} was signed", head="sign:where",
                 context=words, value=place[0], normalized=place[1], unit="", sentence=index)


def _accompany(sents: list[Any], index: int, verb: Any, people: People) -> Claim | None:
    companions: list[Person] = []
    principal = None
    for c in verb.children:
        if c.dep_ == "agent":  # passive: "he will be accompanied by A, B and C"
            for obj in (g for g in c.children if g.dep_ == "pobj"):
                companions += _people(obj, sents, index, people)
        elif c.dep_ == "nsubjpass":
            principal = resolve(c, sents, index, people)
        elif c.dep_ == "nsubj":  # active: "A, B and C will accompany Carney"
            companions += _people(c, sents, index, people)
        elif c.dep_ == "dobj":
            principal = resolve(c, sents, index, people)
    keys = sorted({p.key for p in companions})
    if principal is None or not keys:
        return None
    return Claim(kind="event", subject=f"Who accompanies {principal.name}", head="accompany",
                 context=(principal.key,), value=", ".join(p.name for p in companions),
                 normalized=keys, unit="", sentence=index)


def _people(token: Any, sents: list[Any], index: int, people: People) -> list[Person]:
    found = []
    for t in [token, *[x for x in token.subtree if x.dep_ == "conj"]]:
        person = resolve(t, sents, index, people)
        if person and person not in found:
            found.append(person)
    return found
