"""What the claim extractors share: people in an article, pronouns, and normalised words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..entities import HONORIFIC, fold, person_key
from ..records import Article

PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers"})
# Words that say nothing about which thing a number measures.
GENERIC = frozenset(
    "good goods import imports export exports product products item items share total level "
    "amount figure number per cent percent new recent latest main key benchmark overall about some "
    "around roughly nearly almost more less than over under up down year years month months week "
    "weeks day days time times its their his her the a an this that these those all other "
    "additional further extra current previous earlier later".split())
SPEECH = frozenset("say says said tell tells told add adds added state states stated note notes "
                   "noted warn warns warned argue argues argued insist insists insisted write "
                   "writes wrote explain explains explained reply replies replied concede concedes "
                   "conceded claim claims claimed acknowledge acknowledged saying telling "
                   "adding writing noting warning arguing insisting posted posting tweeted claiming".split())
# Words that make a capitalised name an organisation, not a person the model mislabelled ORG.
ORG_WORDS = frozenset(
    "service authority union bank ministry council committee association company group inc ltd "
    "party news network press agency port university court office department house board "
    "commission fund trust club times post review journal gazette star ledger courier observer "
    "monitor tribune markets securities capital shipping airlines airways motors energy holdings "
    "bureau institute foundation centre center corporation corp partners police army navy "
    "federation league alliance coalition government parliament senate congress assembly "
    "agreement treaty act accord wire daily weekly radio television tv cabinet church "
    "school college hospital museum library affairs relations security defence defense health "
    "finance trade industry justice interior education transport energy environment agriculture "
    "labour labor culture sport sports tourism housing fisheries treasury commerce business "
    "herald media broadcasting channel insider telegraph express".split())
MEDIA = re.compile(r"\b(news|press|wire|times|post|agency|reuters|ap|afp|bloomberg|tv|radio|"
                   r"network|journal|tribune|gazette|herald|observer|courier|ledger|monitor|"
                   r"review|star|daily|cbc|ctv|bbc|cnn|cnbc|cbs|nbc|abc|fox)\b", re.I)


def canon(word: str) -> str:
    """Country and demonym to one form: "Canada" = "Canadian", "Estravia" = "Estravian"."""
    w = fold(word).replace(".", "")
    return re.sub(r"(ian|an|a|n)$", "", w) if len(w) > 4 else w


def norm_word(token: Any) -> str:
    """A content word, lower case, without accents or a plural -s; places in their `canon` form."""
    text = fold(token.text)
    if token.ent_type_ in {"GPE", "NORP"}:
        return canon(token.text)
    if token.tag_ in {"NNS", "NNPS"} and text.endswith("ies") and len(text) > 4:
        text = text[:-3] + "y"  # "fisheries" -> "fishery"
    elif token.tag_ in {"NNS", "NNPS"} and text.endswith("s") and len(text) > 3:
        text = text[:-1]
    return text


def content_words(tokens: Iterable[Any], skip: Iterable[Any] = (),
                  numbers: bool = False) -> tuple[str, ...]:
    """Nouns, names and adjectives (and numbers when asked), normalised, each once."""
    skipped = {t.i for t in skip}
    words = []
    for t in tokens:
        if t.i in skipped or t.pos_ not in {"NOUN", "PROPN", "ADJ", "NUM"}:
            continue
        if ((t.like_num or t.pos_ == "NUM") and not numbers) or t.ent_type_ in {"DATE", "TIME"}:
            continue
        word = norm_word(t)
        if word and word not in GENERIC and word not in words:
            words.append(word)
    return tuple(words)


_SUFFIX = re.compile(r",?\s+(?:[IVX]{2,4}|Jr\.?|Sr\.?)$")  # "Charles III", "Jr."


def _person_key(text: str) -> str:
    """A person's folded name without a regnal number or generational suffix: "Charles III"
    and "King Charles" are both Charles."""
    return person_key(_SUFFIX.sub("", text.strip()))


@dataclass(frozen=True)
class Person:
    key: str  # folded surname
    name: str  # fullest form seen in the article


class People:
    """The people an article names, so that "LeBlanc", "Dominic LeBlanc" (tagged ORG by the model)
    and "he" can be resolved to one person."""

    def __init__(self, article: Article) -> None:
        self.full: dict[str, str] = {}
        for e in article.entities:
            if e.label == "PERSON":
                key = _person_key(e.text)
                if " " in key:
                    self.full.setdefault(key.rsplit(" ", 1)[1], strip_title(e.text))

    def of_span(self, span: Any) -> Person | None:
        """The person a spaCy span (an entity or a token's subtree) names, if any."""
        label = getattr(span, "label_", "") or span.root.ent_type_
        text = strip_title(span.text)
        key = _person_key(text)
        if not key:
            return None
        surname = key.rsplit(" ", 1)[-1]
        if surname in self.full or (label not in {"GPE", "LOC", "DATE", "TIME", "MONEY", "PERCENT",
                                                  "QUANTITY", "CARDINAL", "ORDINAL", "NORP"}
                                    and looks_personal(text)):
            return Person(surname, self.full.get(surname, text))
        return None

    def in_tokens(self, tokens: Iterable[Any]) -> list[Person]:
        """People named in a run of tokens, in order, each once."""
        found: list[Person] = []
        tokens = list(tokens)
        if not tokens:
            return found
        doc = tokens[0].doc
        ids = {t.i for t in tokens}
        hits: list[tuple[int, Person]] = []
        covered: set[int] = set()
        for ent in doc.ents:
            if ent.start in ids:
                covered.update(range(ent.start, ent.end))
                person = self.of_span(ent)
                if person:
                    hits.append((ent.start, person))
        for t in tokens:  # a surname the model did not tag ("Dunmore, speaking to reporters")
            if t.i not in covered and t.pos_ == "PROPN" and fold(t.text) in self.full:
                hits.append((t.i, Person(fold(t.text), self.full[fold(t.text)])))
        for _, person in sorted(hits, key=lambda h: h[0]):
            if person not in found:
                found.append(person)
        return found


def looks_personal(name: str) -> bool:
    """A name the model tagged ORG that reads like a person's: two or three capitalised words,
    none of them an organisation word ("Ines Farrow", not "National Mediation Service")."""
    words = name.split()
    return 2 <= len(words) <= 3 and all(
        w[:1].isupper() and w.replace("-", "").replace("'", "").isalpha() and not w.isupper()
        and w.lower() not in ORG_WORDS for w in words)


def strip_title(name: str) -> str:
    return HONORIFIC.sub("", name.strip())


def person_at(token: Any, people: People) -> Person | None:
    """The person whose name this token is part of (not merely a name inside its phrase)."""
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return people.of_span(ent)
    if token.pos_ == "PROPN":  # a name the model missed altogether ("Ines Farrow, director ...")
        surname = fold(token.text)
        if surname in people.full:  # "Okafor", named in full elsewhere in the article
            return Person(surname, people.full[surname])
        words = [c for c in token.children if c.dep_ == "compound" and c.i < token.i] + [token]
        name = " ".join(w.text for w in sorted(words, key=lambda w: w.i))
        if looks_personal(name):
            key = _person_key(name).rsplit(" ", 1)[-1]
            return Person(key, people.full.get(key, name))
    return None


def subject_person(sent: Any, people: People) -> Person | None:
    """The person that is the grammatical subject of a sentence's main verb, if any."""
    for t in sent:
        if t.dep_ in {"nsubj", "nsubjpass"} and t.head.dep_ == "ROOT":
            found = person_at(t, people) or next(
                (p for c in t.children if c.dep_ == "appos" for p in [person_at(c, people)] if p),
                None)
            if found:
                return found
    return None


def resolve(token: Any, sents: list[Any], index: int, people: People) -> Person | None:
    """The person a token stands for: itself, or for he/she/his/her the nearest person before it
    (the subject of this or a previous sentence, else the last person named)."""
    if token.lower_ not in PRONOUNS:
        return person_at(token, people) or next(
            (p for c in token.children if c.dep_ == "appos" for p in [person_at(c, people)] if p),
            None)
    before = [t for t in sents[index] if t.i < token.i]
    candidates = people.in_tokens(before)
    if len({p.key for p in candidates}) == 1:
        return candidates[0]
    if candidates:  # several people before "his": the subject of the sentence, if it is one
        subject = subject_person(sents[index], people)
        return subject if subject in candidates else None
    for back in range(index - 1, max(-1, index - 3), -1):
        named = people.in_tokens(sents[back])
        if len({p.key for p in named}) == 1:
            return named[0]
        if named:  # several people: only the subject of that sentence is a safe antecedent
            return subject_person(sents[back], people)
    return None


_CLAUSES = frozenset({"relcl", "acl", "appos", "advcl", "punct", "cc", "conj", "det", "prep:since"})


def phrase(token: Any, depth: int = 0) -> list[Any]:
    """A token with the words that narrow it down, without the clauses hanging off it."""
    out = [token]
    if depth < 5:
        for c in token.children:
            if c.dep_ not in _CLAUSES:
                out.extend(phrase(c, depth + 1))
    return sorted(out, key=lambda t: t.i)


def verb_of(token: Any) -> Any | None:
    """The verb that governs a token (itself when it is a verb)."""
    t = token
    while t.pos_ not in {"VERB", "AUX"}:
        if t.head.i == t.i:
            return None
        t = t.head
    return t


def subject_of(verb: Any) -> Any | None:
    """The subject of a verb, following conjunctions and open complements up the tree."""
    t = verb
    for _ in range(4):
        for c in t.children:
            if c.dep_ in {"nsubj", "nsubjpass"}:
                return c
        if t.dep_ in {"conj", "xcomp", "advcl", "ccomp", "pcomp", "acl"} and t.head.i != t.i:
            t = t.head
        else:
            return None
    return None
