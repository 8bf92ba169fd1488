"""Readers: from paths, folders, globs, URLs and stdin to Article records.

:func:`expand` turns what the user gave into ``(source, kind)`` pairs; :func:`read_source` reads
one of them and yields Articles, or a :class:`~corroborate.errors.Rejected` record naming the input
and the reason. Nothing here raises past the reader boundary.
"""

from __future__ import annotations

import glob
import io
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError, Rejected
from ..records import Article
from ..settings import Settings
from .feed import read_feed
from .html import read_html
from .jsonl import from_record, read_jsonl
from .text import read_text
from .url import Fetcher, read_url
from .warc import read_warc

__all__ = ["expand", "read_source", "read_bytes", "read_data", "read_all", "from_record",
           "EXTENSIONS"]

EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
    ".warc": "warc", ".warc.gz": "warc",
}

Item = Article | Rejected


def kind_of_path(path: str) -> str:
    name = path.lower()
    for ext, kind in EXTENSIONS.items():
        if name.endswith(ext):
            return kind
    return "sniff"


def expand(inputs: Iterable[str]) -> Iterator[tuple[str, str] | Rejected]:
    """Each input as ``(source, kind)``; folders recursively, in a stable order."""
    for given in inputs:
        if given == "-":
            yield ("-", "stdin")
        elif re.match(r"^[a-z][a-z0-9+.-]*://", given, re.I):
            yield (given, "url")
        elif glob.has_magic(given):
            matches = sorted(glob.glob(given, recursive=True))
            if not matches:
                yield Rejected(given, "ingest", "no file matches this pattern")
            for match in matches:
                yield from _path(match, explicit=False)
        else:
            yield from _path(given, explicit=True)


def _path(given: str, explicit: bool) -> Iterator[tuple[str, str] | Rejected]:
    path = Path(given)
    if path.is_dir():
        found = 0
        for root, dirs, files in os.walk(given):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                full = os.path.join(root, name)
                if not name.startswith(".") and kind_of_path(name) != "sniff":
                    found += 1
                    yield (full, kind_of_path(name))
        if not found and explicit:
            yield Rejected(given, "ingest", "no article files in this folder (looked for "
                           + ", ".join(sorted(EXTENSIONS)) + ")")
    elif path.is_file():
        yield (given, kind_of_path(given))
    elif explicit:
        yield Rejected(given, "ingest", "no such file or directory")


def read_source(source: str, kind: str, settings: Settings, fetcher: Fetcher | None = None,
                stdin: BinaryIO | None = None) -> Iterator[Item]:
    """Read one input; every failure becomes a Rejected record."""
    try:
        if kind == "url":
            yield from read_url(source, settings, fetcher)
        elif kind == "stdin":
            yield from read_jsonl("-", stdin or sys.stdin.buffer, settings.max_bytes)
        elif kind in {"jsonl", "warc"}:
            with open(source, "rb") as stream:
                yield from _stream(source, stream, kind, settings)
        else:
            size = os.path.getsize(source)
            if size > settings.max_bytes:
                raise InputError(f"file is {size:,} bytes, over the {settings.max_bytes:,}-byte "
                                 "limit", hint="raise max_bytes to accept it")
            with open(source, "rb") as stream:
                data = stream.read()
            yield from read_bytes(source, data, kind, settings)
    except Exception as err:  # noqa: BLE001 - one bad input never stops the batch
        yield rejected(source, err)


def read_data(source: str, data: bytes, kind: str, settings: Settings) -> Iterator[Item]:
    """:func:`read_bytes` behind the reader boundary: every failure is a Rejected record."""
    try:
        yield from read_bytes(source, data, kind, settings)
    except Exception as err:  # noqa: BLE001 - one bad input never stops the batch
        yield rejected(source, err)


def rejected(source: str, err: Exception) -> Rejected:
    """The one-line record of why an input could not be read."""
    if isinstance(err, InputError):
        return Rejected(source, "ingest", _reason(err))
    if isinstance(err, OSError):
        return Rejected(source, "ingest", f"cannot read ({err.strerror or err})")
    return Rejected(source, "ingest", f"unexpected {type(err).__name__}: {err}")


def read_bytes(source: str, data: bytes, kind: str, settings: Settings) -> Iterator[Item]:
    if kind == "sniff":
        kind = sniff(data)
    if kind in {"jsonl", "warc"}:
        yield from _stream(source, io.BytesIO(data), kind, settings)
    elif kind == "feed":
        yield from read_feed(source, data)
    elif kind == "html":
        yield from read_html(source, data)
    else:
        yield from read_text(source, data)


def _stream(source: str, stream: BinaryIO, kind: str, settings: Settings) -> Iterator[Item]:
    if kind == "warc":
        yield from read_warc(source, stream, settings.max_bytes)
    else:
        yield from read_jsonl(source, stream, settings.max_bytes)


def sniff(data: bytes) -> str:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"warc/"):
        return "warc"
    if head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head:
        return "html" if b"<html" in head else "feed"
    if head.startswith(b"<"):
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "text"


def read_all(inputs: Iterable[str], settings: Settings, fetcher: Fetcher | None = None,
             stdin: BinaryIO | None = None) -> Iterator[Item]:
    for entry in expand(inputs):
        if isinstance(entry, Rejected):
            yield entry
        else:
            yield from read_source(*entry, settings, fetcher=fetcher, stdin=stdin)


def _reason(err: InputError) -> str:
    return err.message + (f" ({err.hint})" if err.hint else "")
