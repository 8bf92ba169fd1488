"""Story clustering and storylines: unit behaviour, then the bundled examples against their labels."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as settings_
from hypothesis import strategies as st

from corroborate.settings import Settings
from corroborate.store import Member
from corroborate.stories import (
    StoryIndex,
    days_apart,
    idf,
    overlap,
    related_stories,
    storyline_id_for,
    storylines,
    terms,
)

from .conftest import EXAMPLES, labels


def unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_overlap_and_days() -> None:
    assert overlap(frozenset("ab"), frozenset("bc")) == pytest.approx(0.5)
    assert overlap(frozenset(), frozenset("a")) == 0
    assert days_apart("2026-02-01", "2026-03-01") == 28 and days_apart(None, "2026-03-01") is None


def words(text: str) -> dict[str, int]:
    return {w: text.split().count(w) for w in set(text.split())}


def member(id: str, story: str, published: str | None, text: str, keys: set[str],
           event_date: str | None = None) -> Member:
    return Member(id, story, published, frozenset(keys), words(text), event_date)


def test_terms_are_the_title_and_text_without_stop_words() -> None:
    from corroborate.records import Article

    article = Article("a-1", "x", "text", "", title="Dockworkers strike", text="The dockworkers of "
                      "Valmora walked out; the strike goes on.")
    assert terms(article) == {"dockworkers": 2, "strike": 2, "valmora": 1, "walked": 1, "goes": 1}
    assert idf({"strike": 2, "rare": 0}, documents=4)["rare"] > idf({"strike": 2}, 4)["strike"]


def test_an_article_joins_the_closest_story_within_the_time_window() -> None:
    s = Settings(story_threshold=0.2, story_window_days=10, story_day_penalty=0.04)
    index = StoryIndex([], np.zeros((0, 0), dtype=np.float32), idf({"bank": 1}, 10))
    index.add(member("a1", "s1", "2026-02-02", "dockers strike port valmora", {"port", "union"}),
              unit(1, 0, 0))
    index.add(member("a2", "s2", "2026-02-02", "bank rate cut", {"bank"}), unit(0, 1, 0))
    new = member("n", "", "2026-02-03", "valmora port strike continues", {"port", "union"})
    story, score = index.best_story(new, s)
    assert story == "s1" and score > 0.5
    # the same words seven weeks later are a new event
    assert index.best_story(replace(new, published="2026-03-20"), s)[0] is None
    # so are they a week later, where the event's own date says so: the days apart cost
    later = replace(new, published="2026-02-09", event_date="2026-02-09")
    assert index.best_story(later, s)[1] < score - 6 * 0.04 + 1e-6
    # nothing close enough: a new story
    assert index.best_story(member("x", "", "2026-02-03", "snow storm", {"snow"}), s)[0] is None


def test_undated_reports_are_placed_by_the_weekdays_of_their_leads() -> None:
    """Two undated reports of one storyline: "fired on Friday" and "threatened on Monday to
    quit" are three days apart, as the penalty counts them; a dated member's weekday is its
    date's (2026-02-02 is a Monday)."""
    s = Settings(story_day_penalty=0.04)
    index = StoryIndex([], np.zeros((0, 0), dtype=np.float32))
    index.add(replace(member("fri", "s1", None, "staff letter board quit", {"board"}),
                      event_weekday=4), unit(1, 0, 0))
    index.add(member("mon", "s2", "2026-02-02", "staff letter board quit", {"board"}), unit(1, 0, 0))
    index.add(member("none", "s3", None, "board", {"board"}), unit(1, 0, 0))
    monday = replace(member("n", "", None, "staff letter board quit", {"board"}), event_weekday=0)
    assert index.gaps(monday).tolist() == [3, 0, 0]
    assert index.gaps(replace(monday, event_weekday=None)).tolist() == [0, 0, 0]
    assert index.best_story(monday, s)[0] == "s2"  # worded alike: the weekday decides


def test_a_page_dated_by_its_publication_alone_may_report_an_event_of_the_days_before() -> None:
    """Rolling coverage: a report published on Thursday 2026-02-05 with no event date of its own
    stands for the days before it, so it is one day from a flood of Sunday 2026-02-01 (four by
    its publication) when that span is three days, none when it is five, and no days from
    another such report of the Friday; a dated event after the publication is still counted."""
    index = StoryIndex([], np.zeros((0, 0), dtype=np.float32))
    index.add(member("sun", "s1", "2026-02-02", "flood dams toll", {"corvin"}, "2026-02-01"),
              unit(1, 0, 0))
    index.add(member("fri", "s2", "2026-02-06", "flood dams toll", {"corvin"}), unit(1, 0, 0))
    thursday = member("thu", "", "2026-02-05", "flood dams toll", {"corvin"})
    assert index.gaps(thursday).tolist() == [4, 1]
    assert index.gaps(thursday, reported_days=3).tolist() == [1, 0]
    assert index.gaps(thursday, reported_days=5).tolist() == [0, 0]
    later = member("sat", "", "2026-02-08", "flood dams toll", {"corvin"}, "2026-02-07")
    assert index.gaps(later, reported_days=3).tolist() == [6, 1]


