"""Readers: every format to the same Article record; bad input to one clear Rejected line."""

from __future__ import annotations

import gzip
import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from corroborate.errors import Rejected
from corroborate.ingest import expand, read_all, read_bytes, sniff
from corroborate.metadata import is_headline
from corroborate.records import Article
from corroborate.settings import Settings

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="{charset}">
<title>Harbour pilots walk out | The Lantern</title>
<meta property="og:site_name" content="The Lantern">
<meta property="og:title" content="Harbour pilots walk out at Port Averly">
<meta property="article:published_time" content="2026-03-04T09:30:00Z">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour pilots walk out at Port Averly</h1>
<p>Harbour pilots at Port Averly walked off the job on Tuesday, halting traffic for {n} ships.</p>
<p>The pilots' union said the {price} offer from the port authority was an insult to its members.</p>
</article><footer>Copyright 2026 The Lantern. All rights reserved.</footer></body></html>"""


def items(inputs: list[str], settings: Settings) -> list[Article | Rejected]:
    return list(read_all(inputs, settings))


def only(inputs: list[str], settings: Settings) -> Article:
    found = items(inputs, settings)
    assert len(found) == 1 and isinstance(found[0], Article), found
    return found[0]


def test_text_title_byline_and_content_hash(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "pilots.txt"
    path.write_text("Harbour Pilots Walk Out at Port Averly\n"
                    "By Ada Moss | The Lantern | March 4, 2026\n\n"
                    "Harbour pilots walked off the job on Tuesday.\n")
    a = only([str(path)], settings)
    assert (a.title, a.outlet, a.published) == (
        "Harbour Pilots Walk Out at Port Averly", "The Lantern", "2026-03-04")
    assert a.source == str(path) and a.format == "text" and a.id.startswith("a-")
    path2 = tmp_path / "copy.txt"
    path2.write_bytes(path.read_bytes())
    assert only([str(path2)], settings).id == a.id


def test_a_sentence_is_not_a_headline() -> None:
    body = {"carney", "heads", "washington", "talks", "follow", "move", "impose", "tariff"}
    assert is_headline("Carney Heads to Washington for Talks", body)
    assert not is_headline("The talks follow a move to impose a 35% tariff on goods from the north "
                           "and its ports, officials said on Monday evening.", body)


def test_html_metadata_and_declared_cp1252(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.format(charset="windows-1252", n=40, price="€2m").encode("cp1252"))
    a = only([str(path)], settings)
    assert a.is_html and a.outlet == "The Lantern" and a.published == "2026-03-04"
    assert "Harbour pilots walk out" in (a.title or "")
    assert "€2m" in a.content  # decoded as cp1252, not mangled


def test_undeclared_legacy_encoding_is_detected(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "old.txt"
    text = ("Les pilotes du port ont cessé le travail mardi après l'échec des négociations. "
            "Le syndicat a qualifié l'offre de « décevante » et réclame une hausse générale.\n")
    path.write_bytes(text.encode("latin-1"))
    assert "cessé le travail" in only([str(path)], settings).content


def test_jsonl_lines_and_one_bad_line(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "dump.jsonl"
    good = {"url": "https://lantern.example/pilots", "title": "Pilots strike",
            "outlet": "The Lantern", "published": "2026-03-04",
            "text": "Harbour pilots walked off the job on Tuesday at Port Averly."}
    html = {"html": PAGE.format(charset="utf-8", n=12, price="$3m")}
    path.write_text(json.dumps(good) + "\n{not json\n" + json.dumps(html) + "\n"
                    + json.dumps({"title": "no body"}) + "\n")
    found = items([str(path)], settings)
    arts = [f for f in found if isinstance(f, Article)]
    bad = [f for f in found if isinstance(f, Rejected)]
    assert [a.source for a in arts] == ["https://lantern.example/pilots", f"{path}:3"]
    assert arts[0].outlet == "The Lantern" and arts[1].is_html and arts[1].outlet == "The Lantern"
    assert [b.source for b in bad] == [f"{path}:2", f"{path}:4"]
    assert "malformed JSON" in bad[0].reason and "no 'text' or 'html'" in bad[1].reason


def test_stdin_is_jsonl(settings: Settings) -> None:
    stdin = io.BytesIO(json.dumps({"text": "Pilots walked out on Tuesday at the port."}).encode())
    found = list(read_all(["-"], settings, stdin=stdin))
    assert isinstance(found[0], Article) and found[0].source == "-:1"


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>The Lantern</title>
<item><title>Pilots strike</title><link>https://lantern.example/a</link>
<pubDate>Wed, 04 Mar 2026 09:30:00 GMT</pubDate>
<description>&lt;p&gt;Harbour pilots walked off the job on Tuesday.&lt;/p&gt;&lt;p&gt;Traffic stopped.&lt;/p&gt;</description></item>
<item><title>Talks resume</title><link>https://lantern.example/b</link>
<content:encoded><![CDATA[<p>Talks between the pilots and the port resumed on Friday.</p>]]></content:encoded></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Averly Courier</title>
<entry><title>Port reopens</title><link rel="alternate" href="https://courier.example/x"/>
<published>2026-03-09T08:00:00Z</published>
<content type="html">&lt;p&gt;The port reopened on Monday after the pilots accepted a deal.&lt;/p&gt;</content>
</entry></feed>"""


