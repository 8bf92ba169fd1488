"""Alignment and verdicts on hand-made claims (no model)."""

from __future__ import annotations

from corroborate.crosscheck import article_origins, crosscheck, same_name
from corroborate.records import Article, Claim, Sentence


def article(aid: str, outlet: str, claims: list[Claim], published: str | None = "2026-03-05",
            text: str = "Some sentence.", duplicate_of: str | None = None) -> Article:
    return Article(id=aid, source=f"{aid}.txt", format="text", content=text, text=text,
                   outlet=outlet, published=published, duplicate_of=duplicate_of,
                   sentences=(Sentence(text, 0, len(text)),), claims=tuple(claims))


def rate(value: float, **kw: object) -> Claim:
    return Claim(kind="quantity", subject="mooring fee", head="fee", context=("harbour",),
                 value=f"{value:g}%", normalized=value / 100, unit="%", sentence=0, **kw)  # type: ignore[arg-type]


def role(name: str) -> Claim:
    return Claim(kind="role", subject="Transport Minister", head="transport minister", context=(),
                 value=name, normalized=name.split()[-1].lower(), unit="", sentence=0)


def only(claims: list[dict]) -> dict:
    assert len(claims) == 1, claims
    return claims[0]


def test_corroborated_single_and_contested() -> None:
    c = only(crosscheck([article("a-1", "Ledger", [rate(4.5)]), article("a-2", "Courier", [rate(4.50)])]))
    assert (c["verdict"], c["independent_sources"], len(c["values"])) == ("corroborated", 2, 1)
    assert only(crosscheck([article("a-1", "Ledger", [rate(4.5)])]))["verdict"] == "single_source"
    c = only(crosscheck([article("a-1", "Ledger", [rate(4.5)]), article("a-2", "Courier", [rate(4.5)]),
                         article("a-3", "Star", [rate(5.5)])]))
    assert c["verdict"] == "contested"
    assert [v["value"] for v in c["values"]] == ["4.5%", "5.5%"]  # best supported first


def test_updated_by_stated_previous_value_or_by_dates() -> None:
    later = rate(6, later=True, previous=0.03)
    c = only(crosscheck([article("a-1", "Ledger", [rate(3)]), article("a-2", "Courier", [later])]))
    assert c["verdict"] == "updated" and [v["value"] for v in c["values"]] == ["3%", "6%"]
    weeks = crosscheck([article("a-1", "Ledger", [rate(3)], published="2026-02-02"),
                        article("a-2", "Courier", [rate(6)], published="2026-03-19")])
    assert only(weeks)["verdict"] == "updated"
    days = crosscheck([article("a-1", "Ledger", [rate(3)], published="2026-02-02"),
                       article("a-2", "Courier", [rate(6)], published="2026-02-03")])
    assert only(days)["verdict"] == "contested"


def test_a_title_held_by_two_people_is_contested_accents_are_not() -> None:
    c = only(crosscheck([article("a-1", "Ledger", [role("Lena Ostrova")]),
                         article("a-2", "Star", [role("Piotr Kasal")])]))
    assert c["verdict"] == "contested"
    accents = [role("Mélanie Joly"), role("Melanie Joly")]
    c = only(crosscheck([article("a-1", "Ledger", accents[:1]), article("a-2", "Star", accents[1:])]))
    assert c["verdict"] == "corroborated"


def test_copies_and_wire_credits_count_once() -> None:
    original = article("a-1", "Gazette", [rate(4.5)], text="VALMORA (CP Wire) - The fee rose.")
    copy = article("a-2", "Post", [rate(4.5)], duplicate_of="a-1")
    credit = article("a-3", "Star", [rate(4.5)], text="The fee rose, according to CP Wire.")
    assert article_origins([original, copy])["a-2"] == "CP Wire"
    c = only(crosscheck([original, copy, credit]))
    assert c["independent_sources"] == 1 and c["verdict"] == "single_source"
    assert {e["origin"] for e in c["values"][0]["evidence"]} == {"CP Wire"}
    c = only(crosscheck([original, copy, article("a-4", "Herald", [rate(4.5)])]))
    assert c["independent_sources"] == 2 and c["verdict"] == "corroborated"


