"""Boilerplate removal: keep every real paragraph, keep what was removed on the record.

HTML goes through trafilatura; plain text (and trafilatura's output, as a second pass) through our
own line classifier: lone symbols, calls to action ("Also Read"), newsletter prompts, comment
forms, captions, bylines, short unpunctuated lines, runs of unrelated headlines, and short lines that
recur across many articles of the corpus (``recurring``, counted by the pipeline).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from html.parser import HTMLParser

from .boilerplate_patterns import CHROME, CHROME_MAX_WORDS, SENTENCE_END, SMALL_WORDS
from .records import Article
from .settings import Settings

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_SPACE = re.compile(r"\s+")


UNFINISHED = "unfinished"  # kept alone, removed in a run of three or more (a list of headlines)
_LISTY = frozenset({"headline", "short line", "recurring line", UNFINISHED})


@dataclass(frozen=True)
class Line:
    text: str
    reason: str | None = None  # why it is boilerplate; None = keep


def clean(article: Article, settings: Settings | None = None,
          recurring: Collection[str] = ()) -> Article:
    """The article with ``text`` (paragraphs joined by blank lines) and ``boilerplate`` set."""
    if article.is_html:
        kept, removed = clean_html(article.content, article.title, recurring)
    else:
        kept, removed = clean_text(article.content, article.title, recurring)
    return replace(article, text="\n\n".join(kept), boilerplate=tuple(removed))


def clean_text(content: str, title: str | None = None,
               recurring: Collection[str] = ()) -> tuple[list[str], list[str]]:
    lines = classify(blocks(content), title, recurring)
    return [ln.text for ln in lines if ln.reason is None], \
        [ln.text for ln in lines if ln.reason and ln.reason != "title"]


def clean_html(content: str, title: str | None = None,
               recurring: Collection[str] = ()) -> tuple[list[str], list[str]]:
    import trafilatura

    page = page_blocks(content)
    if page is None:  # the HTML parsers would drop what lies deeper: read it flat
        return clean_text("\n".join(flat_blocks(content)), title, recurring)
    main = trafilatura.extract(content, include_comments=False, include_tables=True,
                               deduplicate=False) or ""
    if not main.strip():  # not an article page trafilatura recognises: classify all of its text
        return clean_text("\n".join(page), title, recurring)
    kept, removed = clean_text(main, title, recurring)
    in_main = {line_key(p) for p in main.split("\n")} | {line_key(title or "")}
    dropped = [p for p in page if line_key(p) not in in_main]
    return kept, dropped + removed


_BLOCKS = frozenset("p li h1 h2 h3 h4 h5 h6 td th dt dd figcaption blockquote pre address "
                    "div section aside header footer nav form label button a span".split())
_CONTAINERS = frozenset("p li h1 h2 h3 h4 h5 h6 td th dt dd figcaption blockquote pre address "
                        "div section aside header footer nav form ul ol table article main".split())


def page_blocks(content: str) -> list[str] | None:
    """The text blocks of a whole HTML page, chrome included, in document order; None when it
    is nested too deep for lxml to read whole."""
    import lxml.html

    parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(content, parser=parser)
    except (ValueError, lxml.etree.ParserError):
        return []
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        return None
    for el in root.xpath("//script|//style|//noscript|//template|//svg|//head"):
        el.drop_tree()
    out: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag not in _BLOCKS:
            continue
        if any(isinstance(c.tag, str) and c.tag in _CONTAINERS for c in el.iterdescendants()):
            continue  # a wrapper: its blocks come one by one
        if el.tag in {"a", "span"} and el.getparent() is not None and el.getparent().tag in _BLOCKS:
            continue  # inline inside a block: part of that block's text
        text = _SPACE.sub(" ", el.text_content()).strip()
        if text:
            out.append(text)
    return out


class _FlatText(HTMLParser):
    """Text blocks by a parser without a depth limit (lxml stops at 256 levels of nesting, and a
    page nested deeper would lose its paragraphs)."""

    SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.line: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in _CONTAINERS or tag == "br":
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _CONTAINERS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.line.append(data)

    def flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.line)).strip()
        if text:
            self.out.append(text)
        self.line = []


def flat_blocks(content: str) -> list[str]:
    """The text blocks of a page that lxml cannot read whole, in document order."""
    parser = _FlatText()
    parser.feed(content)
    parser.close()
    parser.flush()
    return parser.out


def blocks(content: str) -> list[str]:
    """Lines of text, with hard-wrapped paragraphs joined back into one line."""
    out: list[str] = []
    for chunk in re.split(r"\n\s*\n", content):
        joined: list[str] = []
        for line in (_SPACE.sub(" ", ln).strip() for ln in chunk.split("\n")):
            if line and joined and _continues(joined[-1], line):
                joined[-1] = f"{joined[-1]} {line}"
            elif line:
                joined.append(line)
        out.extend(joined)
    return out


def _continues(previous: str, line: str) -> bool:
    """A hard-wrapped paragraph: the previous line is unfinished, and this one goes on in lower
    case."""
    return (len(previous.split()) >= 4 and not SENTENCE_END.search(previous)
            and (line[:1].islower() or line[:1].isdigit()))


def classify(lines: list[str], title: str | None = None,
             recurring: Collection[str] = ()) -> list[Line]:
    """Label every line with the reason it is boilerplate, or None to keep it."""
    title_key = line_key(title) if title else None
    out: list[Line] = []
    for i, line in enumerate(lines):
        key = line_key(line)
        if title_key and key == title_key:
            out.append(Line(line, "title" if i == 0 else "repeated headline"))
        else:
            out.append(Line(line, line_reason(line, bool(recurring) and line_hash(line) in recurring)))
    return _headline_runs(out)


def line_reason(line: str, recurs: bool = False) -> str | None:
    words = _WORD.findall(line)
    if not words:
        return "symbols"
    if len(words) <= CHROME_MAX_WORDS:
        for reason, pattern in CHROME:
            if pattern.search(line):
                return reason
    finished = bool(SENTENCE_END.search(line))
    if recurs and (not finished or len(words) <= 6):
        return "recurring line"
    if not finished and len(words) <= 5:
        return "short line"
    if not finished and is_headline(words):
        return "headline"
    if not finished and len(words) <= 20:
        return UNFINISHED
    return None


def is_headline(words: list[str]) -> bool:
    """Title Case, no final punctuation, headline length."""
    if not 3 <= len(words) <= 25:
        return False
    content = [w for w in words if w.lower() not in SMALL_WORDS and w[:1].isalpha()]
    if not content:
        return False
    return sum(w[:1].isupper() for w in content) / len(content) >= 0.75


def _headline_runs(lines: list[Line]) -> list[Line]:
    """Three or more short unpunctuated lines in a row are a list of (unrelated) headlines; an
    unfinished line on its own is kept."""
    out = list(lines)
    i = 0
    while i < len(out):
        j = i
        while j < len(out) and out[j].reason in _LISTY:
            j += 1
        for k in range(i, j):
            reason = "list of headlines" if j - i >= 3 else out[k].reason
            out[k] = Line(out[k].text, None if reason == UNFINISHED else reason)
        i = max(j, i + 1)
    return out


def line_key(line: str) -> str:
    """A line normalised for comparison: lower case, words only."""
    return " ".join(_WORD.findall(line.lower()))


def line_hash(line: str) -> str:
    return hashlib.blake2b(line_key(line).encode(), digest_size=8).hexdigest()


def candidate_lines(article: Article) -> set[str]:
    """Hashes of the short lines of a text article that may be corpus-wide boilerplate.

    HTML pages are left out: trafilatura removes their site chrome from the page structure.
    """
    if article.is_html:
        return set()
    return {line_hash(ln) for ln in blocks(article.content) if 0 < len(_WORD.findall(ln)) <= 15}

