"""Plain text and Markdown articles: the title from the first line when it looks like a headline,
outlet and date from a byline near the top ("By Jane Doe | Harbor Ledger | March 4, 2026",
"Published: 2026-03-04", "Source: Harbor Ledger")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..records import Article
from .common import decode, iso_date, make_article

_BYLINE = re.compile(r"^\s*(?:by\s+[^|]+)?\|\s*(?P<outlet>[^|]+?)\s*(?:\|\s*(?P<date>.+?))?\s*$", re.I)
_FIELD = re.compile(r"^\s*(?P<key>published|date|updated|source|outlet)\s*:\s*(?P<value>.+?)\s*$",
                    re.I)
_SENTENCE_END = re.compile(r"[.!;:,]['\"”’)]*$")


def read_text(source: str, data: bytes) -> Iterator[Article]:
    content = decode(data)
    lines = [line.strip() for line in content.split("\n") if line.strip()]
    title = lines[0].lstrip("#").strip() if lines and looks_like_headline(lines[0]) else None
    outlet, published = header_metadata(lines[1:6] if title else lines[:5])
    yield make_article(source, "text", content, is_html=False, outlet=outlet, title=title,
                       published=published)


def looks_like_headline(line: str) -> bool:
    """A first line is a headline when it is short and does not end like a sentence."""
    words = line.lstrip("#").split()
    return 2 <= len(words) <= 25 and not _SENTENCE_END.search(line) and line[:1] != "|"


def header_metadata(lines: list[str]) -> tuple[str | None, str | None]:
    outlet: str | None = None
    published: str | None = None
    for line in lines:
        field = _FIELD.match(line)
        if field:
            key = field["key"].lower()
            if key in {"source", "outlet"}:
                outlet = outlet or field["value"]
            else:
                published = published or iso_date(field["value"])
            continue
        byline = _BYLINE.match(line)
        if byline and len(line) < 160:
            outlet = outlet or byline["outlet"]
            published = published or (iso_date(byline["date"]) if byline["date"] else None)
    return outlet, published
