"""What every reader shares: decoding bytes, dates, ids and building the Article record."""

from __future__ import annotations

import codecs
import hashlib
import re
import warnings
from datetime import date, datetime

from charset_normalizer import from_bytes

from ..errors import InputError
from ..records import Article

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes, declared: str | None = None) -> str:
    """Bytes to text: BOM, then UTF-8 (also when a few bytes are invalid, as trafilatura reads
    it), then a declared charset, then detection.

    Raises InputError for empty or binary input.
    """
    if not data.strip():
        raise InputError("empty file", hint="nothing to read")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _clean_controls(data.decode(encoding, errors="replace"))
    head = data[:8192]
    if b"\x00" in head:
        raise InputError("binary file (NUL bytes), not an article",
                         hint="give text, HTML, feed, JSONL or WARC files")
    try:
        return _clean_controls(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if (text := _mostly_utf8(data)) is not None:
        return _clean_controls(text)
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    for name in (declared, match.group(1).decode("ascii") if match else None):
        if name:
            try:
                return _clean_controls(data.decode(_charset(name)))
            except (LookupError, UnicodeDecodeError):
                continue
    best = from_bytes(data).best()
    if best is None:
        raise InputError("binary or undecodable content, not text",
                         hint="give text, HTML, feed, JSONL or WARC files")
    return _clean_controls(str(best))


_UTF8_PER_INVALID = 10


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few invalid bytes (a page pasted together from two sources, a truncated
    character), decoded with those bytes replaced; None when the invalid sequences are more than one
    in ten of the non-ASCII characters (then it is another charset, and UTF-8 would garble it).

    This is how trafilatura reads such a page: its charset guesses exclude UTF-8, find nothing
    and fall back to UTF-8 with replacement. A charset detector on the same bytes picks a legacy
    charset and turns every accented letter into two wrong ones."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - data.count("\ufffd".encode())
    valid = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    return text if valid >= _UTF8_PER_INVALID * max(invalid, 1) else None


# The WHATWG Encoding Standard's reading of legacy labels, as browsers decode them: each label
# names the superset that pages under it really use.
_WHATWG = {
    "iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
    "ascii": "cp1252", "iso-8859-9": "cp1254", "latin5": "cp1254", "tis-620": "cp874",
    "iso-8859-11": "cp874", "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "big5": "big5hkscs",
}


def _charset(name: str) -> str:
    name = name.lower()
    return _WHATWG.get(name, name)


def _clean_controls(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates, from JSON escapes such as "\ud800"
        text = text.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def content_id(content: str) -> str:
    # surrogatepass: a lone surrogate from a JSON escape hashes as it came
    return "a-" + hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def iso_date(value: object) -> str | None:
    """A publication date from a metadata value ('2026-03-04T09:30Z', 'Tue, 04 Mar 2026 ...')."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        try:
            return date(*map(int, match.groups())).isoformat()
        except ValueError:
            return None
    import dateparser  # slow import; only for unusual formats

    with warnings.catch_warnings():  # dateutil warns about unknown zone names on stderr
        warnings.simplefilter("ignore")
        try:
            parsed = dateparser.parse(text[:200], languages=["en"],
                                      settings={"STRICT_PARSING": True})
        except (ValueError, OverflowError):  # a date-like string no calendar holds
            return None
    return parsed.date().isoformat() if parsed else None


def make_article(source: str, fmt: str, content: str, *, is_html: bool, url: str | None = None,
                 outlet: str | None = None, title: str | None = None,
                 published: object = None) -> Article:
    article_id = content_id(content)  # of the content as given, as before it was cleaned
    content = _clean_controls(content)  # JSON and feed fields can carry any control character
    if not content.strip():
        raise InputError("no text in the article", hint="the item is empty", source=source)
    return Article(
        id=article_id,
        source=source,
        format=fmt,
        content=content,
        is_html=is_html,
        url=_tidy(url),
        outlet=_tidy(outlet),
        title=_tidy(title),
        published=iso_date(published),
    )


def _tidy(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(_clean_controls(str(value)).split())
    return text or None


def looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or bool(
        re.search(r"<(p|div|body|article|br|h1|h2|span|a)[\s>/]", head))
