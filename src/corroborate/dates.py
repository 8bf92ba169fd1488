"""Dates in text, resolved against the article's publication date.

A mention without a year ("Tuesday", "Oct. 14", "last month") is only resolved when the article has
a date, never against today. A bare weekday is the nearest such day on or before the publication
date, or on or after it in a sentence about what will happen; a month and day without a year is the
nearest such date to the publication date, and a month alone the latest one before it (or the
next one, about the future). Durations ("eleven weeks", "22 years") and bare numbers
are not dates; neither are week-level expressions ("this week"), which a day would overstate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")
_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.I)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"(?:on\s+)?(?:(this|last|next)\s+)?(" + "|".join(WEEKDAYS) +
                      r")(?:\s+(?:morning|afternoon|evening|night))?", re.I)
_COUNT = r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|" \
         r"few|a few|many|some|dozens of|hundreds of)"
_DURATION = re.compile(rf"^(about |some |nearly |almost |more than |over |roughly |around |"
                       rf"just |the (past|last|next|coming) )?{_COUNT}[\s-](years?|months?|weeks?|"
                       rf"days?|hours?|decades?|centuries)(-long|-old)?$", re.I)
_RELATIVE = re.compile(r"\b(ago|earlier|later|before|after|since)\b", re.I)
_FUTURE = re.compile(r"\b(will|is set to|are set to|is expected|are expected|is scheduled|"
                     r"are scheduled|plans? to|next|upcoming|is due|are due|to take effect|"
                     r"is to|are to|set to|could|might|would|if|until|unless)\b", re.I)
_PRECISION = {"year": 4, "month": 7}


@lru_cache(maxsize=256)
def _parser(base: str | None, prefer: str) -> Any:
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": prefer, "RETURN_TIME_AS_PERIOD": True,
                                "PREFER_DAY_OF_MONTH": "first"}
    if base:
        settings["RELATIVE_BASE"] = datetime.fromisoformat(base)
    return DateDataParser(languages=["en"], settings=settings)


def about_future(sentence: str) -> bool:
    """Whether the sentence's wording says it is about what will happen ("will meet on Tuesday")."""
    return bool(_FUTURE.search(sentence))


def resolve(text: str, sentence: str, published: str | None,
            future: bool | None = None) -> str | None:
    """ISO date of a date expression ("2025-10-14", "2024-10", "2025"), or None.

    ``future`` says whether the clause is about what will happen (from the parse, see
    :func:`tense`); when it is None, the sentence's wording decides.
    """
    text = " ".join(text.split())
    if re.fullmatch(r"(1[89]|20)\d\d", text):
        return text
    if re.fullmatch(r"[\d.,\s]+", text):
        return None  # "40" is a number, not the year 1940
    if _DURATION.match(text) and not _RELATIVE.search(text):
        return None
    has_year = bool(_YEAR.search(text))
    if not has_year and not published:
        return None
    base = date.fromisoformat(published) if published else None
    if future is None:
        future = about_future(sentence)
    weekday = _WEEKDAY.fullmatch(text)
    if weekday and base:
        return _weekday(base, weekday.group(1), weekday.group(2), future).isoformat()
    parsed = _parse(text, published, "future" if future else "past")
    if parsed is None:
        return None
    found, period = parsed
    if base and not has_year and _MONTH.search(text):
        found = _nearest_year(found, base, period, future)
    return found.isoformat()[:_PRECISION.get(period or "day", 10)]


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAME = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|" \
              r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_PLAIN = [re.compile(rf"^{_MONTH_NAME}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?$",
                     re.I),
          re.compile(rf"^(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAME}"
                     rf"(?:,?\s+(?P<year>\d{{4}}))?$", re.I),
          re.compile(rf"^{_MONTH_NAME}\s+(?P<year>\d{{4}})$", re.I)]


def _plain(text: str, published: str | None) -> tuple[date, str | None] | None:
    """The common written dates ("March 3", "Oct. 14, 2025", "3 March 2025", "October 2024")
    read directly, as dateparser reads them (a test holds the two together); None for anything
    else. The year of a date written without one is settled later (:func:`_nearest_year`)."""
    for pattern in _PLAIN:
        found = pattern.match(text)
        if not found:
            continue
        month = _MONTHS.index(found["month"][:3].lower()) + 1
        parts = found.groupdict()
        year = int(parts["year"]) if parts.get("year") else \
            (date.fromisoformat(published).year if published else None)
        if year is None:
            return None
        try:
            if parts.get("day") is None:
                return date(year, month, 1), "month"
            return date(year, month, int(parts["day"])), "day"
        except ValueError:  # 31 April, or 29 February in another year: dateparser decides
            return None
    return None


@lru_cache(maxsize=65536)
def _parse(text: str, published: str | None, prefer: str) -> tuple[date, str | None] | None:
    """dateparser's reading (date, period) of an expression; cached, as the same expressions
    recur across the articles of one event. The most common forms are read directly."""
    plain = _plain(text, published)
    if plain is not None:
        return plain
    try:
        data = _parser(published, prefer).get_date_data(text)
    except (ValueError, OverflowError, TypeError):
        return None
    if data is None or data.date_obj is None or data.period == "week":
        return None
    return data.date_obj.date(), data.period


# "is set to ...", "are expected to ...": the spaCy lemmatizer is off, so the forms are listed.
_FUTURE_HEADS = frozenset("set expected due scheduled planned plans plan going aims aim intends "
                          "intend hopes hope prepared preparing poised slated".split())


