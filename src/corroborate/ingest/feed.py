"""RSS (0.9x, 1.0, 2.0) and Atom feeds: each item is an article.

XML is parsed with defusedxml with DTDs forbidden: no entity expansion ("billion laughs"), no
external entities, no DTD retrieval."""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..errors import InputError, Rejected
from ..metadata import with_metadata
from ..records import Article
from .common import looks_like_html, make_article

_CONTENT_TAGS = ("encoded", "content", "description", "summary")


def read_feed(source: str, data: bytes) -> Iterator[Article | Rejected]:
    root = parse_xml(source, data)
    channel_title = _text(_child(_child(root, "channel") or root, "title"))
    items = [el for el in root.iter() if _local(el.tag) in {"item", "entry"}]
    if not items:
        raise InputError("no <item> or <entry> in the feed", hint="is this an RSS or Atom file?")
    for number, item in enumerate(items, start=1):
        where = f"{source}#item{number}"
        try:
            yield feed_item(where, item, channel_title)
        except InputError as err:
            yield Rejected(where, "ingest", err.message)


def parse_xml(source: str, data: bytes) -> Element:
    if not data.strip():
        raise InputError("empty file", hint="nothing to read")
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException as err:
        raise InputError(f"unsafe XML refused ({type(err).__name__})",
                         hint="feeds with DTDs or entity declarations are not read") from None
    except ParseError as err:
        raise InputError(f"malformed XML ({err})") from None
    except LookupError as err:  # an encoding the XML declaration names but Python lacks
        raise InputError(f"malformed XML ({err})") from None
    if _local(root.tag) not in {"rss", "feed", "RDF", "channel"}:
        raise InputError(f"XML root <{_local(root.tag)}> is not an RSS or Atom feed")
    return root


def feed_item(where: str, item: Element, channel_title: str | None) -> Article:
    body = ""
    for tag in _CONTENT_TAGS:
        body = _text(_child(item, tag)) or ""
        if body.strip():
            break
    link = _link(item)
    published = next((_text(_child(item, t)) for t in ("pubDate", "published", "updated", "date")
                      if _child(item, t) is not None), None)
    is_html = looks_like_html(body)
    content = f"<html><body><article>{body}</article></body></html>" if is_html else body
    article = make_article(link or where, "feed", content, is_html=is_html, url=link,
                           outlet=channel_title, title=_text(_child(item, "title")),
                           published=published)
    return article if is_html else with_metadata(article)  # HTML's is read once it is cleaned


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(el: Element | None, name: str) -> Element | None:
    if el is None:
        return None
    return next((c for c in el if _local(c.tag) == name), None)


def _text(el: Element | None) -> str | None:
    if el is None:
        return None
    text = "".join(el.itertext()).strip()
    return text or None


def _link(item: Element) -> str | None:
    for el in item:
        if _local(el.tag) != "link":
            continue
        href = el.get("href")
        if href and el.get("rel", "alternate") == "alternate":
            return href.strip()
        if (el.text or "").strip():
            return (el.text or "").strip()
    return None
