"""Quantities read from text with our own rules, whatever label a model gave them.

``35 per cent`` = ``35%`` = 0.35; ``$6.5 billion`` = 6.5e9 USD; ``$5m`` = 5e6 USD; ``€350m``;
``12,000 workers`` = 12000 (unit "workers"); ``two million barrels`` = 2e6 (unit "barrels");
``a 1.6-mile bridge`` = 2574.95 m and ``2.6 km`` = 2600 m (kind "length", unit "m");
``120 mph`` = 193.1 km/h (kind "speed", unit "km/h"); for both, the precision as written is
kept in the text (``measure_range``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "a dozen": 12, "dozens of": 24,
}
_SCALES = {
    "trillion": 1e12, "tn": 1e12, "trn": 1e12,
    "billion": 1e9, "bn": 1e9, "bln": 1e9, "b": 1e9,
    "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6,
    "thousand": 1e3, "k": 1e3,
}
_CURRENCIES = {
    "us$": "USD", "$": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD",
    "c$": "CAD", "ca$": "CAD", "cad": "CAD",
    "a$": "AUD", "aud": "AUD",
    "€": "EUR", "eur": "EUR", "euros": "EUR", "euro": "EUR",
    "£": "GBP", "gbp": "GBP", "pounds": "GBP",
    "¥": "JPY", "jpy": "JPY", "yen": "JPY",
    "chf": "CHF", "francs": "CHF",
}
_DOLLAR_ADJECTIVES = {"canadian": "CAD", "australian": "AUD", "american": "USD", "us": "USD",
                      "singapore": "SGD", "new": "NZD"}
_WORDNUM = "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True))
NUM = rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|{_WORDNUM})"
_SCALE = r"(?P<scale>trillion|billion|million|thousand|tn|trn|bn|bln|mn|mln|b|m|k)"
_CUR_SYM = r"(?P<cur>US\$|C\$|CA\$|A\$|\$|€|£|¥|USD|EUR|GBP|CAD|AUD|JPY|CHF)"
_CUR_WORD = r"(?P<curword>dollars|euros|pounds|yen|francs)"

PERCENT = re.compile(
    rf"(?<![\w.,]){NUM}\s*(?P<unit>%|per\s?cent\b|percent\b|pct\b|percentage points?\b)", re.I)
MONEY = re.compile(rf"{_CUR_SYM}\s?{NUM}(?:[\s-]?{_SCALE}\b)?", re.I)
MONEY_WORDS = re.compile(rf"(?<![\w.,]){NUM}(?:\s{_SCALE})?\s+(?:(?P<adj>[A-Z][a-z]+)\s)?{_CUR_WORD}\b",
                         re.I)
COUNT = re.compile(
    rf"(?<![\w.,$€£¥-]){NUM}(?:\s(?P<scale>trillion|billion|million|thousand))?"
    rf"\s+(?P<noun>[a-z][a-z]+(?:-[a-z]+)?)\b(?!-)", re.I)
# Measures in two systems of units, each in one base unit: lengths in metres ("1.6-mile bridge",
# "22 feet long", "a depth of 3.8 km"; "m" alone is a million as often as a metre, and is left
# out) and speeds in km/h ("120 mph", "195km/h", "120 miles per hour", "205 kph").
_MEASURES = {
    **{u: (1609.344, "mile") for u in ("mile", "miles", "mi")},
    **{u: (0.3048, "foot") for u in ("foot", "feet", "ft")},
    **{u: (0.0254, "inch") for u in ("inch", "inches")},
    **{u: (0.9144, "yard") for u in ("yard", "yards")},
    **{u: (1000.0, "km") for u in ("km", "kilometre", "kilometres", "kilometer", "kilometers")},
    **{u: (1.0, "metre") for u in ("metre", "metres", "meter", "meters")},
    **{u: (1.609344, "mph") for u in ("mph", "miles per hour", "miles an hour")},
    **{u: (1.0, "km/h") for u in ("km/h", "kph", "kmh", "km per hour", "kilometres per hour",
                                  "kilometers per hour", "kilometres an hour",
                                  "kilometers an hour")},
    **{u: (1.852, "knot") for u in ("knot", "knots")},
}
_SPEEDS = frozenset({"mph", "km/h", "knot"})
UNIT_WORDS = frozenset(w for u in _MEASURES for w in u.split()) - {"per", "an"}
_MEASURE_UNITS = "|".join(re.escape(u).replace(r"\ ", r"\s+")
                          for u in sorted(_MEASURES, key=len, reverse=True))
MEASURE = re.compile(rf"(?<![\w.,$€£¥-]){NUM}[\s-]?(?P<munit>{_MEASURE_UNITS})(?![\w/])(?!-[a-z]+-)",
                     re.I)
_NOT_UNITS = frozenset(
    "of in on at to and or per the a an than as from for by with is are was were has have had "
    "had percent cent times more less years year months month weeks week days day hours hour "
    "minutes am pm it its he she we they them you who which that this these those".split())
_YEAR = re.compile(r"^(1[89]|20)\d\d$")


@dataclass(frozen=True)
class Found:
    text: str
    value: float
    unit: str
    kind: str
    start: int
    end: int


def number(text: str) -> float | None:
    text = text.strip().lower()
    if text in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[text])
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None  # "999…9" (400 digits) is not a quantity


def find_quantities(text: str) -> list[Found]:
    """Percentages, money, lengths, speeds and counts in ``text``, without overlaps, in order."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for item in (*_percents(text), *_money(text), *_measures(text), *_counts(text)):
        if not math.isfinite(item.value):
            continue  # a scale on an enormous number
        if all(item.end <= s or item.start >= e for s, e in taken):
            found.append(item)
            taken.append((item.start, item.end))
    return sorted(found, key=lambda q: q.start)


