"""`corroborate eval DIR --texts T`: scoring a report against a corpus in the shared format
(../shared/eval-format.md), on a small corpus of our own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from corroborate.cli import main
from corroborate.corpus_eval import (
    Fact,
    answers,
    carries,
    corroboration,
    figures,
    score_copies,
    story_pairs,
    titles,
)

STRIKE = ("Harbour pilots at Port Averly walked out on Monday after pay talks with the port "
          "authority failed, leaving {ships} ships waiting outside the harbour. The pilots' union "
          "said the strike would last until the authority returned to the table with a better "
          "offer. Port director Lena Ostrova said the authority had offered a raise of 4% and "
          "would not go further this year.")
PAGES = {
    "001.txt": "Averly pilots walk out as pay talks fail\n\n" + STRIKE.format(ships=14),
    "002.txt": ("Port Averly at a standstill as pilots strike\n\nAs many as 16 ships were "
                "waiting outside Port Averly on Monday evening after its harbour pilots walked "
                "out over pay, the port's vessel tracking office said. The union wants more than "
                "the 4% raise that port director Lena Ostrova offered, and said the pilots would "
                "stay out until the authority improved it."),
    "003.txt": ("Averly pilots walk out as pay talks fail\n\n" + STRIKE.format(ships=14) +
                "\n\nSign up for our newsletter\n\nMore from Coastal Reprints"),
    "004.txt": ("Fire destroys grain warehouse in Kessel\n\nA fire destroyed a grain warehouse at "
                "the Kessel docks on Friday, and 40 firefighters fought the blaze for six hours, "
                "fire chief Ana Moreno said. Nobody was hurt. The warehouse held 2,000 tonnes of "
                "grain, its owner said, and the cause of the fire is not yet known."),
    "005.txt": ("Kessel dock warehouse burns\n\nForty firefighters battled a blaze at a Kessel "
                "dock warehouse for six hours on Friday, chief Ana Moreno said; 2,000 tonnes of "
                "grain were lost and no one was injured. Investigators have not found the cause."),
}
LABELS = [
    {"file": "001.txt", "url": "https://lantern.example/2025/03/03/pilots-strike", "outlet":
     "The Lantern", "title": "Averly pilots walk out as pay talks fail", "published": "2025-03-03",
     "event": "averly-strike", "full_text": True, "near_duplicate_of": None, "notes": ""},
    {"file": "002.txt", "url": "https://courier.example/averly-standstill", "outlet": "Courier",
     "title": "Port Averly at a standstill as pilots strike", "published": "2025-03-03", "event": "averly-strike", "full_text": True,
     "near_duplicate_of": None, "notes": ""},
    {"file": "003.txt", "url": "https://reprints.example/pilots", "outlet": "Coastal Reprints",
     "title": None, "published": "2025-03-04", "event": "averly-strike", "full_text": True,
     "near_duplicate_of": "001.txt", "notes": "copy with chrome appended"},
    {"file": "004.txt", "url": "https://lantern.example/2025/02/28/kessel-fire", "outlet":
     "The Lantern", "title": "Fire destroys grain warehouse in Kessel", "published": "2025-02-28",
     "event": "kessel-fire",
     "full_text": True, "near_duplicate_of": None, "notes": ""},
    {"file": "005.txt", "url": "https://courier.example/kessel", "outlet": "Courier",
     "title": "Kessel dock warehouse burns", "published": "2025-02-28", "event": "kessel-fire", "full_text": True,
     "near_duplicate_of": None, "notes": ""},
]
EVENTS = {
    "averly-strike": {"description": "", "files": ["001.txt", "002.txt", "003.txt"], "facts": [
        {"fact": "Ships waiting", "values_by_file": {"001.txt": "14 ships", "002.txt": "16 ships"},
         "agree": False, "kind": "conflict", "note": ""},
        {"fact": "Raise offered", "values_by_file": {"001.txt": "4%", "002.txt": "4%"},
         "agree": True}]},
    "kessel-fire": {"description": "", "files": ["004.txt", "005.txt"], "facts": [
        {"fact": "Firefighters", "values_by_file": {"004.txt": "40 firefighters",
                                                    "005.txt": "Forty firefighters"},
         "agree": True, "kind": "compatible", "note": "a number in words"}]},
}


def test_figures_and_words_carry_a_labelled_value() -> None:
    assert figures("1,600 feet or 1600 ft, 3.0 m") == {"1600", "3"}
    assert carries("$6.5 billion", "6.5 billion") and not carries("65", "6.5 billion")
    assert carries("Altman", "Altman will serve as interim CEO")
    assert not carries("Mira Murati", "Altman will serve as interim CEO")
    # a time of day written with a dot is the same time, not a decimal
    assert carries("6.30pm", "around 6:30 p.m.") and not carries("6.30pm", "6.40pm")
    assert figures("6.5 percent") == {"6.5"}


def test_pairs_of_pages_and_copies() -> None:
    events = {"a": "e1", "b": "e1", "c": "e2", "n": None, "m": None}
    assert story_pairs({"a": "s1", "b": "s1", "c": "s2", "n": "s3", "m": "s3"}, events)["f1"] == \
        pytest.approx(2 * (1 / 2) * 1 / (1 / 2 + 1), abs=1e-3)  # the noise pair is a false pair
    rows = [{"file": "x", "near_duplicate_of": None}, {"file": "a", "near_duplicate_of": "x"},
            {"file": "b", "near_duplicate_of": "a"}, {"file": "d", "near_duplicate_of": None}]
    found = score_copies(rows, [("a", "x"), ("b", "x"), ("d", "a")])
    assert found["found"] == 2 and found["missed"] == []  # b and a: both copies of x
    assert found["false_pairs"] == ["d -> a"]
    assert score_copies(rows, [("b", "x")])["missed"] == ["a -> x", "b -> a"]


def test_titles_are_judged_by_the_headlines_the_input_holds() -> None:
    """A headline the labels rebuilt from the URL's slug is asked for of a JSONL dump (which
    carries the URL), not of a folder of text files (which does not)."""
    rows = [{"file": "1.txt", "title": "Ferry runs aground off Tarn Island", "notes": ""},
            {"file": "2.txt", "title": "Ferry freed after two days",
             "notes": "title derived from URL slug; store date prefix removed"}]
    report = {"stories": [{"title": "Ferry runs aground off Tarn Island", "article_ids": ["a"]},
                          {"title": "The ferry was towed free at dawn.", "article_ids": ["b"]}]}
    file_of = {"a": "1.txt", "b": "2.txt"}
    jsonl = titles(report, file_of, rows, "jsonl")
    assert (jsonl["judged"], jsonl["headline"], jsonl["no_labelled_headline"]) == (2, 1, 0)
    txt = titles(report, file_of, rows, "txt")
    assert (txt["judged"], txt["headline"], txt["no_labelled_headline"]) == (1, 1, 1)
    assert txt["unjudged"] == ["The ferry was towed free at dawn. (2.txt)"]
    # nor one the page's text does not hold (a title the labels took from elsewhere)
    texts = {"1.txt": "Ferry runs aground off Tarn Island\n\nThe ferry...", "2.txt": "The ferry..."}
    rows[1]["notes"] = ""
    held = titles(report, file_of, rows, "txt", texts)
    assert (held["judged"], held["headline"], held["no_labelled_headline"]) == (1, 1, 1)
    assert titles(report, file_of, rows, "txt")["judged"] == 2  # without the texts, asked for


def test_a_title_from_a_page_of_another_event_is_counted_apart() -> None:
    """A hard negative that joined a story and titles it: a page's headline, but not one of the
    story's main event."""
    rows = [{"file": "1.txt", "title": "Ferry runs aground off Tarn Island", "event": "ferry"},
            {"file": "2.txt", "title": "Ferry freed after two days", "event": "ferry"},
            {"file": "3.txt", "title": "Barge runs aground in 2019", "event": None}]
    report = {"stories": [{"title": "Barge runs aground in 2019", "article_ids": ["a", "b", "c"]},
                          {"title": "Ferry freed after two days", "article_ids": ["d"]}]}
    file_of = {"a": "1.txt", "b": "2.txt", "c": "3.txt", "d": "2.txt"}
    judged = titles(report, file_of, rows, "jsonl")
    assert (judged["headline"], judged["main_event"]) == (2, 1)
    assert judged["other_event"] == ["Barge runs aground in 2019 (1.txt, 2.txt, 3.txt)"]