def test_an_updated_copy_counts_once_and_its_changed_figure_is_an_update() -> None:
    original = article("a-1", "Lantern Wire", [rate(4.5)], published="2026-03-04")
    other = article("a-2", "Courier", [rate(4.5)], published="2026-03-04")
    updated = article("a-3", "Lantern Wire", [rate(5.0)], published="2026-03-05", duplicate_of="a-1")
    c = only(crosscheck([original, other, updated]))
    assert c["verdict"] == "updated" and [v["value"] for v in c["values"]] == ["4.5%", "5%"]
    assert c["independent_sources"] == 2  # the later version is the wire again
    # the same change in an independent article of the next day is a disagreement
    rival = article("a-4", "Herald", [rate(5.0)], published="2026-03-05")
    assert only(crosscheck([original, other, rival]))["verdict"] == "contested"


def test_an_article_does_not_contradict_itself() -> None:
    claims = [rate(3), rate(9)]  # "offered 3% against a demand of 9%" in one article
    found = crosscheck([article("a-1", "Ledger", claims)])
    assert sorted(c["verdict"] for c in found) == ["single_source", "single_source"]


def test_a_city_and_a_building_agree() -> None:
    def where(place: str) -> Claim:
        return Claim(kind="event", subject="Where A and B meet", head="meet:where",
                     context=("a", "b", "coming"), value=place.split(":")[1],
                     normalized=place, unit="", sentence=0)
    c = only(crosscheck([article("a-1", "Ledger", [where("gpe:washington")]),
                         article("a-2", "Star", [where("fac:white house")])]))
    assert c["verdict"] == "corroborated"
    c = only(crosscheck([article("a-1", "Ledger", [where("gpe:valmora")]),
                         article("a-2", "Star", [where("gpe:kessel")])]))
    assert c["verdict"] == "contested"


def test_figures_one_article_gives_side_by_side_answer_two_questions() -> None:
    """Fictional: one outlet lists the parties' seats ("the Harbour Party won 61 seats, the
    Greens 44"); another gives only the Greens' 44 and a third only the Harbour Party's 61. Other
    words around them (a party named in a way alignment cannot tell) must not make 61 and 44 one
    question with two answers."""
    def seats(n: int) -> Claim:
        return Claim(kind="quantity", subject="seats", head="seat", context=(), value=f"{n} seats",
                     normalized=float(n), unit="seat", sentence=0)
    found = crosscheck([article("a-1", "Ledger", [seats(61), seats(44)]),
                        article("a-2", "Star", [seats(44)]), article("a-3", "Courier", [seats(61)])])
    assert sorted(c["verdict"] for c in found) == ["corroborated", "corroborated"]
    # with no article giving both, two outlets' different counts are still a disagreement
    found = crosscheck([article("a-2", "Star", [seats(44)]), article("a-3", "Courier", [seats(61)])])
    assert only(found)["verdict"] == "contested"


def test_one_persons_two_spellings_agree() -> None:
    assert same_name("Abiy Ahmed", "Abiy Ahmed Ali")
    assert same_name("Narongsak Osatanakorn", "Narongsak Osottanakorn")
    assert not same_name("Mark Carney", "Mark Rutte")
    assert not same_name("Lena Ostrova", "Piotr Kasal")
    assert same_name("The Valmora Port Authority", "The Valmora Port Administration")
    assert not same_name("Valmora Port Authority", "Varo Canal Authority")
    assert not same_name("Valmora Port Authority", "Valmora Post Office")  # two words changed
    c = only(crosscheck([article("a-1", "Ledger", [role("Tomas Vrablecova")]),
                         article("a-2", "Star", [role("Tomas Vrablecová")]),
                         article("a-3", "Courier", [role("Tomas Vrablekova")])]))
    assert c["verdict"] == "corroborated"


def quote(name: str, inferred: bool = False) -> Claim:
    return Claim(kind="quote", subject="Who said “The port can afford more”", head="quote",
                 context=("port", "can", "afford", "more"), value=name,
                 normalized=name.split()[-1].lower(), unit="", sentence=0, inferred=inferred)


