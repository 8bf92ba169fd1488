"""Metadata read from the page itself: publication date, headline, outlet, and the event's date.

Values given by the input (JSON Lines fields, feed items, HTML meta tags) win; what is missing is
read from the page, each with where it came from (``Article.provenance``):

* the publication date from a date line near the top ("PUBLISHED : Monday, 3 March, 2019",
  "Updated: 2019-03-05 17:15", "Thursday, September 26th 2024, 10:27 pm"), a dateline with its
  year ("Baltimore, MD - Mar. 28, 2024 -"), or a date in the URL ("/2019/03/04/", "-2023-11-20");
* the headline: the first line near the top that reads as one (not chrome, a date line, a
  dateline, a byline, a credit or a menu), with a trailing " | Outlet" or " – Outlet" cut off;
  else the URL's slug;
* the outlet from the URL's domain, else a credit ("(Reuters) -", "(CNN) —", "(Newser) -") or the
  outlet named after the headline;
* after the NLP stage, the date of the event the article reports (``Article.event_date``): the
  latest date of its lead sentences that lies on or shortly before the publication date (weekdays
  and "yesterday" are resolved against it; an earlier date there is background: "the ship that
  ran aground on March 23 was freed on Monday"), or, for an undated article, the first date its
  text gives with a year; and the weekday of that event (``Article.event_weekday``): the event
  date's, else the first weekday its lead names ("on Friday"), so that two undated reports of
  one storyline ("fired on Friday", "threatened on Monday to quit") are still days apart.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from urllib.parse import unquote, urlsplit

from .boilerplate_patterns import SENTENCE_END
from .clean import blocks, line_reason
from .clean import is_headline as clean_headline
from .dates import about_future
from .records import FROM_SLUG, GIVEN, Article, DateMention

LEAD_LINES = 8  # lines near the top where a headline or a date line is looked for
LEAD_SENTENCES = 3  # sentences whose dates name the event's own date
EVENT_BEFORE_DAYS = 7  # an event date lies at most this many days before publication
HEADLINE_OVERLAP = 0.25  # share of a headline's words that its article goes on to use

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?"
_FULL_DATE = re.compile(
    rf"\b(?:{_WEEKDAY}\s+)?(?:(?P<d1>{_DAY})\s+(?:of\s+)?(?P<m1>{_MONTH}),?\s+(?P<y1>{_YEAR})|"
    rf"(?P<m2>{_MONTH})\s+(?P<d2>{_DAY}),?\s+(?P<y2>{_YEAR})|"
    rf"(?P<y3>{_YEAR})[-/.](?P<m3>[01]?\d)[-/.](?P<d3>[0-3]?\d))\b", re.I)
_DATE_LINE_KEY = re.compile(r"^\s*(?:first\s+)?(?:published|updated|posted|last updated|date|"
                            r"modified|released|pubdate|publication date)\b\s*(?:on|at)?\s*[:：|-]?",
                            re.I)
_URL_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[/_-]?)(?P<m>[01]\d)(?P=sep)(?P<d>[0-3]\d)"
                       r"(?!\d)")
_CREDIT = re.compile(r"^\s*(?:[A-Z][A-Za-z .,'’-]{0,40}?\s*)?\((?P<credit>[A-Z][A-Za-z.& ]{1,30})\)"
                     r"\s*(?:[-–—:]|$)")
_BYLINE = re.compile(r"^\s*(?:by|written by|reported by|words by|story by)\s+\S", re.I)
_TRAILING_BYLINE = re.compile(r"\s+(?i:written |reported |story )?(?i:by)\s+"
                              r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}(?<!\.)\s*$")
_TEASER = re.compile(r"[^\W_](?:…|\.\.\.)\s*(?i:reports|says|writes|read more)\b")
_LEADING_DATELINE = re.compile(rf"^[A-Z][\w .,'’-]{{0,40}}?[,–—-]\s*(?:{_WEEKDAY}\s+)?(?:{_MONTH}\s+{_DAY}"
                               rf"(?:,?\s+{_YEAR})?|{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?)\s*"
                               r"(?:\([^)]{1,30}\))?\s*[-–—:]+\s*", re.I)
_MEDIA_LABEL = re.compile(r"^(?:video|watch|photos?|live|breaking|exclusive|updated?)\s*:\s*", re.I)
_SPLIT_OUTLET = re.compile(r"\s+[|–—-]\s+(?P<outlet>[^|–—-]{2,40})$")
_MENU = re.compile(r"[|•·»›]|\bedition\b|\bsign in\b|\bsubscribe\b|\blog ?in\b|\bmenu\b", re.I)
_CAPTION = re.compile(r"[\[(](?:photo|image|file photo|video|credit|getty|ap photo|reuters)\b|"
                      r"\b(?:photo|photograph|image|picture|credit)s?\s*[:/]\s*\S", re.I)
# a photo credit after a caption: "Prime Minister Liz Truss ROB PINNEY/GETTY", "… AFP/Getty Images"
_PHOTO_CREDIT = re.compile(r"\b[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*\s*/\s*(?:GETTY|AFP|REUTERS|AP|"
                           r"EPA|PA|SHUTTERSTOCK|BLOOMBERG)\b|/\s*Getty Images\b")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def full_date(text: str) -> str | None:
    """The first date with day, month and year written in ``text``, as YYYY-MM-DD."""
    for m in _FULL_DATE.finditer(text):
        g = m.groupdict()
        try:
            if g["y1"]:
                found = date(int(g["y1"]), _month(g["m1"]), int(re.sub(r"\D", "", g["d1"])))
            elif g["y2"]:
                found = date(int(g["y2"]), _month(g["m2"]), int(re.sub(r"\D", "", g["d2"])))
            else:
                found = date(int(g["y3"]), int(g["m3"]), int(g["d3"]))
        except ValueError:
            continue
        return found.isoformat()
    return None


def _month(name: str) -> int:
    return _MONTHS.index(name[:3].lower()) + 1


def is_date_line(line: str) -> bool:
    """A line that is a publication or update stamp: a key ("Updated:"), or little but a date
    and a time."""
    if _DATE_LINE_KEY.match(line) and full_date(line):
        return True
    rest = _FULL_DATE.sub(" ", line, count=1) if full_date(line) else line
    rest = re.sub(rf"\b(?:{_WEEKDAY}|at|on|\d{{1,2}}[:.]\d\d(?:\s*[ap]\.?m\.?)?|[ap]\.?m\.?|"
                  r"[A-Z]{2,4}|updated|published|gmt|utc|hrs?|ist|et|pt|ct|est|edt|pst|pdt)\b",
                  " ", rest, flags=re.I)
    return full_date(line) is not None and len(re.findall(r"[^\W\d_]{3,}", rest)) <= 2


def page_date(lines: list[str], url: str | None) -> tuple[str, str] | None:
    """(date, where it came from) of the page's publication."""
    for line in lines[:LEAD_LINES]:
        if is_date_line(line):
            found = full_date(line)
            if found:
                return found, f"date line '{_short(line)}'"
    for line in lines[:LEAD_LINES]:
        head = line[:80]
        if _dateline_start(head):
            found = full_date(head)
            if found:
                return found, f"dateline '{_short(head)}'"
    if url:
        path = unquote(urlsplit(url).path)
        for m in _URL_DATE.finditer(path):
            try:
                found = date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
            except ValueError:
                continue
            return found, "date in the URL"
    return None


