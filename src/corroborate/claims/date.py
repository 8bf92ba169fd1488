"""Date claims: when something happened or takes effect.

Only dates attached to a milestone ("takes effect on March 3", "comes into force", "began on
February 2", "a ballot closing on March 27", "assumed office in October 2024") or to an event a
story reports ("resigned on Thursday", "landed on Wednesday", "announced her resignation on
Thursday", "was freed on Monday") are claims; a date that merely sets the scene ("said on
Monday") is not. What the date belongs to is the milestone and the subject of its verb; an event
said to be planned ("was set to land on Monday") is another question than one that happened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .. import dates
from ..entities import fold
from ..records import Article, Claim
from .common import People, content_words, phrase, resolve, subject_of, verb_of

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
    # the events a story is about: "Truss resigned on Thursday", "Luna-25 crashed on Saturday"
    **dict.fromkeys("resign resigns resigned resigning quit quits".split(), "resign"),
    **dict.fromkeys("die dies died".split(), "die"),
    **dict.fromkeys("land lands landed".split(), "land"),
    **dict.fromkeys("crash crashes crashed".split(), "crash"),
    **dict.fromkeys("flee flees fled".split(), "flee"),
    **dict.fromkeys("become becomes became".split(), "become"),
    **dict.fromkeys("ground grounds grounded".split(), "ground"),
    **dict.fromkeys("collapse collapses collapsed".split(), "collapse"),
    **dict.fromkeys("erupt erupts erupted".split(), "break out"),  # "the blaze erupted around 6:50"
}
# Events only when what happened is named: "announced her resignation on Thursday" (not "announced
# on Monday that ..."), "sent his resignation letter", "was freed", "were found", "was elected".
WITH_OBJECT = {
    **dict.fromkeys("announce announces announced".split(), "announce"),
    **dict.fromkeys("submit submits submitted send sends sent email emails emailed tender tenders "
                    "tendered".split(), "submit"),
}
PASSIVE = {
    **dict.fromkeys("freed refloated dislodged".split(), "be freed"),
    **dict.fromkeys("found".split(), "be found"),
    **dict.fromkeys("elected".split(), "be elected"),
    **dict.fromkeys("fired ousted".split(), "be fired"),
    **dict.fromkeys("announced".split(), "be announced"),  # "her death was announced at 6.30pm"
}
PARTICLES = {
    **{(v, "off"): "take off" for v in ("take", "takes", "took", "taking", "taken")},
    **{(v, "down"): "land" for v in ("touch", "touches", "touched", "touching")},
    **{(v, "out"): "break out" for v in ("break", "breaks", "broke", "breaking", "broken")},
}
# Words that make an event one that is planned, not one that happened: "was set to land on
# Monday", "promised to resign on Wednesday", "will resign on Friday".
PLANNED = frozenset("will would shall 'll plan plans planned planning schedule scheduled set due "
                    "expect expected expects supposed aim aims aimed aiming promise promised "
                    "promises vow vowed vows want wanted wants intend intends intended poised "
                    "going hope hoped hopes".split())
NAMED_DAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|"
                       r"february|march|april|may|june|july|august|september|october|november|"
                       r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b", re.I)
HEDGES = frozenset({"could", "might", "may", "should"})
SAME_THING = {"blaze": "fire", "inferno": "fire"}  # "the blaze erupted", "the fire broke out"
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
        dated = _dated(ent.root, {t.i for t in ent}, sents, d.sentence, people)
        if dated is not None:
            milestone, subject, context = dated
            yield Claim(kind="date", subject=f"When {subject}", head=milestone, context=context,
                        value=d.text, normalized=d.value or fold(d.text), unit="",
                        sentence=d.sentence)
    yield from _times(sents, people)


def _dated(token: Any, skip: set[int], sents: list[Any], index: int, people: People
           ) -> tuple[str, str, tuple[str, ...]] | None:
    """The milestone or event a date or a time (at ``token``) belongs to, how it reads ("Lena
    Ostrova resigns") and the words that say whose it is (with "tense:planned")."""
    sent = sents[index]
    verb = verb_of(token)
    milestone = _milestone(verb) if verb is not None else None
    if milestone is None or verb is None or any(
            c.lower_ in HEDGES for c in verb.children if c.dep_ == "aux"):
        return None
    tags = ("tense:planned",) if milestone in EVENTS and _planned(verb) else ()
    owner = subject_of(verb) if verb.dep_ != "acl" else verb.head
    if owner is None and verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
        owner = subject_of(verb.head.head)  # "crashed shortly after taking off at 8:44 a.m."
    if owner is not None and owner.lower_ in {"that", "which", "who"}:
        owner = _antecedent(owner)
    if owner is not None and owner.lower_ == "it" and milestone in EVENTS:
        # "Luna-25 lost contact. It was expected to land Monday" (only a sentence's first word,
        # not the "it" of "it was announced that ...")
        expletive = any(c.dep_ == "ccomp" for c in verb.children)
        owner = _it(sents, index) if owner.i == sent.start and not expletive else None
    if owner is None:
        return None
    objects = [t for c in verb.children if c.dep_ in {"dobj", "attr"} for t in c.subtree
               if t.lower_ not in {"effect", "force", "office"} and t.i not in skip]
    owned = [t for t in phrase(owner) if t.i not in skip]
    person = resolve(owner, sents, index, people) if milestone in EVENTS else None
    # the person by their key, so that "Ms Truss" and "Liz Truss" are one owner
    # what the owner is said to be counts too: "Luna-25, Russia's first moon mission, ended"
    # is the "first mission to the moon" another outlet says ended
    described = [t for c in owner.children if c.dep_ == "appos" for t in phrase(c)
                 if t.i not in skip]
    words = ((person.key,) + content_words(objects)) if person else content_words(
        [*owned, *described, *objects]) or tuple(fold(t.text) for t in owned
                                                 if t.text[:1].isupper())
    words = tuple(dict.fromkeys(SAME_THING.get(w, w) for w in words))
    if not words or (owner.pos_ == "PRON" and person is None):
        return None  # (a name the model tags a verb: "the Ever Given was freed"; "they")
    subject = person.name if person else _TRAILING.sub("", " ".join(
        t.text for t in owned if t.dep_ not in {"det", "punct"}))
    plural = owner.tag_ in {"NNS", "NNPS"} or any(c.dep_ == "conj" for c in owner.children)
    what = next((c for c in verb.children if c.dep_ == "dobj"), None)
    said = f"{subject} {_phrase(milestone, plural)}"
    if milestone in {"announce", "submit"} and what is not None:  # "… announces her resignation"
        shown = _TRAILING.sub("", " ".join(t.text for t in phrase(what) if t.i not in skip))
        said += f" {shown}" if len(shown) <= 60 else ""
    return milestone, said, words + tags


_TRAILING = re.compile(r"(\s+(?:of|to|at|by|from|for|on|in))+$")  # left by a date taken out


def _times(sents: list[Any], people: People) -> Iterator[Claim]:
    """The time of day of an event ("landed at 6:04 p.m.", "the fire broke out at about 6:50 pm
    local time"), by its own event: head "land:time". A time given in a named zone ("12:30 p.m.
    ET") is another question than one in local time."""
    for index, sent in enumerate(sents):
        for found in dates.clocks(sent.text):
            tokens = [t for t in sent if found.start <= t.idx - sent.start_char < found.end]
            if not tokens:
                continue
            ids = {t.i for t in tokens}
            anchor = next((t for t in tokens if t.head.i not in ids), tokens[0])
            dated = _dated(anchor, ids, sents, index, people)
            if dated is None or dated[0] not in EVENTS:
                continue
            milestone, subject, context = dated
            zone = (f"zone:{found.zone}",) if found.zone else ()
            yield Claim(kind="date", subject=f"What time {subject}", head=f"{milestone}:time",
                        context=context + zone, value=found.text, normalized=found.value,
                        unit="", sentence=index)


def _it(sents: list[Any], index: int) -> Any | None:
    """What "it" stands for at the start of a sentence: the subject of the sentence before, when
    that is one thing (a noun or a name; not another pronoun, a plural, "Scientists were
    engaged ... It was to land on Tuesday", or a person)."""
    if index == 0:
        return None
    subject = subject_of(sents[index - 1].root)
    if subject is None or subject.pos_ not in {"NOUN", "PROPN"} or subject.tag_ in {"NNS", "NNPS"}:
        return None
    return None if subject.ent_type_ == "PERSON" else subject


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


EVENTS = frozenset({"resign", "die", "land", "crash", "flee", "be freed", "become", "ground",
                    "collapse", "announce", "submit", "be found", "be elected", "be fired",
                    "be announced", "take off", "break out"})


def _planned(verb: Any) -> bool:
    """Whether an event is said to be planned or promised, not to have happened."""
    t = verb
    for _ in range(3):
        if any(c.lower_ in PLANNED or (c.dep_ == "aux" and c.lower_ == "to") for c in t.children
               if c.dep_ in {"aux", "auxpass"}):
            return True
        if t.dep_ not in {"xcomp", "ccomp", "conj", "acl", "pcomp"} or t.head.i == t.i:
            return False
        t = t.head
        if t.lower_ in PLANNED:
            return True
    return False


def _milestone(verb: Any) -> str | None:
    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
    if particle and (verb.lower_, particle) in PARTICLES:
        return PARTICLES[(verb.lower_, particle)]
    if verb.lower_ in WITH_OBJECT and any(c.dep_ == "dobj" and c.pos_ in {"NOUN", "PROPN"}
                                          for c in verb.children):
        return WITH_OBJECT[verb.lower_]
    if verb.lower_ in PASSIVE:
        passive = any(c.dep_ == "auxpass" for c in verb.children) or verb.dep_ == "acl"
        return PASSIVE[verb.lower_] if passive else None
    if verb.lower_ in APPLY:  # "the new cap applies from 1 April"
        return "take effect"
    if verb.lower_ in EFFECT:
        objects = {c.lower_ for c in verb.subtree if c.dep_ in {"dobj", "pobj"}}
        if objects & {"effect", "force"}:
            return "take effect"
        return None
    return MILESTONES.get(verb.lower_)


def _phrase(milestone: str, plural: bool) -> str:
    if milestone.startswith("be "):  # "When the boys are found", "When Altman is fired"
        return ("are " if plural else "is ") + milestone[3:]
    if plural:
        return milestone
    verb, space, rest = milestone.partition(" ")
    if space and milestone not in {"take effect", "take office"}:  # "When the fire breaks out"
        return f"{_phrase(verb, plural)} {rest}"
    if milestone in {"take effect", "take office"}:
        return milestone.replace("take", "takes")
    return milestone + ("es" if milestone.endswith(("ch", "sh", "s", "x")) else "s")