def test_a_spokesmans_words_are_his_principals() -> None:
    from dataclasses import replace

    spokesman = replace(quote("Ines Farrow"), normalized="farrow>ostrova")  # her spokeswoman
    c = only(crosscheck([article("a-1", "Ledger", [quote("Lena Ostrova")]),
                         article("a-2", "Star", [spokesman])]))
    assert c["verdict"] == "corroborated"
    c = only(crosscheck([article("a-1", "Ledger", [quote("Tomas Reyna")]),
                         article("a-2", "Star", [spokesman])]))
    assert c["verdict"] == "contested"


def test_a_speaker_read_from_he_does_not_contest_a_named_one() -> None:
    named = [article("a-1", "Ledger", [quote("Tomas Reyna")]),
             article("a-2", "Star", [quote("Tomas Reyna")])]
    c = only(crosscheck([*named, article("a-3", "Courier", [quote("Ines Farrow", inferred=True)])]))
    assert (c["verdict"], [v["value"] for v in c["values"]]) == ("corroborated", ["Tomas Reyna"])
    assert c["independent_sources"] == 2  # the dropped reading is not counted either
    # two articles that name two speakers disagree; a pronoun beside a name still supports it
    c = only(crosscheck([*named, article("a-3", "Courier", [quote("Ines Farrow")]),
                         article("a-4", "Post", [quote("Ines Farrow", inferred=True)])]))
    assert c["verdict"] == "contested"
    assert [v["article_ids"] for v in c["values"]] == [["a-1", "a-2"], ["a-3", "a-4"]]
    # only pronouns on every side: nothing better to go on, they are kept
    c = only(crosscheck([article("a-1", "Ledger", [quote("Tomas Reyna", inferred=True)]),
                         article("a-2", "Star", [quote("Ines Farrow", inferred=True)])]))
    assert c["verdict"] == "contested"


def rendering(text: str, speaker: str = "") -> Claim:
    from corroborate.claims.quote import WORDING, quote_words

    words = quote_words(text)
    tag = (f"who:{speaker.split()[-1].lower()}",) if speaker else ()
    return Claim(kind="quote", subject=f"Wording of the remark “{text}”", head=WORDING,
                 context=(*words, *tag), value=text, normalized=" ".join(words), unit="",
                 sentence=0)


def test_renderings_of_one_remark_in_other_words() -> None:
    """Other words in one place are a wording disagreement; a quote begun or cut elsewhere,
    articles, a bracketed letter and words run together are not."""
    from corroborate.claims.quote import quote_words, renders_differently

    def differ(a: str, b: str) -> bool:
        return renders_differently(quote_words(a), quote_words(b))

    assert differ("The wreck is consistent with a collapse of the hull.",
                  "The wreck is consistent with a collapse of the vessel.")
    assert differ("I accept that I cannot finish the work I was elected to do.",
                  "I accept though, given the storm, I cannot finish the work I was elected to do.")
    assert not differ("The wreck is consistent with a collapse of the hull.",
                      "consistent with a collapse of the hull")
    assert not differ("for as long as it takes", "stay out as long as it takes")
    assert not differ("Our focus is on crewmembers and their families.",
                      "Our focus is on the crew members and their families.")
    assert not differ("Tests confirm the presence of sulphur in the crater.",
                      "Tests confirm the presence of sulphur (S) in the crater.")


def test_a_remark_rendered_differently_is_contested_once() -> None:
    hull = "The wreck is consistent with a collapse of the hull."
    vessel = "The wreck is consistent with a collapse of the vessel."
    got = crosscheck([article("a-1", "Ledger", [rendering(hull, "Ines Farrow")]),
                      article("a-2", "Star", [rendering(vessel)], published="2026-03-20")])
    c = only(got)  # contested even a fortnight apart: a remark's words do not change
    assert (c["verdict"], [v["value"] for v in c["values"]]) == ("contested", [hull, vessel])
    # a speaker read from "she said" does not make the words any less the article's
    from dataclasses import replace
    c = only(crosscheck([article("a-1", "Ledger", [rendering(hull, "Ines Farrow")]),
                         article("a-2", "Star", [replace(rendering(vessel, "Ines Farrow"),
                                                         inferred=True)])]))
    assert c["verdict"] == "contested"
    # outlets that agree on the words: no wording claim (the quote's own claim shows it)
    assert crosscheck([article("a-1", "Ledger", [rendering(hull)]),
                       article("a-2", "Star", [rendering(hull.lower())])]) == []
    # two speakers named: two remarks, each alone
    assert crosscheck([article("a-1", "Ledger", [rendering(hull, "Ines Farrow")]),
                       article("a-2", "Star", [rendering(vessel, "Tomas Reyna")])]) == []


