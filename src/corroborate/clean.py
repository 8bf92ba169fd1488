"""Boilerplate removal: keep every real paragraph, keep what was removed on the record.

Plain text goes through our own line classifier: lone symbols, calls to action ("Also Read"),
newsletter prompts, comment forms, captions, bylines, short unpunctuated lines, runs of unrelated
headlines, and short lines that recur across many articles of the corpus (``recurring``, counted by
the pipeline).

HTML goes through trafilatura, whose choice of the main text and whose structure we trust: its
headings, list items, table rows and code are kept as they are. On its output we only remove what
our patterns name as chrome (calls to action, newsletter prompts, captions, bylines, legal lines,
lone symbols), the title, and runs of three or more lines that are each a whole link of the page
(a list of headlines).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from .boilerplate_patterns import CHROME, CHROME_MAX_WORDS, SENTENCE_END, SMALL_WORDS
from .records import Article
from .settings import Settings

if TYPE_CHECKING:
    import lxml.html

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_SPACE = re.compile(r"\s+")
# Chinese and Japanese are written without spaces: each of their characters counts as one word.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_COUNTED_WORD = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])[^\W_])+(?:['’.-](?:(?![{_CJK}])[^\W_])+)*")


UNFINISHED = "unfinished"  # kept alone, removed in a run of three or more (a list of headlines)
LINKED = "linked"  # HTML: a line that is a whole link; removed in a run of three or more
_LISTY = frozenset({"headline", "short line", "recurring line", UNFINISHED})
_KEPT_ALONE = frozenset({UNFINISHED, LINKED})


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
    root = page_tree(content)
    if root is None:  # the HTML parsers would drop what lies deeper: read it flat
        return clean_text("\n".join(flat_blocks(content)), title, recurring)
    page = _page_blocks(root)
    main = main_lines(content)
    if not main:  # not an article page trafilatura recognises: classify all of its text
        return clean_text("\n".join(text for text, _ in page), title, recurring)
    lines = classify_html(main, title, recurring, links=link_keys(root))
    keys = [line_key(text) for text, _ in main] + [line_key(title or "")]
    whole, in_main = f" {' '.join(keys)} ", set(keys)
    dropped = [text for text, tag in page if (key := line_key(text)) not in in_main
               and not (tag in _PARTS and f" {key} " in whole)]
    return [ln.text for ln in lines if ln.reason is None], \
        dropped + [ln.text for ln in lines if ln.reason and ln.reason != "title"]


# trafilatura's elements whose lines we keep as they are (what it marks as a heading, a list item,
# a table row or cell, code, a quotation); every other line is a paragraph.
_STRUCTURE = {"head": "heading", "item": "item", "row": "row", "cell": "row", "code": "code",
              "quote": "quote"}
_LINK_RUNS = frozenset({"paragraph", "item", "quote"})  # where a run of whole links is a list


def main_lines(content: str) -> list[tuple[str, str]]:
    """The main text as trafilatura writes it (its plain-text output, line by line), each line with
    the kind of element it comes from: paragraph, heading, item, row, code or quote."""
    import trafilatura
    from trafilatura.utils import normalize_unicode
    from trafilatura.xml import xmltotxt

    doc = trafilatura.bare_extraction(content, include_comments=False, include_tables=True,
                                      deduplicate=False)
    body = getattr(doc, "body", None)  # None when trafilatura finds no main text
    if body is None:
        return []
    kinds: dict[str, str] = {}
    code: set[str] = set()
    for el in body.iter(*_STRUCTURE):
        whole = " ".join(el.itertext())
        for part in (whole, *whole.split("\n")):
            if key := line_key(part):
                kinds.setdefault(key, _STRUCTURE[el.tag])
            if el.tag == "code":
                code.add(part.strip())
    out: list[tuple[str, str]] = []
    for line in normalize_unicode(xmltotxt(body, False)).split("\n"):
        kind = kinds.get(line_key(line)) or ("code" if line.strip() in code else "paragraph")
        line = line.rstrip() if kind == "code" else _SPACE.sub(" ", line).strip()
        if line and out and kind == out[-1][1] == "paragraph" and _continues(out[-1][0], line):
            out[-1] = (f"{out[-1][0]} {line}", kind)  # a sentence broken by <br>
        elif line:
            out.append((line, kind))
    return out


def classify_html(lines: list[tuple[str, str]], title: str | None = None,
                  recurring: Collection[str] = (), links: Collection[str] = ()) -> list[Line]:
    """Label trafilatura's lines: only named chrome, the title and lists of linked headlines go."""
    title_key = line_key(title) if title else None
    out: list[Line] = []
    for i, (line, kind) in enumerate(lines):
        key = line_key(line)
        if title_key and key == title_key:
            out.append(Line(line, "title" if i == 0 else "repeated headline"))
        elif kind == "code":
            out.append(Line(line))
        elif reason := chrome_reason(line):
            out.append(Line(line, reason))
        elif recurring and _recurs(line) and line_hash(line) in recurring:
            out.append(Line(line, "recurring line"))
        elif kind in _LINK_RUNS and key in links and not SENTENCE_END.search(line):
            out.append(Line(line, LINKED))
        else:
            out.append(Line(line))
    return _headline_runs(out, frozenset({LINKED}))


