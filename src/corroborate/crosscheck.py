"""Align the same claim across sources and give it a verdict.

Claims from all the articles of a storyline (so that a title or a standing rate carries over from
one event to the next) are grouped when they are about the same subject: same kind, and per kind
the same measured thing and narrowing words (quantities), the same title (roles), the same quoted
words (quotes; for a remark's wording, most of its words in order), the same action
(attributions), the same people and facet (events), the same milestone (dates). Within a group,
compatible values are merged ("4.5%" = "4.50%"; "Washington" and "the White House"; a list of
companions and a shorter list of the same people).

Verdicts, counting sources by origin (copies and articles crediting the same wire count once):
``corroborated`` one value, two or more origins; ``single_source`` one value, one origin;
``updated`` several values ordered in time (the text gives the earlier value, "raised to 6% from
3%"; or marks one as a change while the others are not; or every report of one value is dated at
least a week before every report of the other); ``contested`` several values otherwise.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from difflib import SequenceMatcher
from functools import cache
from typing import Any

from . import dates, quantities
from .claims import quote
from .claims.common import MEDIA
from .claims.quantity import GENERIC_COUNTS, VERB_CLASSES
from .embed import Embedder
from .entities import fold
from .records import Article, Claim

UPDATE_GAP_DAYS = 7
SIMILAR_SENTENCES = 0.55  # masked-sentence cosine for figures with nothing else to go on
SAME_SENTENCES = 0.7  # masked-sentence cosine at which other words still say the same thing
SAME_FIGURE = 0.6  # masked-sentence cosine for the same figure given for differently named things
OUTCOMES = frozenset(VERB_CLASSES.values())  # what happened to counted people: died, missing, ...
_WIRE = re.compile(r"^[^\n]{0,80}?\((?P<wire>[A-Z][\w .&'-]{0,40})\)\s*[-—–]")
_CREDIT = re.compile(r"\baccording to (?P<a>(?:the )?[A-Z][\w.&'’ -]{1,40}?)"
                     r"(?=[,.;]|\s+(?:on|in|and|said|which|who)\b)"
                     r"|(?P<b>[A-Z][\w.&' -]{1,40}?) (?:reported|first reported)\b"
                     r"|\breported by (?P<c>[A-Z][\w.&' -]{1,40})")


@dataclass(frozen=True)
class Support:
    claim: Claim
    article: Article
    origin: str  # the independent source this report counts as
    # the day the report was made on or after: its date, else its event's, else the first day
    # its story's reports give (a report of an event is not older than the event)
    after: str | None = None


def article_origins(articles: Iterable[Article]) -> dict[str, str]:
    """Who each article's report comes from: its original's origin for a copy, a wire credited in
    its dateline ("VALMORA, Feb 3 (CP Wire) -"), else its outlet (else its source)."""
    by_id = {a.id: a for a in articles}
    origins: dict[str, str] = {}
    for a in by_id.values():
        root = a
        while root.duplicate_of and root.duplicate_of in by_id:
            root = by_id[root.duplicate_of]
        wire = _WIRE.match(root.text)
        origins[a.id] = wire["wire"].strip() if wire else (root.outlet or root.source)
    return origins


def claim_origin(article: Article, claim: Claim, default: str) -> str:
    """A sentence that credits a news organisation ("according to CTV News", "Reuters reported")
    relies on it, whoever publishes it."""
    match = _CREDIT.search(article.sentence_of(claim.sentence, claim.span))
    if match:
        name = next(g for g in match.groups() if g).strip()
        name = re.sub(r"^the\s+", "", name, flags=re.I)
        if MEDIA.search(name):
            return name
    return default


# --- alignment ------------------------------------------------------------------------------

def _overlap(a: Iterable[str], b: Iterable[str]) -> tuple[int, float]:
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0, 0.0
    shared = len(sa & sb)
    return shared, shared / len(sa | sb)


def _contains(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return any(long[i:i + n] == short for i in range(len(long) - n + 1))


Similarity = Callable[[], float]


def same_subject(a: Claim, b: Claim, similarity: Similarity = lambda: 1.0) -> bool:
    """Whether two claims are about the same thing (their values may differ). ``similarity``
    gives, on demand, the cosine of the two sentences with their values masked."""
    if a.kind != b.kind:
        return False
    if a.kind == "quantity":
        if a.unit != b.unit:
            return False
        if a.head != b.head:  # "bills will rise by 8.5%" = "an increase of 8.5 per cent"
            return same_value(a, b) and _tags(a) == _tags(b) and similarity() >= SAME_FIGURE
        return _same_measure(a, b, similarity)
    if a.kind == "role":  # "Prime Minister X" without a country only joins a country's prime
        # minister when it is the same person: with two countries in a story, it may be the other
        return a.head == b.head and (a.context == b.context or (
            (not a.context or not b.context) and same_value(a, b)))
    if a.kind == "quote" and (a.head == quote.WORDING or b.head == quote.WORDING):
        return a.head == b.head and _one_remark(a, b)
    if a.kind == "quote":
        short, long = sorted((tuple(a.context), tuple(b.context)), key=len)
        return len(short) >= 2 and _contains(short, long) and (len(short) >= 4 or len(long) <= 8)
    if a.kind == "attribution":
        shared, jaccard = _overlap(a.context, b.context)
        return shared >= 2 and jaccard >= 0.5
    if a.kind == "event":
        if a.head != b.head:
            return False
        if a.head == "sign:where":  # the same signed thing: its words meet
            shared, jaccard = _overlap(a.context, b.context)
            return shared >= 1 and jaccard >= 0.25
        people_a = {c for c in a.context if c not in {"coming", "past"}}
        people_b = {c for c in b.context if c not in {"coming", "past"}}
        tense_a, tense_b = set(a.context) - people_a, set(b.context) - people_b
        return people_a == people_b and (not tense_a or not tense_b or tense_a == tense_b)
    if a.kind == "date":  # "tense:planned": a planned event and one that happened differ
        if a.head != b.head or _tags(a) != _tags(b):
            return False
        if a.head.endswith(":time"):  # a story's take-off, touchdown or fire has one time of day,
            return True  # whatever its outlets call the plane or the lander (eval/real, real2)
        shared, jaccard = _overlap(_words(a), _words(b))
        return shared >= 1 and jaccard >= 0.34
    return False


def _tags(claim: Claim) -> dict[str, str]:
    return dict(t.split(":", 1) for t in claim.context
                if ":" in t and not t.startswith(("place:", "bound:")))


def bound(claim: Claim) -> str | None:
    """"min" when the text gives the figure as a lower bound ("more than 30"), "max" for an
    upper one ("up to 40"), else None."""
    return next((t[6:] for t in claim.context if t.startswith("bound:")), None)


def _places(claim: Claim) -> set[str]:
    return {t for t in claim.context if t.startswith("place:")}


def _same_measure(a: Claim, b: Claim, similarity: Similarity) -> bool:
    """Two figures with the same head measure the same thing unless their tags differ (the verb
    of a count, a demand against an offer, another year) or their narrowing words do not meet."""
    tags_a, tags_b = _tags(a), _tags(b)
    if any(tags_a.get(t) != tags_b.get(t) for t in ("stance", "period", "per", "part", "dim",
                                                     "who")):
        return False  # an offer and a demand, 2019 and now, a count and a rate a year, a part,
        # a length and a width, two people's time in office
    places_a, places_b = _places(a), _places(b)
    if places_a and places_b and not places_a & places_b:
        return False  # "seven British nationals" and "18 Canadian nationals"
    generic = a.head in GENERIC_COUNTS
    if generic and tags_a.get("verb") != tags_b.get("verb"):
        return False  # "6,200 people evacuated" and "27 people treated" are different counts
    if tags_a.get("who"):  # one person's time in office
        return True
    if a.unit == "m":  # a length is of its thing whatever it is called besides: "the
        return True  # Singapore-flagged containership" and "the cargo ship" (real-dev)
    words_a, words_b = _words(a), _words(b)
    if generic and not words_a and not words_b and tags_a.get("verb") in OUTCOMES:
        return True  # "10,100 people are reported missing", "11,000 people remain missing"
    if not words_a or not words_b:  # nothing narrows one of them down: the sentences must agree
        return similarity() >= SIMILAR_SENTENCES
    shared = len(words_a & words_b)
    if shared >= 2 or (shared and shared / min(len(words_a), len(words_b)) >= 0.5):
        return True
    return similarity() >= SAME_SENTENCES  # other words, one statement


def rival_speakers(a: Claim, b: Claim) -> bool:
    """Whether two quotes name two different people as their speaker (a spokesman and his
    principal are one)."""
    who_a, who_b = _tags(a).get("who"), _tags(b).get("who")
    return bool(who_a and who_b and not set(who_a.split(">")) & set(who_b.split(">")))


def _shared_words(a: Claim, b: Claim) -> float:
    """:func:`quote.shared_share` of two renderings' words, exact at or above the share two
    renderings of one remark need (an upper bound below it)."""
    words_a = tuple(w for w in a.context if ":" not in w)
    words_b = tuple(w for w in b.context if ":" not in w)
    return quote.shared_share(words_a, words_b, floor=quote.WORDING_SHARE)


def _one_remark(a: Claim, b: Claim) -> bool:
    """Two outlets' renderings of one remark: most of the shorter's words in the same order, and
    no two different people named as its speaker."""
    return not rival_speakers(a, b) and _shared_words(a, b) >= quote.WORDING_SHARE


def _words(claim: Claim) -> set[str]:
    return {t for t in claim.context if ":" not in t}


def same_value(a: Claim, b: Claim) -> bool:
    """Whether two values of the same subject agree."""
    x, y = a.normalized, b.normalized
    if a.kind == "quantity":
        fx, fy = float(x), float(y)
        if abs(fx - fy) <= 0.005 * max(abs(fx), abs(fy), 1e-12) or _within_rounding(a, b):
            return True
        # a bound and a figure within it agree ("more than 30" and "35"); two bounds are two
        # statements ("at least 93 dead", later "at least 96")
        bx, by = bound(a), bound(b)
        if bool(bx) == bool(by):
            return False
        limit, other = (fx, fy) if bx else (fy, fx)
        return limit < other if (bx or by) == "min" else limit > other
    if a.kind == "quote" and a.head == quote.WORDING:
        return not quote.renders_differently(tuple(str(x).split()), tuple(str(y).split()))
    if a.kind == "event" and a.head in {"meet:where", "sign:where"}:
        kind_x, _, place_x = str(x).partition(":")
        kind_y, _, place_y = str(y).partition(":")
        return place_x == place_y or kind_x != kind_y  # a city and a building in it
    if a.kind == "event" and a.head == "accompany":
        people_x, people_y = set(x), set(y)
        return people_x <= people_y or people_y <= people_x
    if a.kind == "date" and a.head.endswith(":time"):
        return _same_clock(str(x), str(y))
    if a.kind == "date":
        sx, sy = str(x), str(y)
        if bool(_ISO.match(sx)) != bool(_ISO.match(sy)):
            return _same_day(sx, sy)
        if not _ISO.match(sx) and (dates.month_day(sx) or dates.weekday_named(sx)) and (
                dates.month_day(sy) or dates.weekday_named(sy)):
            md_x, md_y = dates.month_day(sx), dates.month_day(sy)
            if md_x and md_y:
                return md_x == md_y
            if md_x or md_y:
                return True  # "October 20" and "Thursday" in undated articles: not comparable
        return sx == sy or sx.startswith(sy) or sy.startswith(sx)
    if fold(str(x)) == fold(str(y)):
        return True
    if a.kind == "quote" and set(str(x).split(">")) & set(str(y).split(">")):
        return True  # "dujarric>guterres": the spokesman's words are the Secretary-General's
    return a.kind in {"role", "quote", "attribution"} and same_name(a.value, b.value)


def _same_clock(x: str, y: str) -> bool:
    """Two times of day (``dates.clocks``) agree when they are one time as precisely as both are
    written: "18" (6pm) agrees with 18:04, "?6:04" (no a.m. or p.m.) with 18:04; 18:03 and 18:04
    do not."""
    vague = x.startswith("?") or y.startswith("?")
    (hx, _, mx), (hy, _, my) = x.lstrip("?").partition(":"), y.lstrip("?").partition(":")
    if not (hx.isdigit() and hy.isdigit()):
        return x == y
    hours = (int(hx) % 12, int(hy) % 12) if vague else (int(hx), int(hy))
    return hours[0] == hours[1] and (not mx or not my or mx == my)


_ISO = re.compile(r"^\d{4}(?:-\d\d){0,2}$")  # a resolved date: "2022", "2022-10", "2022-10-20"


def _same_day(x: str, y: str) -> bool:
    """A resolved date and an unresolved one (in an undated article) agree unless the unresolved
    one names another day: "Thursday" and "October 20" agree with 2022-10-20 (a Thursday),
    "Wednesday" and "October 19" do not; "last month" cannot be compared."""
    day, other = (x, y) if _ISO.match(x) else (y, x)
    if len(day) != 10:
        return True
    month_day, named = dates.month_day(other), dates.weekday_named(other)
    try:
        weekday = dates.WEEKDAYS[date.fromisoformat(day).weekday()]
    except ValueError:
        return True
    if month_day:
        return day[5:] == month_day
    return named is None or named == weekday


MEASURES = frozenset({"m", "km/h"})  # the base units of lengths and speeds


def _within_rounding(a: Claim, b: Claim) -> bool:
    """Two lengths (or speeds) in different units agree when the ranges their roundings stand for meet:
    "a 1.6-mile bridge" and "2.6 km" (1.55–1.65 miles is 2.49–2.66 km), not "948-foot" and
    "984-foot", nor "21 feet" and "6.7 m". In one unit, a figure is as written."""
    if a.unit not in MEASURES or b.unit != a.unit:
        return False
    x, y = quantities.measure_range(a.value), quantities.measure_range(b.value)
    if x is None or y is None or x[2] == y[2]:
        return False
    return max(x[0], y[0]) < min(x[1], y[1]) - 1e-9 * max(x[1], y[1])


NAME_SPELLING = 0.8  # surname likeness (difflib ratio) of one person's two spellings


def same_name(x: str, y: str) -> bool:
    """Whether two full names are one person's (or one body's): one within the other ("Abiy
    Ahmed", "Abiy Ahmed Ali"), three words or more with one acronym and one word changed, or the
    same first name and a surname spelt alike ("Narongsak Osatanakorn",
    "Narongsak Osottanakorn"). Measured on the 152 names that the labelled real corpora give as
    speakers, holders and actors: the pairs with one first name and two surnames are one
    person's at a likeness of 0.87 to 0.91 and two people's at 0.69 and below; of the 181
    names their claims give, the acronym rule joins one pair, the FAA's two names."""
    words_x, words_y = (re.findall(r"[^\W\d_]{2,}", fold(n)) for n in (x, y))
    if len(words_x) < 2 or len(words_y) < 2:
        return False
    if set(words_x) <= set(words_y) or set(words_y) <= set(words_x):
        return True
    if len(words_x) == len(words_y) >= 3 and [w[0] for w in words_x] == [w[0] for w in words_y] \
            and sum(a != b for a, b in zip(words_x, words_y, strict=True)) == 1:
        return True  # one body's acronym: "Federal Aviation Administration" and "... Authority"
    return words_x[0] == words_y[0] and SequenceMatcher(
        None, words_x[-1], words_y[-1]).ratio() >= NAME_SPELLING


def unnamed(claim: Claim) -> bool:
    return claim.kind in {"quote", "attribution"} and not claim.normalized


def align(supports: list[Support], embedder: Embedder | None = None) -> list[list[Support]]:
    """Groups of supports about one subject. A claim joins the first group whose seed it matches
    (for figures: any of its members), so groups of names and quotes never drift by chaining."""
    groups: list[list[Support]] = []
    vectors: dict[int, Any] = {}
    if embedder is not None and supports:  # one batch: encoding sentence by sentence is slower
        masked = [s.article.sentence_of(s.claim.sentence).replace(s.claim.value, "#")
                  for s in supports]
        vectors = dict(zip(map(id, supports), embedder.encode(masked), strict=True))

    def vector(s: Support) -> Any:
        return vectors.get(id(s))

    def cosine(a: Support, b: Support) -> Similarity:
        return lambda: 1.0 if embedder is None else float(vector(a) @ vector(b))

    listed = listed_together(supports)

    def joins(group: list[Support], s: Support) -> bool:
        # a figure may match any member (outlets word it differently); other kinds, the seed
        if s.claim.kind != "quantity":
            return same_subject(group[0].claim, s.claim, cosine(group[0], s))
        if any(listed(m.claim, s.claim) for m in group):
            return False
        # a figure with another head matches only at the same value (see same_subject): the
        # cheap tests first
        return any(same_subject(m.claim, s.claim, cosine(m, s)) for m in group
                   if m.claim.head == s.claim.head or same_value(m.claim, s.claim))

    by_bucket: dict[tuple[str, ...], list[list[Support]]] = defaultdict(list)
    # renderings of a remark, the longest first: a fragment ("is consistent with a catastrophic
    # implosion") then joins the whole sentence it is cut from, not the first remark it resembles
    wording = sorted((s for s in supports if s.claim.head == quote.WORDING),
                     key=lambda s: -len(s.claim.context))
    for s in [*(s for s in supports if s.claim.head != quote.WORDING), *wording]:
        if unnamed(s.claim):
            continue
        candidates = by_bucket[bucket(s.claim)]  # the only groups it can join, in order
        if s.claim.head == quote.WORDING:  # the remark it renders most closely, not the first
            shares = [(_shared_words(g[0].claim, s.claim), g) for g in candidates]
            candidates = [g for share, g in sorted(shares, key=lambda x: -x[0])
                          if share >= quote.WORDING_SHARE]
        for group in candidates:
            if joins(group, s) and not _self_contradiction(group, s):
                group.append(s)
                break
        else:
            groups.append([s])
            by_bucket[bucket(s.claim)].append(groups[-1])
    return groups


def listed_together(supports: list[Support]) -> Callable[[Claim, Claim], bool]:
    """Whether some article gives both figures for one measured thing (unit and head), neither
    as a change: then they answer two questions, not one ("the NFP won 182 seats, Macron's
    centrists 168"; "the deposit rate is 3.75%, the main rate 4.25%"), and another outlet's 168
    does not contradict 182. Measured on the labelled real corpora
    (``benchmarks/alignment_pairs.py``): of the pairs of different figures that alignment joins,
    this keeps 27 of the 29 that answer one labelled question and 8 of the 29 that answer two.
    (Asking also that alignment would join the article's own two figures kept one more right
    pair and three more wrong ones, and flagged six more claims on the three corpora with none
    of them right.)"""
    stated: dict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
    for s in supports:
        c = s.claim
        if c.kind == "quantity" and not c.later and c.previous is None:
            stated[(c.unit, c.head)].append((float(c.normalized), s.article.id))
    for figures in stated.values():
        figures.sort()

    @cache
    def stating(unit: str, head: str, x: float) -> frozenset[str]:
        """The articles that give this figure (within the tolerance of :func:`same_value`)."""
        figures = stated.get((unit, head), [])
        low, high = (x * 0.995, x / 0.995) if x >= 0 else (x / 0.995, x * 0.995)
        start = bisect_left(figures, (low, ""))
        return frozenset(a for _, a in figures[start:bisect_right(figures, (high, "\uffff"))])

    def listed(a: Claim, b: Claim) -> bool:
        if same_value(a, b):
            return False
        return bool(stating(a.unit, a.head, float(a.normalized))
                    & stating(a.unit, a.head, float(b.normalized)))
    return listed


def bucket(claim: Claim) -> tuple[str, ...]:
    """What two claims must share for :func:`same_subject` to hold: the kind, and the unit of a
    figure or the head of a title, an event or a date (so alignment compares a claim only with
    the groups it could join, not with every group of the storyline)."""
    if claim.kind == "quantity":
        return (claim.kind, claim.unit)
    if claim.kind in {"role", "event", "date"} or claim.head == quote.WORDING:
        return (claim.kind, claim.head)
    return (claim.kind,)


# --- verdicts -------------------------------------------------------------------------------

def _self_contradiction(group: list[Support], s: Support) -> bool:
    """An article does not contradict itself: a second, different value from the same article is
    about something else ("three people died and 6,200 people were evacuated"); and a bare
    one-word title ("chief executive", "Governor") only groups the same person."""
    if any(g.article.id == s.article.id and not same_value(g.claim, s.claim) for g in group):
        return True
    bare = s.claim.kind == "role" and " " not in s.claim.head and not s.claim.context
    return bare and not same_value(group[0].claim, s.claim)


@dataclass
class Value:
    supports: list[Support]

    @property
    def claim(self) -> Claim:
        """The value's claim: its first exact figure when others only bound it ("35", not "more
        than 30"), else its first."""
        return next((s.claim for s in self.supports if not bound(s.claim)), self.supports[0].claim)

    @property
    def origins(self) -> set[str]:
        return {s.origin for s in self.supports}

    @property
    def dates(self) -> list[str]:
        found = (s.claim.as_of or s.article.published for s in self.supports)
        return sorted(d for d in found if d)

    @property
    def reported_after(self) -> list[str]:
        """The days its reports were made on or after: the dates, and for an undated article
        the day of the event it reports, else the first its story's reports give."""
        return sorted(d for d in (s.claim.as_of or s.after for s in self.supports) if d)


def values_of(group: list[Support]) -> list[Value]:
    values: list[Value] = []
    for s in group:
        for v in values:
            if same_value(v.claim, s.claim):
                v.supports.append(s)
                break
        else:
            values.append(Value([s]))
    return values


def named_over_inferred(values: list[Value]) -> list[Value]:
    """Who said or did something, without the values that rest only on a pronoun we resolved
    ("..., he said" read as the person named before) when another value names its person: the
    articles disagree only where they name two people (on the real corpora, each such rival
    was our misreading of "he")."""
    named = [v for v in values if not all(s.claim.inferred for s in v.supports)]
    return named if named and len(named) < len(values) else values


def _later_version(a: Value, b: Value) -> bool:
    """Whether value ``b`` is given only by later versions of articles that give ``a``: copies
    (an updated wire story, say) dated after their original. A copy counts once for
    independence, but its changed figures are an update, not a second source disagreeing."""
    given = {s.article.id: s.article.published for s in a.supports}
    return all(s.article.duplicate_of in given and s.article.published is not None
               and s.article.published > (given[s.article.duplicate_of] or "9999")
               for s in b.supports)


def _before(a: Value, b: Value) -> bool:
    """Whether value ``a`` was replaced by value ``b``."""
    if any(s.claim.previous is not None and _matches(s.claim.previous, a) for s in b.supports):
        return True
    if _later_version(a, b):
        return True
    if any(s.claim.later for s in b.supports) and not any(s.claim.later for s in a.supports):
        return True
    after = b.reported_after  # an undated report of a later event is later
    if a.dates and after and len(a.dates) == len(a.supports) and len(after) == len(b.supports):
        gap = (date.fromisoformat(after[0][:10]) - date.fromisoformat(a.dates[-1][:10])).days
        stated = all(s.claim.as_of for s in [*a.supports, *b.supports])
        # figures given for stated days ("38 ships on Monday") need only follow each other;
        # figures dated by publication must be a week apart, or they are one event's reports
        return gap >= (1 if stated else UPDATE_GAP_DAYS)
    return False


def _with_value(claim: Claim, value: Any) -> Claim:
    return replace(claim, normalized=value)


def _matches(previous: Any, value: Value) -> bool:
    return same_value(_with_value(value.claim, previous), value.claim)


def order_in_time(values: list[Value]) -> list[Value] | None:
    """The values from earliest to current when each replaced the one before, else None."""
    if len(values) < 2:
        return None
    remaining = list(values)
    chain: list[Value] = []
    while remaining:
        first = [v for v in remaining if not any(_before(o, v) for o in remaining if o is not v)]
        if len(first) != 1:
            return None
        chain.append(first[0])
        remaining.remove(first[0])
    return chain if all(_before(a, b) for a, b in zip(chain, chain[1:], strict=False)) else None


def verdict(values: list[Value]) -> tuple[str, list[Value]]:
    if len(values) == 1:
        return ("corroborated" if len(values[0].origins) >= 2 else "single_source"), values
    # a remark's words do not change over time: renderings that differ are contested
    ordered = None if values[0].claim.head == quote.WORDING else order_in_time(values)
    if ordered:
        return "updated", ordered
    return "contested", sorted(values, key=lambda v: (-len(v.origins), -len(v.supports)))


def claim_id(group: list[Support]) -> str:
    first = group[0]
    key = f"{first.claim.kind}|{first.claim.head}|{first.article.id}|{first.claim.sentence}"
    return "c-" + hashlib.sha256(key.encode()).hexdigest()[:12]


def _display(value: Value) -> str:
    exact = [s for s in value.supports if not bound(s.claim)] or value.supports
    names = [s.claim.value for s in exact]
    if value.claim.kind in {"role", "quote", "attribution"}:
        return max(names, key=lambda n: (names.count(n), len(n)))
    return max(dict.fromkeys(names), key=names.count)  # a tie: the first named (not hash order)


def _normalized(claim: Claim) -> Any:
    value = claim.normalized
    return list(value) if isinstance(value, (list, tuple)) else value


def group_dict(group: list[Support]) -> dict[str, Any]:
    values = values_of(group)
    if group[0].claim.head != quote.WORDING:  # the words are the value, not who said them
        values = named_over_inferred(values)
    kept = {id(s) for v in values for s in v.supports}
    group = [s for s in group if id(s) in kept]
    kind, ordered = verdict(values)
    best = max(values, key=lambda v: (len(v.origins), len(v.supports)))
    subject = best.claim.subject
    if group[0].claim.head == quote.WORDING:  # whose remark, where some article names the speaker
        subject = next((s.claim.subject for v in values for s in v.supports
                        if _tags(s.claim).get("who")), subject)
    return {
        "id": claim_id(group),
        "kind": group[0].claim.kind,
        "subject": subject,
        "verdict": kind,
        "independent_sources": len({s.origin for s in group}),
        "values": [{
            "value": _display(v),
            "normalized": _normalized(v.claim),
            "as_of": v.dates[0][:10] if v.dates and len(v.dates[0]) >= 10 else None,
            "article_ids": list(dict.fromkeys(s.article.id for s in v.supports)),
            "evidence": [{"article_id": s.article.id,
                          "sentence": s.article.sentence_of(s.claim.sentence, s.claim.span),
                          "origin": s.origin} for s in v.supports],
        } for v in ordered],
    }


VERDICT_ORDER = {"contested": 0, "updated": 1, "corroborated": 2, "single_source": 3}


def reported_after(articles: list[Article]) -> dict[str, str | None]:
    """Each article's date; for an undated one, the day of the event it reports, else the first
    day its story's articles give: its report cannot be older than the event it is about."""
    first: dict[str, str] = {}
    for a in articles:
        day = a.published or a.event_date
        if day and a.story_id and (a.story_id not in first or day < first[a.story_id]):
            first[a.story_id] = day
    return {a.id: a.published or a.event_date or first.get(a.story_id or "") for a in articles}


def crosscheck(articles: list[Article], embedder: Embedder | None = None) -> list[dict[str, Any]]:
    """Every claim of these articles, aligned across them, with its verdict and evidence; the
    disagreements first, then the best-supported facts."""
    origins = article_origins(articles)
    ordered = sorted(articles, key=lambda a: (a.published or "9999", a.source))
    after = reported_after(articles)
    supports = [Support(c, a, claim_origin(a, c, origins[a.id]), after[a.id])
                for a in ordered for c in a.claims]
    # a remark's wording is a claim of its own only where outlets render it differently: where
    # they agree, the quote's claim (who said it) already shows it
    claims = [c for g in align(supports, embedder) if (c := group_dict(g))["verdict"] == "contested"
              or g[0].claim.head != quote.WORDING]
    seen: Counter[str] = Counter()
    for claim in claims:  # two claims of one sentence about one thing: keep ids unique
        seen[claim["id"]] += 1
        if seen[claim["id"]] > 1:
            key = f"{claim['id']}#{seen[claim['id']]}"
            claim["id"] = "c-" + hashlib.sha256(key.encode()).hexdigest()[:12]
    claims.sort(key=lambda c: (VERDICT_ORDER[c["verdict"]], -c["independent_sources"],
                               c["kind"], c["subject"]))
    return claims
