"""Metadata read from the page itself: dates, headline, outlet, the event's date (our own text)."""

from __future__ import annotations

from dataclasses import replace

from corroborate.ingest.common import make_article
from corroborate.metadata import (
    event_date,
    event_weekday,
    full_date,
    headline,
    outlet,
    page_date,
    with_metadata,
    without_dateline,
)
from corroborate.records import Article, DateMention, Sentence

PAGE = """Edition: English Asia Pacific | Español
Harbour pilots walk out at Port Averly as pay talks fail
PUBLISHED : Monday, 3 March, 2025
AVERLY, March 3 (Lantern Wire) -- Harbour pilots at Port Averly walked out on Monday after pay talks
with the port authority failed, leaving 14 ships waiting outside the harbour.
The pilots' union said the strike would last until the authority returned to the table."""


def read(text: str, **given: object) -> Article:
    return with_metadata(make_article("page.txt", "text", text, is_html=False, **given))  # type: ignore[arg-type]


def test_a_date_line_a_headline_and_where_each_came_from() -> None:
    a = read(PAGE)
    assert a.published == "2025-03-03" and a.title == \
        "Harbour pilots walk out at Port Averly as pay talks fail"
    origin = dict(a.provenance)
    assert origin["published"].startswith("date line 'PUBLISHED : Monday, 3 March, 2025")
    assert origin["title"] == "line 2"  # the edition menu above it is not a headline


def test_values_given_by_the_input_win() -> None:
    a = read(PAGE, title="Pilots strike", published="2025-03-04", outlet="The Lantern")
    assert (a.title, a.published, a.outlet) == ("Pilots strike", "2025-03-04", "The Lantern")
    assert dict(a.provenance) == dict.fromkeys(("outlet", "published", "title"), "given by the input")


def test_dates_from_stamps_datelines_and_urls() -> None:
    assert full_date("Updated: 2019-03-05 17:15") == "2019-03-05"
    assert full_date("Thursday, September 26th 2024, 10:27 pm") == "2024-09-26"
    assert page_date(["Updated: 2019-03-05 17:15", "Text."], None) == \
        ("2019-03-05", "date line 'Updated: 2019-03-05 17:15'")
    assert page_date(["AVERLY, Mar. 28, 2024 - Pilots walked out on Thursday after talks broke up "
                      "without a deal."], None)[0] == "2024-03-28"  # type: ignore[index]
    assert page_date(["No date here at all, only words that run on for a while."],
                     "https://lantern.example/news/2023/11/20/pilots-walk-out") == \
        ("2023-11-20", "date in the URL")
    # a date in the middle of a sentence is not the page's date
    assert page_date(["The strike that began on March 3, 2019 ended in a deal that both sides "
                      "accepted."], None) is None


def test_a_dateline_a_byline_or_a_sentence_is_never_the_headline() -> None:
    body = ["The pilots of Averly walked out on Monday after pay talks failed, the union said."]
    assert headline(["Tuesday, 12 March 2019"] + body, None) is None
    assert headline(["By Mara Voss and Jon Edde"] + body, None) is None
    assert headline(body, None) is None
    assert headline(["Averly pilots walk out as pay talks fail | The Lantern"] + body, None) == \
        ("Averly pilots walk out as pay talks fail", "line 1", "The Lantern")
    assert headline(body, "https://lantern.example/2025/03/averly-pilots-walk-out-over-pay.html") == \
        ("Averly pilots walk out over pay", "the URL's slug", None)


def test_the_outlet_from_the_domain_else_a_credit() -> None:
    assert outlet([], "https://www.lantern.example/x") == ("lantern.example", "the URL's domain")
    assert outlet(["(Lantern Wire) - Pilots walked out on Monday."], None) == \
        ("Lantern Wire", "credit '(Lantern Wire) - Pilots walke…'")


def test_the_event_date_is_the_latest_date_of_the_lead_before_publication() -> None:
    a = Article("a-1", "x", "text", "", published="2025-03-05", dates=(
        DateMention("2026", "2026", 0, 0, 4),  # a year: not a day
        DateMention("Monday", "2025-03-03", 0, 10, 16),
        DateMention("March 20", "2025-03-20", 1, 0, 8)))  # after publication: announced, not reported
    assert event_date(a) == "2025-03-03"
    # "The ship that ran aground on Feb. 26 was freed on Monday": the earlier date is background
    freed = Article("a-5", "x", "text", "", published="2025-03-04", dates=(
        DateMention("Feb. 26", "2025-02-26", 0, 20, 27), DateMention("Monday", "2025-03-03", 0, 40, 46)))
    assert event_date(freed) == "2025-03-03"
    undated = Article("a-2", "x", "text", "", dates=(DateMention("March 3, 2025", "2025-03-03", 2, 0, 9),))
    assert event_date(undated) == "2025-03-03"
    later = (DateMention("May 1, 2020", "2020-05-01", 5, 0, 9),)
    # a date further down is background, dated or not ("she was born on 21 April 1926")
    assert event_date(Article("a-3", "x", "text", "", dates=later)) is None
    assert event_date(Article("a-4", "x", "text", "", published="2020-05-02", dates=later)) is None


