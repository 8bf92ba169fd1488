"""Acceptance on the five real articles in ../shared/seeds (read from there, never copied)."""

from __future__ import annotations

from pathlib import Path

import pytest

import corroborate
from corroborate.report import validate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(seeds: Path) -> dict:
    corpus = corroborate.analyze([str(seeds)])
    assert not corpus.last_run.failed  # type: ignore[union-attr]
    return corpus.report()


def by_prefix(report: dict, prefix: str) -> dict:
    return next(a for a in report["articles"] if Path(a["source"]).name.startswith(prefix))


def test_report_validates(report: dict) -> None:
    validate(report)
    assert len(report["articles"]) == 5


def test_trailing_headlines_of_000_are_removed(report: dict) -> None:
    a = by_prefix(report, "000")
    assert len(a["boilerplate"]) == 17
    assert "Kennedy Center" not in a["text"] and "MOEX" not in a["text"]
    assert "Dominic LeBlanc, Canada’s minister in charge of U.S.-Canada trade" in a["text"]
    assert a["text"].rstrip().endswith("strained trade relations.")


def test_chrome_of_001_is_removed_and_news_kept(report: dict) -> None:
    a = by_prefix(report, "001")
    for chrome in ("Also Read: Best long term Canadian stocks", "Also Read: Canadian stocks to buy 2025",
                   "Sign Up For our Newsletters to get latest updates", "Leave a Reply"):
        assert chrome in a["boilerplate"] and chrome not in a["text"]
    for news in ("He will be accompanied by Intergovernmental Affairs Minister Dominic LeBlanc",
                 "“Time will tell us if my optimism is misplaced,” LeBlanc added.",
                 "Conservative Party leader Pierre Poilievre weighed in Friday"):
        assert news in a["text"]


def test_the_white_house_visit_is_one_story(report: dict) -> None:
    stories = {by_prefix(report, p)["story_id"] for p in ("001", "003", "004")}
    assert len(stories) == 1 and None not in stories


def test_brief_names_the_actors_with_full_names(report: dict) -> None:
    story_id = by_prefix(report, "001")["story_id"]
    story = next(s for s in report["stories"] if s["id"] == story_id)
    people = {e["name"] for e in story["entities"] if e["label"] == "PERSON"}
    assert {"Mark Carney", "Donald Trump", "Dominic LeBlanc"} <= people
    assert "Carney" not in people and "Trump" not in people  # resolved to the full names
    assert all(line["sentence"] in by_id(report, line["article_id"])["text"]
               for line in story["summary"])


def by_id(report: dict, article_id: str) -> dict:
    return next(a for a in report["articles"] if a["id"] == article_id)