def test_a_bound_agrees_with_the_figures_within_it() -> None:
    def count(n: int, bound: str | None = None, aid: str = "a-1") -> Article:
        context = ("tug",) + ((f"bound:{bound}",) if bound else ())
        claim = Claim(kind="quantity", subject="tug boats", head="boat", context=context,
                      value=f"{n} tug boats", normalized=float(n), unit="boat", sentence=0)
        return article(aid, f"Outlet {aid}", [claim])

    c = only(crosscheck([count(7, "min", "a-1"), count(14, None, "a-2")]))  # "at least seven"
    assert (c["verdict"], [v["value"] for v in c["values"]]) == ("corroborated", ["14 tug boats"])
    c = only(crosscheck([count(20, "max", "a-1"), count(14, None, "a-2")]))  # "up to 20"
    assert c["verdict"] == "corroborated"
    c = only(crosscheck([count(20, "min", "a-1"), count(14, None, "a-2")]))  # "more than 20"
    assert c["verdict"] == "contested"
    # two bounds are two statements: "at least 93 dead", "at least 96 dead"
    c = only(crosscheck([count(93, "min", "a-1"), count(96, "min", "a-2")]))
    assert c["verdict"] == "contested"
    # the exact figure is the value; a bound beyond it still disagrees
    c = only(crosscheck([count(7, "min", "a-1"), count(14, None, "a-2"), count(20, "min", "a-3")]))
    assert c["verdict"] == "contested"
    assert [v["article_ids"] for v in c["values"]] == [["a-1", "a-2"], ["a-3"]]
    assert c["values"][0]["value"] == "14 tug boats"


def test_lengths_in_two_units_agree_within_their_rounding() -> None:
    """"a 1.6-mile bridge" and "the 2.6 km bridge" are one length rounded twice; "1.9 miles" is
    another, and so are "948 feet" and "984 feet", and "21 feet" and "6.7 metres" (22 feet)."""
    from corroborate.quantities import find_quantities

    def length(text: str, aid: str) -> Article:
        (q,) = find_quantities(text)
        claim = Claim(kind="quantity", subject="bridge", head="bridge", context=("harbour",),
                      value=q.text, normalized=q.value, unit=q.unit, sentence=0)
        return article(aid, f"Outlet {aid}", [claim])

    def verdict(*texts: str) -> str:
        return only(crosscheck([length(t, f"a-{i}") for i, t in enumerate(texts)]))["verdict"]

    assert verdict("1.6-mile", "2.6 km") == "corroborated"
    assert verdict("1.6-mile", "2.57 kilometres") == "corroborated"
    assert verdict("1.6-mile", "1.9-mile") == "contested"
    assert verdict("948-foot", "984-foot") == "contested"
    assert verdict("21 feet", "6.7 metres") == "contested"
    assert verdict("22 feet", "6.7 metres") == "corroborated"
    assert verdict("21 feet", "22 feet") == "contested"  # in one unit, as written
    assert verdict("120 mph", "195 km/h") == "corroborated"  # speeds too
    assert verdict("120 mph", "205 km/h") == "contested"


