"""Claim extractors on sentences we wrote (spaCy needed: slow)."""

from __future__ import annotations

import pytest

from corroborate import nlp
from corroborate.quantities import find_quantities
from corroborate.records import Article, Claim

pytestmark = pytest.mark.slow


def claims(text: str, published: str | None = "2026-03-05", kind: str | None = None) -> list[Claim]:
    (a,) = nlp.analyse([Article(id="a-1", source="s", format="text", content=text, text=text,
                                published=published)])
    return [c for c in a.claims if kind is None or c.kind == kind]


def test_a_length_alone_is_no_claim_but_what_it_measures_is() -> None:
    """"The wreck lies 3,800 feet down, 40 miles off Tarnby" says nothing a second article could
    answer with another figure (a depth, a distance from what?); "the quota is 312,000 tonnes"
    does, and "312,000 tonnes" alone does not."""
    assert claims("The wreck lies 3,800 feet down, 40 miles off Tarnby.", kind="quantity") == []
    assert claims("They landed 312,000 tonnes.", kind="quantity") == []
    (quota,) = claims("The herring quota is 312,000 tonnes.", kind="quantity")
    assert (quota.unit, quota.normalized, "quota" in quota.context) == ("tonne", 312000, True)


def test_what_the_counted_things_are_said_to_be_narrows_them() -> None:
    """"two ballots were invalid" answers what "four invalid ballots" does; "219 ballots were
    counted as valid" does not."""
    found = claims("Two ballots were invalid. 219 ballots were counted as valid while 4 ballots "
                   "were declared invalid. There were four invalid ballots.", kind="quantity")
    got = [(c.normalized, "invalid" in c.context, "valid" in c.context) for c in found]
    assert got == [(2, True, False), (219, False, True), (4, True, False), (4, True, False)]


def test_a_count_of_people_by_what_happened_to_them() -> None:
    """"are reported missing", "remain missing" and "are listed as missing" all count the
    missing; "individuals" are people."""
    found = claims("Another 4,100 people are reported missing. Another 5,000 people remain "
                   "missing. Another 4,100 individuals are listed as missing.", kind="quantity")
    assert [(c.unit, c.normalized, "verb:missing" in c.context) for c in found] == [
        ("people", 4100, True), ("people", 5000, True), ("people", 4100, True)]
    # a count said of elsewhere is narrowed down by it: not the story's own place's toll
    (elsewhere,) = claims("The storm killed 90 people elsewhere in the country.", kind="quantity")
    assert "elsewhere" in elsewhere.context


def test_a_length_measures_what_it_is_said_of() -> None:
    """"the 1.6-mile Harlow Bridge" and "the Merrow is 22 feet long" are lengths of a named
    thing; "3.8 km (2.4 miles)" is one length written twice; "30 miles north of Tarnby" is a
    distance from somewhere."""
    (bridge,) = claims("Ships struck the 1.6-mile Harlow Bridge on Tuesday.", kind="quantity")
    assert (bridge.head, bridge.unit, round(bridge.normalized)) == ("bridge", "m", 2575)
    (sub,) = claims("The Merrow submersible is 22 feet long.", kind="quantity")
    assert (sub.head, sub.value) == ("merrow", "22 feet")  # a named thing goes by its name
    for text in ("The 21-foot Merrow vessel dived at dawn.", "The Merrow, a 21-foot vessel, dived."):
        (sub,) = claims(text, kind="quantity")
        assert (sub.head, sub.value) == ("merrow", "21-foot")
    (bridge,) = claims("Traffic stopped on the bridge that stretches 1.6 miles.", kind="quantity")
    assert bridge.head == "bridge"
    (span,) = claims("Police halted cars from crossing the 1.9-mile span.", kind="quantity")
    assert span.head == "bridge"  # but "the main span" is a span
    (depth,) = claims("The wreck rests at a depth of 3.8 km (2.4 miles).", kind="quantity")
    assert (depth.head, depth.value) == ("depth", "3.8 km")
    assert claims("The ferry sank 30 miles north of Tarnby.", kind="quantity") == []


def test_a_speed_measures_what_reaches_it() -> None:
    """"winds of 120 mph (193 km/h)" is one speed of the winds; "winds reaching up to 115 mph" is
    another figure for them, an upper bound."""
    (wind,) = claims("Storm Orla had maximum sustained winds of 120 mph (193 km/h).", kind="quantity")
    assert (wind.head, wind.unit, wind.value) == ("wind", "km/h", "120 mph")
    (gust,) = claims("It struck Varn at dawn, with winds reaching up to 115 mph.", kind="quantity")
    assert (gust.head, "bound:max" in gust.context) == ("wind", True)


