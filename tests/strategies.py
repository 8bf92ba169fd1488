"""Hypothesis strategies for hostile and broken input, shared by the property tests
(tests/test_hostile_input.py) and the long fuzzing run (benchmarks/fuzz_readers.py)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

ENCODINGS = ("utf-8", "utf-16", "utf-32", "cp1252", "latin-1", "shift_jis", "koi8-r", "gb18030")

# Any character, control and private-use ones included (surrogates cannot be encoded).
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
words = st.sampled_from([
    "Minister", "tariff", "35%", "per cent", "$6.5 billion", "said", "Ottawa", "Carney", "the",
    "Also Read:", "Subscribe", "©", "Oct. 14", "\u202e", "\u200b", "\x00", "&amp;", "&#0;",
    "&#xD800;", "<", ">", "\"", "'", "“", "”", "٣٥", "３５％", "½", "1e309", "NaN", "-0", "\t",
])
prose = st.lists(st.one_of(words, any_text.map(lambda t: t[:20])), max_size=60).map(" ".join)


@st.composite
def encoded(draw: Any, text: Any = None) -> bytes:
    """Text in one of several encodings, sometimes several mixed, sometimes with stray bytes."""
    parts = draw(st.lists(st.tuples(text if text is not None else st.one_of(prose, any_text),
                                    st.sampled_from(ENCODINGS)), min_size=1, max_size=3))
    data = b"".join(t.encode(enc, errors="replace") for t, enc in parts)
    if draw(st.booleans()):
        junk = draw(st.sampled_from([b"\x00", b"\xff\xfe", b"\xc3(", b"\xed\xa0\x80", b"\x1b[2J",
                                     b"\xef\xbb\xbf", b"\r", b"\x85", b"\xf4\x90\x80\x80"]))
        at = draw(st.integers(0, len(data)))
        data = data[:at] + junk + data[at:]
    return data


raw_bytes = st.binary(max_size=3000)

TAGS = ("div", "p", "span", "a", "script", "style", "nav", "footer", "header", "article", "main",
        "h1", "h2", "li", "ul", "table", "tr", "td", "iframe", "svg", "math", "template", "form",
        "noscript", "title", "meta", "time", "aside", "figure", "br", "img", "textarea", "xmp")
ATTRS = ('class="nav"', 'onclick="alert(1)"', 'href="javascript:alert(1)"', 'style="x:expression(1)"',
         'id="main"', 'property="og:title" content="T"', 'datetime="2025-13-45"', "hidden",
         'name="author" content="&#0;"', 'src="data:text/html,<script>1</script>"', '"""', "=")


@st.composite
def html_fragment(draw: Any, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = " ".join(draw(st.lists(st.sampled_from(ATTRS), max_size=3)))
    if depth > 3 or draw(st.integers(0, 3)) == 0:
        inner = draw(prose)
    else:
        inner = "".join(draw(st.lists(html_fragment(depth=depth + 1), max_size=4)))
    close = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}", "</div></div>"]))
    return f"<{tag} {attrs}>{inner}{close}"


@st.composite
def html_page(draw: Any) -> str:
    head = draw(st.sampled_from(["", "<!DOCTYPE html>", "<?xml version='1.0'?>", "<!--",
                                 "<![CDATA[", '<meta charset="koi8-r">', "<html><head><title>"]))
    body = "".join(draw(st.lists(html_fragment(), max_size=6)))
    return head + f"<html><body>{body}</body></html>"[: draw(st.integers(0, 100_000))]


html_bytes = st.one_of(html_page().map(lambda h: h.encode("utf-8", "replace")),
                       encoded(html_page()), raw_bytes.map(lambda b: b"<html>" + b))

_FEED_FIELDS = ("title", "link", "description", "pubDate", "content:encoded", "dc:creator",
                "guid", "summary", "updated", "published", "content")