def test_a_planned_event_and_one_that_happened_are_two_questions() -> None:
    def landing(day: str, aid: str, *tags: str) -> Article:
        claim = Claim(kind="date", subject="When Kestrel lands", head="land",
                      context=("kestrel", *tags), value=day, normalized=day, unit="", sentence=0)
        return article(aid, f"Outlet {aid}", [claim])

    found = crosscheck([landing("2026-03-02", "a-1", "tense:planned"), landing("2026-03-03", "a-2")])
    assert sorted(c["verdict"] for c in found) == ["single_source", "single_source"]
    c = only(crosscheck([landing("2026-03-02", "a-1"), landing("2026-03-03", "a-2")]))
    assert c["verdict"] == "contested"
    # an undated article's weekday agrees with the date that falls on it, and only with that one
    c = only(crosscheck([landing("2026-03-02", "a-1"), landing("monday", "a-2")]))  # a Monday
    assert c["verdict"] == "corroborated"
    c = only(crosscheck([landing("2026-03-02", "a-1"), landing("tuesday", "a-2")]))
    assert c["verdict"] == "contested"
    c = only(crosscheck([landing("2026-03-02", "a-1"), landing("last month", "a-2")]))
    assert c["verdict"] == "corroborated"  # cannot be compared
    # and a month and day without a year, with the date or with the same month and day
    c = only(crosscheck([landing("2026-03-02", "a-1"), landing("march 2", "a-2"),
                         landing("2 march", "a-3")]))
    assert c["verdict"] == "corroborated"
    c = only(crosscheck([landing("2026-03-02", "a-1"), landing("march 3", "a-2")]))
    assert c["verdict"] == "contested"
    c = only(crosscheck([landing("march 3", "a-1"), landing("oct. 3", "a-2")]))
    assert c["verdict"] == "contested"


def test_times_of_day_agree_as_precisely_as_they_are_written() -> None:
    def touchdown(clock: str, aid: str, owner: str, *tags: str) -> Article:
        claim = Claim(kind="date", subject=f"What time {owner} lands", head="land:time",
                      context=(owner, *tags), value=clock, normalized=clock, unit="", sentence=0)
        return article(aid, f"Outlet {aid}", [claim])

    # one touchdown, whatever the outlets call the craft: 6:04 p.m. and 6:03 p.m. differ
    c = only(crosscheck([touchdown("18:04", "a-1", "kestrel"), touchdown("18:03", "a-2", "lander")]))
    assert c["verdict"] == "contested"
    c = only(crosscheck([touchdown("18:04", "a-1", "kestrel"), touchdown("18", "a-2", "lander"),
                         touchdown("?6:04", "a-3", "probe")]))  # "shortly after 6pm", "6:04"
    assert c["verdict"] == "corroborated"
    found = crosscheck([touchdown("18:04", "a-1", "kestrel"), touchdown("08:34", "a-2", "kestrel",
                                                                         "zone:et")])
    assert sorted(c["verdict"] for c in found) == ["single_source", "single_source"]


def test_two_peoples_time_in_office_are_two_questions() -> None:
    def tenure(days: float, who: str, aid: str) -> Article:
        claim = Claim(kind="quantity", subject=f"{who}'s time in office", head="tenure",
                      context=(f"who:{who.lower()}",), value=f"{days:g} days", normalized=days,
                      unit="day", sentence=0)
        return article(aid, f"Outlet {aid}", [claim])

    c = only(crosscheck([tenure(45, "Ostrova", "a-1"), tenure(44, "Ostrova", "a-2")]))
    assert c["verdict"] == "contested"
    found = crosscheck([tenure(45, "Ostrova", "a-1"), tenure(119, "Canning", "a-2")])
    assert sorted(c["verdict"] for c in found) == ["single_source", "single_source"]


def test_an_undated_report_of_a_later_event_follows_a_dated_one() -> None:
    from dataclasses import replace

    may = article("a-1", "Ledger", [role("Lena Ostrova")], published="2026-05-09")
    july = [article("a-2", "Star", [role("Piotr Kasal")], published="2026-07-09"),
            replace(article("a-3", "Courier", [role("Piotr Kasal")], published=None),
                    event_date="2026-07-13")]  # undated, about an event of 13 July
    c = only(crosscheck([may, *july]))
    assert c["verdict"] == "updated"
    assert [v["value"] for v in c["values"]] == ["Lena Ostrova", "Piotr Kasal"]
    # undated, no date in its lead, in the story of a report of 9 July
    story = [replace(article("a-2", "Star", [role("Piotr Kasal")], published="2026-07-09"),
                     story_id="s-july"),
             replace(article("a-3", "Courier", [role("Piotr Kasal")], published=None),
                     story_id="s-july")]
    assert only(crosscheck([may, *story]))["verdict"] == "updated"
    # an undated earlier value: its report may have been written any time after 9 May
    c = only(crosscheck([replace(may, published=None, event_date="2026-05-09"),
                         article("a-2", "Star", [role("Piotr Kasal")], published="2026-07-09")]))
    assert c["verdict"] == "contested"
