"""Quantity claims: a number, its unit, and what it measures.

"a 35% tariff on Canadian goods" → head "tariff", context ("canad",), 0.35. The thing measured is
found in the parse: the noun the number modifies ("a 35% tariff"), the object of the verb whose
target it is ("hiked tariffs on Canada to 35%"), the subject of a linking or change verb
("inflation reached 6.8%"), or the noun a count counts ("12,000 dockworkers"). "From X to Y" gives
Y as the value and X as the previous one; forecasts and hedged figures ("could reach") are skipped.
An ordinal ("his second visit") is a quantity of its noun. A length measures the noun it
modifies ("a 1.6-mile bridge") or what a linking verb says it is ("Titan is 22 feet long"); a
distance from somewhere ("80 km from the city") answers no one question and is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from .. import quantities
from ..records import Article, Claim
from .common import (
    GENERIC,
    People,
    canon,
    content_words,
    norm_word,
    person_at,
    phrase,
    resolve,
    subject_of,
    verb_of,
)

CHANGE_UP = frozenset("raise raises raised raising hike hikes hiked hiking increase increases "
                      "increased increasing lift lifts lifted lifting boost boosts boosted double "
                      "doubled doubles rise rises rose risen rising climb climbs climbed jump "
                      "jumped jumps grow grew grown grows".split())
CHANGE_DOWN = frozenset("cut cuts cutting lower lowers lowered lowering reduce reduces reduced "
                        "reducing fall falls fell fallen falling drop drops dropped dropping "
                        "decline declines declined slash slashed trim trimmed ease eased".split())
CHANGE_ANY = frozenset("revise revised revises change changed changes set sets adjust adjusted "
                       "bring brought bringing take took taking".split())
HEDGES = frozenset("could would might may forecast forecasts forecasted forecasting predict "
                   "predicts predicted predicting expect expects expected expecting projected "
                   "project projects projecting estimate estimates estimated prefer preferred "
                   "preferring hope hopes hoped hoping target targets targeted targeting aim "
                   "aims aimed aiming recommend recommends recommended recommending advise "
                   "advised advises".split())
# Verbs that count the same thing in other words: "11 people were killed" = "11 people died".
VERB_CLASSES = {
    **dict.fromkeys("killed died dead die dies perished lost drowned".split(), "die"),
    **dict.fromkeys("injured hurt wounded treated hospitalised hospitalized".split(), "injure"),
    **dict.fromkeys("evacuated moved displaced fled relocated rescued".split(), "evacuate"),
    **dict.fromkeys("missing".split(), "missing"),
}
# What a figure is, by the verb that gives it: a demand and an offer of the same pay rise differ.
STANCES = {
    **dict.fromkeys("seek seeks seeking sought demand demands demanded demanding want wants "
                    "wanted wanting ask asks asked asking claim claims claimed".split(), "demand"),
    **dict.fromkeys("offer offers offered offering table tabled tabling propose proposes proposed "
                    "proposing improve improved improves".split(), "offer"),
}
# Words for the same measured thing (tunable): "a €4.2bn takeover" = "a deal worth €4.2 billion".
SYNONYMS = {"takeover": "deal", "acquisition": "deal", "merger": "deal", "purchase": "deal",
            "buyout": "deal", "transaction": "deal", "worker": "job", "employee": "job",
            "post": "job", "position": "job", "vessel": "ship", "home": "house",
            "household": "house", "dwelling": "house", "death": "dead", "fatality": "dead",
            "containership": "ship", "freighter": "ship", "individual": "people",
            "ha": "hectare", "km": "kilometre", "kilometer": "kilometre"}
BUY = frozenset("buy buys bought buying acquire acquires acquired acquiring purchase purchased "
                "sell sells sold selling take taking".split())
# Weights: a count of one answers a question when something else narrows it ("the quota is
# 312,000 tonnes"), not alone ("312,000 tonnes").
WEIGHTS = frozenset("tonne tonnes ton tons kg kilogram kilograms".split())
# Counted nouns too general to align on the noun alone: "6,200 people" and "27 people".
GENERIC_COUNTS = frozenset("people person resident residents citizen member members country time "
                           "year month week day case unit".split())
LINKING = frozenset("be is are was were reach reaches reached reaching stand stands stood standing "
                    "hit hits hitting total "
                    "totals totalled totaled amount amounts amounted remain remains remained "
                    "come comes came".split())
# What a length is of when it is said of something: "22 feet long", "a 300-metre-tall tower".
DIMENSIONS = frozenset("long tall high wide deep thick".split())
# Verbs that give a thing's length: "the bridge that stretches 1.6 miles".
MEASURING = frozenset("stretch stretches stretched stretching measure measures measured measuring "
                      "extend extends extended extending span spans spanned run runs ran".split())
# Words after a length that make it a distance from or to somewhere, or a position ("80 km from
# the city", "12,500 feet below the surface", "two miles north of Lahaina").
WHERE = frozenset("from away off to toward towards into out inland offshore north south east west "
                  "northeast northwest southeast southwest northeastern northwestern southeastern "
                  "southwestern northern southern eastern western above below beneath under "
                  "underground underwater down up beyond across along past outside inside "
                  "behind ahead short".split())
_SCALE_WORDS = frozenset({"thousand", "million", "billion", "trillion", "a", "dozen"})
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
            "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}


def extract(article: Article, sents: list[Any], people: People) -> Iterator[Claim]:
    offsets = [s.start for s in article.sentences]
    for q in article.quantities:
        sent = sents[q.sentence]
        start = sent.start_char + (q.start - offsets[q.sentence])
        tokens = [t for t in sent if start <= t.idx < start + (q.end - q.start)]
        if q.kind == "count":  # the number only: "container" in "11 container ships" narrows it
            tokens = [t for t in tokens if t.like_num or t.lower_ in _SCALE_WORDS] or tokens
        if not tokens:
            continue
        claim = _claim(q, tokens, sent, sents, people, article)
        if claim is not None:
            yield claim
    yield from _ordinals(article, sents, people)
    yield from _tenures(sents, people)


def _claim(q: Any, tokens: list[Any], sent: Any, sents: list[Any], people: People,
           article: Article) -> Claim | None:
    ids = {t.i for t in tokens}
    anchor = next((t for t in tokens if t.head.i not in ids), tokens[-1])
    verb = verb_of(anchor)
    if verb is not None and _hedged(verb):
        return None
    previous, later = None, False
    first = min(t.i for t in tokens)
    before = sent.doc[first - 1].lower_ if first > 0 else ""  # the word before the figure
    if anchor.dep_ == "pobj" and anchor.head.lower_ == "from" and before != "to":
        return None  # "from 3.75% to 4.5%", "up from 3%": the previous value of another number
    if q.kind == "length" and _whereabouts(sent.doc, max(t.i for t in tokens)):
        return None  # "80 km from the city": a distance, not a measure of anything named
    if _respectively(sent, anchor):
        return None  # "decreased to 4.25%, 4.5% and 3.75% respectively": which is which?
    head = _measured(anchor, tokens, ids, q.kind)
    if q.kind != "count" and head is not None and head.lower_ in UNIT_WORDS:
        return None  # "3.8 km (2.4 miles)", "120 mph (205 kph)": the other figure's conversion;
        # "to 4.25 percent and 4.5 percent": another figure, not what it measures
    if q.kind == "money" and verb is not None and verb.lower_ in BUY and (
            head is None or (anchor.dep_ == "pobj" and anchor.head.lower_ == "for")):
        head = verb  # "agreed to buy Perrow Polymers for €4.2bn": the deal's value
    if head is None and verb is not None and verb.lower_ in STANCES and anchor.dep_ == "dobj":
        head = verb  # "the authority has offered 3%": the offer
    if head is None:
        return None
    if verb is not None:
        change = verb.lower_ in CHANGE_UP | CHANGE_DOWN | CHANGE_ANY
        to_target = anchor.dep_ == "pobj" and anchor.head.lower_ in {"to", "at"}
        later = (change and (to_target or verb.lower_ in CHANGE_UP | CHANGE_DOWN)) or _up_from(sent)
        previous = _previous_value(q, article)
        later = later or previous is not None
    # a length belongs to its thing, not to whoever acted on it ("spans of the bridge crumpled")
    actor = _actor(head, verb if q.kind != "length" else None, sents, people, sent) \
        if head.pos_ != "VERB" else _actor(head, head, sents, people, sent)
    noun = _head_word(head)
    if q.kind == "length" and noun == "span" and not any(
            c.dep_ in {"amod", "compound"} and c.i not in ids for c in head.children):
        noun = "bridge"  # "the 1.9-mile span": a bridge's length, not its "main span"
    tags = []
    if q.kind == "count" and verb is not None:
        said = _outcome(verb)
        tags.append(f"verb:{VERB_CLASSES.get(said.lower_, said.lower_)}")
    stance = STANCES.get(verb.lower_ if verb is not None else "") or STANCES.get(
        head.head.lower_ if head.dep_ in {"dobj", "pobj"} else "") or STANCES.get(head.lower_)
    if stance:
        tags.append(f"stance:{stance}")
    period = _period(article, q.sentence)
    if period:
        tags.append(f"period:{period}")
    rate = _per(sent, tokens)
    if rate:
        tags.append(f"per:{rate}")
    if q.kind == "count" and head.pos_ != "VERB" and _part(head):
        tags.append("part:yes")
    elif q.kind == "count" and _total(anchor, before):
        tags.append("part:total")
    if q.kind == "length":
        dimension = _dimension(tokens)
        if dimension:
            tags.append(f"dim:{dimension}")
    bound = _bound(sent.doc, first)
    if bound:
        tags.append(f"bound:{bound}")
    modifiers = [*_modifiers(head), *_said_to_be(head)] if head.pos_ != "VERB" else []
    words = tuple(w for w in content_words(modifiers, skip=tokens)
                  if w not in quantities.UNIT_WORDS) + _scope(verb, modifiers)
    # the people it is of: "British nationals", "the rate on Estravian steel" (demonyms only:
    # "China" and "Chinese", "U.S." and "American" are one place in words canon() cannot match)
    places = tuple(f"place:{canon(t.text)}" for t in modifiers if t.ent_type_ == "NORP")
    context = tuple(dict.fromkeys(tuple(actor.split()) + tuple(tags) + places + words))
    kind_unit = q.unit if q.kind != "count" else SYNONYMS.get(norm_word(head), norm_word(head))
    # a length the measure pattern did not read ("two thousand miles") says of what no more
    # than "22 feet" alone does
    if q.kind == "count" and (head.lower_ in quantities.UNIT_WORDS or (
            head.lower_ in WEIGHTS and all(":" in c for c in context))):
        return None  # "22 feet": of what?
    if head.pos_ == "VERB":  # "the authority has offered 3%": "offer (the Valmora Port Authority)"
        doer = subject_of(head)
        who = "" if doer is None or doer.pos_ == "PRON" else " ".join(
            t.text for t in phrase(doer) if t.pos_ != "DET")
        subject = f"{noun} ({who})" if who else noun
    else:
        subject = _subject_text(head, tokens) or noun
    return Claim(
        kind="quantity", subject=subject, head=noun, context=context, value=q.text,
        normalized=q.value, unit=kind_unit, sentence=q.sentence, later=later, previous=previous,
        as_of=_as_of(article, q.sentence))


def _head_word(head: Any) -> str:
    if head.pos_ == "VERB":
        return "deal" if head.lower_ in BUY else STANCES.get(head.lower_, head.lower_)
    noun = _noun_phrase(head)
    return SYNONYMS.get(noun, noun)


def _period(article: Article, sentence: int) -> str | None:
    """The year a sentence puts its figures in, when it is not the year of publication ("in the
    whole of last year", "in 1987"): such figures are history, not the current value."""
    published = (article.published or "")[:4]
    if not published:
        return None  # undated: "announced in April 2025" may well be the current value
    for d in article.dates:
        if d.sentence == sentence and d.value and len(d.value) == 4 and d.value != published:
            return d.value
    return None


_PER = re.compile(r"^[^,;:.()–—]{0,60}?(?:(?<!\bfor )\b(?:a|an|per|each|every) (?P<unit>year|day|week|"
                  r"month|hour|night|season)\b(?! (?:after|ago|later|earlier|before|since|of|on)\b)"
                  r"|\b(?P<ly>annually|yearly|daily|weekly|monthly|hourly|nightly)\b)")
_LY = {"annually": "year", "yearly": "year", "daily": "day", "weekly": "week", "monthly": "month",
       "hourly": "hour", "nightly": "night"}


def _per(sent: Any, tokens: list[Any]) -> str | None:
    """The period a figure is a rate of, from the words after it in its clause ("19,000 vessels
    pass through it each year", "$9.6bn of trade a day", "shipped annually"): a rate and a
    count are two measures ("42 vessels waiting"), a rate a day and a rate a year too."""
    last = max(tokens, key=lambda t: t.i)
    after = sent.doc.text[last.idx + len(last.text):sent.end_char]
    m = _PER.match(after)
    if m is None:
        return None
    return m["unit"] or _LY[m["ly"]]


_AT_LEAST = {("more", "than"): "min", ("over",): "min", ("at", "least"): "min", ("upwards", "of"): "min",
             ("in", "excess", "of"): "min", ("fewer", "than"): "max", ("less", "than"): "max",
             ("up", "to"): "max", ("at", "most"): "max", ("no", "more", "than"): "max"}


def _part(noun: Any) -> bool:
    """Whether a count is of a part of those it is about, joined to the rest ("twelve members of
    the team and their coach"): "twelve members and their coach" and "13 members" agree. A count
    of others is not ("nearly 100 other ships", "Britain and 14 other realms"): it is what other
    outlets give as "300 ships" or "14 other realms" too (on eval/real and eval/real2, reading
    "other" as a part lost a labelled update and split a corroborated count), and nor is one of
    several figures side by side."""
    if any(c.lower_ in {"other", "others"} for c in noun.children):
        return False
    joined = [c for c in noun.children if c.dep_ == "conj" and c.pos_ in {"NOUN", "PROPN"}]
    if noun.dep_ == "conj":
        joined.append(noun.head)
    # "got 82 votes and three votes": figures side by side, each a whole (eval/real2)
    return any(not any(c.dep_ == "nummod" for c in t.children) for t in joined)


def _total(anchor: Any, before: str) -> bool:
    """Whether a count is the whole that another figure is a part of ("a majority of 289 of the
    577 deputies", "12 of the 13 aboard"): not what a count of some of them answers ("the bloc
    was left with 168 deputies")."""
    noun = anchor if anchor.pos_ in {"NOUN", "PROPN"} else anchor.head
    prep = noun.head if noun.dep_ == "pobj" else None
    if prep is None or prep.lower_ != "of" or before not in {"the", "all"}:
        return False
    return prep.head.like_num or prep.head.pos_ == "NUM"


def _bound(doc: Any, first: int) -> str | None:
    """"min" for a figure given as a lower bound ("more than 30", "at least seven"), "max" for
    an upper one ("up to 40", "no more than 12"): "more than 30 nationalities" agrees with "35
    nationalities"."""
    words = [t.lower_ for t in doc[max(0, first - 3):first]]
    for n in (3, 2, 1):
        if len(words) >= n and tuple(words[-n:]) in _AT_LEAST:
            return _AT_LEAST[tuple(words[-n:])]
    return None


AS_OF_DAYS = 3


def _as_of(article: Article, sentence: int) -> str | None:
    """The day a figure is given for, when its sentence names exactly one, close to publication
    ("38 ships were waiting on Monday"). A day further back is when the event happened, not when
    it was counted ("fourteen people died on May 9", reported in June): the publication date is
    then the better "as of"."""
    days = {d.value for d in article.dates if d.sentence == sentence and d.value
            and len(d.value) == 10}
    if len(days) != 1:
        return None
    day = days.pop()
    if article.published and abs((date.fromisoformat(day) - date.fromisoformat(
            article.published)).days) > AS_OF_DAYS:
        return None
    return day


UNIT_WORDS = quantities.UNIT_WORDS | {"percent", "cent", "%", "pct", "point", "points"}


def _respectively(sent: Any, anchor: Any) -> bool:
    """Whether a figure is one of a list matched in order to a list of things ("the rates on A, B
    and C will be 4.25%, 4.5% and 3.75% respectively"): the parse does not pair them."""
    if not any(t.lower_ == "respectively" for t in sent):
        return False
    listed = {"conj", "appos"}  # the model joins such lists either way
    return anchor.dep_ in listed or any(c.dep_ in listed for c in anchor.children)


def _whereabouts(doc: Any, last: int) -> bool:
    """Whether the words after a length make it a distance or a position ("80 km from", "some 400
    miles east of Cape Cod", "2 miles away")."""
    after = last + 1
    if after < len(doc) and doc[after].text == "(":  # "115 miles (185 km) southwest of Orlando"
        close = next((t.i for t in doc[after:after + 8] if t.text == ")"), None)
        after = close + 1 if close is not None else after
    following = [t for t in doc[after:after + 2] if t.pos_ != "PUNCT" or t.text in {"-", "–"}]
    return any(t.lower_ in WHERE for t in following[:1]) or (
        len(following) > 1 and following[0].pos_ in {"ADV", "ADJ"} and following[0].lower_ not in DIMENSIONS
        and following[1].lower_ in WHERE)


def _hedged(verb: Any) -> bool:
    words = {verb.lower_} | {c.lower_ for c in verb.children if c.dep_ in {"aux", "advmod"}}
    head = verb.head if verb.dep_ in {"xcomp", "ccomp", "advcl"} else None
    if head is not None:
        words.add(head.lower_)
    return bool(words & HEDGES)


def _up_from(sent: Any) -> bool:
    text = sent.text.lower()
    return " up from " in text or " down from " in text


def _previous_value(q: Any, article: Article) -> float | None:
    """The value a sentence says this one replaced: "to 6%, up from 3%", "from 3.75% to 4.5%"."""
    text = article.text
    for o in article.quantities:
        if o.sentence != q.sentence or o.start == q.start or (o.unit, o.kind) != (q.unit, q.kind):
            continue
        if "from" not in text[max(0, o.start - 15):o.start].lower().split()[-2:]:
            continue
        between = text[min(o.end, q.end):max(o.start, q.start)].lower()
        if o.start > q.start or " to " in f" {between} ":
            return float(o.value)
    return None


def _measured(anchor: Any, tokens: list[Any], ids: set[int], kind: str) -> Any | None:
    """The token for the thing a quantity measures."""
    if kind == "count":  # "12,000 dockworkers", "11 container ships": the counted noun
        noun = anchor if anchor.pos_ in {"NOUN", "PROPN"} else anchor.head
        while noun.dep_ == "compound" and noun.head.i > noun.i:
            noun = noun.head
        return noun
    for c in anchor.children:  # "85 per cent of exports"
        if c.dep_ == "prep" and c.lower_ == "of":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs:
                return objs[0]
    head = anchor.head
    if anchor.dep_ in {"nummod", "compound", "amod", "quantmod", "nmod"} and head.pos_ in {"NOUN", "PROPN"}:
        return _named(head) if kind == "length" else head
    if kind == "length":
        thing = _length_of(anchor, head)
        if thing is not None:
            return _named(thing)
    if anchor.dep_ == "pobj" and head.dep_ == "prep":
        grand = head.head
        if grand.pos_ in {"NOUN", "PROPN"} and head.lower_ == "of":  # "a profit of €212m"
            return grand
        if grand.pos_ in {"VERB", "AUX"}:
            obj = _object(grand)
            return obj if obj is not None else subject_of(grand)
        if grand.pos_ in {"NOUN", "PROPN"}:
            return grand
    if anchor.dep_ in {"dobj", "attr", "npadvmod", "oprd"} and head.pos_ in {"VERB", "AUX"}:
        if head.lower_ in LINKING or head.lemma_ in LINKING or anchor.dep_ == "attr":
            if head.dep_ == "acl" and head.head.pos_ in {"NOUN", "PROPN"}:
                return head.head  # "winds reaching 115 mph"
            return subject_of(head)
        return None  # "spent €350m": what was spent on is not reliable enough
    if anchor.dep_ == "appos" and head.pos_ in {"NOUN", "PROPN"}:
        return head
    return None


_NOUN_ROLES = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj"})


def _length_of(anchor: Any, head: Any) -> Any | None:
    """The thing a length is of, after the modifier, "of" and linking-verb cases of
    :func:`_measured`: "Titan, a 22-foot submersible" (the model may tag the noun an adjective),
    "22 feet long", "948 feet long and 158 feet wide", "the bridge that stretches 1.6 miles"."""
    if anchor.dep_ == "compound" and head.dep_ in _NOUN_ROLES:
        return head
    if head.lower_ in DIMENSIONS:
        while head.dep_ == "conj" and head.head.lower_ in DIMENSIONS:
            head = head.head
        if head.dep_ == "amod" and head.head.pos_ in {"NOUN", "PROPN"}:
            return head.head
        if head.dep_ == "acomp" and head.head.pos_ in {"VERB", "AUX"}:
            return _subject(head.head)
        return None
    if anchor.dep_ in {"dobj", "npadvmod"} and head.lower_ in MEASURING:
        return _subject(head)
    return None


def _subject(verb: Any) -> Any | None:
    """A verb's subject, through a relative pronoun: "the bridge that stretches 1.6 miles"."""
    subject = subject_of(verb)
    if subject is not None and subject.lower_ in {"that", "which"} and verb.dep_ == "relcl":
        return verb.head
    return subject


def _named(thing: Any) -> Any:
    """The name a measured thing goes by, when it has one: "the 21-foot Titan vessel" and "the
    Titan, a 21-foot vessel" are the Titan's length, as "the 22-foot Titan" is."""
    if thing.pos_ == "PROPN":
        return thing
    name = next((c for c in thing.children if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
    if name is not None:
        return name
    if thing.dep_ == "appos" and thing.head.pos_ == "PROPN":
        return thing.head
    return thing


def _dimension(tokens: list[Any]) -> str | None:
    """What a length measures of its thing when not its length: "158 feet wide" ("wide"), "a
    300-metre-tall tower" ("tall"); "long" and a bare "948-foot ship" are its length."""
    last = max(tokens, key=lambda t: t.i)
    for t in (last.head, *last.doc[last.i + 1:last.i + 3]):
        if t.lower_ in DIMENSIONS:
            return None if t.lower_ == "long" else t.lower_
    return None


def _object(verb: Any) -> Any | None:
    for c in verb.children:
        if c.dep_ in {"dobj", "nsubjpass"}:
            return c
    return None


_NOT_MODIFIERS = frozenset({"acl", "relcl", "appos", "punct", "cc", "det", "advcl", "prep:since"})


def _modifiers(head: Any, depth: int = 0) -> list[Any]:
    """Words that narrow down the measured thing: its modifiers and prepositional objects, not
    the clauses hanging off it (at any depth)."""
    out: list[Any] = []
    for c in head.children:
        if c.dep_ in _NOT_MODIFIERS or (c.dep_ == "conj" and depth == 0):
            continue
        out.append(c)
        if depth < 4:
            out.extend(_modifiers(c, depth + 1))
    return out


def _complements(verb: Any, deps: frozenset[str] = frozenset({"acomp", "oprd"})) -> list[Any]:
    """What a verb says its subject is or becomes: "were invalid", "were declared invalid",
    "remain missing" (with ``deps`` that take in xcomp), "were counted as valid"."""
    out = [c for c in verb.children if c.dep_ in deps]
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"):
        out += list(prep.children)
    return out


def _outcome(verb: Any) -> Any:
    """The word that says what happened to the counted people when the verb only reports it:
    "10,100 people are reported missing", "remain missing", "are listed as missing", "were
    feared dead" count the missing and the dead, as "went missing" and "died" do."""
    said = _complements(verb, frozenset({"acomp", "oprd", "xcomp", "advmod"}))
    return next((c for c in said if c.lower_ in VERB_CLASSES), verb)


# Adverbs that say where a count applies, against the count of the story's own place: "the storm
# also killed about 170 people elsewhere in the country" is not Derna's toll.
SCOPE = frozenset("elsewhere nationwide nationally abroad overseas worldwide globally".split())


def _scope(verb: Any | None, modifiers: list[Any]) -> tuple[str, ...]:
    near = [*modifiers, *(verb.children if verb is not None else ())]
    return tuple(dict.fromkeys(t.lower_ for t in near if t.lower_ in SCOPE))


def _said_to_be(head: Any) -> list[Any]:
    """What the sentence says the counted things are: "two votes were invalid", "4 votes were
    declared invalid", "219 votes were counted as valid" narrow the votes down as "four invalid
    votes" does."""
    if head.dep_ not in {"nsubj", "nsubjpass"}:
        return []
    return [c for c in _complements(head.head) if c.pos_ == "ADJ"]


def _subject_text(head: Any, skip: list[Any]) -> str:
    """The measured thing as written, from the first to the last word of its phrase that is not
    the quantity itself: "tariff on Canadian goods", "counter-tariff on U.S. steel and aluminum"."""
    skipped = {t.i for t in skip} - {head.i}
    keep = [head] + [t for t in _modifiers(head) if t.i not in skipped and t.dep_ != "poss"
                     and t.pos_ not in {"DET", "NUM"} and t.lower_ not in {"'s", "’s"}]
    if head.i > 1 and head.nbor(-1).text in {"-", "–"}:
        keep += [head.nbor(-1), head.nbor(-2)]
    if head.i + 2 < len(head.doc) and head.nbor(1).text in {"-", "–"}:
        keep += [head.nbor(1), head.nbor(2)]
    keep = [t for t in keep if t.i not in skipped]
    first, last = min(keep, key=lambda t: t.i), max(keep, key=lambda t: t.i)
    text = head.doc.text[first.idx:last.idx + len(last.text)]
    text = re.sub(r"\s+(of|to|at|by|from|for|on|in)$", "", text.strip(" ,;:"))
    return text if len(text) <= 120 else head.text


def _noun_phrase(head: Any) -> str:
    """The measured noun, with a hyphenated prefix ("counter-tariff") and without a plural -s."""
    text = head.text.lower()
    left = head.nbor(-1) if head.i > 0 else None
    if left is not None and left.text in {"-", "–"} and head.i > 1:
        text = head.nbor(-2).text.lower() + "-" + text
    return norm_word(head) if text == head.text.lower() else text.rstrip("s")


def _actor(head: Any, verb: Any | None, sents: list[Any], people: People, sent: Any) -> str:
    """Who the measured thing belongs to: "its"/"Trump's" on the noun, else the verb's subject."""
    index = next(i for i, s in enumerate(sents) if s.start == sent.start)
    for c in head.children:
        if c.dep_ == "poss":
            if c.lower_ in {"its", "their"} and verb is not None:
                subj = subject_of(verb)
                return _name(subj, sents, index, people) if subj is not None else ""
            return _name(c, sents, index, people)
    if verb is not None:
        subj = subject_of(verb)
        if subj is not None and subj.i != head.i:
            return _name(subj, sents, index, people)
    return ""


def _name(token: Any, sents: list[Any], index: int, people: People) -> str:
    person = resolve(token, sents, index, people)
    if person:
        return person.key
    words = content_words(token.subtree) if token.dep_ != "poss" else content_words([token])
    return " ".join(w for w in words if w not in GENERIC)


def _ordinals(article: Article, sents: list[Any], people: People) -> Iterator[Claim]:
    """ "his second visit", "Carney's second official visit": an ordinal of a noun, with its owner."""
    for index, sent in enumerate(sents):
        for t in sent:
            if t.lower_ not in ORDINALS or t.dep_ != "amod" or t.head.pos_ != "NOUN":
                continue
            noun = t.head
            owner = next((c for c in noun.children if c.dep_ == "poss"), None)
            person = resolve(owner, sents, index, people) if owner is not None else None
            if person is None:
                continue
            yield Claim(kind="quantity", subject=f"{person.name}'s {noun.text} (which one)",
                        head=norm_word(noun), context=(person.key, "ordinal"), value=t.text,
                        normalized=float(ORDINALS[t.lower_]), unit="ordinal", sentence=index)


# How long someone held an office: "resigned after 45 days in office", "who only lasted 44 days
# as prime minister", "her seven chaotic weeks in Downing Street" (eval/real2's Truss).
_SPAN = re.compile(rf"\b{quantities.NUM}(?:\s+[a-z]+)?[\s-](?P<unit>days?|weeks?|months?)\b", re.I)
_SPAN_DAYS = {"day": 1.0, "week": 7.0, "month": 30.4375}
_IN_OFFICE = re.compile(r"\W{0,3}(?:in office|on the job|in the job|in power|at the helm|in post|"
                        r"in (?:the )?(?:role|post|top job|downing street)|into (?:her|his|their|the) "
                        r"(?:position|term|premiership|tenure|presidency)|as (?:the )?(?:uk |british )?"
                        r"(?:prime minister|pm|premier|leader|president|chancellor)|after (?:staying|"
                        r"being) in office)\b", re.I)
_SERVED = re.compile(r"\b(?:lasted|lasting|served|serving|spent|spending|survived|took office)\s+"
                     r"(?:(?:the nation|for|only|just|a mere|barely|a|an)\s+){0,3}$", re.I)


def _tenures(sents: list[Any], people: People) -> Iterator[Claim]:
    """A person's time in office as a figure in days ("45 days", "seven weeks" is 49), of the
    person named last before it in its sentence; figures that are no tenure ("within 3 days",
    "two days later") are skipped: the words next to it must say so ("in office", "lasted")."""
    for index, sent in enumerate(sents):
        text = sent.text
        for m in _SPAN.finditer(text):
            value = quantities.number(m["num"])
            if value is None or not (_IN_OFFICE.match(text, m.end())
                                     or _SERVED.search(text[:m.start()])):
                continue
            # the person named last before it: "accepted the resignation of Liz Truss after 49
            # days", not "Rishi Sunak" before her nor "Buckingham Palace" (a name, no person)
            names = [e for e in sent.ents if e.label_ == "PERSON"
                     and e.end_char - sent.start_char <= m.start()]
            person = person_at(names[-1].root, people) if names else None
            if person is None:
                continue
            unit = m["unit"].lower().rstrip("s")
            name = re.sub(r"[’']s$", "", person.name)
            yield Claim(kind="quantity", subject=f"{name}'s time in office",
                        head="tenure", context=(f"who:{person.key}",), value=m.group(0),
                        normalized=value * _SPAN_DAYS[unit], unit="day", sentence=index)