@st.composite
def feed_xml(draw: Any) -> str:
    def field() -> str:
        name = draw(st.sampled_from(_FEED_FIELDS))
        value = draw(st.one_of(prose, html_page(), st.just("<![CDATA[<p>x</p>]]>"),
                               st.just("&lt;b&gt;"), st.just("&undefined;")))
        if draw(st.booleans()):
            value = value.replace("&", "&amp;").replace("<", "&lt;")
        return f"<{name}>{value}</{name}>"

    items = "".join("<item>" + "".join(field() for _ in range(draw(st.integers(0, 5)))) + "</item>"
                    for _ in range(draw(st.integers(0, 4))))
    entries = "".join("<entry>" + "".join(field() for _ in range(draw(st.integers(0, 5))))
                      + "</entry>" for _ in range(draw(st.integers(0, 3))))
    decl = draw(st.sampled_from(["", '<?xml version="1.0" encoding="utf-8"?>',
                                 '<?xml version="1.0" encoding="iso-8859-1"?>',
                                 '<?xml version="1.1" encoding="bogus"?>']))
    root = draw(st.sampled_from([
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Feed</title>{}</channel></rss>',
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Feed</title>{}</feed>',
        "<rss><channel>{}", "<rdf:RDF>{}</rdf:RDF>", "{}"]))
    return decl + root.format(items + entries)


XML_ATTACKS = (
    # billion laughs
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><rss><channel><item><title>&lol3;</title>'
    "<description>x</description></item></channel></rss>",
    # external entity (file)
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    "<rss><channel><item><title>&x;</title><description>&x;</description></item></channel></rss>",
    # DTD retrieval
    '<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">'
    "<rss><channel><item><title>t</title><description>d</description></item></channel></rss>",
    # parameter entities
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]>'
    "<rss/>",
)

feed_bytes = st.one_of(feed_xml().map(lambda x: x.encode("utf-8", "replace")), encoded(feed_xml()),
                       st.sampled_from(XML_ATTACKS).map(str.encode),
                       raw_bytes.map(lambda b: b"<rss>" + b))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | any_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(any_text, children,
                                                                      max_size=4),
    max_leaves=12)
_JSON_FIELDS = ("text", "html", "url", "title", "outlet", "published")


@st.composite
def jsonl_record(draw: Any) -> str:
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return json.dumps(draw(json_values))
    if kind == 1:
        return draw(any_text).replace("\n", " ")
    record = {name: draw(st.one_of(prose, html_page(), json_values, any_text))
              for name in draw(st.lists(st.sampled_from(_JSON_FIELDS), max_size=6))}
    return json.dumps(record, ensure_ascii=draw(st.booleans()))


jsonl_bytes = st.one_of(
    st.lists(jsonl_record(), max_size=6).map(lambda lines: "\n".join(lines).encode("utf-8")),
    encoded(st.lists(jsonl_record(), max_size=4).map("\r\n".join)),
    raw_bytes)

text_bytes = st.one_of(encoded(), raw_bytes, prose.map(lambda t: t.encode("utf-8", "replace")))

# Numbers as news articles write them, and as they should never be written.
number_words = st.one_of(
    st.integers(-10**15, 10**15).map(str),
    st.integers(0, 10**12).map(lambda n: f"{n:,}"),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)
    .map(lambda f: f"{f:.2f}"),
    st.sampled_from(["1e309", "1e-400", "NaN", "inf", "٣٥", "３５", "½", "1,2,3", "1..5", ".5",
                     "5.", "0x1F", "1_000", "12 345", "1.000.000,50", "35.0000000000000001",
                     "9" * 400, "0" * 50 + "1", "−35", "35‰", "²", "Ⅻ", "one hundred and six",
                     "a dozen", "three-quarters", "$", "€.5bn", "£1.2tn", "C$-3m"]))
money_units = st.sampled_from(["", "$", "US$", "C$", "€", "£", "¥"])
scales = st.sampled_from(["", "m", "bn", " million", " billion", " trillion", "k", " thousand"])
tails = st.sampled_from(["", "%", " per cent", " percent", " percentage points", " workers",
                         " tonnes", " jobs", "x"])
quantity_phrase = st.builds(lambda u, n, s, t: f"{u}{n}{s}{t}", money_units, number_words, scales,
                            tails)
claim_sentence = st.builds(
    lambda who, verb, q, when: f"{who} {verb} {q} {when}.",
    st.sampled_from(["The tariff", "Finance Minister Ana Ruiz", "He", "The union", "Officials",
                     "Prime Minister Mark Carney's office", "It"]),
    st.sampled_from(["rose to", "said it was", "was cut from", "proposed", "will reach",
                     "announced", "fell by"]),
    quantity_phrase,
    st.sampled_from(["", "on Monday", "in August", "by 2030", "on Oct. 14", "last year",
                     "on 31 February", "in the year 99999"]))
article_text = st.lists(st.one_of(claim_sentence, prose), min_size=0, max_size=8).map(
    lambda sents: "\n\n".join(" ".join(sents[i:i + 2]) for i in range(0, len(sents), 2)))