def test_the_event_weekday_is_the_event_dates_else_the_first_weekday_of_the_lead() -> None:
    assert event_weekday(Article("a-1", "x", "text", "", published="2025-03-05")) == 2  # Wednesday
    assert event_weekday(Article("a-1", "x", "text", "", published="2025-03-05",
                                 event_date="2025-03-03")) == 0
    # undated: the weekdays of its lead, but not "last Friday" (what came before) nor a later sentence
    undated = Article("a-2", "x", "text", "", dates=(
        DateMention("last Friday", None, 0, 0, 11), DateMention("early Monday", None, 1, 5, 17),
        DateMention("Sunday", None, 2, 0, 6)))
    assert event_weekday(undated) == 0
    assert event_weekday(replace(undated, dates=undated.dates[:1])) is None
    assert event_weekday(replace(undated, dates=(DateMention("Sunday", None, 3, 0, 6),))) is None
    # nor a weekday of what will happen: a preview is placed by what it reports
    preview = Article("a-3", "x", "text", "", sentences=(
        Sentence("The two leaders will meet on Tuesday.", 0, 37),
        Sentence("They spoke by phone on Saturday.", 38, 70)), dates=(
        DateMention("Tuesday", None, 0, 29, 36), DateMention("Saturday", None, 1, 60, 68)))
    assert event_weekday(preview) == 5
    # only the words that lead up to the weekday count: what follows it may be about the future
    text = "The chairman announced Monday that the founder will join the rival lab."
    announced = Article("a-4", "x", text, "", sentences=(Sentence(text, 0, len(text)),),
                        dates=(DateMention("Monday", None, 0, 23, 29),))
    assert event_weekday(announced) == 0
    text = "The board said it will vote, perhaps on Friday."
    vote = Article("a-5", "x", text, "", sentences=(Sentence(text, 0, len(text)),),
                   dates=(DateMention("Friday", None, 0, 40, 46),))
    assert event_weekday(vote) is None


def test_a_photo_caption_with_its_credit_is_not_a_headline() -> None:
    body = ["Prime Minister Ilse Varga quit on Thursday after six weeks, the shortest tenure of "
            "any leader of the Harbour Party."]
    assert headline(["Prime Minister Ilse Varga JOHN ROE/GETTY"] + body, None) is None
    assert headline(["Ilse Varga outside the party office. AFP/Getty Images"] + body, None) is None


def test_a_first_sentence_that_the_lead_opens_with_is_the_headline() -> None:
    lines = ["Mayor Ilse Varga confirms she will step down as leader of the Harbour Party.",
             "Mayor Ilse Varga confirms she will step down as leader of the Harbour Party after "
             "three councillors resigned on Monday, ending a week of pressure."]
    assert headline(lines, None) == (lines[0], "line 1", None)
    # a first sentence the lead does not repeat is not taken for one
    assert headline([lines[1], "She will stay on until a successor is chosen in March."],
                    None) is None


def test_a_title_case_first_line_is_the_headline_even_when_the_text_words_it_otherwise() -> None:
    body = ["On Monday, heavy rain burst two dams above Corvin, sweeping whole neighbourhoods "
            "into the sea; officials fear thousands have died."]
    assert headline(["Averland Flood Appeal"] + body, None) == ("Averland Flood Appeal", "line 1", None)
    # a sentence-case line the text does not go on to use is not taken for one
    assert headline(["Please give what you can today"] + body, None) is None


def test_a_headline_loses_its_byline_and_keeps_its_media_label_and_captions_are_not_headlines() -> None:
    body = ["Crews searched the Averly river on Tuesday after a barge struck the old bridge, the "
            "harbour master said."]
    assert headline(["VIDEO: Crews search river after barge strikes Averly bridge Written by Ana "
                     "Moreno"] + body, None) == \
        ("VIDEO: Crews search river after barge strikes Averly bridge", "line 1", None)
    assert headline(["The old Averly bridge after a barge struck it on Tuesday. Photo: Lantern "
                     "Wire"] + body, None) is None


def test_a_credited_teaser_and_a_sentence_ending_in_by_a_name_are_not_headlines() -> None:
    body = ["Lawmakers in Veloria elected Dana Orlov president on Wednesday in a secret ballot, "
            "with 130 votes against 82 for Pel Varga."]
    assert headline(["Orlov got 130 votes from lawmakers in a secret ballot that took place in "
                     "parliament…reports Brenna Herald"] + body, None) is None
    # "by King Anselm II." is the end of the sentence, not a byline to take off a headline
    assert headline(["Brenna: Dana Orlov has become Veloria's president after being asked to form "
                     "a government by King Anselm II."] + body, None) is None
    assert headline(["Orlov wins Veloria presidency by Ana Moreno"] + body, None) == \
        ("Orlov wins Veloria presidency", "line 1", None)


def test_a_first_sentence_loses_its_dateline() -> None:
    assert without_dateline("AVERLY, Mar. 28, 2024 - Crews searched the river.") == \
        "Crews searched the river."
    assert without_dateline("AVERLY, March 4 (Lantern Wire) -- Crews searched the river.") == \
        "Crews searched the river."
    assert without_dateline("The barge, March 4 was late - it said.") == \
        "The barge, March 4 was late - it said."
