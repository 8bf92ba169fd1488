"""Hostile and broken input: property-based tests (hypothesis) that nothing raises past the reader
boundary, that every failure is one clear line naming its input, and that the cleaner, the NLP
stage and the claim extractors take whatever the readers let through. The long run of the same
properties (100,000+ inputs) is benchmarks/fuzz_readers.py; its figures are in docs/reliability.md."""

from __future__ import annotations

import io
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from corroborate.clean import clean
from corroborate.errors import Rejected
from corroborate.ingest import read_all
from corroborate.ingest.jsonl import bounded_lines, read_jsonl
from corroborate.quantities import find_quantities
from corroborate.records import Article
from corroborate.settings import Settings

from . import strategies as S

SETTINGS = Settings(progress=False, max_bytes=200_000)
# The same examples on every run (CI must be repeatable); benchmarks/fuzz_readers.py explores.
EXAMPLES = hsettings(max_examples=150, deadline=None, database=None, derandomize=True,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def read_file(name: str, data: bytes, settings: Settings = SETTINGS) -> tuple[str, list]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return str(path), list(read_all([str(path)], settings))


def check_boundary(path: str, items: list, kind: str) -> list[Article]:
    """Only articles and one-line rejections that name the input; no crash caught by the
    reader's last-resort handler (that would be a bug the reader let through)."""
    assert items, "every input gives an article or a reason"
    for item in items:
        assert isinstance(item, Article | Rejected)
        if isinstance(item, Rejected):
            assert item.reason and "\n" not in item.reason, item
            assert not item.reason.startswith("unexpected"), item
            if kind != "warc":  # a WARC record is named by its target URL
                assert item.source.startswith(path), item
        else:
            assert item.id.startswith("a-") and isinstance(item.content, str)
            assert "\x00" not in item.content
    return [i for i in items if isinstance(i, Article)]


def check_clean(article: Article) -> None:
    cleaned = clean(article, SETTINGS)
    assert all(p.strip() for p in cleaned.paragraphs)
    if not article.is_html:  # plain text: nothing kept that the input did not say
        said = set(article.content.split())
        assert all(set(p.split()) <= said for p in cleaned.paragraphs)


READERS = {  # kind: (file name, inputs)
    "html": ("page.html", S.html_bytes),
    "feed": ("feed.xml", S.feed_bytes),
    "jsonl": ("dump.jsonl", S.jsonl_bytes),
    "text": ("story.txt", S.text_bytes),
    "sniff": ("no-extension", st.one_of(S.raw_bytes, S.text_bytes, S.html_bytes, S.feed_bytes,
                                        S.jsonl_bytes)),
}


@pytest.mark.parametrize("kind", sorted(READERS))
@EXAMPLES
@given(data=st.data())
def test_every_reader_and_the_cleaner_take_anything(kind: str, data: st.DataObject) -> None:
    name, inputs = READERS[kind]
    path, items = read_file(name, data.draw(inputs))
    for article in check_boundary(path, items, kind):
        check_clean(article)


@EXAMPLES
@given(st.one_of(S.raw_bytes.map(lambda b: b"WARC/1.0\r\n" + b), S.raw_bytes))
def test_warc_reader_takes_anything(data: bytes) -> None:
    path, items = read_file("crawl.warc", data)
    check_boundary(path, items, "warc")


CHROME_LINES = st.sampled_from([
    "Also Read: Ten things to do this winter", "Sign up for our newsletter to get the news in your inbox",
    "Leave a Reply", "Your email address will not be published.", "Share this article",
    "© 2026 Averly Courier. All rights reserved.", "Advertisement", "Tags: ferries, islands",
    "Photo: A ferry leaves the harbour (Courier/File)", "Read More", "Follow us on X",
    "Comments (12)", "Most Read", "Privacy Policy | Terms of Use | Cookies",
])


@EXAMPLES
@given(st.lists(CHROME_LINES, min_size=1, max_size=12),
       st.sampled_from(["text", "html"]))
def test_a_document_of_only_boilerplate_keeps_nothing_and_says_why(lines: list[str],
                                                                   kind: str) -> None:
    if kind == "html":
        data = "<html><body>" + "".join(f"<div>{ln}</div>" for ln in lines) + "</body></html>"
    else:
        data = "\n\n".join(lines)
    path, items = read_file(f"chrome.{'html' if kind == 'html' else 'txt'}", data.encode())
    for article in check_boundary(path, items, kind):
        cleaned = clean(article, SETTINGS)
        assert cleaned.text == ""
        assert set(lines) <= set(cleaned.boilerplate) | {article.title}  # each line accounted for


@pytest.mark.parametrize("name", ["a.txt", "a.html", "a.xml", "a.jsonl", "a.warc"])
@pytest.mark.parametrize("data", [b"", b"   \n\t\n", b"\x00\x01\x02" * 100])
def test_empty_and_binary_files_are_named_with_a_reason(name: str, data: bytes) -> None:
    path, items = read_file(name, data)
    assert [type(i) for i in items] == [Rejected]
    reason = items[0].reason
    assert items[0].source.startswith(path)
    assert any(w in reason for w in ("empty", "binary", "malformed", "not a readable")), reason


def test_deeply_nested_html_keeps_its_paragraph() -> None:
    body = "Officials said the bridge would reopen on Friday after three weeks of repairs."
    page = ("<html><body>" + "<div><span>" * 5000 + f"<p>{body}</p>" + "</span></div>" * 5000
            + "</body></html>")
    path, items = read_file("deep.html", page.encode())
    (article,) = check_boundary(path, items, "html")
    assert body in clean(article, SETTINGS).text


def test_an_enormous_line_is_read_within_the_size_limit() -> None:
    line = "word " * 150_000  # 750 kB on one line, no newline
    path, items = read_file("long.txt", line.encode(), SETTINGS.with_(max_bytes=1_000_000))
    (article,) = check_boundary(path, items, "text")
    assert clean(article, SETTINGS).text.count("word") == 150_000
    path, items = read_file("long.txt", line.encode())  # over the 200 kB limit
    assert [type(i) for i in items] == [Rejected] and "200,000-byte limit" in items[0].reason


class Endless(io.RawIOBase):
    """A stream of ``size`` bytes of one line without a newline, then a good JSON line; counts
    the largest single read, which must stay bounded however long the line is."""

    def __init__(self, size: int) -> None:
        self.left, self.tail, self.largest = size, b'\n{"text": "The ferry sails at noon."}\n', 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
        n = min(len(buffer), self.left) if self.left else min(len(buffer), len(self.tail))
        if self.left:
            buffer[:n] = b"x" * n
            self.left -= n
        else:
            buffer[:n] = self.tail[:n]
            self.tail = self.tail[n:]
        self.largest = max(self.largest, n)
        return n


def test_an_enormous_jsonl_line_is_skipped_without_holding_it() -> None:
    stream = Endless(64 << 20)  # a 64 MiB line
    items = list(read_jsonl("dump.jsonl", io.BufferedReader(stream), 10_000))
    assert isinstance(items[0], Rejected) and items[0].source == "dump.jsonl:1"
    assert "over the 10,000-byte limit" in items[0].reason
    assert isinstance(items[1], Article) and items[1].content == "The ferry sails at noon."
    assert stream.largest <= 1 << 20  # read in bounded pieces


def test_bounded_lines_keep_a_line_of_exactly_the_limit() -> None:
    lines = list(bounded_lines(io.BytesIO(b"abc\nabcd\nabcde"), 4))
    assert lines == [b"abc\n", b"abcd\n", None]


@pytest.mark.parametrize("attack", S.XML_ATTACKS)
def test_xml_attacks_are_refused_with_a_reason(attack: str) -> None:
    path, items = read_file("feed.xml", attack.encode())
    assert [type(i) for i in items] == [Rejected]
    assert "DTD" in items[0].reason or "entit" in items[0].reason, items[0].reason


@EXAMPLES
@given(st.lists(S.quantity_phrase, min_size=1, max_size=5).map(" and ".join))
def test_quantities_in_every_format_are_found_in_place_or_not_at_all(text: str) -> None:
    found = find_quantities(text)
    ends = 0
    for q in found:
        assert text[q.start:q.end] == q.text and q.start >= ends  # in order, no overlap
        assert math.isfinite(q.value) and q.kind in {"percent", "money", "count"}
        ends = q.end


@pytest.mark.slow
@hsettings(max_examples=40, deadline=None, database=None, derandomize=True,
           suppress_health_check=[HealthCheck.too_slow])
@given(S.article_text)
def test_nlp_and_claims_take_anything_the_readers_let_through(text: str) -> None:
    from corroborate.nlp import analyse

    _, found = read_file("fuzz.txt", ("Headline\n\n" + text).encode("utf-8", "replace"))
    articles = [clean(a, SETTINGS) for a in found if isinstance(a, Article)]
    for article in analyse([a for a in articles if a.text]):
        sentences = article.sentences
        for s in sentences:
            assert article.text[s.start:s.end] == s.text
        for mention in (*article.entities, *article.quantities, *article.dates):
            assert 0 <= mention.sentence < len(sentences)
            assert article.text[mention.start:mention.end] == mention.text
        for q in article.quantities:
            assert math.isfinite(q.value)
        for d in article.dates:
            assert d.value is None or d.value[:4].isdigit()
        for claim in article.claims:
            assert 0 <= claim.sentence < len(sentences) and claim.value
