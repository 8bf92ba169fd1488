"""Our own rules for quantities and dates (no model involved)."""

from __future__ import annotations

from datetime import date

import pytest

from corroborate.dates import clocks, month_day, resolve, weekday_named
from corroborate.quantities import find_quantities, measure_range


@pytest.mark.parametrize("text, value, unit, kind", [
    ("a 35% tariff", 0.35, "%", "percent"),
    ("a 35 per cent tariff", 0.35, "%", "percent"),
    ("a 35 percent tariff", 0.35, "%", "percent"),
    ("raised to 4.50% on Thursday", 0.045, "%", "percent"),
    ("up 2 percentage points", 2.0, "pp", "percent"),
    ("sales worth $6.5 billion", 6.5e9, "USD", "money"),
    ("a $5m grant", 5e6, "USD", "money"),
    ("a €350m terminal", 3.5e8, "EUR", "money"),
    ("a €350 million terminal", 3.5e8, "EUR", "money"),
    ("reserves of $18.6bn", 1.86e10, "USD", "money"),
    ("£2bn of bonds", 2e9, "GBP", "money"),
    ("C$40 million in aid", 4e7, "CAD", "money"),
    ("about 400 million Canadian dollars", 4e8, "CAD", "money"),
    ("some 12,000 dockworkers", 12000, "dockworkers", "count"),
    ("2.6 million barrels of oil", 2.6e6, "barrels", "count"),
    ("two million barrels", 2e6, "barrels", "count"),
    ("a 1.6-mile bridge", 2574.95, "m", "length"),
    ("the 948-foot freighter", 288.9504, "m", "length"),
    ("it is 22 feet long", 6.7056, "m", "length"),
    ("a 400-metre hull", 400.0, "m", "length"),
    ("about 2.57 km", 2570.0, "m", "length"),
    ("winds of 120 mph", 193.12128, "km/h", "speed"),
    ("winds of 120mph", 193.12128, "km/h", "speed"),
    ("gusts of 195km/h", 195.0, "km/h", "speed"),
    ("at 120 miles per hour", 193.12128, "km/h", "speed"),
    ("sailing at 8 knots", 14.816, "km/h", "speed"),
])
def test_quantities_are_normalised(text: str, value: float, unit: str, kind: str) -> None:
    (q,) = find_quantities(text)
    assert (q.value, q.unit, q.kind) == (pytest.approx(value), unit, kind)
    assert text[q.start:q.end] == q.text


def test_years_and_hyphenated_numbers_are_not_counts() -> None:
    assert find_quantities("in 2025 exports fell") == []
    assert find_quantities("an 18-month high") == []


def test_numbers_inside_names_are_not_counts() -> None:
    """Model and class names ("a Corvan 310 Mk 2 ferry", "Category 4") are no counts of what
    follows; a demonym in the plural and a number after a day's name still are."""
    assert find_quantities("The regulator halted 41 Corvan 310 Mk 2 ferries.") == []
    assert find_quantities("the Mk 2 ferries were inspected") == []
    assert find_quantities("a Category 4 storm reached the coast") == []
    assert find_quantities("eleven Norwegian crew were aboard") == []
    assert [(q.text, q.unit) for q in find_quantities("among them nine Estonians")] == [
        ("nine Estonians", "estonians")]
    # the rest of a name, then what is counted: "64 Coast Guard cadets"
    assert [(q.text, q.unit) for q in find_quantities("the ship carried 64 Coast Guard cadets")
            ] == [("64 Coast Guard cadets", "cadets")]
    assert [(q.text, q.unit) for q in find_quantities("eight Valmoran nationals were held")] == [
        ("eight Valmoran nationals", "nationals")]
    assert [(q.text, q.unit) for q in find_quantities("On Monday 12 people were rescued")] == [
        ("12 people", "people")]
    assert [(q.text, q.unit) for q in find_quantities("Only 12 people were rescued")] == [
        ("12 people", "people")]


def test_several_quantities_in_order_without_overlap() -> None:
    found = find_quantities("a new 10 per cent levy on lumber and a 25 per cent tariff on $3bn of "
                            "cabinets affecting 4,000 firms")
    assert [(q.text, q.kind) for q in found] == [
        ("10 per cent", "percent"), ("25 per cent", "percent"), ("$3bn", "money"),
        ("4,000 firms", "count")]


def test_a_length_stands_for_the_range_its_rounding_allows() -> None:
    """"1.6 miles" is anything from 1.55 to 1.65 miles; a round "400 metres" from 350 to 450 m;
    the unit as written tells a conversion from a figure given twice."""
    low, high, unit = measure_range("a 1.6-mile bridge")
    assert (round(low), round(high), unit) == (2494, 2655, "mile")
    low, high, unit = measure_range("400 metres")
    assert (low, high, unit) == (350.0, 450.0, "metre")
    low, high, unit = measure_range("22 feet")
    assert (round(low, 3), round(high, 3), unit) == (6.553, 6.858, "foot")
    assert measure_range("22 people") is None
    low, high, unit = measure_range("120 mph")  # 115 to 125 mph: "195 km/h" is within it
    assert (round(low, 1), round(high, 1), unit) == (185.1, 201.2, "mph")
    # counts are not lengths: "three miles of road" is, "30 miners" is not
    assert [q.kind for q in find_quantities("30 miners walked three miles")] == ["count", "length"]