def test_figures_matched_respectively_and_wholes_are_kept_apart() -> None:
    """Figures listed "respectively" are paired with their things by position, which the parse
    does not follow: none is claimed. "289 of the 577 seats" gives the whole, which a count of
    one bloc's seats does not answer; "the 250 it had" counts nothing."""
    assert claims("The mooring, pilotage and berth fees will rise to 4.25%, 4.5% and 3.75% "
                  "respectively.", kind="quantity") == []
    (whole,) = claims("No party came near a majority of 289 of the 577 deputies.", kind="quantity")
    assert (whole.normalized, "part:total" in whole.context) == (577, True)
    (bloc,) = [c for c in claims("The Harbour bloc was left with 168 deputies, down from the 250 "
                                 "it had.", kind="quantity") if c.normalized == 168]
    assert "part:total" not in bloc.context
    assert find_quantities("compared to the 250 it had") == []


def test_how_long_someone_held_an_office() -> None:
    """"resigned after 41 days in office" and "who lasted six weeks as premier" are one measure,
    in days, of the person named last before them; "within 3 days" is no tenure."""
    found = claims("The king accepted the resignation of Premier Lena Ostrova after just 41 days in "
                   "office. Lena Ostrova, who lasted six weeks as premier, spoke briefly. Lena Ostrova "
                   "said the backlog would clear within 3 days.", kind="quantity")
    tenures = [(c.subject, c.head, c.normalized, c.unit) for c in found if c.head == "tenure"]
    assert tenures == [("Lena Ostrova's time in office", "tenure", 41.0, "day"),
                       ("Lena Ostrova's time in office", "tenure", 42.0, "day")]
    assert all(c.unit != "day" for c in found if c.head != "tenure")


def test_quantity_subject_value_and_previous_value() -> None:
    (c,) = claims("The Harbour Board raised its mooring fee to 4.5% on Monday, up from 3.75%.",
                  kind="quantity")
    assert (c.head, c.value, c.normalized, c.later, c.previous) == ("fee", "4.5%", 0.045, True, 0.0375)
    assert "harbour" in c.context and "mooring" in c.context
    assert c.as_of == "2026-03-02"  # "on Monday", the Monday before publication


def test_quantity_noun_modifier_and_target() -> None:
    (c,) = claims("Norland imposed a 35 per cent tariff on Estravian timber.", kind="quantity")
    assert (c.head, c.normalized) == ("tariff", 0.35) and "timber" in c.context
    assert c.subject == "tariff on Estravian timber"


def test_figures_for_two_countries_answer_two_questions() -> None:
    """"Seven Estravian nationals" and "18 Norvian nationals" are counts of two peoples, however
    alike their sentences; "a tariff on Estravian timber" and "tariffs on Estravia" may still be
    one (a demonym and a country's name are not compared)."""
    from corroborate.crosscheck import same_subject

    (a,) = claims("Seven Estravian nationals were among the dead.", kind="quantity")
    (b,) = claims("Officials said 18 Norvian nationals were among the dead.", kind="quantity")
    assert a.head == b.head == "national" and not same_subject(a, b)
    (c,) = claims("Norland imposed a 35 per cent tariff on Estravian timber.", kind="quantity")
    (d,) = claims("Norland raised tariffs on Estravia to 35 per cent.", kind="quantity")
    assert {t for t in c.context if t.startswith("place:")} == {"place:estrav"}
    assert same_subject(c, d)


def test_a_rate_a_year_and_a_count_answer_two_questions() -> None:
    from corroborate.crosscheck import same_subject

    (year,) = claims("About 14,000 ships pass through the Varo Strait each year.", kind="quantity")
    (now,) = claims("42 ships were stuck in the Varo Strait on Tuesday.",
                    kind="quantity")
    (day,) = claims("Some 40 ships pass through the Varo Strait a day.", kind="quantity")
    assert "per:year" in year.context and "per:day" in day.context
    assert not any(t.startswith("per:") for t in now.context)
    assert year.head == now.head == day.head
    assert not same_subject(year, now) and not same_subject(year, day)
    # "a day after", "for a week": a time, not a rate
    (after,) = claims("A day after the grounding, 42 ships were waiting in the Varo Strait.",
                      kind="quantity")
    (waited,) = claims("Some 42 ships waited for a week in the Varo Strait.", kind="quantity")
    assert not any(t.startswith("per:") for t in after.context + waited.context)


def test_bounds_are_read_from_the_words_before_a_figure() -> None:
    found = {c.value: c.context for c in claims(
        "More than 30 nationalities were among the dead. At least seven tug boats pulled the "
        "ship. Up to 40 vessels were delayed. Over the weekend, 12 ships were freed.",
        kind="quantity")}
    assert "bound:min" in found["30 nationalities"] and "bound:min" in found["seven tug"]
    assert "bound:max" in found["40 vessels"]
    assert not any(t.startswith("bound:") for t in found["12 ships"])


