"""http(s) URLs: fetched within a time limit (for the whole answer), a size cap and a redirect
limit; loopback, private and link-local addresses are refused, also as a redirect's target, unless
``allow_private_urls`` is set. The fetch function is a seam: tests and other callers pass their
own."""

from __future__ import annotations

import ipaddress
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..errors import FetchError, Rejected
from ..records import Article
from ..settings import Settings

USER_AGENT = "corroborate/0.1 (+https://example.invalid/corroborate)"


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    content_type: str
    body: bytes


Fetcher = Callable[[str, Settings], Response]


def fetch(url: str, settings: Settings) -> Response:
    """GET ``url`` with urllib; raises FetchError with the reason."""
    check_address(url, settings)
    opener = urllib.request.build_opener(_Redirects(settings))
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                   "Accept-Encoding": "identity"})
    deadline = time.monotonic() + settings.fetch_timeout
    try:
        with opener.open(request, timeout=settings.fetch_timeout) as reply:
            length = reply.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > settings.max_bytes:
                raise FetchError(f"response is {int(length):,} bytes, over the "
                                 f"{settings.max_bytes:,}-byte limit", source=url)
            body = _read_until(reply, settings.max_bytes + 1, deadline, url, settings)
            if len(body) > settings.max_bytes:
                raise FetchError(f"response is over the {settings.max_bytes:,}-byte limit",
                                 source=url)
            return Response(reply.geturl(), reply.headers.get("Content-Type", ""), body)
    except urllib.error.HTTPError as err:
        raise FetchError(f"HTTP {err.code} {err.reason}", source=url) from None
    except urllib.error.URLError as err:
        raise FetchError(f"cannot fetch ({err.reason})", source=url) from None
    except TimeoutError:
        raise FetchError(f"no answer within {settings.fetch_timeout:g} s", source=url,
                         hint="raise fetch_timeout") from None
    except (OSError, ValueError) as err:
        raise FetchError(f"cannot fetch ({err})", source=url) from None


def _read_until(reply: Any, limit: int, deadline: float, url: str, settings: Settings) -> bytes:
    """At most ``limit`` bytes of the body, in pieces, by the deadline (a server that sends a
    byte now and then never trips the per-read timeout, but does trip this)."""
    parts: list[bytes] = []
    size = 0
    while size < limit:
        if time.monotonic() > deadline:
            raise FetchError(f"no complete answer within {settings.fetch_timeout:g} s", source=url,
                             hint="raise fetch_timeout")
        piece = reply.read1(min(1 << 16, limit - size)) if hasattr(reply, "read1") \
            else reply.read(min(1 << 16, limit - size))
        if not piece:
            break
        parts.append(piece)
        size += len(piece)
    return b"".join(parts)


def check_address(url: str, settings: Settings) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError("only http and https URLs are fetched", source=url)
    if settings.allow_private_urls:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except socket.gaierror as err:
        raise FetchError(f"cannot resolve host {parts.hostname} ({err.strerror})",
                         source=url) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise FetchError(f"refused: {parts.hostname} is a private, loopback or link-local "
                             f"address ({address})", source=url,
                             hint="set allow_private_urls to fetch it")


class _Redirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.max_redirections = settings.max_redirects  # type: ignore[misc]

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_address(newurl, self.settings)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def read_url(url: str, settings: Settings, fetcher: Fetcher | None = None
             ) -> Iterator[Article | Rejected]:
    from . import read_bytes

    reply = (fetcher or fetch)(url, settings)
    kind = kind_of_content(reply.content_type, reply.body)
    yield from read_bytes(url, reply.body, kind, settings)


def kind_of_content(content_type: str, body: bytes) -> str:
    ctype = content_type.lower()
    if "html" in ctype:
        return "html"
    if any(t in ctype for t in ("rss", "atom", "xml")):
        return "feed"
    if "json" in ctype:
        return "jsonl"
    return "sniff"