def test_entity_overlaps_with_every_member_as_one_product() -> None:
    """Members loaded from the store are one sparse matrix of entity keys, those added since are
    compared one by one; both give :func:`overlap`."""
    loaded = [member("a", "s1", None, "x", {"per:orlov", "loc:brenna"}),
              member("b", "s1", None, "x", set()),
              member("c", "s2", None, "x", {"loc:brenna"})]
    index = StoryIndex(loaded, np.zeros((3, 3), dtype=np.float32))
    index.add(member("d", "s2", None, "x", {"per:orlov", "org:union"}), unit(1, 0, 0))
    new = member("n", "", None, "x", {"per:orlov", "loc:brenna", "org:parliament"})
    expected = [overlap(new.keys, m.keys) for m in index.members]
    assert index.overlaps(new) == pytest.approx(expected) and expected[0] > expected[3] > 0
    assert index.overlaps(replace(new, keys=frozenset())).tolist() == [0, 0, 0, 0]


FLIGHT = "president flew abroad military plane airport fled protesters palace"
VOTE = "parliament elected president votes ballot acting sworn lawmakers"


def test_refining_moves_members_to_the_story_that_fits_them_better() -> None:
    """An election report that recalls the president's flight arrived first, so the flight's
    reports joined its story on arrival; the later election reports opened another. Refining
    sends the first report to the election story and leaves the flight's two together; a member
    that fits no story any more leaves for one of its own."""
    s = Settings(story_threshold=0.2, story_day_penalty=0.0)
    index = StoryIndex([], np.zeros((0, 0), dtype=np.float32))
    index.add(member("e1", "s1", None, f"{VOTE} fled abroad", {"wick", "gota"}), unit(1, 0, 0))
    index.add(member("f1", "s1", None, f"{FLIGHT} maldives", {"gota"}), unit(1, 0, 0))
    index.add(member("f2", "s1", None, f"{FLIGHT} singapore", {"gota"}), unit(1, 0, 0))
    index.add(member("e2", "s2", None, f"{VOTE} opposition", {"wick"}), unit(1, 0, 0))
    index.add(member("e3", "s2", None, f"{VOTE} cabinet", {"wick"}), unit(1, 0, 0))
    assert index.refine({"s1", "s2"}, s.with_(story_refine_rounds=0)) == {}
    assert index.refine({"s1", "s2"}, s) == {"e1": "s2"}
    assert {k: sorted(index.members[i].id for i in v) for k, v in index.by_story.items()} == \
        {"s1": ["f1", "f2"], "s2": ["e1", "e2", "e3"]}
    assert index.refine({"s1", "s2"}, s) == {}  # nothing left to move
    # a report about something else, put in a story on arrival, leaves it
    index.add(member("x", "s1", None, "snow storm roads closed", {"snow"}), unit(1, 0, 0))
    moved = index.refine({"s1"}, s)
    assert list(moved) == ["x"] and moved["x"] not in {"s1", "s2"}
    assert index.members[5].story_id == moved["x"]


def test_similar_events_of_other_years_do_not_crowd_out_this_one() -> None:
    """A yearly event reported in the same words: the candidate stories are chosen within the
    time window, so thirty look-alikes from other years never hide this year's story."""
    s = Settings(story_threshold=0.2, story_window_days=10)
    index = StoryIndex([], np.zeros((0, 0), dtype=np.float32))
    for year in range(1990, 2020):  # closer in wording than this year's own story
        index.add(member(f"old{year}", f"s{year}", f"{year}-02-02", "mayor parade city hall crowd",
                         {f"mayor{year}"}), unit(1, 0.2, 0))
    index.add(member("now", "s2026", "2026-02-02", "mayor parade crowd rain", {"mayor2026"}),
              unit(1, 0.5, 0))
    new = member("n", "", "2026-02-03", "mayor parade city hall crowd", {"mayor2026"})
    assert index.best_story(new, s)[0] == "s2026"