def _dateline_start(text: str) -> bool:
    """A place and a date opening the first paragraph ("BALTIMORE, Mar. 28, 2024 -")."""
    m = _FULL_DATE.search(text)
    if m is None or m.start() >= 40:
        return False
    return bool(re.match(r"^[A-Z][\w .,'’-]*[,–—-]\s*$", text[:m.start()] or "X,"))


def _short(line: str, n: int = 60) -> str:
    line = " ".join(line.split())
    return line if len(line) <= n else line[:n - 1] + "…"


def is_headline(line: str, body: set[str], first: bool = True) -> bool:
    """A line near the top that reads as a headline: 3 to 30 words, no chrome, not a date line,
    dateline, byline, credit or menu, and words that the article goes on to use (the first line
    in Title Case need not: an appeal headed "Libya Floods Emergency" tells of "dams" that
    "burst"). Only the first line may end with a full stop. A teaser cut off and credited
    ("… in parliament…reports Asian Lite News") is not a headline."""
    words = re.findall(r"[^\W_]+(?:['’][^\W_]+)?", line)
    if not 3 <= len(words) <= 22 or _caption_or_teaser(line) or _DATE_LINE_KEY.match(line):
        return False
    if line.rstrip().endswith(".") and not (first and clean_headline(words)):
        return False  # a sentence; only a Title Case first line ends with a full stop
    if _MENU.search(_SPLIT_OUTLET.sub("", line)) or _BYLINE.match(line) or _CREDIT.match(line):
        return False
    if is_date_line(line) or _dateline_start(line[:80]):
        return False
    if line.rstrip().endswith((":", ",", ";")):
        return False
    reason = line_reason(_MEDIA_LABEL.sub("", _SPLIT_OUTLET.sub("", line)))
    if reason not in {None, "headline", "unfinished", "short line"}:
        return False
    content = [_stem(w) for w in words if len(w) > 3]
    if first and clean_headline(words) and content:
        return True
    return bool(content) and sum(w in body for w in content) / len(content) >= HEADLINE_OVERLAP


