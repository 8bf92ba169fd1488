"""WARC archives (warcio): each HTML response record is an article, with its target URL as the
source and the fetch date as the fallback publication date."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from ..errors import InputError, Rejected
from ..records import Article
from .common import decode, iso_date
from .html import read_html


def read_warc(source: str, stream: BinaryIO, max_bytes: int) -> Iterator[Article | Rejected]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    found = 0
    peek = getattr(stream, "peek", None)  # files are buffered; bytes in memory are sniffed WARC
    if peek is not None and not peek(4096)[:4096].strip():
        raise InputError("empty file", hint="nothing to read")
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            if "html" not in ctype:
                continue
            found += 1
            url = record.rec_headers.get_header("WARC-Target-URI") or f"{source}#record{found}"
            body = record.content_stream().read(max_bytes + 1)
            if len(body) > max_bytes:
                yield Rejected(url, "ingest", f"record is over the {max_bytes:,}-byte limit")
                continue
            try:
                charset = ctype.split("charset=", 1)[1].split(";")[0].strip() \
                    if "charset=" in ctype else None
                html = decode(body, declared=charset)
                fetched = iso_date(record.rec_headers.get_header("WARC-Date"))
                yield from read_html(url, html, fmt="warc", url=url, fetched=fetched)
            except InputError as err:
                yield Rejected(url, "ingest", err.message)
    except ArchiveLoadFailed as err:
        raise InputError(f"not a readable WARC file ({err})") from None
    if not found:
        raise InputError("no HTML response records in the WARC file")
