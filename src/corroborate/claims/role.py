"""Role claims: who holds which title.

"Commerce Secretary Howard Lutnick", "U.S. President Donald Trump" (title before the name) and
"Dominic LeBlanc, Canada's minister in charge of U.S.-Canada trade," / "LeBlanc — Canada's lead
minister on the trade file —" (title in apposition). A country in front of the title ("U.S.",
"Canada's", "Canadian") is kept apart as its jurisdiction. Former titles are not claims about now.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..entities import fold
from ..records import Article, Claim
from .common import People, canon

HEADS = (r"prime minister|minister|secretary|president|premier|governor|ambassador|representative|"
         r"chancellor|commissioner|director(?:-general)?|chief executive|executive|ceo|chair(?:man|"
         r"woman|person)?|mayor|leader|spokes(?:man|woman|person)|secretary-general|clerk|senator|"
         r"judge|mediator|envoy|chief|head|treasurer|attorney general|speaker|founder|editor|"
         r"superintendent|commander|general|admiral|minister-president|chair")
# Lower-case words that may stand inside a title before the name ("union general secretary").
TITLE_WORDS = frozenset(
    "general chief deputy vice acting interim senior lead union party port authority service bank "
    "trade affairs foreign finance executive of the for on to in and charge committee council "
    "board company group agency ministry department federal state national regional city "
    "managing associate assistant principal".split())
PAST = re.compile(r"\b(former|ex|then|previous|late|outgoing|erstwhile)\b", re.I)
_BEFORE = re.compile(rf"(?P<title>(?:[\w.'’&-]+\s+){{0,7}}?(?:{HEADS})"
                     rf"(?:\s+(?:of|for|to)\s+(?:the\s+)?(?:[A-Z][\w.'’-]*\s+){{1,4}})?)\s*$", re.I)
_APPOS = re.compile(rf"^\s*[,—–]\s*(?P<title>(?:(?:the|a|an|its|his|her|[A-Z][\w.-]*['’]s)\s+)?"
                    rf"(?:[\w.'’-]+\s+){{0,3}}?(?:{HEADS})(?:\s+(?:of|for|in charge of|on|at|to)"
                    rf"\s+(?:(?!\band\b)[^,;:—–()]){{1,60}}?)?)\s*(?:,|—|–|;|(?<!\.[A-Z])\.(?:\s|$)|$)",
                    re.I)
_DETERMINERS = {"the", "a", "an", "its", "his", "her", "their"}


def extract(article: Article, sents: list[Any], people: People) -> Iterator[Claim]:
    for index, sent in enumerate(sents):
        text = sent.text
        seen: set[str] = set()
        names = [(ent, people.of_span(ent)) for ent in sent.ents]
        names = [(e, p) for e, p in names if p is not None or _named_after_title(e, text, sent)]
        if not names:
            continue
        spans = [(e.start_char - sent.start_char, e.end_char - sent.start_char) for e, _ in names]
        # The model sometimes ends a sentence inside an abbreviation ("to the U.S. | Kirsten
        # Hillman"): a title after the last name is read up to the next name of the paragraph.
        rest = sent.doc.text[sent.start_char:]
        later = next((e for e in sent.doc.ents if e.start >= sent.end and (
            people.of_span(e) or e.label_ == "PERSON")), None)
        limit = (later.start_char - sent.start_char) if later is not None else len(text)
        for n, (ent, person) in enumerate(names):
            start, end = spans[n]
            after_previous = spans[n - 1][1] if n else 0
            next_name = n + 1 < len(spans) or later is not None
            following = spans[n + 1][0] if n + 1 < len(spans) else limit
            for title in (_title_before(text[after_previous:start], ent),
                          _title_after(rest[end:following], next_name)):
                if not title:
                    continue
                jurisdiction, core, shown = _normalise(title, sent)
                if not core or core in seen:
                    continue
                seen.add(core)
                name = person.name if person else ent.text
                key = person.key if person else fold(ent.text).rsplit(" ", 1)[-1]
                yield Claim(kind="role", subject=shown, head=core,
                            context=(jurisdiction,) if jurisdiction else (), value=name,
                            normalized=key, unit="", sentence=index)


_HEAD_AT_END = re.compile(rf"\b(?:{HEADS})\s*$", re.I)


def _named_after_title(ent: Any, text: str, sent: Any) -> bool:
    """An entity mislabelled ORG/GPE that is really a name: two or three capitalised words right
    after a title ("Minister Dominic LeBlanc") or before one ("Dominic LeBlanc, Canada's
    minister ...")."""
    words = ent.text.split()
    if ent.label_ not in {"ORG", "GPE"} or not 2 <= len(words) <= 3:
        return False
    if not all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words):
        return False
    before = text[:ent.start_char - sent.start_char]
    after = text[ent.end_char - sent.start_char:]
    return bool(_HEAD_AT_END.search(before)) or _title_after(after, False) is not None


def _title_before(prefix: str, ent: Any) -> str | None:
    match = _BEFORE.search(prefix)
    if not match:
        return None
    words = match["title"].split()
    kept: list[str] = []
    for word in reversed(words):
        if word.lower() in {"and", "or", "&"}:
            break  # walk left from the head while the words belong to a title
        bare = word.strip(",;:")
        if bare != word or not (bare[:1].isupper() or bare.lower() in TITLE_WORDS
                                or re.fullmatch(HEADS, bare, re.I)):
            break
        kept.insert(0, bare)
    title = " ".join(kept)
    if not re.search(rf"\b(?:{HEADS})\b", title, re.I) or PAST.search(prefix[-40:]):
        return None
    return title


def _title_after(suffix: str, next_name: bool) -> str | None:
    """A title in apposition. ``suffix`` ends where the next name starts: a title that runs up to
    it is that name's title ("LeBlanc, Foreign Affairs Minister Anita Anand"), not this one's."""
    match = _APPOS.match(suffix)
    if not match or PAST.search(match["title"]):
        return None
    if next_name and not suffix[match.end("title"):].strip(" ,—–;."):
        return None
    return match["title"]


def _normalise(title: str, sent: Any) -> tuple[str, str, str]:
    """(jurisdiction, core, as shown): "U.S. Commerce Secretary" → ("us", "commerce secretary",
    "U.S. Commerce Secretary")."""
    words = title.split()
    while words and (words[0].lower() in _DETERMINERS or words[0].lower() in {"and", "or", "&"}):
        words.pop(0)
    shown = " ".join(words)
    places = {canon(e.text) for e in sent.ents if e.label_ == "GPE" or (
        e.label_ == "NORP" and re.search(r"(an|ese|ish|i)$", e.text))}  # "Canadian", not "Conservative"
    jurisdiction = ""
    if words:
        first = re.sub(r"['’]s$", "", words[0])
        if canon(first) in places or first in {"U.S.", "US", "UK", "U.K.", "EU"}:
            jurisdiction = canon(first)
            words = words[1:]
    core = " ".join(re.sub(r"['’]s$", "", w) for w in words)
    return jurisdiction, fold(core), shown