def headline(lines: list[str], url: str | None) -> tuple[str, str, str | None] | None:
    """(title, where it came from, outlet named after it) of the page."""
    for i, line in enumerate(lines[:LEAD_LINES]):
        if i and _paragraph(lines[i - 1]):
            break  # the article has begun: its headline came before
        line = _TRAILING_BYLINE.sub("", line)
        body = {_stem(w) for ln in lines[:i] + lines[i + 1:] for w in re.findall(r"[^\W_]+", ln)
                if len(w) > 3}
        if is_headline(line, body, first=i == 0) or (i == 0 and _opens(line, lines[1:2])):
            m = _SPLIT_OUTLET.search(line)
            if m and len(m["outlet"].split()) <= 4 and not m["outlet"][:1].islower():
                return line[:m.start()].strip(), f"line {i + 1}", m["outlet"].strip()
            return line.strip(), f"line {i + 1}", None
    slug = _slug_title(url)
    return (slug, FROM_SLUG, None) if slug else None


def _caption_or_teaser(line: str) -> bool:
    """A photo caption or credit, or a teaser cut off and credited: never a headline."""
    return bool(_CAPTION.search(line) or _PHOTO_CREDIT.search(line) or _TEASER.search(line))


def _opens(line: str, following: list[str]) -> bool:
    """Whether the first line, a full sentence of headline length, is what the next paragraph
    opens with (a headline repeated as the lead: "X confirms he will step down." and "X confirms
    he will step down following ...")."""
    head = line.strip().rstrip(".").strip()
    words = head.split()
    return bool(following) and 3 <= len(words) <= 22 and len(following[0]) > len(head) and \
        following[0].startswith(head) and not _caption_or_teaser(line) and \
        not _BYLINE.match(line)


def without_dateline(sentence: str) -> str:
    """A first sentence without the dateline that opens it ("BALTIMORE, Mar. 28, 2024 - ")."""
    return _LEADING_DATELINE.sub("", sentence, count=1) or sentence


def _stem(word: str) -> str:
    """A word for comparing a headline with its text: lower case, without a possessive or a
    plural s ("Mediator's", "mediators" and "mediator" meet)."""
    word = re.sub(r"['’]s?$", "", word.lower())
    return word[:-1] if word.endswith("s") and len(word) > 4 else word


def _paragraph(line: str) -> bool:
    return len(line.split()) >= 12 and bool(SENTENCE_END.search(line))


def _slug_title(url: str | None) -> str | None:
    if not url:
        return None
    parts = [p for p in unquote(urlsplit(url).path).split("/") if p]
    for part in reversed(parts):
        part = re.sub(r"\.[a-z]{2,5}$", "", part)
        words = [w for w in re.split(r"[-_]+", part) if w and not w.isdigit()]
        if len(words) >= 4 and not re.search(r"\d{5,}", part):
            text = " ".join(words)
            return text[:1].upper() + text[1:]
    return None