@pytest.mark.parametrize("text, sentence, published, expected", [
    ("Monday", "Traffic stopped on Monday.", "2026-02-02", "2026-02-02"),  # the same day
    ("Thursday", "He said Thursday that talks went on.", "2025-10-03", "2025-10-02"),
    ("Tuesday", "Carney will meet Trump on Tuesday.", "2025-10-03", "2025-10-07"),
    ("next Monday", "Talks resume next Monday.", "2026-02-02", "2026-02-09"),
    ("March 3", "The new rate takes effect on March 3.", "2026-02-27", "2026-03-03"),
    ("Oct. 14", "Tariffs are set to take effect Oct. 14.", "2025-10-03", "2025-10-14"),
    ("July 21", "He promised a deal by July 21.", "2025-10-03", "2025-07-21"),
    ("February", "The trade war began in February.", "2025-10-03", "2025-02"),
    ("February", "Talks will resume in February.", "2025-10-03", "2026-02"),
    ("October 2024", "He took office in October 2024.", None, "2024-10"),
    ("2019", "The last strike was in 2019.", None, "2019"),
    ("last month", "It happened last month.", "2025-10-03", "2025-09"),
    ("Tuesday", "They meet on Tuesday.", None, None),  # no date to resolve against
    ("eleven weeks", "after eleven weeks of talks", "2026-02-02", None),  # a duration
    ("40", "maybe 40", "2026-02-02", None),
    ("this week", "They will meet this week.", "2026-02-02", None),  # a week, not a day
])
def test_dates_resolve_against_the_publication_date(text: str, sentence: str,
                                                    published: str | None,
                                                    expected: str | None) -> None:
    assert resolve(text, sentence, published) == expected
def test_plain_dates_are_read_as_dateparser_reads_them() -> None:
    from corroborate.dates import _nearest_year, _parser, _plain

    forms = ["March 3", "Oct. 14", "Sept. 30, 2025", "3 March 2025", "1st of May", "October 2024",
             "Dec 25, 2024", "June 2025", "February 28", "12th January"]
    for published in ("2025-02-11", "2024-12-30"):
        base = date.fromisoformat(published)
        for text in forms:
            ours = _plain(text, published)
            assert ours is not None, text
            data = _parser(published, "past").get_date_data(text)
            assert data.period == ours[1], text
            theirs = data.date_obj.date()
            if not any(len(w) == 4 and w.isdigit() for w in text.split()):  # year settled later
                assert _nearest_year(ours[0], base, ours[1], False) == \
                    _nearest_year(theirs, base, data.period, False), text
            else:
                assert (ours[0] if ours[1] == "day" else ours[0].replace(day=1)) == \
                    (theirs if data.period == "day" else theirs.replace(day=1)), text
    assert _plain("next Tuesday", "2025-02-11") is None
    assert _plain("February 29", "2025-02-11") is None  # no such day that year: dateparser's call
    assert _plain("March 3", None) is None


@pytest.mark.parametrize("text, written, value, zone", [
    ("landed at 6:04 p.m., officials said", "6:04 p.m.", "18:04", None),
    ("landed at around 06:03 PM on Wednesday", "06:03 PM", "18:03", None),
    ("it took off at 8:38 a.m local time", "8:38 a.m", "08:38", None),
    ("the statement came at 6.30pm", "6.30pm", "18:30", None),
    ("landed shortly after 6pm.", "6pm", "18", None),
    ("freed at 15:05 hrs local time", "15:05 hrs", "15:05", None),
    ("touched down at 6:04 local time", "6:04", "?6:04", None),
    ("(12:30 p.m. ET)", "12:30 p.m.", "12:30", "et"),
])
def test_times_of_day_in_24_hours_as_precise_as_written(text: str, written: str, value: str,
                                                        zone: str | None) -> None:
    (found,) = clocks(text)
    assert (found.text, found.value, found.zone) == (written, value, zone)
    assert text[found.start:found.end].strip() == written


def test_numbers_are_not_times_of_day() -> None:
    assert clocks("inflation was 6.04 percent, and the team won 3:1 at 6 sharp") == []


def test_an_undated_mention_names_its_day() -> None:
    assert [month_day(t) for t in ("october 20", "Oct. 20", "20th of October", "last month")] == [
        "10-20", "10-20", "10-20", None]
    assert (weekday_named("on Thursday evening"), weekday_named("october 20")) == ("thursday", None)
