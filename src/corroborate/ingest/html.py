"""HTML pages: title, outlet (site name) and publication date from the page's metadata
(trafilatura, which uses htmldate). The main text is extracted later, in the clean stage."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

from ..records import Article
from .common import decode, make_article


def read_html(source: str, data: bytes | str, *, fmt: str = "html", url: str | None = None,
              fetched: str | None = None) -> Iterator[Article]:
    content = data if isinstance(data, str) else decode(data)
    meta = html_metadata(content, url)
    yield make_article(source, fmt, content, is_html=True, url=url or meta.get("url"),
                       outlet=meta.get("sitename"), title=meta.get("title"),
                       published=meta.get("date") or fetched)


def html_metadata(content: str, url: str | None = None) -> dict[str, str]:
    from trafilatura import extract_metadata

    try:
        with warnings.catch_warnings():  # dateutil warns on stderr about unknown zone names
            warnings.simplefilter("ignore")
            doc = extract_metadata(content, default_url=url, extensive=False)
    except Exception:  # noqa: BLE001 - a page whose metadata cannot be read still has a text
        return {}
    if doc is None:
        return {}
    found = {k: getattr(doc, k, None) for k in ("title", "sitename", "date", "url")}
    return {k: str(v) for k, v in found.items() if v}