def test_rss_and_atom_items(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "f.rss").write_text(RSS)
    (tmp_path / "f.atom").write_text(ATOM)
    found = items([str(tmp_path)], settings)
    assert all(isinstance(f, Article) for f in found), found
    by_source = {a.source: a for a in found if isinstance(a, Article)}
    a, b, c = (by_source[u] for u in ("https://lantern.example/a", "https://lantern.example/b",
                                      "https://courier.example/x"))
    assert (a.outlet, a.title, a.published, a.is_html) == (
        "The Lantern", "Pilots strike", "2026-03-04", True)
    assert "resumed on Friday" in b.content
    assert (c.outlet, c.published) == ("Averly Courier", "2026-03-09")


@pytest.mark.parametrize("payload", [
    """<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
<rss><channel><item><title>&lol2;</title><description>x</description></item></channel></rss>""",
    """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>&xxe;</title><description>x</description></item></channel></rss>""",
])
def test_xml_attacks_are_refused(tmp_path: Path, settings: Settings, payload: str) -> None:
    path = tmp_path / "evil.xml"
    path.write_text(payload)
    (bad,) = items([str(path)], settings)
    assert isinstance(bad, Rejected) and "unsafe XML refused" in bad.reason


def test_warc_html_responses(tmp_path: Path, settings: Settings) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, ctype, body in [
            ("https://lantern.example/p", "text/html; charset=utf-8",
             PAGE.format(charset="utf-8", n=9, price="$1m").replace(
                 '<meta property="article:published_time" content="2026-03-04T09:30:00Z">', "")),
            ("https://lantern.example/logo.png", "image/png", "\x89PNG"),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode()),
                                               http_headers=headers,
                                               warc_headers_dict={"WARC-Date": "2026-03-05T10:00:00Z"})
            writer.write_record(record)
    (a,) = items([str(path)], settings)
    assert isinstance(a, Article)
    assert (a.source, a.url, a.format, a.published) == (
        "https://lantern.example/p", "https://lantern.example/p", "warc", "2026-03-05")