def test_a_claim_is_right_about_a_disagreement_when_two_pages_carry_its_two_values() -> None:
    fact = Fact("e", "Ships waiting", {"001.txt": "14 ships", "002.txt": "16 ships"}, False,
                "conflict")
    claim = {"values": [{"value": "14 ships", "article_ids": ["a1"]},
                        {"value": "16", "article_ids": ["a2"]}]}
    file_of = {"a1": "001.txt", "a2": "002.txt"}
    assert answers(claim, fact, file_of)
    # the same two values from one page say nothing about the pages' disagreement
    assert not answers(claim, fact, {"a1": "001.txt", "a2": "001.txt"})


def test_a_corroboration_is_right_when_the_pages_it_counts_give_one_answer() -> None:
    facts = [Fact("e", "Ships waiting", {"001.txt": "14 ships", "002.txt": "14 vessels",
                                         "003.txt": "16 ships"}, False, "conflict"),
             Fact("e", "Canal closed", {"001.txt": "six days", "003.txt": "six days"}, True,
                  None)]
    file_of = {"a1": "001.txt", "a2": "002.txt", "a3": "003.txt"}

    def claim(value: str, *ids: str) -> dict[str, Any]:
        return {"verdict": "corroborated", "values": [{"value": value, "article_ids": list(ids)}]}

    assert corroboration(claim("14 ships", "a1", "a2"), facts, file_of) is True
    assert corroboration(claim("six days", "a1", "a3"), facts, file_of) is True
    # counted as one answer by pages that the labels say disagree
    assert corroboration(claim("14 ships", "a1", "a3"), facts, file_of) is False
    # no labelled answer on two of its pages: the labels cannot judge it
    assert corroboration(claim("14 ships", "a1"), facts, file_of) is None
    assert corroboration(claim("a crane", "a1", "a2"), facts, file_of) is None


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["txt", "jsonl"])
def test_eval_of_a_corpus_in_the_shared_format(tmp_path: Path, mode: str) -> None:
    labels, texts = tmp_path / "corpus", tmp_path / "texts"
    labels.mkdir()
    texts.mkdir()
    (labels / "labels.json").write_text(json.dumps(LABELS))
    (labels / "events.json").write_text(json.dumps(EVENTS))
    for name, text in PAGES.items():
        (texts / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(labels), "--texts", str(texts), "--as", mode,
                                       "--baseline", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    figures_ = json.loads(result.stdout)
    assert figures_["pages"] == 5 and figures_["events"] == 2
    assert figures_["story_clustering"]["f1"] == 1.0 and figures_["baseline"]["f1"] > 0
    assert figures_["copies"]["found"] == 1 and figures_["copies"]["false_pairs"] == []
    assert figures_["titles"]["share"] == 1.0 and figures_["titles"]["judged"] == 2
    d = figures_["disagreements"]
    assert d["labelled"] == 1 and d["per_kind"]["conflict"]["labelled"] == 1
    assert d["found"] == 1 and d["known_wrong"] == 0


def test_eval_names_the_missing_texts(tmp_path: Path) -> None:
    (tmp_path / "labels.json").write_text(json.dumps(LABELS))
    (tmp_path / "events.json").write_text(json.dumps(EVENTS))
    result = CliRunner().invoke(main, ["eval", str(tmp_path)])
    assert result.exit_code == 1
    assert "5 of 5 page texts are missing" in result.stderr and "--texts" in result.stderr
