"""Plain text and Markdown articles: outlet and date from a byline near the top ("By Jane Doe |
Harbor Ledger | March 4, 2026", "Published: 2026-03-04", "Source: Harbor Ledger"). The headline,
and the dates and credits of real pages, are read by the metadata stage (``metadata.py``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..metadata import with_metadata
from ..records import Article
from .common import decode, iso_date, make_article

_BYLINE = re.compile(r"^\s*(?:by\s+[^|]+)?\|\s*(?P<outlet>[^|]+?)\s*(?:\|\s*(?P<date>.+?))?\s*$", re.I)
_FIELD = re.compile(r"^\s*(?P<key>published|date|updated|source|outlet)\s*:\s*(?P<value>.+?)\s*$",
                    re.I)


def read_text(source: str, data: bytes) -> Iterator[Article]:
    content = decode(data)
    lines = [line.strip() for line in content.split("\n") if line.strip()]
    outlet, published = header_metadata(lines[:6])
    yield with_metadata(make_article(source, "text", content, is_html=False, outlet=outlet,
                                     published=published))


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