def tense(token: Any) -> bool | None:
    """Whether the verb that governs a spaCy token speaks of the future (True), the past (False),
    or neither (None: present tense, no verb)."""
    verb = token
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:  # spaCy makes new Tokens
        verb = verb.head
    if verb.pos_ not in {"VERB", "AUX"}:
        return None
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.lower_ in {"will", "'ll", "shall", "wo"} for a in auxes):
        return True
    if verb.tag_ == "VB" and any(a.lower_ == "to" for a in auxes):
        if verb.head.lower_ in _FUTURE_HEADS:
            return True
        return tense(verb.head) if verb.head.i != verb.i else None
    if verb.tag_ in {"VBD", "VBN"} or any(a.tag_ == "VBD" for a in auxes):
        return False
    return None


def _weekday(base: date, which: str | None, name: str, future: bool) -> date:
    target = WEEKDAYS.index(name.lower())
    which = (which or "").lower()
    if which == "next" or (future and which != "last"):
        ahead = (target - base.weekday()) % 7
        return base + timedelta(days=ahead or (7 if which == "next" else 0))
    back = (base.weekday() - target) % 7
    return base - timedelta(days=back or (7 if which == "last" else 0))


def _nearest_year(found: date, base: date, period: str | None, future: bool) -> date:
    """The year for a month (and day) written without one: for a day, the nearest such date;
    for a month alone, the latest one not after the publication month, or the next one in a
    sentence about the future."""
    if period == "month":
        same_side = found.month == base.month or (found.month > base.month) == future
        year = base.year if same_side else base.year + (1 if future else -1)
        return found.replace(year=year, day=1)
    options = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            options.append(found.replace(year=year))
        except ValueError:  # 29 February
            continue
    return min(options, key=lambda d: abs((d - base).days))


# -- times of day -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Clock:
    text: str  # as written: "6:04 p.m.", "around 06:03 PM", "shortly after 6pm"
    value: str  # "18:04"; "18" for a time on the hour ("6pm"); "?6:04" without a.m. or p.m.
    zone: str | None  # "gmt", "et", ... for a time given in a named zone; None for local time
    start: int
    end: int


_MERIDIEM = r"(?P<m>[ap])(?:\.\s?m\b\.?|\s?m\b)"
_CLOCK = re.compile(
    rf"\b(?P<h>[01]?\d|2[0-3])(?:(?P<sep>[:.])(?P<min>[0-5]\d))?\s?(?:{_MERIDIEM}"
    r"|(?P<hrs>\s?(?:hrs|hours|h)\b)|(?=\s*(?:local time|[A-Z][a-z]+ time|\(local)))"
    r"|\b(?P<h2>[01]?\d|2[0-3]):(?P<min2>[0-5]\d)\b(?![.,:]?\d)", re.I)
_ZONE = re.compile(r"\s*\(?(?P<zone>GMT|UTC|BST|CET|CEST|EET|EEST|ET|EDT|EST|CT|CDT|CST|MT|MDT|"
                   r"PT|PDT|PST|IST|JST|AEST|AEDT)\b")


def clocks(text: str) -> list[Clock]:
    """The times of day in a sentence, in 24-hour form: "6:04 p.m." is 18:04, "6pm" is 18 (on the
    hour, as precise as written), "08:38 am" is 08:38, "15:05 hrs" is 15:05; "6:04" without a.m.
    or p.m. is "?6:04", which matches 6:04 and 18:04. "6.04" is only a time with a.m. or p.m.
    after it (else it is a number); "6" is only a time with one."""
    out = []
    for m in _CLOCK.finditer(text):
        hour_text, minute = (m["h"], m["min"]) if m["h"] else (m["h2"], m["min2"])
        if m["h"] and m["sep"] == "." and not m["m"]:
            continue  # "6.04": a number
        if m["h"] and not m["min"] and not m["m"]:
            continue  # "at 6 local time" is rare, "6 h" is not a time
        hour = int(hour_text)
        if m["m"]:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if m["m"].lower() == "p" else 0)
            value = f"{hour:02d}" + (f":{minute}" if minute else "")
        elif hour > 12 or m["hrs"] or hour_text.startswith("0"):
            value = f"{hour:02d}:{minute}"  # 24-hour: "15:05 hrs", "08:38"
        else:
            value = f"?{hour}:{minute}"
        zone = _ZONE.match(text, m.end())
        out.append(Clock(m.group(0).strip(), value, zone["zone"].lower() if zone else None,
                         m.start(), m.end()))
    return out


# -- an undated mention's day, for comparing it with a resolved date ----------------------------

_MONTH_DAY = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+"
                        r"(\d{1,2})(?:st|nd|rd|th)?\b|\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
                        r"(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\b", re.I)
_WEEKDAY_NAME = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.I)


def month_day(text: str) -> str | None:
    """"10-20" for a mention without a year: "October 20", "Oct. 20", "20 October"."""
    m = _MONTH_DAY.search(text)
    if m is None:
        return None
    month, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    return f"{_MONTHS.index(month[:3].lower()) + 1:02d}-{int(day):02d}"


def weekday_named(text: str) -> str | None:
    """The day of the week a mention names ("on Thursday" → "thursday"), or None."""
    m = _WEEKDAY_NAME.search(text)
    return m.group(1).lower() if m else None
