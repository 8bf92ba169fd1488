"""JSON Lines dumps: one article per line with ``text`` or ``html`` and optional ``url``,
``title``, ``outlet``, ``published``. A bad line is rejected on its own; the other lines go on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from ..errors import InputError, Rejected
from ..metadata import with_metadata
from ..records import Article
from .common import make_article
from .html import html_metadata

FIELDS = ("text", "html", "url", "title", "outlet", "published")


def read_jsonl(source: str, stream: BinaryIO, max_bytes: int) -> Iterator[Article | Rejected]:
    seen_any = False
    for number, raw in enumerate(bounded_lines(stream, max_bytes), start=1):
        if raw is not None and not raw.strip():
            continue
        seen_any = True
        where = f"{source}:{number}"
        if raw is None:
            yield Rejected(where, "ingest", f"line is over the {max_bytes:,}-byte limit "
                           "(raise max_bytes to accept it)")
            continue
        try:
            yield from_record(where, parse_line(raw))
        except InputError as err:
            yield Rejected(where, "ingest", err.message + (f" ({err.hint})" if err.hint else ""))
        except Exception as err:  # noqa: BLE001 - one bad line never loses the other lines
            yield Rejected(where, "ingest", f"unexpected {type(err).__name__}: {err}")
    if not seen_any:
        yield Rejected(source, "ingest", "empty file (no JSON lines)")


def bounded_lines(stream: BinaryIO, max_bytes: int, chunk: int = 1 << 20
                  ) -> Iterator[bytes | None]:
    """The lines of ``stream``; a line longer than ``max_bytes`` is skipped without being held
    in memory and yields None instead (an enormous line without a newline would
    otherwise be read whole)."""
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        if len(line) <= max_bytes or (len(line) == max_bytes + 1 and line.endswith(b"\n")):
            yield line
            continue
        while line and not line.endswith(b"\n"):  # skip the rest of the long line
            line = stream.readline(chunk)
        yield None


def parse_line(raw: bytes) -> dict[str, object]:
    try:
        record = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError("line is not UTF-8", hint="JSON Lines must be UTF-8") from None
    except json.JSONDecodeError as err:
        raise InputError(f"malformed JSON ({err.msg} at column {err.colno})") from None
    if not isinstance(record, dict):
        raise InputError("a line must hold a JSON object",
                         hint="one object per line with 'text' or 'html'")
    return record


def from_record(where: str, record: dict[str, object]) -> Article:
    """One article from a mapping with the JSONL fields (also used by the HTTP API)."""
    fields: dict[str, str] = {}
    for name in FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(f"field '{name}' must be a string, not {type(value).__name__}")
        if isinstance(value, str) and value.strip():
            fields[name] = value
    if "text" not in fields and "html" not in fields:
        raise InputError("no 'text' or 'html' field with content",
                         hint="each line needs 'text' or 'html'")
    url = fields.get("url")
    source = url or where
    if "text" not in fields:
        meta = html_metadata(fields["html"], url)
        return make_article(source, "jsonl", fields["html"], is_html=True, url=url,
                            outlet=fields.get("outlet") or meta.get("sitename"),
                            title=fields.get("title") or meta.get("title"),
                            published=fields.get("published") or meta.get("date"))
    return with_metadata(make_article(source, "jsonl", fields["text"], is_html=False, url=url,
                                      outlet=fields.get("outlet"), title=fields.get("title"),
                                      published=fields.get("published")))