def test_a_count_of_a_part_answers_another_question() -> None:
    from corroborate.crosscheck import same_subject

    (part,) = claims("All twelve members of the Kestrel choir and their conductor were rescued.",
                     kind="quantity")
    (whole,) = claims("All 13 members of the Kestrel choir were rescued on Tuesday.",
                      kind="quantity")
    assert "part:yes" in part.context and "part:yes" not in whole.context
    assert part.head == whole.head and not same_subject(part, whole)
    # a count of others is the count others give: "Norland and 14 other realms"
    (joined,) = claims("The king reigns over Norland and 14 other realms.", kind="quantity")
    (alone,) = claims("He is also head of state of 14 other realms.", kind="quantity")
    assert "part:yes" not in joined.context and same_subject(joined, alone)
    # figures side by side are each a whole: "82 votes and three votes"
    side = claims("The two candidates got 82 votes and three votes.", kind="quantity")
    assert {c.value for c in side} >= {"82 votes", "three votes"}
    assert not any("part:yes" in c.context for c in side)


def test_forecasts_and_previous_values_are_not_claims() -> None:
    found = claims("Economists expect the fee to reach 5% by June. The fee rose from 2% to 3% in "
                   "May.", kind="quantity")
    assert [c.value for c in found] == ["3%"]
    assert found[0].previous == 0.02


def test_counts_money_and_ordinals() -> None:
    found = claims("About 12,000 dockworkers walked out. The port spent €350m on cranes. "
                   "Mayor Ida Brenn made her third visit to the quay.")
    by_value = {c.value: c for c in found if c.kind == "quantity"}
    assert by_value["12,000 dockworkers"].unit == "dockworker"
    assert by_value["third"].normalized == 3.0 and by_value["third"].context[0] == "brenn"


def test_roles_before_and_after_the_name() -> None:
    found = claims("Transport Minister Lena Ostrova met Daniel Hruska, chief executive of the port "
                   "authority, and France's Finance Minister Piotr Kasal on Tuesday. Former "
                   "Transport Minister Ivo Rask did not attend.", kind="role")
    got = {(c.head, c.context, c.normalized) for c in found}
    assert ("transport minister", (), "ostrova") in got
    assert ("chief executive of the port authority", (), "hruska") in got
    assert ("finance minister", ("france",), "kasal") in got
    assert not any(c.normalized == "rask" for c in found)  # a former title is not a claim


def test_a_list_of_titled_names_keeps_each_title_with_its_name() -> None:
    found = claims("She will be joined by Trade Minister Ana Ruiz, Foreign Minister Tomas Berg, "
                   "and Energy Minister Ola Dahl.", kind="role")
    assert {(c.head, c.normalized) for c in found} == {
        ("trade minister", "ruiz"), ("foreign minister", "berg"), ("energy minister", "dahl")}


def test_quote_speakers() -> None:
    text = ('"We will not go back to work for 3%," union leader Tomas Reyna said on Monday.\n\n'
            'Reyna was cheered by the crowd. "The port can afford more," he added.\n\n'
            '"Nobody wins a long strike," according to Ines Farrow, the mediator.')
    quotes = claims(text, kind="quote")
    found = {c.context[0]: (c.normalized, c.inferred) for c in quotes if c.head == "quote"}
    # "he added" is Reyna by our reading of the pronoun, not by the article's naming him
    assert found == {"we": ("reyna", False), "port": ("reyna", True), "nobody": ("farrow", False)}
    # a quote of six words or more is also a claim about its words, with its speaker
    (words,) = [c for c in quotes if c.head == "wording"]
    assert (words.value, words.context[-1]) == ("We will not go back to work for 3%", "who:reyna")


def test_attribution_by_possessive_verb_and_passive() -> None:
    text = ("Lena Ostrova's proposal for a two-stage pay rise was welcomed. "
            "Daniel Hruska proposed a two-stage pay rise on Friday. "
            "A two-stage pay rise was proposed by Ines Farrow.")
    found = claims(text, kind="attribution")
    assert {c.normalized for c in found} == {"ostrova", "hruska", "farrow"}
    assert all({"two-stage", "pay", "rise"} & set(c.context) for c in found)


def test_meeting_when_where_and_companions() -> None:
    text = ("Prime Minister Ana Ruiz will meet President Tomas Berg in Oslo on Tuesday. "
            "She will be accompanied by Ola Dahl and Ida Brenn.")
    found = claims(text, kind="event")
    when = next(c for c in found if c.head == "meet:when")
    where = next(c for c in found if c.head == "meet:where")
    companions = next(c for c in found if c.head == "accompany")
    assert set(when.context) >= {"ruiz", "berg", "coming"} and when.normalized == "2026-03-10"
    assert where.normalized == "gpe:oslo"
    assert companions.context == ("ruiz",) and companions.normalized == ["brenn", "dahl"]


