"""Claims acceptance: the seeds (as they are, and with their names and numbers swapped, so that
nothing is special-cased), the planted disagreements of the examples, and the evaluation gate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import corroborate
from corroborate.evaluation import evaluate
from corroborate.report import validate
from corroborate.report.claimreview import claim_reviews
from corroborate.settings import load

from .conftest import ROOT

pytestmark = pytest.mark.slow

# The seeds with every name and number that the checks rely on swapped for others.
SWAPS = {"Carney": "Okafor", "Mark": "Ruth", "Trump": "Lindqvist", "Donald": "Elias",
         "Lutnick": "Haverford", "Howard": "Simon", "Wilbur Ross": "Alma Pemberton",
         "LeBlanc": "Marchetti", "Dominic": "Paolo", "Anand": "Ferreira", "Anita": "Lucia",
         "Joly": "Dumont", "Mélanie": "Hélène", "Melanie": "Helene", "35%": "45%",
         "25%": "15%", "50 per cent": "60 per cent", "25 per cent": "20 per cent",
         "Tuesday": "Thursday", "second": "third"}


def swapped(text: str) -> str:
    pattern = re.compile("|".join(re.escape(k) for k in sorted(SWAPS, key=len, reverse=True)))
    return pattern.sub(lambda m: SWAPS[m.group(0)], text)


@pytest.fixture(scope="module", params=["as published", "swapped"])
def case(request: pytest.FixtureRequest, seeds: Path, tmp_path_factory: pytest.TempPathFactory
         ) -> tuple[dict, dict[str, str]]:
    folder = seeds
    names = {v: v for v in SWAPS.values()} | {k: k for k in SWAPS}
    if request.param == "swapped":
        folder = tmp_path_factory.mktemp("swapped")
        for f in seeds.iterdir():
            (folder / f.name).write_text(swapped(f.read_text(encoding="utf-8")), encoding="utf-8")
        names = {k: SWAPS.get(k, k) for k in SWAPS}
    else:
        names = {k: k for k in SWAPS}
    report = corroborate.analyze([str(folder)]).report()
    validate(report)
    return report, names


def prefix(report: dict, article_id: str) -> str:
    source = next(a["source"] for a in report["articles"] if a["id"] == article_id)
    return Path(source).name[:3]


def claims_of(report: dict) -> list[dict]:
    return list({c["id"]: c for s in report["stories"] for c in s["claims"]}.values())


def holders(report: dict, claim: dict) -> list[tuple[str, set[str]]]:
    return [(v["value"], {prefix(report, i) for i in v["article_ids"]}) for v in claim["values"]]


def find(report: dict, verdicts: set[str], test) -> dict:  # type: ignore[no-untyped-def]
    found = [c for c in claims_of(report) if c["verdict"] in verdicts and test(c)]
    assert found, "claim not found"
    return found[0]


def test_tariff_rate_disagreement(case: tuple[dict, dict[str, str]]) -> None:
    report, n = case
    c = find(report, {"contested", "updated"}, lambda c: c["kind"] == "quantity" and
             "tariff" in c["subject"] and len(c["values"]) == 2)
    got = dict(holders(report, c))
    assert got[n["25%"]] == {"002"} and got[n["35%"]] == {"000", "001"}


def test_commerce_secretary_is_contested(case: tuple[dict, dict[str, str]]) -> None:
    report, n = case
    c = find(report, {"contested"}, lambda c: c["kind"] == "role" and "Commerce" in c["subject"])
    got = {v.split()[-1]: who for v, who in holders(report, c)}
    assert got == {n["Lutnick"]: {"000"}, n["Wilbur Ross"].split()[-1]: {"002"}}


def test_fifty_first_state_attribution_is_contested(case: tuple[dict, dict[str, str]]) -> None:
    report, n = case
    c = find(report, {"contested"}, lambda c: c["kind"] == "attribution" and "51st" in c["subject"])
    got = {v.split()[-1]: who for v, who in holders(report, c)}
    assert got == {n["Trump"]: {"001", "003"}, n["Carney"]: {"004"}}


def test_the_visit_is_corroborated(case: tuple[dict, dict[str, str]]) -> None:
    report, n = case
    when = find(report, {"corroborated"}, lambda c: c["kind"] == "event" and
                c["subject"].startswith("When") and n["Carney"] in c["subject"])
    assert holders(report, when)[0][1] == {"001", "003", "004"} and len(when["values"]) == 1
    assert when["values"][0]["normalized"] == n["Tuesday"].lower()
    where = find(report, {"corroborated"}, lambda c: c["kind"] == "event" and
                 c["subject"].startswith("Where") and n["Carney"] in c["subject"])
    assert holders(report, where)[0][1] == {"001", "003", "004"}  # Washington = the White House
    visit = find(report, {"corroborated"}, lambda c: "visit" in c["subject"])
    assert holders(report, visit) == [(n["second"], {"001", "003", "004"})]


def test_companions_and_dead_end_remark_are_corroborated(case: tuple[dict, dict[str, str]]) -> None:
    report, n = case
    who = find(report, {"corroborated"}, lambda c: c["subject"].startswith("Who accompanies"))
    assert holders(report, who)[0][1] == {"001", "003"}
    assert set(who["values"][0]["normalized"]) == {n[k].lower() for k in ("Anand", "Joly", "LeBlanc")}
    quote = find(report, {"corroborated"}, lambda c: c["kind"] == "quote" and "dead end" in c["subject"])
    assert holders(report, quote) == [(f"{n['Dominic']} {n['LeBlanc']}", {"001", "003"})]


def test_steel_and_counter_tariffs_are_single_source(case: tuple[dict, dict[str, str]]) -> None:
    report, n = case
    steel = find(report, {"single_source"}, lambda c: c["kind"] == "quantity" and
                 c["values"][0]["value"] == n["50 per cent"])
    counter = find(report, {"single_source"}, lambda c: c["kind"] == "quantity" and
                   "counter" in c["subject"])
    assert holders(report, steel) == [(n["50 per cent"], {"003"})]
    assert holders(report, counter) == [(n["25 per cent"], {"003"})]


def test_examples_planted_disagreements(example_report: dict) -> None:
    by_id = {a["id"]: a for a in example_report["articles"]}
    found = {}
    for c in claims_of(example_report):
        if c["verdict"] in {"contested", "updated"}:
            found[(c["kind"], c["verdict"])] = {v["value"]: {by_id[i]["outlet"] for i in v["article_ids"]}
                                                for v in c["values"]}
    assert found[("role", "contested")]["Piotr Kasal"] == {"Valmora Evening Star"}
    assert found[("quote", "contested")]["Marta Ilves"] == {"The Meridian Observer"}
    assert found[("date", "contested")]["March 10"] == {"The Continental Monitor"}
    assert found[("attribution", "contested")]["Daniel Hruska"] == {"Kestrel Business Review"}
    rates = next(c for c in claims_of(example_report) if c["verdict"] == "contested"
                 and any(v["value"] == "5.5%" for v in c["values"]))
    assert {by_id[i]["outlet"] for v in rates["values"] if v["value"] == "5.5%"
            for i in v["article_ids"]} == {"Ardenza Business Journal"}


def test_claimreview_export(example_report: dict) -> None:
    doc = claim_reviews(example_report)
    assert doc["@context"] == "https://schema.org"
    ratings = {r["reviewRating"]["alternateName"] for r in doc["@graph"]}
    assert ratings == {"Contested", "Corroborated"}
    kasal = next(r for r in doc["@graph"] if r["claimReviewed"] == "Transport Minister: Piotr Kasal")
    assert kasal["itemReviewed"]["appearance"][0]["publisher"]["name"] == "Valmora Evening Star"
    assert "Lena Ostrova" in kasal["reviewRating"]["ratingExplanation"]


def test_quality_gate_on_the_labelled_corpus() -> None:
    result = evaluate(ROOT / "tests" / "data" / "eval" / "labels.json", load(env={}, progress=False))
    assert result["events"] >= 8 and result["articles"] >= 40
    assert result["story_clustering"]["f1"] >= 0.9
    everything = result["claims"]["all"]
    assert everything["contradiction_precision"] >= 0.85
    assert everything["contradiction_recall"] >= 0.8