def _percents(text: str) -> Iterator[Found]:
    for m in PERCENT.finditer(text):
        value = number(m["num"])
        if value is None:
            continue
        points = m["unit"].lower().startswith("percentage")
        yield Found(m.group(0), value if points else value / 100, "pp" if points else "%",
                    "percent", m.start(), m.end())


def _money(text: str) -> Iterator[Found]:
    for m in MONEY.finditer(text):
        value = number(m["num"])
        scale = (m["scale"] or "").lower()
        if value is None or (scale == "b" and not m["scale"]):
            continue
        yield Found(m.group(0).strip(), value * _SCALES.get(scale, 1.0),
                    _CURRENCIES[m["cur"].lower()], "money", m.start(), m.end())
    for m in MONEY_WORDS.finditer(text):
        value = number(m["num"])
        if value is None:
            continue
        currency = _DOLLAR_ADJECTIVES.get((m["adj"] or "").lower()) \
            if m["curword"].lower().startswith("dollar") else None
        yield Found(m.group(0), value * _SCALES.get((m["scale"] or "").lower(), 1.0),
                    currency or _CURRENCIES[m["curword"].lower()], "money", m.start(), m.end())


def _measures(text: str) -> Iterator[Found]:
    for m in MEASURE.finditer(text):
        value = number(m["num"])
        if value is None:
            continue
        factor, unit = _MEASURES[" ".join(m["munit"].lower().split())]
        speed = unit in _SPEEDS
        yield Found(m.group(0), value * factor, "km/h" if speed else "m",
                    "speed" if speed else "length", m.start(), m.end())


def measure_range(text: str) -> tuple[float, float, str] | None:
    """What a length or a speed as written may stand for, in its base unit (metres, km/h), and
    the unit it is written in: "1.6-mile" is 1.55 to 1.65 miles, "400 metres" 350 to 450 m (a
    round figure is rounded to its last non-zero digit), "2.57 km" 2565 to 2575 m."""
    m = MEASURE.search(text)
    value = number(m["num"]) if m else None
    if m is None or value is None:
        return None
    factor, unit = _MEASURES[" ".join(m["munit"].lower().split())]
    digits = m["num"].replace(",", "")
    if not digits[:1].isdigit():
        step = 1.0
    elif "." in digits:
        step = 10.0 ** -len(digits.partition(".")[2])
    else:
        step = 10.0 ** (len(digits) - len(digits.rstrip("0"))) if value else 1.0
    return (value - step / 2) * factor, (value + step / 2) * factor, unit


_VAGUE = re.compile(r"(several|a few|few|many|some)\s+$", re.I)
# A name written just before a number makes it part of the name: "Boeing 737", "MAX 9 aircraft",
# "Category 5", "Flight 302" (a model, class or line, not a count). Day and month names are not.
_NAME_BEFORE = re.compile(r"[^.!?:;\s]\s+(?P<name>[A-Z][A-Za-z]*)[ -]$")  # not first in a sentence
_NOT_NAMES = frozenset("monday tuesday wednesday thursday friday saturday sunday january february "
                       "march april may june july august september october november december jan "
                       "feb mar apr jun jul aug sep sept oct nov dec".split())
# The rest of a name between a count and its plural noun: "98 Royal| Navy sailors".
_PLURAL_AFTER_NAME = re.compile(r"(?:\s+[A-Z][A-Za-z'’.]*){0,3}\s+(?P<noun>[a-z][a-z]+s)\b(?!-)")
_RATIO = re.compile(r"\b(one|1)\s+in\s+$", re.I)


def _counts(text: str) -> Iterator[Found]:
    for m in COUNT.finditer(text):
        if _VAGUE.search(text[max(0, m.start() - 12):m.start()]) and m["num"].lower() in {
                "hundred", "dozen"}:
            continue  # "several hundred workers": not a figure
        if _RATIO.search(text[max(0, m.start() - 10):m.start()]):
            continue  # "one in seven households": a ratio, not a count
        end, noun = m.end(), m["noun"]
        if noun[0].isupper() and not re.fullmatch(r"[A-Z][a-z]+s", noun):
            # "737 MAX", "171 Boeing 737 jets": a name follows; but "98 Royal Navy sailors" and
            # "eight Chinese nationals" count the plural after the name ("nine Ethiopians" too)
            after = _PLURAL_AFTER_NAME.match(text, end)
            if after is None:
                continue
            end, noun = after.end(), after["noun"]
        named = _NAME_BEFORE.search(text[max(0, m.start() - 30):m.start()])
        if named and named["name"].lower() not in _NOT_NAMES:
            continue  # "MAX 9 aircraft": the number is part of a name
        value = number(m["num"])
        noun = noun.lower()
        if value is None or noun in _NOT_UNITS:
            continue
        if _YEAR.match(m["num"]) and not m["scale"]:
            continue  # "in 2025 exports", not a count
        yield Found(text[m.start():end], value * _SCALES.get((m["scale"] or "").lower(), 1.0),
                    noun, "count", m.start(), end)