def test_milestone_dates() -> None:
    found = claims("The new fee takes effect on March 3. Officials said on Monday that talks went "
                   "well.", kind="date")
    assert [(c.head, c.normalized) for c in found] == [("take effect", "2026-03-03")]
    assert "fee" in found[0].context


def test_it_stands_for_one_thing_said_before() -> None:
    """A sentence-initial "It" is the subject before when that is one thing, not people; what the
    thing is said to be ("the Kestrel, Valmora's first moon probe") narrows it down too."""
    found = claims("Engineers were studying the data. It was to land on Tuesday.",
                   published="2026-03-06", kind="date")
    assert found == []
    (ended,) = claims("The Kestrel, Valmora's first moon probe, ended in failure on Sunday.",
                      published="2026-03-06", kind="date")
    assert {"kestrel", "probe", "moon"} <= set(ended.context)


def test_the_day_of_an_event_a_story_reports() -> None:
    """"resigned on Thursday", "announced her resignation on Thursday" and "was freed on Monday"
    date an event; "announced on Monday that ..." is a scene; an event that was set to happen
    is another question than one that did."""
    found = claims("Premier Lena Ostrova resigned on Thursday. Ostrova announced her resignation on "
                   "Thursday. The freighter Marisol was freed on Monday. Harbour officials announced "
                   "on Monday that the port would reopen. The Kestrel probe is expected to land on "
                   "the moon on Monday.", published="2026-03-06", kind="date")
    got = {(c.head, c.normalized, "tense:planned" in c.context) for c in found}
    assert got == {("resign", "2026-03-05", False), ("announce", "2026-03-05", False),
                   ("be freed", "2026-03-02", False), ("land", "2026-03-09", True)}
    resign = next(c for c in found if c.head == "resign")
    assert (resign.subject, "ostrova" in resign.context) == ("When Lena Ostrova resigns", True)
    announce = next(c for c in found if c.head == "announce")
    assert announce.subject == "When Lena Ostrova announces her resignation"


def test_the_time_of_day_of_an_event() -> None:
    """"broke out at about 6:30 p.m. local time (12:30 p.m. ET)" gives the fire's time twice, in
    two zones: two questions; "announced at 6.40pm that ..." says nothing of what."""
    found = claims("The fire broke out at about 6:30 p.m. local time (12:30 p.m. ET). Her death was "
                   "announced at 6.40pm. It was announced at 6.45pm that talks had ended.",
                   published="2026-03-06", kind="date")
    got = [(c.head, c.normalized, [t for t in c.context if t.startswith("zone:")]) for c in found]
    assert got == [("break out:time", "18:30", []), ("break out:time", "12:30", ["zone:et"]),
                   ("be announced:time", "18:40", [])]
    assert found[0].subject == "What time fire breaks out"


def test_a_regnal_number_is_not_a_surname() -> None:
    """"King Oskar IV" and "King Oskar" are one speaker, whose remark each outlet words its way;
    a quote of several sentences is a wording claim per sentence."""
    found = claims("“I shall strive to follow the example set for me. I will serve the people of "
                   "Valmora all my life,” King Oskar IV said.", kind="quote")
    assert {c.normalized for c in found if c.head == "quote"} == {"oskar"}
    words = [c for c in found if c.head == "wording"]
    assert [(c.value, c.context[-1]) for c in words] == [
        ("I shall strive to follow the example set for me.", "who:oskar"),
        ("I will serve the people of Valmora all my life", "who:oskar")]


def test_a_spokesperson_speaks_for_a_principal() -> None:
    found = claims("“The port will stay open all winter,” said Tomas Reyna, the spokesman for "
                   "Premier Lena Ostrova.", kind="quote")
    assert [(c.value, c.normalized) for c in found if c.head == "quote"] == [
        ("Tomas Reyna", "reyna>ostrova")]


def test_where_something_was_signed() -> None:
    found = claims("Norway and Sweden signed a five-year fisheries agreement in Bergen on Thursday. "
                   "The fisheries agreement signed in Oslo sets a catch limit.", kind="event")
    places = [(c.head, c.normalized) for c in found if c.head == "sign:where"]
    assert places == [("sign:where", "gpe:bergen"), ("sign:where", "gpe:oslo")]
    assert all("agreement" in c.context and "fishery" in c.context for c in found
               if c.head == "sign:where")
    # a place deeper in the clause is not where it was signed
    assert [c for c in claims("Most of the 700 staff signed a letter threatening to join Orvik at "
                              "Halden Systems.", kind="event") if c.head == "sign:where"] == []
