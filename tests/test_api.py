"""The Python API: the public names, and a corpus with the same content as the report."""

from __future__ import annotations

import pytest

import corroborate


def test_public_api_is_pinned() -> None:
    assert sorted(corroborate.__all__) == sorted([
        "analyze", "Corpus", "StoryRef", "Settings", "load_settings", "CorroborateError",
        "NotFound", "Rejected", "Article", "RunResult", "__version__"])


@pytest.mark.slow
def test_corpus_matches_its_report(example_corpus: corroborate.Corpus, example_report: dict) -> None:
    stories = example_corpus.stories()
    assert [s.id for s in stories] == [s["id"] for s in example_report["stories"]]
    first = stories[0]
    brief = first.brief()
    expected = next(s for s in example_report["stories"] if s["id"] == first.id)
    assert brief == expected
    assert first.articles == len(expected["article_ids"]) and first.outlets >= 6
    assert {a.id for a in example_corpus.articles()} == {a["id"] for a in example_report["articles"]}
    with pytest.raises(corroborate.NotFound):
        example_corpus.story("s-missing")
