"""Boilerplate removal: every real paragraph kept, the chrome removed and kept on the record."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from corroborate.boilerplate_patterns import SENTENCE_END
from corroborate.clean import blocks, clean, clean_text, is_headline, line_reason, words
from corroborate.ingest import read_all
from corroborate.records import Article
from corroborate.settings import Settings

from .conftest import EXAMPLES, seed

STORY = """Ferry Operator Cuts Winter Timetable

By Ines Okafor | Averly Courier | 12 January 2026

The Averly ferry company will run four crossings a day instead of seven from February, its chief executive said on Monday.

Photo: A ferry leaves Averly harbour (Courier/File)

Also Read: Ten things to do on the islands this winter

"We carried 40% fewer passengers in December than a year earlier," said Marta Quill, the company's chief executive.

Sign up for our newsletter to get the latest island news in your inbox

Island councils said the cuts would leave
commuters stranded and called for a
public subsidy.

Share this article

Mayor Plans Night Market for Harbour Front
Council Approves New Cycle Lanes on Quay Road
Storm Warning Issued for Northern Isles This Weekend
Averly Library to Open on Sundays From March

Leave a Reply
Your email address will not be published. Required fields are marked *
×
"""


def test_text_keeps_paragraphs_and_lists_what_it_removed() -> None:
    kept, removed = clean_text(STORY, title="Ferry Operator Cuts Winter Timetable")
    assert kept == [
        "The Averly ferry company will run four crossings a day instead of seven from February, "
        "its chief executive said on Monday.",
        "\"We carried 40% fewer passengers in December than a year earlier,\" said Marta Quill, "
        "the company's chief executive.",
        "Island councils said the cuts would leave commuters stranded and called for a public "
        "subsidy.",
    ]
    assert "Ferry Operator Cuts Winter Timetable" not in removed  # the title is not boilerplate
    for line in ("By Ines Okafor | Averly Courier | 12 January 2026",
                 "Photo: A ferry leaves Averly harbour (Courier/File)",
                 "Also Read: Ten things to do on the islands this winter",
                 "Share this article", "Mayor Plans Night Market for Harbour Front",
                 "Averly Library to Open on Sundays From March", "Leave a Reply", "×",
                 "Your email address will not be published. Required fields are marked *"):
        assert line in removed


def test_line_reasons() -> None:
    assert line_reason("×") == "symbols"
    assert line_reason("Also Read: Best winter walks") == "call to action"
    assert line_reason("Leave a Reply") == "comment form"
    assert line_reason("Canadian Flag") == "short line"
    assert line_reason("The company's newsletter said sales rose 4% in March.") is None
    assert line_reason("By Tuesday, talks had resumed at the port.") is None
    assert line_reason("Sign Off Due by Friday", recurs=True) == "recurring line"
    assert is_headline("Council Approves New Cycle Lanes on Quay Road".split())
    assert not is_headline("The council approved new cycle lanes on Quay Road".split())


def test_a_quote_recurring_in_copies_is_kept() -> None:
    quote = '"Time will tell whether we were right," the minister said.'
    assert line_reason(quote, recurs=True) is None


def test_hard_wrapped_paragraphs_are_joined() -> None:
    text = ("The harbour master said the channel would reopen\nafter divers cleared the wreck, "
            "which sank\nin the storm on Sunday.\nA second line stands alone.")
    assert blocks(text) == [
        "The harbour master said the channel would reopen after divers cleared the wreck, which "
        "sank in the storm on Sunday.", "A second line stands alone."]


def test_html_goes_through_trafilatura_and_keeps_dropped_chrome() -> None:
    html = """<html><head><title>Ferry cuts</title></head><body>
    <nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
    <div class="cookie">We use cookies to improve your experience. Accept all cookies</div>
    <article><h1>Ferry cuts</h1>
    <p>The Averly ferry company will run four crossings a day instead of seven from February.</p>
    <p>Island councils said the cuts would leave commuters stranded and called for a subsidy.</p>
    <p>The company said fuel costs had risen by a third since last winter, and crews were short.</p>
    </article>
    <aside><h3>Most read</h3><ul><li>Mayor Plans Night Market</li><li>Storm Warning Issued</li></ul></aside>
    <footer>© 2026 Averly Courier. All rights reserved.</footer></body></html>"""
    a = Article(id="a-1", source="x.html", format="html", content=html, is_html=True,
                title="Ferry cuts")
    out = clean(a)
    assert out.paragraphs[0].startswith("The Averly ferry company will run four crossings")
    assert len(out.paragraphs) == 3
    assert "cookies" not in out.text and "Night Market" not in out.text
    assert any("All rights reserved" in b for b in out.boilerplate)


def _labelled() -> list[dict]:
    return json.loads((EXAMPLES / "labels.json").read_text())["boilerplate"]


@pytest.mark.parametrize("case", _labelled(), ids=lambda c: c["file"].rsplit("/", 1)[-1])
def test_examples_boilerplate_labels(case: dict, settings: Settings) -> None:
    path, _, line = case["file"].partition("#line=")
    found = [a for a in read_all([str(EXAMPLES / path)], settings) if isinstance(a, Article)]
    found = found[int(line) - 1:int(line)] if line else found
    assert found, case["file"]
    texts = "\n".join(clean(a).text for a in found)
    for line in case["must_keep"]:
        assert line in texts, f"lost a real paragraph: {line}"
    for line in case["must_remove"]:
        assert line not in texts.split("\n\n"), f"kept boilerplate: {line}"


def _seed(prefix: str, settings: Settings) -> Article:
    (a,) = [a for a in read_all([str(seed(prefix))], settings) if isinstance(a, Article)]
    return clean(a)


def test_seed_000_loses_its_trailing_headlines_and_keeps_its_news(settings: Settings) -> None:
    a = _seed("000", settings)
    assert len(a.paragraphs) == 6
    assert a.paragraphs[0].startswith("U.S. President Donald Trump and Canadian Prime Minister")
    assert a.paragraphs[-1].startswith("With high-level talks anticipated soon")
    assert len(a.boilerplate) == 17
    assert a.boilerplate[0].startswith("U.S. Approves Over $6.5 Billion in Military Sales")
    assert a.boilerplate[-1].startswith("South Korea Factory Activity Hits 18-Month High")
    assert "Kennedy Center" not in a.text and "Warsh" not in a.text


def test_seed_001_loses_its_chrome_and_keeps_its_news(settings: Settings) -> None:
    a = _seed("001", settings)
    assert a.title == "Carney Heads to Washington for High-Stakes Trade Talks with Trump"
    for chrome in ("Also Read: Best long term Canadian stocks", "Also Read: Canadian stocks to buy 2025",
                   "Sign Up For our Newsletters to get latest updates", "Leave a Reply",
                   "Your email address will not be published. Required fields are marked *",
                   "Canadian Flag", "×"):
        assert chrome in a.boilerplate and chrome not in a.paragraphs
    assert len(a.paragraphs) == 12
    assert a.paragraphs[0].startswith("Prime Minister Mark Carney will meet with U.S. President")
    assert any(p.startswith("“Time will tell us if my optimism is misplaced,”") for p in a.paragraphs)
    assert a.paragraphs[-1].startswith("This rhetoric echoes his comments")


def test_cleaning_is_idempotent_on_its_output(settings: Settings) -> None:
    a = _seed("001", settings)
    again = clean(replace(a, content=a.text, title=None))
    assert again.paragraphs == a.paragraphs


# HTML: trafilatura's structure is trusted. What it marks as a heading, a list item, a table row
# or code stays; only named chrome, the title and lists of linked headlines go.
TIMETABLE_PAGE = """<html><head><title>Averly ferry timetable</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Ferry operator cuts winter timetable</h1>
<p>The Averly ferry company will run four crossings a day instead of seven from February, its
chief executive said on Monday.</p>
<p>Also Read: <a href="/x">Ten things to do on the islands this winter</a></p>
<h2>Fewer crossings</h2>
<p>Island councils said the cuts would leave commuters stranded and called for a public subsidy
to keep the morning boat.</p>
<table><tr><th>Route</th><th>Crossings now</th><th>From February</th></tr>
<tr><td>Averly to Brannock</td><td>7</td><td>4</td></tr>
<tr><td>Averly to Cleft Isle</td><td>3</td><td>2</td></tr></table>
<p>The company listed what passengers should bring:</p>
<ul><li>a valid ticket</li><li>photo identity</li><li>a bicycle pass</li></ul>
<pre><code>timetable = load("winter")
print(timetable)</code></pre>
<p>Sign up for our newsletter to get the latest island news in your inbox</p>
<p><a href="/a">Mayor Plans Night Market for Harbour Front</a></p>
<p><a href="/b">Council Approves New Cycle Lanes on Quay Road</a></p>
<p><a href="/c">Storm Warning Issued for Northern Isles</a></p>
<p>Marta Quill, the chief executive, said fuel had risen by a third since last winter and crews
were short.</p>
</article><footer>© 2026 Averly Courier</footer></body></html>"""


def _html(content: str, title: str | None = None) -> Article:
    return clean(Article(id="a-1", source="x.html", format="html", content=content,
                         is_html=True, title=title))


def test_html_keeps_subheadings_table_rows_list_items_and_code() -> None:
    a = _html(TIMETABLE_PAGE, title="Ferry operator cuts winter timetable")
    for kept in ("Fewer crossings",  # a subheading
                 "| Route | Crossings now | From February |",  # the table, row by row
                 "| Averly to Brannock | 7 | 4 |", "| Averly to Cleft Isle | 3 | 2 |",
                 "- a valid ticket", "- photo identity", "- a bicycle pass",  # list items
                 'timetable = load("winter")', "print(timetable)"):  # code
        assert kept in a.paragraphs, kept
    assert a.paragraphs[0].startswith("The Averly ferry company")  # the title is not text
    assert a.paragraphs[-1].startswith("Marta Quill, the chief executive")
    assert "Route" not in a.boilerplate and "7" not in a.boilerplate  # cells are not "removed"


def test_html_still_loses_its_in_article_chrome() -> None:
    a = _html(TIMETABLE_PAGE, title="Ferry operator cuts winter timetable")
    for chrome in ("Also Read: Ten things to do on the islands this winter",
                   "Sign up for our newsletter to get the latest island news in your inbox",
                   "Mayor Plans Night Market for Harbour Front",  # a run of linked headlines
                   "Council Approves New Cycle Lanes on Quay Road",
                   "Storm Warning Issued for Northern Isles", "Home News",
                   "© 2026 Averly Courier"):
        assert chrome in a.boilerplate and chrome not in a.text, chrome


def test_html_keeps_one_linked_line_among_paragraphs() -> None:
    page = TIMETABLE_PAGE.replace('<p><a href="/b">Council Approves New Cycle Lanes on Quay Road'
                                  '</a></p>', "").replace('<p><a href="/c">Storm Warning Issued '
                                                          'for Northern Isles</a></p>', "")
    assert "Mayor Plans Night Market for Harbour Front" in _html(page).paragraphs


CHINESE = ("阿维利轮渡公司周一表示，从二月起每天的航班将从七班减少到四班。\n\n"
           "岛屿议会说，削减航班会让通勤者滞留，并呼吁提供公共补贴。\n\n"
           "公司称，自去年冬天以来燃料成本上涨了三分之一，船员也不够。")


def test_a_chinese_article_keeps_its_paragraphs() -> None:
    kept, removed = clean_text(CHINESE)
    assert kept == CHINESE.split("\n\n") and removed == []
    assert len(words("阿维利轮渡公司")) == 7  # each character is a word
    page = ("<html><body><article><h1>阿维利轮渡削减冬季航班</h1>"
            + "".join(f"<p>{p}</p>" for p in CHINESE.split("\n\n")) + "</article></body></html>")
    assert _html(page).paragraphs[-3:] == CHINESE.split("\n\n")


def test_a_run_of_chinese_headlines_is_still_a_list_of_headlines() -> None:
    headlines = ["市长计划在港口举办夜市", "议会批准码头路新建自行车道", "北部岛屿本周末发布风暴预警"]
    kept, removed = clean_text(CHINESE + "\n\n" + "\n\n".join(headlines))
    assert kept == CHINESE.split("\n\n") and removed == headlines


def test_closing_quotes_of_other_languages_end_a_sentence() -> None:
    for line in ("„Wir fahren weiter.“", "Sie sagte: „Nein.“", "« Nous partirons demain. »",
                 "»Das reicht nicht.«", "「明日から減便します。」"):
        assert SENTENCE_END.search(line), line
        assert line_reason(line) is None, line
    quotes = "„Wir fahren weiter.“\n\n„Das ist zu wenig.“\n\n„Wir klagen.“"
    assert clean_text(quotes)[0] == quotes.split("\n\n")  # three short quotes are no headline list