def test_storylines_link_related_stories_close_in_time_with_shared_entities() -> None:
    s = Settings(storyline_threshold=0.65, storyline_window_days=90)
    index = StoryIndex([], np.zeros((0, 0), dtype=np.float32))
    index.add(Member("a", "strike", "2026-02-02", frozenset({"port", "union"})), unit(1, 0.1, 0))
    index.add(Member("b", "talks", "2026-03-20", frozenset({"port", "union"})), unit(1, 0.2, 0))
    index.add(Member("c", "strike2019", "2019-02-02", frozenset({"port", "union"})), unit(1, 0.1, 0))
    index.add(Member("d", "undated", None, frozenset({"port", "union"})), unit(1, 0.1, 0))
    # the same kind of event elsewhere: worded alike, but no one in common
    index.add(Member("e", "other-port", "2026-02-20", frozenset({"harbour", "guild"})), unit(1, 0.1, 0))
    linked = {frozenset((a, b)) for a, b, _ in related_stories(index, ["strike"], s)}
    assert linked == {frozenset(("strike", "talks")), frozenset(("strike", "undated"))}


def test_storylines_are_connected_groups_under_the_cap() -> None:
    lines = storylines({"s1": None, "s2": None, "s3": None, "s4": None},
                       {}, [("s1", "s2", 0.7), ("s2", "s3", 0.8)], cap=40)
    assert lines["s1"] == lines["s2"] == lines["s3"] == storyline_id_for(["s1", "s2", "s3"])
    assert "s4" not in lines  # linked to nothing: left alone


def test_a_chain_of_links_stops_at_the_cap_strongest_links_first() -> None:
    chain = [("s1", "s2", 0.9), ("s2", "s3", 0.7), ("s3", "s4", 0.8), ("s4", "s5", 0.75)]
    lines = storylines(dict.fromkeys(["s1", "s2", "s3", "s4", "s5"]), {}, chain, cap=2)
    assert lines == {"s1": storyline_id_for(["s1", "s2"]), "s2": storyline_id_for(["s1", "s2"]),
                     "s3": storyline_id_for(["s3", "s4"]), "s4": storyline_id_for(["s3", "s4"])}


def test_a_new_story_joins_a_stored_storyline_with_all_its_stories() -> None:
    current = {"s-new": None, "s-a": "l-old", "s-x": "l-full"}
    members = {"l-old": ["s-a", "s-b"], "l-full": ["s-x", "s-y", "s-z"]}
    lines = storylines(current, members, [("s-new", "s-a", 0.7), ("s-new", "s-x", 0.9)], cap=3)
    # the stronger link leads to a full storyline: the new story joins the other one
    grown = storyline_id_for(["s-a", "s-b", "s-new"])
    assert lines == {"s-a": grown, "s-b": grown, "s-new": grown}


@pytest.mark.slow
def test_examples_form_the_labelled_stories_and_storylines(example_report: dict) -> None:
    truth = labels()
    event_of = {a["title"]: a["event"] for a in truth["articles"]}
    line_of = {e["slug"]: e["storyline"] for e in truth["events"]}
    by_story: dict[str, set[str]] = {}
    for a in example_report["articles"]:
        by_story.setdefault(a["story_id"], set()).add(event_of[a["title"]])
    assert sorted(map(sorted, by_story.values())) == [[e] for e in sorted(line_of)]
    storyline = {s["id"]: s["storyline_id"] for s in example_report["stories"]}
    event_storyline = {next(iter(events)): storyline[sid] for sid, events in by_story.items()}
    assert event_storyline["valmora-port-strike"] == event_storyline["valmora-port-talks"] is not None
    assert event_storyline["ardenza-rate-hike"] is None


@pytest.mark.slow
def test_the_syndicated_copy_points_to_its_original(example_report: dict) -> None:
    truth = {a["title"]: a for a in labels()["articles"]}
    by_ref = {a["ref"]: a["title"] for a in truth.values()}
    by_id = {a["id"]: a for a in example_report["articles"]}
    for a in example_report["articles"]:
        expected = truth[a["title"]]["duplicate_of"]
        actual = by_id[a["duplicate_of"]]["title"] if a["duplicate_of"] else None
        assert actual == (by_ref[expected] if expected else None), a["title"]


@pytest.mark.slow
@settings_(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(order=st.permutations(sorted(str(p) for p in (EXAMPLES / "articles").rglob("*")
                                    if p.is_file())[:10]))
def test_the_same_stories_and_verdicts_whatever_the_input_order(order: list[str]) -> None:
    import corroborate

    def outcome(paths: list[str]) -> tuple[set[frozenset[str]], set[tuple[str, str]]]:
        with corroborate.analyze(paths, workers=1) as corpus:
            report = corpus.report()
        groups: dict[str, set[str]] = {}
        for a in report["articles"]:
            groups.setdefault(a["story_id"], set()).add(a["id"])
        verdicts = {(c["id"], c["verdict"]) for s in report["stories"] for c in s["claims"]}
        return {frozenset(g) for g in groups.values()}, verdicts

    assert outcome(order) == outcome(sorted(order))