def test_bad_files_are_named_with_a_reason(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (tmp_path / "huge.txt").write_text("word " * 300)
    (tmp_path / "broken.xml").write_text("<rss><channel><item>")
    small = settings.with_(max_bytes=1000)
    found = items([str(tmp_path), str(tmp_path / "missing.txt"), str(tmp_path / "*.nothing")],
                  small)
    reasons = {Path(r.source).name: r.reason for r in found if isinstance(r, Rejected)}
    assert not [f for f in found if isinstance(f, Article)]
    assert "empty file" in reasons["empty.txt"]
    assert "binary" in reasons["blob.txt"]
    assert "over the 1,000-byte limit" in reasons["huge.txt"]
    assert "malformed XML" in reasons["broken.xml"]
    assert "no such file" in reasons["missing.txt"]
    assert "no file matches" in reasons["*.nothing"]


def test_folders_are_recursive_and_ordered(tmp_path: Path) -> None:
    for rel in ("b/2.txt", "a/1.html", "a/z.jsonl", "notes.pdf", ".hidden/x.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    found = [e for e in expand([str(tmp_path)]) if not isinstance(e, Rejected)]
    assert [(Path(s).relative_to(tmp_path).as_posix(), k) for s, k in found] == [
        ("a/1.html", "html"), ("a/z.jsonl", "jsonl"), ("b/2.txt", "text")]
    globbed = [e for e in expand([str(tmp_path / "**" / "*.txt")])]
    assert [Path(s).name for s, _ in globbed] == ["2.txt"]  # type: ignore[misc]


def test_a_folder_without_articles_is_named(tmp_path: Path) -> None:
    (tmp_path / "notes.pdf").write_text("x")
    (bad,) = list(expand([str(tmp_path)]))
    assert isinstance(bad, Rejected) and "no article files in this folder" in bad.reason


def test_sniffing_unknown_extensions() -> None:
    assert sniff(b"  <!doctype html><html>") == "html"
    assert sniff(b'<?xml version="1.0"?><rss>') == "feed"
    assert sniff(b'{"text": "x"}\n') == "jsonl"
    assert sniff(b"WARC/1.0\r\n") == "warc"
    assert sniff(b"Plain words.") == "text"


# --- URLs, against a local server --------------------------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        routes = {
            "/page": (200, "text/html; charset=utf-8",
                      PAGE.format(charset="utf-8", n=7, price="$4m").encode()),
            "/big": (200, "text/plain", b"x" * 5000),
            "/gz": (200, "text/plain", gzip.compress(b"y" * 5000)),
            "/moved": (302, "text/html", b""),
        }
        if self.path == "/drip":  # headers at once, then a byte every 0.1 s
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
            return
        if self.path == "/escape":  # to an address inside the network
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{self.server.server_address[1]}/page")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/gzip-bomb":  # 10 MB of zeros in 10 kB, sent compressed regardless
            body = gzip.compress(b"\0" * 10_000_000)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path not in routes:
            self.send_error(404, "Not Found")
            return
        status, ctype, body = routes[self.path]
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if status == 302:
            self.send_header("Location", "/page")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_url_is_fetched_with_redirects(server: str, settings: Settings) -> None:
    local = settings.with_(allow_private_urls=True)
    a = only([f"{server}/moved"], local)
    assert a.source == f"{server}/moved" and a.outlet == "The Lantern" and a.is_html


def test_url_failures_are_clear(server: str, settings: Settings) -> None:
    local = settings.with_(allow_private_urls=True, max_bytes=1000)
    found = items([f"{server}/missing", f"{server}/big", "ftp://example.invalid/x"], local)
    reasons = [r.reason for r in found if isinstance(r, Rejected)]
    assert len(reasons) == 3
    assert "HTTP 404" in reasons[0]
    assert "over the 1,000-byte limit" in reasons[1]
    assert "only http and https" in reasons[2]


def test_private_addresses_are_refused_by_default(server: str, settings: Settings) -> None:
    (bad,) = items([f"{server}/page"], settings)
    assert isinstance(bad, Rejected) and "loopback" in bad.reason
    assert "allow_private_urls" in bad.reason


def test_a_slow_drip_is_cut_off_at_the_time_limit(server: str, settings: Settings) -> None:
    quick = settings.with_(allow_private_urls=True, fetch_timeout=1.0)
    started = time.monotonic()
    (bad,) = items([f"{server}/drip"], quick)
    assert isinstance(bad, Rejected) and "within 1 s" in bad.reason
    assert time.monotonic() - started < 3


def test_a_redirect_into_the_network_is_refused(server: str, settings: Settings,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A public page that redirects to a private address (SSRF through a redirect)."""
    import socket

    from corroborate.ingest import url

    real_check, real_resolve = url.check_address, socket.getaddrinfo
    port = int(server.rsplit(":", 1)[1])

    def check(target: str, s: Settings) -> None:
        if "public.test" not in target:
            real_check(target, s)

    def resolve(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        return real_resolve("127.0.0.1" if host == "public.test" else host, *args, **kwargs)

    monkeypatch.setattr(url, "check_address", check)
    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    (bad,) = items([f"http://public.test:{port}/escape"], settings)
    assert isinstance(bad, Rejected) and "loopback" in bad.reason, bad


def test_a_compressed_answer_is_never_expanded(server: str, settings: Settings) -> None:
    local = settings.with_(allow_private_urls=True, max_bytes=100_000)
    (bad,) = items([f"{server}/gzip-bomb"], local)  # read as its 10 kB of bytes: binary
    assert isinstance(bad, Rejected) and "binary" in bad.reason


def test_url_timeout(settings: Settings) -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    try:
        port = listener.getsockname()[1]
        quick = settings.with_(allow_private_urls=True, fetch_timeout=0.5)
        (bad,) = items([f"http://127.0.0.1:{port}/slow"], quick)
        assert isinstance(bad, Rejected) and ("timed out" in bad.reason or "0.5 s" in bad.reason)
    finally:
        listener.close()


def test_read_bytes_sniffs_without_a_name(settings: Settings) -> None:
    (a,) = list(read_bytes("mem", b"Averly Port Reopens\n\nThe port of Averly reopened on Monday.", "sniff",
                           settings))
    assert isinstance(a, Article) and a.title == "Averly Port Reopens"