def outlet(lines: list[str], url: str | None) -> tuple[str, str] | None:
    """(outlet, where it came from): the URL's domain, else a credit at the start of the text."""
    if url:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        if host and "." in host:
            return host, "the URL's domain"
    for line in lines[:LEAD_LINES]:
        m = _CREDIT.match(line)
        if m:
            return m["credit"].strip(), f"credit '{_short(line, 30)}'"
    return None


def with_metadata(article: Article) -> Article:
    """The article with the publication date, title and outlet that the input did not give read
    from the page, and where each came from."""
    lines = blocks(article.text if article.is_html else article.content)
    origin = dict(article.provenance)
    changes: dict[str, object] = {}
    if article.published is None:
        found = page_date(lines, article.url)
        if found:
            changes["published"], origin["published"] = found
    if article.title is None or not article.title.strip():
        title = headline(lines, article.url)
        if title:
            changes["title"], origin["title"], named = title
            if article.outlet is None and named and not article.url:
                changes["outlet"], origin["outlet"] = named, "named after the headline"
    if article.outlet is None and "outlet" not in changes:
        found_outlet = outlet(lines, article.url)
        if found_outlet:
            changes["outlet"], origin["outlet"] = found_outlet
    for key in ("published", "title", "outlet"):
        if getattr(article, key) and key not in origin:
            origin[key] = GIVEN
    return replace(article, **changes, provenance=tuple(sorted(origin.items())))  # type: ignore[arg-type]


def event_date(article: Article) -> str | None:
    """The date of the event the article reports: the latest day-precise date of its lead
    sentences on or up to a week before publication (the earlier ones are background); for an
    undated article, the first date its lead sentences give with a year (it is placed by the
    dates in its text; a date further down is background: a birth, an accession, last year's
    event)."""
    published = date.fromisoformat(article.published) if article.published else None
    days = []
    for mention in sorted(article.dates, key=lambda d: (d.sentence, d.start)):
        if mention.sentence >= LEAD_SENTENCES or not mention.value or len(mention.value) != 10:
            continue
        try:
            day = date.fromisoformat(mention.value)
        except ValueError:
            continue
        if published is None:
            return day.isoformat()
        if 0 <= (published - day).days <= EVENT_BEFORE_DAYS:
            days.append(day)
    return max(days).isoformat() if days else None


def with_event_day(article: Article) -> Article:
    """The article with the date and the weekday of the event it reports (after the NLP stage,
    which finds its dates)."""
    dated = replace(article, event_date=event_date(article))
    return replace(dated, event_weekday=event_weekday(dated))


def _future(article: Article, mention: DateMention) -> bool:
    """Whether the words of its sentence that lead up to the date say it is about what will happen
    ("will meet on Tuesday"; not "announced Monday that he will join", where only what follows
    is)."""
    if not 0 <= mention.sentence < len(article.sentences):
        return False
    sentence = article.sentences[mention.sentence]
    before = sentence.text[:max(0, mention.start - sentence.start)]
    return about_future(before)


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_LEAD_WEEKDAY = re.compile(r"\b(?:(last|next|this)\s+)?(?:(?:early|late)\s+)?(" +
                           "|".join(WEEKDAYS) + r")\b", re.I)


def event_weekday(article: Article) -> int | None:
    """The weekday of the event the article reports (0 is Monday): that of its event date or
    publication date, else the first weekday its lead sentences name that is not a "last",
    "next" or "this" one nor in words about what will happen (an undated report placed
    against another: "fired on Friday", not "will meet on Tuesday")."""
    for known in (article.event_date, article.published):
        try:
            if known:
                return date.fromisoformat(known[:10]).weekday()
        except ValueError:
            continue
    for mention in sorted(article.dates, key=lambda d: (d.sentence, d.start)):
        if mention.sentence >= LEAD_SENTENCES:
            break
        found = _LEAD_WEEKDAY.search(mention.text)
        if found and not found[1] and not _future(article, mention):
            return WEEKDAYS.index(found[2].capitalize())
    return None