def _recurs(line: str) -> bool:
    """A line that may be dropped for recurring: unfinished, or of six words or fewer."""
    return not SENTENCE_END.search(line) or len(words(line)) <= 6


_BLOCKS = frozenset("p li h1 h2 h3 h4 h5 h6 td th dt dd figcaption blockquote pre address "
                    "div section aside header footer nav form label button a span".split())
_CONTAINERS = frozenset("p li h1 h2 h3 h4 h5 h6 td th dt dd figcaption blockquote pre address "
                        "div section aside header footer nav form ul ol table article main".split())
_PARTS = frozenset({"td", "th", "pre"})  # blocks that trafilatura writes inside a longer line


def page_tree(content: str) -> lxml.html.HtmlElement | None:
    """The whole page parsed by lxml, without scripts and styles (an empty tree when it cannot be
    parsed); None when it is nested too deep for lxml to read whole."""
    import lxml.html

    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:  # as bytes: lxml refuses a str that carries an XML encoding declaration
        root = lxml.html.document_fromstring(content.encode("utf-8", "surrogatepass"),
                                             parser=parser)
    except (ValueError, lxml.etree.ParserError):
        return lxml.html.HtmlElement()
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        return None
    for el in root.xpath("//script|//style|//noscript|//template|//svg|//head"):
        el.drop_tree()
    return root


def page_blocks(root: lxml.html.HtmlElement) -> list[str]:
    """The text blocks of a whole HTML page, chrome included, in document order."""
    return [text for text, _ in _page_blocks(root)]


def _page_blocks(root: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag not in _BLOCKS:
            continue
        if any(isinstance(c.tag, str) and c.tag in _CONTAINERS for c in el.iterdescendants()):
            continue  # a wrapper: its blocks come one by one
        if el.tag in {"a", "span"} and el.getparent() is not None and el.getparent().tag in _BLOCKS:
            continue  # inline inside a block: part of that block's text
        text = _SPACE.sub(" ", el.text_content()).strip()
        if text:
            out.append((text, el.tag))
    return out


def link_keys(root: lxml.html.HtmlElement) -> set[str]:
    """The text of every link of the page, as line keys."""
    return {key for a in root.iter("a") if (key := line_key(a.text_content()))}


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


def words(line: str) -> list[str]:
    """The words of a line, each Chinese or Japanese character counted as one."""
    return _COUNTED_WORD.findall(line) if _CJK_CHAR.search(line) else _WORD.findall(line)


def chrome_reason(line: str) -> str | None:
    """Why a line is site chrome whatever its place: lone symbols, or a pattern of
    boilerplate_patterns.CHROME on a line of at most CHROME_MAX_WORDS words."""
    found = words(line)
    if not found:
        return "symbols"
    if len(found) <= CHROME_MAX_WORDS:
        for reason, pattern in CHROME:
            if pattern.search(line):
                return reason
    return None


def line_reason(line: str, recurs: bool = False) -> str | None:
    """Why a line of plain text is boilerplate, or None to keep it."""
    reason = chrome_reason(line)
    if reason:
        return reason
    if recurs and _recurs(line):
        return "recurring line"
    found = words(line)
    finished = bool(SENTENCE_END.search(line))
    if not finished and len(found) <= 5:
        return "short line"
    if not finished and is_headline(found):
        return "headline"
    if not finished and len(found) <= 20:
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


def _headline_runs(lines: list[Line], listy: frozenset[str] = _LISTY) -> list[Line]:
    """Three or more short unpunctuated lines in a row are a list of (unrelated) headlines; an
    unfinished (or linked) line on its own is kept."""
    out = list(lines)
    i = 0
    while i < len(out):
        j = i
        while j < len(out) and out[j].reason in listy:
            j += 1
        for k in range(i, j):
            reason = "list of headlines" if j - i >= 3 else out[k].reason
            out[k] = Line(out[k].text, None if reason in _KEPT_ALONE else reason)
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
    return {line_hash(ln) for ln in blocks(article.content) if 0 < len(words(ln)) <= 15}

