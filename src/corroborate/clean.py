"""Boilerplate removal: keep every real paragraph, keep what was removed on the record.

HTML goes through trafilatura; plain text (and trafilatura's output, as a second pass) through our
own line classifier: lone symbols, calls to action ("Also Read"), newsletter prompts, comment
forms, captions, bylines, short unpunctuated lines, runs of unrelated headlines, and short lines that
recur across many articles of the corpus (``recurring``, counted by the pipeline).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace

from .boilerplate_patterns import CHROME, CHROME_MAX_WORDS, SENTENCE_END, SMALL_WORDS
from .records import Article
from .settings import Settings

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_SPACE = re.compile(r"\s+")


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

    full = trafilatura.html2txt(content) or ""
    main = trafilatura.extract(content, include_comments=False, include_tables=True,
                               deduplicate=False) or ""
    if not main.strip():  # not an article page trafilatura recognises: classify all of its text
        return clean_text(full, title, recurring)
    kept, removed = clean_text(main, title, recurring)
    in_main = {line_key(p) for p in main.split("\n")}
    dropped = [p for p in blocks(full) if line_key(p) not in in_main and line_key(p) != line_key(
        title or "")]
    return kept, dropped + removed


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
    """A hard-wrapped paragraph: the previous line is long, unfinished, and this one goes on."""
    return (len(previous.split()) >= 8 and not SENTENCE_END.search(previous)
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
    """Three or more headlines in a row are a list of (unrelated) headlines."""
    out = list(lines)
    i = 0
    while i < len(out):
        j = i
        while j < len(out) and out[j].reason in {"headline", "short line", "recurring line"}:
            j += 1
        if j - i >= 3:
            for k in range(i, j):
                out[k] = Line(out[k].text, "list of headlines")
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


def clean_many(articles: Iterable[Article], settings: Settings,
               recurring: Collection[str] = ()) -> list[Article]:
    return [clean(a, settings, recurring) for a in articles]
